/**
 * Untrusted input to the usage commands and to bulk resets: each parser checks every field, names the
 * field and its limit when one is wrong, and builds what core decides.
 */
import { fail, type Outcome, ok } from "../core/errors.js";
import { NAME_PATTERN } from "../core/plan-spec.js";
import { USAGE_QUANTITY_MAX } from "../core/usage.js";
import { RESET_SOURCES, type ResetSource } from "../core/usage-state.js";
import type { ParsedCommand } from "./commands.js";
import {
  checkCustomerId,
  checkId,
  checkKey,
  checkOptionalTimeMs,
  checkReason,
  checkText,
} from "./validate.js";

export interface AuthorizeInput {
  readonly customerId: string;
  readonly action: string;
  /** Whole units of the action; 1 when left out. */
  readonly quantity?: number | undefined;
  readonly idempotencyKey: string;
}

export interface GrantResetInput {
  readonly customerId: string;
  /** Window ids (`meter/window`) the reset restarts; every window of the plan when left out. */
  readonly windows?: readonly string[] | null | undefined;
  readonly expiresAtMs?: number | null | undefined;
  readonly source?: string | undefined;
  readonly reason?: string | null | undefined;
  readonly idempotencyKey: string;
}

export interface RedeemResetInput {
  readonly customerId: string;
  /** A particular token; the one expiring soonest when left out. */
  readonly resetId?: string | null | undefined;
  readonly idempotencyKey: string;
}

export interface BulkResetInput {
  readonly plan?: string | undefined;
  readonly customerIds?: readonly string[] | undefined;
  readonly windows?: readonly string[] | null | undefined;
  readonly actor: string;
  readonly reason: string;
  readonly idempotencyKey: string;
}

export const WINDOW_ID_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,63}\/[a-z0-9][a-z0-9_.-]{0,63}$/;
export const SCOPE_WINDOWS_MAX = 16;
export const BULK_RESET_CUSTOMERS_MAX = 100_000;
export const ACTOR_LENGTH_MAX = 200;

export function parseAuthorize(input: AuthorizeInput): Outcome<ParsedCommand> {
  const customer = checkCustomerId(input.customerId);
  if (!customer.ok) return customer;
  if (typeof input.action !== "string" || !NAME_PATTERN.test(input.action)) {
    return fail("invalid_request", "action must be 1 to 64 of a-z, 0-9, _ . - (lower case)");
  }
  const quantity = input.quantity ?? 1;
  if (
    typeof quantity !== "number" ||
    !Number.isInteger(quantity) ||
    quantity < 1 ||
    quantity > USAGE_QUANTITY_MAX
  ) {
    return fail("invalid_request", `quantity must be a whole number from 1 to ${USAGE_QUANTITY_MAX}`);
  }
  const key = checkKey(input.idempotencyKey);
  if (!key.ok) return key;
  return ok({
    command: { type: "authorize", customerId: customer.value, action: input.action, quantity },
    key: key.value,
  });
}

export function checkWindowIds(value: unknown): Outcome<readonly string[] | null> {
  if (value === undefined || value === null) return ok(null);
  if (!Array.isArray(value) || value.length === 0 || value.length > SCOPE_WINDOWS_MAX) {
    return fail(
      "invalid_request",
      `windows must list 1 to ${SCOPE_WINDOWS_MAX} window ids, or be left out for all`,
    );
  }
  for (const id of value) {
    if (typeof id !== "string" || !WINDOW_ID_PATTERN.test(id))
      return fail("invalid_request", `window ${String(id)} is not a window id like messages/5h`);
  }
  return ok([...new Set(value as string[])].sort());
}

export function parseGrantReset(input: GrantResetInput): Outcome<ParsedCommand> {
  const customer = checkCustomerId(input.customerId);
  if (!customer.ok) return customer;
  const scope = checkWindowIds(input.windows);
  if (!scope.ok) return scope;
  const expires = checkOptionalTimeMs(input.expiresAtMs, "expiresAt");
  if (!expires.ok) return expires;
  const source = input.source ?? "operator";
  if (!RESET_SOURCES.includes(source as ResetSource))
    return fail("invalid_request", `source must be one of ${RESET_SOURCES.join(", ")}`);
  const reason = checkReason(input.reason);
  if (!reason.ok) return reason;
  const key = checkKey(input.idempotencyKey);
  if (!key.ok) return key;
  return ok({
    command: {
      type: "grant_reset",
      customerId: customer.value,
      scope: scope.value,
      expiresAtMs: expires.value,
      source: source as ResetSource,
      reason: reason.value,
    },
    key: key.value,
  });
}

export function parseRedeemReset(input: RedeemResetInput): Outcome<ParsedCommand> {
  const customer = checkCustomerId(input.customerId);
  if (!customer.ok) return customer;
  const token =
    input.resetId === undefined || input.resetId === null
      ? ok(null)
      : checkId(input.resetId, "rst", "resetId");
  if (!token.ok) return token;
  const key = checkKey(input.idempotencyKey);
  if (!key.ok) return key;
  return ok({
    command: { type: "redeem_reset", customerId: customer.value, tokenId: token.value },
    key: key.value,
  });
}

export interface BulkResetRequest {
  readonly planId: string | null;
  readonly customerIds: readonly string[] | null;
  readonly windowIds: readonly string[] | null;
  readonly actor: string;
  readonly reason: string;
  readonly key: string;
}

export function parseBulkReset(input: BulkResetInput): Outcome<BulkResetRequest> {
  const hasPlan = input.plan !== undefined;
  if (hasPlan === (input.customerIds !== undefined))
    return fail("invalid_request", "name either a plan or a list of customerIds, not both");
  if (hasPlan && (typeof input.plan !== "string" || !NAME_PATTERN.test(input.plan)))
    return fail("invalid_request", "plan must be a plan id");
  const customers = input.customerIds;
  if (customers !== undefined) {
    if (!Array.isArray(customers) || customers.length === 0 || customers.length > BULK_RESET_CUSTOMERS_MAX)
      return fail("invalid_request", `customerIds must list 1 to ${BULK_RESET_CUSTOMERS_MAX} customers`);
    for (const id of customers) {
      const checked = checkCustomerId(id);
      if (!checked.ok) return checked;
    }
  }
  const windows = checkWindowIds(input.windows);
  if (!windows.ok) return windows;
  const actor = checkText(input.actor, "actor", ACTOR_LENGTH_MAX);
  if (!actor.ok) return actor;
  if (actor.value === null || actor.value.trim() === "")
    return fail("invalid_request", "actor is required: who resets");
  const reason = checkReason(input.reason);
  if (!reason.ok) return reason;
  if (reason.value === null || reason.value.trim() === "")
    return fail("invalid_request", "reason is required: why");
  const key = checkKey(input.idempotencyKey);
  if (!key.ok) return key;
  return ok({
    planId: hasPlan ? (input.plan as string) : null,
    customerIds: customers === undefined ? null : [...new Set(customers)].sort(),
    windowIds: windows.value,
    actor: actor.value,
    reason: reason.value,
    key: key.value,
  });
}
