import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { PGlite, types } from "@electric-sql/pglite";
import type { Queryable, SqlParam, Store } from "./store.js";

const parsers = { [types.INT8]: (value: string) => BigInt(value) };

function queryable(db: Pick<PGlite, "query" | "exec">): Queryable {
  return {
    async query<Row>(text: string, params: readonly SqlParam[] = []) {
      const result = await db.query<Row>(text, params as unknown[]);
      return result.rows;
    },
    async script(text: string) {
      await db.exec(text);
    },
  };
}

export class DataDirBusyError extends Error {
  override readonly name = "DataDirBusyError";
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === "EPERM";
  }
}

/**
 * PGlite is one PostgreSQL in one process: two processes on one data folder would corrupt it. A lock
 * file beside the folder holds the owner's pid; a lock left by a process that died is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const lockPath = `${resolve(dataDir)}.lock`;
  mkdirSync(dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(lockPath, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as { code?: string }).code !== "EEXIST") throw error;
      const owner = Number(readFileSync(lockPath, "utf8"));
      if (Number.isInteger(owner) && owner > 0 && isRunning(owner)) {
        throw new DataDirBusyError(
          `the embedded data folder ${dataDir} is in use by process ${owner}; stop it first (or use PostgreSQL via DATABASE_URL)`,
        );
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new DataDirBusyError(`could not lock the embedded data folder ${dataDir}`);
}

export async function openPgliteStore(dataDir: string | undefined): Promise<Store> {
  const inMemory = dataDir === undefined || dataDir.startsWith("memory://");
  const unlock = inMemory ? () => {} : lockDataDir(dataDir);
  let db: PGlite;
  try {
    db = await PGlite.create(dataDir ?? "memory://", { parsers });
  } catch (error) {
    unlock();
    throw error;
  }
  const base = queryable(db);
  return {
    kind: "pglite",
    concurrency: 1,
    query: base.query,
    script: base.script,
    transaction: (work) => db.transaction((tx) => work(queryable(tx))),
    close: async () => {
      await db.close();
      unlock();
    },
  };
}
