/**
 * The SQL of gifting. Gifts are rare next to usage, so each operation is its own short transaction:
 * lock the customer's wallet row (the lock every ledger write on that customer takes), then the gift
 * row, then post the transfer; system accounts are updated last, as everywhere.
 */

import type { GiftSource, GiftStatus, RecipientSegment, Signals } from "../core/gifts.js";
import type { EventType } from "../core/usage-state.js";
import { jsonParam } from "./json-param.js";
import type { Queryable } from "./store.js";

export interface PartyRow {
  readonly id: string;
  readonly accountId: string;
  readonly plan: string | null;
  readonly email: string | null;
  readonly displayName: string | null;
  readonly cohorts: readonly string[];
  readonly signedUpAtMs: number;
  readonly lastActiveAtMs: number | null;
}

/**
 * A customer as gifts and referrals see them (plan, cohorts, email, signup and activity), with their
 * wallet row locked, so every gift or referral write on a customer goes one at a time; `read` skips
 * the lock, for views.
 */
export async function lockParty(
  tx: Queryable,
  customerId: string,
  lock: "lock" | "read" = "lock",
): Promise<PartyRow | null> {
  const rows = await tx.query<{
    id: string;
    account_id: string;
    plan: string | null;
    email: string | null;
    display_name: string | null;
    cohorts: unknown;
    signed_up_at: Date;
    last_active_at: Date | null;
  }>(
    `SELECT c.id, a.id AS account_id, c.plan, c.email, c.display_name, c.attributes -> 'cohorts' AS cohorts, c.signed_up_at, c.last_active_at
     FROM accounts a JOIN customers c ON c.id = a.customer_id
     WHERE a.customer_id = $1::text ${lock === "lock" ? "FOR UPDATE OF a" : ""}`,
    [customerId],
  );
  const row = rows[0];
  if (row === undefined) return null;
  const cohorts = typeof row.cohorts === "string" ? JSON.parse(row.cohorts) : row.cohorts;
  return {
    id: row.id,
    accountId: row.account_id,
    plan: row.plan,
    email: row.email,
    displayName: row.display_name,
    cohorts: Array.isArray(cohorts) ? cohorts.filter((c): c is string => typeof c === "string") : [],
    signedUpAtMs: row.signed_up_at.getTime(),
    lastActiveAtMs: row.last_active_at?.getTime() ?? null,
  };
}

export async function allowanceUsage(
  db: Queryable,
  senderId: string,
  programId: string,
  periodStartMs: number,
): Promise<{ usedMinor: bigint; sentCount: number }> {
  const rows = await db.query<{ used_minor: string; sent_count: number }>(
    `SELECT used_minor::text, sent_count FROM gift_allowance_usage
     WHERE sender_id = $1::text AND program_id = $2::text AND period_start = $3::timestamptz`,
    [senderId, programId, new Date(periodStartMs)],
  );
  const row = rows[0];
  return row === undefined
    ? { usedMinor: 0n, sentCount: 0 }
    : { usedMinor: BigInt(row.used_minor), sentCount: row.sent_count };
}

/** The customer's gift balance account and what it holds, locked; null when they never had one. */
export async function lockGiftBalance(
  tx: Queryable,
  customerId: string,
  lock: "lock" | "read" = "lock",
): Promise<{ accountId: string; balanceMinor: bigint } | null> {
  const rows = await tx.query<{ id: string; balance_minor: string }>(
    `SELECT id, balance_minor::text FROM accounts WHERE holder_customer_id = $1::text ${lock === "lock" ? "FOR UPDATE" : ""}`,
    [customerId],
  );
  const row = rows[0];
  return row === undefined ? null : { accountId: row.id, balanceMinor: BigInt(row.balance_minor) };
}

/** The customer's gift balance account, opened on first use. */
export async function ensureGiftBalance(
  tx: Queryable,
  customerId: string,
  newAccountId: string,
  nowMs: number,
): Promise<{ accountId: string; balanceMinor: bigint }> {
  await tx.query(
    `INSERT INTO accounts (id, kind, holder_customer_id, created_at)
     VALUES ($1::text, 'gift_balance', $2::text, $3::timestamptz) ON CONFLICT (holder_customer_id) DO NOTHING`,
    [newAccountId, customerId, new Date(nowMs)],
  );
  const found = await lockGiftBalance(tx, customerId);
  if (found === null) throw new Error(`gift balance of ${customerId} vanished`);
  return found;
}

