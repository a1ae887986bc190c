/**
 * The written form of plans: any valid plan survives being written and read back, and every kind of
 * mistake an operator can make in a plan file is refused with the path of the value at fault and a
 * message that says what is wrong.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CALENDAR_UNITS, type Weekday } from "../../src/core/calendar.js";
import { type JsonValue, parseLocatedJson } from "../../src/core/json-lines.js";
import {
  ALLOWANCE_UNITS_MAX,
  PLAN_ACTIONS_MAX,
  PLAN_FILE_PLANS_MAX,
  PLAN_WINDOWS_MAX,
  PlanSpecError,
  parseDurationSeconds,
  readPlanFile,
  readPlanSpec,
  writePlanSpec,
} from "../../src/core/plan-spec.js";
import { AMOUNT_MINOR_MAX } from "../../src/core/units.js";
import {
  checkPlan,
  type Plan,
  type RateCardEntry,
  ROLLING_BUCKETS_MAX,
  WINDOW_SECONDS_MAX,
} from "../../src/core/usage.js";
import type { WindowSpec } from "../../src/core/windows.js";

/** Hands a deliberately malformed or loosely typed spec to the readers, which take JSON values. */
const json = (value: unknown): JsonValue => value as JsonValue;

/** The error a call throws, or a failure when it throws none or another kind. */
function specErrorOf(read: () => unknown): PlanSpecError {
  try {
    read();
  } catch (error) {
    if (error instanceof PlanSpecError) return error;
    throw error;
  }
  throw new Error("expected a PlanSpecError");
}

// ---------------------------------------------------------------------------------------------------
// Valid plans, generated

const UNIT_SECONDS = [1, 60, 3_600, 86_400] as const;
/** The largest count a written duration holds ("9999999s"): seven digits. */
const DURATION_COUNT_MAX = 9_999_999;

/**
 * A duration the written form can express: a count of one unit, as an operator would write it. A
 * count of seconds past seven digits cannot be written; a separate test below covers such plans.
 */
const durationArb = (maxSeconds: number): fc.Arbitrary<number> =>
  fc
    .constantFrom(...UNIT_SECONDS.filter((unit) => unit <= maxSeconds))
    .chain((unit) =>
      fc
        .integer({ min: 1, max: Math.min(DURATION_COUNT_MAX, Math.floor(maxSeconds / unit)) })
        .map((count) => count * unit),
    );
/** Whether the written form holds a duration: any whole minutes, or up to seven digits of seconds. */
const writable = (seconds: number): boolean => seconds % 60 === 0 || seconds <= DURATION_COUNT_MAX;

const nameArb = fc
  .oneof(
    fc.constantFrom("messages", "cloud_seconds", "5h", "weekly", "gpt-5.codex", "0"),
    fc.stringMatching(/^[a-z0-9][a-z0-9_.-]{0,63}$/),
  )
  // A meter named "constructor" is not written back (a separate test below); random names almost never
  // hit it, and leaving it out keeps the properties from failing on that one known problem.
  .filter((name) => name !== "constructor");
const allowanceArb = fc.bigInt({ min: 1n, max: ALLOWANCE_UNITS_MAX });
const TIME_ZONES = [
  "UTC",
  "America/New_York",
  "America/Sao_Paulo",
  "Europe/Paris",
  "Asia/Kolkata",
  "Australia/Lord_Howe",
  "Pacific/Chatham",
] as const;

type WindowBody = WindowSpec extends infer W ? (W extends unknown ? Omit<W, "key" | "meter"> : never) : never;

