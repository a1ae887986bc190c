/**
 * Calendar periods against an independent model: instead of wall-clock arithmetic and offset
 * correction, the model asks the zone only "what local date is it at instant t?" and binary-searches
 * the instants where that answer crosses the period's first and next dates.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CalendarUnit,
  calendarPeriodAt,
  isKnownTimeZone,
  type Weekday,
} from "../../src/core/calendar.js";

const ZONES = [
  "UTC",
  "America/New_York",
  "Europe/London",
  "Europe/Berlin",
  "America/Sao_Paulo", // daylight saving used to start at midnight: some days had no 00:00
  "America/Santiago",
  "Australia/Lord_Howe", // a 30-minute daylight-saving shift
  "Pacific/Chatham", // a +12:45 / +13:45 offset
  "Asia/Kolkata",
  "America/St_Johns",
  "Asia/Tehran",
  "Africa/Casablanca",
  "Pacific/Apia", // skipped a whole day (2011-12-30)
] as const;

const DAY_MS = 86_400_000;

const dateFormats = new Map<string, Intl.DateTimeFormat>();

function localDate(ms: number, timeZone: string): string {
  let format = dateFormats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-CA", { timeZone }); // YYYY-MM-DD
    dateFormats.set(timeZone, format);
  }
  return format.format(new Date(ms));
}

const WEEKDAY_INDEX: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

function localWeekday(ms: number, timeZone: string): number {
  return WEEKDAY_INDEX[new Date(ms).toLocaleDateString("en-US", { timeZone, weekday: "short" })] ?? 0;
}

function shiftDate(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, (d ?? 1) + days)).toISOString().slice(0, 10);
}

function nextMonth(date: string): string {
  const [y, m] = date.split("-").map(Number);
  const year = y ?? 0;
  const month = m ?? 1;
  return month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, "0")}-01`;
}

/** A whole second in [lowMs, highMs] at which the local date turns to `date` or later. */
function crossingInstant(date: string, lowMs: number, highMs: number, timeZone: string): number {
  let low = Math.floor(lowMs / 1000);
  let high = Math.ceil(highMs / 1000);
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (localDate(middle * 1000, timeZone) >= date) high = middle;
    else low = middle + 1;
  }
  return low * 1000;
}

/**
 * The first instant at which the local date is `date` or later. Local dates are not monotonic: where
 * clocks fall back just after midnight (St. John's did at 00:01 until 2011), the new date shows for a
 * minute, the old one returns for an hour, then the new one again. So after a crossing is found, the
 * preceding three hours are scanned minute by minute for an earlier one.
 */
function firstInstantOnOrAfter(date: string, lowMs: number, highMs: number, timeZone: string): number {
  let found = crossingInstant(date, lowMs, highMs, timeZone);
  for (;;) {
    let earlier: number | undefined;
    const from = Math.max(lowMs, found - 3 * 3_600_000);
    for (let ms = Math.ceil(from / 60_000) * 60_000; ms < found; ms += 60_000) {
      if (localDate(ms, timeZone) >= date) {
        earlier = ms;
        break;
      }
    }
    if (earlier === undefined) return found;
    found = crossingInstant(date, from, earlier, timeZone);
  }
}

function modelPeriod(ms: number, unit: CalendarUnit, timeZone: string, weekStartsOn: Weekday) {
  const today = localDate(ms, timeZone);
  let first = today;
  let next = shiftDate(today, 1);
  if (unit === "week") {
    first = shiftDate(today, -((localWeekday(ms, timeZone) - weekStartsOn + 7) % 7));
    next = shiftDate(first, 7);
  } else if (unit === "month") {
    first = `${today.slice(0, 8)}01`;
    next = nextMonth(first);
  }
  return {
    startMs: firstInstantOnOrAfter(first, ms - 33 * DAY_MS, ms, timeZone),
    endMs: firstInstantOnOrAfter(next, ms, ms + 33 * DAY_MS, timeZone),
  };
}

const instantArb = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2060, 0, 1) });

/** Zones whose clocks have changed at local midnight, where day starts are the hard case. */
const MIDNIGHT_SHIFT_ZONES = [
  "America/Sao_Paulo",
  "America/Santiago",
  "America/Asuncion",
  "America/Havana",
  "Asia/Beirut",
];

function localClock(ms: number, timeZone: string): string {
  return new Date(ms).toLocaleTimeString("en-GB", { timeZone, hour12: false });
}

/** Every UTC day in [fromYear, toYear] on which the zone's offset changed, found by comparing noons. */
function offsetChangeDays(timeZone: string, fromYear: number, toYear: number): number[] {
  const days: number[] = [];
  let previous = localClock(Date.UTC(fromYear, 0, 1, 12), timeZone);
  for (let dayMs = Date.UTC(fromYear, 0, 2, 12); dayMs < Date.UTC(toYear + 1, 0, 1); dayMs += DAY_MS) {
    const clock = localClock(dayMs, timeZone);
    if (clock !== previous) days.push(dayMs - DAY_MS);
    previous = clock;
  }
  return days;
}

