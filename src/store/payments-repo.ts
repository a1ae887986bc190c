/**
 * The SQL of bundles and payments: bundle versions, purchases, the provider's events and payments,
 * the transfers a purchase posts (its grant and its refunds), and the revenue report's reads.
 *
 * Lock order, the same in every path: the payment's row (when an event names one), then the buyer's
 * wallet row (the lock every ledger write on that customer takes), then the gift balance, then the
 * purchase row. System accounts are never updated here: their balances are derived from entries.
 */
import type { LotKind, LotSource } from "../core/lots.js";
import type { PaymentEventOutcome, PaymentEventType } from "../core/payments.js";
import type { PurchaseState } from "../core/purchases.js";
import type { EventType } from "../core/usage-state.js";
import { jsonParam } from "./json-param.js";
import {
  currentPrograms,
  lockCurrentProgram,
  programVersion,
  putProgram,
  type StoredProgram,
} from "./programs-repo.js";
import type { Queryable } from "./store.js";

const msOrNull = (date: Date | null): number | null => (date === null ? null : date.getTime());

/** A bundle version as stored: the same shape as a program's. */
export type StoredBundle = StoredProgram;

/** Store a bundle's written form as its next version, unless it equals the current one. */
export function putBundle(
  tx: Queryable,
  id: string,
  specText: string,
  nowMs: number,
): Promise<{ version: number; created: boolean }> {
  return putProgram(tx, "bundles", id, specText, nowMs);
}

/** The current version of each bundle (or of one), by id. */
export function currentBundles(db: Queryable, id?: string): Promise<StoredBundle[]> {
  return currentPrograms(db, "bundles", id);
}

export function bundleVersion(db: Queryable, id: string, version: number): Promise<StoredBundle | null> {
  return programVersion(db, "bundles", id, version);
}

export interface PurchaseRecord {
  readonly id: string;
  readonly customerId: string;
  readonly bundleId: string;
  readonly bundleVersion: number;
  readonly asGift: boolean;
  readonly creditsMinor: bigint;
  readonly bonusMinor: bigint;
  readonly priceMinor: bigint;
  readonly currency: string;
  readonly state: PurchaseState;
  readonly idempotencyKey: string;
  readonly requestHash: string;
  readonly sessionId: string | null;
  readonly checkoutUrl: string | null;
  readonly paymentIntentId: string | null;
  readonly createdAtMs: number;
  readonly paidAtMs: number | null;
  readonly grantTransferId: string | null;
  readonly lotId: string | null;
  readonly bonusLotId: string | null;
  readonly refundedMinor: bigint;
  readonly recoveredMinor: bigint;
  readonly unrecoveredMinor: bigint;
  readonly reviewReason: string | null;
  readonly reviewOpenedAtMs: number | null;
  readonly reviewResolvedAtMs: number | null;
  readonly reviewDecision: ReviewDecision | null;
  /** When the session stops taking payment. */
  readonly checkoutExpiresAtMs: number;
  /** When the customer completed the checkout with a payment still to clear. */
  readonly sessionCompletedAtMs: number | null;
  /** The refund an operator asked the provider for. */
  readonly refundId: string | null;
}

export type ReviewDecision = "grant" | "close" | "refund";

interface PurchaseRow {
  id: string;
  customer_id: string;
  bundle_id: string;
  bundle_version: number;
  as_gift: boolean;
  credits_minor: string;
  bonus_minor: string;
  price_minor: string;
  currency: string;
  state: PurchaseState;
  idempotency_key: string;
  request_hash: string;
  session_id: string | null;
  checkout_url: string | null;
  payment_intent_id: string | null;
  created_at: Date;
  paid_at: Date | null;
  grant_transfer_id: string | null;
  lot_id: string | null;
  bonus_lot_id: string | null;
  refunded_minor: string;
  recovered_minor: string;
  unrecovered_minor: string;
  review_reason: string | null;
  review_opened_at: Date | null;
  review_resolved_at: Date | null;
  review_decision: ReviewDecision | null;
  checkout_expires_at: Date;
  session_completed_at: Date | null;
  refund_id: string | null;
}

const PURCHASE_COLUMNS = `id, customer_id, bundle_id, bundle_version, as_gift, credits_minor::text, bonus_minor::text,
  price_minor::text, currency, state, idempotency_key, request_hash, session_id, checkout_url, payment_intent_id,
  created_at, paid_at, grant_transfer_id, lot_id, bonus_lot_id, refunded_minor::text, recovered_minor::text,
  unrecovered_minor::text, review_reason, review_opened_at, review_resolved_at, review_decision, checkout_expires_at,
  session_completed_at, refund_id`;