const windowBodyArb: fc.Arbitrary<WindowBody> = fc.oneof(
  fc.record({
    kind: fc.constant("fixed" as const),
    durationSeconds: durationArb(WINDOW_SECONDS_MAX),
    allowanceUnits: allowanceArb,
  }),
  durationArb(WINDOW_SECONDS_MAX)
    .chain((bucketSeconds) =>
      fc.record({
        kind: fc.constant("rolling" as const),
        bucketSeconds: fc.constant(bucketSeconds),
        durationSeconds: fc
          .integer({
            min: 1,
            max: Math.min(ROLLING_BUCKETS_MAX, Math.floor(WINDOW_SECONDS_MAX / bucketSeconds)),
          })
          .map((buckets) => buckets * bucketSeconds),
        allowanceUnits: allowanceArb,
      }),
    )
    .filter((body) => writable(body.durationSeconds)),
  fc.record({
    kind: fc.constant("calendar" as const),
    unit: fc.constantFrom(...CALENDAR_UNITS),
    timeZone: fc.constantFrom(...TIME_ZONES),
    weekStartsOn: fc.integer({ min: 1, max: 7 }).map((day) => day as Weekday),
    allowanceUnits: allowanceArb,
  }),
);

/** What two windows of one meter must not share (the reader calls them overlapping). */
const span = (body: WindowBody): string =>
  body.kind === "calendar"
    ? `${body.kind}:${body.unit}/${body.timeZone}/${body.weekStartsOn}`
    : `${body.kind}:${body.durationSeconds}`;

const meterWindowsArb = (meter: string): fc.Arbitrary<WindowSpec[]> =>
  fc
    .uniqueArray(windowBodyArb, { minLength: 1, maxLength: 4, selector: span })
    .chain((bodies) =>
      fc
        .uniqueArray(nameArb, { minLength: bodies.length, maxLength: bodies.length })
        .map((keys) =>
          bodies.map((body, index) => ({ ...body, key: keys[index] ?? "", meter }) as WindowSpec),
        ),
    );

const rateCardArb = (meters: readonly string[]): fc.Arbitrary<Record<string, RateCardEntry>> =>
  fc
    .uniqueArray(
      fc.record({
        action: nameArb,
        costs: fc
          .subarray([...meters])
          .chain((costed) =>
            fc.tuple(
              ...costed.map((meter) =>
                fc.tuple(fc.constant(meter), fc.bigInt({ min: 0n, max: ALLOWANCE_UNITS_MAX })),
              ),
            ),
          )
          .map((pairs) => Object.fromEntries(pairs)),
        creditPriceMinor: fc.bigInt({ min: 0n, max: AMOUNT_MINOR_MAX }),
      }),
      { minLength: 1, maxLength: 6, selector: (entry) => entry.action },
    )
    .map((entries) =>
      Object.fromEntries(
        entries.map(({ action, costs, creditPriceMinor }) => [action, { costs, creditPriceMinor }]),
      ),
    );

/**
 * Names in the order JavaScript enumerates them as keys of an object: integer-like names first. The
 * written form is a JSON object, so a plan read from text always lists its meters (and a plan file
 * its plans) in this order.
 */
const inKeyOrder = (names: readonly string[]): string[] =>
  Object.keys(Object.fromEntries(names.map((n) => [n, 0])));

const planArb: fc.Arbitrary<Plan> = fc
  .uniqueArray(nameArb, { minLength: 1, maxLength: 4 })
  .map(inKeyOrder)
  .chain((meters) =>
    fc.record({
      id: nameArb,
      version: fc.integer({ min: 1, max: 1_000 }),
      // Windows come meter by meter, the order in which the written form lists them.
      windows: fc.tuple(...meters.map(meterWindowsArb)).map((lists) => lists.flat()),
      rateCard: rateCardArb(meters),
      lowCreditsMinor: fc.option(fc.bigInt({ min: 1n, max: AMOUNT_MINOR_MAX }), { nil: null }),
    }),
  );

