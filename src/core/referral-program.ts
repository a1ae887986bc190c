/**
 * A referral program: who may invite, whom, how many, what counts as the invitee's qualifying action,
 * and what each side gets, written as JSON and stored as versions. The reference pilot:
 *
 * ```json
 * { "status": "live",
 *   "window": { "opensAt": "2026-06-11T00:00:00Z", "closesAt": "2026-06-25T00:00:00Z" },
 *   "audience": { "plans": ["plus", "pro"] },
 *   "invites": { "perReferrer": 3 },
 *   "invitees": { "eligibility": "lapsed", "lapsedAfterDays": 62 },
 *   "qualifyingEvent": { "firstUsage": { "action": "message" } },
 *   "rewards": { "referrer": { "type": "reset", "expiresAfter": "30d" },
 *                "invitee":  { "type": "reset", "expiresAfter": "30d" } } }
 * ```
 */
import { type CalendarUnit, isKnownTimeZone } from "./calendar.js";
import { PROGRAM_ID_PATTERN } from "./gift-program.js";
import type { JsonValue } from "./json-lines.js";
import { PRIORITY_MAX, PRIORITY_MIN } from "./lots.js";
import {
  formatDuration,
  join,
  NAME_PATTERN,
  type Obj,
  object,
  PlanSpecError,
  parseDurationSeconds,
  whole,
} from "./plan-spec.js";

export const REFERRAL_STATUSES = ["draft", "hidden", "live", "ended"] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];
export const INVITEE_RULES = ["new", "lapsed", "new_or_lapsed", "anyone"] as const;
export type InviteeRule = (typeof INVITEE_RULES)[number];
export const REWARD_SIDES = ["referrer", "invitee"] as const;
export type RewardSide = (typeof REWARD_SIDES)[number];

export const REFERRAL_CREDITS_MINOR_MAX = 1_000_000_000_000n;
export const INVITES_CAP_MAX = 10_000;
export const LIST_MAX = 1000;
export const DISPOSABLE_DOMAINS_MAX = 10_000;
const DAYS_MAX = 3650;
/** A plan window's id, `meter/window`, as a reset's scope names it. */
const WINDOW_ID_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,63}\/[a-z0-9][a-z0-9_.-]{0,63}$/;
const SECONDS_MAX = 3650 * 86_400;

export type RewardSpec =
  | {
      readonly type: "reset";
      /** The window ids the reset restarts; null for every window of the customer's plan. */
      readonly windows: readonly string[] | null;
      readonly expiresAfterSeconds: number;
    }
  | {
      readonly type: "credits";
      readonly amountMinor: bigint;
      readonly expiresAfterSeconds: number | null;
      readonly priority: number;
    };

export type QualifyingEvent =
  | { readonly kind: "first_usage"; readonly action: string | null }
  | { readonly kind: "event"; readonly name: string };

export interface ReferralProgram {
  readonly id: string;
  readonly version: number;
  readonly status: ReferralStatus;
  readonly visibleTo: readonly string[];
  readonly opensAtMs: number | null;
  readonly closesAtMs: number | null;
  readonly audiencePlans: readonly string[] | null;
  readonly audienceCohorts: readonly string[] | null;
  readonly invitesPerReferrer: number | null;
  readonly invitesPerPeriod: number | null;
  readonly period: { readonly unit: CalendarUnit; readonly timeZone: string };
  readonly invitees: InviteeRule;
  readonly newWithinDays: number;
  readonly lapsedAfterDays: number;
  readonly attributionSeconds: number;
  readonly qualifyingEvent: QualifyingEvent;
  readonly rewards: Readonly<Record<RewardSide, RewardSpec | null>>;
  readonly holdSeconds: number;
  /** What the program may give in all: credits (minor units) and resets; null for no limit. */
  readonly budgetCreditsMinor: bigint | null;
  readonly budgetResets: number | null;
  readonly disposableDomains: readonly string[];
  /** More acceptances than this for one referrer within `velocityWithinSeconds` go to review. */
  readonly velocityAcceptances: number | null;
  readonly velocityWithinSeconds: number;
}