function purchaseFromRow(row: PurchaseRow): PurchaseRecord {
  return {
    id: row.id,
    customerId: row.customer_id,
    bundleId: row.bundle_id,
    bundleVersion: row.bundle_version,
    asGift: row.as_gift,
    creditsMinor: BigInt(row.credits_minor),
    bonusMinor: BigInt(row.bonus_minor),
    priceMinor: BigInt(row.price_minor),
    currency: row.currency,
    state: row.state,
    idempotencyKey: row.idempotency_key,
    requestHash: row.request_hash,
    sessionId: row.session_id,
    checkoutUrl: row.checkout_url,
    paymentIntentId: row.payment_intent_id,
    createdAtMs: row.created_at.getTime(),
    paidAtMs: msOrNull(row.paid_at),
    grantTransferId: row.grant_transfer_id,
    lotId: row.lot_id,
    bonusLotId: row.bonus_lot_id,
    refundedMinor: BigInt(row.refunded_minor),
    recoveredMinor: BigInt(row.recovered_minor),
    unrecoveredMinor: BigInt(row.unrecovered_minor),
    reviewReason: row.review_reason,
    reviewOpenedAtMs: msOrNull(row.review_opened_at),
    reviewResolvedAtMs: msOrNull(row.review_resolved_at),
    reviewDecision: row.review_decision,
    checkoutExpiresAtMs: row.checkout_expires_at.getTime(),
    sessionCompletedAtMs: msOrNull(row.session_completed_at),
    refundId: row.refund_id,
  };
}

