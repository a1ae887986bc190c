/**
 * The SQL of plans and usage: plan versions, the window states and reset tokens a batch loads (under
 * the wallet lock it already holds), the rows a batch writes through `writeBatch`, and the set-based
 * bulk reset.
 */
import type { JsonValue } from "../core/json-lines.js";
import { readPlanSpec, writePlanSpec } from "../core/plan-spec.js";
import type { Plan } from "../core/usage.js";
import type { EventDraft, ResetSource, ResetToken, StoredWindow, UsageCharge } from "../core/usage-state.js";
import type { Bucket } from "../core/windows.js";
import { jsonParam } from "./json-param.js";
import type { Queryable } from "./store.js";

const isoOrNull = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

interface PlanRow {
  id: string;
  version: number;
  spec: JsonValue;
  created_at: Date;
}

export interface StoredPlan {
  readonly plan: Plan;
  readonly createdAtMs: number;
}

const planFromRow = (row: PlanRow): StoredPlan => ({
  plan: readPlanSpec(row.id, row.version, row.spec),
  createdAtMs: row.created_at.getTime(),
});

/** Plan versions by (id, version). */
export async function loadPlanVersions(
  db: Queryable,
  wanted: readonly { id: string; version: number }[],
): Promise<Plan[]> {
  if (wanted.length === 0) return [];
  const rows = await db.query<PlanRow>(
    `SELECT p.id, p.version, p.spec, p.created_at FROM plans p
     JOIN jsonb_to_recordset($1::text::jsonb) AS w(id text, version integer) USING (id, version)`,
    [jsonParam(wanted)],
  );
  return rows.map((row) => planFromRow(row).plan);
}

/** The newest version of each plan, or of one plan. */
export async function currentPlans(db: Queryable, planId?: string): Promise<StoredPlan[]> {
  const rows = await db.query<PlanRow>(
    `SELECT DISTINCT ON (id) id, version, spec, created_at FROM plans
     WHERE $1::text IS NULL OR id = $1::text ORDER BY id, version DESC`,
    [planId ?? null],
  );
  return rows.map(planFromRow);
}

export async function planHistory(db: Queryable, planId: string): Promise<StoredPlan[]> {
  const rows = await db.query<PlanRow>(
    "SELECT id, version, spec, created_at FROM plans WHERE id = $1::text ORDER BY version DESC",
    [planId],
  );
  return rows.map(planFromRow);
}

/**
 * Store a plan as a new version unless it says exactly what the newest version says (so loading the
 * same file at every start adds nothing). The row lock on the newest version, or the primary key when
 * two writers race for a new plan, keeps versions gapless.
 */
export async function putPlan(
  tx: Queryable,
  plan: Omit<Plan, "version">,
  nowMs: number,
): Promise<{ version: number; created: boolean }> {
  const spec = JSON.stringify(writePlanSpec({ ...plan, version: 0 }));
  const newest = await tx.query<{ version: number; same: boolean }>(
    `SELECT version, spec::text = $2::text AS same FROM plans WHERE id = $1::text
     ORDER BY version DESC LIMIT 1 FOR UPDATE`,
    [plan.id, spec],
  );
  const current = newest[0];
  if (current?.same === true) return { version: current.version, created: false };
  const version = (current?.version ?? 0) + 1;
  await tx.query(
    "INSERT INTO plans (id, version, spec, created_at) VALUES ($1::text, $2::integer, $3::text::json, $4::timestamptz)",
    [plan.id, version, spec, new Date(nowMs)],
  );
  return { version, created: true };
}

interface WindowRow {
  customer_id: string;
  window_id: string;
  started_at: Date | null;
  used_units: bigint;
  buckets: [number, string][];
  limit_notified_for: Date | null;
}

const windowFromRow = (row: WindowRow) => ({
  customerId: row.customer_id,
  windowId: row.window_id,
  stored: {
    state: {
      startedAtMs: row.started_at?.getTime() ?? null,
      usedUnits: row.used_units,
      buckets: row.buckets.map(([startMs, units]): Bucket => ({ startMs, units: BigInt(units) })),
    },
    notifiedForMs: row.limit_notified_for?.getTime() ?? null,
  } satisfies StoredWindow,
});

/** The window states of the batch's usage customers (see USAGE_WRITE_CTES on why they are not locked). */
export async function loadWindows(
  db: Queryable,
  customerIds: readonly string[],
): Promise<{ customerId: string; windowId: string; stored: StoredWindow }[]> {
  if (customerIds.length === 0) return [];
  const rows = await db.query<WindowRow>(
    `SELECT customer_id, window_id, started_at, used_units, buckets, limit_notified_for FROM usage_windows
     WHERE customer_id = ANY (ARRAY(SELECT jsonb_array_elements_text($1::text::jsonb)))`,
    [jsonParam(customerIds)],
  );
  return rows.map(windowFromRow);
}

