/**
 * `boon start` run as a newcomer runs it: the built command line in a child process, on a free port,
 * driven over HTTP. Every wait is on an output line or an answer, bounded by a deadline.
 */
import { type ChildProcessWithoutNullStreams, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import postgres from "postgres";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CUSTOMERS } from "../../src/cli/demo.js";
import { signWebhook } from "../../src/engine/webhooks.js";
import { databaseUrlFor } from "../support/backends.js";

const MAIN = new URL("../../dist/cli/main.js", import.meta.url).pathname;
/** A slow, shared machine gets this long for any one thing to happen. */
const WAIT_MS = 60_000;
const BURST_SIZE = 50;
/** Answers to a client that goes on sending while the process stops: far more than a prompt stop gives. */
const LATE_ANSWERS_MAX = 100;
const SEEDED_KEY = /demo seeded; an admin key for it \(shown once\): (\S+)/;

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

interface Boon {
  readonly child: ChildProcessWithoutNullStreams;
  readonly lines: string[];
  readonly stderr: string[];
  readonly exited: Promise<Exit>;
  /** The first stdout line that matches, waiting for it; fails if the process exits first. */
  line(pattern: RegExp): Promise<RegExpExecArray>;
}

interface Started {
  readonly boon: Boon;
  readonly url: string;
  /** The admin key printed on this start, or null when none was. */
  readonly printedKey: string | null;
}

const running = new Set<Boon>();
const cleanups: Array<() => Promise<void> | void> = [];

/** The parent's environment without anything that would change how `start` behaves. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith("BOON_")) delete env[name];
  delete env.PORT;
  return { ...env, DATABASE_URL: "", PORT: "0", ...extra };
}

function deadline<T>(what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`gave up after ${WAIT_MS} ms waiting for ${what}`)), WAIT_MS);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

function spawnBoon(args: string[], env: Record<string, string>): Boon {
  const child = spawn(process.execPath, [MAIN, ...args], { env: childEnv(env) });
  const lines: string[] = [];
  const stderr: string[] = [];
  const listeners = new Set<() => void>();
  let closed = false;
  const exited = new Promise<Exit>((resolve) => {
    // "close" comes after the last output line, so a waiter never misses one the process printed.
    child.once("close", (code, signal) => {
      closed = true;
      for (const listener of listeners) listener();
      resolve({ code, signal });
    });
  });
  createInterface({ input: child.stdout }).on("line", (text) => {
    lines.push(text);
    for (const listener of listeners) listener();
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => stderr.push(chunk));
  const boon: Boon = {
    child,
    lines,
    stderr,
    exited,
    line(pattern) {
      const found = new Promise<RegExpExecArray>((resolve, reject) => {
        const check = () => {
          for (const text of lines) {
            const match = pattern.exec(text);
            if (match !== null) return finish(() => resolve(match));
          }
          if (closed)
            finish(() =>
              reject(
                new Error(`boon exited before printing ${pattern}:\n${lines.join("\n")}\n${stderr.join("")}`),
              ),
            );
        };
        const finish = (settle: () => void) => {
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
      return deadline(`a line matching ${pattern}`, found);
    },
  };
  running.add(boon);
  void exited.then(() => running.delete(boon));
  return boon;
}

async function start(env: Record<string, string>): Promise<Started> {
  const boon = spawnBoon(["start"], env);
  const serving = await boon.line(/"msg":"serving the HTTP API"/);
  const { port } = JSON.parse(serving.input) as { port: number };
  expect(port).toBeGreaterThan(0);
  const seeded = boon.lines.map((text) => SEEDED_KEY.exec(text)).find((match) => match !== null);
  return { boon, url: `http://127.0.0.1:${port}`, printedKey: seeded?.[1] ?? null };
}

function keyOf(started: Started): string {
  if (started.printedKey === null) throw new Error(`no admin key printed:\n${started.boon.lines.join("\n")}`);
  return started.printedKey;
}

/** SIGTERM, then the exit, which a graceful stop makes with code 0. */
async function stop(boon: Boon): Promise<Exit> {
  boon.child.kill("SIGTERM");
  return deadline("boon to exit", boon.exited);
}

/** An embedded data folder, inside a temporary folder that also takes the lock file kept beside it. */
function dataDirFor(): string {
  const parent = mkdtempSync(join(tmpdir(), "boon-start-"));
  cleanups.push(() => rmSync(parent, { recursive: true, force: true }));
  return join(parent, "data");
}

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

async function call(
  url: string,
  key: string,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
  idempotencyKey?: string,
): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (idempotencyKey !== undefined) headers["idempotency-key"] = idempotencyKey;
  const response = await fetch(`${url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const authorize = (url: string, key: string, customerId: string, idempotencyKey: string) =>
  call(url, key, "POST", "/v1/usage", { customerId, action: "message" }, idempotencyKey);

function wasRefused(error: unknown): boolean {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause instanceof Error && "code" in cause && cause.code === "ECONNREFUSED";
}

async function expectReady(url: string): Promise<void> {
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
  const ready = await fetch(`${url}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toEqual({ status: "ok" });
}