/** A new pending purchase; false when a purchase with this idempotency key already exists. */
export async function insertPurchase(tx: Queryable, purchase: PurchaseRecord): Promise<boolean> {
  const rows = await tx.query<{ id: string }>(
    `INSERT INTO purchases (id, customer_id, bundle_id, bundle_version, as_gift, credits_minor, bonus_minor,
       price_minor, currency, state, idempotency_key, request_hash, created_at, checkout_expires_at)
     VALUES ($1::text, $2::text, $3::text, $4::integer, $5::boolean, $6::bigint, $7::bigint, $8::bigint, $9::text,
       'pending', $10::text, $11::text, $12::timestamptz, $13::timestamptz)
     ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
    [
      purchase.id,
      purchase.customerId,
      purchase.bundleId,
      purchase.bundleVersion,
      purchase.asGift,
      purchase.creditsMinor.toString(),
      purchase.bonusMinor.toString(),
      purchase.priceMinor.toString(),
      purchase.currency,
      purchase.idempotencyKey,
      purchase.requestHash,
      new Date(purchase.createdAtMs),
      new Date(purchase.checkoutExpiresAtMs),
    ],
  );
  return rows.length === 1;
}

async function onePurchase(db: Queryable, where: string, params: readonly string[], lock = false) {
  const rows = await db.query<PurchaseRow>(
    `SELECT ${PURCHASE_COLUMNS} FROM purchases WHERE ${where} ${lock ? "FOR UPDATE" : ""}`,
    params,
  );
  return rows[0] === undefined ? null : purchaseFromRow(rows[0]);
}

export const findPurchase = (db: Queryable, id: string) => onePurchase(db, "id = $1::text", [id]);
export const lockPurchase = (tx: Queryable, id: string) => onePurchase(tx, "id = $1::text", [id], true);
export const findPurchaseByKey = (db: Queryable, key: string) =>
  onePurchase(db, "idempotency_key = $1::text", [key]);
export const findPurchaseByIntent = (db: Queryable, paymentIntentId: string) =>
  onePurchase(db, "payment_intent_id = $1::text", [paymentIntentId]);

/**
 * The purchase a completed session belongs to: the one holding the session, or else the one its
 * metadata names, if that purchase has no session yet (the checkout stopped between the provider's
 * answer and storing it).
 */
export async function findPurchaseForSession(
  db: Queryable,
  sessionId: string,
  purchaseId: string | null,
): Promise<PurchaseRecord | null> {
  const bySession = await onePurchase(db, "session_id = $1::text", [sessionId]);
  if (bySession !== null || purchaseId === null) return bySession;
  return onePurchase(db, "id = $1::text AND session_id IS NULL", [purchaseId]);
}

/** Store the provider's session on a purchase; false when another attempt stored one first. */
export async function attachSession(
  tx: Queryable,
  purchaseId: string,
  session: { sessionId: string; url: string },
): Promise<boolean> {
  const rows = await tx.query<{ id: string }>(
    `UPDATE purchases SET session_id = $2::text, checkout_url = $3::text
     WHERE id = $1::text AND session_id IS NULL RETURNING id`,
    [purchaseId, session.sessionId, session.url],
  );
  return rows.length === 1;
}

/**
 * Mark a pending purchase paid with what its grant made. Conditional on the state, so a purchase is
 * granted once whatever raced (and the unique grant, lot and session columns say so too).
 */
export async function markPaid(
  tx: Queryable,
  paid: {
    purchaseId: string;
    sessionId: string | null;
    paymentIntentId: string | null;
    grantTransferId: string;
    lotId: string | null;
    bonusLotId: string | null;
    nowMs: number;
  },
): Promise<boolean> {
  const rows = await tx.query<{ id: string }>(
    `UPDATE purchases SET state = 'paid', session_id = coalesce(session_id, $2::text),
       payment_intent_id = $3::text, grant_transfer_id = $4::text, lot_id = $5::text, bonus_lot_id = $6::text,
       paid_at = $7::timestamptz
     WHERE id = $1::text AND state IN ('pending', 'review', 'expired', 'failed') AND grant_transfer_id IS NULL
     RETURNING id`,
    [
      paid.purchaseId,
      paid.sessionId,
      paid.paymentIntentId,
      paid.grantTransferId,
      paid.lotId,
      paid.bonusLotId,
      new Date(paid.nowMs),
    ],
  );
  return rows.length === 1;
}

/** Put a purchase in the review queue, with its state (when it changes) and what the payment said. */
export async function openReview(
  tx: Queryable,
  review: {
    purchaseId: string;
    state: PurchaseState | null;
    reason: string;
    sessionId: string | null;
    paymentIntentId: string | null;
    nowMs: number;
    /** An operator's settlement stands (their own refund arriving): the reason is updated, the queue left alone. */
    keepSettled?: boolean;
  },
): Promise<void> {
  const reopen = review.keepSettled !== true;
  await tx.query(
    `UPDATE purchases SET state = coalesce($2::text, state), review_reason = $3::text,
       review_opened_at = CASE WHEN $7::boolean OR review_opened_at IS NULL THEN $6::timestamptz ELSE review_opened_at END,
       review_resolved_at = CASE WHEN $7::boolean THEN NULL ELSE review_resolved_at END,
       review_decision = CASE WHEN $7::boolean THEN NULL ELSE review_decision END,
       session_id = coalesce(session_id, $4::text), payment_intent_id = coalesce(payment_intent_id, $5::text)
     WHERE id = $1::text`,
    [
      review.purchaseId,
      review.state,
      review.reason,
      review.sessionId,
      review.paymentIntentId,
      new Date(review.nowMs),
      reopen,
    ],
  );
}

/** Add what a refund or dispute took back (and could not) to the purchase's totals. */
export async function recordTakeBack(
  tx: Queryable,
  change: {
    purchaseId: string;
    refundedMinor: bigint;
    recoveredMinor: bigint;
    unrecoveredMinor: bigint;
  },
): Promise<void> {
  await tx.query(
    `UPDATE purchases SET refunded_minor = $2::bigint, recovered_minor = recovered_minor + $3::bigint,
       unrecovered_minor = unrecovered_minor + $4::bigint
     WHERE id = $1::text`,
    [
      change.purchaseId,
      change.refundedMinor.toString(),
      change.recoveredMinor.toString(),
      change.unrecoveredMinor.toString(),
    ],
  );
}

export async function resolvePurchaseReview(
  tx: Queryable,
  purchaseId: string,
  decision: "grant" | "close",
  nowMs: number,
): Promise<void> {
  await tx.query(
    `UPDATE purchases SET review_resolved_at = $3::timestamptz, review_decision = $2::text
     WHERE id = $1::text AND review_reason IS NOT NULL AND review_resolved_at IS NULL`,
    [purchaseId, decision, new Date(nowMs)],
  );
}

/**
 * Record the refund an operator had the provider make, settling the review with it. Recorded even
 * when another operator settled the review meanwhile: the money went back, and the record says so.
 */
export async function recordOperatorRefund(
  tx: Queryable,
  purchaseId: string,
  refundId: string,
  nowMs: number,
): Promise<boolean> {
  const rows = await tx.query<{ id: string }>(
    `UPDATE purchases SET refund_id = $2::text, review_decision = 'refund',
       review_resolved_at = coalesce(review_resolved_at, $3::timestamptz)
     WHERE id = $1::text AND review_reason IS NOT NULL AND (refund_id IS NULL OR refund_id = $2::text)
     RETURNING id`,
    [purchaseId, refundId, new Date(nowMs)],
  );
  return rows.length === 1;
}

/** Note that the customer completed the checkout and a delayed payment is clearing. */
export async function markSessionCompleted(tx: Queryable, purchaseId: string, nowMs: number): Promise<void> {
  await tx.query(
    `UPDATE purchases SET session_completed_at = coalesce(session_completed_at, $2::timestamptz)
     WHERE id = $1::text`,
    [purchaseId, new Date(nowMs)],
  );
}

/** End a pending checkout unpaid (`expired` or `failed`); false when it was no longer pending. */
export async function endCheckout(
  tx: Queryable,
  purchaseId: string,
  state: "expired" | "failed",
  sessionId: string | null,
): Promise<boolean> {
  const rows = await tx.query<{ id: string }>(
    `UPDATE purchases SET state = $2::text, session_id = coalesce(session_id, $3::text)
     WHERE id = $1::text AND state = 'pending' RETURNING id`,
    [purchaseId, state, sessionId],
  );
  return rows.length === 1;
}

/**
 * Pending purchases whose checkout stopped taking payment before `beforeMs` and that no customer
 * completed: abandoned. Oldest first.
 */
export async function abandonedCheckouts(db: Queryable, beforeMs: number, limit: number): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `SELECT id FROM purchases WHERE state = 'pending' AND session_completed_at IS NULL
       AND checkout_expires_at <= $1::timestamptz
     ORDER BY checkout_expires_at, id LIMIT $2::integer`,
    [new Date(beforeMs), limit],
  );
  return rows.map((row) => row.id);
}

/** What the payment that completed a purchase's checkout amounted to, as the provider reported it. */
export async function paidAmountOf(
  db: Queryable,
  purchaseId: string,
): Promise<{ amountMinor: bigint; currency: string } | null> {
  const rows = await db.query<{ amount: string; currency: string }>(
    `SELECT amount_minor::text AS amount, currency FROM payment_events
     WHERE purchase_id = $1::text AND type = 'checkout_completed' AND outcome IN ('granted', 'review')
       AND amount_minor IS NOT NULL AND currency IS NOT NULL
     ORDER BY received_at LIMIT 1`,
    [purchaseId],
  );
  const row = rows[0];
  return row === undefined ? null : { amountMinor: BigInt(row.amount), currency: row.currency };
}

export async function purchasesOf(
  db: Queryable,
  customerId: string,
  limit: number,
): Promise<PurchaseRecord[]> {
  const rows = await db.query<PurchaseRow>(
    `SELECT ${PURCHASE_COLUMNS} FROM purchases WHERE customer_id = $1::text ORDER BY id DESC LIMIT $2::integer`,
    [customerId, limit],
  );
  return rows.map(purchaseFromRow);
}

export async function purchasesInReview(db: Queryable, limit: number): Promise<PurchaseRecord[]> {
  const rows = await db.query<PurchaseRow>(
    `SELECT ${PURCHASE_COLUMNS} FROM purchases WHERE review_reason IS NOT NULL AND review_resolved_at IS NULL
     ORDER BY id LIMIT $1::integer`,
    [limit],
  );
  return rows.map(purchaseFromRow);
}

export interface PaymentIntentRow {
  readonly id: string;
  readonly purchaseId: string | null;
  readonly refundedMinor: bigint;
  readonly refundCurrency: string | null;
  readonly disputed: boolean;
  /** How its dispute ended, as the provider said; null while none ended. */
  readonly disputeStatus: string | null;
}

/** The payment's row, made on first mention and locked: every event naming it goes one at a time. */
export async function lockPaymentIntent(tx: Queryable, id: string, nowMs: number): Promise<PaymentIntentRow> {
  await tx.query(
    `INSERT INTO payment_intents (id, created_at) VALUES ($1::text, $2::timestamptz) ON CONFLICT (id) DO NOTHING`,
    [id, new Date(nowMs)],
  );
  const rows = await tx.query<{
    id: string;
    purchase_id: string | null;
    refunded_minor: string;
    refund_currency: string | null;
    disputed: boolean;
    dispute_status: string | null;
  }>(
    `SELECT id, purchase_id, refunded_minor::text, refund_currency, disputed, dispute_status FROM payment_intents
     WHERE id = $1::text FOR UPDATE`,
    [id],
  );
  const row = rows[0];
  if (row === undefined) throw new Error(`payment ${id} vanished`);
  return {
    id: row.id,
    purchaseId: row.purchase_id,
    refundedMinor: BigInt(row.refunded_minor),
    refundCurrency: row.refund_currency,
    disputed: row.disputed,
    disputeStatus: row.dispute_status,
  };
}

/**
 * What the purchase's refunds took back and not given back since, per holding (a lot, or the gift
 * balance's account), from the transfers its events posted.
 */
export async function takenBackByHolding(db: Queryable, purchaseId: string): Promise<Map<string, bigint>> {
  const rows = await db.query<{ holding: string; taken: string }>(
    `SELECT coalesce(e.lot_id, e.account_id) AS holding, (-sum(e.amount_minor))::text AS taken
     FROM payment_events ev JOIN entries e ON e.transfer_id = ev.transfer_id JOIN accounts a ON a.id = e.account_id
     WHERE ev.purchase_id = $1::text AND a.kind IN ('wallet', 'gift_balance')
     GROUP BY 1`,
    [purchaseId],
  );
  return new Map(rows.map((row) => [row.holding, BigInt(row.taken)]));
}

/** A dispute won: what it gave back and forgave, and the state the purchase returns to. */
export async function recordRestore(
  tx: Queryable,
  change: { purchaseId: string; restoredMinor: bigint; forgivenMinor: bigint; state: "paid" | "refunded" },
): Promise<void> {
  await tx.query(
    `UPDATE purchases SET recovered_minor = recovered_minor - $2::bigint,
       unrecovered_minor = unrecovered_minor - $3::bigint, state = $4::text
     WHERE id = $1::text`,
    [change.purchaseId, change.restoredMinor.toString(), change.forgivenMinor.toString(), change.state],
  );
}

/** Keep how the payment's dispute ended. */
export async function setDisputeStatus(tx: Queryable, id: string, status: string): Promise<void> {
  await tx.query("UPDATE payment_intents SET dispute_status = $2::text WHERE id = $1::text", [id, status]);
}

/** Whether a dispute reached the payment, read without a lock. */
export async function isPaymentDisputed(db: Queryable, id: string): Promise<boolean> {
  const rows = await db.query<{ disputed: boolean }>(
    "SELECT disputed FROM payment_intents WHERE id = $1::text",
    [id],
  );
  return rows[0]?.disputed === true;
}

export async function updatePaymentIntent(tx: Queryable, intent: PaymentIntentRow): Promise<void> {
  await tx.query(
    `UPDATE payment_intents SET purchase_id = $2::text, refunded_minor = $3::bigint, refund_currency = $4::text,
       disputed = $5::boolean WHERE id = $1::text`,
    [intent.id, intent.purchaseId, intent.refundedMinor.toString(), intent.refundCurrency, intent.disputed],
  );
}

export interface PaymentEventRecord {
  readonly id: string;
  readonly type: PaymentEventType;
  readonly providerType: string | null;
  readonly outcome: PaymentEventOutcome;
  readonly purchaseId: string | null;
  readonly sessionId: string | null;
  readonly paymentIntentId: string | null;
  readonly amountMinor: bigint | null;
  readonly currency: string | null;
  readonly moneyDeltaMinor: bigint;
  readonly transferId: string | null;
  readonly happenedAtMs: number | null;
  readonly receivedAtMs: number;
}

export async function findPaymentEvent(
  db: Queryable,
  id: string,
): Promise<{ outcome: PaymentEventOutcome; purchaseId: string | null } | null> {
  const rows = await db.query<{ outcome: PaymentEventOutcome; purchase_id: string | null }>(
    "SELECT outcome, purchase_id FROM payment_events WHERE id = $1::text",
    [id],
  );
  const row = rows[0];
  return row === undefined ? null : { outcome: row.outcome, purchaseId: row.purchase_id };
}

/** Record an event; false when a concurrent transaction recorded the same id first. */
export async function insertPaymentEvent(tx: Queryable, event: PaymentEventRecord): Promise<boolean> {
  const rows = await tx.query<{ id: string }>(
    `INSERT INTO payment_events (id, type, provider_type, outcome, purchase_id, session_id, payment_intent_id,
       amount_minor, currency, money_delta_minor, transfer_id, happened_at, received_at)
     VALUES ($1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::bigint, $9::text,
       $10::bigint, $11::text, $12::timestamptz, $13::timestamptz)
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [
      event.id,
      event.type,
      event.providerType,
      event.outcome,
      event.purchaseId,
      event.sessionId,
      event.paymentIntentId,
      event.amountMinor === null ? null : event.amountMinor.toString(),
      event.currency,
      event.moneyDeltaMinor.toString(),
      event.transferId,
      event.happenedAtMs === null ? null : new Date(event.happenedAtMs),
      new Date(event.receivedAtMs),
    ],
  );
  return rows.length === 1;
}

