/**
 * The one closed list of failure codes. Every expected failure anywhere in Boon carries one of these;
 * the HTTP layer maps each to a status in one exhaustive switch.
 */
export const ERROR_CODES = [
  "invalid_request",
  "unauthorized",
  "forbidden",
  "not_found",
  "idempotency_conflict",
  "insufficient_credits",
  "limit_reached",
  "not_transferable",
  "hold_not_pending",
  "hold_expired",
  "already_reversed",
  "not_reversible",
  "unknown_action",
  "no_plan",
  "reset_unavailable",
  "gift_unavailable",
  "gift_self_claim",
  "cap_exceeded",
  "not_eligible",
  "program_closed",
  "referral_self_invite",
  "rate_limited",
  "unavailable",
  "internal",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface Failure {
  readonly code: ErrorCode;
  readonly message: string;
}

export type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: Failure };

export function ok<T>(value: T): Outcome<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: ErrorCode, message: string): Outcome<T> {
  return { ok: false, error: { code, message } };
}

/**
 * A broken invariant: a programmer error, never an expected outcome. Thrown, logged, and turned into a
 * 500 by the caller; the transaction that noticed it rolls back.
 */
export class InvariantError extends Error {
  override readonly name = "InvariantError";
}

export function invariant(condition: boolean, message: string): asserts condition {
  if (!condition) throw new InvariantError(message);
}

/** A dependency (the database) failed; the caller may retry later. */
export class UnavailableError extends Error {
  override readonly name = "UnavailableError";
}