export interface PostedLeg {
  readonly accountId: string;
  readonly customerId: string | null;
  readonly lotId: string | null;
  readonly amountMinor: bigint;
}

export interface NewLot {
  readonly id: string;
  readonly customerId: string;
  readonly accountId: string;
  readonly amountMinor: bigint;
  readonly priority: number;
  readonly expiresAtMs: number | null;
  readonly policyVersion: number;
  readonly reason: string | null;
}

export interface GiftTransfer {
  readonly id: string;
  readonly kind: "gift_fund" | "gift_send" | "gift_claim" | "gift_return";
  readonly customerId: string;
  readonly reason: string | null;
  readonly idempotencyKey: string | null;
  /** Every gift transfer has two legs: `amountMinor` leaves `from` and arrives at `to`. */
  readonly from: string;
  readonly to: {
    readonly accountId: string;
    readonly customerId: string | null;
    readonly lotId: string | null;
  };
  readonly amountMinor: bigint;
  readonly entryIds: readonly [string, string];
  /** The gifted lot a claim creates, credited by this transfer. */
  readonly lot: NewLot | null;
  readonly nowMs: number;
}

/**
 * Post one balanced transfer: the transfer row, its entries in one statement (the balance trigger
 * checks them together), the lot a claim creates, and every account's balance. The wallet and gift
 * balance guards (`CHECK balance >= 0`) refuse an overdraft whatever the caller checked.
 */
export async function postGiftTransfer(tx: Queryable, transfer: GiftTransfer): Promise<void> {
  const at = new Date(transfer.nowMs).toISOString();
  const lot = transfer.lot;
  await tx.query(
    `WITH new_transfer AS (
       INSERT INTO transfers (id, kind, customer_id, reason, idempotency_key, created_at)
       VALUES ($1::text, $2::text, $3::text, $4::text, $5::text, $6::timestamptz) RETURNING 1
     ), new_lot AS (
       INSERT INTO lots (id, customer_id, account_id, kind, amount_minor, remaining_minor, held_minor, priority,
         effective_at, expires_at, transferable, source, policy_version, reason, grant_transfer_id, created_at)
       SELECT x.id, x.customer_id, x.account_id, 'gifted', x.amount_minor, x.amount_minor, 0, x.priority,
         $6::timestamptz, x.expires_at, false, 'gift', x.policy_version, x.reason, $1::text, $6::timestamptz
       FROM jsonb_to_recordset($7::text::jsonb) AS x(id text, customer_id text, account_id text, amount_minor bigint,
         priority smallint, expires_at timestamptz, policy_version integer, reason text)
       RETURNING 1
     ), new_entries AS (
       INSERT INTO entries (id, transfer_id, account_id, customer_id, lot_id, amount_minor, created_at)
       SELECT x.id, $1::text, x.account_id, x.customer_id, x.lot_id, x.amount_minor, $6::timestamptz
       FROM jsonb_to_recordset($8::text::jsonb) AS x(id text, account_id text, customer_id text, lot_id text,
         amount_minor bigint)
       RETURNING 1
     )
     UPDATE accounts SET balance_minor = accounts.balance_minor + x.amount_minor
     FROM jsonb_to_recordset($8::text::jsonb) AS x(account_id text, amount_minor bigint)
     WHERE accounts.id = x.account_id`,
    [
      transfer.id,
      transfer.kind,
      transfer.customerId,
      transfer.reason,
      transfer.idempotencyKey,
      at,
      jsonParam(
        lot === null
          ? []
          : [
              {
                id: lot.id,
                customer_id: lot.customerId,
                account_id: lot.accountId,
                amount_minor: lot.amountMinor.toString(),
                priority: lot.priority,
                expires_at: lot.expiresAtMs === null ? null : new Date(lot.expiresAtMs).toISOString(),
                policy_version: lot.policyVersion,
                reason: lot.reason,
              },
            ],
      ),
      jsonParam(
        legsOf(transfer).map((leg, index) => ({
          id: transfer.entryIds[index],
          account_id: leg.accountId,
          customer_id: leg.customerId,
          lot_id: leg.lotId,
          amount_minor: leg.amountMinor.toString(),
        })),
      ),
    ],
  );
}

