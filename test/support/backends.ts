/**
 * The database test suites run over a list of backends: embedded PGlite always, and the PostgreSQL
 * server when DATABASE_URL is set, each test file in a fresh database of its own.
 */
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { migrate } from "../../src/store/migrator.js";
import { openStore, type Store } from "../../src/store/store.js";

export interface Backend {
  readonly name: "pglite" | "postgres";
  /** A fresh, migrated store. */
  open(): Promise<Store>;
  /** Drop everything this backend created. */
  cleanup(): Promise<void>;
}

function pgliteBackend(): Backend {
  return {
    name: "pglite",
    async open() {
      const store = await openStore({});
      await migrate(store);
      return store;
    },
    async cleanup() {},
  };
}

export function databaseUrlFor(baseUrl: string, database: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

function postgresBackend(baseUrl: string): Backend {
  const created: string[] = [];
  const admin = () => postgres(baseUrl, { max: 1, onnotice: () => {} });
  return {
    name: "postgres",
    async open() {
      const database = `boon_test_${randomBytes(6).toString("hex")}`;
      const sql = admin();
      await sql.unsafe(`CREATE DATABASE ${database}`);
      await sql.end();
      created.push(database);
      const store = await openStore({ databaseUrl: databaseUrlFor(baseUrl, database) });
      await migrate(store);
      return store;
    },
    async cleanup() {
      const sql = admin();
      for (const database of created.splice(0))
        await sql.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await sql.end();
    },
  };
}

export function backends(): Backend[] {
  const url = process.env.DATABASE_URL;
  return url === undefined || url === "" ? [pgliteBackend()] : [pgliteBackend(), postgresBackend(url)];
}
