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
import {
  bulkCustomerId,
  countUsageWindows,
  deleteCustomerWindows,
  seedBulkCustomers,
} from "../store/bench-repo.js";
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
      await seedBulkCustomers(store, options.customers);
      const seedSeconds = seconds(performance.now() - seedStarted);
      const windowsBefore = await countUsageWindows(store);
      options.progress(
        `${target.backend}: seeded in ${seedSeconds}s; loop baseline on ${options.sample} customers`,
      );
      const loopStarted = performance.now();
      for (let i = 1; i <= options.sample; i += 1) {
        await store.transaction((tx) => deleteCustomerWindows(tx, bulkCustomerId(i)));
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
        windowsLeft: await countUsageWindows(store),
      });
      options.progress(`${target.backend}: ${JSON.stringify(runs[runs.length - 1])}`);
    } finally {
      await dispose();
    }
  }
  return runs;
}