export interface LedgerLeg {
  readonly entryId: string;
  readonly accountId: string;
  readonly customerId: string | null;
  readonly lotId: string | null;
  readonly amountMinor: bigint;
}

export interface LedgerLot {
  readonly id: string;
  readonly customerId: string;
  readonly accountId: string;
  readonly kind: LotKind;
  readonly source: LotSource;
  readonly amountMinor: bigint;
  readonly priority: number;
  readonly expiresAtMs: number | null;
  readonly policyVersion: number;
  readonly reason: string | null;
}

export interface LedgerTransfer {
  readonly id: string;
  readonly kind: "grant" | "gift_fund" | "gift_return" | "refund" | "restore";
  readonly customerId: string;
  readonly reason: string | null;
  readonly idempotencyKey: string | null;
  readonly legs: readonly LedgerLeg[];
  /** Lots this transfer creates, each credited by one of its legs. */
  readonly lots: readonly LedgerLot[];
  readonly nowMs: number;
}

/**
 * Post one balanced transfer in one statement: the transfer, the lots it creates (never
 * transferable: purchased, bonus and returned value all stay with their owner), its entries (the
 * balance trigger checks them together), every draw on an existing lot as a guarded update (never
 * more than the lot has unheld), and the balances of the wallets and gift balances it moves (their
 * `CHECK (balance >= 0)` refuses an overdraft whatever the caller decided). Throws when a draw's
 * guard refused it, so the whole transaction rolls back.
 */
