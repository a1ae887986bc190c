/**
 * The program form, as data: every field of a gifting or a referral program's terms (the keys are the
 * terms' own paths, `caps.sentPerPeriod`, `rewards.referrer.amount`), how it is labeled and grouped,
 * when it applies, and how what was typed becomes the terms the API reads. The checks mirror the
 * API's: the limits come from the domain core, and the terms built are finally read by the very
 * functions the API reads them with, so the form never sends what the API would refuse.
 */
import {
  GIFT_AMOUNT_MINOR_MAX,
  GIFT_COUNT_CAP_MAX,
  PROGRAM_ID_PATTERN,
  readGiftProgram,
} from "../../core/gift-program.js";
import type { JsonValue } from "../../core/json-lines.js";
import { PRIORITY_MAX, PRIORITY_MIN } from "../../core/lots.js";
import { NAME_PATTERN, PlanSpecError } from "../../core/plan-spec.js";
import {
  INVITES_CAP_MAX,
  LIST_MAX,
  REFERRAL_CREDITS_MINOR_MAX,
  readReferralProgram,
} from "../../core/referral-program.js";
import { formatCredits } from "../lib/format.js";
import {
  type Checked,
  checkCredits,
  checkDuration,
  checkInstant,
  checkNames,
  checkTimeZone,
  checkWhole,
  isoToLocal,
  REQUIRED,
} from "./form-checks.js";

export const PROGRAM_TYPES = ["gifting", "referral"] as const;
export type ProgramType = (typeof PROGRAM_TYPES)[number];
export const PROGRAM_STATUSES = ["draft", "hidden", "live", "ended"] as const;
export type ProgramStatus = (typeof PROGRAM_STATUSES)[number];

/** The API's own limits that the core does not export by name. */
const DAYS_MAX = 3650;
const SECONDS_PER_DAY = 86_400;
const CLAIM_WINDOW_SECONDS_MAX = 366 * SECONDS_PER_DAY;
const RESET_EXPIRY_SECONDS_MAX = 366 * SECONDS_PER_DAY;
const REFERRAL_SECONDS_MAX = DAYS_MAX * SECONDS_PER_DAY;
const BUDGET_RESETS_MAX = 1_000_000_000;
const PROGRAM_ID_LENGTH_MAX = 64;
const WINDOW_ID_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,63}\/[a-z0-9][a-z0-9_.-]{0,63}$/;
const DOMAIN_PATTERN = /^[a-z0-9.-]{1,253}$/;

export type Values = Readonly<Record<string, string>>;
export type FieldErrors = Readonly<Record<string, string>>;

/** How a field is read: each kind turns the typed text into the JSON value the terms hold. */
export type FieldKind =
  | { readonly kind: "choice"; readonly options: readonly (readonly [value: string, label: string])[] }
  | { readonly kind: "names"; readonly pattern: RegExp; readonly what: string }
  | { readonly kind: "whole"; readonly min: number; readonly max: number }
  | { readonly kind: "credits"; readonly minMinor: bigint; readonly maxMinor: bigint }
  | { readonly kind: "duration"; readonly maxSeconds: number; readonly zero?: "zero allowed" }
  | { readonly kind: "instant" }
  | { readonly kind: "timeZone" }
  | { readonly kind: "name" };

export interface FieldSpec {
  /** The path of the value in the terms; a few (`qualifyingEvent.kind`, `rewards.*.type`) only steer the form. */
  readonly key: string;
  readonly label: string;
  readonly group: string;
  readonly read: FieldKind;
  /** Only for what the API itself requires; other fields left empty take the API's default. */
  readonly required?: boolean;
  /** The API's default for an empty field, said in the hint. */
  readonly fallback?: string;
  readonly hint?: string;
  /** Whether the field applies, given the rest of the form; fields that don't are neither checked nor sent. */
  readonly when?: (values: Values) => boolean;
  /** For the form only: not a value in the terms. */
  readonly steering?: boolean;
}

