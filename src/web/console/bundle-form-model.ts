/**
 * The bundle form, as data: what an operator types (credits at the display scale, the price in the
 * currency's own decimals, durations like `90d`) and how it becomes the terms `PUT /v1/bundles/{id}`
 * takes. The bounds are the domain core's, and the terms built are finally read by `readBundle`, the
 * very function the API reads them with, so the form refuses exactly what the API would, sooner.
 */
import {
  BONUS_EXPIRY_SECONDS_MAX,
  BONUS_PRIORITY_DEFAULT,
  BUNDLE_CREDITS_MINOR_MAX,
  BUNDLE_ID_PATTERN,
  BUNDLE_NAME_LENGTH_MAX,
  BUNDLE_PRICE_MINOR_MAX,
  BUNDLE_STATUSES,
  type BundleStatus,
  CURRENCY_PATTERN,
  PURCHASED_EXPIRY_SECONDS_MAX,
  PURCHASED_EXPIRY_SECONDS_MIN,
  readBundle,
} from "../../core/bundles.js";
import type { JsonValue } from "../../core/json-lines.js";
import { PRIORITY_MAX, PRIORITY_MIN } from "../../core/lots.js";
import { PlanSpecError, parseDurationSeconds } from "../../core/plan-spec.js";
import { formatCredits } from "../lib/format.js";
import { currencyDigits } from "../lib/money.js";
import { type Checked, checkCredits, checkDuration, checkWhole, REQUIRED } from "./form-checks.js";

export type BundleValues = Readonly<Record<BundleField, string>>;
export type BundleErrors = Readonly<Partial<Record<BundleField | "form", string>>>;

export const BUNDLE_FIELDS = [
  "id",
  "name",
  "credits",
  "bonusCredits",
  "bonusExpiresAfter",
  "bonusPriority",
  "price",
  "currency",
  "giftable",
  "status",
  "purchasedExpiresAfter",
] as const;
export type BundleField = (typeof BUNDLE_FIELDS)[number];

const SECONDS_PER_DAY = 86_400;
export const CURRENCY_DEFAULT = "usd";

/** The terms as `PUT /v1/bundles/{id}` takes them; empty optional fields are left to the API's defaults. */
export interface BundleTermsBody {
  name: string;
  credits: number;
  bonusCredits?: number;
  bonusExpiresAfter?: string | null;
  bonusPriority?: number;
  price: number;
  currency: string;
  giftable: boolean;
  status: BundleStatus;
  purchasedExpiresAfter?: string | null;
}

export type BundleFormResult =
  | { readonly ok: true; readonly id: string; readonly terms: BundleTermsBody }
  | { readonly ok: false; readonly errors: BundleErrors };

/** A new bundle's form: the API's defaults spelled out. */
export function defaultBundleValues(): BundleValues {
  return {
    id: "",
    name: "",
    credits: "",
    bonusCredits: "0",
    bonusExpiresAfter: "",
    bonusPriority: String(BONUS_PRIORITY_DEFAULT),
    price: "",
    currency: CURRENCY_DEFAULT,
    giftable: "no",
    status: "active",
    purchasedExpiresAfter: "",
  };
}

/** A stored bundle (as the API answers it) as the form's values. */
export function valuesFromBundle(
  bundle: {
    readonly id: string;
    readonly name: string;
    readonly credits: number;
    readonly bonusCredits: number;
    readonly bonusExpiresAfter: string | null;
    readonly bonusPriority: number;
    readonly price: number;
    readonly currency: string;
    readonly giftable: boolean;
    readonly status: BundleStatus;
    readonly purchasedExpiresAfter: string | null;
  },
  scale: number,
): BundleValues {
  return {
    id: bundle.id,
    name: bundle.name,
    credits: formatCredits(bundle.credits, scale),
    bonusCredits: formatCredits(bundle.bonusCredits, scale),
    bonusExpiresAfter: bundle.bonusExpiresAfter ?? "",
    bonusPriority: String(bundle.bonusPriority),
    price: priceText(bundle.price, bundle.currency),
    currency: bundle.currency,
    giftable: bundle.giftable ? "yes" : "no",
    status: bundle.status,
    purchasedExpiresAfter: bundle.purchasedExpiresAfter ?? "",
  };
}