const FIELDS = [
  "status",
  "visibleTo",
  "window",
  "audience",
  "invites",
  "invitees",
  "attributionWindow",
  "qualifyingEvent",
  "rewards",
  "holdPeriod",
  "budget",
  "fraud",
] as const;

function oneOf<T extends string>(value: JsonValue | undefined, path: string, options: readonly T[]): T {
  if (typeof value !== "string" || !(options as readonly string[]).includes(value))
    throw new PlanSpecError(path, `must be one of ${options.join(", ")}`);
  return value as T;
}

function names(value: JsonValue | undefined, path: string, pattern = NAME_PATTERN): readonly string[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || value.length > LIST_MAX)
    throw new PlanSpecError(path, `must be a list of at most ${LIST_MAX} names`);
  return value.map((item, index) => {
    if (typeof item !== "string" || !pattern.test(item))
      throw new PlanSpecError(`${path}[${index}]`, "is not a valid name");
    return item;
  });
}

function instant(value: JsonValue | undefined, path: string): number | null {
  if (value === undefined || value === null) return null;
  const ms = typeof value === "string" && /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms))
    throw new PlanSpecError(path, "must be an ISO-8601 time such as 2026-06-11T00:00:00Z");
  return ms;
}

const optionalCount = (value: JsonValue | undefined, path: string): number | null =>
  value === undefined || value === null ? null : Number(whole(value, path, 1n, BigInt(INVITES_CAP_MAX)));

const days = (value: JsonValue | undefined, path: string, fallback: number): number =>
  value === undefined ? fallback : Number(whole(value, path, 1n, BigInt(DAYS_MAX)));

/** A duration like "30d"; "0s" only where nothing (no hold) makes sense, so every value reads back. */
function duration(
  value: JsonValue | undefined,
  path: string,
  fallback: number | null,
  zero: "zero allowed" | "positive" = "positive",
): number | null {
  if (value === undefined) return fallback;
  if (value === null) return null;
  if (value === "0s" && zero === "zero allowed") return 0;
  const seconds = parseDurationSeconds(value, path);
  if (seconds > SECONDS_MAX) throw new PlanSpecError(path, "must be at most 3650d");
  return seconds;
}

function readReward(value: JsonValue | undefined, path: string): RewardSpec | null {
  if (value === undefined || value === null) return null;
  const base = object(value, path, ["type", "windows", "expiresAfter", "amount", "priority"]);
  const type = oneOf(base.type, join(path, "type"), ["reset", "credits"] as const);
  if (type === "reset") {
    if (base.amount !== undefined || base.priority !== undefined)
      throw new PlanSpecError(path, "a reset reward takes windows and expiresAfter only");
    const expires = duration(base.expiresAfter, join(path, "expiresAfter"), 30 * 86_400);
    if (expires === null || expires === 0 || expires > 366 * 86_400)
      throw new PlanSpecError(join(path, "expiresAfter"), "must be a duration up to 366d");
    const windows = names(base.windows, join(path, "windows"), WINDOW_ID_PATTERN);
    return { type, windows, expiresAfterSeconds: expires };
  }
  if (base.windows !== undefined) throw new PlanSpecError(join(path, "windows"), "is for reset rewards only");
  return {
    type,
    amountMinor: whole(base.amount, join(path, "amount"), 1n, REFERRAL_CREDITS_MINOR_MAX),
    expiresAfterSeconds: duration(base.expiresAfter, join(path, "expiresAfter"), null),
    priority: Number(
      whole(base.priority ?? 10, join(path, "priority"), BigInt(PRIORITY_MIN), BigInt(PRIORITY_MAX)),
    ),
  };
}

