/**
 * The throughput benchmark, for two workloads: `consume` (spend credits) and `authorize` (the usage
 * hot path: charge a plan's windows). Group commit is compared with a naive baseline measured in the same run on
 * the same machine: one transaction per request, with as many transactions in flight as the store
 * has connections. Each configuration gets a fresh database, the same number of requests in flight
 * and the same duration; only ratios are meant to be compared across machines.
 */
import { randomBytes } from "node:crypto";
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import postgres from "postgres";
import { systemClock } from "../core/clock.js";
import { createEngine, type Engine } from "../engine/engine.js";
import { migrate } from "../store/migrator.js";
import { openStore, type Store, type StoreKind } from "../store/store.js";

export interface BenchOptions {
  readonly databaseUrl: string | undefined;
  readonly seconds: number;
  readonly concurrency: number;
  readonly wallets: number;
  /** Batches in flight for group commit (default: the engine's). */
  readonly lanes?: number | undefined;
  /** Limit the run to some configurations, e.g. ["postgres:group:uncontended"]; empty runs all. */
  readonly only?: readonly string[];
  /** Which workloads to run (default: both). */
  readonly workloads?: readonly Workload[];
  readonly progress: (line: string) => void;
}

type Mode = "naive" | "group";
type Scenario = "uncontended" | "hot";
export const WORKLOADS = ["consume", "authorize"] as const;
export type Workload = (typeof WORKLOADS)[number];

export interface BenchRun {
  readonly backend: StoreKind;
  readonly workload: Workload;
  readonly mode: Mode;
  readonly scenario: Scenario;
  readonly requests: number;
  readonly opsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanBatchSize: number;
  readonly verified: boolean;
}

export interface BenchReport {
  readonly machine: { readonly cpus: number; readonly node: string };
  readonly settings: { readonly seconds: number; readonly concurrency: number; readonly wallets: number };
  readonly runs: readonly BenchRun[];
  /**
   * Per backend and workload (`postgres:authorize`): group commit over the naive baseline, uncontended and hot; the hot wallet's group
   * rate as a share of the uncontended one; and whether the targets (10x, and within 2x) are met.
   */
  readonly ratios: Record<
    string,
    {
      groupOverNaiveUncontended: number;
      groupOverNaiveHot: number;
      hotOverUncontendedGroup: number;
      meets10xTarget: boolean;
      meetsHotWithin2xTarget: boolean;
    }
  >;
}

const GRANT_MINOR = 1_000_000_000n;

export interface Target {
  readonly backend: StoreKind;
  open(): Promise<{ store: Store; dispose: () => Promise<void> }>;
}

function pgliteTarget(): Target {
  return {
    backend: "pglite",
    async open() {
      const store = await openStore({});
      return { store, dispose: () => store.close() };
    },
  };
}

function postgresTarget(baseUrl: string): Target {
  return {
    backend: "postgres",
    async open() {
      const database = `boon_bench_${randomBytes(5).toString("hex")}`;
      const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`CREATE DATABASE ${database}`);
      const url = new URL(baseUrl);
      url.pathname = `/${database}`;
      const store = await openStore({ databaseUrl: url.toString() });
      return {
        store,
        dispose: async () => {
          await store.close();
          await admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
          await admin.end();
        },
      };
    },
  };
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.floor(fraction * sorted.length));
  return Math.round((sorted[index] ?? 0) * 1000) / 1000;
}

/**
 * A plan whose windows never fill during a run, so every authorization takes the common path: charge
 * a 5-hour window and a weekly one.
 */
/** Customers the HTTP benchmark spreads its requests over. */
export const HTTP_BENCH_CUSTOMERS = 1000;

export const BENCH_PLAN_SPEC = {
  meters: {
    messages: [
      { window: "5h", kind: "fixed", duration: "5h", allowance: 1_000_000_000 },
      { window: "weekly", kind: "calendar", unit: "week", timeZone: "UTC", allowance: 1_000_000_000 },
    ],
  },
  actions: { message: { costs: { messages: 1 }, creditPriceMinor: 1 } },
};

async function seed(engine: Engine, customers: readonly string[]): Promise<void> {
  const saved = await engine.savePlan("bench", BENCH_PLAN_SPEC);
  if (!saved.ok) throw new Error(`bench plan refused: ${saved.error.message}`);
  const chunk = 200;
  for (let start = 0; start < customers.length; start += chunk) {
    const slice = customers.slice(start, start + chunk);
    for (const id of slice) await engine.upsertCustomer({ id, plan: "bench" });
    await Promise.all(
      slice.map((id) =>
        engine.grant({
          customerId: id,
          amountMinor: GRANT_MINOR,
          kind: "purchased",
          idempotencyKey: `seed-${id}`,
        }),
      ),
    );
  }
}

