/**
 * The operator's two corrections to a wallet, as data: granting credits and reversing a transfer.
 * Both must say why (the reason is stored on the transfer, so the ledger explains itself), amounts
 * are typed in display units and sent in minor units, and the limits are the API's.
 */
import { GRANTABLE_KINDS, type GrantableKind, PRIORITY_MAX, PRIORITY_MIN } from "../../core/lots.js";
import { AMOUNT_MINOR_MAX } from "../../core/units.js";
import { checkCredits, checkInstant, checkWhole, REQUIRED } from "./form-checks.js";

/** The API's limit on a reason (REASON_LENGTH_MAX in the engine). */
export const REASON_LENGTH_MAX = 500;
/** The API's limit on a transfer id in a path. */
const TRANSFER_ID_LENGTH_MAX = 64;

export { GRANTABLE_KINDS, type GrantableKind };

export interface GrantValues {
  readonly amount: string;
  readonly kind: string;
  /** A `datetime-local` value, or empty for credits that never expire. */
  readonly expiresAt: string;
  /** Empty for the kind's default. */
  readonly priority: string;
  readonly reason: string;
}

export const GRANT_DEFAULTS: GrantValues = {
  amount: "",
  kind: "compensation",
  expiresAt: "",
  priority: "",
  reason: "",
};

export interface GrantBody {
  readonly amount: number;
  readonly kind: GrantableKind;
  readonly expiresAt?: string;
  readonly priority?: number;
  readonly reason: string;
}

export type FormOutcome<T> =
  | { readonly ok: true; readonly body: T }
  | { readonly ok: false; readonly errors: Readonly<Record<string, string>> };

export function checkReason(text: string): string | null {
  const reason = text.trim();
  if (reason === "") return "Say why: the reason is kept in the ledger";
  if (reason.length > REASON_LENGTH_MAX) return `At most ${REASON_LENGTH_MAX} characters`;
  return null;
}

/** The grant request the form makes, or what to fix; `nowMs` keeps an expiry in the past out. */
export function buildGrant(values: GrantValues, scale: number, nowMs: number): FormOutcome<GrantBody> {
  const errors: Record<string, string> = {};
  const amount =
    values.amount.trim() === "" ? null : checkCredits(values.amount, scale, 1n, AMOUNT_MINOR_MAX);
  if (amount === null) errors.amount = REQUIRED;
  else if (!amount.ok) errors.amount = amount.message;
  const kind = GRANTABLE_KINDS.find((known) => known === values.kind);
  if (kind === undefined) errors.kind = `Choose one of ${GRANTABLE_KINDS.join(", ")}`;
  let expiresAt: string | undefined;
  if (values.expiresAt.trim() !== "") {
    const instant = checkInstant(values.expiresAt);
    if (!instant.ok) errors.expiresAt = instant.message;
    else if (Date.parse(instant.value) <= nowMs) errors.expiresAt = "Must be in the future";
    else expiresAt = instant.value;
  }
  let priority: number | undefined;
  if (values.priority.trim() !== "") {
    const checked = checkWhole(values.priority, PRIORITY_MIN, PRIORITY_MAX);
    if (checked.ok) priority = checked.value;
    else errors.priority = checked.message;
  }
  const reason = checkReason(values.reason);
  if (reason !== null) errors.reason = reason;
  if (Object.keys(errors).length > 0 || amount === null || !amount.ok || kind === undefined)
    return { ok: false, errors };
  return {
    ok: true,
    body: {
      amount: amount.value,
      kind,
      reason: values.reason.trim(),
      ...(expiresAt === undefined ? {} : { expiresAt }),
      ...(priority === undefined ? {} : { priority }),
    },
  };
}

export interface ReverseValues {
  readonly transferId: string;
  readonly reason: string;
}

export function buildReverse(values: ReverseValues): FormOutcome<{ transferId: string; reason: string }> {
  const errors: Record<string, string> = {};
  const transferId = values.transferId.trim();
  if (transferId === "") errors.transferId = REQUIRED;
  else if (transferId.length > TRANSFER_ID_LENGTH_MAX) errors.transferId = "That is not a transfer id";
  const reason = checkReason(values.reason);
  if (reason !== null) errors.reason = reason;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, body: { transferId, reason: values.reason.trim() } };
}
