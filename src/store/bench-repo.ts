/** Set-based seeding and counting for the benchmarks: SQL, so it lives with the rest of the SQL. */
import type { Queryable } from "./store.js";

export const bulkCustomerId = (i: number): string => `bulk-${String(i).padStart(7, "0")}`;

/** Customers on plan `bench`, with wallets and two used windows each, in three statements. */
export async function seedBulkCustomers(db: Queryable, count: number): Promise<void> {
  const id = "'bulk-' || lpad(i::text, 7, '0')";
  await db.query(
    `INSERT INTO customers (id, plan, created_at, updated_at)
     SELECT ${id}, 'bench', now(), now() FROM generate_series(1, $1::integer) AS i`,
    [count],
  );
  await db.query(
    `INSERT INTO accounts (id, kind, customer_id, created_at)
     SELECT 'acc_bulk_' || i, 'wallet', ${id}, now() FROM generate_series(1, $1::integer) AS i`,
    [count],
  );
  await db.query(
    `INSERT INTO usage_windows (customer_id, window_id, started_at, used_units, updated_at)
     SELECT ${id}, w.id, now(), 7, now()
     FROM generate_series(1, $1::integer) AS i CROSS JOIN (VALUES ('messages/5h'), ('messages/weekly')) AS w(id)`,
    [count],
  );
  await db.query("ANALYZE");
}

/** The per-customer reset an operator's loop would do: one customer's windows. */
export async function deleteCustomerWindows(db: Queryable, customerId: string): Promise<void> {
  await db.query("DELETE FROM usage_windows WHERE customer_id = $1::text", [customerId]);
}

export async function countUsageWindows(db: Queryable): Promise<number> {
  const rows = await db.query<{ count: bigint }>("SELECT count(*) AS count FROM usage_windows");
  return Number(rows[0]?.count ?? 0n);
}