const choice = (...options: (readonly [string, string])[]): FieldKind => ({ kind: "choice", options });
const names = (what: string, pattern: RegExp = NAME_PATTERN): FieldKind => ({ kind: "names", pattern, what });
const whole = (min: number, max: number): FieldKind => ({ kind: "whole", min, max });
const credits = (minMinor: bigint, maxMinor: bigint): FieldKind => ({ kind: "credits", minMinor, maxMinor });
const duration = (maxSeconds: number, zero?: "zero allowed"): FieldKind =>
  zero === undefined ? { kind: "duration", maxSeconds } : { kind: "duration", maxSeconds, zero };

const STATUS = choice(
  ["draft", "Draft: nobody sees it"],
  ["hidden", "Hidden pilot: only the cohorts named"],
  ["live", "Live"],
  ["ended", "Ended"],
);
const PERIOD_UNIT = choice(["day", "Day"], ["week", "Week"], ["month", "Month"]);
const LIST_HINT = "Separate names with commas; leave empty for everyone";

const BASICS = "Basics";
const SENDERS = "Who may send";
const AMOUNTS = "Amounts and caps";
const RECIPIENTS = "Recipients and claimed credits";

export const GIFTING_FIELDS: readonly FieldSpec[] = [
  { key: "status", label: "Status", group: BASICS, read: STATUS, required: true },
  {
    key: "visibleTo",
    label: "Visible to cohorts",
    group: BASICS,
    read: names("cohorts"),
    hint: "While the status is hidden, only these cohorts see the program",
  },
  { key: "senders.plans", label: "Sender plans", group: SENDERS, read: names("plans"), hint: LIST_HINT },
  {
    key: "senders.cohorts",
    label: "Sender cohorts",
    group: SENDERS,
    read: names("cohorts"),
    hint: LIST_HINT,
  },
  { key: "period.unit", label: "Allowance period", group: SENDERS, read: PERIOD_UNIT, required: true },
  {
    key: "period.timeZone",
    label: "Period time zone",
    group: SENDERS,
    read: { kind: "timeZone" },
    fallback: "UTC",
    hint: "Where periods start, such as UTC or Europe/Paris",
  },
  {
    key: "allowance",
    label: "Allowance per sender per period",
    group: AMOUNTS,
    read: credits(0n, GIFT_AMOUNT_MINOR_MAX),
    fallback: "0",
    hint: "Credits the platform funds; 0 lets senders give only credits they bought to give",
  },
  {
    key: "giftMin",
    label: "Smallest gift",
    group: AMOUNTS,
    read: credits(1n, GIFT_AMOUNT_MINOR_MAX),
    fallback: "the smallest amount",
  },
  {
    key: "giftMax",
    label: "Largest gift",
    group: AMOUNTS,
    read: credits(1n, GIFT_AMOUNT_MINOR_MAX),
    required: true,
  },
  {
    key: "caps.sentPerPeriod",
    label: "Gifts sent per period",
    group: AMOUNTS,
    read: whole(1, GIFT_COUNT_CAP_MAX),
    hint: "Per sender; empty for no cap",
  },
  {
    key: "caps.receivedPerPeriod",
    label: "Gifts received per period",
    group: AMOUNTS,
    read: whole(1, GIFT_COUNT_CAP_MAX),
    hint: "Per recipient; empty for no cap",
  },
  {
    key: "caps.claimedEver",
    label: "Gifts claimed ever",
    group: AMOUNTS,
    read: whole(1, GIFT_COUNT_CAP_MAX),
    hint: "Per recipient; empty for no cap",
  },
  {
    key: "recipients",
    label: "Recipients",
    group: RECIPIENTS,
    read: choice(
      ["anyone", "Anyone"],
      ["new", "New customers"],
      ["lapsed", "Lapsed customers"],
      ["new_or_lapsed", "New or lapsed customers"],
    ),
    required: true,
  },
  {
    key: "newWithinDays",
    label: "New within (days)",
    group: RECIPIENTS,
    read: whole(1, DAYS_MAX),
    fallback: "30",
  },
  {
    key: "lapsedAfterDays",
    label: "Lapsed after (days)",
    group: RECIPIENTS,
    read: whole(1, DAYS_MAX),
    fallback: "62",
  },
  {
    key: "claimWindow",
    label: "Claim window",
    group: RECIPIENTS,
    read: duration(CLAIM_WINDOW_SECONDS_MAX),
    fallback: "14d",
    hint: "How long a gift may be claimed, such as 14d",
  },
  {
    key: "credits.expiresAfter",
    label: "Gifted credits expire after",
    group: RECIPIENTS,
    read: duration(REFERRAL_SECONDS_MAX),
    hint: "Such as 90d; empty for never",
  },
  {
    key: "credits.priority",
    label: "Gifted credits priority",
    group: RECIPIENTS,
    read: whole(PRIORITY_MIN, PRIORITY_MAX),
    fallback: "10",
    hint: "Lower spends first",
  },
];