/** A price in minor units as typed in the form: `4000` usd is `40.00`, `500` jpy is `500`. */
export function priceText(minor: number, currency: string): string {
  const digits = CURRENCY_PATTERN.test(currency) ? currencyDigits(currency) : 2;
  const text = String(minor).padStart(digits + 1, "0");
  return digits === 0 ? text : `${text.slice(0, text.length - digits)}.${text.slice(text.length - digits)}`;
}

/**
 * A price typed in the currency's own decimals (`40`, `40.5`, `40.00` usd; `500` jpy) as minor
 * units, from 1 to the provider's ceiling.
 */
export function parsePrice(text: string, currency: string): Checked<number> {
  const digits = currencyDigits(currency);
  const code = currency.toUpperCase();
  const trimmed = text.trim().replaceAll(",", "");
  if (trimmed === "") return { ok: false, message: REQUIRED };
  const match = /^(\d+)(?:\.(\d*))?$/.exec(trimmed);
  if (match === null)
    return {
      ok: false,
      message: `Enter an amount in ${code}, like ${priceText(1000 * 10 ** digits, currency)}`,
    };
  const fraction = match[2] ?? "";
  if (fraction.length > digits)
    return {
      ok: false,
      message:
        digits === 0
          ? `${code} has no smaller unit: enter a whole amount`
          : `${code} has ${digits} decimal places at most`,
    };
  const minor = BigInt(`${match[1] ?? "0"}${fraction.padEnd(digits, "0")}`);
  if (minor < 1n) return { ok: false, message: `Enter at least ${priceText(1, currency)}` };
  if (minor > BUNDLE_PRICE_MINOR_MAX)
    return { ok: false, message: `Enter at most ${priceText(Number(BUNDLE_PRICE_MINOR_MAX), currency)}` };
  return { ok: true, value: Number(minor) };
}

/** A duration within [minSeconds, maxSeconds], said in days as the API says it. */
function checkDurationBetween(text: string, minSeconds: number, maxSeconds: number): Checked<string> {
  const checked = checkDuration(text, maxSeconds);
  if (!checked.ok) return checked;
  const seconds = parseDurationSeconds(checked.value, "duration");
  if (seconds < minSeconds)
    return {
      ok: false,
      message: `At least ${minSeconds / SECONDS_PER_DAY}d (five years: purchased value may not expire sooner); empty for never`,
    };
  return checked;
}

export function checkBundleId(id: string): string | null {
  if (id === "") return REQUIRED;
  if (!BUNDLE_ID_PATTERN.test(id)) return "Use 1 to 64 of a-z, 0-9, _ and -, starting with a letter or digit";
  return null;
}

function checkName(text: string): Checked<string> {
  if (text.trim() === "") return { ok: false, message: REQUIRED };
  if (text.length > BUNDLE_NAME_LENGTH_MAX)
    return { ok: false, message: `At most ${BUNDLE_NAME_LENGTH_MAX} characters` };
  return { ok: true, value: text.trim() };
}

/** One field's reading; each problem is recorded under its field. */
class Reader {
  readonly errors: Partial<Record<BundleField | "form", string>> = {};
  constructor(private readonly values: BundleValues) {}

  text(field: BundleField): string {
    return (this.values[field] ?? "").trim();
  }

  read<T>(field: BundleField, check: (text: string) => Checked<T>): T | undefined {
    const checked = check(this.text(field));
    if (checked.ok) return checked.value;
    this.errors[field] = checked.message;
    return undefined;
  }

  /** An optional field: empty is `undefined` (the API's default), anything else is checked. */
  optional<T>(field: BundleField, check: (text: string) => Checked<T>): T | undefined {
    return this.text(field) === "" ? undefined : this.read(field, check);
  }
}

const creditsBetween = (scale: number, minMinor: bigint) => (text: string) =>
  text === ""
    ? ({ ok: false, message: REQUIRED } as const)
    : checkCredits(text, scale, minMinor, BUNDLE_CREDITS_MINOR_MAX);

function readCurrency(text: string): Checked<string> {
  const code = text.trim().toLowerCase();
  if (code === "") return { ok: false, message: REQUIRED };
  return CURRENCY_PATTERN.test(code)
    ? { ok: true, value: code }
    : { ok: false, message: "Enter a three-letter ISO 4217 code, such as usd or eur" };
}

