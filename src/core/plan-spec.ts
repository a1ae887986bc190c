/**
 * The written form of plans: what an operator puts in a plan file or sends to `PUT /v1/plans/{id}`,
 * read into a `Plan`, and the same form written back for storage and display. Every problem names the
 * path of the value at fault, so a file loader can turn it into a line number.
 *
 * ```json
 * { "lowCreditsMinor": 500,
 *   "meters": { "messages": [ { "window": "5h", "kind": "fixed", "duration": "5h", "allowance": 200 },
 *                             { "window": "weekly", "kind": "calendar", "unit": "week",
 *                               "timeZone": "America/New_York", "weekStartsOn": "monday", "allowance": 2000 } ] },
 *   "actions": { "message": { "costs": { "messages": 1 }, "creditPriceMinor": 10 } } }
 * ```
 */
import { CALENDAR_UNITS, type CalendarUnit, type Weekday } from "./calendar.js";
import type { JsonValue } from "./json-lines.js";
import { AMOUNT_MINOR_MAX } from "./units.js";
import { checkPlan, checkWindow, type Plan, type RateCardEntry, windowId } from "./usage.js";
import type { WindowSpec } from "./windows.js";

export const PLAN_ID_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
export const NAME_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
export const PLAN_WINDOWS_MAX = 16;
export const PLAN_ACTIONS_MAX = 256;
export const ALLOWANCE_UNITS_MAX = 1_000_000_000_000n;

const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;
const DURATION_UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

export class PlanSpecError extends Error {
  override readonly name = "PlanSpecError";
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(path === "" ? problem : `${path}: ${problem}`);
  }
}

export type Obj = { readonly [key: string]: JsonValue };

export function object(value: JsonValue | undefined, path: string, allowed: readonly string[]): Obj {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new PlanSpecError(path, "must be an object");
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key))
      throw new PlanSpecError(join(path, key), `is not a known field (known: ${allowed.join(", ")})`);
  }
  return value;
}

export const join = (path: string, key: string): string => (path === "" ? key : `${path}.${key}`);

function name(value: string, path: string, what: string): string {
  if (!NAME_PATTERN.test(value))
    throw new PlanSpecError(path, `${what} "${value}" must be 1 to 64 of a-z, 0-9, _ . - (lower case)`);
  return value;
}

export function whole(value: JsonValue | undefined, path: string, min: bigint, max: bigint): bigint {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || BigInt(value) < min || BigInt(value) > max)
    throw new PlanSpecError(path, `must be a whole number from ${min} to ${max}`);
  return BigInt(value);
}

/** `"90s"`, `"30m"`, `"5h"`, `"7d"` to seconds. */
export function parseDurationSeconds(value: JsonValue | undefined, path: string): number {
  const match = typeof value === "string" ? /^([1-9]\d{0,7})([smhd])$/.exec(value) : null;
  if (match === null) throw new PlanSpecError(path, `must be a duration like "90s", "30m", "5h" or "7d"`);
  return Number(match[1]) * (DURATION_UNITS[match[2] ?? "s"] ?? 1);
}

export function formatDuration(seconds: number): string {
  for (const [unit, size] of [
    ["d", 86_400],
    ["h", 3600],
    ["m", 60],
  ] as const)
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  return `${seconds}s`;
}

