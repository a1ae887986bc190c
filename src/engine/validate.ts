/**
 * Checks on untrusted input, shared by the CLI and (later) the HTTP routes' schemas. Each returns an
 * `invalid_request` failure that names the field and the limit.
 */
import { fail, type Outcome, ok } from "../core/errors.js";
import { GRANTABLE_KINDS, type GrantableKind, PRIORITY_MAX, PRIORITY_MIN } from "../core/lots.js";

export const IDEMPOTENCY_KEY_LENGTH_MAX = 255;
export const CUSTOMER_ID_LENGTH_MAX = 128;
export const REASON_LENGTH_MAX = 500;
export const PAGE_SIZE_MAX = 100;
export const PAGE_SIZE_DEFAULT = 25;
/** Times must fall between 2000 and 2200: anything else is a unit mistake (seconds for ms, say). */
export const TIME_MS_MIN = Date.UTC(2000, 0, 1);
export const TIME_MS_MAX = Date.UTC(2200, 0, 1);

const PRINTABLE = /^[\x21-\x7e]+$/;

export function checkKey(key: unknown): Outcome<string> {
  if (typeof key !== "string" || key.length === 0)
    return fail("invalid_request", "an idempotency key is required");
  if (key.length > IDEMPOTENCY_KEY_LENGTH_MAX || !PRINTABLE.test(key)) {
    return fail(
      "invalid_request",
      `the idempotency key must be 1 to ${IDEMPOTENCY_KEY_LENGTH_MAX} printable ASCII characters`,
    );
  }
  return ok(key);
}

export function checkCustomerId(id: unknown): Outcome<string> {
  if (
    typeof id !== "string" ||
    id.length === 0 ||
    id.length > CUSTOMER_ID_LENGTH_MAX ||
    !PRINTABLE.test(id)
  ) {
    return fail(
      "invalid_request",
      `customerId must be 1 to ${CUSTOMER_ID_LENGTH_MAX} printable ASCII characters`,
    );
  }
  return ok(id);
}

export const PLAN_LENGTH_MAX = 64;
export const EMAIL_LENGTH_MAX = 254;
export const DISPLAY_NAME_LENGTH_MAX = 100;
export const ATTRIBUTES_BYTES_MAX = 16 * 1024;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Text the database can store: well-formed Unicode without NUL (PostgreSQL text refuses both). */
export function isStorableText(value: string): boolean {
  return !value.includes("\u0000") && !LONE_SURROGATE.test(value);
}

export function checkText(value: unknown, field: string, lengthMax: number): Outcome<string | null> {
  if (value === undefined || value === null) return ok(null);
  if (typeof value !== "string" || value.length > lengthMax) {
    return fail("invalid_request", `${field} must be text of at most ${lengthMax} characters`);
  }
  if (!isStorableText(value))
    return fail("invalid_request", `${field} must be well-formed text without NUL characters`);
  return ok(value);
}

export function checkReason(reason: unknown): Outcome<string | null> {
  return checkText(reason, "reason", REASON_LENGTH_MAX);
}

function storableDeep(value: unknown): boolean {
  if (typeof value === "string") return isStorableText(value);
  if (Array.isArray(value)) return value.every(storableDeep);
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).every(([key, inner]) => isStorableText(key) && storableDeep(inner));
  }
  return true;
}

export function checkAttributes(value: unknown): Outcome<Record<string, unknown> | null> {
  if (value === undefined) return ok(null);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail("invalid_request", "attributes must be a JSON object");
  }
  const json = JSON.stringify(value);
  if (Buffer.byteLength(json) > ATTRIBUTES_BYTES_MAX) {
    return fail("invalid_request", `attributes must be at most ${ATTRIBUTES_BYTES_MAX} bytes of JSON`);
  }
  if (!storableDeep(value))
    return fail("invalid_request", "attributes must hold well-formed text without NUL characters");
  return ok(value as Record<string, unknown>);
}

export function checkTimeMs(value: unknown, field: string): Outcome<number> {
  if (
    typeof value !== "number" ||
    !Number.isSafeInteger(value) ||
    value < TIME_MS_MIN ||
    value > TIME_MS_MAX
  ) {
    return fail("invalid_request", `${field} must be a time between 2000 and 2200`);
  }
  return ok(value);
}

export function checkOptionalTimeMs(value: unknown, field: string): Outcome<number | null> {
  return value === undefined || value === null ? ok(null) : checkTimeMs(value, field);
}

export function checkPriority(value: unknown, fallback: number): Outcome<number> {
  if (value === undefined || value === null) return ok(fallback);
  if (typeof value !== "number" || !Number.isInteger(value) || value < PRIORITY_MIN || value > PRIORITY_MAX) {
    return fail("invalid_request", `priority must be a whole number from ${PRIORITY_MIN} to ${PRIORITY_MAX}`);
  }
  return ok(value);
}

export function checkGrantableKind<K extends string = GrantableKind>(
  value: unknown,
  kinds: readonly K[] = GRANTABLE_KINDS as unknown as readonly K[],
): Outcome<K> {
  const kind = kinds.find((known) => known === value);
  if (kind === undefined) return fail("invalid_request", `kind must be one of ${kinds.join(", ")}`);
  return ok(kind);
}

export function checkWholeNumber(value: unknown, field: string, min: number, max: number): Outcome<number> {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    return fail("invalid_request", `${field} must be a whole number from ${min} to ${max}`);
  }
  return ok(value);
}

export function checkId(value: unknown, prefix: string, field: string): Outcome<string> {
  if (typeof value !== "string" || !new RegExp(`^${prefix}_[0-9a-f]{32}$`).test(value)) {
    return fail("invalid_request", `${field} must be an id like ${prefix}_0123...`);
  }
  return ok(value);
}