export async function postLedgerTransfer(tx: Queryable, transfer: LedgerTransfer): Promise<void> {
  const at = new Date(transfer.nowMs).toISOString();
  const created = new Set(transfer.lots.map((lot) => lot.id));
  const draws = transfer.legs.filter((leg) => leg.lotId !== null && !created.has(leg.lotId));
  const rows = await tx.query<{ drawn: string }>(
    `WITH new_transfer AS (
       INSERT INTO transfers (id, kind, customer_id, reason, idempotency_key, created_at)
       VALUES ($1::text, $2::text, $3::text, $4::text, $5::text, $6::timestamptz) RETURNING 1
     ), new_lots AS (
       INSERT INTO lots (id, customer_id, account_id, kind, amount_minor, remaining_minor, held_minor, priority,
         effective_at, expires_at, transferable, source, policy_version, reason, grant_transfer_id, created_at)
       SELECT x.id, x.customer_id, x.account_id, x.kind, x.amount_minor, x.amount_minor, 0, x.priority,
         $6::timestamptz, x.expires_at, false, x.source, x.policy_version, x.reason, $1::text, $6::timestamptz
       FROM jsonb_to_recordset($7::text::jsonb) AS x(id text, customer_id text, account_id text, kind text,
         source text, amount_minor bigint, priority smallint, expires_at timestamptz, policy_version integer, reason text)
       RETURNING 1
     ), new_entries AS (
       INSERT INTO entries (id, transfer_id, account_id, customer_id, lot_id, amount_minor, created_at)
       SELECT x.id, $1::text, x.account_id, x.customer_id, x.lot_id, x.amount_minor, $6::timestamptz
       FROM jsonb_to_recordset($8::text::jsonb) AS x(id text, account_id text, customer_id text, lot_id text,
         amount_minor bigint)
       RETURNING 1
     ), drawn AS (
       UPDATE lots SET remaining_minor = lots.remaining_minor + x.amount_minor
       FROM jsonb_to_recordset($9::text::jsonb) AS x(lot_id text, amount_minor bigint)
       WHERE lots.id = x.lot_id AND lots.remaining_minor - lots.held_minor + x.amount_minor >= 0
       RETURNING 1
     ), balances AS (
       UPDATE accounts SET balance_minor = accounts.balance_minor + x.total
       FROM (SELECT account_id, sum(amount_minor) AS total
             FROM jsonb_to_recordset($8::text::jsonb) AS y(account_id text, amount_minor bigint)
             WHERE account_id NOT LIKE 'sys\\_%' GROUP BY account_id) x
       WHERE accounts.id = x.account_id
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM drawn)::text AS drawn, (SELECT count(*) FROM balances)::text AS balances,
       (SELECT count(*) FROM new_entries)::text AS entries, (SELECT count(*) FROM new_lots)::text AS lots`,
    [
      transfer.id,
      transfer.kind,
      transfer.customerId,
      transfer.reason,
      transfer.idempotencyKey,
      at,
      jsonParam(transfer.lots.map(lotJson)),
      jsonParam(
        transfer.legs.map((leg) => ({
          id: leg.entryId,
          account_id: leg.accountId,
          customer_id: leg.customerId,
          lot_id: leg.lotId,
          amount_minor: leg.amountMinor.toString(),
        })),
      ),
      jsonParam(draws.map((leg) => ({ lot_id: leg.lotId, amount_minor: leg.amountMinor.toString() }))),
    ],
  );
  const drawn = Number(rows[0]?.drawn ?? -1);
  if (drawn !== draws.length)
    throw new Error(`transfer ${transfer.id}: ${draws.length - drawn} of its draws exceeded what a lot had`);
}

