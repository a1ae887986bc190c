/**
 * The bulk-reset benchmark: a plan with N customers (default a million), each with two used windows,
 * reset by one operator call. The baseline, measured in the same run, is the loop an operator would
 * otherwise write: one transaction per customer. The loop runs on a sample and its rate is
 * extrapolated, since running it for a million customers would take the very minutes the set-based
 * reset exists to avoid.
 */
import { performance } from "node:perf_hooks";
import { systemClock } from "../core/clock.js";
import { createEngine } from "../engine/engine.js";
import { migrate } from "../store/migrator.js";
import type { StoreKind } from "../store/store.js";
import { BENCH_PLAN_SPEC, benchTargets } from "./bench.js";

export interface ResetBenchOptions {
  readonly databaseUrl: string | undefined;
  readonly customers: number;
  /** Customers reset one transaction at a time for the baseline. */
  readonly sample: number;
  readonly backends?: readonly StoreKind[];
  readonly progress: (line: string) => void;
}

export interface ResetBenchRun {
  readonly backend: StoreKind;
  readonly customers: number;
  readonly windowsBefore: number;
  readonly seedSeconds: number;
  readonly bulkSeconds: number;
  readonly bulkCustomersPerSec: number;
  readonly loopCustomersPerSec: number;
  /** How long the one-transaction-per-customer loop would take for every customer, at its measured rate. */
  readonly loopEstimatedSeconds: number;
  readonly bulkOverLoop: number;
  readonly windowsLeft: number;
}

const seconds = (ms: number): number => Math.round(ms) / 1000;

export async function runResetBench(options: ResetBenchOptions): Promise<ResetBenchRun[]> {
  const runs: ResetBenchRun[] = [];
  for (const target of benchTargets(options.databaseUrl)) {
    if (options.backends !== undefined && !options.backends.includes(target.backend)) continue;
    const { store, dispose } = await target.open();
    try {
      await migrate(store);
      const engine = await createEngine({ store, clock: systemClock });
      const saved = await engine.savePlan("bench", BENCH_PLAN_SPEC);
      if (!saved.ok) throw new Error(saved.error.message);
      options.progress(
        `${target.backend}: seeding ${options.customers} customers with two used windows each`,
      );
      const seedStarted = performance.now();
      await seedCustomers(store, options.customers);
      const seedSeconds = seconds(performance.now() - seedStarted);
      const windowsBefore = await countWindows(store);
      options.progress(
        `${target.backend}: seeded in ${seedSeconds}s; loop baseline on ${options.sample} customers`,
      );
      const loopStarted = performance.now();
      for (let i = 1; i <= options.sample; i += 1) {
        await store.transaction((tx) =>
          tx.query("DELETE FROM usage_windows WHERE customer_id = $1::text", [customerId(i)]),
        );
      }
      const loopSeconds = (performance.now() - loopStarted) / 1000;
      options.progress(`${target.backend}: bulk reset of plan bench`);
      const bulkStarted = performance.now();
      const reset = await engine.bulkReset({
        plan: "bench",
        actor: "bench",
        reason: "benchmark",
        idempotencyKey: "bench-bulk",
      });
      const bulkSeconds = (performance.now() - bulkStarted) / 1000;
      if (!reset.ok) throw new Error(reset.error.message);
      const loopRate = options.sample / loopSeconds;
      runs.push({
        backend: target.backend,
        customers: reset.value.customers,
        windowsBefore,
        seedSeconds,
        bulkSeconds: Math.round(bulkSeconds * 100) / 100,
        bulkCustomersPerSec: Math.round(reset.value.customers / bulkSeconds),
        loopCustomersPerSec: Math.round(loopRate),
        loopEstimatedSeconds: Math.round(options.customers / loopRate),
        bulkOverLoop: Math.round((options.customers / loopRate / bulkSeconds) * 10) / 10,
        windowsLeft: await countWindows(store),
      });
      options.progress(`${target.backend}: ${JSON.stringify(runs[runs.length - 1])}`);
    } finally {
      await dispose();
    }
  }
  return runs;
}

const customerId = (i: number): string => `bulk-${String(i).padStart(7, "0")}`;

/** Set-based seeding: customers, wallets and two used windows each, in three statements. */
async function seedCustomers(store: import("../store/store.js").Store, count: number): Promise<void> {
  const id = "'bulk-' || lpad(i::text, 7, '0')";
  await store.query(
    `INSERT INTO customers (id, plan, created_at, updated_at)
     SELECT ${id}, 'bench', now(), now() FROM generate_series(1, $1::integer) AS i`,
    [count],
  );
  await store.query(
    `INSERT INTO accounts (id, kind, customer_id, created_at)
     SELECT 'acc_bulk_' || i, 'wallet', ${id}, now() FROM generate_series(1, $1::integer) AS i`,
    [count],
  );
  await store.query(
    `INSERT INTO usage_windows (customer_id, window_id, started_at, used_units, updated_at)
     SELECT ${id}, w.id, now(), 7, now()
     FROM generate_series(1, $1::integer) AS i CROSS JOIN (VALUES ('messages/5h'), ('messages/weekly')) AS w(id)`,
    [count],
  );
  await store.query("ANALYZE");
}

async function countWindows(store: import("../store/store.js").Store): Promise<number> {
  const rows = await store.query<{ count: bigint }>("SELECT count(*) AS count FROM usage_windows");
  return Number(rows[0]?.count ?? 0n);
}