function readQualifying(value: JsonValue | undefined): QualifyingEvent {
  const spec = object(value ?? { firstUsage: {} }, "qualifyingEvent", ["firstUsage", "event"]);
  if ((spec.firstUsage === undefined) === (spec.event === undefined))
    throw new PlanSpecError("qualifyingEvent", "must name either firstUsage or event");
  if (spec.event !== undefined) {
    if (typeof spec.event !== "string" || !NAME_PATTERN.test(spec.event))
      throw new PlanSpecError("qualifyingEvent.event", "must be an event name such as first_message");
    return { kind: "event", name: spec.event };
  }
  const usage = object(spec.firstUsage, "qualifyingEvent.firstUsage", ["action"]);
  if (usage.action !== undefined && (typeof usage.action !== "string" || !NAME_PATTERN.test(usage.action)))
    throw new PlanSpecError("qualifyingEvent.firstUsage.action", "must be an action name such as message");
  return { kind: "first_usage", action: typeof usage.action === "string" ? usage.action : null };
}

function readWindow(spec: Obj): { opensAtMs: number | null; closesAtMs: number | null } {
  const window = object(spec.window ?? {}, "window", ["opensAt", "closesAt"]);
  const opensAtMs = instant(window.opensAt, "window.opensAt");
  const closesAtMs = instant(window.closesAt, "window.closesAt");
  if (opensAtMs !== null && closesAtMs !== null && closesAtMs <= opensAtMs)
    throw new PlanSpecError("window.closesAt", "must be later than window.opensAt");
  return { opensAtMs, closesAtMs };
}

/** Read a program as written; a problem names its path, e.g. `window.closesAt: must be later ...`. */
export function readReferralProgram(
  id: string,
  version: number,
  value: JsonValue | undefined,
): ReferralProgram {
  if (!PROGRAM_ID_PATTERN.test(id))
    throw new PlanSpecError("", `program id "${id}" must be 1 to 64 of a-z, 0-9, _ - (lower case)`);
  const spec = object(value, "", FIELDS);
  const audience = object(spec.audience ?? {}, "audience", ["plans", "cohorts"]);
  const invites = object(spec.invites ?? {}, "invites", ["perReferrer", "perPeriod", "period"]);
  const period = object(invites.period ?? {}, "invites.period", ["unit", "timeZone"]);
  const invitees = object(spec.invitees ?? {}, "invitees", [
    "eligibility",
    "newWithinDays",
    "lapsedAfterDays",
  ]);
  const rewards = object(spec.rewards ?? {}, "rewards", REWARD_SIDES);
  const budget = object(spec.budget ?? {}, "budget", ["credits", "resets"]);
  const fraud = object(spec.fraud ?? {}, "fraud", ["disposableDomains", "velocity"]);
  const velocity = object(fraud.velocity ?? {}, "fraud.velocity", ["acceptances", "within"]);
  const timeZone = period.timeZone ?? "UTC";
  if (typeof timeZone !== "string" || !isKnownTimeZone(timeZone))
    throw new PlanSpecError("invites.period.timeZone", "must be an IANA time zone such as Europe/Paris");
  const program: ReferralProgram = {
    id,
    version,
    status: oneOf(spec.status ?? "draft", "status", REFERRAL_STATUSES),
    visibleTo: names(spec.visibleTo, "visibleTo") ?? [],
    ...readWindow(spec),
    audiencePlans: names(audience.plans, "audience.plans"),
    audienceCohorts: names(audience.cohorts, "audience.cohorts"),
    invitesPerReferrer: optionalCount(invites.perReferrer, "invites.perReferrer"),
    invitesPerPeriod: optionalCount(invites.perPeriod, "invites.perPeriod"),
    period: {
      unit: oneOf(period.unit ?? "month", "invites.period.unit", ["day", "week", "month"] as const),
      timeZone,
    },
    invitees: oneOf(invitees.eligibility ?? "new_or_lapsed", "invitees.eligibility", INVITEE_RULES),
    newWithinDays: days(invitees.newWithinDays, "invitees.newWithinDays", 30),
    lapsedAfterDays: days(invitees.lapsedAfterDays, "invitees.lapsedAfterDays", 62),
    attributionSeconds: duration(spec.attributionWindow, "attributionWindow", 30 * 86_400) ?? 30 * 86_400,
    qualifyingEvent: readQualifying(spec.qualifyingEvent),
    rewards: {
      referrer: readReward(rewards.referrer, "rewards.referrer"),
      invitee: readReward(rewards.invitee, "rewards.invitee"),
    },
    holdSeconds: duration(spec.holdPeriod, "holdPeriod", 0, "zero allowed") ?? 0,
    budgetCreditsMinor:
      budget.credits === undefined || budget.credits === null
        ? null
        : whole(budget.credits, "budget.credits", 0n, REFERRAL_CREDITS_MINOR_MAX),
    budgetResets:
      budget.resets === undefined || budget.resets === null
        ? null
        : Number(whole(budget.resets, "budget.resets", 0n, 1_000_000_000n)),
    disposableDomains: (
      names(fraud.disposableDomains, "fraud.disposableDomains", /^[a-z0-9.-]{1,253}$/) ?? []
    ).slice(0, DISPOSABLE_DOMAINS_MAX),
    velocityAcceptances: optionalCount(velocity.acceptances, "fraud.velocity.acceptances"),
    velocityWithinSeconds: duration(velocity.within, "fraud.velocity.within", 3600) ?? 3600,
  };
  if (program.rewards.referrer === null && program.rewards.invitee === null)
    throw new PlanSpecError("rewards", "must reward at least one side");
  return program;
}