function readChoice<T extends string>(options: readonly T[]) {
  return (text: string): Checked<T> => {
    const found = options.find((option) => option === text);
    return found === undefined
      ? { ok: false, message: "Choose one of the options" }
      : { ok: true, value: found };
  };
}

/**
 * The request the form's values make, or what to fix, field by field. Empty optional fields are left
 * out, so the API's defaults apply.
 */
export function buildBundleRequest(values: BundleValues, scale: number): BundleFormResult {
  const reader = new Reader(values);
  const id = reader.text("id");
  const idProblem = checkBundleId(id);
  if (idProblem !== null) reader.errors.id = idProblem;
  const name = reader.read("name", checkName);
  const credits = reader.read("credits", creditsBetween(scale, 1n));
  const bonusCredits = reader.optional("bonusCredits", creditsBetween(scale, 0n));
  const bonusExpiresAfter = reader.optional("bonusExpiresAfter", (text) =>
    checkDuration(text, BONUS_EXPIRY_SECONDS_MAX),
  );
  if ((bonusCredits ?? 0) > 0 && reader.text("bonusExpiresAfter") === "")
    reader.errors.bonusExpiresAfter = "Required with bonus credits: bonus credits expire";
  const bonusPriority = reader.optional("bonusPriority", (text) =>
    checkWhole(text, PRIORITY_MIN, PRIORITY_MAX),
  );
  const currency = reader.read("currency", readCurrency);
  // Without a currency the price's decimals are unknown: only its absence can be said.
  const price = reader.read("price", (text): Checked<number | undefined> => {
    if (currency !== undefined) return parsePrice(text, currency);
    return text === "" ? { ok: false, message: REQUIRED } : { ok: true, value: undefined };
  });
  const giftable = reader.read("giftable", readChoice(["yes", "no"] as const));
  const status = reader.read("status", readChoice(BUNDLE_STATUSES));
  const purchasedExpiresAfter = reader.optional("purchasedExpiresAfter", (text) =>
    checkDurationBetween(text, PURCHASED_EXPIRY_SECONDS_MIN, PURCHASED_EXPIRY_SECONDS_MAX),
  );
  if (
    Object.keys(reader.errors).length > 0 ||
    name === undefined ||
    credits === undefined ||
    price === undefined ||
    currency === undefined ||
    giftable === undefined ||
    status === undefined
  )
    return { ok: false, errors: reader.errors };
  const terms: BundleTermsBody = {
    name,
    credits,
    ...(bonusCredits === undefined ? {} : { bonusCredits }),
    ...(bonusExpiresAfter === undefined ? {} : { bonusExpiresAfter }),
    ...(bonusPriority === undefined ? {} : { bonusPriority }),
    price,
    currency,
    giftable: giftable === "yes",
    status,
    ...(purchasedExpiresAfter === undefined ? {} : { purchasedExpiresAfter }),
  };
  const final = finalCheck(id, terms);
  return final === null ? { ok: true, id, terms } : { ok: false, errors: final };
}

/** The API's own reading of the terms: whatever it would refuse, the form refuses at the same field. */
function finalCheck(id: string, terms: BundleTermsBody): BundleErrors | null {
  try {
    readBundle(id, 1, terms as unknown as JsonValue);
    return null;
  } catch (error) {
    if (error instanceof PlanSpecError) return { [fieldOfPath(error.path)]: error.problem };
    throw error;
  }
}

function fieldOfPath(path: string): BundleField | "form" {
  if (path === "") return "id";
  return BUNDLE_FIELDS.find((field) => field === path) ?? "form";
}

/**
 * Where an API refusal of a bundle belongs: its message reads `bundle <id>: <path>: <problem>` when
 * the reader named a field; anything else belongs to the form as a whole.
 */
export function fieldOfBundleMessage(message: string): { field: BundleField | "form"; problem: string } {
  const match = /^(?:invalid_request: )?bundle [^:\s]+: ([A-Za-z]\w*): (.+)$/.exec(message);
  if (match === null) return { field: "form", problem: message };
  const field = fieldOfPath(match[1] ?? "");
  return { field, problem: field === "form" ? message : (match[2] ?? message) };
}