describe("calendar periods", () => {
  it("agree with the model on and around every offset change of zones that shift at midnight", () => {
    let checked = 0;
    for (const zone of MIDNIGHT_SHIFT_ZONES) {
      for (const dayMs of offsetChangeDays(zone, 2000, 2020)) {
        for (const hourOffset of [-20, -3, 0, 2, 20]) {
          const ms = dayMs + hourOffset * 3_600_000;
          expect(calendarPeriodAt(ms, "day", zone)).toEqual(modelPeriod(ms, "day", zone, 1));
          checked += 1;
        }
      }
    }
    // Each zone changed its offset at least twice a year for much of the span: hundreds of cases.
    expect(checked).toBeGreaterThan(300);
  });

  it("agree with a model that only asks the zone for local dates", () => {
    fc.assert(
      fc.property(
        instantArb,
        fc.constantFrom(...ZONES),
        fc.constantFrom<CalendarUnit>("day", "week", "month"),
        fc.constantFrom<Weekday>(1, 7),
        (ms, zone, unit, weekStartsOn) => {
          expect(calendarPeriodAt(ms, unit, zone, weekStartsOn)).toEqual(
            modelPeriod(ms, unit, zone, weekStartsOn),
          );
        },
      ),
      { numRuns: 400 },
    );
  });

  it("contain their instant, and tile time: each period ends where the next begins", () => {
    fc.assert(
      fc.property(
        instantArb,
        fc.constantFrom(...ZONES),
        fc.constantFrom<CalendarUnit>("day", "week", "month"),
        (ms, zone, unit) => {
          const period = calendarPeriodAt(ms, unit, zone);
          expect(period.startMs).toBeLessThanOrEqual(ms);
          expect(ms).toBeLessThan(period.endMs);
          expect(calendarPeriodAt(period.endMs, unit, zone).startMs).toBe(period.endMs);
          expect(calendarPeriodAt(period.startMs, unit, zone)).toEqual(period);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("starts a period at the first midnight when the clock falls back just after it", () => {
    // St. John's fell back at 00:01 on 2009-11-01: midnight came at 02:30Z, then 23:01 on the 31st
    // returned for an hour. November starts at the first midnight, and the returned hour is in it.
    const november = calendarPeriodAt(Date.UTC(2009, 10, 15), "month", "America/St_Johns");
    expect(new Date(november.startMs).toISOString()).toBe("2009-11-01T02:30:00.000Z");
    const repeated = Date.UTC(2009, 10, 1, 3, 0);
    expect(localDate(repeated, "America/St_Johns")).toBe("2009-10-31");
    for (const unit of ["day", "month"] as const) {
      const period = calendarPeriodAt(repeated, unit, "America/St_Johns");
      expect(new Date(period.startMs).toISOString()).toBe("2009-11-01T02:30:00.000Z");
      expect(period.startMs).toBeLessThanOrEqual(repeated);
      expect(repeated).toBeLessThan(period.endMs);
    }
  });

  it("handles the days daylight saving makes short, long or missing", () => {
    // New York springs forward 2026-03-08 (a 23-hour day) and falls back 2026-11-01 (25 hours).
    const spring = calendarPeriodAt(Date.UTC(2026, 2, 8, 12), "day", "America/New_York");
    expect(spring.endMs - spring.startMs).toBe(23 * 3_600_000);
    const fall = calendarPeriodAt(Date.UTC(2026, 10, 1, 12), "day", "America/New_York");
    expect(fall.endMs - fall.startMs).toBe(25 * 3_600_000);
    // Sao Paulo skipped 2018-11-04 00:00 (clocks went to 01:00): the day starts at 01:00 local.
    const skipped = calendarPeriodAt(Date.UTC(2018, 10, 4, 15), "day", "America/Sao_Paulo");
    expect(new Date(skipped.startMs).toISOString()).toBe("2018-11-04T03:00:00.000Z");
    // Samoa skipped 2011-12-30 entirely: the 29th ends where the 31st begins.
    const beforeSkip = calendarPeriodAt(Date.UTC(2011, 11, 29, 12), "day", "Pacific/Apia");
    expect(localDate(beforeSkip.endMs, "Pacific/Apia")).toBe("2011-12-31");
  });

  it("starts a week on the chosen weekday, at local midnight", () => {
    // Wednesday 2026-06-17, 15:00 in Berlin.
    const at = Date.UTC(2026, 5, 17, 13);
    const monday = calendarPeriodAt(at, "week", "Europe/Berlin", 1);
    expect(new Date(monday.startMs).toISOString()).toBe("2026-06-14T22:00:00.000Z");
    const sunday = calendarPeriodAt(at, "week", "Europe/Berlin", 7);
    expect(new Date(sunday.startMs).toISOString()).toBe("2026-06-13T22:00:00.000Z");
    expect(sunday.endMs - sunday.startMs).toBe(7 * DAY_MS);
  });

  it("knows real zones from made-up ones", () => {
    expect(isKnownTimeZone("Europe/Paris")).toBe(true);
    expect(isKnownTimeZone("Mars/Olympus_Mons")).toBe(false);
  });
});
