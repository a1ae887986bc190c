/**
 * The HTTP benchmark: autocannon on loopback against `POST /v1/usage`, beside a trivial Hono handler
 * measured in the same run as the ceiling. Each server runs in its own child process.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import autocannon from "autocannon";
import { HTTP_BENCH_CUSTOMERS, runBench } from "./bench.js";
import type { HttpChartBar } from "./bench-chart.js";

export interface HttpBenchOptions {
  readonly databaseUrl: string | undefined;
  readonly seconds: number;
  readonly connections: number;
  readonly progress: (line: string) => void;
}

export interface HttpBenchRun {
  readonly target: string;
  readonly requestsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
}

const SERVER = new URL("./bench-http-server.js", import.meta.url).pathname;

async function startServer(
  mode: string,
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; port: number; key: string }> {
  const child = spawn(process.execPath, [SERVER, mode], { env, stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    const match = /^ready (\d+) (\S+)$/.exec(line);
    if (match !== null) return { child, port: Number(match[1]), key: match[2] ?? "" };
  }
  throw new Error(`the ${mode} server exited before it was ready`);
}

async function load(port: number, key: string, options: HttpBenchOptions): Promise<autocannon.Result> {
  let sequence = 0;
  return autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: options.connections,
    duration: options.seconds,
    requests: [
      {
        method: "POST",
        path: "/v1/usage",
        setupRequest: (request) => {
          sequence += 1;
          return {
            ...request,
            headers: {
              "content-type": "application/json",
              authorization: `Bearer ${key}`,
              "idempotency-key": `bench-${process.pid}-${sequence}`,
            },
            body: JSON.stringify({ customerId: `c${sequence % HTTP_BENCH_CUSTOMERS}`, action: "message" }),
          };
        },
      },
    ],
  });
}

export async function runHttpBench(
  options: HttpBenchOptions,
): Promise<{ runs: HttpBenchRun[]; ratios: Record<string, number>; engineAlone: EngineAloneRun[] }> {
  const targets = [
    { name: "trivial hono", mode: "trivial", env: {} },
    { name: "boon pglite", mode: "boon", env: { BENCH_DATABASE_URL: "" } },
    ...(options.databaseUrl === undefined
      ? []
      : [{ name: "boon postgres", mode: "boon", env: { BENCH_DATABASE_URL: options.databaseUrl } }]),
  ];
  const runs: HttpBenchRun[] = [];
  for (const target of targets) {
    options.progress(`${target.name}: starting`);
    const server = await startServer(target.mode, { ...process.env, ...target.env });
    try {
      const result = await load(server.port, server.key, options);
      runs.push({
        target: target.name,
        requestsPerSec: Math.round(result.requests.average),
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        non2xx: result.non2xx,
        errors: result.errors,
      });
      options.progress(`${target.name}: ${JSON.stringify(runs[runs.length - 1])}`);
    } finally {
      server.child.kill("SIGTERM");
    }
  }
  const ceiling = runs[0]?.requestsPerSec ?? 0;
  const ratios = Object.fromEntries(
    runs.slice(1).map((run) => [run.target, Math.round((run.requestsPerSec / ceiling) * 100) / 100]),
  );
  return { runs, ratios, engineAlone: await engineAlone(options, runs) };
}

/**
 * The second ceiling: the same authorizations, as many in flight as there were connections, called on
 * the engine in process with no HTTP at all. What HTTP adds is the gap between this and Boon's run.
 */
async function engineAlone(
  options: HttpBenchOptions,
  runs: readonly HttpBenchRun[],
): Promise<EngineAloneRun[]> {
  const backends = options.databaseUrl === undefined ? ["pglite"] : ["pglite", "postgres"];
  const report = await runBench({
    databaseUrl: options.databaseUrl,
    seconds: options.seconds,
    concurrency: options.connections,
    wallets: HTTP_BENCH_CUSTOMERS,
    only: backends.map((backend) => `${backend}:group:uncontended`),
    workloads: ["authorize"],
    progress: (line) => options.progress(`engine alone: ${line.trim()}`),
  });
  return report.runs.map((run) => {
    const overHttp =
      runs.find((candidate) => candidate.target === `boon ${run.backend}`)?.requestsPerSec ?? 0;
    return {
      backend: run.backend,
      opsPerSec: run.opsPerSec,
      p50Ms: run.p50Ms,
      p99Ms: run.p99Ms,
      httpShareOfEngine: Math.round((overHttp / run.opsPerSec) * 100) / 100,
    };
  });
}

export interface EngineAloneRun {
  readonly backend: string;
  readonly opsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Boon over HTTP as a share of the engine alone on the same backend. */
  readonly httpShareOfEngine: number;
}

/** The target: Boon over HTTP at this share of the trivial handler's throughput. */
export const HTTP_TARGET_SHARE = 0.4;

/** The bars of the chart: the ceiling, then per backend the engine alone and Boon over HTTP. */
export function httpChartBars(report: Awaited<ReturnType<typeof runHttpBench>>): HttpChartBar[] {
  const [ceiling, ...boon] = report.runs;
  const bars: HttpChartBar[] = [];
  if (ceiling !== undefined)
    bars.push({
      label: "trivial Hono handler",
      perSecond: ceiling.requestsPerSec,
      p99Ms: ceiling.p99Ms,
      kind: "ceiling",
    });
  for (const run of boon) {
    const backend = run.target.replace(/^boon /, "");
    const engine = report.engineAlone.find((candidate) => candidate.backend === backend);
    if (engine !== undefined)
      bars.push({
        label: `engine alone, ${backend}`,
        perSecond: engine.opsPerSec,
        p99Ms: engine.p99Ms,
        kind: "engine",
      });
    bars.push({
      label: `Boon over HTTP, ${backend}`,
      perSecond: run.requestsPerSec,
      p99Ms: run.p99Ms,
      kind: "http",
    });
  }
  return bars;
}
