/**
 * Calendar periods in a time zone: the day, week or month that contains an instant, as UTC instants.
 * The groundwork for calendar usage windows (a weekly allowance that resets Monday 00:00 in the
 * customer's zone). Pure: the zone rules come from the runtime's ICU data through `Intl`.
 */

export const CALENDAR_UNITS = ["day", "week", "month"] as const;
export type CalendarUnit = (typeof CALENDAR_UNITS)[number];

/** ISO weekday numbers: 1 is Monday, 7 is Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface CalendarPeriod {
  /** The first instant of the period (inclusive). */
  readonly startMs: number;
  /** The first instant of the next period (exclusive). */
  readonly endMs: number;
}

interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether the runtime knows this IANA zone name. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock reading in `timeZone` at the instant `ms` (second precision). */
export function wallTimeAt(ms: number, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** The zone's offset from UTC at the instant `ms`, in milliseconds (east positive). */
function offsetMsAt(ms: number, timeZone: string): number {
  const wall = wallTimeAt(ms, timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return asUtc - (ms - (((ms % 1000) + 1000) % 1000));
}

/**
 * The first instant at or after local midnight starting the given date. Where midnight does not exist
 * (a daylight-saving jump at 00:00, as Brazil and others have had), the day starts when the clock
 * lands after the gap.
 */
export function startOfLocalDayMs(year: number, month: number, day: number, timeZone: string): number {
  const wallMs = Date.UTC(year, month - 1, day);
  // Two refinements settle the offset; a third guards the rare case of an offset change between.
  let guessMs = wallMs - offsetMsAt(wallMs, timeZone);
  for (let step = 0; step < 3; step += 1) guessMs = wallMs - offsetMsAt(guessMs, timeZone);
  const landed = wallTimeAt(guessMs, timeZone);
  const landedDayMs = Date.UTC(landed.year, landed.month - 1, landed.day);
  if (landedDayMs < wallMs) {
    // The guess fell in the previous day: midnight was skipped. Move forward by the gap.
    return (
      guessMs +
      (wallMs -
        Date.UTC(landed.year, landed.month - 1, landed.day, landed.hour, landed.minute, landed.second))
    );
  }
  return guessMs;
}

function addDays(year: number, month: number, day: number, days: number): [number, number, number] {
  const date = new Date(Date.UTC(year, month - 1, day + days));
  return [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
}

/**
 * The last period found per unit, zone and week start. Periods partition time, so a cached period
 * that contains the instant is the answer; on the hot path nearly every request falls in the period
 * the previous one did, and asking the zone database costs a dozen formatter calls.
 */
const lastPeriods = new Map<string, CalendarPeriod>();
const LAST_PERIODS_MAX = 1024;

/** The calendar period of `unit` containing the instant `ms` in `timeZone`. */
export function calendarPeriodAt(
  ms: number,
  unit: CalendarUnit,
  timeZone: string,
  weekStartsOn: Weekday = 1,
): CalendarPeriod {
  const cacheKey = `${unit}|${timeZone}|${weekStartsOn}`;
  const cached = lastPeriods.get(cacheKey);
  if (cached !== undefined && cached.startMs <= ms && ms < cached.endMs) return cached;
  let period = computePeriod(ms, unit, timeZone, weekStartsOn);
  // Where clocks fall back just after midnight, the previous date shows again for a while after the
  // new period began; such an instant belongs to the period that began at that first midnight.
  if (ms >= period.endMs) period = computePeriod(period.endMs, unit, timeZone, weekStartsOn);
  if (lastPeriods.size >= LAST_PERIODS_MAX) lastPeriods.clear();
  lastPeriods.set(cacheKey, period);
  return period;
}

function computePeriod(
  ms: number,
  unit: CalendarUnit,
  timeZone: string,
  weekStartsOn: Weekday,
): CalendarPeriod {
  const wall = wallTimeAt(ms, timeZone);
  let first: [number, number, number];
  let next: [number, number, number];
  if (unit === "day") {
    first = [wall.year, wall.month, wall.day];
    next = addDays(wall.year, wall.month, wall.day, 1);
  } else if (unit === "week") {
    const isoWeekday = ((new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay() + 6) % 7) + 1;
    const back = (isoWeekday - weekStartsOn + 7) % 7;
    first = addDays(wall.year, wall.month, wall.day, -back);
    next = addDays(first[0], first[1], first[2], 7);
  } else {
    first = [wall.year, wall.month, 1];
    next = wall.month === 12 ? [wall.year + 1, 1, 1] : [wall.year, wall.month + 1, 1];
  }
  return {
    startMs: startOfLocalDayMs(first[0], first[1], first[2], timeZone),
    endMs: startOfLocalDayMs(next[0], next[1], next[2], timeZone),
  };
}
