/**
 * The SQL of the operator's reports: outstanding credits and breakage over time, read from entries
 * and lots, and the usage windows of a plan's customers. Reads only; never inside the write path.
 *
 * Time series are grouped in the database by the index of the bucket an instant falls in, so a report
 * over a year of a large ledger returns a few hundred rows rather than every entry.
 */
import type { LotKind } from "../core/lots.js";
import type { Bucket, WindowState } from "../core/windows.js";
import { jsonParam } from "./json-param.js";
import type { Queryable } from "./store.js";

/**
 * The array of bucket ends, each moved one microsecond later. `width_bucket(t, that)` then counts
 * the ends strictly before `t`: which is the index of the bucket `(start, end]` holding `t`, and the
 * index of the first point (a bucket end) at or after `t`. PostgreSQL keeps times in whole
 * microseconds, so the shift is exact: no stored instant falls between an end and its shifted copy.
 */
const ENDS_CTE = `ends AS (
  SELECT array_agg(value::timestamptz + interval '1 microsecond' ORDER BY value::timestamptz) AS after
  FROM jsonb_array_elements_text($1::text::jsonb))`;

const isoList = (instantsMs: readonly number[]): string =>
  jsonParam(instantsMs.map((ms) => new Date(ms).toISOString()));

/** Where value outstanding on the wallets' lots, the gift balances and gift escrow is counted. */
export type HoldingKind = LotKind | "giftBalance" | "giftEscrow";

/**
 * Value outstanding from the point at index `firstPoint` up to, not including, the point at index
 * `endPoint` (null: to the last point and beyond).
 */
export interface OutstandingSpan {
  readonly kind: HoldingKind;
  readonly firstPoint: number;
  readonly endPoint: number | null;
  readonly amountMinor: bigint;
}

/**
 * Every entry's contribution to what is outstanding at the given points (ascending instants). An
 * entry on a lot counts from its own time until the lot expires (a lot is not outstanding at its
 * expiry instant, as in the balance at a past instant); an entry on a gift balance or on gift escrow
 * counts from its time on.
 */
export async function outstandingSpans(
  db: Queryable,
  pointsMs: readonly number[],
): Promise<OutstandingSpan[]> {
  const firstMs = pointsMs[0];
  const lastMs = pointsMs[pointsMs.length - 1];
  if (firstMs === undefined || lastMs === undefined) return [];
  const rows = await db.query<{
    kind: HoldingKind;
    first_point: number;
    end_point: number | null;
    amount: bigint;
  }>(
    `WITH ${ENDS_CTE},
     spans AS (
       SELECT l.kind, e.amount_minor, e.created_at AS starts_at, l.expires_at AS ends_at
       FROM entries e JOIN lots l ON l.id = e.lot_id
       WHERE e.created_at <= $2::timestamptz AND (l.expires_at IS NULL OR l.expires_at > $3::timestamptz)
         AND (l.expires_at IS NULL OR e.created_at < l.expires_at)
       UNION ALL
       SELECT CASE a.kind WHEN 'gift_balance' THEN 'giftBalance' ELSE 'giftEscrow' END, e.amount_minor,
         e.created_at, NULL::timestamptz
       FROM entries e JOIN accounts a ON a.id = e.account_id
       WHERE a.kind IN ('gift_balance', 'gift_escrow') AND e.created_at <= $2::timestamptz)
     SELECT s.kind, width_bucket(s.starts_at, ends.after) AS first_point,
       CASE WHEN s.ends_at IS NULL THEN NULL ELSE width_bucket(s.ends_at, ends.after) END AS end_point,
       sum(s.amount_minor)::bigint AS amount
     FROM spans s, ends
     GROUP BY 1, 2, 3`,
    [isoList(pointsMs), new Date(lastMs), new Date(firstMs)],
  );
  return rows.map((row) => ({
    kind: row.kind,
    firstPoint: row.first_point,
    endPoint: row.end_point,
    amountMinor: row.amount,
  }));
}

export interface KindInBucket {
  readonly kind: LotKind;
  readonly bucket: number;
  readonly amountMinor: bigint;
}

/**
 * What expired unused of the lots whose expiry falls in each bucket `(start, end]` (the buckets'
 * ends given ascending, the first bucket starting at `fromMs`): what the ledger booked to breakage
 * from each lot, plus what a lot already past its expiry still holds unreserved, which the next sweep
 * books (a hold past its timeout reserves nothing: the sweep releases it first). The value is counted
 * at the lot's expiry, whenever the sweep got to it.
 */