describe("the written form round-trips", () => {
  it("reads back every valid plan it writes, through JSON text, to an equal plan", () => {
    fc.assert(
      fc.property(planArb, (plan) => {
        expect(checkPlan(plan)).toBeNull();
        const written = writePlanSpec(plan);
        const text = JSON.stringify(written, null, 2);
        const read = readPlanSpec(plan.id, plan.version, parseLocatedJson(text).value);
        expect(read).toEqual(plan);
        // Storage compares written forms to decide whether a plan changed, so writing must be stable.
        expect(writePlanSpec(read)).toEqual(written);
      }),
      { numRuns: 300 },
    );
  });

  it("reads every plan of a plan file as version 1 under its id", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(planArb, { minLength: 1, maxLength: 3, selector: (plan) => plan.id }),
        (plans) => {
          const file = { plans: Object.fromEntries(plans.map((plan) => [plan.id, writePlanSpec(plan)])) };
          const read = readPlanFile(parseLocatedJson(JSON.stringify(file)).value);
          const byId = new Map(plans.map((plan) => [plan.id, { ...plan, version: 1 }]));
          expect(read).toEqual(inKeyOrder(plans.map((plan) => plan.id)).map((id) => byId.get(id)));
        },
      ),
      { numRuns: 100 },
    );
  });

  it("fills in the defaults: UTC, weeks from Monday, no low-credit threshold", () => {
    const plan = readPlanSpec("basic", 3, {
      meters: { messages: [{ window: "weekly", kind: "calendar", unit: "week", allowance: 10 }] },
      actions: { message: { costs: { messages: 1 }, creditPriceMinor: 0 } },
      lowCreditsMinor: null,
    });
    expect(plan).toEqual({
      id: "basic",
      version: 3,
      windows: [
        {
          key: "weekly",
          meter: "messages",
          kind: "calendar",
          unit: "week",
          timeZone: "UTC",
          weekStartsOn: 1,
          allowanceUnits: 10n,
        },
      ],
      rateCard: { message: { costs: { messages: 1n }, creditPriceMinor: 0n } },
      lowCreditsMinor: null,
    });
  });

  it("round-trips a duration in seconds too long for seven digits, which a valid plan may hold", () => {
    // 10,000,001 seconds is within WINDOW_SECONDS_MAX and is no whole number of minutes.
    const plan: Plan = {
      id: "long",
      version: 1,
      windows: [{ key: "w", meter: "m", kind: "fixed", durationSeconds: 10_000_001, allowanceUnits: 1n }],
      rateCard: { a: { costs: { m: 1n }, creditPriceMinor: 0n } },
      lowCreditsMinor: null,
    };
    expect(checkPlan(plan)).toBeNull();
    expect(readPlanSpec(plan.id, 1, writePlanSpec(plan))).toEqual(plan);
  });

  it("round-trips a meter named like an Object.prototype member", () => {
    // "constructor" matches the name pattern, so a plan may use it for a meter.
    const spec = {
      meters: { constructor: [{ window: "5h", kind: "fixed", duration: "5h", allowance: 3 }] },
      actions: { build: { costs: { constructor: 1 }, creditPriceMinor: 10 } },
    };
    const plan = readPlanSpec("odd", 1, spec);
    expect(writePlanSpec(plan)).toEqual(spec);
  });
});

// ---------------------------------------------------------------------------------------------------
// Malformed plans

/** A plan that uses every kind of window, as an operator would write it. */
function baseSpec(): Record<string, unknown> {
  return {
    lowCreditsMinor: 500,
    meters: {
      messages: [
        { window: "5h", kind: "fixed", duration: "5h", allowance: 200 },
        { window: "hourly", kind: "rolling", duration: "1h", bucket: "5m", allowance: 60 },
        {
          window: "weekly",
          kind: "calendar",
          unit: "week",
          timeZone: "America/New_York",
          weekStartsOn: "monday",
          allowance: 2_000,
        },
      ],
      cloud_seconds: [{ window: "daily", kind: "calendar", unit: "day", allowance: 3_600 }],
    },
    actions: {
      message: { costs: { messages: 1 }, creditPriceMinor: 10 },
      cloud_task: { costs: { messages: 1, cloud_seconds: 60 }, creditPriceMinor: 25 },
    },
  };
}

type Key = string | number;
type Edit = (spec: Record<string, unknown>) => void;

function parentOf(spec: Record<string, unknown>, path: readonly Key[]): Record<Key, unknown> {
  let node: unknown = spec;
  for (const key of path.slice(0, -1)) node = (node as Record<Key, unknown>)[key];
  return node as Record<Key, unknown>;
}
const lastOf = (path: readonly Key[]): Key => path[path.length - 1] ?? "";

