/**
 * A gifting program: the operator's terms for who may send credits to whom, how much, how often and
 * from what, written as JSON and stored as versions (a gift keeps the version it was sent under).
 *
 * ```json
 * { "status": "live", "senders": { "plans": ["pro"] }, "period": { "unit": "month" },
 *   "allowance": 500, "giftMin": 50, "giftMax": 500,
 *   "caps": { "sentPerPeriod": 5, "receivedPerPeriod": 3, "claimedEver": 10 },
 *   "recipients": "new_or_lapsed", "lapsedAfterDays": 62, "claimWindow": "14d",
 *   "credits": { "expiresAfter": "90d", "priority": 10 } }
 * ```
 */
import { type CalendarUnit, isKnownTimeZone } from "./calendar.js";
import type { JsonValue } from "./json-lines.js";
import { PRIORITY_MAX, PRIORITY_MIN } from "./lots.js";
import {
  formatDuration,
  join,
  NAME_PATTERN,
  object,
  PlanSpecError,
  parseDurationSeconds,
  whole,
} from "./plan-spec.js";

export const PROGRAM_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const PROGRAM_STATUSES = ["draft", "hidden", "live", "ended"] as const;
export type ProgramStatus = (typeof PROGRAM_STATUSES)[number];
export const RECIPIENT_RULES = ["anyone", "new", "lapsed", "new_or_lapsed"] as const;
export type RecipientRule = (typeof RECIPIENT_RULES)[number];
export const GIFT_PERIOD_UNITS = ["day", "week", "month"] as const;

export const GIFT_AMOUNT_MINOR_MAX = 1_000_000_000_000n;
export const GIFT_COUNT_CAP_MAX = 1_000_000;
export const PROGRAM_LIST_MAX = 1000;
export const DAYS_MAX = 3650;
export const CLAIM_WINDOW_SECONDS_MAX = 366 * 86_400;
export const NEW_WITHIN_DAYS_DEFAULT = 30;
export const LAPSED_AFTER_DAYS_DEFAULT = 62;
export const CLAIM_WINDOW_DEFAULT = "14d";
export const GIFT_PRIORITY_DEFAULT = 10;

export interface GiftProgram {
  readonly id: string;
  readonly version: number;
  readonly status: ProgramStatus;
  /** Cohorts that see a hidden program (the staged rollout); ignored unless the status is hidden. */
  readonly visibleTo: readonly string[];
  /** Who may send: customers on one of these plans, or in one of these cohorts; null lists allow all. */
  readonly senderPlans: readonly string[] | null;
  readonly senderCohorts: readonly string[] | null;
  readonly period: { readonly unit: CalendarUnit; readonly timeZone: string };
  /** What each sender may give per period from the platform's allowance; 0 means gift balance only. */
  readonly allowanceMinor: bigint;
  readonly giftMinMinor: bigint;
  readonly giftMaxMinor: bigint;
  readonly sentPerPeriod: number | null;
  readonly receivedPerPeriod: number | null;
  readonly claimedEver: number | null;
  readonly recipients: RecipientRule;
  readonly newWithinDays: number;
  readonly lapsedAfterDays: number;
  readonly claimWindowSeconds: number;
  /** The claimed lot's expiry after the claim (null: never) and its burn-down priority. */
  readonly creditsExpireAfterSeconds: number | null;
  readonly creditsPriority: number;
}

const FIELDS = [
  "status",
  "visibleTo",
  "senders",
  "period",
  "allowance",
  "giftMin",
  "giftMax",
  "caps",
  "recipients",
  "newWithinDays",
  "lapsedAfterDays",
  "claimWindow",
  "credits",
] as const;

function oneOf<T extends string>(value: JsonValue | undefined, path: string, options: readonly T[]): T {
  if (typeof value !== "string" || !(options as readonly string[]).includes(value))
    throw new PlanSpecError(path, `must be one of ${options.join(", ")}`);
  return value as T;
}

function names(value: JsonValue | undefined, path: string): readonly string[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || value.length > PROGRAM_LIST_MAX)
    throw new PlanSpecError(path, `must be a list of at most ${PROGRAM_LIST_MAX} names`);
  return value.map((item, index) => {
    if (typeof item !== "string" || !NAME_PATTERN.test(item))
      throw new PlanSpecError(`${path}[${index}]`, "must be 1 to 64 of a-z, 0-9, _ . - (lower case)");
    return item;
  });
}

const count = (value: JsonValue | undefined, path: string): number | null =>
  value === undefined || value === null ? null : Number(whole(value, path, 1n, BigInt(GIFT_COUNT_CAP_MAX)));

const days = (value: JsonValue | undefined, path: string, fallback: number): number =>
  value === undefined ? fallback : Number(whole(value, path, 1n, BigInt(DAYS_MAX)));