const SCHEDULE = "Schedule";
const AUDIENCE = "Who may invite, and whom";
const QUALIFYING = "Qualifying action";
const REWARDS = "Rewards";
const GUARDRAILS = "Budget and fraud checks";

function rewardFields(side: "referrer" | "invitee", title: string): FieldSpec[] {
  const type = `rewards.${side}.type`;
  const is = (kind: string) => (values: Values) => values[type] === kind;
  return [
    {
      key: type,
      label: `${title} reward`,
      group: REWARDS,
      read: choice(["none", "None"], ["reset", "A banked reset"], ["credits", "Credits"]),
      required: true,
      steering: true,
    },
    {
      key: `rewards.${side}.windows`,
      label: `${title} reset windows`,
      group: REWARDS,
      read: names("windows", WINDOW_ID_PATTERN),
      hint: "Window ids like messages/5h; empty for every window of the plan",
      when: is("reset"),
    },
    {
      key: `rewards.${side}.amount`,
      label: `${title} reward amount`,
      group: REWARDS,
      read: credits(1n, REFERRAL_CREDITS_MINOR_MAX),
      required: true,
      when: is("credits"),
    },
    {
      key: `rewards.${side}.expiresAfter`,
      label: `${title} reward expires after`,
      group: REWARDS,
      read: duration(RESET_EXPIRY_SECONDS_MAX),
      fallback: "30d",
      hint: "Such as 30d, at most 366d",
      when: is("reset"),
    },
    {
      key: `rewards.${side}.expiresAfter`,
      label: `${title} credits expire after`,
      group: REWARDS,
      read: duration(REFERRAL_SECONDS_MAX),
      hint: "Such as 90d; empty for never",
      when: is("credits"),
    },
    {
      key: `rewards.${side}.priority`,
      label: `${title} credits priority`,
      group: REWARDS,
      read: whole(PRIORITY_MIN, PRIORITY_MAX),
      fallback: "10",
      hint: "Lower spends first",
      when: is("credits"),
    },
  ];
}

