/** Operating commands: migrate, verify, expire, start, demo, bench. */

import { writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import { SingleBar } from "cli-progress";
import type { Command } from "commander";
import { migrate } from "../store/migrator.js";
import { openStore } from "../store/store.js";
import { runBench, WORKLOADS, type Workload } from "./bench.js";
import { renderBenchChart, renderHttpChart } from "./bench-chart.js";
import { HTTP_TARGET_SHARE, httpChartBars, runHttpBench } from "./bench-http.js";
import { runResetBench } from "./bench-reset.js";
import {
  CliError,
  describeTarget,
  type GlobalOptions,
  resolveConfig,
  toJson,
  withEngine,
} from "./context.js";
import { seedDemo } from "./demo.js";
import { startCommand } from "./start.js";

type Globals = () => GlobalOptions;

/** A progress bar on a terminal; nothing when output is piped, so logs and JSON stay clean. */
function progressBar(label: string): SingleBar | null {
  if (process.stderr.isTTY !== true) return null;
  return new SingleBar({
    format: `${label} [{bar}] {value}/{total} {step}`,
    stream: process.stderr,
    hideCursor: true,
  });
}

interface BenchFlags {
  readonly seconds: string;
  readonly concurrency: string;
  readonly wallets: string;
  readonly only?: string;
  readonly chart?: string;
  readonly lanes?: string;
  readonly workloads: string;
}

export function registerOperationsCommands(program: Command, globals: Globals): void {
  registerMigrateCommand(program, globals);
  registerVerifyCommand(program, globals);
  registerExpireCommand(program, globals);
  registerDemoCommand(program, globals);
  registerStartCommand(program, globals);
  registerBenchCommand(program, globals);
  registerResetBenchCommand(program, globals);
  registerHttpBenchCommand(program, globals);
}

function registerMigrateCommand(program: Command, globals: Globals): void {
  program
    .command("migrate")
    .description("apply pending schema migrations (refuses an edited history)")
    .action(async () => {
      const { databaseUrl, dataDir } = resolveConfig(globals());
      const store = await openStore({ databaseUrl, dataDir });
      try {
        const report = await migrate(store, undefined, (m) =>
          process.stderr.write(`applied ${m.version}_${m.name}\n`),
        );
        process.stdout.write(
          `${describeTarget(globals())}: schema at version ${report.current} (${report.applied.length} applied now)\n`,
        );
      } finally {
        await store.close();
      }
    });
}

function registerVerifyCommand(program: Command, globals: Globals): void {
  program
    .command("verify")
    .description("check every ledger invariant from the posted entries; exits 1 naming the first violation")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      await withEngine(globals(), async (engine) => {
        const bar = progressBar("verify");
        bar?.start(1, 0, { step: "" });
        const report = await engine.verify((done, total, name) => {
          bar?.setTotal(total);
          bar?.update(done, { step: name });
        });
        bar?.stop();
        if (options.json === true) process.stdout.write(`${toJson(report)}\n`);
        else {
          for (const check of report.checks) {
            process.stdout.write(
              `${check.violation === null ? "ok  " : "FAIL"}  ${check.name}: ${check.invariant}\n`,
            );
          }
          process.stdout.write(
            `${report.counts.transfers} transfers, ${report.counts.entries} entries, ${report.counts.lots} lots, ${report.counts.wallets} wallets\n`,
          );
        }
        if (!report.ok) {
          process.stderr.write(`violation: ${report.firstViolation}\n`);
          process.exitCode = 1;
        }
      });
    });
}

function registerExpireCommand(program: Command, globals: Globals): void {
  program
    .command("expire")
    .description(
      "book expired lots to breakage, release holds past their timeout, expire gifts, end unpaid checkouts",
    )
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      await withEngine(globals(), async (engine) => {
        const report = await engine.sweep((done) => process.stderr.write(`\rswept ${done} customers`));
        if (process.stderr.isTTY === true) process.stderr.write("\n");
        process.stdout.write(
          options.json === true
            ? `${toJson(report)}\n`
            : `swept ${report.customers} customers: ${report.expiredMinor} expired to breakage, ${report.releasedHolds} holds released, ${report.expiredGifts} gifts expired, ${report.expiredCheckouts} unpaid checkouts ended\n`,
        );
      });
    });
}

function registerDemoCommand(program: Command, globals: Globals): void {
  program
    .command("demo")
    .description("seed demo customers with grants, spending and a hold")
    .action(async () => {
      await withEngine(globals(), async (engine) => {
        const seeded = await seedDemo(engine);
        process.stdout.write(seeded ? "demo customers seeded\n" : "demo already present\n");
      });
    });
}

