import postgres from "postgres";
import type { Queryable, SqlParam, Store } from "./store.js";

type Sql = postgres.Sql<{ bigint: bigint }>;

function queryable(sql: postgres.TransactionSql<{ bigint: bigint }> | Sql): Queryable {
  return {
    async query<Row>(text: string, params: readonly SqlParam[] = []) {
      const rows = await sql.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true });
      return rows as unknown as Row[];
    },
    async script(text: string) {
      await sql.unsafe(text);
    },
  };
}

export async function openPostgresStore(url: string, poolSize: number): Promise<Store> {
  const sql: Sql = postgres(url, {
    max: poolSize,
    types: { bigint: postgres.BigInt },
    onnotice: () => {},
    connect_timeout: 10,
  });
  const base = queryable(sql);
  return {
    kind: "postgres",
    concurrency: poolSize,
    query: base.query,
    script: base.script,
    transaction: async (work) =>
      (await sql.begin((tx) => work(queryable(tx)))) as Awaited<ReturnType<typeof work>>,
    close: () => sql.end({ timeout: 5 }),
  };
}
