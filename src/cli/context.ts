/**
 * What every command needs: configuration from flags and the environment, an opened and migrated
 * store, and an engine on the system clock. Commands are thin: parse, call the engine, print.
 */
import { readFile } from "node:fs/promises";
import { systemClock } from "../core/clock.js";
import type { Failure } from "../core/errors.js";
import { createEngine, type Engine } from "../engine/engine.js";
import { migrate, pendingMigrationCount } from "../store/migrator.js";
import { openStore, type Store } from "../store/store.js";

export interface GlobalOptions {
  readonly databaseUrl?: string | undefined;
  readonly dataDir?: string | undefined;
}

export const DATA_DIR_DEFAULT = "./.boon";

export function resolveConfig(options: GlobalOptions): { databaseUrl: string | undefined; dataDir: string } {
  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL;
  return {
    databaseUrl: databaseUrl === "" ? undefined : databaseUrl,
    dataDir: options.dataDir ?? process.env.BOON_DATA_DIR ?? DATA_DIR_DEFAULT,
  };
}

/** Describe where the data lives without printing a password. */
export function describeTarget(options: GlobalOptions): string {
  const { databaseUrl, dataDir } = resolveConfig(options);
  if (databaseUrl === undefined) return `embedded PGlite in ${dataDir}`;
  const url = new URL(databaseUrl);
  url.password = url.password === "" ? "" : "***";
  return `PostgreSQL at ${url.toString()}`;
}

export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/**
 * Open the store. The embedded store migrates itself (it belongs to this one process); a server's
 * schema is changed only by an explicit `boon migrate`, so several nodes never race to change it.
 */
export async function openConfiguredStore(options: GlobalOptions, autoMigrate = true): Promise<Store> {
  const { databaseUrl, dataDir } = resolveConfig(options);
  const store = await openStore({ databaseUrl, dataDir });
  if (!autoMigrate) return store;
  if (store.kind === "pglite") {
    await migrate(store);
    return store;
  }
  let pending: number;
  try {
    pending = await pendingMigrationCount(store);
  } catch (error) {
    await store.close();
    throw error;
  }
  if (pending > 0) {
    await store.close();
    throw new CliError(`the database has ${pending} pending migration(s): run \`boon migrate\` first`);
  }
  return store;
}

/** Run work on an opened store, closing it afterwards whatever happens. */
export async function withStore<T>(options: GlobalOptions, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openConfiguredStore(options);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

export async function withEngine<T>(
  options: GlobalOptions,
  work: (engine: Engine) => Promise<T>,
): Promise<T> {
  const store = await openConfiguredStore(options);
  try {
    const engine = await createEngine({ store, clock: systemClock });
    const result = await work(engine);
    await engine.drain();
    return result;
  } finally {
    await store.close();
  }
}

/** Print an expected failure the way every command does, and set the exit code. */
export function reportFailure(error: Failure): void {
  process.stderr.write(`error ${error.code}: ${error.message}\n`);
  process.exitCode = 1;
}

/** JSON with bigints as numbers when they are safe, as strings when they are not. */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, inner) => {
      if (typeof inner !== "bigint") return inner;
      return inner <= BigInt(Number.MAX_SAFE_INTEGER) && inner >= BigInt(Number.MIN_SAFE_INTEGER)
        ? Number(inner)
        : inner.toString();
    },
    2,
  );
}

const RELATIVE_TIME = /^\+(\d+)(s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A time flag: an ISO-8601 instant, or `+30d` / `+12h` / `+5m` / `+90s` from now. */
export function parseTimeFlag(value: string, flag: string, nowMs: number): number {
  const relative = RELATIVE_TIME.exec(value);
  if (relative !== null) return nowMs + Number(relative[1]) * (UNIT_MS[relative[2] ?? "s"] ?? 1000);
  const ms = Date.parse(value);
  if (Number.isNaN(ms))
    throw new CliError(`${flag} must be an ISO-8601 time or +N(s|m|h|d), got ${value}`, 2);
  return ms;
}

/** A JSON file's value; an unreadable file or bad JSON is a usage error naming the file. */
export async function readJsonFile(file: string): Promise<unknown> {
  const text = await readFile(file, "utf8").catch((error: Error) => {
    throw new CliError(`cannot read ${file}: ${error.message}`, 2);
  });
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${file}: ${(error as Error).message}`, 2);
  }
}