function legsOf(transfer: GiftTransfer): PostedLeg[] {
  return [
    { accountId: transfer.from, customerId: null, lotId: null, amountMinor: -transfer.amountMinor },
    { ...transfer.to, amountMinor: transfer.amountMinor },
  ];
}

export interface GiftRecord {
  readonly id: string;
  readonly programId: string;
  readonly programVersion: number;
  readonly senderId: string;
  readonly source: GiftSource;
  readonly amountMinor: bigint;
  readonly code: string;
  readonly secret: string;
  readonly message: string | null;
  readonly recipientEmail: string | null;
  readonly status: GiftStatus;
  readonly periodStartMs: number;
  readonly expiresAtMs: number;
  readonly createdAtMs: number;
  readonly recipientId: string | null;
  readonly recipientSegment: RecipientSegment | null;
  readonly claimedAtMs: number | null;
  readonly resolvedAtMs: number | null;
  readonly lotId: string | null;
  readonly sendTransferId: string;
  readonly settleTransferId: string | null;
  readonly senderSignals: Signals | null;
  readonly reviewReason: string | null;
}

interface GiftRow {
  id: string;
  program_id: string;
  program_version: number;
  sender_id: string;
  source: GiftSource;
  amount_minor: string;
  code: string;
  secret: string;
  message: string | null;
  recipient_email: string | null;
  status: GiftStatus;
  period_start: Date;
  expires_at: Date;
  created_at: Date;
  recipient_id: string | null;
  recipient_segment: RecipientSegment | null;
  claimed_at: Date | null;
  resolved_at: Date | null;
  lot_id: string | null;
  send_transfer_id: string;
  settle_transfer_id: string | null;
  sender_signals: unknown;
  review_reason: string | null;
}

const GIFT_COLUMNS = `id, program_id, program_version, sender_id, source, amount_minor::text, code, secret, message,
  recipient_email, status, period_start, expires_at, created_at, recipient_id, recipient_segment, claimed_at,
  resolved_at, lot_id, send_transfer_id, settle_transfer_id, sender_signals, review_reason`;

const msOrNull = (date: Date | null): number | null => (date === null ? null : date.getTime());

function giftFromRow(row: GiftRow): GiftRecord {
  const signals =
    typeof row.sender_signals === "string" ? JSON.parse(row.sender_signals) : row.sender_signals;
  return {
    id: row.id,
    programId: row.program_id,
    programVersion: row.program_version,
    senderId: row.sender_id,
    source: row.source,
    amountMinor: BigInt(row.amount_minor),
    code: row.code,
    secret: row.secret,
    message: row.message,
    recipientEmail: row.recipient_email,
    status: row.status,
    periodStartMs: row.period_start.getTime(),
    expiresAtMs: row.expires_at.getTime(),
    createdAtMs: row.created_at.getTime(),
    recipientId: row.recipient_id,
    recipientSegment: row.recipient_segment,
    claimedAtMs: msOrNull(row.claimed_at),
    resolvedAtMs: msOrNull(row.resolved_at),
    lotId: row.lot_id,
    sendTransferId: row.send_transfer_id,
    settleTransferId: row.settle_transfer_id,
    senderSignals: (signals as Signals | null) ?? null,
    reviewReason: row.review_reason,
  };
}

export async function insertGift(tx: Queryable, gift: GiftRecord): Promise<void> {
  await tx.query(
    `INSERT INTO gifts (id, program_id, program_version, sender_id, source, amount_minor, code, secret, message,
       recipient_email, status, period_start, expires_at, created_at, send_transfer_id, sender_signals)
     VALUES ($1::text, $2::text, $3::integer, $4::text, $5::text, $6::bigint, $7::text, $8::text, $9::text,
       $10::text, 'pending', $11::timestamptz, $12::timestamptz, $13::timestamptz, $14::text, $15::text::jsonb)`,
    [
      gift.id,
      gift.programId,
      gift.programVersion,
      gift.senderId,
      gift.source,
      gift.amountMinor.toString(),
      gift.code,
      gift.secret,
      gift.message,
      gift.recipientEmail,
      new Date(gift.periodStartMs),
      new Date(gift.expiresAtMs),
      new Date(gift.createdAtMs),
      gift.sendTransferId,
      gift.senderSignals === null ? null : jsonParam(gift.senderSignals),
    ],
  );
}

