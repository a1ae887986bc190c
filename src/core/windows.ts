/**
 * Usage windows: how much of an allowance a customer has used in a window, when the window resets,
 * and how a charge or a reset changes it. Three kinds:
 *
 * - `fixed`: starts with the first charge after the previous window ended and lasts a fixed time
 *   (the 5-hour window that starts with the first message);
 * - `rolling`: counts what was charged in the last N seconds, kept in buckets of a fixed size, so a
 *   charge leaves the window one bucket after it is N seconds old;
 * - `calendar`: a day, week or month in a time zone (the weekly allowance that resets Monday 00:00).
 *
 * Pure: state in, state out, time as an argument. Units are the meter's own (messages, task-seconds),
 * integers held as bigint like credits.
 */
import { type CalendarUnit, calendarPeriodAt, type Weekday } from "./calendar.js";

export const WINDOW_KINDS = ["fixed", "rolling", "calendar"] as const;
export type WindowKind = (typeof WINDOW_KINDS)[number];

interface WindowBase {
  /** Names the window within its meter, e.g. "5h" or "weekly". */
  readonly key: string;
  readonly meter: string;
  readonly allowanceUnits: bigint;
}

export type WindowSpec =
  | (WindowBase & { readonly kind: "fixed"; readonly durationSeconds: number })
  | (WindowBase & {
      readonly kind: "rolling";
      readonly durationSeconds: number;
      readonly bucketSeconds: number;
    })
  | (WindowBase & {
      readonly kind: "calendar";
      readonly unit: CalendarUnit;
      readonly timeZone: string;
      readonly weekStartsOn: Weekday;
    });

export interface Bucket {
  readonly startMs: number;
  readonly units: bigint;
}

/**
 * What is stored per customer and window. `startedAtMs` is when the current fixed window began, or
 * the start of the calendar period `usedUnits` belongs to; rolling windows use `buckets` instead.
 */
export interface WindowState {
  readonly startedAtMs: number | null;
  readonly usedUnits: bigint;
  readonly buckets: readonly Bucket[];
}

export const EMPTY_WINDOW: WindowState = { startedAtMs: null, usedUnits: 0n, buckets: [] };

export interface WindowView {
  readonly usedUnits: bigint;
  readonly limitUnits: bigint;
  readonly remainingUnits: bigint;
  /**
   * When the window next gives room back: the end of a fixed window or calendar period; for a
   * rolling window, when its oldest counted bucket leaves. Null when nothing is used.
   */
  readonly resetsAtMs: number | null;
}

const bucketStart = (nowMs: number, bucketMs: number): number =>
  nowMs - (((nowMs % bucketMs) + bucketMs) % bucketMs);

/** The buckets a rolling window still counts at `nowMs`: those younger than its duration. */
function liveBuckets(spec: { durationSeconds: number }, state: WindowState, nowMs: number): Bucket[] {
  const durationMs = spec.durationSeconds * 1000;
  return state.buckets.filter((bucket) => bucket.startMs > nowMs - durationMs && bucket.units > 0n);
}

function view(spec: WindowSpec, usedUnits: bigint, resetsAtMs: number | null): WindowView {
  const remaining = spec.allowanceUnits - usedUnits;
  return {
    usedUnits,
    limitUnits: spec.allowanceUnits,
    remainingUnits: remaining > 0n ? remaining : 0n,
    resetsAtMs: usedUnits > 0n ? resetsAtMs : null,
  };
}

export function windowAt(spec: WindowSpec, state: WindowState, nowMs: number): WindowView {
  switch (spec.kind) {
    case "fixed": {
      const endMs = state.startedAtMs === null ? null : state.startedAtMs + spec.durationSeconds * 1000;
      if (endMs === null || nowMs >= endMs) return view(spec, 0n, null);
      return view(spec, state.usedUnits, endMs);
    }
    case "rolling": {
      const live = liveBuckets(spec, state, nowMs);
      const used = live.reduce((sum, bucket) => sum + bucket.units, 0n);
      const oldest = live.reduce((min, bucket) => Math.min(min, bucket.startMs), Number.POSITIVE_INFINITY);
      return view(spec, used, live.length === 0 ? null : oldest + spec.durationSeconds * 1000);
    }
    case "calendar": {
      const period = calendarPeriodAt(nowMs, spec.unit, spec.timeZone, spec.weekStartsOn);
      const used = state.startedAtMs !== null && state.startedAtMs >= period.startMs ? state.usedUnits : 0n;
      return view(spec, used, period.endMs);
    }
  }
}

/** Add a charge of `units` at `nowMs` (the caller has checked there is room). */
export function chargeWindow(
  spec: WindowSpec,
  state: WindowState,
  nowMs: number,
  units: bigint,
): WindowState {
  switch (spec.kind) {
    case "fixed": {
      const running = state.startedAtMs !== null && nowMs < state.startedAtMs + spec.durationSeconds * 1000;
      return running
        ? { ...state, usedUnits: state.usedUnits + units }
        : { startedAtMs: nowMs, usedUnits: units, buckets: [] };
    }
    case "rolling": {
      const start = bucketStart(nowMs, spec.bucketSeconds * 1000);
      const live = liveBuckets(spec, state, nowMs);
      const found = live.find((bucket) => bucket.startMs === start);
      const buckets = found
        ? live.map((bucket) => (bucket === found ? { startMs: start, units: bucket.units + units } : bucket))
        : [...live, { startMs: start, units }];
      return { startedAtMs: null, usedUnits: 0n, buckets };
    }
    case "calendar": {
      const period = calendarPeriodAt(nowMs, spec.unit, spec.timeZone, spec.weekStartsOn);
      const used = windowAt(spec, state, nowMs).usedUnits;
      // Keep the later of the period start and an earlier reset, so a reset stays in force.
      const startedAtMs = Math.max(period.startMs, state.startedAtMs ?? period.startMs);
      return { startedAtMs, usedUnits: used + units, buckets: [] };
    }
  }
}

/**
 * Restart a window at `nowMs` (a banked reset, or an operator's bulk reset): nothing used. A fixed
 * window starts again with the next charge; a calendar window counts from now to its period's end.
 */
export function resetWindow(spec: WindowSpec, nowMs: number): WindowState {
  return spec.kind === "calendar" ? { startedAtMs: nowMs, usedUnits: 0n, buckets: [] } : EMPTY_WINDOW;
}