function usedOf(answer: Answer, windowId: string): number {
  const windows = answer.body.windows as Array<{ windowId: string; used: number }>;
  const line = windows.find((window) => window.windowId === windowId);
  if (line === undefined) throw new Error(`no window ${windowId} in ${JSON.stringify(answer.body)}`);
  return line.used;
}

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Answer the delivery (204); until then it is under way. */
  answer(): void;
}

/** A webhook receiver on a free port; `next` is the first POST it gets, which waits to be answered. */
async function listenForWebhook(): Promise<{ url: string; next: Promise<Received> }> {
  let deliver: (received: Received) => void = () => {};
  const next = new Promise<Received>((resolve) => {
    deliver = resolve;
  });
  let received = false;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const answer = () => response.writeHead(204).end();
      if (request.method !== "POST" || received) return answer();
      received = true;
      deliver({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8"), answer });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks`, next };
}

describe("boon start", () => {
  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does)`);
  });
  afterEach(async () => {
    for (const boon of running) {
      boon.child.kill("SIGKILL");
      await boon.exited;
    }
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("seeds the demo on first start, prints an admin key once, and serves the API with it", async () => {
    const dataDir = dataDirFor();
    const first = await start({ BOON_DATA_DIR: dataDir });
    const key = keyOf(first);
    await expectReady(first.url);
    const plans = await call(first.url, key, "GET", "/v1/plans");
    expect(plans.status).toBe(200);
    const planIds = (plans.body.data as Array<{ id: string }>).map((plan) => plan.id).sort();
    expect(planIds).toEqual(["free", "plus", "pro"]);
    const used = await authorize(first.url, key, "demo-ada", "start-first-1");
    expect(used.status).toBe(200);
    expect(used.body).toMatchObject({ type: "authorize", allowed: true, planId: "pro", paidBy: "windows" });
    const openapi = await fetch(`${first.url}/openapi.json`);
    expect(openapi.status).toBe(200);
    expect(await openapi.json()).toMatchObject({ openapi: expect.stringMatching(/^3\.1/) });
    // The web pages are served, and with PORT=0 the links point at the port the system picked.
    const page = await fetch(`${first.url}/gift/ANY`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(
      '<script id="boon-config" type="application/json">{"displayScale":0,"demo":true}',
    );
    const gifts = await call(first.url, key, "GET", "/v1/customers/demo-grace/gifts");
    const [pending] = gifts.body.sent as Array<{ url: string | null }>;
    expect(pending?.url).toMatch(new RegExp(`^http://localhost:${new URL(first.url).port}/gift/`));
    expect(await stop(first.boon)).toEqual({ code: 0, signal: null });

    const second = await start({ BOON_DATA_DIR: dataDir });
    expect(second.printedKey).toBeNull();
    expect(second.boon.lines.join("\n")).not.toMatch(/boon_sk_/);
    await expectReady(second.url);
    const again = await call(second.url, key, "GET", "/v1/plans");
    expect(again.status).toBe(200);
    expect(await authorize(second.url, key, "demo-ada", "start-first-1")).toEqual(used);
    expect(await stop(second.boon)).toEqual({ code: 0, signal: null });
  });

  it("finishes requests in flight on SIGTERM, exits 0, and every answered request is durable", async () => {
    const dataDir = dataDirFor();
    const first = await start({ BOON_DATA_DIR: dataDir });
    const key = keyOf(first);
    const customer = DEMO_CUSTOMERS[0].id;
    const before = await authorize(first.url, key, customer, "burst-before");
    expect(before.status).toBe(200);
    let answered: () => void = () => {};
    const firstAnswer = new Promise<void>((resolve) => {
      answered = resolve;
    });
    // An answer; "refused" when no connection was made, so no request was sent; null when the
    // connection was cut without an answer, so the request may or may not have run.
    const send = (idempotencyKey: string): Promise<Answer | "refused" | null> =>
      authorize(first.url, key, customer, idempotencyKey)
        .catch((error: unknown) => (wasRefused(error) ? ("refused" as const) : null))
        .finally(() => answered());
    // Connections made first, so that the burst's requests are on the wire at once rather than
    // queued behind connection set-up.
    await Promise.all(
      Array.from({ length: BURST_SIZE }, () => fetch(`${first.url}/healthz`).then((r) => r.text())),
    );
    const sent = Array.from({ length: BURST_SIZE }, (_, index) => `burst-${index}`);
    const burst = sent.map(send);
    await firstAnswer;
    let exited = false;
    const exit = stop(first.boon).finally(() => {
      exited = true;
    });
    const answers = await Promise.all(burst);
    // A client with a pool of keep-alive connections goes on sending while the process stops. The
    // stop must not wait on it: the process exits before many more are answered.
    let lateAnswers = 0;
    for (let index = 0; !exited && lateAnswers < LATE_ANSWERS_MAX; index++) {
      const idempotencyKey = `late-${index}`;
      const late = await send(idempotencyKey);
      if (late === "refused") continue;
      sent.push(idempotencyKey);
      answers.push(late);
      if (late?.status === 200) lateAnswers++;
    }
    expect(await exit).toEqual({ code: 0, signal: null });
    expect(lateAnswers).toBeLessThan(LATE_ANSWERS_MAX);
    const acknowledged = new Map<string, Answer>();
    for (const [index, answer] of answers.entries())
      if (answer !== null && answer !== "refused" && answer.status === 200)
        acknowledged.set(sent[index] ?? "", answer);
    expect(acknowledged.size).toBeGreaterThan(0);
    for (const answer of acknowledged.values()) expect(answer.body.chargeId).toMatch(/^chg_/);

    const second = await start({ BOON_DATA_DIR: dataDir });
    for (const [idempotencyKey, answer] of acknowledged) {
      const replayed = await authorize(second.url, key, customer, idempotencyKey);
      expect(replayed.status).toBe(200);
      expect(replayed.body.chargeId).toBe(answer.body.chargeId);
      expect(replayed.body).toEqual(answer.body);
    }
    // Each key is charged once: the ones the stop cut off run now, the answered ones replay.
    for (const idempotencyKey of sent)
      expect((await authorize(second.url, key, customer, idempotencyKey)).status).toBe(200);
    const after = await authorize(second.url, key, customer, "burst-after");
    expect(usedOf(after, "messages/5h")).toBe(usedOf(before, "messages/5h") + sent.length + 1);
    expect(await stop(second.boon)).toEqual({ code: 0, signal: null });
  });

  it("runs the webhook dispatcher: a reached limit is delivered, signed, and recorded before a stop", async () => {
    const receiver = await listenForWebhook();
    const dataDir = dataDirFor();
    const first = await start({ BOON_DATA_DIR: dataDir });
    const key = keyOf(first);
    const endpoint = await call(first.url, key, "POST", "/v1/webhooks", {
      url: receiver.url,
      eventTypes: ["usage.limit_reached"],
    });
    expect(endpoint.status).toBe(200);
    const secret = String(endpoint.body.secret);
    // The demo seeds Linus's 5-hour window full, so the next message is refused and the event recorded.
    const refused = await authorize(first.url, key, "demo-linus", "limit-1");
    expect(refused.body).toMatchObject({ allowed: false, code: "limit_reached" });
    const received = await deadline("a webhook delivery", receiver.next);
    const id = String(received.headers["webhook-id"]);
    const timestamp = String(received.headers["webhook-timestamp"]);
    expect(id).toMatch(/^evt_/);
    expect(timestamp).toMatch(/^\d+$/);
    expect(received.headers["webhook-signature"]).toBe(
      signWebhook(secret, id, Number(timestamp), received.body),
    );
    expect(JSON.parse(received.body)).toMatchObject({
      type: "usage.limit_reached",
      data: { customerId: "demo-linus", windowId: "messages/5h", outcome: "refused" },
    });

    // Stopping while the delivery is under way: the stop waits for its answer and records it.
    first.boon.child.kill("SIGTERM");
    await first.boon.line(/"msg":"stopping/);
    received.answer();
    expect(await deadline("boon to exit", first.boon.exited)).toEqual({ code: 0, signal: null });
    expect(first.boon.lines.filter((text) => text.includes('"level":50'))).toEqual([]);
    const second = await start({ BOON_DATA_DIR: dataDir });
    const deliveries = await call(second.url, key, "GET", "/v1/webhooks/deliveries");
    expect(deliveries.body.data).toEqual([
      expect.objectContaining({ eventId: id, status: "delivered", attempts: 1, lastStatus: 204 }),
    ]);
    expect(await stop(second.boon)).toEqual({ code: 0, signal: null });
  });

  const base = process.env.DATABASE_URL;
  it.skipIf(base === undefined || base === "")(
    "serves a migrated PostgreSQL database with BOON_ADMIN_KEY",
    async () => {
      const server = base ?? "";
      const database = `boon_test_${randomBytes(6).toString("hex")}`;
      const admin = () => postgres(server, { max: 1, onnotice: () => {} });
      const create = admin();
      await create.unsafe(`CREATE DATABASE ${database}`);
      await create.end();
      cleanups.push(async () => {
        const drop = admin();
        await drop.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
        await drop.end();
      });
      const adminKey = `boon_sk_test_${randomBytes(16).toString("hex")}`;
      const env = { DATABASE_URL: databaseUrlFor(server, database), BOON_ADMIN_KEY: adminKey };

      const early = spawnBoon(["start"], env);
      expect(await deadline("boon to refuse", early.exited)).toEqual({ code: 1, signal: null });
      expect(early.stderr.join("")).toMatch(/pending migration.*boon migrate/);
      // A non-zero exit rejects.
      await promisify(execFile)(process.execPath, [MAIN, "migrate"], {
        env: childEnv(env),
        timeout: WAIT_MS,
      });

      const boon = await start(env);
      expect(boon.printedKey).toBeNull();
      await expectReady(boon.url);
      const plans = await call(boon.url, adminKey, "GET", "/v1/plans");
      expect(plans).toEqual({ status: 200, body: { data: [] } });
      expect((await call(boon.url, "boon_sk_wrong", "GET", "/v1/plans")).status).toBe(401);
      expect(await stop(boon.boon)).toEqual({ code: 0, signal: null });
    },
  );
});