/** Set the value at a path of the spec (creating nothing on the way). */
const set =
  (path: readonly Key[], value: unknown): Edit =>
  (spec) => {
    parentOf(spec, path)[lastOf(path)] = value;
  };
const remove =
  (path: readonly Key[]): Edit =>
  (spec) => {
    delete parentOf(spec, path)[lastOf(path)];
  };
const FIXED = ["meters", "messages", 0] as const;
const ROLLING = ["meters", "messages", 1] as const;
const CALENDAR = ["meters", "messages", 2] as const;

interface Malformed {
  readonly name: string;
  readonly edit: Edit;
  /** The path the error must name, relative to the plan. */
  readonly path: string;
  readonly problem: RegExp;
}

const DURATION_PROBLEM = /^must be a duration like "90s", "30m", "5h" or "7d"$/;
const ALLOWANCE_PROBLEM = new RegExp(`^must be a whole number from 1 to ${ALLOWANCE_UNITS_MAX}$`);
/** A pattern matching the text exactly as written. */
const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const NAME_PROBLEM = (what: string, value: string) =>
  new RegExp(`^${what} "${literal(value)}" must be 1 to 64 of a-z, 0-9, _ \\. - \\(lower case\\)$`);

const fixedWindows = (count: number) =>
  Array.from({ length: count }, (_, index) => ({
    window: `w${index + 1}`,
    kind: "fixed",
    duration: `${index + 1}h`,
    allowance: 1,
  }));