export async function expiredByBucket(
  db: Queryable,
  fromMs: number,
  endsMs: readonly number[],
  nowMs: number,
): Promise<KindInBucket[]> {
  const toMs = endsMs[endsMs.length - 1];
  if (toMs === undefined) return [];
  const rows = await db.query<{ kind: LotKind; bucket: number; amount: bigint }>(
    `WITH ${ENDS_CTE},
     due AS (
       SELECT id, kind, expires_at, remaining_minor, held_minor FROM lots
       WHERE expires_at > $2::timestamptz AND expires_at <= $3::timestamptz),
     booked AS (
       SELECT e.lot_id, sum(-e.amount_minor)::bigint AS amount
       FROM entries e JOIN transfers t ON t.id = e.transfer_id JOIN due ON due.id = e.lot_id
       WHERE t.kind = 'expire'
       GROUP BY e.lot_id),
     timed_out AS (
       SELECT a."lotId" AS lot_id, sum(a."amountMinor")::bigint AS amount
       FROM holds h, jsonb_to_recordset(h.allocations) AS a("lotId" text, "amountMinor" bigint)
       WHERE h.status = 'pending' AND h.expires_at <= $4::timestamptz
       GROUP BY a."lotId")
     SELECT due.kind, width_bucket(due.expires_at, ends.after) AS bucket,
       sum(coalesce(b.amount, 0) + CASE WHEN due.expires_at <= $4::timestamptz
         THEN due.remaining_minor - due.held_minor + coalesce(o.amount, 0) ELSE 0 END)::bigint AS amount
     FROM due LEFT JOIN booked b ON b.lot_id = due.id LEFT JOIN timed_out o ON o.lot_id = due.id, ends
     GROUP BY 1, 2`,
    [isoList(endsMs), new Date(fromMs), new Date(toMs), new Date(nowMs)],
  );
  return rows.map((row) => ({ kind: row.kind, bucket: row.bucket, amountMinor: row.amount }));
}

/** The lots granted in each bucket `(start, end]`, at their amounts as granted. */
export async function grantedByBucket(
  db: Queryable,
  fromMs: number,
  endsMs: readonly number[],
): Promise<KindInBucket[]> {
  const toMs = endsMs[endsMs.length - 1];
  if (toMs === undefined) return [];
  const rows = await db.query<{ kind: LotKind; bucket: number; amount: bigint }>(
    `WITH ${ENDS_CTE}
     SELECT l.kind, width_bucket(l.created_at, ends.after) AS bucket, sum(l.amount_minor)::bigint AS amount
     FROM lots l, ends
     WHERE l.created_at > $2::timestamptz AND l.created_at <= $3::timestamptz
     GROUP BY 1, 2`,
    [isoList(endsMs), new Date(fromMs), new Date(toMs)],
  );
  return rows.map((row) => ({ kind: row.kind, bucket: row.bucket, amountMinor: row.amount }));
}

/** How many customers are on each plan. */
export async function customersPerPlan(db: Queryable): Promise<Map<string, number>> {
  const rows = await db.query<{ plan: string; customers: number }>(
    "SELECT plan, count(*)::integer AS customers FROM customers WHERE plan IS NOT NULL GROUP BY plan",
  );
  return new Map(rows.map((row) => [row.plan, row.customers]));
}

export interface PlanWindowRow {
  readonly customerId: string;
  readonly windowId: string;
  readonly state: WindowState;
}

/**
 * One page of the stored windows of a plan's customers, in (customer, window) order after the given
 * position. A customer without a row has used nothing.
 */
export async function planWindowsPage(
  db: Queryable,
  planId: string,
  after: { customerId: string; windowId: string } | null,
  limit: number,
): Promise<PlanWindowRow[]> {
  const rows = await db.query<{
    customer_id: string;
    window_id: string;
    started_at: Date | null;
    used_units: bigint;
    buckets: [number, string][];
  }>(
    `SELECT w.customer_id, w.window_id, w.started_at, w.used_units, w.buckets
     FROM usage_windows w JOIN customers c ON c.id = w.customer_id
     WHERE c.plan = $1::text AND ($2::text IS NULL OR (w.customer_id, w.window_id) > ($2::text, $3::text))
     ORDER BY w.customer_id, w.window_id LIMIT $4`,
    [planId, after?.customerId ?? null, after?.windowId ?? null, limit],
  );
  return rows.map((row) => ({
    customerId: row.customer_id,
    windowId: row.window_id,
    state: {
      startedAtMs: row.started_at?.getTime() ?? null,
      usedUnits: row.used_units,
      buckets: row.buckets.map(([startMs, units]): Bucket => ({ startMs, units: BigInt(units) })),
    },
  }));
}