function readWindow(value: JsonValue | undefined, path: string, meter: string): WindowSpec {
  const kindValue = object(value, path, [
    "window",
    "kind",
    "duration",
    "bucket",
    "unit",
    "timeZone",
    "weekStartsOn",
    "allowance",
  ]).kind;
  const fields = value as Obj;
  if (typeof fields.window !== "string")
    throw new PlanSpecError(join(path, "window"), "must name the window");
  const base = {
    key: name(fields.window, join(path, "window"), "window"),
    meter,
    allowanceUnits: whole(fields.allowance, join(path, "allowance"), 1n, ALLOWANCE_UNITS_MAX),
  };
  const only = (allowed: readonly string[]): void => {
    object(value, path, ["window", "kind", "allowance", ...allowed]);
  };
  switch (kindValue) {
    case "fixed":
      only(["duration"]);
      return {
        ...base,
        kind: "fixed",
        durationSeconds: parseDurationSeconds(fields.duration, join(path, "duration")),
      };
    case "rolling":
      only(["duration", "bucket"]);
      return {
        ...base,
        kind: "rolling",
        durationSeconds: parseDurationSeconds(fields.duration, join(path, "duration")),
        bucketSeconds: parseDurationSeconds(fields.bucket, join(path, "bucket")),
      };
    case "calendar": {
      only(["unit", "timeZone", "weekStartsOn"]);
      if (!CALENDAR_UNITS.includes(fields.unit as CalendarUnit))
        throw new PlanSpecError(join(path, "unit"), `must be one of ${CALENDAR_UNITS.join(", ")}`);
      const weekday = WEEKDAYS.indexOf((fields.weekStartsOn ?? "monday") as (typeof WEEKDAYS)[number]);
      if (weekday < 0)
        throw new PlanSpecError(join(path, "weekStartsOn"), `must be a weekday (${WEEKDAYS.join(", ")})`);
      if (typeof (fields.timeZone ?? "UTC") !== "string")
        throw new PlanSpecError(join(path, "timeZone"), "must be an IANA time zone name");
      return {
        ...base,
        kind: "calendar",
        unit: fields.unit as CalendarUnit,
        timeZone: (fields.timeZone ?? "UTC") as string,
        weekStartsOn: (weekday + 1) as Weekday,
      };
    }
    default:
      throw new PlanSpecError(join(path, "kind"), "must be fixed, rolling or calendar");
  }
}

function readAction(value: JsonValue | undefined, path: string): RateCardEntry {
  const fields = object(value, path, ["costs", "creditPriceMinor"]);
  const costsPath = join(path, "costs");
  const costs = object(fields.costs, costsPath, Object.keys((fields.costs ?? {}) as Obj));
  const parsed: Record<string, bigint> = {};
  for (const [meter, units] of Object.entries(costs)) {
    parsed[name(meter, join(costsPath, meter), "meter")] = whole(
      units,
      join(costsPath, meter),
      0n,
      ALLOWANCE_UNITS_MAX,
    );
  }
  return {
    costs: parsed,
    creditPriceMinor: whole(fields.creditPriceMinor, join(path, "creditPriceMinor"), 0n, AMOUNT_MINOR_MAX),
  };
}

/** Read one plan's written form; throws `PlanSpecError` naming the path of the first problem. */
export function readPlanSpec(id: string, version: number, value: JsonValue | undefined, path = ""): Plan {
  if (!PLAN_ID_PATTERN.test(id))
    throw new PlanSpecError(path, `plan id "${id}" must be 1 to 64 of a-z, 0-9, _ . -`);
  const fields = object(value, path, ["meters", "actions", "lowCreditsMinor"]);
  const metersPath = join(path, "meters");
  const meters = object(fields.meters, metersPath, Object.keys((fields.meters ?? {}) as Obj));
  const windows: WindowSpec[] = [];
  const seen = new Map<string, string>();
  for (const [meter, list] of Object.entries(meters)) {
    const meterPath = join(metersPath, meter);
    name(meter, meterPath, "meter");
    if (!Array.isArray(list) || list.length === 0)
      throw new PlanSpecError(meterPath, "must be a list of one or more windows");
    list.forEach((item, index) => {
      const windowPath = `${meterPath}[${index}]`;
      const spec = readWindow(item, windowPath, meter);
      const problem = checkWindow(spec);
      if (problem !== null) throw new PlanSpecError(windowPath, problem);
      if (seen.has(windowId(spec)))
        throw new PlanSpecError(join(windowPath, "window"), `names window ${windowId(spec)} twice`);
      const twin = seen.get(sameMeasure(spec));
      if (twin !== undefined)
        throw new PlanSpecError(windowPath, `overlaps ${twin}: same meter and same span`);
      seen.set(windowId(spec), windowId(spec));
      seen.set(sameMeasure(spec), windowId(spec));
      windows.push(spec);
    });
  }
  if (windows.length === 0) throw new PlanSpecError(metersPath, "must define at least one meter");
  if (windows.length > PLAN_WINDOWS_MAX)
    throw new PlanSpecError(metersPath, `may define at most ${PLAN_WINDOWS_MAX} windows`);
  const actionsPath = join(path, "actions");
  const actions = object(fields.actions, actionsPath, Object.keys((fields.actions ?? {}) as Obj));
  const entries = Object.entries(actions);
  if (entries.length === 0 || entries.length > PLAN_ACTIONS_MAX)
    throw new PlanSpecError(actionsPath, `must define 1 to ${PLAN_ACTIONS_MAX} actions`);
  const rateCard: Record<string, RateCardEntry> = {};
  for (const [action, entry] of entries) {
    const actionPath = join(actionsPath, action);
    rateCard[name(action, actionPath, "action")] = readAction(entry, actionPath);
    for (const meter of Object.keys(rateCard[action]?.costs ?? {})) {
      if (!Object.hasOwn(meters, meter))
        throw new PlanSpecError(
          join(join(actionPath, "costs"), meter),
          `meter ${meter} has no window in this plan`,
        );
    }
  }
  const lowCreditsMinor =
    fields.lowCreditsMinor === undefined || fields.lowCreditsMinor === null
      ? null
      : whole(fields.lowCreditsMinor, join(path, "lowCreditsMinor"), 1n, AMOUNT_MINOR_MAX);
  const plan: Plan = { id, version, windows, rateCard, lowCreditsMinor };
  const problem = checkPlan(plan);
  if (problem !== null) throw new PlanSpecError(path, problem.message);
  return plan;
}