const lotJson = (lot: LedgerLot) => ({
  id: lot.id,
  customer_id: lot.customerId,
  account_id: lot.accountId,
  kind: lot.kind,
  source: lot.source,
  amount_minor: lot.amountMinor.toString(),
  priority: lot.priority,
  expires_at: lot.expiresAtMs === null ? null : new Date(lot.expiresAtMs).toISOString(),
  policy_version: lot.policyVersion,
  reason: lot.reason,
});

export interface LotState {
  readonly id: string;
  readonly remainingMinor: bigint;
  readonly heldMinor: bigint;
  readonly expiresAtMs: number | null;
}

/** The current state of some lots (their wallet is locked by the caller). */
export async function lotStates(db: Queryable, lotIds: readonly string[]): Promise<Map<string, LotState>> {
  const rows = await db.query<{
    id: string;
    remaining_minor: string;
    held_minor: string;
    expires_at: Date | null;
  }>(
    `SELECT id, remaining_minor::text, held_minor::text, expires_at FROM lots
     WHERE id IN (SELECT value FROM jsonb_array_elements_text($1::text::jsonb))`,
    [jsonParam(lotIds)],
  );
  return new Map(
    rows.map((row) => [
      row.id,
      {
        id: row.id,
        remainingMinor: BigInt(row.remaining_minor),
        heldMinor: BigInt(row.held_minor),
        expiresAtMs: msOrNull(row.expires_at),
      },
    ]),
  );
}

