/**
 * Usage windows against a model that keeps the full log of charges and resets and recomputes each
 * window from it, instead of carrying the compact state the engine stores.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { calendarPeriodAt } from "../../src/core/calendar.js";
import {
  chargeWindow,
  EMPTY_WINDOW,
  resetWindow,
  type WindowSpec,
  type WindowState,
  windowAt,
} from "../../src/core/windows.js";

type Step = { type: "wait"; ms: number } | { type: "charge"; units: number } | { type: "reset" };

/** Charges and resets in the order they happened (times never go backwards). */
type Log = { atMs: number; units: number | null }[];

/** The charges made since the last reset. */
function sinceLastReset(log: Log): { atMs: number; units: number }[] {
  const lastReset = log.map((event) => event.units === null).lastIndexOf(true);
  return log
    .slice(lastReset + 1)
    .flatMap((event) => (event.units === null ? [] : [{ atMs: event.atMs, units: event.units }]));
}

const HOUR_MS = 3_600_000;

const specArb: fc.Arbitrary<WindowSpec> = fc.oneof(
  fc.record({
    kind: fc.constant("fixed" as const),
    key: fc.constant("5h"),
    meter: fc.constant("messages"),
    allowanceUnits: fc.bigInt({ min: 1n, max: 100n }),
    durationSeconds: fc.constantFrom(60, 3600, 5 * 3600),
  }),
  fc.record({
    kind: fc.constant("rolling" as const),
    key: fc.constant("rolling"),
    meter: fc.constant("messages"),
    allowanceUnits: fc.bigInt({ min: 1n, max: 100n }),
    durationSeconds: fc.constantFrom(3600, 5 * 3600),
    bucketSeconds: fc.constantFrom(60, 300, 900),
  }),
  fc.record({
    kind: fc.constant("calendar" as const),
    key: fc.constant("weekly"),
    meter: fc.constant("messages"),
    allowanceUnits: fc.bigInt({ min: 1n, max: 100n }),
    unit: fc.constantFrom("day" as const, "week" as const),
    timeZone: fc.constantFrom("UTC", "America/New_York", "Asia/Kolkata"),
    weekStartsOn: fc.constantFrom(1 as const, 7 as const),
  }),
);

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant("wait" as const),
      ms: fc.integer({ min: 1, max: 6 * HOUR_MS }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ type: fc.constant("charge" as const), units: fc.integer({ min: 1, max: 20 }) }),
  },
  { weight: 1, arbitrary: fc.constant({ type: "reset" as const }) },
);

const sum = (units: readonly number[]): bigint => BigInt(units.reduce((total, u) => total + u, 0));

/** Fixed windows replayed from the log: each starts at the first charge after the last one ended. */
function modelFixed(spec: Extract<WindowSpec, { kind: "fixed" }>, log: Log, nowMs: number) {
  const durationMs = spec.durationSeconds * 1000;
  let startMs: number | null = null;
  let used: number[] = [];
  for (const event of log) {
    if (event.units === null) {
      startMs = null;
      used = [];
      continue;
    }
    if (startMs === null || event.atMs >= startMs + durationMs) {
      startMs = event.atMs;
      used = [];
    }
    used.push(event.units);
  }
  if (startMs === null || nowMs >= startMs + durationMs) return { used: 0n, resetsAtMs: null };
  const total = sum(used);
  return { used: total, resetsAtMs: total > 0n ? startMs + durationMs : null };
}

function modelRolling(spec: Extract<WindowSpec, { kind: "rolling" }>, log: Log, nowMs: number) {
  const bucketMs = spec.bucketSeconds * 1000;
  const counted = sinceLastReset(log)
    .map((c) => ({ bucketMs: Math.floor(c.atMs / bucketMs) * bucketMs, units: c.units }))
    .filter((c) => c.bucketMs > nowMs - spec.durationSeconds * 1000);
  const used = sum(counted.map((c) => c.units));
  const oldest = Math.min(...counted.map((c) => c.bucketMs));
  return { used, resetsAtMs: used > 0n ? oldest + spec.durationSeconds * 1000 : null };
}

function modelCalendar(spec: Extract<WindowSpec, { kind: "calendar" }>, log: Log, nowMs: number) {
  const period = calendarPeriodAt(nowMs, spec.unit, spec.timeZone, spec.weekStartsOn);
  const used = sum(
    sinceLastReset(log)
      .filter((c) => c.atMs >= period.startMs && c.atMs <= nowMs)
      .map((c) => c.units),
  );
  return { used, resetsAtMs: used > 0n ? period.endMs : null };
}

