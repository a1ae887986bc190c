/**
 * Untrusted input to commands: each parser checks every field (naming the field and its limit when one
 * is wrong) and builds the command core will decide. Pure: time-dependent checks belong to core, which
 * decides at the batch's instant, after a retried key has had its chance to replay.
 */
import type { BatchCommand } from "../core/batch.js";
import { type Failure, fail, type Outcome, ok } from "../core/errors.js";
import { type Command, HOLD_TTL_SECONDS_MAX } from "../core/ledger.js";
import { DEFAULT_PRIORITY, GRANTABLE_KINDS, type GrantableKind, type LotSource } from "../core/lots.js";
import { parseAmountMinor } from "../core/units.js";
import type { CustomerUpsert } from "../store/customers-repo.js";
import {
  checkAttributes,
  checkCustomerId,
  checkGrantableKind,
  checkId,
  checkKey,
  checkOptionalTimeMs,
  checkPriority,
  checkReason,
  checkText,
  checkWholeNumber,
  DISPLAY_NAME_LENGTH_MAX,
  EMAIL_LENGTH_MAX,
  PLAN_LENGTH_MAX,
} from "./validate.js";

type Amount = bigint | number | string;

export interface GrantInput {
  readonly customerId: string;
  readonly amountMinor: Amount;
  readonly kind: string;
  readonly priority?: number | undefined;
  readonly effectiveAtMs?: number | null | undefined;
  readonly expiresAtMs?: number | null | undefined;
  readonly transferable?: boolean | undefined;
  readonly source?: LotSource | undefined;
  readonly reason?: string | null | undefined;
  readonly idempotencyKey: string;
}

export interface ConsumeInput {
  readonly customerId: string;
  readonly amountMinor: Amount;
  readonly reason?: string | null | undefined;
  readonly idempotencyKey: string;
}

export interface HoldInput {
  readonly customerId: string;
  readonly amountMinor: Amount;
  readonly ttlSeconds: number;
  readonly idempotencyKey: string;
}

export interface CaptureInput {
  readonly holdId: string;
  readonly customerId?: string | undefined;
  readonly amountMinor?: Amount | undefined;
  readonly idempotencyKey: string;
}

export interface VoidInput {
  readonly holdId: string;
  readonly customerId?: string | undefined;
  readonly idempotencyKey: string;
}

export interface ReverseInput {
  readonly transferId: string;
  readonly reason?: string | null | undefined;
  readonly idempotencyKey: string;
}

export interface ParsedCommand {
  readonly command: BatchCommand;
  readonly key: string | null;
}

export function checkCustomer(input: CustomerUpsert): Failure | null {
  const checks = [
    checkCustomerId(input.id),
    checkText(input.plan, "plan", PLAN_LENGTH_MAX),
    checkText(input.email, "email", EMAIL_LENGTH_MAX),
    checkText(input.displayName, "displayName", DISPLAY_NAME_LENGTH_MAX),
    checkOptionalTimeMs(input.signedUpAtMs, "signedUpAt"),
    checkOptionalTimeMs(input.lastActiveAtMs, "lastActiveAt"),
    checkAttributes(input.attributes),
    input.overflowAllowed === undefined || typeof input.overflowAllowed === "boolean"
      ? ok(null)
      : fail("invalid_request", "overflowAllowed must be true or false"),
  ];
  for (const check of checks) if (!check.ok) return check.error;
  return null;
}

const parsed = (command: Command, key: string): Outcome<ParsedCommand> => ok({ command, key });

interface Spend {
  readonly customerId: string;
  readonly amountMinor: bigint;
  readonly key: string;
}

/** The three fields every write on a wallet carries: whose, how much, and the idempotency key. */
function parseSpend(input: {
  customerId: string;
  amountMinor: Amount;
  idempotencyKey: string;
}): Outcome<Spend> {
  const customer = checkCustomerId(input.customerId);
  if (!customer.ok) return customer;
  const amount = parseAmountMinor(input.amountMinor);
  if (!amount.ok) return amount;
  const key = checkKey(input.idempotencyKey);
  if (!key.ok) return key;
  return ok({ customerId: customer.value, amountMinor: amount.value, key: key.value });
}