interface TokenRow {
  id: string;
  customer_id: string;
  scope: string[] | null;
  source: ResetSource;
  reason: string | null;
  granted_at: Date;
  expires_at: Date;
  redeemed_at: Date | null;
  idempotency_key: string | null;
}

const tokenFromRow = (row: TokenRow): ResetToken => ({
  id: row.id,
  customerId: row.customer_id,
  scope: row.scope,
  source: row.source,
  reason: row.reason,
  grantedAtMs: row.granted_at.getTime(),
  expiresAtMs: row.expires_at.getTime(),
  redeemedAtMs: row.redeemed_at?.getTime() ?? null,
  idempotencyKey: row.idempotency_key,
});

/** Unredeemed, unexpired tokens of the customers, plus any token a command names. */
export async function loadTokens(
  db: Queryable,
  customerIds: readonly string[],
  tokenIds: readonly string[],
  nowMs: number,
): Promise<ResetToken[]> {
  if (customerIds.length === 0) return [];
  const rows = await db.query<TokenRow>(
    `SELECT * FROM reset_tokens
     WHERE customer_id = ANY (ARRAY(SELECT jsonb_array_elements_text($1::text::jsonb)))
       AND redeemed_at IS NULL AND expires_at > $3::timestamptz
     UNION
     SELECT * FROM reset_tokens WHERE id = ANY (ARRAY(SELECT jsonb_array_elements_text($2::text::jsonb)))`,
    [jsonParam(customerIds), jsonParam(tokenIds), new Date(nowMs)],
  );
  return rows.map(tokenFromRow);
}

export async function customerTokens(db: Queryable, customerId: string): Promise<ResetToken[]> {
  const rows = await db.query<TokenRow>(
    "SELECT * FROM reset_tokens WHERE customer_id = $1::text ORDER BY expires_at, granted_at, id",
    [customerId],
  );
  return rows.map(tokenFromRow);
}

export async function customerWindows(
  db: Queryable,
  customerId: string,
): Promise<{ customerId: string; windowId: string; stored: StoredWindow }[]> {
  const rows = await db.query<WindowRow>(
    `SELECT customer_id, window_id, started_at, used_units, buckets, limit_notified_for FROM usage_windows
     WHERE customer_id = $1::text`,
    [customerId],
  );
  return rows.map(windowFromRow);
}

export interface UsageWrite {
  /** Changed windows; `existed` says the batch read a stored row, which must still be there. */
  readonly windows: readonly {
    customerId: string;
    windowId: string;
    stored: StoredWindow;
    existed: boolean;
  }[];
  readonly charges: readonly UsageCharge[];
  readonly newTokens: readonly ResetToken[];
  readonly redeemedTokens: readonly ResetToken[];
  readonly events: readonly EventDraft[];
}

/** The JSON parameters `writeBatch` passes for the usage CTEs, in order ($10 to $15). */
export function usageParams(write: UsageWrite, nowMs: number): string[] {
  const now = new Date(nowMs).toISOString();
  const windowRow = ({ customerId, windowId, stored }: UsageWrite["windows"][number]) => ({
    customer_id: customerId,
    window_id: windowId,
    started_at: isoOrNull(stored.state.startedAtMs),
    used_units: stored.state.usedUnits.toString(),
    buckets: stored.state.buckets.map((bucket) => [bucket.startMs, bucket.units.toString()]),
    limit_notified_for: isoOrNull(stored.notifiedForMs),
    updated_at: now,
  });
  return [
    jsonParam(write.windows.filter((w) => w.existed).map(windowRow)),
    jsonParam(
      write.charges.map((charge) => ({
        id: charge.id,
        customer_id: charge.customerId,
        plan_id: charge.planId,
        plan_version: charge.planVersion,
        action: charge.action,
        quantity: charge.quantity,
        paid_by: charge.paidBy,
        window_units: Object.fromEntries(charge.windowUnits.map((w) => [w.windowId, w.units.toString()])),
        credits_minor: charge.creditsMinor.toString(),
        transfer_id: charge.transferId,
        idempotency_key: charge.idempotencyKey,
        created_at: new Date(charge.createdAtMs).toISOString(),
      })),
    ),
    jsonParam(
      write.newTokens.map((token) => ({
        id: token.id,
        customer_id: token.customerId,
        scope: token.scope,
        source: token.source,
        reason: token.reason,
        granted_at: new Date(token.grantedAtMs).toISOString(),
        expires_at: new Date(token.expiresAtMs).toISOString(),
        redeemed_at: isoOrNull(token.redeemedAtMs),
        idempotency_key: token.idempotencyKey,
      })),
    ),
    jsonParam(
      write.redeemedTokens.map((token) => ({ id: token.id, redeemed_at: isoOrNull(token.redeemedAtMs) })),
    ),
    jsonParam(
      write.events.map((event) => ({
        id: event.id,
        customer_id: event.customerId,
        type: event.type,
        payload: event.payload,
        created_at: new Date(event.createdAtMs).toISOString(),
      })),
    ),
    jsonParam(write.windows.filter((w) => !w.existed).map(windowRow)),
  ];
}

