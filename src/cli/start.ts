import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { Server } from "node:http";
import { fileURLToPath } from "node:url";
import { type ServerType, serve } from "@hono/node-server";
import { type Logger, pino } from "pino";
import { systemClock } from "../core/clock.js";
import { createCustomerTokens, loadTokenSecret } from "../engine/customer-tokens.js";
import { createEngine, type Engine, systemIds } from "../engine/engine.js";
import { createKeys, KEY_SECRET_PREFIX, type Keys } from "../engine/keys.js";
import { createDemoProvider, createStripeProvider, type DemoProvider } from "../engine/payment-provider.js";
import { createWebhooks, type Webhooks } from "../engine/webhooks.js";
import { createApp, type HttpDeps } from "../http/app.js";
import { Metrics } from "../http/metrics.js";
import { DISPLAY_SCALE_MAX, loadWebPages, type WebPages } from "../http/web-pages.js";
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

/**
 * Node's close() stops accepting connections but goes on serving requests that arrive on open
 * keep-alive connections, so a client with a busy connection pool would hold a stop off for as long
 * as it kept sending. Once stopping, each connection is ended as soon as its answer is out.
 */
function closerFor(server: ServerType): () => Promise<void> {
  if (!(server instanceof Server)) throw new Error("start serves HTTP/1.1 only");
  let stopping = false;
  server.on("request", (request, response) => {
    response.once("finish", () => {
      if (stopping) request.socket.end();
    });
  });
  return async () => {
    stopping = true;
    // close() also drops every connection with no request under way, including one whose request is
    // already waiting to be read in this turn of the event loop: let that I/O be read first.
    await new Promise<void>((resolve) => setImmediate(resolve));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}

/**
 * The sweep and the webhook dispatcher, on their timers. The returned stop lets work under way finish,
 * so that a sweep or a delivery attempt records its outcome before the store closes.
 */
function startBackgroundWork(engine: Engine, webhooks: Webhooks, logger: Logger): () => Promise<void> {
  const underWay = new Set<Promise<void>>();
  const run = (what: string, work: () => Promise<void>): void => {
    const task: Promise<void> = work()
      .catch((error: unknown) => logger.error({ err: error }, `${what} failed`))
      .finally(() => underWay.delete(task));
    underWay.add(task);
  };
  const sweep = async () => {
    const report = await engine.sweep();
    if (report.customers > 0 || report.expiredGifts > 0 || report.expiredCheckouts > 0)
      logger.info({ ...report, expiredMinor: report.expiredMinor.toString() }, "swept");
  };
  let dispatching = false;
  const dispatch = async () => {
    if (dispatching) return;
    dispatching = true;
    try {
      const report = await webhooks.dispatch();
      if (report.attempted > 0) logger.info(report, "webhooks dispatched");
    } finally {
      dispatching = false;
    }
  };
  const intervalSeconds = Number(process.env.BOON_SWEEP_INTERVAL_SECONDS ?? SWEEP_INTERVAL_SECONDS_DEFAULT);
  const timers = [
    setInterval(() => run("sweep", sweep), intervalSeconds * 1000),
    setInterval(() => run("webhook dispatch", dispatch), WEBHOOK_INTERVAL_MS),
  ];
  run("sweep", sweep);
  return async () => {
    for (const timer of timers) clearInterval(timer);
    await Promise.all(underWay);
  };
}

/**
 * Where gift links lead: `BOON_PUBLIC_URL` when set, else the web pages this process serves, on the
 * port it listens on (with `PORT=0`, the one the system picked, known once listening).
 */
function publicUrlFromEnv(boundPort: () => number): string | (() => string) {
  const configured = process.env.BOON_PUBLIC_URL ?? "";
  if (configured === "") return () => `http://localhost:${boundPort()}`;
  if (!URL.canParse(configured) || !/^https?:$/.test(new URL(configured).protocol))
    throw new CliError(
      `BOON_PUBLIC_URL must be an http or https URL such as https://boon.example.com: ${configured}`,
    );
  return configured;
}

/**
 * The demo (seed data, the demo host, the demo payment page) comes with the embedded store unless
 * BOON_DEMO=0, and on a PostgreSQL server only when BOON_DEMO=1 asks for it.
 */
export function isDemoStore(kind: "pglite" | "postgres"): boolean {
  return process.env.BOON_DEMO === "1" || (kind === "pglite" && process.env.BOON_DEMO !== "0");
}

/**
 * The demo provider, its links on the public URL as it is at each checkout (with `PORT=0` the port
 * is known only once listening).
 */
function demoProvider(publicUrl: string | (() => string), webhookSecret: string): DemoProvider {
  const at = () =>
    createDemoProvider({
      publicUrl: typeof publicUrl === "string" ? publicUrl : publicUrl(),
      webhookSecret,
      clock: systemClock,
    });
  return {
    kind: "demo",
    createCheckout: (request) => at().createCheckout(request),
    completion: (facts) => at().completion(facts),
    refund: (request) => at().refund(request),
    readEvent: (payload, signatureHeader) => at().readEvent(payload, signatureHeader),
  };
}

/**
 * Stripe when `BOON_STRIPE_SECRET_KEY` is set (with `BOON_STRIPE_WEBHOOK_SECRET`, the endpoint's
 * signing secret); else, with the demo, its built-in payment page, whose deliveries are signed in
 * this process with a secret made for it; else none, and checkouts answer 503.
 */
export function paymentsFromEnv(
  demo: boolean,
  publicUrl: string | (() => string),
  logger: Logger,
): HttpDeps["payments"] | undefined {
  const secretKey = process.env.BOON_STRIPE_SECRET_KEY ?? "";
  const webhookSecret = process.env.BOON_STRIPE_WEBHOOK_SECRET ?? "";
  if (secretKey !== "") {
    if (webhookSecret === "")
      throw new CliError(
        "BOON_STRIPE_WEBHOOK_SECRET (the webhook endpoint's whsec_ signing secret) is required with BOON_STRIPE_SECRET_KEY",
      );
    const stripe = createStripeProvider({ secretKey, webhookSecret, clock: systemClock });
    logger.info({ live: secretKey.startsWith("sk_live_") }, "payments: Stripe");
    return { provider: stripe, webhooks: stripe };
  }
  if (!demo) {
    logger.warn("payments: none (set BOON_STRIPE_SECRET_KEY and BOON_STRIPE_WEBHOOK_SECRET to sell bundles)");
    return undefined;
  }
  const secret = webhookSecret === "" ? `whsec_${randomBytes(32).toString("base64")}` : webhookSecret;
  const provider = demoProvider(publicUrl, secret);
  logger.info("payments: the demo payment page (no Stripe key; nothing is charged)");
  return { provider, webhooks: provider };
}

/** Where `vite build` put the pages, beside the compiled server. */
export const WEB_ROOT = fileURLToPath(new URL("../web", import.meta.url));

/** The built pages with the configured display scale (`BOON_DISPLAY_SCALE`, decimal places). */
async function webPagesFromEnv(demo: boolean, logger: Logger): Promise<WebPages | null> {
  const scaleText = process.env.BOON_DISPLAY_SCALE ?? "0";
  const displayScale = Number(scaleText);
  if (!/^\d+$/.test(scaleText) || displayScale > DISPLAY_SCALE_MAX)
    throw new CliError(
      `BOON_DISPLAY_SCALE must be a whole number from 0 to ${DISPLAY_SCALE_MAX}: ${scaleText}`,
    );
  if (!existsSync(`${WEB_ROOT}/index.html`)) {
    logger.warn({ root: WEB_ROOT }, "no built web pages (npm run build makes them); serving the API only");
    return null;
  }
  return loadWebPages({ root: WEB_ROOT, displayScale, demo });
}

export async function startCommand(options: GlobalOptions, plansFile: string | undefined): Promise<void> {
  const logger = pino({ name: "boon" });
  const port = Number(process.env.PORT ?? PORT_DEFAULT);
  let boundPort = port;
  const publicUrl = publicUrlFromEnv(() => boundPort);
  const store = await openConfiguredStore(options);
  const metrics = new Metrics();
  const engine = await createEngine({
    store,
    clock: systemClock,
    onBatch: (size, seconds) => metrics.observeBatch(size, seconds),
  });
  const demo = isDemoStore(store.kind);
  // The demo host's key is made fresh at each start and never stored: it dies with the process.
  const demoHostKey = demo ? `${KEY_SECRET_PREFIX}${randomBytes(32).toString("base64url")}` : undefined;
  const keys = createKeys(store, systemClock, systemIds(), [process.env.BOON_ADMIN_KEY, demoHostKey]);
  logger.info({ target: describeTarget(options) }, "store ready");
  try {
    if (plansFile !== undefined && plansFile !== "")
      logger.info({ plans: await loadPlans(engine, plansFile) }, "plans loaded");
    if (demo) {
      const secret = await seedWithKey(engine, keys);
      if (secret !== null) {
        process.stdout.write(`demo seeded; an admin key for it (shown once): ${secret}\n`);
      }
    }
  } catch (error) {
    await store.close();
    throw error;
  }
  const secret = process.env.BOON_TOKEN_SECRET;
  const tokens = createCustomerTokens(
    secret === undefined || secret === "" ? await loadTokenSecret(store) : Buffer.from(secret),
  );
  const corsOrigins = (process.env.BOON_CORS_ORIGINS ?? "")
    .split(",")
    .map((origin) => origin.trim())
    .filter((origin) => origin !== "");
  const webhooks = createWebhooks(store, systemClock, systemIds());
  const web = await webPagesFromEnv(demo, logger);
  const payments = paymentsFromEnv(demo, publicUrl, logger);
  const app = createApp({
    engine,
    keys,
    tokens,
    webhooks,
    logger,
    metrics,
    corsOrigins,
    publicUrl,
    ...(web === null ? {} : { web }),
    ...(demoHostKey === undefined ? {} : { demoHostKey }),
    ...(payments === undefined ? {} : { payments }),
  });
  // Logged once listening, with the bound port: `PORT=0` picks a free one, and the line tells which.
  const server = serve({ fetch: app.fetch, port }, (info) => {
    boundPort = info.port;
    logger.info(
      {
        port: info.port,
        pages: `http://localhost:${info.port}/`,
        docs: `http://localhost:${info.port}/docs`,
      },
      "serving the HTTP API",
    );
  });
  const closeServer = closerFor(server);
  const stopBackgroundWork = startBackgroundWork(engine, webhooks, logger);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  logger.info("stopping: no new connections; finishing requests in flight");
  await Promise.all([closeServer(), stopBackgroundWork()]);
  await engine.drain();
  await store.close();
  logger.info("stopped");
}
