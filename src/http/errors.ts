/**
 * The one error envelope and the one mapping from failure codes to HTTP statuses. Three kinds of
 * failure meet here: expected ones (4xx with their code), a database that is down (503 with
 * Retry-After) and broken invariants (500, logged).
 */
import type { ErrorCode, Failure } from "../core/errors.js";

export function statusOf(code: ErrorCode): 400 | 401 | 402 | 403 | 404 | 409 | 422 | 429 | 500 | 503 {
  switch (code) {
    case "invalid_request":
    case "unknown_action":
      return 400;
    case "unauthorized":
      return 401;
    case "insufficient_credits":
      return 402;
    case "forbidden":
    case "gift_self_claim":
    case "not_eligible":
    case "referral_self_invite":
      return 403;
    case "not_found":
    case "gift_unavailable":
      return 404;
    case "idempotency_conflict":
    case "hold_not_pending":
    case "hold_expired":
    case "already_reversed":
    case "not_reversible":
    case "reset_unavailable":
    case "cap_exceeded":
    case "program_closed":
      return 409;
    case "not_transferable":
    case "no_plan":
      return 422;
    case "limit_reached":
    case "rate_limited":
      return 429;
    case "unavailable":
      return 503;
    case "internal":
      return 500;
  }
}

export interface ErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string; readonly requestId: string };
}

export const errorBody = (failure: Failure, requestId: string): ErrorBody => ({
  error: { code: failure.code, message: failure.message, requestId },
});

/** Seconds a client should wait before retrying when the database is unavailable. */
export const RETRY_AFTER_SECONDS_UNAVAILABLE = 2;