/**
 * The CTEs `writeBatch` adds for usage rows (parameters $10 to $15). Window rows are not locked when
 * read: the wallet lock already serializes batches of one customer, and the only other writer is a
 * bulk reset, which deletes rows. So a window the batch read is updated only if its row is still
 * there, a new one inserted only if none appeared, and the caller compares the count with what it
 * wrote: a shortfall means a reset came between, and the batch runs again on the reset windows.
 */
export const USAGE_WRITE_CTES = `
usage_windows_updated AS (
  UPDATE usage_windows SET started_at = x.started_at, used_units = x.used_units, buckets = x.buckets,
    limit_notified_for = x.limit_notified_for, updated_at = x.updated_at
  FROM jsonb_to_recordset($10::text::jsonb) AS x(customer_id text, window_id text, started_at timestamptz,
    used_units bigint, buckets jsonb, limit_notified_for timestamptz, updated_at timestamptz)
  WHERE usage_windows.customer_id = x.customer_id AND usage_windows.window_id = x.window_id
  RETURNING 1
),
usage_windows_inserted AS (
  INSERT INTO usage_windows (customer_id, window_id, started_at, used_units, buckets, limit_notified_for, updated_at)
  SELECT * FROM jsonb_to_recordset($15::text::jsonb) AS x(customer_id text, window_id text, started_at timestamptz,
    used_units bigint, buckets jsonb, limit_notified_for timestamptz, updated_at timestamptz)
  ON CONFLICT (customer_id, window_id) DO NOTHING
  RETURNING 1
),
usage_charges_written AS (
  INSERT INTO usage_charges (id, customer_id, plan_id, plan_version, action, quantity, paid_by, window_units,
    credits_minor, transfer_id, idempotency_key, created_at)
  SELECT * FROM jsonb_to_recordset($11::text::jsonb) AS x(id text, customer_id text, plan_id text,
    plan_version integer, action text, quantity integer, paid_by text, window_units jsonb, credits_minor bigint,
    transfer_id text, idempotency_key text, created_at timestamptz)
  RETURNING 1
),
reset_tokens_granted AS (
  INSERT INTO reset_tokens (id, customer_id, scope, source, reason, granted_at, expires_at, redeemed_at, idempotency_key)
  SELECT * FROM jsonb_to_recordset($12::text::jsonb) AS x(id text, customer_id text, scope jsonb, source text,
    reason text, granted_at timestamptz, expires_at timestamptz, redeemed_at timestamptz, idempotency_key text)
  RETURNING 1
),
reset_tokens_redeemed AS (
  UPDATE reset_tokens SET redeemed_at = x.redeemed_at
  FROM jsonb_to_recordset($13::text::jsonb) AS x(id text, redeemed_at timestamptz)
  WHERE reset_tokens.id = x.id AND reset_tokens.redeemed_at IS NULL
  RETURNING 1
),
events_written AS (
  INSERT INTO events (id, customer_id, type, payload, created_at)
  SELECT * FROM jsonb_to_recordset($14::text::jsonb) AS x(id text, customer_id text, type text, payload jsonb,
    created_at timestamptz)
  RETURNING 1
),
`;

export interface ChargeLine {
  readonly id: string;
  readonly planId: string;
  readonly planVersion: number;
  readonly action: string;
  readonly quantity: number;
  readonly paidBy: "windows" | "credits";
  readonly windowUnits: Readonly<Record<string, bigint>>;
  readonly creditsMinor: bigint;
  readonly transferId: string | null;
  readonly createdAtMs: number;
}

