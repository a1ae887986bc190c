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

export async function openPgliteStore(dataDir: string | undefined): Promise<Store> {
  const db = await PGlite.create(dataDir ?? "memory://", { parsers });
  const base = queryable(db);
  return {
    kind: "pglite",
    concurrency: 1,
    query: base.query,
    script: base.script,
    transaction: (work) => db.transaction((tx) => work(queryable(tx))),
    close: () => db.close(),
  };
}