/** Add a gift to the sender's use of the program this period. */
export async function recordAllowanceUse(
  tx: Queryable,
  gift: { senderId: string; programId: string; periodStartMs: number; allowanceMinor: bigint },
): Promise<void> {
  await tx.query(
    `INSERT INTO gift_allowance_usage (sender_id, program_id, period_start, used_minor, sent_count)
     VALUES ($1::text, $2::text, $3::timestamptz, $4::bigint, 1)
     ON CONFLICT (sender_id, program_id, period_start) DO UPDATE
     SET used_minor = gift_allowance_usage.used_minor + EXCLUDED.used_minor,
         sent_count = gift_allowance_usage.sent_count + 1`,
    [gift.senderId, gift.programId, new Date(gift.periodStartMs), gift.allowanceMinor.toString()],
  );
}

/** Give a returned allowance gift's value back to the period it came from. */
export async function returnAllowance(
  tx: Queryable,
  gift: { senderId: string; programId: string; periodStartMs: number; amountMinor: bigint },
): Promise<void> {
  await tx.query(
    `UPDATE gift_allowance_usage SET used_minor = used_minor - $4::bigint
     WHERE sender_id = $1::text AND program_id = $2::text AND period_start = $3::timestamptz`,
    [gift.senderId, gift.programId, new Date(gift.periodStartMs), gift.amountMinor.toString()],
  );
}

/** Find a gift by its code or its link secret, locked for the claim or the return that follows. */
export async function lockGiftByHandle(
  tx: Queryable,
  handle: { code: string } | { secret: string },
): Promise<GiftRecord | null> {
  const [column, value] = "code" in handle ? ["code", handle.code] : ["secret", handle.secret];
  const rows = await tx.query<GiftRow>(
    `SELECT ${GIFT_COLUMNS} FROM gifts WHERE ${column} = $1::text FOR UPDATE`,
    [value],
  );
  return rows[0] === undefined ? null : giftFromRow(rows[0]);
}

export async function lockGift(tx: Queryable, giftId: string): Promise<GiftRecord | null> {
  const rows = await tx.query<GiftRow>(`SELECT ${GIFT_COLUMNS} FROM gifts WHERE id = $1::text FOR UPDATE`, [
    giftId,
  ]);
  return rows[0] === undefined ? null : giftFromRow(rows[0]);
}

export async function findGiftByHandle(
  db: Queryable,
  handle: { code: string } | { secret: string },
): Promise<(GiftRecord & { senderName: string | null }) | null> {
  const [column, value] = "code" in handle ? ["code", handle.code] : ["secret", handle.secret];
  const rows = await db.query<GiftRow & { sender_name: string | null }>(
    `SELECT ${GIFT_COLUMNS}, (SELECT display_name FROM customers WHERE id = gifts.sender_id) AS sender_name
     FROM gifts WHERE ${column} = $1::text`,
    [value],
  );
  const row = rows[0];
  return row === undefined ? null : { ...giftFromRow(row), senderName: row.sender_name };
}

/** How many gifts of a program a recipient holds: claimed or in review, this period and ever. */
export async function recipientCounts(
  db: Queryable,
  recipientId: string,
  programId: string,
  periodStartMs: number,
): Promise<{ thisPeriod: number; ever: number }> {
  const rows = await db.query<{ this_period: number; ever: number }>(
    `SELECT count(*) FILTER (WHERE claimed_at >= $3::timestamptz)::integer AS this_period, count(*)::integer AS ever
     FROM gifts WHERE recipient_id = $1::text AND program_id = $2::text AND status IN ('claimed', 'review')`,
    [recipientId, programId, new Date(periodStartMs)],
  );
  return { thisPeriod: rows[0]?.this_period ?? 0, ever: rows[0]?.ever ?? 0 };
}

export interface GiftSettlement {
  readonly id: string;
  readonly status: GiftStatus;
  readonly recipientId: string | null;
  readonly recipientSegment: RecipientSegment | null;
  readonly claimedAtMs: number | null;
  readonly resolvedAtMs: number | null;
  readonly lotId: string | null;
  readonly settleTransferId: string | null;
  readonly reviewReason: string | null;
}