const MALFORMED: readonly Malformed[] = [
  {
    name: "an unknown top-level field",
    edit: set(["limits"], {}),
    path: "limits",
    problem: /^is not a known field \(known: meters, actions, lowCreditsMinor\)$/,
  },
  {
    name: "an unknown window field",
    edit: set([...FIXED, "size"], 5),
    path: "meters.messages[0].size",
    problem:
      /^is not a known field \(known: window, kind, duration, bucket, unit, timeZone, weekStartsOn, allowance\)$/,
  },
  {
    name: "a field of another kind of window (a bucket on a fixed window)",
    edit: set([...FIXED, "bucket"], "5m"),
    path: "meters.messages[0].bucket",
    problem: /^is not a known field \(known: window, kind, allowance, duration\)$/,
  },
  {
    name: "a time zone on a rolling window",
    edit: set([...ROLLING, "timeZone"], "UTC"),
    path: "meters.messages[1].timeZone",
    problem: /^is not a known field \(known: window, kind, allowance, duration, bucket\)$/,
  },
  {
    name: "an unknown action field",
    edit: set(["actions", "message", "price"], 10),
    path: "actions.message.price",
    problem: /^is not a known field \(known: costs, creditPriceMinor\)$/,
  },
  ...(["sliding", "Fixed", "", 1, null] as const).map(
    (kind): Malformed => ({
      name: `kind ${JSON.stringify(kind)}`,
      edit: set([...FIXED, "kind"], kind),
      path: "meters.messages[0].kind",
      problem: /^must be fixed, rolling or calendar$/,
    }),
  ),
  {
    name: "a missing kind",
    edit: remove([...FIXED, "kind"]),
    path: "meters.messages[0].kind",
    problem: /^must be fixed, rolling or calendar$/,
  },
  ...(["5x", "0h", "", 5, "5", "h", "05h", "1.5h", "-5h", " 5h", "5H", "100000000s", null] as const).map(
    (duration): Malformed => ({
      name: `duration ${JSON.stringify(duration)}`,
      edit: set([...FIXED, "duration"], duration),
      path: "meters.messages[0].duration",
      problem: DURATION_PROBLEM,
    }),
  ),
  {
    name: "a missing duration",
    edit: remove([...ROLLING, "duration"]),
    path: "meters.messages[1].duration",
    problem: DURATION_PROBLEM,
  },
  {
    name: "bucket 0m",
    edit: set([...ROLLING, "bucket"], "0m"),
    path: "meters.messages[1].bucket",
    problem: DURATION_PROBLEM,
  },
  {
    name: "a missing bucket",
    edit: remove([...ROLLING, "bucket"]),
    path: "meters.messages[1].bucket",
    problem: DURATION_PROBLEM,
  },
  ...(["year", "Week", undefined] as const).map(
    (unit): Malformed => ({
      name: `calendar unit ${JSON.stringify(unit)}`,
      edit: unit === undefined ? remove([...CALENDAR, "unit"]) : set([...CALENDAR, "unit"], unit),
      path: "meters.messages[2].unit",
      problem: /^must be one of day, week, month$/,
    }),
  ),
  ...(["funday", "Monday", "mon", 1, ""] as const).map(
    (weekStartsOn): Malformed => ({
      name: `weekStartsOn ${JSON.stringify(weekStartsOn)}`,
      edit: set([...CALENDAR, "weekStartsOn"], weekStartsOn),
      path: "meters.messages[2].weekStartsOn",
      problem: /^must be a weekday \(monday, tuesday, wednesday, thursday, friday, saturday, sunday\)$/,
    }),
  ),
  {
    name: "a time zone that is not text",
    edit: set([...CALENDAR, "timeZone"], 5),
    path: "meters.messages[2].timeZone",
    problem: /^must be an IANA time zone name$/,
  },
  ...([0, -1, 1.5, "10", null, Number(ALLOWANCE_UNITS_MAX) + 1] as const).map(
    (allowance): Malformed => ({
      name: `allowance ${JSON.stringify(allowance)}`,
      edit: set([...CALENDAR, "allowance"], allowance),
      path: "meters.messages[2].allowance",
      problem: ALLOWANCE_PROBLEM,
    }),
  ),
  {
    name: "a missing allowance",
    edit: remove([...FIXED, "allowance"]),
    path: "meters.messages[0].allowance",
    problem: ALLOWANCE_PROBLEM,
  },
  {
    name: "a window that is not an object",
    edit: set(FIXED, "5h"),
    path: "meters.messages[0]",
    problem: /^must be an object$/,
  },
  {
    name: "a window without a name",
    edit: remove([...FIXED, "window"]),
    path: "meters.messages[0].window",
    problem: /^must name the window$/,
  },
  {
    // Both the message and the path point at the second window: the first is the one it repeats.
    name: "a window name used twice in one meter",
    edit: set([...ROLLING, "window"], "5h"),
    path: "meters.messages[1].window",
    problem: /messages\/5h/,
  },
  {
    name: "two names for one fixed span in one meter",
    edit: set(["meters", "messages", 3], { window: "five", kind: "fixed", duration: "300m", allowance: 1 }),
    path: "meters.messages[3]",
    problem: /^overlaps messages\/5h: same meter and same span$/,
  },
  {
    name: "two names for one rolling span in one meter",
    edit: set(["meters", "messages", 3], {
      window: "sixty",
      kind: "rolling",
      duration: "60m",
      bucket: "1m",
      allowance: 1,
    }),
    path: "meters.messages[3]",
    problem: /^overlaps messages\/hourly: same meter and same span$/,
  },
  {
    name: "two names for one calendar period in one meter",
    edit: set(["meters", "cloud_seconds", 1], {
      window: "today",
      kind: "calendar",
      unit: "day",
      timeZone: "UTC",
      allowance: 1,
    }),
    path: "meters.cloud_seconds[1]",
    problem: /^overlaps cloud_seconds\/daily: same meter and same span$/,
  },
  {
    name: "an action that costs a meter with no window",
    edit: set(["actions", "message", "costs", "tokens"], 1),
    path: "actions.message.costs.tokens",
    problem: /^meter tokens has no window in this plan$/,
  },
  ...([-1, 1.5, "10", null] as const).map(
    (price): Malformed => ({
      name: `creditPriceMinor ${JSON.stringify(price)}`,
      edit: set(["actions", "message", "creditPriceMinor"], price),
      path: "actions.message.creditPriceMinor",
      problem: new RegExp(`^must be a whole number from 0 to ${AMOUNT_MINOR_MAX}$`),
    }),
  ),
  {
    name: "a negative cost",
    edit: set(["actions", "cloud_task", "costs", "cloud_seconds"], -60),
    path: "actions.cloud_task.costs.cloud_seconds",
    problem: new RegExp(`^must be a whole number from 0 to ${ALLOWANCE_UNITS_MAX}$`),
  },
  {
    name: "costs that are a list",
    edit: set(["actions", "message", "costs"], [1]),
    path: "actions.message.costs",
    problem: /^must be an object$/,
  },
  {
    name: "no meters",
    edit: set(["meters"], {}),
    path: "meters",
    problem: /^must define at least one meter$/,
  },
  {
    name: "missing meters",
    edit: remove(["meters"]),
    path: "meters",
    problem: /^must be an object$/,
  },
  {
    name: "a meter without windows",
    edit: set(["meters", "cloud_seconds"], []),
    path: "meters.cloud_seconds",
    problem: /^must be a list of one or more windows$/,
  },
  {
    name: "a meter whose windows are not a list",
    edit: set(["meters", "cloud_seconds"], { window: "daily" }),
    path: "meters.cloud_seconds",
    problem: /^must be a list of one or more windows$/,
  },
  {
    name: `more than ${PLAN_WINDOWS_MAX} windows`,
    edit: set(["meters"], { messages: fixedWindows(PLAN_WINDOWS_MAX + 1) }),
    path: "meters",
    problem: new RegExp(`^may define at most ${PLAN_WINDOWS_MAX} windows$`),
  },
  {
    name: "no actions",
    edit: set(["actions"], {}),
    path: "actions",
    problem: new RegExp(`^must define 1 to ${PLAN_ACTIONS_MAX} actions$`),
  },
  {
    name: `more than ${PLAN_ACTIONS_MAX} actions`,
    edit: set(
      ["actions"],
      Object.fromEntries(
        Array.from({ length: PLAN_ACTIONS_MAX + 1 }, (_, i) => [`a${i}`, { costs: {}, creditPriceMinor: 1 }]),
      ),
    ),
    path: "actions",
    problem: new RegExp(`^must define 1 to ${PLAN_ACTIONS_MAX} actions$`),
  },
  {
    name: "a zero low-credit threshold",
    edit: set(["lowCreditsMinor"], 0),
    path: "lowCreditsMinor",
    problem: new RegExp(`^must be a whole number from 1 to ${AMOUNT_MINOR_MAX}$`),
  },
  ...(["Messages", "my meter", "_private", "m".repeat(65)] as const).map(
    (meter): Malformed => ({
      name: `meter name ${JSON.stringify(meter)}`,
      edit: set(["meters"], { [meter]: [{ window: "5h", kind: "fixed", duration: "5h", allowance: 1 }] }),
      path: `meters.${meter}`,
      problem: NAME_PROBLEM("meter", meter),
    }),
  ),
  ...(["Five", "five hours", ".5h"] as const).map(
    (window): Malformed => ({
      name: `window name ${JSON.stringify(window)}`,
      edit: set([...FIXED, "window"], window),
      path: "meters.messages[0].window",
      problem: NAME_PROBLEM("window", window),
    }),
  ),
  ...(["Message", "big task", "-task"] as const).map(
    (action): Malformed => ({
      name: `action name ${JSON.stringify(action)}`,
      edit: set(["actions", action], { costs: { messages: 1 }, creditPriceMinor: 1 }),
      path: `actions.${action}`,
      problem: NAME_PROBLEM("action", action),
    }),
  ),
  {
    name: "a cost in a meter named in upper case",
    edit: set(["actions", "message", "costs"], { Messages: 1 }),
    path: "actions.message.costs.Messages",
    problem: NAME_PROBLEM("meter", "Messages"),
  },
];

