/**
 * The SQL of the ledger's write path. A batch reads in a few set-based statements (lock the wallets
 * in id order, then load their open lots and holds) and writes everything in one statement of
 * data-modifying CTEs, so a batch of any size costs the same handful of round trips.
 */

import { isSystemAccount } from "../core/accounts.js";
import type {
  EntryDraft,
  Hold,
  HoldStatus,
  LotRecord,
  PostedTransfer,
  Transfer,
  TransferKind,
  Wallet,
} from "../core/ledger.js";
import type { LotKind, LotSource } from "../core/lots.js";
import type { CustomerTerms } from "../core/usage-state.js";
import { jsonParam } from "./json-param.js";
import type { Queryable } from "./store.js";
import { USAGE_WRITE_CTES, type UsageWrite, usageParams } from "./usage-repo.js";

const minor = (amount: bigint): string => amount.toString();

/** ISO text of an instant; every row of a batch carries the same one, so the last answer is kept. */
let lastIsoMs = Number.NaN;
let lastIso = "";
function iso(ms: number): string {
  if (ms !== lastIsoMs) {
    lastIsoMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));
const msOrNull = (date: Date | null): number | null => (date === null ? null : date.getTime());

export interface IdempotencyRecord {
  readonly key: string;
  readonly operation: string;
  readonly requestHash: string;
  readonly response: string;
}

export async function loadIdempotencyRecords(
  db: Queryable,
  keys: readonly string[],
): Promise<IdempotencyRecord[]> {
  if (keys.length === 0) return [];
  const rows = await db.query<{ key: string; operation: string; request_hash: string; response: string }>(
    `SELECT key, operation, request_hash, response FROM idempotency_keys
     WHERE key = ANY (ARRAY(SELECT jsonb_array_elements_text($1::text::jsonb)))`,
    [jsonParam(keys)],
  );
  return rows.map((row) => ({
    key: row.key,
    operation: row.operation,
    requestHash: row.request_hash,
    response: row.response,
  }));
}

/**
 * Records the answer a key stands for, for writes that run outside the batch. False when another
 * transaction recorded the key first: the caller rolls back and replays that answer instead.
 */
