import { readFile } from "node:fs/promises";
import { serve } from "@hono/node-server";
import { pino } from "pino";
import { systemClock } from "../core/clock.js";
import { createCustomerTokens, loadTokenSecret } from "../engine/customer-tokens.js";
import { createEngine, type Engine, systemIds } from "../engine/engine.js";
import { createKeys, type Keys } from "../engine/keys.js";
import { createWebhooks } from "../engine/webhooks.js";
import { createApp } from "../http/app.js";
import { Metrics } from "../http/metrics.js";
import { CliError, describeTarget, type GlobalOptions, openConfiguredStore } from "./context.js";
import { seedDemo } from "./demo.js";

export const PORT_DEFAULT = 8787;
export const SWEEP_INTERVAL_SECONDS_DEFAULT = 30;
/** How often the outbox is fanned out and due webhook deliveries are attempted. */
export const WEBHOOK_INTERVAL_MS = 1000;

async function loadPlans(engine: Engine, plansFile: string): Promise<unknown> {
  const loaded = await engine.loadPlanFile(await readFile(plansFile, "utf8"), plansFile);
  if (!loaded.ok) throw new CliError(loaded.error.message);
  return loaded.value.plans;
}

async function seedWithKey(engine: Engine, keys: Keys): Promise<string | null> {
  if (!(await seedDemo(engine))) return null;
  const created = await keys.create({ name: "demo admin", scope: "admin" });
  return created.ok ? created.value.secret : null;
}

export async function startCommand(options: GlobalOptions, plansFile: string | undefined): Promise<void> {
  const logger = pino({ name: "boon" });
  const store = await openConfiguredStore(options);
  const metrics = new Metrics();
  const engine = await createEngine({
    store,
    clock: systemClock,
    onBatch: (size) => metrics.observeBatch(size),
  });
  const keys = createKeys(store, systemClock, systemIds(), process.env.BOON_ADMIN_KEY);
  logger.info({ target: describeTarget(options) }, "store ready");
  try {
    if (plansFile !== undefined && plansFile !== "")
      logger.info({ plans: await loadPlans(engine, plansFile) }, "plans loaded");
    if (store.kind === "pglite" && process.env.BOON_DEMO !== "0") {
      const secret = await seedWithKey(engine, keys);
      if (secret !== null) {
        process.stdout.write(`demo seeded; an admin key for it (shown once): ${secret}\n`);
      }
    }
  } catch (error) {
    await store.close();
    throw error;
  }
  const port = Number(process.env.PORT ?? PORT_DEFAULT);
  const secret = process.env.BOON_TOKEN_SECRET;
  const tokens = createCustomerTokens(
    secret === undefined || secret === "" ? await loadTokenSecret(store) : Buffer.from(secret),
  );
  const corsOrigins = (process.env.BOON_CORS_ORIGINS ?? "")
    .split(",")
    .map((origin) => origin.trim())
    .filter((origin) => origin !== "");
  const webhooks = createWebhooks(store, systemClock, systemIds());
  const app = createApp({ engine, keys, tokens, webhooks, logger, metrics, corsOrigins });
  const server = serve({ fetch: app.fetch, port });
  logger.info({ port, docs: `http://localhost:${port}/docs` }, "serving the HTTP API");
  const intervalSeconds = Number(process.env.BOON_SWEEP_INTERVAL_SECONDS ?? SWEEP_INTERVAL_SECONDS_DEFAULT);
  const sweep = async () => {
    const report = await engine.sweep();
    if (report.customers > 0)
      logger.info({ ...report, expiredMinor: report.expiredMinor.toString() }, "swept");
  };
  const timer = setInterval(
    () => void sweep().catch((error) => logger.error({ err: error }, "sweep failed")),
    intervalSeconds * 1000,
  );
  void sweep().catch((error) => logger.error({ err: error }, "sweep failed"));
  let dispatching = false;
  const dispatchTimer = setInterval(() => {
    if (dispatching) return;
    dispatching = true;
    webhooks
      .dispatch()
      .then((report) => {
        if (report.attempted > 0) logger.info(report, "webhooks dispatched");
      })
      .catch((error) => logger.error({ err: error }, "webhook dispatch failed"))
      .finally(() => {
        dispatching = false;
      });
  }, WEBHOOK_INTERVAL_MS);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  logger.info("stopping: no new connections; finishing requests in flight");
  clearInterval(timer);
  clearInterval(dispatchTimer);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await engine.drain();
  await store.close();
  logger.info("stopped");
}