async function drive(
  engine: Engine,
  customers: readonly string[],
  workload: Workload,
  options: BenchOptions,
) {
  const latencies: number[] = [];
  const deadline = performance.now() + options.seconds * 1000;
  let sequence = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      sequence += 1;
      const customerId = customers[sequence % customers.length] ?? "";
      const started = performance.now();
      const idempotencyKey = `bench-${sequence}`;
      const outcome =
        workload === "consume"
          ? await engine.consume({ customerId, amountMinor: 1, idempotencyKey })
          : await engine.authorize({ customerId, action: "message", quantity: 1, idempotencyKey });
      if (!outcome.ok) throw new Error(`bench ${workload} failed: ${outcome.error.message}`);
      latencies.push(performance.now() - started);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return { latencies, elapsedMs: performance.now() - started };
}

async function runOne(
  target: Target,
  step: { readonly workload: Workload; readonly mode: Mode; readonly scenario: Scenario },
  options: BenchOptions,
): Promise<BenchRun> {
  const { workload, mode, scenario } = step;
  const { store, dispose } = await target.open();
  try {
    await migrate(store);
    const batchSizes: number[] = [];
    const engine = await createEngine({
      store,
      clock: systemClock,
      ...(mode === "naive"
        ? { batchSizeMax: 1, lanes: store.concurrency }
        : options.lanes === undefined
          ? {}
          : { lanes: options.lanes }),
      onBatch: (size) => batchSizes.push(size),
    });
    // Both scenarios hold the same wallets, so the database is the same size; only who is driven differs.
    const customers = Array.from(
      { length: options.wallets },
      (_, i) => `bench-${String(i).padStart(6, "0")}`,
    );
    await seed(engine, customers);
    const driven = scenario === "hot" ? customers.slice(0, 1) : customers;
    // Fresh statistics, as autovacuum keeps them on a live database: without them the planner guesses.
    await store.query("ANALYZE");
    batchSizes.length = 0;
    const { latencies, elapsedMs } = await drive(engine, driven, workload, options);
    await engine.drain();
    const report = await engine.verify();
    latencies.sort((a, b) => a - b);
    const batched = batchSizes.reduce((sum, size) => sum + size, 0);
    return {
      backend: target.backend,
      workload,
      mode,
      scenario,
      requests: latencies.length,
      opsPerSec: Math.round((latencies.length / elapsedMs) * 1000),
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
      meanBatchSize: batchSizes.length === 0 ? 0 : Math.round((batched / batchSizes.length) * 10) / 10,
      verified: report.ok,
    };
  } finally {
    await dispose();
  }
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : Math.round((a / b) * 100) / 100);

/** Embedded PGlite always, and the PostgreSQL server when a URL is given; a fresh database per run. */
export function benchTargets(databaseUrl: string | undefined): Target[] {
  return [pgliteTarget(), ...(databaseUrl === undefined ? [] : [postgresTarget(databaseUrl)])];
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const targets = benchTargets(options.databaseUrl);
  const runs: BenchRun[] = [];
  const workloads = options.workloads ?? WORKLOADS;
  const plan = targets
    .flatMap((target) =>
      workloads.flatMap((workload) =>
        (["uncontended", "hot"] as const).flatMap((scenario) =>
          (["naive", "group"] as const).map((mode) => ({ target, workload, scenario, mode })),
        ),
      ),
    )
    .filter((step) => {
      const only = options.only ?? [];
      return only.length === 0 || only.includes(`${step.target.backend}:${step.mode}:${step.scenario}`);
    });
  for (const [index, step] of plan.entries()) {
    options.progress(
      `[${index + 1}/${plan.length}] ${step.target.backend} ${step.workload} ${step.scenario} ${step.mode} (${options.seconds}s)`,
    );
    const run = await runOne(step.target, step, options);
    options.progress(
      `    ${run.opsPerSec} ops/s, p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms, mean batch ${run.meanBatchSize}`,
    );
    runs.push(run);
  }
  const ratios: BenchReport["ratios"] = {};
  for (const { target, workload } of targets.flatMap((t) =>
    workloads.map((w) => ({ target: t, workload: w })),
  )) {
    const find = (mode: Mode, scenario: Scenario) =>
      runs.find(
        (r) =>
          r.backend === target.backend &&
          r.workload === workload &&
          r.mode === mode &&
          r.scenario === scenario,
      )?.opsPerSec ?? 0;
    const overNaive = ratio(find("group", "uncontended"), find("naive", "uncontended"));
    const hotShare = ratio(find("group", "hot"), find("group", "uncontended"));
    ratios[`${target.backend}:${workload}`] = {
      groupOverNaiveUncontended: overNaive,
      groupOverNaiveHot: ratio(find("group", "hot"), find("naive", "hot")),
      hotOverUncontendedGroup: hotShare,
      meets10xTarget: overNaive >= 10,
      meetsHotWithin2xTarget: hotShare >= 0.5,
    };
  }
  return {
    machine: { cpus: cpus().length, node: process.version },
    settings: { seconds: options.seconds, concurrency: options.concurrency, wallets: options.wallets },
    runs,
    ratios,
  };
}