/** The program in its written form, every default spelled out. */
export function writeReferralProgram(program: ReferralProgram): { [key: string]: JsonValue } {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const reward = (spec: RewardSpec | null): JsonValue =>
    spec === null
      ? null
      : spec.type === "reset"
        ? {
            type: "reset",
            windows: spec.windows === null ? null : [...spec.windows],
            expiresAfter: formatDuration(spec.expiresAfterSeconds),
          }
        : {
            type: "credits",
            amount: Number(spec.amountMinor),
            expiresAfter: spec.expiresAfterSeconds === null ? null : formatDuration(spec.expiresAfterSeconds),
            priority: spec.priority,
          };
  return {
    status: program.status,
    visibleTo: [...program.visibleTo],
    window: { opensAt: iso(program.opensAtMs), closesAt: iso(program.closesAtMs) },
    audience: {
      plans: program.audiencePlans === null ? null : [...program.audiencePlans],
      cohorts: program.audienceCohorts === null ? null : [...program.audienceCohorts],
    },
    invites: {
      perReferrer: program.invitesPerReferrer,
      perPeriod: program.invitesPerPeriod,
      period: { unit: program.period.unit, timeZone: program.period.timeZone },
    },
    invitees: {
      eligibility: program.invitees,
      newWithinDays: program.newWithinDays,
      lapsedAfterDays: program.lapsedAfterDays,
    },
    attributionWindow: formatDuration(program.attributionSeconds),
    qualifyingEvent:
      program.qualifyingEvent.kind === "event"
        ? { event: program.qualifyingEvent.name }
        : {
            firstUsage:
              program.qualifyingEvent.action === null ? {} : { action: program.qualifyingEvent.action },
          },
    rewards: { referrer: reward(program.rewards.referrer), invitee: reward(program.rewards.invitee) },
    holdPeriod: program.holdSeconds === 0 ? "0s" : formatDuration(program.holdSeconds),
    budget: {
      credits: program.budgetCreditsMinor === null ? null : Number(program.budgetCreditsMinor),
      resets: program.budgetResets,
    },
    fraud: {
      disposableDomains: [...program.disposableDomains],
      velocity: {
        acceptances: program.velocityAcceptances,
        within: formatDuration(program.velocityWithinSeconds),
      },
    },
  };
}

/** Where a program stands at an instant: its status, with the window opening and closing it by itself. */
export function programPhase(
  program: ReferralProgram,
  nowMs: number,
): "draft" | "scheduled" | "hidden" | "live" | "ended" {
  if (program.status === "draft" || program.status === "ended") return program.status;
  if (program.opensAtMs !== null && nowMs < program.opensAtMs) return "scheduled";
  if (program.closesAtMs !== null && nowMs >= program.closesAtMs) return "ended";
  return program.status;
}