const nested = (prefix: string, path: string): string => (path === "" ? prefix : `${prefix}.${path}`);

describe("readPlanSpec refuses a malformed plan, naming the path at fault", () => {
  it("accepts the base plan every case below breaks", () => {
    expect(readPlanSpec("pro", 1, json(baseSpec())).windows).toHaveLength(4);
  });

  for (const { name, edit, path, problem } of MALFORMED) {
    it(`refuses ${name} at ${path}`, () => {
      const spec = baseSpec();
      edit(spec);
      const error = specErrorOf(() => readPlanSpec("pro", 1, json(spec)));
      expect({ path: error.path, problem: error.problem }).toEqual({
        path,
        problem: expect.stringMatching(problem),
      });
      expect(error.message).toBe(`${path}: ${error.problem}`);
      // In a plan file the same problem sits under the plan's own path, which a loader turns into a line.
      const inFile = specErrorOf(() => readPlanFile(json({ plans: { pro: spec } })));
      expect(inFile.path).toBe(nested("plans.pro", path));
      expect(inFile.problem).toBe(error.problem);
    });
  }

  it("says that a window name used twice is a repeated name, not an overlap of spans", () => {
    // The two windows named "5h" are a fixed 5-hour and a rolling 1-hour window: their spans differ.
    const spec = baseSpec();
    set([...ROLLING, "window"], "5h")(spec);
    const error = specErrorOf(() => readPlanSpec("pro", 1, json(spec)));
    expect(error.problem).not.toMatch(/same span/);
    expect(error.problem).toMatch(/twice|more than once|already|duplicate/);
  });

  it.each(["Pro", "", "pro plan", "-pro", "p".repeat(65)])("refuses plan id %j", (id) => {
    const error = specErrorOf(() => readPlanSpec(id, 1, json(baseSpec())));
    expect(error.path).toBe("");
    expect(error.problem).toBe(`plan id "${id}" must be 1 to 64 of a-z, 0-9, _ . -`);
    const inFile = specErrorOf(() => readPlanFile(json({ plans: { [id]: baseSpec() } })));
    expect(inFile.path).toBe(`plans.${id}`);
  });

  it.each([[[]], ["pro"], [null], [undefined]])("refuses a plan that is not an object: %j", (spec) => {
    const error = specErrorOf(() => readPlanSpec("pro", 1, json(spec)));
    expect(error.path).toBe("");
    expect(error.problem).toBe("must be an object");
  });
});