/** Two windows of one meter that measure the same span would always agree: one is a mistake. */
function sameMeasure(spec: WindowSpec): string {
  const span =
    spec.kind === "calendar"
      ? `${spec.unit}/${spec.timeZone}/${spec.weekStartsOn}`
      : `${spec.durationSeconds}`;
  return `${spec.meter}:${spec.kind}:${span}`;
}

/** The written form of a plan: what `readPlanSpec` reads back to an equal plan. */
export function writePlanSpec(plan: Plan): { [key: string]: JsonValue } {
  // A Map, then fromEntries: names like "constructor" are ordinary keys, never inherited members.
  const meters = new Map<string, JsonValue[]>();
  for (const spec of plan.windows) {
    const base = { window: spec.key, kind: spec.kind, allowance: Number(spec.allowanceUnits) };
    const window: { [key: string]: JsonValue } =
      spec.kind === "fixed"
        ? { ...base, duration: formatDuration(spec.durationSeconds) }
        : spec.kind === "rolling"
          ? {
              ...base,
              duration: formatDuration(spec.durationSeconds),
              bucket: formatDuration(spec.bucketSeconds),
            }
          : {
              ...base,
              unit: spec.unit,
              timeZone: spec.timeZone,
              weekStartsOn: WEEKDAYS[spec.weekStartsOn - 1] ?? "monday",
            };
    meters.set(spec.meter, [...(meters.get(spec.meter) ?? []), window]);
  }
  const actions = Object.fromEntries(
    Object.entries(plan.rateCard).map(([action, entry]) => [
      action,
      {
        costs: Object.fromEntries(
          Object.entries(entry.costs).map(([meter, units]) => [meter, Number(units)]),
        ),
        creditPriceMinor: Number(entry.creditPriceMinor),
      },
    ]),
  );
  return {
    meters: Object.fromEntries(meters),
    actions,
    ...(plan.lowCreditsMinor === null ? {} : { lowCreditsMinor: Number(plan.lowCreditsMinor) }),
  };
}

export const PLAN_FILE_PLANS_MAX = 100;

/** A plan file: `{"plans": {"<id>": <plan>, ...}}`. Throws `PlanSpecError` naming the path. */
export function readPlanFile(value: JsonValue): Plan[] {
  const root = object(value, "", ["plans"]);
  const plans = object(root.plans, "plans", Object.keys((root.plans ?? {}) as Obj));
  const entries = Object.entries(plans);
  if (entries.length === 0 || entries.length > PLAN_FILE_PLANS_MAX)
    throw new PlanSpecError("plans", `must define 1 to ${PLAN_FILE_PLANS_MAX} plans`);
  return entries.map(([id, spec]) => readPlanSpec(id, 1, spec, `plans.${id}`));
}
