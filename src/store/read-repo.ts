/** Reads for balances, lots, holds and the ledger: never inside the write path. */
import type { LotRecord, TransferKind } from "../core/ledger.js";
import type { LotKind } from "../core/lots.js";
import { type LotRow, lotFromRow } from "./ledger-repo.js";
import type { Queryable } from "./store.js";

export async function walletBalanceMinor(db: Queryable, customerId: string): Promise<bigint | null> {
  const rows = await db.query<{ balance_minor: bigint }>(
    "SELECT balance_minor FROM accounts WHERE customer_id = $1",
    [customerId],
  );
  return rows[0]?.balance_minor ?? null;
}

/** The customer's lots that still hold value (open), in no particular order. */
export async function openLots(db: Queryable, customerId: string): Promise<LotRecord[]> {
  const rows = await db.query<LotRow>("SELECT * FROM lots WHERE customer_id = $1 AND open", [customerId]);
  return rows.map(lotFromRow);
}

/**
 * Lots as they stood at `atMs`: each lot granted by then, with what its entries up to then left in
 * it, and what pending holds reserved of it at that instant.
 */
export async function lotsAt(db: Queryable, customerId: string, atMs: number): Promise<LotRecord[]> {
  const rows = await db.query<LotRow & { remaining_at: bigint | null; held_at: bigint | null }>(
    `WITH wallet AS (SELECT id FROM accounts WHERE customer_id = $1),
     drawn AS (
       SELECT e.lot_id, sum(e.amount_minor)::bigint AS total FROM entries e
       WHERE e.account_id = (SELECT id FROM wallet) AND e.lot_id IS NOT NULL AND e.created_at <= $2
       GROUP BY e.lot_id),
     reserved AS (
       SELECT a."lotId" AS lot_id, sum(a."amountMinor")::bigint AS total
       FROM holds h, jsonb_to_recordset(h.allocations) AS a("lotId" text, "amountMinor" bigint)
       WHERE h.customer_id = $1 AND h.created_at <= $2 AND h.expires_at > $2
         AND (h.resolved_at IS NULL OR h.resolved_at > $2)
       GROUP BY a."lotId")
     SELECT l.*, d.total AS remaining_at, r.total AS held_at
     FROM lots l LEFT JOIN drawn d ON d.lot_id = l.id LEFT JOIN reserved r ON r.lot_id = l.id
     WHERE l.customer_id = $1 AND l.created_at <= $2`,
    [customerId, new Date(atMs)],
  );
  return rows.map((row) => ({
    ...lotFromRow(row),
    remainingMinor: row.remaining_at ?? 0n,
    heldMinor: row.held_at ?? 0n,
  }));
}

/**
 * What pending holds past their timeout still reserve, by lot. Such a hold is released by the next
 * write or sweep; a read at this instant already treats it as released.
 */
export async function timedOutReservations(
  db: Queryable,
  customerId: string,
  nowMs: number,
): Promise<Map<string, bigint>> {
  const rows = await db.query<{ lot_id: string; amount: bigint }>(
    `SELECT a."lotId" AS lot_id, sum(a."amountMinor")::bigint AS amount
     FROM holds h, jsonb_to_recordset(h.allocations) AS a("lotId" text, "amountMinor" bigint)
     WHERE h.customer_id = $1 AND h.status = 'pending' AND h.expires_at <= $2
     GROUP BY a."lotId"`,
    [customerId, new Date(nowMs)],
  );
  return new Map(rows.map((row) => [row.lot_id, row.amount]));
}

export async function walletBalanceAtMinor(db: Queryable, customerId: string, atMs: number): Promise<bigint> {
  const rows = await db.query<{ total: bigint }>(
    `SELECT coalesce(sum(e.amount_minor), 0)::bigint AS total FROM entries e
     WHERE e.account_id = (SELECT id FROM accounts WHERE customer_id = $1) AND e.created_at <= $2`,
    [customerId, new Date(atMs)],
  );
  return rows[0]?.total ?? 0n;
}

export interface LedgerLine {
  readonly entryId: string;
  readonly transferId: string;
  readonly kind: TransferKind;
  readonly lotId: string | null;
  readonly lotKind: LotKind | null;
  readonly amountMinor: bigint;
  readonly reason: string | null;
  readonly reversesTransferId: string | null;
  readonly holdId: string | null;
  readonly createdAtMs: number;
}

/** A wallet's entries, newest first, after the cursor (an entry id) when one is given. */
export async function ledgerPage(
  db: Queryable,
  customerId: string,
  beforeEntryId: string | null,
  limit: number,
): Promise<LedgerLine[]> {
  const rows = await db.query<{
    id: string;
    transfer_id: string;
    kind: TransferKind;
    lot_id: string | null;
    lot_kind: LotKind | null;
    amount_minor: bigint;
    reason: string | null;
    reverses_transfer_id: string | null;
    hold_id: string | null;
    created_at: Date;
  }>(
    `SELECT e.id, e.transfer_id, t.kind, e.lot_id, l.kind AS lot_kind, e.amount_minor, t.reason,
       t.reverses_transfer_id, t.hold_id, e.created_at
     FROM entries e
     JOIN transfers t ON t.id = e.transfer_id
     LEFT JOIN lots l ON l.id = e.lot_id
     WHERE e.account_id = (SELECT id FROM accounts WHERE customer_id = $1) AND ($2::text IS NULL OR e.id < $2)
     ORDER BY e.id DESC LIMIT $3`,
    [customerId, beforeEntryId, limit],
  );
  return rows.map((row) => ({
    entryId: row.id,
    transferId: row.transfer_id,
    kind: row.kind,
    lotId: row.lot_id,
    lotKind: row.lot_kind,
    amountMinor: row.amount_minor,
    reason: row.reason,
    reversesTransferId: row.reverses_transfer_id,
    holdId: row.hold_id,
    createdAtMs: row.created_at.getTime(),
  }));
}

/** Customers with something due at `atMs`: an expired lot with value, or a hold past its timeout. */
export async function customersWithDueWork(
  db: Queryable,
  atMs: number,
  afterCustomerId: string | null,
  limit: number,
): Promise<string[]> {
  const rows = await db.query<{ customer_id: string }>(
    `SELECT customer_id FROM (
       SELECT customer_id FROM lots WHERE open AND remaining_minor > held_minor AND expires_at <= $1
       UNION
       SELECT customer_id FROM holds WHERE status = 'pending' AND expires_at <= $1
     ) due WHERE ($2::text IS NULL OR customer_id > $2) ORDER BY customer_id LIMIT $3`,
    [new Date(atMs), afterCustomerId, limit],
  );
  return rows.map((row) => row.customer_id);
}
