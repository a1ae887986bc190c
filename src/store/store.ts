/**
 * One small interface over both backends: embedded PGlite and a PostgreSQL server. Repository modules
 * are the only code that writes SQL; they take a `Queryable`, so the same function runs inside or
 * outside a transaction.
 */
export type SqlParam = string | number | bigint | boolean | Date | null;

export interface Queryable {
  query<Row>(text: string, params?: readonly SqlParam[]): Promise<Row[]>;
  /** Run a script of several statements without parameters (migrations only). */
  script(text: string): Promise<void>;
}

export type StoreKind = "pglite" | "postgres";

export interface Store extends Queryable {
  readonly kind: StoreKind;
  /** How many transactions the store can run at once (PGlite: one). */
  readonly concurrency: number;
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface StoreConfig {
  /** A PostgreSQL URL; when absent, embedded PGlite is used. */
  readonly databaseUrl?: string | undefined;
  /** PGlite's data folder; absent or "memory://" keeps the database in memory. */
  readonly dataDir?: string | undefined;
  /** Server connections in the pool. */
  readonly poolSize?: number | undefined;
}

export const POOL_SIZE_DEFAULT = 10;

export async function openStore(config: StoreConfig): Promise<Store> {
  if (config.databaseUrl !== undefined && config.databaseUrl !== "") {
    const { openPostgresStore } = await import("./postgres.js");
    return openPostgresStore(config.databaseUrl, config.poolSize ?? POOL_SIZE_DEFAULT);
  }
  const { openPgliteStore } = await import("./pglite.js");
  return openPgliteStore(config.dataDir);
}

/** Whether the database answers a trivial query now. */
export async function isReachable(store: Queryable): Promise<boolean> {
  try {
    await store.query("SELECT 1");
    return true;
  } catch {
    return false;
  }
}

/** SQLSTATE classes that mean the database (not the request) failed: connection, resources, shutdown. */
export function isUnavailableError(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== "string") return false;
  if (
    ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "CONNECTION_CLOSED", "CONNECTION_ENDED"].includes(
      code,
    )
  ) {
    return true;
  }
  return /^(08|53|57P)/.test(code);
}

/** Deadlock or serialization failure: the transaction may be retried as a whole. */
export function isRetryableConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "40001" || code === "40P01";
}