function model(spec: WindowSpec, log: Log, nowMs: number) {
  if (spec.kind === "fixed") return modelFixed(spec, log, nowMs);
  if (spec.kind === "rolling") return modelRolling(spec, log, nowMs);
  return modelCalendar(spec, log, nowMs);
}

describe("usage windows", () => {
  it("agree with a model that replays the whole log of charges and resets", () => {
    fc.assert(
      fc.property(
        specArb,
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }),
        fc.array(stepArb, { maxLength: 40 }),
        (spec, startMs, steps) => {
          let nowMs = startMs;
          let state: WindowState = EMPTY_WINDOW;
          const log: Log = [];
          for (const step of steps) {
            if (step.type === "wait") nowMs += step.ms;
            else if (step.type === "charge") {
              state = chargeWindow(spec, state, nowMs, BigInt(step.units));
              log.push({ atMs: nowMs, units: step.units });
            } else {
              state = resetWindow(spec, nowMs);
              log.push({ atMs: nowMs, units: null });
            }
            const seen = windowAt(spec, state, nowMs);
            const expected = model(spec, log, nowMs);
            expect({ used: seen.usedUnits, resetsAtMs: seen.resetsAtMs }).toEqual(expected);
            expect(seen.limitUnits).toBe(spec.allowanceUnits);
            const left = spec.allowanceUnits - expected.used;
            expect(seen.remainingUnits).toBe(left > 0n ? left : 0n);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it("starts a fixed window with the first charge and ends it exactly its duration later", () => {
    const spec: WindowSpec = {
      kind: "fixed",
      key: "5h",
      meter: "messages",
      allowanceUnits: 10n,
      durationSeconds: 5 * 3600,
    };
    const t0 = Date.UTC(2026, 5, 11, 9);
    expect(windowAt(spec, EMPTY_WINDOW, t0)).toEqual({
      usedUnits: 0n,
      limitUnits: 10n,
      remainingUnits: 10n,
      resetsAtMs: null,
    });
    const first = chargeWindow(spec, EMPTY_WINDOW, t0, 3n);
    expect(windowAt(spec, first, t0 + 5 * HOUR_MS - 1).usedUnits).toBe(3n);
    expect(windowAt(spec, first, t0 + 5 * HOUR_MS - 1).resetsAtMs).toBe(t0 + 5 * HOUR_MS);
    expect(windowAt(spec, first, t0 + 5 * HOUR_MS).usedUnits).toBe(0n);
  });

  it("lets a rolling charge go exactly one duration after its bucket began", () => {
    const spec: WindowSpec = {
      kind: "rolling",
      key: "1h",
      meter: "messages",
      allowanceUnits: 10n,
      durationSeconds: 3600,
      bucketSeconds: 300,
    };
    const bucketStartMs = Date.UTC(2026, 5, 11, 9, 5);
    const charged = chargeWindow(spec, EMPTY_WINDOW, bucketStartMs + 123_000, 4n);
    expect(windowAt(spec, charged, bucketStartMs + HOUR_MS - 1)).toMatchObject({
      usedUnits: 4n,
      resetsAtMs: bucketStartMs + HOUR_MS,
    });
    expect(windowAt(spec, charged, bucketStartMs + HOUR_MS)).toMatchObject({
      usedUnits: 0n,
      resetsAtMs: null,
    });
    const twice = chargeWindow(spec, charged, bucketStartMs + 200_000, 1n);
    expect(twice.buckets).toHaveLength(1);
    expect(windowAt(spec, twice, bucketStartMs + 200_000).usedUnits).toBe(5n);
  });

  it("keeps a calendar reset in force for the rest of its period", () => {
    const spec: WindowSpec = {
      kind: "calendar",
      key: "weekly",
      meter: "messages",
      allowanceUnits: 100n,
      unit: "week",
      timeZone: "Europe/Berlin",
      weekStartsOn: 1,
    };
    const monday = Date.UTC(2026, 5, 15, 8);
    const used = chargeWindow(spec, EMPTY_WINDOW, monday, 60n);
    const reset = resetWindow(spec, monday + HOUR_MS);
    const after = chargeWindow(spec, reset, monday + 2 * HOUR_MS, 5n);
    expect(windowAt(spec, used, monday + HOUR_MS).usedUnits).toBe(60n);
    expect(windowAt(spec, after, monday + 3 * HOUR_MS).usedUnits).toBe(5n);
    // The next week starts fresh: Monday 2026-06-22 00:00 in Berlin is 2026-06-21T22:00Z.
    expect(windowAt(spec, after, Date.UTC(2026, 5, 21, 22)).usedUnits).toBe(0n);
    expect(windowAt(spec, after, Date.UTC(2026, 5, 21, 21, 59)).resetsAtMs).toBe(Date.UTC(2026, 5, 21, 22));
  });
});