export async function insertIdempotencyRecord(
  db: Queryable,
  record: IdempotencyRecord,
  createdAtMs: number,
): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO idempotency_keys (key, operation, request_hash, response, created_at)
     VALUES ($1::text, $2::text, $3::text, $4::text, $5::timestamptz)
     ON CONFLICT (key) DO NOTHING RETURNING 1`,
    [record.key, record.operation, record.requestHash, record.response, new Date(createdAtMs)],
  );
  return rows.length === 1;
}

export async function currentPolicyVersion(db: Queryable): Promise<number> {
  const rows = await db.query<{ version: number }>("SELECT max(version) AS version FROM policies");
  return rows[0]?.version ?? 1;
}

export async function findHoldOwners(
  db: Queryable,
  holdIds: readonly string[],
): Promise<Map<string, string>> {
  if (holdIds.length === 0) return new Map();
  const rows = await db.query<{ id: string; customer_id: string }>(
    "SELECT id, customer_id FROM holds WHERE id = ANY (ARRAY(SELECT jsonb_array_elements_text($1::text::jsonb)))",
    [jsonParam(holdIds)],
  );
  return new Map(rows.map((row) => [row.id, row.customer_id]));
}

/** The customers the named transfers belong to; a transfer's customer never changes. */
export async function transferCustomers(db: Queryable, transferIds: readonly string[]): Promise<string[]> {
  if (transferIds.length === 0) return [];
  const rows = await db.query<{ customer_id: string }>(
    `SELECT DISTINCT customer_id FROM transfers
     WHERE id = ANY (ARRAY(SELECT jsonb_array_elements_text($1::text::jsonb))) AND customer_id IS NOT NULL`,
    [jsonParam(transferIds)],
  );
  return rows.map((row) => row.customer_id);
}

export async function loadPostedTransfers(
  db: Queryable,
  transferIds: readonly string[],
): Promise<PostedTransfer[]> {
  if (transferIds.length === 0) return [];
  const rows = await db.query<{
    id: string;
    kind: TransferKind;
    customer_id: string | null;
    reversed_by: string | null;
    account_id: string;
    lot_id: string | null;
    amount_minor: bigint;
  }>(
    `SELECT t.id, t.kind, t.customer_id, r.id AS reversed_by, e.account_id, e.lot_id, e.amount_minor
     FROM transfers t
     JOIN entries e ON e.transfer_id = t.id
     LEFT JOIN transfers r ON r.reverses_transfer_id = t.id
     WHERE t.id = ANY (ARRAY(SELECT jsonb_array_elements_text($1::text::jsonb)))
     ORDER BY t.id, e.id`,
    [jsonParam(transferIds)],
  );
  const byId = new Map<string, { base: Omit<PostedTransfer, "entries">; entries: EntryDraft[] }>();
  for (const row of rows) {
    let found = byId.get(row.id);
    if (found === undefined) {
      found = {
        base: { id: row.id, kind: row.kind, customerId: row.customer_id, reversedBy: row.reversed_by },
        entries: [],
      };
      byId.set(row.id, found);
    }
    found.entries.push({ accountId: row.account_id, lotId: row.lot_id, amountMinor: row.amount_minor });
  }
  return [...byId.values()].map(({ base, entries }) => ({ ...base, entries }));
}

/**
 * Lock the wallets of a batch, always in account-id order, so batches never deadlock each other, and
 * read each customer's plan terms with them. A join (rather than `= ANY`) lets the planner hash a
 * small table and probe the index of a large one.
 */
export async function lockWallets(
  db: Queryable,
  customerIds: readonly string[],
): Promise<{ wallets: Wallet[]; terms: CustomerTerms[] }> {
  if (customerIds.length === 0) return { wallets: [], terms: [] };
  const rows = await db.query<{
    id: string;
    customer_id: string;
    balance_minor: bigint;
    credits_low: boolean;
    plan: string | null;
    overflow_allowed: boolean;
    plan_version: number | null;
  }>(
    `SELECT a.id, a.customer_id, a.balance_minor, a.credits_low, c.plan, c.overflow_allowed,
       (SELECT max(p.version) FROM plans p WHERE p.id = c.plan) AS plan_version
     FROM accounts a JOIN jsonb_array_elements_text($1::text::jsonb) AS wanted(customer_id) USING (customer_id)
     JOIN customers c ON c.id = a.customer_id
     ORDER BY a.id FOR UPDATE OF a`,
    [jsonParam(customerIds)],
  );
  return {
    wallets: rows.map((row) => ({
      customerId: row.customer_id,
      accountId: row.id,
      balanceMinor: row.balance_minor,
      lots: new Map(),
      holds: new Map(),
    })),
    terms: rows.map((row) => ({
      customerId: row.customer_id,
      planId: row.plan,
      planVersion: row.plan_version,
      overflowAllowed: row.overflow_allowed,
      creditsLow: row.credits_low,
      windows: new Map(),
      storedWindowIds: new Set(),
      tokens: new Map(),
    })),
  };
}

export interface LotRow {
  id: string;
  customer_id: string;
  account_id: string;
  kind: LotKind;
  amount_minor: bigint;
  remaining_minor: bigint;
  held_minor: bigint;
  priority: number;
  effective_at: Date;
  expires_at: Date | null;
  created_at: Date;
  source: LotSource;
  transferable: boolean;
  policy_version: number;
  reason: string | null;
}

const LOT_COLUMNS = `id, customer_id, account_id, kind, amount_minor, remaining_minor, held_minor, priority,
  effective_at, expires_at, created_at, source, transferable, policy_version, reason`;

export function lotFromRow(row: LotRow): LotRecord {
  return {
    id: row.id,
    customerId: row.customer_id,
    accountId: row.account_id,
    kind: row.kind,
    amountMinor: row.amount_minor,
    remainingMinor: row.remaining_minor,
    heldMinor: row.held_minor,
    priority: row.priority,
    effectiveAtMs: row.effective_at.getTime(),
    expiresAtMs: msOrNull(row.expires_at),
    createdAtMs: row.created_at.getTime(),
    source: row.source,
    transferable: row.transferable,
    policyVersion: row.policy_version,
    reason: row.reason,
  };
}

/** The open lots of the locked wallets, plus any closed lot a reversal will credit back. */
export async function loadLots(
  db: Queryable,
  accountIds: readonly string[],
  extraLotIds: readonly string[],
): Promise<LotRecord[]> {
  if (accountIds.length === 0) return [];
  const open = `SELECT ${LOT_COLUMNS} FROM lots
     WHERE account_id = ANY (ARRAY(SELECT jsonb_array_elements_text($1::text::jsonb))) AND open`;
  const rows =
    extraLotIds.length === 0
      ? await db.query<LotRow>(open, [jsonParam(accountIds)])
      : await db.query<LotRow>(
          `${open} UNION
           SELECT ${LOT_COLUMNS} FROM lots WHERE id = ANY (ARRAY(SELECT jsonb_array_elements_text($2::text::jsonb)))`,
          [jsonParam(accountIds), jsonParam(extraLotIds)],
        );
  return rows.map(lotFromRow);
}

export interface HoldRow {
  id: string;
  customer_id: string;
  account_id: string;
  amount_minor: bigint;
  captured_minor: bigint;
  status: HoldStatus;
  allocations: { lotId: string; amountMinor: string }[];
  expires_at: Date;
  created_at: Date;
  resolved_at: Date | null;
  capture_transfer_id: string | null;
}

export function holdFromRow(row: HoldRow): Hold {
  return {
    id: row.id,
    customerId: row.customer_id,
    accountId: row.account_id,
    amountMinor: row.amount_minor,
    createdAtMs: row.created_at.getTime(),
    expiresAtMs: row.expires_at.getTime(),
    allocations: row.allocations.map((a) => ({ lotId: a.lotId, amountMinor: BigInt(a.amountMinor) })),
    status: row.status,
    capturedMinor: row.captured_minor,
    resolvedAtMs: msOrNull(row.resolved_at),
    captureTransferId: row.capture_transfer_id,
  };
}

const HOLD_COLUMNS = `id, customer_id, account_id, amount_minor, captured_minor, status, allocations, expires_at,
  created_at, resolved_at, capture_transfer_id`;

/** The pending holds of the locked wallets, plus holds a command names in any state. */
export async function loadHolds(
  db: Queryable,
  accountIds: readonly string[],
  holdIds: readonly string[],
): Promise<Hold[]> {
  if (accountIds.length === 0) return [];
  const pending = `SELECT ${HOLD_COLUMNS} FROM holds
     WHERE account_id = ANY (ARRAY(SELECT jsonb_array_elements_text($1::text::jsonb))) AND status = 'pending'`;
  const rows =
    holdIds.length === 0
      ? await db.query<HoldRow>(pending, [jsonParam(accountIds)])
      : await db.query<HoldRow>(
          `${pending} UNION
           SELECT ${HOLD_COLUMNS} FROM holds WHERE id = ANY (ARRAY(SELECT jsonb_array_elements_text($2::text::jsonb)))`,
          [jsonParam(accountIds), jsonParam(holdIds)],
        );
  return rows.map(holdFromRow);
}

export interface BatchWrite {
  readonly transfers: readonly Transfer[];
  readonly newLots: readonly LotRecord[];
  readonly changedLots: readonly LotRecord[];
  readonly newHolds: readonly (Hold & { idempotencyKey: string | null })[];
  readonly changedHolds: readonly Hold[];
  /**
   * Each changed wallet's balance change, applied as a delta so the database's answer checks it, and
   * its low-credit flag when that changed (one update per row: a statement may not update a row twice).
   */
  readonly walletDeltas: readonly { accountId: string; deltaMinor: bigint; creditsLow: boolean | null }[];
  readonly usage: UsageWrite;
  readonly answers: readonly { key: string; operation: string; requestHash: string; response: string }[];
  readonly nowMs: number;
}

function transferRows(transfers: readonly Transfer[]) {
  return transfers.map((t) => ({
    id: t.id,
    kind: t.kind,
    customer_id: t.customerId,
    hold_id: t.holdId,
    reverses_transfer_id: t.reversesTransferId,
    reason: t.reason,
    idempotency_key: t.idempotencyKey,
    created_at: iso(t.createdAtMs),
  }));
}

function entryRows(transfers: readonly Transfer[], newEntryId: () => string) {
  return transfers.flatMap((t) =>
    t.entries.map((e) => ({
      id: newEntryId(),
      transfer_id: t.id,
      account_id: e.accountId,
      customer_id: isSystemAccount(e.accountId) ? null : t.customerId,
      lot_id: e.lotId,
      amount_minor: minor(e.amountMinor),
      created_at: iso(t.createdAtMs),
    })),
  );
}

function lotRows(lots: readonly LotRecord[], transferOfLot: Map<string, string>) {
  return lots.map((lot) => ({
    id: lot.id,
    customer_id: lot.customerId,
    account_id: lot.accountId,
    kind: lot.kind,
    amount_minor: minor(lot.amountMinor),
    remaining_minor: minor(lot.remainingMinor),
    held_minor: minor(lot.heldMinor),
    priority: lot.priority,
    effective_at: iso(lot.effectiveAtMs),
    expires_at: isoOrNull(lot.expiresAtMs),
    transferable: lot.transferable,
    source: lot.source,
    policy_version: lot.policyVersion,
    reason: lot.reason,
    grant_transfer_id: transferOfLot.get(lot.id) ?? null,
    created_at: iso(lot.createdAtMs),
  }));
}

function holdRows(holds: readonly (Hold & { idempotencyKey?: string | null })[]) {
  return holds.map((h) => ({
    id: h.id,
    customer_id: h.customerId,
    account_id: h.accountId,
    amount_minor: minor(h.amountMinor),
    captured_minor: minor(h.capturedMinor),
    status: h.status,
    allocations: h.allocations.map((a) => ({ lotId: a.lotId, amountMinor: a.amountMinor.toString() })),
    expires_at: iso(h.expiresAtMs),
    created_at: iso(h.createdAtMs),
    resolved_at: isoOrNull(h.resolvedAtMs),
    capture_transfer_id: h.captureTransferId,
    idempotency_key: h.idempotencyKey ?? null,
  }));
}

/**
 * Write a decided batch in one statement (PostgreSQL runs every data-modifying CTE exactly once).
 * Returns the wallets' balances as the database now holds them, so the caller can check them against
 * what it decided.
 */
export async function writeBatch(
  db: Queryable,
  write: BatchWrite,
  newEntryId: () => string,
): Promise<{ balances: Map<string, bigint>; answered: number; windows: number }> {
  const transferOfLot = new Map<string, string>();
  for (const t of write.transfers) {
    if (t.kind !== "grant") continue;
    for (const e of t.entries) if (e.lotId !== null) transferOfLot.set(e.lotId, t.id);
  }
  const rows = await db.query<{ id: string; balance_minor: bigint }>(WRITE_BATCH_SQL, [
    jsonParam(transferRows(write.transfers)),
    jsonParam(lotRows(write.newLots, transferOfLot)),
    jsonParam(entryRows(write.transfers, newEntryId)),
    jsonParam(
      write.changedLots.map((l) => ({
        id: l.id,
        remaining_minor: minor(l.remainingMinor),
        held_minor: minor(l.heldMinor),
      })),
    ),
    jsonParam(holdRows(write.newHolds)),
    jsonParam(holdRows(write.changedHolds)),
    jsonParam(
      write.walletDeltas.map((w) => ({
        id: w.accountId,
        delta_minor: minor(w.deltaMinor),
        credits_low: w.creditsLow,
      })),
    ),
    jsonParam(
      write.answers.map((a) => ({
        key: a.key,
        operation: a.operation,
        request_hash: a.requestHash,
        response: a.response,
      })),
    ),
    new Date(write.nowMs),
    ...usageParams(write.usage, write.nowMs),
  ]);
  const balances = new Map<string, bigint>();
  let answered = 0;
  let windows = 0;
  for (const row of rows) {
    if (row.id === ANSWERED_ROW) answered = Number(row.balance_minor);
    else if (row.id === WINDOWS_ROW) windows = Number(row.balance_minor);
    else balances.set(row.id, row.balance_minor);
  }
  return { balances, answered, windows };
}

/** The extra rows the write returns: how many idempotency keys, and how many window rows, it wrote. */
const ANSWERED_ROW = "$answered";
const WINDOWS_ROW = "$windows";

const WRITE_BATCH_SQL = `
WITH
new_transfers AS (
  INSERT INTO transfers (id, kind, customer_id, hold_id, reverses_transfer_id, reason, idempotency_key, created_at)
  SELECT * FROM jsonb_to_recordset($1::text::jsonb) AS x(id text, kind text, customer_id text, hold_id text,
    reverses_transfer_id text, reason text, idempotency_key text, created_at timestamptz)
  RETURNING 1
),
new_lots AS (
  INSERT INTO lots (id, customer_id, account_id, kind, amount_minor, remaining_minor, held_minor, priority,
    effective_at, expires_at, transferable, source, policy_version, reason, grant_transfer_id, created_at)
  SELECT * FROM jsonb_to_recordset($2::text::jsonb) AS x(id text, customer_id text, account_id text, kind text,
    amount_minor bigint, remaining_minor bigint, held_minor bigint, priority smallint, effective_at timestamptz,
    expires_at timestamptz, transferable boolean, source text, policy_version integer, reason text,
    grant_transfer_id text, created_at timestamptz)
  RETURNING 1
),
new_entries AS (
  INSERT INTO entries (id, transfer_id, account_id, customer_id, lot_id, amount_minor, created_at)
  SELECT * FROM jsonb_to_recordset($3::text::jsonb) AS x(id text, transfer_id text, account_id text,
    customer_id text, lot_id text, amount_minor bigint, created_at timestamptz)
  RETURNING 1
),
changed_lots AS (
  UPDATE lots SET remaining_minor = x.remaining_minor, held_minor = x.held_minor
  FROM jsonb_to_recordset($4::text::jsonb) AS x(id text, remaining_minor bigint, held_minor bigint)
  WHERE lots.id = x.id
  RETURNING 1
),
new_holds AS (
  INSERT INTO holds (id, customer_id, account_id, amount_minor, captured_minor, status, allocations, expires_at,
    created_at, resolved_at, capture_transfer_id, idempotency_key)
  SELECT * FROM jsonb_to_recordset($5::text::jsonb) AS x(id text, customer_id text, account_id text,
    amount_minor bigint, captured_minor bigint, status text, allocations jsonb, expires_at timestamptz,
    created_at timestamptz, resolved_at timestamptz, capture_transfer_id text, idempotency_key text)
  RETURNING 1
),
changed_holds AS (
  UPDATE holds SET status = x.status, captured_minor = x.captured_minor, resolved_at = x.resolved_at,
    capture_transfer_id = x.capture_transfer_id
  FROM jsonb_to_recordset($6::text::jsonb) AS x(id text, status text, captured_minor bigint,
    resolved_at timestamptz, capture_transfer_id text)
  WHERE holds.id = x.id
  RETURNING 1
),
answered AS (
  INSERT INTO idempotency_keys (key, operation, request_hash, response, created_at)
  SELECT x.key, x.operation, x.request_hash, x.response, $9::timestamptz
  FROM jsonb_to_recordset($8::text::jsonb) AS x(key text, operation text, request_hash text, response text)
  ON CONFLICT (key) DO NOTHING
  RETURNING 1
),
${USAGE_WRITE_CTES}
balances AS (
  UPDATE accounts SET balance_minor = accounts.balance_minor + x.delta_minor,
    credits_low = coalesce(x.credits_low, accounts.credits_low)
  FROM jsonb_to_recordset($7::text::jsonb) AS x(id text, delta_minor bigint, credits_low boolean)
  WHERE accounts.id = x.id
  RETURNING accounts.id, accounts.balance_minor
)
SELECT id, balance_minor FROM balances
UNION ALL
SELECT '${ANSWERED_ROW}', count(*) FROM answered
UNION ALL
SELECT '${WINDOWS_ROW}', (SELECT count(*) FROM usage_windows_updated) + (SELECT count(*) FROM usage_windows_inserted)`;
