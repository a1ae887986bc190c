import type { Queryable } from "./store.js";

export interface CustomerRecord {
  readonly id: string;
  readonly plan: string | null;
  readonly email: string | null;
  readonly displayName: string | null;
  readonly signedUpAtMs: number | null;
  readonly lastActiveAtMs: number | null;
  readonly attributes: Record<string, unknown>;
  /** Whether usage past the plan's windows may be paid in credits. */
  readonly overflowAllowed: boolean;
  readonly accountId: string;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

export interface CustomerUpsert {
  readonly id: string;
  readonly plan?: string | null | undefined;
  readonly email?: string | null | undefined;
  readonly displayName?: string | null | undefined;
  readonly signedUpAtMs?: number | null | undefined;
  readonly lastActiveAtMs?: number | null | undefined;
  readonly attributes?: Record<string, unknown> | undefined;
  readonly overflowAllowed?: boolean | undefined;
}

interface CustomerRow {
  id: string;
  plan: string | null;
  email: string | null;
  display_name: string | null;
  signed_up_at: Date | null;
  last_active_at: Date | null;
  attributes: Record<string, unknown>;
  overflow_allowed: boolean;
  account_id: string;
  created_at: Date;
  updated_at: Date;
}

const dateOrNull = (ms: number | null | undefined): Date | null =>
  ms === null || ms === undefined ? null : new Date(ms);

function customerFromRow(row: CustomerRow): CustomerRecord {
  return {
    id: row.id,
    plan: row.plan,
    email: row.email,
    displayName: row.display_name,
    signedUpAtMs: row.signed_up_at?.getTime() ?? null,
    lastActiveAtMs: row.last_active_at?.getTime() ?? null,
    attributes: row.attributes,
    overflowAllowed: row.overflow_allowed,
    accountId: row.account_id,
    createdAtMs: row.created_at.getTime(),
    updatedAtMs: row.updated_at.getTime(),
  };
}

/**
 * Create or update a customer and make sure its wallet exists, in one transaction. Fields left out of
 * the update keep their stored values.
 */
export async function upsertCustomer(
  tx: Queryable,
  input: CustomerUpsert,
  newAccountId: string,
  nowMs: number,
): Promise<CustomerRecord> {
  const now = new Date(nowMs);
  await tx.query(
    `INSERT INTO customers (id, plan, email, display_name, signed_up_at, last_active_at, attributes, created_at,
       updated_at, overflow_allowed)
     VALUES ($1::text, $2::text, $3::text, $4::text, coalesce($5::timestamptz, $8::timestamptz), $6::timestamptz,
       coalesce($7::text::jsonb, '{}'), $8::timestamptz, $8::timestamptz, coalesce($15::boolean, false))
     ON CONFLICT (id) DO UPDATE SET
       plan = CASE WHEN $9::boolean THEN EXCLUDED.plan ELSE customers.plan END,
       email = CASE WHEN $10::boolean THEN EXCLUDED.email ELSE customers.email END,
       display_name = CASE WHEN $11::boolean THEN EXCLUDED.display_name ELSE customers.display_name END,
       signed_up_at = CASE WHEN $12::boolean THEN EXCLUDED.signed_up_at ELSE customers.signed_up_at END,
       last_active_at = CASE WHEN $13::boolean THEN EXCLUDED.last_active_at ELSE customers.last_active_at END,
       attributes = CASE WHEN $14::boolean THEN EXCLUDED.attributes ELSE customers.attributes END,
       overflow_allowed = coalesce($15::boolean, customers.overflow_allowed),
       updated_at = EXCLUDED.updated_at`,
    [
      input.id,
      input.plan ?? null,
      input.email ?? null,
      input.displayName ?? null,
      dateOrNull(input.signedUpAtMs),
      dateOrNull(input.lastActiveAtMs),
      input.attributes === undefined ? null : JSON.stringify(input.attributes),
      now,
      input.plan !== undefined,
      input.email !== undefined,
      input.displayName !== undefined,
      input.signedUpAtMs !== undefined,
      input.lastActiveAtMs !== undefined,
      input.attributes !== undefined,
      input.overflowAllowed ?? null,
    ],
  );
  await tx.query(
    `INSERT INTO accounts (id, kind, customer_id, balance_minor, created_at)
     VALUES ($1, 'wallet', $2, 0, $3) ON CONFLICT (customer_id) DO NOTHING`,
    [newAccountId, input.id, now],
  );
  const found = await findCustomer(tx, input.id);
  if (found === null) throw new Error(`customer ${input.id} vanished inside its own transaction`);
  return found;
}

export async function findCustomer(db: Queryable, customerId: string): Promise<CustomerRecord | null> {
  const rows = await db.query<CustomerRow>(
    `SELECT c.*, a.id AS account_id FROM customers c JOIN accounts a ON a.customer_id = c.id WHERE c.id = $1`,
    [customerId],
  );
  const row = rows[0];
  return row === undefined ? null : customerFromRow(row);
}
