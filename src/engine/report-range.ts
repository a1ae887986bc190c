/**
 * The time range and buckets of the operator's time-series reports. Buckets follow the calendar of a
 * time zone (days, or weeks from Monday) and are cut to the range, so the first and last may be
 * partial. Each bucket covers `(start, end]`: a report point at a bucket's end is the state at that
 * instant, which already includes what happened at it, as the balance at a past instant does.
 */
import { calendarPeriodAt, isKnownTimeZone } from "../core/calendar.js";
import { fail, type Outcome, ok } from "../core/errors.js";
import { checkTimeMs } from "./validate.js";

export const REPORT_BUCKET_UNITS = ["day", "week"] as const;
export type ReportBucketUnit = (typeof REPORT_BUCKET_UNITS)[number];

/** A bound on the rows a report computes and returns, and on the work of a single request. */
export const REPORT_BUCKETS_MAX = 400;
export const REPORT_RANGE_MS_DEFAULT = 30 * 86_400_000;
/** IANA zone names are at most about 30 characters; anything much longer is not one. */
export const TIME_ZONE_LENGTH_MAX = 64;

export interface ReportRangeInput {
  readonly fromMs?: number | undefined;
  readonly toMs?: number | undefined;
  readonly bucket?: string | undefined;
  readonly timeZone?: string | undefined;
}

export interface ReportBucket {
  readonly startMs: number;
  readonly endMs: number;
}

export interface ReportRange {
  readonly fromMs: number;
  readonly toMs: number;
  readonly bucket: ReportBucketUnit;
  readonly timeZone: string;
  readonly buckets: readonly ReportBucket[];
}

/**
 * The range a request names, checked. A `to` later than now is read as now: what is outstanding or
 * has expired is not known for the future, and a browser's clock may run a little ahead.
 */
export function readReportRange(input: ReportRangeInput, nowMs: number): Outcome<ReportRange> {
  const bucket = REPORT_BUCKET_UNITS.find((unit) => unit === (input.bucket ?? "day"));
  if (bucket === undefined)
    return fail("invalid_request", `bucket must be one of ${REPORT_BUCKET_UNITS.join(", ")}`);
  const timeZone = input.timeZone ?? "UTC";
  if (typeof timeZone !== "string" || timeZone.length > TIME_ZONE_LENGTH_MAX || !isKnownTimeZone(timeZone))
    return fail("invalid_request", "timeZone must be an IANA time zone such as Europe/Paris");
  const to = checkTimeMs(Math.min(input.toMs ?? nowMs, nowMs), "to");
  if (!to.ok) return to;
  const from = checkTimeMs(input.fromMs ?? to.value - REPORT_RANGE_MS_DEFAULT, "from");
  if (!from.ok) return from;
  if (from.value >= to.value)
    return fail(
      "invalid_request",
      `from (${new Date(from.value).toISOString()}) must be earlier than to and than now ` +
        `(${new Date(to.value).toISOString()})`,
    );
  const buckets = bucketsOf(from.value, to.value, bucket, timeZone);
  if (buckets === null)
    return fail(
      "invalid_request",
      `from..to spans more than ${REPORT_BUCKETS_MAX} ${bucket} buckets: ` +
        `narrow the range${bucket === "day" ? " or use bucket=week" : ""}`,
    );
  return ok({ fromMs: from.value, toMs: to.value, bucket, timeZone, buckets });
}

/** The calendar buckets of `(fromMs, toMs]`, or null when there are more than the report allows. */
export function bucketsOf(
  fromMs: number,
  toMs: number,
  unit: ReportBucketUnit,
  timeZone: string,
): ReportBucket[] | null {
  const buckets: ReportBucket[] = [];
  let startMs = fromMs;
  while (startMs < toMs) {
    if (buckets.length === REPORT_BUCKETS_MAX) return null;
    // Periods are [start, end): a bucket starting on a boundary lies in the period that begins there.
    const endMs = Math.min(calendarPeriodAt(startMs, unit, timeZone).endMs, toMs);
    buckets.push({ startMs, endMs });
    startMs = endMs;
  }
  return buckets;
}
