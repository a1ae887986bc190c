import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { pino } from "pino";
import { systemClock } from "../core/clock.js";
import { createCustomerTokens, loadTokenSecret } from "../engine/customer-tokens.js";
import { createEngine, systemIds } from "../engine/engine.js";
import { createKeys } from "../engine/keys.js";
import { createWebhooks } from "../engine/webhooks.js";
import { createApp } from "../http/app.js";
import { Metrics } from "../http/metrics.js";
import { RATE_LIMIT_CUSTOMER_DEFAULT } from "../http/rate-limit.js";
import { migrate } from "../store/migrator.js";
import { openStore } from "../store/store.js";
import { BENCH_PLAN_SPEC, HTTP_BENCH_CUSTOMERS } from "./bench.js";

async function boonFetch(): Promise<{
  fetch: (request: Request) => Response | Promise<Response>;
  key: string;
}> {
  const databaseUrl = process.env.BENCH_DATABASE_URL;
  const store = await openStore(databaseUrl === undefined || databaseUrl === "" ? {} : { databaseUrl });
  await migrate(store);
  const ids = systemIds();
  const metrics = new Metrics();
  const engine = await createEngine({
    store,
    clock: systemClock,
    onBatch: (size, seconds) => metrics.observeBatch(size, seconds),
  });
  const keys = createKeys(store, systemClock, ids);
  const saved = await engine.savePlan("bench", BENCH_PLAN_SPEC);
  if (!saved.ok) throw new Error(saved.error.message);
  for (let i = 0; i < HTTP_BENCH_CUSTOMERS; i += 1)
    await engine.upsertCustomer({ id: `c${i}`, plan: "bench" });
  await store.query("ANALYZE");
  const created = await keys.create({ name: "bench", scope: "server" });
  if (!created.ok) throw new Error(created.error.message);
  const app = createApp({
    engine,
    keys,
    tokens: createCustomerTokens(await loadTokenSecret(store)),
    webhooks: createWebhooks(store, systemClock, ids),
    logger: pino({ level: "silent" }),
    metrics,
    // The benchmark drives one key as hard as it can; the limit is not what is being measured.
    rateLimits: { key: { perSecond: 1e9, burst: 1e9 }, customer: RATE_LIMIT_CUSTOMER_DEFAULT },
  });
  return { fetch: app.fetch, key: created.value.secret };
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  const target =
    mode === "trivial"
      ? { fetch: new Hono().post("/v1/usage", (c) => c.json({ allowed: true })).fetch, key: "none" }
      : await boonFetch();
  serve({ fetch: target.fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) => {
    process.stdout.write(`ready ${info.port} ${target.key}\n`);
  });
}

// Only when run as the child process: importing this module must never start a server.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();

// Exit cleanly when the benchmark is done with this server, so exit hooks (a CPU profile) run.
process.on("SIGTERM", () => process.exit(0));