export const REFERRAL_FIELDS: readonly FieldSpec[] = [
  { key: "status", label: "Status", group: BASICS, read: STATUS, required: true },
  {
    key: "visibleTo",
    label: "Visible to cohorts",
    group: BASICS,
    read: names("cohorts"),
    hint: "While the status is hidden, only these cohorts see the program",
  },
  {
    key: "window.opensAt",
    label: "Opens at",
    group: SCHEDULE,
    read: { kind: "instant" },
    hint: "Your local time; empty to open as soon as it is live",
  },
  {
    key: "window.closesAt",
    label: "Closes at",
    group: SCHEDULE,
    read: { kind: "instant" },
    hint: "Your local time; empty to run until ended",
  },
  { key: "audience.plans", label: "Referrer plans", group: AUDIENCE, read: names("plans"), hint: LIST_HINT },
  {
    key: "audience.cohorts",
    label: "Referrer cohorts",
    group: AUDIENCE,
    read: names("cohorts"),
    hint: LIST_HINT,
  },
  {
    key: "invites.perReferrer",
    label: "Invites per referrer",
    group: AUDIENCE,
    read: whole(1, INVITES_CAP_MAX),
    hint: "Empty for no cap",
  },
  {
    key: "invites.perPeriod",
    label: "Invites per period",
    group: AUDIENCE,
    read: whole(1, INVITES_CAP_MAX),
    hint: "Empty for no cap",
  },
  { key: "invites.period.unit", label: "Invite period", group: AUDIENCE, read: PERIOD_UNIT, required: true },
  {
    key: "invites.period.timeZone",
    label: "Invite period time zone",
    group: AUDIENCE,
    read: { kind: "timeZone" },
    fallback: "UTC",
  },
  {
    key: "invitees.eligibility",
    label: "Invitee eligibility",
    group: AUDIENCE,
    read: choice(
      ["new", "New customers"],
      ["lapsed", "Lapsed customers"],
      ["new_or_lapsed", "New or lapsed"],
      ["anyone", "Anyone"],
    ),
    required: true,
  },
  {
    key: "invitees.newWithinDays",
    label: "New within (days)",
    group: AUDIENCE,
    read: whole(1, DAYS_MAX),
    fallback: "30",
  },
  {
    key: "invitees.lapsedAfterDays",
    label: "Lapsed after (days)",
    group: AUDIENCE,
    read: whole(1, DAYS_MAX),
    fallback: "62",
  },
  {
    key: "attributionWindow",
    label: "Attribution window",
    group: QUALIFYING,
    read: duration(REFERRAL_SECONDS_MAX),
    fallback: "30d",
    hint: "How long after accepting the invitee may qualify, such as 30d",
  },
  {
    key: "qualifyingEvent.kind",
    label: "Qualifying action",
    group: QUALIFYING,
    read: choice(["first_usage", "The invitee's first usage"], ["event", "A product event"]),
    required: true,
    steering: true,
  },
  {
    key: "qualifyingEvent.firstUsage.action",
    label: "Usage action",
    group: QUALIFYING,
    read: { kind: "name" },
    hint: "Such as message; empty for any usage",
    when: (values) => values["qualifyingEvent.kind"] === "first_usage",
  },
  {
    key: "qualifyingEvent.event",
    label: "Event name",
    group: QUALIFYING,
    read: { kind: "name" },
    required: true,
    hint: "Posted to /v1/events, such as first_message",
    when: (values) => values["qualifyingEvent.kind"] === "event",
  },
  ...rewardFields("referrer", "Referrer"),
  ...rewardFields("invitee", "Invitee"),
  {
    key: "holdPeriod",
    label: "Reward hold period",
    group: REWARDS,
    read: duration(REFERRAL_SECONDS_MAX, "zero allowed"),
    fallback: "0s",
    hint: "How long a reward waits before it is granted; 0s for none",
  },
  {
    key: "budget.credits",
    label: "Credits budget",
    group: GUARDRAILS,
    read: credits(0n, REFERRAL_CREDITS_MINOR_MAX),
    hint: "What the program may give in all; empty for no limit",
  },
  {
    key: "budget.resets",
    label: "Resets budget",
    group: GUARDRAILS,
    read: whole(0, BUDGET_RESETS_MAX),
    hint: "Empty for no limit",
  },
  {
    key: "fraud.disposableDomains",
    label: "Disposable email domains",
    group: GUARDRAILS,
    read: names("domains", DOMAIN_PATTERN),
    hint: "Acceptances from these domains go to review",
  },
  {
    key: "fraud.velocity.acceptances",
    label: "Acceptances before review",
    group: GUARDRAILS,
    read: whole(1, INVITES_CAP_MAX),
    hint: "More acceptances than this for one referrer within the time below go to review; empty for no check",
  },
  {
    key: "fraud.velocity.within",
    label: "Within",
    group: GUARDRAILS,
    read: duration(REFERRAL_SECONDS_MAX),
    fallback: "1h",
  },
];