/** A customer's charges, newest first, after a cursor (the last id of the previous page). */
export async function chargesPage(
  db: Queryable,
  customerId: string,
  before: string | null,
  limit: number,
): Promise<ChargeLine[]> {
  const rows = await db.query<{
    id: string;
    plan_id: string;
    plan_version: number;
    action: string;
    quantity: number;
    paid_by: "windows" | "credits";
    window_units: Record<string, string>;
    credits_minor: bigint;
    transfer_id: string | null;
    created_at: Date;
  }>(
    `SELECT id, plan_id, plan_version, action, quantity, paid_by, window_units, credits_minor, transfer_id, created_at
     FROM usage_charges WHERE customer_id = $1::text AND ($2::text IS NULL OR id < $2::text)
     ORDER BY id DESC LIMIT $3::integer`,
    [customerId, before, limit],
  );
  return rows.map((row) => ({
    id: row.id,
    planId: row.plan_id,
    planVersion: row.plan_version,
    action: row.action,
    quantity: row.quantity,
    paidBy: row.paid_by,
    windowUnits: Object.fromEntries(
      Object.entries(row.window_units).map(([id, units]) => [id, BigInt(units)]),
    ),
    creditsMinor: row.credits_minor,
    transferId: row.transfer_id,
    createdAtMs: row.created_at.getTime(),
  }));
}

export interface BulkResetRecord {
  readonly id: string;
  readonly actor: string;
  readonly reason: string;
  readonly planId: string | null;
  readonly customerIds: readonly string[] | null;
  readonly windowIds: readonly string[] | null;
  /** Customers in scope, and window rows restarted among them. */
  readonly customers: number;
  readonly windows: number;
  readonly createdAtMs: number;
}

interface BulkResetRow {
  id: string;
  request_hash: string;
  actor: string;
  reason: string;
  plan_id: string | null;
  customer_ids: string[] | null;
  window_ids: string[] | null;
  customers: number;
  windows: number;
  created_at: Date;
}

const bulkResetFromRow = (row: BulkResetRow): BulkResetRecord & { requestHash: string } => ({
  id: row.id,
  requestHash: row.request_hash,
  actor: row.actor,
  reason: row.reason,
  planId: row.plan_id,
  customerIds: row.customer_ids,
  windowIds: row.window_ids,
  customers: row.customers,
  windows: row.windows,
  createdAtMs: row.created_at.getTime(),
});

export async function findBulkReset(db: Queryable, key: string) {
  const rows = await db.query<BulkResetRow>("SELECT * FROM bulk_resets WHERE idempotency_key = $1::text", [
    key,
  ]);
  return rows[0] === undefined ? null : bulkResetFromRow(rows[0]);
}

export async function listBulkResets(db: Queryable, limit: number): Promise<BulkResetRecord[]> {
  const rows = await db.query<BulkResetRow>("SELECT * FROM bulk_resets ORDER BY id DESC LIMIT $1::integer", [
    limit,
  ]);
  return rows.map((row) => {
    const { requestHash: _hash, ...record } = bulkResetFromRow(row);
    return record;
  });
}

/**
 * Restart windows for a whole plan or a list of customers in one statement: deleting a window's row
 * is its reset (no row means nothing used), so a million customers cost one indexed delete rather
 * than a million writes. The audit row is written by the same statement.
 */
export async function bulkResetWindows(
  db: Queryable,
  reset: {
    id: string;
    key: string;
    requestHash: string;
    actor: string;
    reason: string;
    planId: string | null;
    customerIds: readonly string[] | null;
    windowIds: readonly string[] | null;
    nowMs: number;
  },
): Promise<BulkResetRecord> {
  const rows = await db.query<BulkResetRow>(
    `WITH scope AS MATERIALIZED (
       SELECT id FROM customers WHERE $1::text IS NOT NULL AND plan = $1::text
       UNION ALL
       SELECT c.id FROM customers c JOIN jsonb_array_elements_text(coalesce($2::text::jsonb, '[]')) AS w(id) USING (id)
     ),
     restarted AS (
       DELETE FROM usage_windows u USING scope s
       WHERE u.customer_id = s.id
         AND ($3::text IS NULL OR u.window_id = ANY (ARRAY(SELECT jsonb_array_elements_text($3::text::jsonb))))
       RETURNING 1
     )
     INSERT INTO bulk_resets (id, idempotency_key, request_hash, actor, reason, plan_id, customer_ids, window_ids,
       customers, windows, created_at)
     SELECT $4::text, $5::text, $6::text, $7::text, $8::text, $1::text, $2::text::jsonb, $3::text::jsonb,
       (SELECT count(*) FROM scope), (SELECT count(*) FROM restarted), $9::timestamptz
     RETURNING *`,
    [
      reset.planId,
      reset.customerIds === null ? null : jsonParam(reset.customerIds),
      reset.windowIds === null ? null : jsonParam(reset.windowIds),
      reset.id,
      reset.key,
      reset.requestHash,
      reset.actor,
      reset.reason,
      new Date(reset.nowMs),
    ],
  );
  const row = rows[0];
  if (row === undefined) throw new Error("the bulk reset wrote no audit row");
  const { requestHash: _hash, ...record } = bulkResetFromRow(row);
  return record;
}