/** A grant as clients make it; programs pass `["referral"]` to grant the one kind only they may. */
export function parseGrant(
  input: GrantInput,
  kinds: readonly (GrantableKind | "referral")[] = GRANTABLE_KINDS,
): Outcome<ParsedCommand> {
  const spend = parseSpend(input);
  if (!spend.ok) return spend;
  const kind = checkGrantableKind(input.kind, kinds);
  if (!kind.ok) return kind;
  const effective = checkOptionalTimeMs(input.effectiveAtMs, "effectiveAt");
  if (!effective.ok) return effective;
  const expires = checkOptionalTimeMs(input.expiresAtMs, "expiresAt");
  if (!expires.ok) return expires;
  const reason = checkReason(input.reason);
  if (!reason.ok) return reason;
  const priority = checkPriority(input.priority, DEFAULT_PRIORITY[kind.value]);
  if (!priority.ok) return priority;
  const transferable = input.transferable ?? false;
  if (kind.value === "purchased" && transferable)
    return fail("not_transferable", "purchased credits are never transferable");
  return parsed(
    {
      type: "grant",
      customerId: spend.value.customerId,
      amountMinor: spend.value.amountMinor,
      kind: kind.value,
      priority: priority.value,
      effectiveAtMs: effective.value,
      expiresAtMs: expires.value,
      transferable,
      source: input.source ?? (kind.value === "purchased" ? "purchase" : "operator"),
      reason: reason.value,
    },
    spend.value.key,
  );
}

export function parseConsume(input: ConsumeInput): Outcome<ParsedCommand> {
  const spend = parseSpend(input);
  if (!spend.ok) return spend;
  const reason = checkReason(input.reason);
  if (!reason.ok) return reason;
  const { customerId, amountMinor, key } = spend.value;
  return parsed({ type: "consume", customerId, amountMinor, reason: reason.value }, key);
}

export function parseHold(input: HoldInput): Outcome<ParsedCommand> {
  const spend = parseSpend(input);
  if (!spend.ok) return spend;
  const ttl = checkWholeNumber(input.ttlSeconds, "ttlSeconds", 1, HOLD_TTL_SECONDS_MAX);
  if (!ttl.ok) return ttl;
  const { customerId, amountMinor, key } = spend.value;
  return parsed({ type: "hold", customerId, amountMinor, ttlSeconds: ttl.value }, key);
}

export function parseCapture(input: CaptureInput): Outcome<ParsedCommand> {
  const hold = checkId(input.holdId, "hld", "holdId");
  if (!hold.ok) return hold;
  const amount = input.amountMinor === undefined ? ok(null) : parseAmountMinor(input.amountMinor);
  if (!amount.ok) return amount;
  const key = checkKey(input.idempotencyKey);
  if (!key.ok) return key;
  const customer = input.customerId === undefined ? ok(null) : checkCustomerId(input.customerId);
  if (!customer.ok) return customer;
  return parsed(
    { type: "capture", holdId: hold.value, customerId: customer.value, amountMinor: amount.value },
    key.value,
  );
}

export function parseVoid(input: VoidInput): Outcome<ParsedCommand> {
  const hold = checkId(input.holdId, "hld", "holdId");
  if (!hold.ok) return hold;
  const key = checkKey(input.idempotencyKey);
  if (!key.ok) return key;
  const customer = input.customerId === undefined ? ok(null) : checkCustomerId(input.customerId);
  if (!customer.ok) return customer;
  return parsed({ type: "void", holdId: hold.value, customerId: customer.value }, key.value);
}

export function parseReverse(input: ReverseInput): Outcome<ParsedCommand> {
  const transfer = checkId(input.transferId, "txn", "transferId");
  if (!transfer.ok) return transfer;
  const key = checkKey(input.idempotencyKey);
  if (!key.ok) return key;
  const reason = checkReason(input.reason);
  if (!reason.ok) return reason;
  return parsed({ type: "reverse", transferId: transfer.value, reason: reason.value }, key.value);
}
