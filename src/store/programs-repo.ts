/**
 * Terms kept as versions, for gifting and referral programs and for bundles alike (each kind in its
 * own table of the same shape): a change stores the next version, an unchanged spec stores nothing,
 * and a gift, a referral or a purchase keeps the version it was made under.
 */
import type { Queryable } from "./store.js";

export type ProgramTable = "gift_programs" | "referral_programs" | "bundles";

export interface StoredProgram {
  readonly id: string;
  readonly version: number;
  readonly spec: unknown;
  readonly createdAtMs: number;
}

interface ProgramRow {
  id: string;
  version: number;
  spec: unknown;
  created_at: Date;
}

const programFromRow = (row: ProgramRow): StoredProgram => ({
  id: row.id,
  version: row.version,
  spec: typeof row.spec === "string" ? JSON.parse(row.spec) : row.spec,
  createdAtMs: row.created_at.getTime(),
});

/** Store a program's written form as its next version, unless it equals the current one. */
export async function putProgram(
  tx: Queryable,
  table: ProgramTable,
  id: string,
  specText: string,
  nowMs: number,
): Promise<{ version: number; created: boolean }> {
  const rows = await tx.query<{ version: number; created: boolean }>(
    `WITH current AS (
       SELECT version, spec::text AS spec FROM ${table} WHERE id = $1::text ORDER BY version DESC LIMIT 1 FOR UPDATE
     ), inserted AS (
       INSERT INTO ${table} (id, version, spec, created_at)
       SELECT $1::text, coalesce((SELECT version FROM current), 0) + 1, $2::text::json, $3::timestamptz
       WHERE NOT EXISTS (SELECT 1 FROM current WHERE spec = $2::text)
       RETURNING version
     )
     SELECT version, true AS created FROM inserted
     UNION ALL SELECT version, false FROM current WHERE spec = $2::text`,
    [id, specText, new Date(nowMs)],
  );
  const row = rows[0];
  if (row === undefined) throw new Error(`${table} ${id} was neither stored nor found`);
  return row;
}

/** The current version of each program (or of one). */
export async function currentPrograms(
  db: Queryable,
  table: ProgramTable,
  id?: string,
): Promise<StoredProgram[]> {
  const rows = await db.query<ProgramRow>(
    `SELECT DISTINCT ON (id) id, version, spec, created_at FROM ${table}
     WHERE $1::text IS NULL OR id = $1::text ORDER BY id, version DESC`,
    [id ?? null],
  );
  return rows.map(programFromRow);
}

/** The current version of a program, its row locked so that changes to it go one at a time. */
export async function lockCurrentProgram(
  tx: Queryable,
  table: ProgramTable,
  id: string,
): Promise<StoredProgram | null> {
  const rows = await tx.query<ProgramRow>(
    `SELECT id, version, spec, created_at FROM ${table} WHERE id = $1::text
     ORDER BY version DESC LIMIT 1 FOR UPDATE`,
    [id],
  );
  return rows[0] === undefined ? null : programFromRow(rows[0]);
}

export async function programVersion(
  db: Queryable,
  table: ProgramTable,
  id: string,
  version: number,
): Promise<StoredProgram | null> {
  const rows = await db.query<ProgramRow>(
    `SELECT id, version, spec, created_at FROM ${table} WHERE id = $1::text AND version = $2::integer`,
    [id, version],
  );
  return rows[0] === undefined ? null : programFromRow(rows[0]);
}