function registerStartCommand(program: Command, globals: Globals): void {
  program
    .command("start")
    .description("run Boon: migrate, load plans, seed the demo on first start, then sweep on a timer")
    .option("--plans <file>", "a plan file to load at start (default: $BOON_PLANS_FILE)")
    .action(async (options: { plans?: string }) =>
      startCommand(globals(), options.plans ?? process.env.BOON_PLANS_FILE),
    );
}

function registerBenchCommand(program: Command, globals: Globals): void {
  program
    .command("bench")
    .description("measure consume throughput: group commit against one transaction per request")
    .option("--seconds <n>", "how long each configuration runs", "4")
    .option("--concurrency <n>", "requests in flight", "64")
    .option("--wallets <n>", "wallets in the uncontended run", "1000")
    .option("--only <configs>", "comma-separated backend:mode:scenario, e.g. postgres:group:hot")
    .option("--chart <file.svg>", "also draw the results as an SVG bar chart")
    .option("--lanes <n>", "group-commit batches in flight (default: 1 on PGlite, 2 on PostgreSQL)")
    .option("--workloads <list>", "consume, authorize, or both", "consume,authorize")
    .action(async (options: BenchFlags) => {
      const { databaseUrl } = resolveConfig(globals());
      const report = await runBench({
        databaseUrl,
        seconds: positive(options.seconds, "--seconds"),
        concurrency: positive(options.concurrency, "--concurrency"),
        wallets: positive(options.wallets, "--wallets"),
        only: options.only?.split(",").filter((item) => item !== "") ?? [],
        lanes: options.lanes === undefined ? undefined : positive(options.lanes, "--lanes"),
        workloads: workloadsOf(options.workloads),
        progress: (line) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(`${toJson(report)}\n`);
      if (options.chart !== undefined) {
        await writeFile(options.chart, renderBenchChart(report));
        process.stderr.write(`chart written to ${options.chart}\n`);
      }
    });
}

function workloadsOf(value: string): Workload[] {
  const items = value.split(",").filter((item) => item !== "");
  for (const item of items) {
    if (!(WORKLOADS as readonly string[]).includes(item))
      throw new CliError(`--workloads takes ${WORKLOADS.join(", ")}, got ${item}`, 2);
  }
  return items as Workload[];
}

function registerHttpBenchCommand(program: Command, globals: Globals): void {
  program
    .command("bench-http")
    .description("load POST /v1/usage over loopback HTTP (autocannon) beside a trivial Hono handler")
    .option("--seconds <n>", "how long each target runs", "10")
    .option("--connections <n>", "concurrent connections", "64")
    .option("--chart <file.svg>", "also draw the results as an SVG bar chart")
    .action(async (options: { seconds: string; connections: string; chart?: string }) => {
      const { databaseUrl } = resolveConfig(globals());
      const connections = positive(options.connections, "--connections");
      const report = await runHttpBench({
        databaseUrl,
        seconds: positive(options.seconds, "--seconds"),
        connections,
        progress: (line) => process.stderr.write(`${line}\n`),
      });
      if (options.chart !== undefined) {
        const title = `POST /v1/usage over loopback HTTP, ${connections} connections (requests/s)`;
        await writeFile(options.chart, renderHttpChart(httpChartBars(report), HTTP_TARGET_SHARE, title));
      }
      process.stdout.write(
        `${toJson({ machine: { cpus: cpus().length, node: process.version }, ...report })}\n`,
      );
    });
}

function registerResetBenchCommand(program: Command, globals: Globals): void {
  program
    .command("bench-reset")
    .description("measure a bulk reset of a plan's customers against a one-transaction-per-customer loop")
    .option("--customers <n>", "customers on the plan", "1000000")
    .option("--sample <n>", "customers the loop baseline resets", "2000")
    .option("--backends <list>", "pglite, postgres, or both (postgres needs $DATABASE_URL)")
    .action(async (options: { customers: string; sample: string; backends?: string }) => {
      const { databaseUrl } = resolveConfig(globals());
      const runs = await runResetBench({
        databaseUrl,
        customers: positive(options.customers, "--customers"),
        sample: positive(options.sample, "--sample"),
        ...(options.backends === undefined
          ? {}
          : { backends: options.backends.split(",") as ("pglite" | "postgres")[] }),
        progress: (line) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(`${toJson({ machine: { cpus: cpus().length, node: process.version }, runs })}\n`);
    });
}

function positive(value: string, flag: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new CliError(`${flag} must be a positive whole number`, 2);
  return parsed;
}
