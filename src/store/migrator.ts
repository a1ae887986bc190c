/**
 * Forward-only SQL migrations. Each file in `migrations/` (`NNNN_name.sql`) runs once, in order, in
 * its own transaction that first locks the one row of `schema_lock`, so two processes migrating at
 * once take turns and the second finds the work done. A checksum of every applied file is recorded;
 * a history whose files were edited, removed or reordered is refused rather than guessed at.
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import type { Queryable, Store } from "./store.js";

export const MIGRATIONS_DIR = new URL("../../migrations/", import.meta.url);
const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

export class MigrationHistoryError extends Error {
  override readonly name = "MigrationHistoryError";
}

export async function loadMigrations(dir: URL = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => file.endsWith(".sql")).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_PATTERN.exec(file);
    if (match === null) throw new MigrationHistoryError(`migration file ${file} is not named NNNN_name.sql`);
    const sql = await readFile(new URL(file, dir), "utf8");
    const version = Number(match[1]);
    if (version !== migrations.length + 1) {
      throw new MigrationHistoryError(
        `migration ${file} is out of sequence: expected ${migrations.length + 1}`,
      );
    }
    migrations.push({ version, name: match[2] ?? file, sql, checksum: checksumOf(sql) });
  }
  return migrations;
}

export function checksumOf(sql: string): string {
  return createHash("sha256").update(sql).digest("hex");
}

async function ensureBookkeeping(store: Store): Promise<void> {
  const script = `
    CREATE TABLE IF NOT EXISTS schema_lock (id integer PRIMARY KEY CHECK (id = 1));
    INSERT INTO schema_lock (id) VALUES (1) ON CONFLICT DO NOTHING;
    CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL
    );`;
  try {
    await store.script(script);
  } catch {
    // Two processes creating the tables at the same instant: one loses a catalog race; the tables exist.
    await store.script(script);
  }
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

async function appliedMigrations(db: Queryable): Promise<AppliedRow[]> {
  return db.query<AppliedRow>("SELECT version, name, checksum FROM schema_migrations ORDER BY version");
}

function checkHistory(applied: readonly AppliedRow[], migrations: readonly Migration[]): void {
  for (const row of applied) {
    const file = migrations[row.version - 1];
    if (file === undefined) {
      throw new MigrationHistoryError(
        `migration ${row.version} (${row.name}) was applied but its file is gone`,
      );
    }
    if (file.checksum !== row.checksum || file.name !== row.name) {
      throw new MigrationHistoryError(
        `migration ${row.version} (${row.name}) was edited after it was applied (checksum differs); add a new migration instead`,
      );
    }
  }
}

/**
 * How many migrations the database has yet to apply: all of them when it was never migrated. Reads
 * only; a history that was edited is refused as `migrate` would refuse it.
 */
export async function pendingMigrationCount(
  store: Store,
  migrations?: readonly Migration[],
): Promise<number> {
  const all = migrations ?? (await loadMigrations());
  const [table] = await store.query<{ found: string | null }>(
    "SELECT to_regclass('schema_migrations')::text AS found",
  );
  if (table?.found == null) return all.length;
  const applied = await appliedMigrations(store);
  checkHistory(applied, all);
  return all.length - applied.length;
}

export interface MigrateReport {
  readonly applied: number[];
  readonly current: number;
}

export async function migrate(
  store: Store,
  migrations?: readonly Migration[],
  onApplied: (migration: Migration) => void = () => {},
): Promise<MigrateReport> {
  const all = migrations ?? (await loadMigrations());
  await ensureBookkeeping(store);
  checkHistory(await appliedMigrations(store), all);
  const applied: number[] = [];
  for (const migration of all) {
    const ran = await store.transaction(async (tx) => {
      await tx.query("SELECT id FROM schema_lock WHERE id = 1 FOR UPDATE");
      const done = await appliedMigrations(tx);
      checkHistory(done, all);
      if (done.some((row) => row.version === migration.version)) return false;
      await tx.script(migration.sql);
      await tx.query(
        "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)",
        [migration.version, migration.name, migration.checksum, new Date()],
      );
      return true;
    });
    if (ran) {
      applied.push(migration.version);
      onApplied(migration);
    }
  }
  return { applied, current: all.length };
}