export function fieldsOf(type: ProgramType): readonly FieldSpec[] {
  return type === "gifting" ? GIFTING_FIELDS : REFERRAL_FIELDS;
}

/** The fields that apply to the form as it stands, in order. */
export function activeFields(type: ProgramType, values: Values): FieldSpec[] {
  return fieldsOf(type).filter((field) => field.when === undefined || field.when(values));
}

/** A new program's form: the API's defaults spelled out, so the operator sees what they will get. */
export function defaultValues(type: ProgramType): Values {
  if (type === "gifting")
    return {
      id: "",
      status: "draft",
      "period.unit": "month",
      "period.timeZone": "UTC",
      allowance: "0",
      recipients: "anyone",
      newWithinDays: "30",
      lapsedAfterDays: "62",
      claimWindow: "14d",
      "credits.priority": "10",
    };
  return {
    id: "",
    status: "draft",
    "invites.period.unit": "month",
    "invites.period.timeZone": "UTC",
    "invitees.eligibility": "new_or_lapsed",
    "invitees.newWithinDays": "30",
    "invitees.lapsedAfterDays": "62",
    attributionWindow: "30d",
    "qualifyingEvent.kind": "first_usage",
    "rewards.referrer.type": "reset",
    "rewards.referrer.expiresAfter": "30d",
    "rewards.invitee.type": "reset",
    "rewards.invitee.expiresAfter": "30d",
    holdPeriod: "0s",
    "fraud.velocity.within": "1h",
  };
}

function at(terms: JsonValue | undefined, path: string): JsonValue | undefined {
  let value: JsonValue | undefined = terms;
  for (const part of path.split(".")) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    value = value[part];
  }
  return value;
}

function textOf(field: FieldSpec, value: JsonValue | undefined, scale: number): string {
  if (value === undefined || value === null) return "";
  if (Array.isArray(value)) return value.map(String).join(", ");
  if (field.read.kind === "credits" && typeof value === "number") return formatCredits(value, scale);
  if (field.read.kind === "instant" && typeof value === "string") return isoToLocal(value);
  return typeof value === "object" ? "" : String(value);
}

/** An existing program's terms (every default spelled out, as the API answers them) as the form's values. */
export function valuesFromTerms(
  type: ProgramType,
  id: string,
  terms: { readonly [key: string]: unknown },
  scale: number,
): Values {
  // Terms arrive as the API's JSON, so reading them as JSON values is exact.
  const json = terms as JsonValue;
  const values: Record<string, string> = { id };
  if (type === "referral") {
    values["qualifyingEvent.kind"] =
      at(json, "qualifyingEvent.event") === undefined ? "first_usage" : "event";
    for (const side of ["referrer", "invitee"]) {
      const reward = at(json, `rewards.${side}.type`);
      values[`rewards.${side}.type`] = typeof reward === "string" ? reward : "none";
    }
  }
  for (const field of fieldsOf(type)) {
    if (field.steering !== true) values[field.key] = textOf(field, at(json, field.key), scale);
  }
  return values;
}