/** Problems the whole-plan check finds after each window has been read on its own. */
const PLAN_CHECK_CASES: readonly { name: string; edit: Edit; window: string; problem: RegExp }[] = [
  {
    name: "an unknown time zone",
    edit: set([...CALENDAR, "timeZone"], "Mars/Olympus"),
    window: "meters.messages[2]",
    problem: /^window messages\/weekly names an unknown time zone Mars\/Olympus$/,
  },
  {
    name: "a bucket that does not divide the duration",
    edit: set([...ROLLING, "bucket"], "7m"),
    window: "meters.messages[1]",
    problem: /^window messages\/hourly needs a bucket size that divides its duration$/,
  },
  {
    name: "more buckets than a rolling window keeps",
    edit: set([...ROLLING, "bucket"], "1s"),
    window: "meters.messages[1]",
    problem: new RegExp(`^window messages/hourly would keep more than ${ROLLING_BUCKETS_MAX} buckets$`),
  },
  {
    name: "a duration longer than a window may last",
    edit: set([...FIXED, "duration"], "367d"),
    window: "meters.messages[0]",
    problem: new RegExp(`^window messages/5h needs a duration of 1 to ${WINDOW_SECONDS_MAX} seconds$`),
  },
];

describe("problems found by the whole-plan check", () => {
  const errorOf = (edit: Edit) => {
    const spec = baseSpec();
    edit(spec);
    return specErrorOf(() => readPlanSpec("pro", 1, json(spec)));
  };

  for (const { name, edit, problem } of PLAN_CHECK_CASES) {
    it(`refuses ${name}, saying which window and why`, () => {
      expect(errorOf(edit).problem).toMatch(problem);
    });
  }

  it("name the window at fault (or a field of it), so a plan file's error names its line", () => {
    expect(PLAN_CHECK_CASES.map(({ name, edit }) => ({ name, path: errorOf(edit).path }))).toEqual(
      PLAN_CHECK_CASES.map(({ name, window }) => ({
        name,
        path: expect.stringMatching(new RegExp(`^${literal(window)}(\\.|$)`)),
      })),
    );
  });
});

