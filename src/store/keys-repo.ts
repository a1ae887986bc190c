/** The SQL of API keys: stored by the hash of their secret, never by the secret itself. */
import type { Queryable } from "./store.js";

export const KEY_SCOPES = ["admin", "server"] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];

export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  readonly scope: KeyScope;
  readonly createdAtMs: number;
  readonly revokedAtMs: number | null;
}

interface KeyRow {
  id: string;
  name: string;
  scope: KeyScope;
  created_at: Date;
  revoked_at: Date | null;
}

const keyFromRow = (row: KeyRow): ApiKeyRecord => ({
  id: row.id,
  name: row.name,
  scope: row.scope,
  createdAtMs: row.created_at.getTime(),
  revokedAtMs: row.revoked_at?.getTime() ?? null,
});

export async function insertKey(
  db: Queryable,
  key: { id: string; name: string; scope: KeyScope; secretHash: string; nowMs: number },
): Promise<ApiKeyRecord> {
  const rows = await db.query<KeyRow>(
    `INSERT INTO api_keys (id, name, scope, secret_hash, created_at)
     VALUES ($1::text, $2::text, $3::text, $4::text, $5::timestamptz) RETURNING id, name, scope, created_at, revoked_at`,
    [key.id, key.name, key.scope, key.secretHash, new Date(key.nowMs)],
  );
  const row = rows[0];
  if (row === undefined) throw new Error("inserting a key returned no row");
  return keyFromRow(row);
}

export async function listKeys(db: Queryable): Promise<ApiKeyRecord[]> {
  const rows = await db.query<KeyRow>(
    "SELECT id, name, scope, created_at, revoked_at FROM api_keys ORDER BY created_at, id",
  );
  return rows.map(keyFromRow);
}

export async function revokeKey(db: Queryable, id: string, nowMs: number): Promise<ApiKeyRecord | null> {
  const rows = await db.query<KeyRow>(
    `UPDATE api_keys SET revoked_at = coalesce(revoked_at, $2::timestamptz) WHERE id = $1::text
     RETURNING id, name, scope, created_at, revoked_at`,
    [id, new Date(nowMs)],
  );
  return rows[0] === undefined ? null : keyFromRow(rows[0]);
}

/** The shared customer-token signing secret: the stored one, or `candidate` if none was stored yet. */
export async function ensureTokenSecret(db: Queryable, candidate: string): Promise<string> {
  await db.query(
    "INSERT INTO token_secrets (id, secret, created_at) VALUES (1, $1::text, now()) ON CONFLICT (id) DO NOTHING",
    [candidate],
  );
  const rows = await db.query<{ secret: string }>("SELECT secret FROM token_secrets WHERE id = 1");
  const secret = rows[0]?.secret;
  if (secret === undefined) throw new Error("the token secret could not be read");
  return secret;
}

/** The live key with this secret hash, or null. */
export async function findKeyByHash(db: Queryable, secretHash: string): Promise<ApiKeyRecord | null> {
  const rows = await db.query<KeyRow>(
    `SELECT id, name, scope, created_at, revoked_at FROM api_keys
     WHERE secret_hash = $1::text AND revoked_at IS NULL`,
    [secretHash],
  );
  return rows[0] === undefined ? null : keyFromRow(rows[0]);
}