function readField(field: FieldSpec, text: string, scale: number): Checked<JsonValue> {
  const read = field.read;
  switch (read.kind) {
    case "choice":
      return read.options.some(([value]) => value === text)
        ? { ok: true, value: text }
        : { ok: false, message: "Choose one of the options" };
    case "names":
      return checkNames(text, read.pattern, LIST_MAX, read.what);
    case "whole":
      return checkWhole(text, read.min, read.max);
    case "credits":
      return checkCredits(text, scale, read.minMinor, read.maxMinor);
    case "duration":
      return checkDuration(text, read.maxSeconds, read.zero ?? "positive");
    case "instant":
      return checkInstant(text);
    case "timeZone":
      return checkTimeZone(text);
    case "name":
      return NAME_PATTERN.test(text.trim())
        ? { ok: true, value: text.trim() }
        : {
            ok: false,
            message: "Use 1 to 64 of a-z, 0-9, _ . - (lower case), starting with a letter or digit",
          };
  }
}

function put(target: { [key: string]: JsonValue }, path: string, value: JsonValue): void {
  const parts = path.split(".");
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (typeof next === "object" && next !== null && !Array.isArray(next)) node = next;
    else {
      const created: { [key: string]: JsonValue } = {};
      node[part] = created;
      node = created;
    }
  }
  node[parts[parts.length - 1] ?? path] = value;
}

export function checkProgramId(id: string): string | null {
  if (id === "") return REQUIRED;
  if (id.length > PROGRAM_ID_LENGTH_MAX || !PROGRAM_ID_PATTERN.test(id))
    return "Use 1 to 64 of a-z, 0-9, _ and -, starting with a letter or digit";
  return null;
}

/** Checks that involve more than one field: the same ones the API makes. */
function crossChecks(
  type: ProgramType,
  values: Values,
  terms: { [key: string]: JsonValue },
): Record<string, string> {
  const errors: Record<string, string> = {};
  if (type === "gifting") {
    const min = at(terms, "giftMin");
    const max = at(terms, "giftMax");
    if (typeof min === "number" && typeof max === "number" && max < min)
      errors.giftMax = "Must be at least the smallest gift";
    return errors;
  }
  const opens = at(terms, "window.opensAt");
  const closes = at(terms, "window.closesAt");
  if (typeof opens === "string" && typeof closes === "string" && Date.parse(closes) <= Date.parse(opens))
    errors["window.closesAt"] = "Must be later than the opening time";
  if (values["rewards.referrer.type"] === "none" && values["rewards.invitee.type"] === "none")
    errors["rewards.referrer.type"] = "Reward at least one side";
  return errors;
}

/** The form key for a problem the API's reader names by path (`senders.plans[2]: ...`). */
export function fieldOfPath(type: ProgramType, path: string): string {
  const plain = path.replace(/\[\d+\]/g, "");
  if (fieldsOf(type).some((field) => field.key === plain)) return plain;
  if (plain === "qualifyingEvent") return "qualifyingEvent.kind";
  if (plain.startsWith("rewards")) return `rewards.${plain.split(".")[1] ?? "referrer"}.type`;
  return "form";
}

/**
 * Where an API refusal of a program belongs: its message reads `program <id>: <path>: <problem>`
 * when the reader named a field; anything else belongs to the form as a whole.
 */
export function fieldOfApiMessage(type: ProgramType, message: string): { field: string; problem: string } {
  const match = /^(?:invalid_request: )?program [^:\s]+: ([A-Za-z][\w.[\]]*): (.+)$/.exec(message);
  if (match === null) return { field: "form", problem: message };
  return { field: fieldOfPath(type, match[1] ?? ""), problem: match[2] ?? message };
}

export interface ProgramRequestBody {
  readonly id: string;
  readonly type: ProgramType;
  readonly terms: { [key: string]: JsonValue };
}

export type ProgramFormResult =
  | { readonly ok: true; readonly request: ProgramRequestBody }
  | { readonly ok: false; readonly errors: FieldErrors };

/**
 * The request the form's values make, or what to fix, field by field. Empty optional fields are left
 * out so the API's defaults apply; fields that don't apply (a credits amount for a reset reward) are
 * neither checked nor sent.
 */
