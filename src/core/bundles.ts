/**
 * A bundle: a pack of credits sold for money, written as JSON and stored as versions (a purchase
 * keeps the version it was bought under, so changing a price never rewrites a past purchase).
 *
 * ```json
 * { "name": "Team pack", "credits": 5000, "bonusCredits": 500, "bonusExpiresAfter": "90d",
 *   "bonusPriority": 10, "price": 4000, "currency": "usd", "giftable": true, "status": "active" }
 * ```
 *
 * Purchased credits never expire unless `purchasedExpiresAfter` says so, and then never sooner than
 * five years: the shortest life United States law allows for purchased value.
 */
import type { JsonValue } from "./json-lines.js";
import { DEFAULT_PRIORITY, PRIORITY_MAX, PRIORITY_MIN } from "./lots.js";
import { formatDuration, object, PlanSpecError, parseDurationSeconds, whole } from "./plan-spec.js";

export const BUNDLE_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const BUNDLE_STATUSES = ["active", "retired"] as const;
export type BundleStatus = (typeof BUNDLE_STATUSES)[number];

/** A pack's credits: a billion minor units is far beyond any real pack, and keeps sums small. */
export const BUNDLE_CREDITS_MINOR_MAX = 1_000_000_000n;
/** Stripe's own ceiling for one amount, in the currency's minor units. */
export const BUNDLE_PRICE_MINOR_MAX = 99_999_999n;
export const BUNDLE_NAME_LENGTH_MAX = 100;
/** Bonus credits are promotional: they expire within ten years at most. */
export const BONUS_EXPIRY_SECONDS_MAX = 3650 * 86_400;
/**
 * Five calendar years span at most 1,827 days (two leap days), so a purchased expiry of at least this
 * many days is never shorter than five years, whenever the purchase happens.
 */
export const PURCHASED_EXPIRY_SECONDS_MIN = 1827 * 86_400;
export const PURCHASED_EXPIRY_SECONDS_MAX = 100 * 366 * 86_400;
export const CURRENCY_PATTERN = /^[a-z]{3}$/;
export const BONUS_PRIORITY_DEFAULT = DEFAULT_PRIORITY.promotional;

export interface Bundle {
  readonly id: string;
  readonly version: number;
  readonly name: string;
  readonly creditsMinor: bigint;
  readonly bonusCreditsMinor: bigint;
  /** Null only when there is no bonus. */
  readonly bonusExpiresAfterSeconds: number | null;
  readonly bonusPriority: number;
  readonly priceMinor: bigint;
  readonly currency: string;
  readonly giftable: boolean;
  readonly status: BundleStatus;
  /** Null: purchased credits never expire. */
  readonly purchasedExpiresAfterSeconds: number | null;
}

const FIELDS = [
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

function text(value: JsonValue | undefined, path: string): string {
  if (
    typeof value !== "string" ||
    value.trim().length === 0 ||
    value.length > BUNDLE_NAME_LENGTH_MAX ||
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses.
    /[\u0000-\u001f\u007f]/.test(value)
  )
    throw new PlanSpecError(
      path,
      `must be text of 1 to ${BUNDLE_NAME_LENGTH_MAX} characters, no control characters`,
    );
  return value;
}

function status(value: JsonValue | undefined): BundleStatus {
  const found = BUNDLE_STATUSES.find((known) => known === value);
  if (found === undefined) throw new PlanSpecError("status", `must be one of ${BUNDLE_STATUSES.join(", ")}`);
  return found;
}

function bonusExpiry(value: JsonValue | undefined, bonusMinor: bigint): number | null {
  if (value === undefined || value === null) {
    if (bonusMinor > 0n)
      throw new PlanSpecError(
        "bonusExpiresAfter",
        "is required when bonusCredits is above 0 (bonus credits expire)",
      );
    return null;
  }
  const seconds = parseDurationSeconds(value, "bonusExpiresAfter");
  if (seconds > BONUS_EXPIRY_SECONDS_MAX)
    throw new PlanSpecError("bonusExpiresAfter", `must be at most ${BONUS_EXPIRY_SECONDS_MAX / 86_400}d`);
  return seconds;
}

function purchasedExpiry(value: JsonValue | undefined): number | null {
  if (value === undefined || value === null) return null;
  const seconds = parseDurationSeconds(value, "purchasedExpiresAfter");
  if (seconds < PURCHASED_EXPIRY_SECONDS_MIN)
    throw new PlanSpecError(
      "purchasedExpiresAfter",
      `must be at least ${PURCHASED_EXPIRY_SECONDS_MIN / 86_400}d (five years: purchased value may not expire sooner), or null for never`,
    );
  if (seconds > PURCHASED_EXPIRY_SECONDS_MAX)
    throw new PlanSpecError(
      "purchasedExpiresAfter",
      `must be at most ${PURCHASED_EXPIRY_SECONDS_MAX / 86_400}d`,
    );
  return seconds;
}

/** Read a bundle as written; a problem names its path, e.g. `price: must be a whole number ...`. */
export function readBundle(id: string, version: number, value: JsonValue | undefined): Bundle {
  if (!BUNDLE_ID_PATTERN.test(id))
    throw new PlanSpecError("", `bundle id "${id}" must be 1 to 64 of a-z, 0-9, _ - (lower case)`);
  const spec = object(value, "", FIELDS);
  const bonusCreditsMinor = whole(spec.bonusCredits ?? 0, "bonusCredits", 0n, BUNDLE_CREDITS_MINOR_MAX);
  const currency = spec.currency;
  if (typeof currency !== "string" || !CURRENCY_PATTERN.test(currency))
    throw new PlanSpecError("currency", 'must be an ISO 4217 code in lower case, such as "usd"');
  const giftable = spec.giftable ?? false;
  if (typeof giftable !== "boolean") throw new PlanSpecError("giftable", "must be true or false");
  return {
    id,
    version,
    name: text(spec.name, "name"),
    creditsMinor: whole(spec.credits, "credits", 1n, BUNDLE_CREDITS_MINOR_MAX),
    bonusCreditsMinor,
    bonusExpiresAfterSeconds: bonusExpiry(spec.bonusExpiresAfter, bonusCreditsMinor),
    bonusPriority: Number(
      whole(
        spec.bonusPriority ?? BONUS_PRIORITY_DEFAULT,
        "bonusPriority",
        BigInt(PRIORITY_MIN),
        BigInt(PRIORITY_MAX),
      ),
    ),
    priceMinor: whole(spec.price, "price", 1n, BUNDLE_PRICE_MINOR_MAX),
    currency,
    giftable,
    status: status(spec.status ?? "active"),
    purchasedExpiresAfterSeconds: purchasedExpiry(spec.purchasedExpiresAfter),
  };
}

/** The bundle in its written form, every default spelled out: what is stored and shown. */
export function writeBundle(bundle: Bundle): { [key: string]: JsonValue } {
  const seconds = (value: number | null): JsonValue => (value === null ? null : formatDuration(value));
  return {
    name: bundle.name,
    credits: Number(bundle.creditsMinor),
    bonusCredits: Number(bundle.bonusCreditsMinor),
    bonusExpiresAfter: seconds(bundle.bonusExpiresAfterSeconds),
    bonusPriority: bundle.bonusPriority,
    price: Number(bundle.priceMinor),
    currency: bundle.currency,
    giftable: bundle.giftable,
    status: bundle.status,
    purchasedExpiresAfter: seconds(bundle.purchasedExpiresAfterSeconds),
  };
}