export interface OutboxEvent {
  readonly id: string;
  readonly customerId: string;
  readonly type: Extract<EventType, `purchase.${string}`>;
  readonly payload: Readonly<Record<string, string | number | boolean | null>>;
  readonly createdAtMs: number;
}

export async function insertPurchaseEvent(tx: Queryable, event: OutboxEvent): Promise<void> {
  await tx.query(
    `INSERT INTO events (id, customer_id, type, payload, created_at)
     VALUES ($1::text, $2::text, $3::text, $4::text::jsonb, $5::timestamptz)`,
    [event.id, event.customerId, event.type, jsonParam(event.payload), new Date(event.createdAtMs)],
  );
}

export interface CurrencyBucketRow {
  readonly bucket: number;
  readonly currency: string;
  readonly amountMinor: bigint;
  readonly count: number;
}

/**
 * Money by bucket and currency: purchases paid, or refunds and disputes recorded, in `(from, to]`.
 * A bucket's index is how many bucket ends lie strictly before the instant.
 */
/** The money a report counts: prices paid, money refunded or disputed, and disputes won back. */
export type MoneyKind = "paid" | "refunds" | "disputes" | "reinstated";

/**
 * Each event's money, counted when it was received. A refund or dispute that reached a payment
 * before its completion is applied, and its money recorded, by the completion: it counts as a
 * dispute when the payment was disputed, else as a refund.
 */
const MONEY_SOURCES: Readonly<Record<MoneyKind, string>> = {
  paid: "SELECT paid_at AS at, currency, price_minor AS amount FROM purchases WHERE paid_at IS NOT NULL",
  refunds: `SELECT e.received_at AS at, p.currency, e.money_delta_minor AS amount FROM payment_events e
      JOIN purchases p ON p.id = e.purchase_id LEFT JOIN payment_intents i ON i.id = e.payment_intent_id
      WHERE e.money_delta_minor > 0
        AND (e.type = 'charge_refunded' OR (e.type = 'checkout_completed' AND i.disputed IS NOT TRUE))`,
  disputes: `SELECT e.received_at AS at, p.currency, e.money_delta_minor AS amount FROM payment_events e
      JOIN purchases p ON p.id = e.purchase_id LEFT JOIN payment_intents i ON i.id = e.payment_intent_id
      WHERE e.money_delta_minor > 0
        AND (e.type = 'dispute_created' OR (e.type = 'checkout_completed' AND i.disputed IS TRUE))`,
  reinstated: `SELECT e.received_at AS at, p.currency, e.money_delta_minor AS amount FROM payment_events e
      JOIN purchases p ON p.id = e.purchase_id WHERE e.money_delta_minor > 0 AND e.type = 'dispute_closed'`,
};

export async function moneyByBucket(
  db: Queryable,
  what: MoneyKind,
  endsMs: readonly number[],
  fromMs: number,
  toMs: number,
): Promise<CurrencyBucketRow[]> {
  const source = MONEY_SOURCES[what];
  const rows = await db.query<{ bucket: number; currency: string; amount: string; count: number }>(
    `WITH ends AS (SELECT value::timestamptz AS end_at FROM jsonb_array_elements_text($1::text::jsonb)),
     items AS (${source})
     SELECT (SELECT count(*) FROM ends WHERE ends.end_at < items.at)::integer AS bucket, currency,
       sum(amount)::text AS amount, count(*)::integer AS count
     FROM items WHERE at > $2::timestamptz AND at <= $3::timestamptz GROUP BY 1, 2 ORDER BY 1, 2`,
    [jsonParam(endsMs.map((ms) => new Date(ms).toISOString())), new Date(fromMs), new Date(toMs)],
  );
  return rows.map((row) => ({
    bucket: row.bucket,
    currency: row.currency,
    amountMinor: BigInt(row.amount),
    count: row.count,
  }));
}

/**
 * Deferred revenue at an instant, by currency: each purchase's purchased lot, unspent and unexpired
 * at that instant, valued at the purchase's price per credit (rounded down per purchase).
 */
