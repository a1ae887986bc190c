/** The SQL of the operator's customer list: a search, one page at a time, and the page's lots. */
import type { LotRecord } from "../core/ledger.js";
import { jsonParam } from "./json-param.js";
import { type LotRow, lotFromRow } from "./ledger-repo.js";
import type { Queryable } from "./store.js";

export interface CustomerSearch {
  /** An id prefix, or a piece of the email or display name in any case; null matches everyone. */
  readonly text: string | null;
  readonly plan: string | null;
  /** The last id of the previous page: the page starts after it. */
  readonly afterId: string | null;
  readonly limit: number;
}

export interface CustomerSummary {
  readonly id: string;
  readonly plan: string | null;
  readonly email: string | null;
  readonly displayName: string | null;
  readonly signedUpAtMs: number | null;
  readonly lastActiveAtMs: number | null;
}

/**
 * Customers matching the search, by id, after the cursor. `strpos` rather than `LIKE` matches the
 * text literally, so a `%` or `_` a person types is not a wildcard.
 */
export async function searchCustomers(db: Queryable, search: CustomerSearch): Promise<CustomerSummary[]> {
  const rows = await db.query<{
    id: string;
    plan: string | null;
    email: string | null;
    display_name: string | null;
    signed_up_at: Date | null;
    last_active_at: Date | null;
  }>(
    `SELECT id, plan, email, display_name, signed_up_at, last_active_at FROM customers
     WHERE ($1::text IS NULL OR left(id, length($1::text)) = $1::text
         OR strpos(lower(email), lower($1::text)) > 0 OR strpos(lower(display_name), lower($1::text)) > 0)
       AND ($2::text IS NULL OR plan = $2::text)
       AND ($3::text IS NULL OR id > $3::text)
     ORDER BY id LIMIT $4`,
    [search.text, search.plan, search.afterId, search.limit],
  );
  return rows.map((row) => ({
    id: row.id,
    plan: row.plan,
    email: row.email,
    displayName: row.display_name,
    signedUpAtMs: row.signed_up_at?.getTime() ?? null,
    lastActiveAtMs: row.last_active_at?.getTime() ?? null,
  }));
}

/** The open lots of several customers' wallets, in no particular order. */
export async function openLotsOf(db: Queryable, customerIds: readonly string[]): Promise<LotRecord[]> {
  if (customerIds.length === 0) return [];
  const rows = await db.query<LotRow>(
    `SELECT * FROM lots
     WHERE customer_id = ANY (ARRAY(SELECT jsonb_array_elements_text($1::text::jsonb))) AND open`,
    [jsonParam(customerIds)],
  );
  return rows.map(lotFromRow);
}

/**
 * What pending holds past their timeout still reserve, by lot, for several customers: the balance
 * treats such holds as released already, and so does the list.
 */
export async function timedOutReservationsOf(
  db: Queryable,
  customerIds: readonly string[],
  nowMs: number,
): Promise<Map<string, bigint>> {
  if (customerIds.length === 0) return new Map();
  const rows = await db.query<{ lot_id: string; amount: bigint }>(
    `SELECT a."lotId" AS lot_id, sum(a."amountMinor")::bigint AS amount
     FROM holds h, jsonb_to_recordset(h.allocations) AS a("lotId" text, "amountMinor" bigint)
     WHERE h.customer_id = ANY (ARRAY(SELECT jsonb_array_elements_text($1::text::jsonb)))
       AND h.status = 'pending' AND h.expires_at <= $2
     GROUP BY a."lotId"`,
    [jsonParam(customerIds), new Date(nowMs)],
  );
  return new Map(rows.map((row) => [row.lot_id, row.amount]));
}