/** Read a program as written; a problem names its path, e.g. `caps.sentPerPeriod: must be ...`. */
export function readGiftProgram(id: string, version: number, value: JsonValue | undefined): GiftProgram {
  if (!PROGRAM_ID_PATTERN.test(id))
    throw new PlanSpecError("", `program id "${id}" must be 1 to 64 of a-z, 0-9, _ - (lower case)`);
  const spec = object(value, "", FIELDS);
  const senders = object(spec.senders ?? {}, "senders", ["plans", "cohorts"]);
  const period = object(spec.period ?? {}, "period", ["unit", "timeZone"]);
  const caps = object(spec.caps ?? {}, "caps", ["sentPerPeriod", "receivedPerPeriod", "claimedEver"]);
  const credits = object(spec.credits ?? {}, "credits", ["expiresAfter", "priority"]);
  const timeZone = period.timeZone ?? "UTC";
  if (typeof timeZone !== "string" || !isKnownTimeZone(timeZone))
    throw new PlanSpecError("period.timeZone", "must be an IANA time zone such as Europe/Paris");
  const giftMinMinor = whole(spec.giftMin ?? 1, "giftMin", 1n, GIFT_AMOUNT_MINOR_MAX);
  const giftMaxMinor = whole(spec.giftMax, "giftMax", 1n, GIFT_AMOUNT_MINOR_MAX);
  if (giftMaxMinor < giftMinMinor)
    throw new PlanSpecError("giftMax", `must be at least giftMin (${giftMinMinor})`);
  const claimWindowSeconds = parseDurationSeconds(spec.claimWindow ?? CLAIM_WINDOW_DEFAULT, "claimWindow");
  if (claimWindowSeconds > CLAIM_WINDOW_SECONDS_MAX)
    throw new PlanSpecError("claimWindow", `must be at most ${CLAIM_WINDOW_SECONDS_MAX / 86_400}d`);
  return {
    id,
    version,
    status: oneOf(spec.status ?? "draft", "status", PROGRAM_STATUSES),
    visibleTo: names(spec.visibleTo, "visibleTo") ?? [],
    senderPlans: names(senders.plans, join("senders", "plans")),
    senderCohorts: names(senders.cohorts, join("senders", "cohorts")),
    period: { unit: oneOf(period.unit ?? "month", "period.unit", GIFT_PERIOD_UNITS), timeZone },
    allowanceMinor: whole(spec.allowance ?? 0, "allowance", 0n, GIFT_AMOUNT_MINOR_MAX),
    giftMinMinor,
    giftMaxMinor,
    sentPerPeriod: count(caps.sentPerPeriod, "caps.sentPerPeriod"),
    receivedPerPeriod: count(caps.receivedPerPeriod, "caps.receivedPerPeriod"),
    claimedEver: count(caps.claimedEver, "caps.claimedEver"),
    recipients: oneOf(spec.recipients ?? "anyone", "recipients", RECIPIENT_RULES),
    newWithinDays: days(spec.newWithinDays, "newWithinDays", NEW_WITHIN_DAYS_DEFAULT),
    lapsedAfterDays: days(spec.lapsedAfterDays, "lapsedAfterDays", LAPSED_AFTER_DAYS_DEFAULT),
    claimWindowSeconds,
    creditsExpireAfterSeconds:
      credits.expiresAfter === undefined || credits.expiresAfter === null
        ? null
        : parseDurationSeconds(credits.expiresAfter, "credits.expiresAfter"),
    creditsPriority: Number(
      whole(
        credits.priority ?? GIFT_PRIORITY_DEFAULT,
        "credits.priority",
        BigInt(PRIORITY_MIN),
        BigInt(PRIORITY_MAX),
      ),
    ),
  };
}

/** The program in its written form, every default spelled out: what is stored and shown. */
export function writeGiftProgram(program: GiftProgram): { [key: string]: JsonValue } {
  const caps: { [key: string]: JsonValue } = {};
  if (program.sentPerPeriod !== null) caps.sentPerPeriod = program.sentPerPeriod;
  if (program.receivedPerPeriod !== null) caps.receivedPerPeriod = program.receivedPerPeriod;
  if (program.claimedEver !== null) caps.claimedEver = program.claimedEver;
  const senders: { [key: string]: JsonValue } = {};
  if (program.senderPlans !== null) senders.plans = [...program.senderPlans];
  if (program.senderCohorts !== null) senders.cohorts = [...program.senderCohorts];
  return {
    status: program.status,
    visibleTo: [...program.visibleTo],
    senders,
    period: { unit: program.period.unit, timeZone: program.period.timeZone },
    allowance: Number(program.allowanceMinor),
    giftMin: Number(program.giftMinMinor),
    giftMax: Number(program.giftMaxMinor),
    caps,
    recipients: program.recipients,
    newWithinDays: program.newWithinDays,
    lapsedAfterDays: program.lapsedAfterDays,
    claimWindow: formatDuration(program.claimWindowSeconds),
    credits: {
      expiresAfter:
        program.creditsExpireAfterSeconds === null ? null : formatDuration(program.creditsExpireAfterSeconds),
      priority: program.creditsPriority,
    },
  };
}