describe("windows that look alike but measure different things", () => {
  const accepts = (edit: Edit) => {
    const spec = baseSpec();
    edit(spec);
    expect(() => readPlanSpec("pro", 1, json(spec))).not.toThrow();
  };

  it("accepts one span in two meters", () => {
    accepts(
      set(["meters", "cloud_seconds", 1], { window: "5h", kind: "fixed", duration: "5h", allowance: 1 }),
    );
  });

  it("accepts a fixed and a rolling window of one duration in one meter", () => {
    accepts(
      set(["meters", "messages", 3], {
        window: "r5h",
        kind: "rolling",
        duration: "5h",
        bucket: "5m",
        allowance: 1,
      }),
    );
  });

  it("accepts weeks starting on different days, or in different zones, in one meter", () => {
    accepts(
      set(["meters", "messages", 3], {
        window: "w-sun",
        kind: "calendar",
        unit: "week",
        timeZone: "America/New_York",
        weekStartsOn: "sunday",
        allowance: 1,
      }),
    );
    accepts(
      set(["meters", "messages", 3], { window: "w-utc", kind: "calendar", unit: "week", allowance: 1 }),
    );
  });

  it(`accepts exactly ${PLAN_WINDOWS_MAX} windows and ${ROLLING_BUCKETS_MAX} buckets`, () => {
    accepts(set(["meters", "messages"], fixedWindows(PLAN_WINDOWS_MAX - 1)));
    accepts((spec) => {
      set([...ROLLING, "duration"], `${ROLLING_BUCKETS_MAX}s`)(spec);
      set([...ROLLING, "bucket"], "1s")(spec);
    });
  });
});

describe("readPlanFile", () => {
  it.each([
    { name: "a list", file: [], path: "", problem: "must be an object" },
    { name: "no plans", file: {}, path: "plans", problem: "must be an object" },
    {
      name: "an empty set of plans",
      file: { plans: {} },
      path: "plans",
      problem: `must define 1 to ${PLAN_FILE_PLANS_MAX} plans`,
    },
    { name: "plans as a list", file: { plans: [] }, path: "plans", problem: "must be an object" },
    {
      name: "an unknown field",
      file: { plans: {}, version: 2 },
      path: "version",
      problem: "is not a known field (known: plans)",
    },
  ])("refuses $name", ({ file, path, problem }) => {
    const error = specErrorOf(() => readPlanFile(json(file)));
    expect({ path: error.path, problem: error.problem }).toEqual({ path, problem });
  });

  it(`refuses more than ${PLAN_FILE_PLANS_MAX} plans`, () => {
    const plans = Object.fromEntries(
      Array.from({ length: PLAN_FILE_PLANS_MAX + 1 }, (_, i) => [`p${i}`, baseSpec()]),
    );
    expect(specErrorOf(() => readPlanFile(json({ plans }))).path).toBe("plans");
  });

  it("names the second plan when the first is fine", () => {
    const bad = baseSpec();
    set([...FIXED, "duration"], "5x")(bad);
    const error = specErrorOf(() => readPlanFile(json({ plans: { free: baseSpec(), pro: bad } })));
    expect(error.path).toBe("plans.pro.meters.messages[0].duration");
  });
});

describe("parseDurationSeconds", () => {
  it.each([
    ["1s", 1],
    ["90s", 90],
    ["30m", 1_800],
    ["5h", 18_000],
    ["7d", 604_800],
    ["9999999s", 9_999_999],
  ])("reads %s as %i seconds", (text, seconds) => {
    expect(parseDurationSeconds(text, "duration")).toBe(seconds);
  });

  it.each([
    ["5x"],
    ["0h"],
    [""],
    [5],
    ["5"],
    ["h"],
    ["05h"],
    ["1.5h"],
    ["-5h"],
    ["5h "],
    ["5 h"],
    ["5w"],
    [null],
    [undefined],
  ])("refuses %j, naming the path it was given", (value) => {
    const error = specErrorOf(() => parseDurationSeconds(json(value), "plans.pro.meters.m[0].duration"));
    expect(error.path).toBe("plans.pro.meters.m[0].duration");
    expect(error.problem).toMatch(DURATION_PROBLEM);
  });
});