export async function updateGift(tx: Queryable, change: GiftSettlement): Promise<GiftRecord> {
  const rows = await tx.query<GiftRow>(
    `UPDATE gifts SET status = $2::text, recipient_id = $3::text, recipient_segment = $4::text,
       claimed_at = $5::timestamptz, resolved_at = $6::timestamptz, lot_id = $7::text,
       settle_transfer_id = $8::text, review_reason = $9::text
     WHERE id = $1::text RETURNING ${GIFT_COLUMNS}`,
    [
      change.id,
      change.status,
      change.recipientId,
      change.recipientSegment,
      change.claimedAtMs === null ? null : new Date(change.claimedAtMs),
      change.resolvedAtMs === null ? null : new Date(change.resolvedAtMs),
      change.lotId,
      change.settleTransferId,
      change.reviewReason,
    ],
  );
  if (rows[0] === undefined) throw new Error(`gift ${change.id} vanished`);
  return giftFromRow(rows[0]);
}

export interface GiftEventDraft {
  readonly id: string;
  readonly customerId: string;
  readonly type: EventType;
  readonly payload: Readonly<Record<string, string | number | boolean | null>>;
  readonly createdAtMs: number;
}

export async function insertGiftEvent(tx: Queryable, event: GiftEventDraft): Promise<void> {
  await tx.query(
    `INSERT INTO events (id, customer_id, type, payload, created_at)
     VALUES ($1::text, $2::text, $3::text, $4::text::jsonb, $5::timestamptz)`,
    [event.id, event.customerId, event.type, jsonParam(event.payload), new Date(event.createdAtMs)],
  );
}

/** A customer's gifts, sent or received, newest first. */
export async function giftsOf(
  db: Queryable,
  customerId: string,
  side: "sent" | "received",
  limit: number,
): Promise<GiftRecord[]> {
  const column = side === "sent" ? "sender_id" : "recipient_id";
  const rows = await db.query<GiftRow>(
    `SELECT ${GIFT_COLUMNS} FROM gifts WHERE ${column} = $1::text ORDER BY id DESC LIMIT $2::integer`,
    [customerId, limit],
  );
  return rows.map(giftFromRow);
}

/** Pending gifts whose claim window has ended, oldest first. */
export async function dueGiftIds(db: Queryable, nowMs: number, limit: number): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `SELECT id FROM gifts WHERE status = 'pending' AND expires_at <= $1::timestamptz ORDER BY expires_at, id
     LIMIT $2::integer`,
    [new Date(nowMs), limit],
  );
  return rows.map((row) => row.id);
}

export async function giftsInReview(db: Queryable, limit: number): Promise<GiftRecord[]> {
  const rows = await db.query<GiftRow>(
    `SELECT ${GIFT_COLUMNS} FROM gifts WHERE status = 'review' ORDER BY id LIMIT $1::integer`,
    [limit],
  );
  return rows.map(giftFromRow);
}

/** Who sent a gift, read without a lock: the caller locks the sender's wallet, then the gift. */
export async function giftSender(db: Queryable, giftId: string): Promise<string | null> {
  const rows = await db.query<{ sender_id: string }>("SELECT sender_id FROM gifts WHERE id = $1::text", [
    giftId,
  ]);
  return rows[0]?.sender_id ?? null;
}

export interface GiftingReportRow {
  readonly programId: string;
  readonly sent: number;
  readonly pending: number;
  readonly review: number;
  readonly claimed: number;
  readonly expired: number;
  readonly revoked: number;
  readonly sentMinor: bigint;
  readonly pendingMinor: bigint;
  readonly reviewMinor: bigint;
  readonly claimedMinor: bigint;
  readonly expiredMinor: bigint;
  readonly revokedMinor: bigint;
  readonly claimSecondsMedian: number | null;
  readonly claimSecondsP90: number | null;
  readonly recipientsNew: number;
  readonly recipientsLapsed: number;
  readonly recipientsActive: number;
  /** What recipients spent of claimed gifts (consumption and captures drawn from the gifted lots). */
  readonly usedMinor: bigint;
  /** What of claimed gifts expired unspent in recipients' wallets. */
  readonly lapsedMinor: bigint;
}

