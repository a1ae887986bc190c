import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import {
  checksumOf,
  loadMigrations,
  MigrationHistoryError,
  migrate,
  pendingMigrationCount,
} from "../../src/store/migrator.js";
import { openStore } from "../../src/store/store.js";
import { backends, databaseUrlFor } from "../support/backends.js";

for (const backend of backends()) {
  describe(`migrator on ${backend.name}`, () => {
    afterAll(() => backend.cleanup());

    it("applies nothing twice", async () => {
      const store = await backend.open();
      const migrations = await loadMigrations();
      const again = await migrate(store);
      expect(again.applied).toEqual([]);
      expect(again.current).toBe(migrations.length);
      const rows = await store.query<{ version: number; checksum: string }>(
        "SELECT version, checksum FROM schema_migrations ORDER BY version",
      );
      expect(rows.map((row) => row.checksum)).toEqual(migrations.map((m) => m.checksum));
      await store.close();
    });

    it("refuses a history whose applied file was edited", async () => {
      const store = await backend.open();
      const migrations = await loadMigrations();
      const edited = migrations.map((m, index) =>
        index === 0 ? { ...m, sql: `${m.sql}\n-- edited`, checksum: checksumOf(`${m.sql}\n-- edited`) } : m,
      );
      await expect(migrate(store, edited)).rejects.toThrow(MigrationHistoryError);
      await expect(migrate(store, edited)).rejects.toThrow(/edited after it was applied/);
      await store.close();
    });

    it("counts the migrations still to apply, all of them on a database never migrated", async () => {
      const store = await backend.open();
      const migrations = await loadMigrations();
      const next = {
        version: migrations.length + 1,
        name: "next",
        sql: "SELECT 1",
        checksum: checksumOf("SELECT 1"),
      };
      expect(await pendingMigrationCount(store)).toBe(0);
      expect(await pendingMigrationCount(store, [...migrations, next])).toBe(1);
      await store.query("DROP TABLE schema_migrations");
      expect(await pendingMigrationCount(store)).toBe(migrations.length);
      await store.close();
    });

    it("refuses to count over a history whose applied file was edited", async () => {
      const store = await backend.open();
      const migrations = await loadMigrations();
      const edited = migrations.map((m, index) =>
        index === 1 ? { ...m, checksum: checksumOf("other") } : m,
      );
      await expect(pendingMigrationCount(store, edited)).rejects.toThrow(/edited after it was applied/);
      await store.close();
    });

    it("refuses a history whose applied file is gone", async () => {
      const store = await backend.open();
      await expect(migrate(store, [])).rejects.toThrow(/applied but its file is gone/);
      await store.close();
    });

    it("applies a new migration once, in its own transaction, and rolls back a failing one whole", async () => {
      const store = await backend.open();
      const migrations = await loadMigrations();
      const next = migrations.length + 1;
      const good = {
        version: next,
        name: "extra",
        sql: "CREATE TABLE extra_one (id int);",
        checksum: checksumOf("a"),
      };
      const report = await migrate(store, [...migrations, good]);
      expect(report.applied).toEqual([next]);
      const bad = {
        version: next + 1,
        name: "broken",
        sql: "CREATE TABLE extra_two (id int); SELECT no_such_function();",
        checksum: checksumOf("b"),
      };
      await expect(migrate(store, [...migrations, good, bad])).rejects.toThrow();
      const tables = await store.query<{ name: string }>(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_name IN ('extra_one', 'extra_two')",
      );
      expect(tables.map((t) => t.name)).toEqual(["extra_one"]);
      const versions = await store.query<{ version: number }>(
        "SELECT version FROM schema_migrations ORDER BY version",
      );
      expect(versions.at(-1)?.version).toBe(next);
      await store.close();
    });
  });
}

const url = process.env.DATABASE_URL;
describe.runIf(url !== undefined && url !== "")("migrator across processes on postgres", () => {
  it("two migrators racing on an empty database apply each migration exactly once", async () => {
    const base = url as string;
    const database = `boon_test_${randomBytes(6).toString("hex")}`;
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${database}`);
    try {
      const a = await openStore({ databaseUrl: databaseUrlFor(base, database) });
      const b = await openStore({ databaseUrl: databaseUrlFor(base, database) });
      const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
      const migrations = await loadMigrations();
      expect([...ra.applied, ...rb.applied].sort()).toEqual(migrations.map((m) => m.version));
      await a.close();
      await b.close();
    } finally {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    }
  });
});