export function buildProgramRequest(type: ProgramType, values: Values, scale: number): ProgramFormResult {
  const errors: Record<string, string> = {};
  const id = (values.id ?? "").trim();
  const idProblem = checkProgramId(id);
  if (idProblem !== null) errors.id = idProblem;
  const terms: { [key: string]: JsonValue } = {};
  for (const field of activeFields(type, values)) {
    const text = (values[field.key] ?? "").trim();
    if (text === "") {
      if (field.required === true) errors[field.key] = REQUIRED;
      continue;
    }
    const read = readField(field, text, scale);
    if (!read.ok) errors[field.key] = read.message;
    else if (field.steering !== true) put(terms, field.key, read.value);
  }
  if (type === "referral") shapeReferralTerms(values, terms);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const cross = crossChecks(type, values, terms);
  if (Object.keys(cross).length > 0) return { ok: false, errors: cross };
  const final = finalCheck(type, id, terms);
  if (final !== null) return { ok: false, errors: final };
  return { ok: true, request: { id, type, terms } };
}

/** The parts of referral terms that the form steers rather than types: the qualifying event, absent rewards. */
function shapeReferralTerms(values: Values, terms: { [key: string]: JsonValue }): void {
  if (
    values["qualifyingEvent.kind"] === "first_usage" &&
    at(terms, "qualifyingEvent.firstUsage") === undefined
  )
    put(terms, "qualifyingEvent.firstUsage", {});
  for (const side of ["referrer", "invitee"]) {
    const type = values[`rewards.${side}.type`];
    if (type === "reset" || type === "credits") put(terms, `rewards.${side}.type`, type);
    else put(terms, `rewards.${side}`, null);
  }
}

/** The API's own reading of the terms: whatever it would refuse, the form refuses at the same path. */
function finalCheck(type: ProgramType, id: string, terms: { [key: string]: JsonValue }): FieldErrors | null {
  try {
    if (type === "gifting") readGiftProgram(id, 1, terms);
    else readReferralProgram(id, 1, terms);
    return null;
  } catch (error) {
    if (error instanceof PlanSpecError) return { [fieldOfPath(type, error.path)]: error.message };
    throw error;
  }
}

export interface ProgramSummary {
  readonly status: ProgramStatus;
  /** The status, or for a referral program the phase its window puts it in (scheduled, ended). */
  readonly phase: string;
  readonly opensAt: string | null;
  readonly closesAt: string | null;
}

/** Where a program stands at an instant, as the API's `programPhase` says for referral programs. */
export function summarizeProgram(
  type: ProgramType,
  terms: { readonly [key: string]: unknown },
  nowMs: number,
): ProgramSummary {
  const json = terms as JsonValue;
  const rawStatus = at(json, "status");
  const status = PROGRAM_STATUSES.find((known) => known === rawStatus) ?? "draft";
  const opens = at(json, "window.opensAt");
  const closes = at(json, "window.closesAt");
  const opensAt = type === "referral" && typeof opens === "string" ? opens : null;
  const closesAt = type === "referral" && typeof closes === "string" ? closes : null;
  let phase: string = status;
  if (status === "hidden" || status === "live") {
    if (opensAt !== null && nowMs < Date.parse(opensAt)) phase = "scheduled";
    else if (closesAt !== null && nowMs >= Date.parse(closesAt)) phase = "ended";
  }
  return { status, phase, opensAt, closesAt };
}

/** The status changes offered beside a program: the API allows any, these are the ones that make sense. */
export function statusActions(status: ProgramStatus): { label: string; status: ProgramStatus }[] {
  const actions: { label: string; status: ProgramStatus }[] = [];
  if (status !== "live") actions.push({ label: status === "ended" ? "Reopen" : "Go live", status: "live" });
  if (status === "live" || status === "hidden") actions.push({ label: "Pause", status: "draft" });
  if (status !== "ended") actions.push({ label: "End", status: "ended" });
  return actions;
}