export async function deferredAt(
  db: Queryable,
  atMs: number,
): Promise<{ currency: string; amountMinor: bigint; creditsMinor: bigint }[]> {
  const rows = await db.query<{ currency: string; amount: string; credits: string }>(
    `WITH left_at AS (
       SELECT p.currency, p.price_minor, p.credits_minor,
         coalesce((SELECT sum(e.amount_minor) FROM entries e
                   WHERE e.lot_id = p.lot_id AND e.created_at <= $1::timestamptz), 0) AS remaining
       FROM purchases p JOIN lots l ON l.id = p.lot_id
       WHERE p.paid_at <= $1::timestamptz AND (l.expires_at IS NULL OR l.expires_at > $1::timestamptz))
     SELECT currency, sum(floor(remaining::numeric * price_minor / credits_minor))::text AS amount,
       sum(remaining)::text AS credits
     FROM left_at GROUP BY currency ORDER BY currency`,
    [new Date(atMs)],
  );
  return rows.map((row) => ({
    currency: row.currency,
    amountMinor: BigInt(row.amount),
    creditsMinor: BigInt(row.credits),
  }));
}

/**
 * Deferred revenue in credits bought as gifts, at `atMs`: wherever that value sits unconsumed (the
 * buyer's gift balance, gifts sent from it still in escrow, the lots their recipients claimed, and
 * the purchased lots unclaimed gifts came back as). A gift balance pools its purchases, so each
 * buyer's outstanding credits are valued at the average price per credit of their gift purchases, by
 * currency in proportion to the credits each bought, and never at more than the money kept after
 * refunds and disputes.
 */
export async function deferredGiftsAt(
  db: Queryable,
  atMs: number,
): Promise<{ currency: string; amountMinor: bigint; creditsMinor: bigint }[]> {
  const rows = await db.query<{ currency: string; amount: string; credits: string }>(
    `WITH pools AS (
       SELECT p.customer_id AS buyer, p.currency, sum(p.price_minor) AS price, sum(p.credits_minor) AS credits,
         sum(p.price_minor) - coalesce(sum(
           (SELECT sum(ev.money_delta_minor) FROM payment_events ev
            WHERE ev.purchase_id = p.id AND ev.type IN ('charge_refunded', 'dispute_created')
              AND ev.received_at <= $1::timestamptz)), 0) AS kept
       FROM purchases p
       WHERE p.as_gift AND p.paid_at <= $1::timestamptz
       GROUP BY p.customer_id, p.currency),
     bought AS (SELECT buyer, sum(credits) AS credits FROM pools GROUP BY buyer),
     held AS (
       SELECT a.holder_customer_id AS buyer, e.amount_minor AS amount
       FROM accounts a JOIN entries e ON e.account_id = a.id
       WHERE a.kind = 'gift_balance' AND e.created_at <= $1::timestamptz
       UNION ALL
       SELECT g.sender_id, e.amount_minor
       FROM gifts g
       JOIN entries e ON e.transfer_id IN (g.send_transfer_id, g.settle_transfer_id)
       JOIN accounts a ON a.id = e.account_id AND a.kind = 'gift_escrow'
       WHERE g.source = 'gift_balance' AND e.created_at <= $1::timestamptz
       UNION ALL
       SELECT g.sender_id, e.amount_minor
       FROM gifts g
       JOIN lots l ON l.id = g.lot_id OR (g.status <> 'claimed' AND l.grant_transfer_id = g.settle_transfer_id)
       JOIN entries e ON e.lot_id = l.id
       WHERE g.source = 'gift_balance' AND e.created_at <= $1::timestamptz
         AND (l.expires_at IS NULL OR l.expires_at > $1::timestamptz)),
     outstanding AS (SELECT buyer, sum(amount) AS credits FROM held GROUP BY buyer HAVING sum(amount) > 0)
     SELECT pools.currency,
       sum(least(floor(o.credits::numeric * pools.price / bought.credits), greatest(pools.kept, 0)))::text AS amount,
       sum(floor(o.credits::numeric * pools.credits / bought.credits))::text AS credits
     FROM outstanding o JOIN pools ON pools.buyer = o.buyer JOIN bought ON bought.buyer = o.buyer
     GROUP BY pools.currency ORDER BY pools.currency`,
    [new Date(atMs)],
  );
  return rows.map((row) => ({
    currency: row.currency,
    amountMinor: BigInt(row.amount),
    creditsMinor: BigInt(row.credits),
  }));
}

/** The current version of a bundle, its row locked so that changes to it go one at a time. */
export function lockCurrentBundle(tx: Queryable, id: string): Promise<StoredBundle | null> {
  return lockCurrentProgram(tx, "bundles", id);
}