/** The gifting report per program, over gifts sent in [fromMs, toMs). */
export async function giftingReport(
  db: Queryable,
  fromMs: number,
  toMs: number,
): Promise<GiftingReportRow[]> {
  const rows = await db.query<Record<string, string | number | null>>(
    `WITH g AS (
       SELECT * FROM gifts WHERE created_at >= $1::timestamptz AND created_at < $2::timestamptz
     ), drawn AS (
       SELECT g.program_id,
         coalesce(sum(-e.amount_minor) FILTER (WHERE t.kind IN ('consume', 'capture')), 0) AS used_minor,
         coalesce(sum(-e.amount_minor) FILTER (WHERE t.kind = 'expire'), 0) AS lapsed_minor
       FROM g JOIN entries e ON e.lot_id = g.lot_id AND e.amount_minor < 0
       JOIN transfers t ON t.id = e.transfer_id
       GROUP BY g.program_id
     )
     SELECT g.program_id,
       count(*)::integer AS sent,
       count(*) FILTER (WHERE status = 'pending')::integer AS pending,
       count(*) FILTER (WHERE status = 'review')::integer AS review,
       count(*) FILTER (WHERE status = 'claimed')::integer AS claimed,
       count(*) FILTER (WHERE status = 'expired')::integer AS expired,
       count(*) FILTER (WHERE status = 'revoked')::integer AS revoked,
       sum(amount_minor)::text AS sent_minor,
       coalesce(sum(amount_minor) FILTER (WHERE status = 'pending'), 0)::text AS pending_minor,
       coalesce(sum(amount_minor) FILTER (WHERE status = 'review'), 0)::text AS review_minor,
       coalesce(sum(amount_minor) FILTER (WHERE status = 'claimed'), 0)::text AS claimed_minor,
       coalesce(sum(amount_minor) FILTER (WHERE status = 'expired'), 0)::text AS expired_minor,
       coalesce(sum(amount_minor) FILTER (WHERE status = 'revoked'), 0)::text AS revoked_minor,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM claimed_at - created_at))
         FILTER (WHERE status = 'claimed') AS claim_seconds_median,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM claimed_at - created_at))
         FILTER (WHERE status = 'claimed') AS claim_seconds_p90,
       count(*) FILTER (WHERE recipient_segment = 'new')::integer AS recipients_new,
       count(*) FILTER (WHERE recipient_segment = 'lapsed')::integer AS recipients_lapsed,
       count(*) FILTER (WHERE recipient_segment = 'active')::integer AS recipients_active,
       coalesce(max(d.used_minor), 0)::text AS used_minor,
       coalesce(max(d.lapsed_minor), 0)::text AS lapsed_minor
     FROM g LEFT JOIN drawn d ON d.program_id = g.program_id
     GROUP BY g.program_id ORDER BY g.program_id`,
    [new Date(fromMs), new Date(toMs)],
  );
  const int = (value: string | number | null | undefined): number => Number(value ?? 0);
  const minor = (value: string | number | null | undefined): bigint => BigInt(value ?? 0);
  const seconds = (value: string | number | null | undefined): number | null =>
    value === null || value === undefined ? null : Math.round(Number(value));
  return rows.map((row) => ({
    programId: String(row.program_id),
    sent: int(row.sent),
    pending: int(row.pending),
    review: int(row.review),
    claimed: int(row.claimed),
    expired: int(row.expired),
    revoked: int(row.revoked),
    sentMinor: minor(row.sent_minor),
    pendingMinor: minor(row.pending_minor),
    reviewMinor: minor(row.review_minor),
    claimedMinor: minor(row.claimed_minor),
    expiredMinor: minor(row.expired_minor),
    revokedMinor: minor(row.revoked_minor),
    claimSecondsMedian: seconds(row.claim_seconds_median),
    claimSecondsP90: seconds(row.claim_seconds_p90),
    recipientsNew: int(row.recipients_new),
    recipientsLapsed: int(row.recipients_lapsed),
    recipientsActive: int(row.recipients_active),
    usedMinor: minor(row.used_minor),
    lapsedMinor: minor(row.lapsed_minor),
  }));
}
