/**
 * Invariant 7, an acknowledged write survives a crash at any instant, tested with a real crash: a
 * child process streams concurrent writes through the compiled engine and is killed with SIGKILL
 * while batches are in flight. The parent then reopens the store and checks that the ledger verifies,
 * that every acknowledged write is there and replays its answer, and that every write the child only
 * attempted either replays (it committed before the kill) or applies exactly once when retried.
 * Three kills land at different points of the stream, on the same store.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import type { Outcome } from "../../src/core/errors.js";
import {
  type AuthorizeInput,
  type ConsumeInput,
  createEngine,
  type Engine,
  type GrantInput,
  type HoldInput,
} from "../../src/engine/engine.js";
import { migrate } from "../../src/store/migrator.js";
import { openStore, type Store, type StoreConfig } from "../../src/store/store.js";
import { type Backend, backends, databaseUrlFor } from "../support/backends.js";

const CHILD_SCRIPT = fileURLToPath(new URL("../support/crash-child.mjs", import.meta.url));
const COMPILED_ENGINE = new URL("../../dist/engine/engine.js", import.meta.url);
const START_MS = Date.UTC(2026, 5, 1);
const CUSTOMERS = ["crash-a", "crash-b", "crash-c"] as const;
/** Little enough that later rounds run wallets dry, so refusals are acknowledged and replayed too. */
const FUNDING_MINOR = 600;
/** Requests the child keeps in flight, so that several batches are open when it dies. */
const IN_FLIGHT = 48;
/** Smaller than the window, so that several batches are queued or open at once. */
const BATCH_SIZE_MAX = 16;
/** The child stops here at the latest; every kill point is far below it. */
const REQUESTS_MAX = 20_000;
/** Acknowledgements after which each round's child is killed. */
const KILL_AFTER_ACKS = [25, 140, 400] as const;
const TEST_TIMEOUT_MS = 60_000;

type Op = "grant" | "consume" | "hold" | "authorize";

interface Attempt {
  readonly key: string;
  readonly op: Op;
  readonly input: Record<string, unknown>;
}

interface Acknowledged {
  readonly key: string;
  readonly op: Op;
  readonly answer: PlainOutcome;
}

/** An answer as JSON carries it: bigints as decimal strings. */
type PlainOutcome = { ok: true; value: Record<string, unknown> } | { ok: false; error: unknown };

interface ChildRun {
  readonly attempts: Map<string, Attempt>;
  readonly acks: Map<string, Acknowledged>;
  finished: boolean;
}

/** The same JSON shape the child prints, so answers compare field by field, in any key order. */
function plain(outcome: Outcome<unknown>): PlainOutcome {
  return JSON.parse(
    JSON.stringify(outcome, (_key, value) => (typeof value === "bigint" ? `${value}` : value)),
  );
}

/** One line the child prints; `done` only if it ran out of requests before the kill. */
interface ChildLine {
  readonly event: "begin" | "ack" | "done";
  readonly key: string;
  readonly op: Op;
  readonly input: Record<string, unknown>;
  readonly answer: PlainOutcome;
}

function collectLine(run: ChildRun, line: ChildLine): void {
  if (line.event === "begin") run.attempts.set(line.key, { key: line.key, op: line.op, input: line.input });
  if (line.event === "ack") run.acks.set(line.key, { key: line.key, op: line.op, answer: line.answer });
  if (line.event === "done") run.finished = true;
}

/** Resolves when the child has exited and its output is fully read; rejects if it failed by itself. */
function whenClosed(child: ChildProcess, stderr: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (signal === "SIGKILL" || code === 0) resolve();
      else reject(new Error(`crash child exited with ${code ?? signal}: ${stderr.join("")}`));
    });
  });
}

/** Run one child on the store and kill it with SIGKILL as soon as `killAfterAcks` answers are out. */
async function runChildUntilKilled(
  store: StoreConfig,
  round: number,
  killAfterAcks: number,
): Promise<ChildRun> {
  const config = {
    store,
    startMs: START_MS,
    round,
    customers: CUSTOMERS,
    inFlight: IN_FLIGHT,
    batchSizeMax: BATCH_SIZE_MAX,
    requestsMax: REQUESTS_MAX,
  };
  const child = spawn(process.execPath, [CHILD_SCRIPT, JSON.stringify(config)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stderr: string[] = [];
  child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
  const run: ChildRun = { attempts: new Map(), acks: new Map(), finished: false };
  const closed = whenClosed(child, stderr);
  if (child.stdout === null) throw new Error("the crash child has no stdout");
  createInterface({ input: child.stdout }).on("line", (text) => {
    collectLine(run, JSON.parse(text) as ChildLine);
    if (run.acks.size >= killAfterAcks && !child.killed) child.kill("SIGKILL");
  });
  await closed;
  return run;
}

interface Site {
  /** Where the child and the parent open the store, in turn. */
  readonly config: StoreConfig;
  readonly cleanup: () => Promise<void>;
}

/** PGlite on disk: one process at a time, so the parent closes it before each child opens it. */
async function pgliteSite(): Promise<Site> {
  const dataDir = await mkdtemp(join(tmpdir(), "boon-crash-"));
  const store = await openStore({ dataDir });
  await migrate(store);
  await store.close();
  return { config: { dataDir }, cleanup: () => rm(dataDir, { recursive: true, force: true }) };
}

async function postgresSite(backend: Backend, baseUrl: string): Promise<Site> {
  const store = await backend.open();
  const [row] = await store.query<{ name: string }>("SELECT current_database() AS name");
  await store.close();
  if (row === undefined) throw new Error("the server did not name its database");
  return { config: { databaseUrl: databaseUrlFor(baseUrl, row.name) }, cleanup: async () => {} };
}

async function withEngine<T>(site: Site, work: (engine: Engine, store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(site.config);
  try {
    return await work(await createEngine({ store, clock: new ManualClock(START_MS) }), store);
  } finally {
    await store.close();
  }
}

/**
 * A plan small enough that every round fills its window: some authorizations are paid by the window,
 * some overflow into credits (drawing lots in the same batch), some are refused.
 */
const CRASH_PLAN = {
  meters: { messages: [{ window: "5h", kind: "fixed", duration: "5h", allowance: 40 }] },
  actions: { message: { costs: { messages: 1 }, creditPriceMinor: 3 } },
};

async function fundCustomers(engine: Engine): Promise<void> {
  expect((await engine.savePlan("crash", CRASH_PLAN)).ok).toBe(true);
  for (const customerId of CUSTOMERS) {
    expect((await engine.upsertCustomer({ id: customerId, plan: "crash", overflowAllowed: true })).ok).toBe(
      true,
    );
    const granted = await engine.grant({
      customerId,
      amountMinor: FUNDING_MINOR,
      kind: "purchased",
      idempotencyKey: `fund-${customerId}`,
    });
    expect(granted.ok).toBe(true);
  }
}

function send(engine: Engine, attempt: Attempt): Promise<Outcome<unknown>> {
  // The input is exactly what the child sent, so the retry carries the same fingerprint; the engine
  // validates it like any client input.
  const input: unknown = attempt.input;
  if (attempt.op === "grant") return engine.grant(input as GrantInput);
  if (attempt.op === "hold") return engine.hold(input as HoldInput);
  if (attempt.op === "authorize") return engine.authorize(input as AuthorizeInput);
  return engine.consume(input as ConsumeInput);
}

const jsonList = (values: readonly string[]): string => JSON.stringify(values);

async function countPresent(
  store: Store,
  table: "transfers" | "holds" | "usage_charges",
  ids: readonly string[],
) {
  const [row] = await store.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${table} WHERE id IN (SELECT jsonb_array_elements_text($1::text::jsonb))`,
    [jsonList(ids)],
  );
  return row?.n ?? -1;
}

/** What a successful answer put in the ledger: a transfer, a hold row, or a usage charge. */
function writtenId(ack: Acknowledged): { table: "transfers" | "holds" | "usage_charges"; id: string } | null {
  if (!ack.answer.ok) return null;
  const { value } = ack.answer;
  if (ack.op === "hold") return { table: "holds", id: String((value.hold as { id: unknown }).id) };
  if (ack.op === "authorize")
    return value.allowed === true ? { table: "usage_charges", id: String(value.chargeId) } : null;
  return { table: "transfers", id: String(value.transferId) };
}

async function expectAcknowledgedPresent(store: Store, acks: readonly Acknowledged[]): Promise<void> {
  const written = acks.flatMap((ack) => writtenId(ack) ?? []);
  for (const table of ["transfers", "holds", "usage_charges"] as const) {
    const ids = written.filter((row) => row.table === table).map((row) => row.id);
    expect(await countPresent(store, table, ids), `acknowledged ${table} missing`).toBe(ids.length);
  }
  const [keys] = await store.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM idempotency_keys
     WHERE response IS NOT NULL AND key IN (SELECT jsonb_array_elements_text($1::text::jsonb))`,
    [jsonList(acks.map((ack) => ack.key))],
  );
  expect(keys?.n, "acknowledged answers missing").toBe(acks.length);
}

/**
 * Rows each key's write put in the ledger: a grant or consume writes a transfer, a hold its hold row,
 * an authorization its charge (and, when credits paid, a transfer too: counted, so two per key).
 */
async function rowsByKey(store: Store, keys: readonly string[]): Promise<Map<string, number>> {
  const rows = await store.query<{ key: string; n: number }>(
    `SELECT k.key, ((SELECT count(*) FROM transfers t WHERE t.idempotency_key = k.key)
       + (SELECT count(*) FROM holds h WHERE h.idempotency_key = k.key)
       + (SELECT count(*) FROM usage_charges c WHERE c.idempotency_key = k.key))::int AS n
     FROM jsonb_array_elements_text($1::text::jsonb) AS k(key)`,
    [jsonList(keys)],
  );
  return new Map(rows.map((row) => [row.key, row.n]));
}

async function committedKeys(store: Store, keys: readonly string[]): Promise<Set<string>> {
  const rows = await store.query<{ key: string; response: unknown }>(
    "SELECT key, response FROM idempotency_keys WHERE key IN (SELECT jsonb_array_elements_text($1::text::jsonb))",
    [jsonList(keys)],
  );
  for (const row of rows) expect(row.response, `key ${row.key} was stored without an answer`).not.toBeNull();
  return new Set(rows.map((row) => row.key));
}

function attemptOf(run: ChildRun, key: string): Attempt {
  const attempt = run.attempts.get(key);
  if (attempt === undefined) throw new Error(`acknowledged ${key} was never begun`);
  return attempt;
}

const sendAll = (engine: Engine, attempts: readonly Attempt[]): Promise<PlainOutcome[]> =>
  Promise.all(attempts.map(async (attempt) => plain(await send(engine, attempt))));

/**
 * A write the child attempted but never saw answered either committed before the kill (its retry
 * replays and adds nothing) or never did (its retry applies it once). A second retry replays either
 * way. The retries go out together, so they share batches as the child's did.
 */
async function retryUnacknowledged(engine: Engine, store: Store, attempts: readonly Attempt[]) {
  const keys = attempts.map((attempt) => attempt.key);
  const committed = await committedKeys(store, keys);
  const before = await rowsByKey(store, keys);
  const answers = await sendAll(engine, attempts);
  const after = await rowsByKey(store, keys);
  const again = await sendAll(engine, attempts);
  for (const [index, { key, op }] of attempts.entries()) {
    const writtenRows = rowsWritten(op, answers[index]);
    expect(after.get(key), `rows of ${key} after its retry`).toBe(writtenRows);
    expect(before.get(key), `rows of ${key} before its retry`).toBe(committed.has(key) ? writtenRows : 0);
    expect(again[index], `second retry of ${key}`).toEqual(answers[index]);
  }
}

/** Rows a successful answer stands for: one, or for an authorization its charge and any transfer. */
function rowsWritten(op: Op, answer: PlainOutcome | undefined): number {
  if (answer?.ok !== true) return 0;
  if (op !== "authorize") return 1;
  const value = answer.value as { allowed?: unknown; paidBy?: unknown };
  if (value.allowed !== true) return 0;
  return value.paidBy === "credits" ? 2 : 1;
}

async function expectVerified(engine: Engine): Promise<void> {
  const report = await engine.verify();
  expect(report.firstViolation).toBeNull();
}

/**
 * After the kill: the ledger verifies, acknowledged writes are there and replay, the rest settle once.
 * Returns how many acknowledged answers were refusals, which must replay just the same.
 */
async function checkAfterCrash(site: Site, run: ChildRun): Promise<number> {
  return withEngine(site, async (engine, store) => {
    await expectVerified(engine);
    const acks = [...run.acks.values()];
    await expectAcknowledgedPresent(store, acks);
    const countsBefore = (await engine.verify()).counts;
    const replays = await sendAll(
      engine,
      acks.map((ack) => attemptOf(run, ack.key)),
    );
    for (const [index, ack] of acks.entries())
      expect(replays[index], `replay of ${ack.key}`).toEqual(ack.answer);
    expect((await engine.verify()).counts).toEqual(countsBefore);
    const unacknowledged = [...run.attempts.values()].filter((attempt) => !run.acks.has(attempt.key));
    expect(unacknowledged.length, "the kill should leave requests in flight").toBeGreaterThan(0);
    await retryUnacknowledged(engine, store, unacknowledged);
    await expectVerified(engine);
    return acks.filter((ack) => !ack.answer.ok).length;
  });
}

for (const backend of backends()) {
  describe(`crash on ${backend.name}`, () => {
    let site: Site | null = null;

    beforeAll(() => {
      if (!existsSync(COMPILED_ENGINE)) {
        throw new Error(
          "the crash child runs the compiled engine, and dist/engine/engine.js is missing: run `npm run build` first",
        );
      }
    });
    afterAll(async () => {
      await site?.cleanup();
      await backend.cleanup();
    });

    it(
      "keeps every acknowledged write through SIGKILL mid-stream, three times",
      async () => {
        const baseUrl = process.env.DATABASE_URL ?? "";
        site = backend.name === "pglite" ? await pgliteSite() : await postgresSite(backend, baseUrl);
        await withEngine(site, fundCustomers);
        let refusals = 0;
        for (const [round, killAfterAcks] of KILL_AFTER_ACKS.entries()) {
          const run = await runChildUntilKilled(site.config, round, killAfterAcks);
          expect(run.finished, "the child ran to the end before the kill").toBe(false);
          expect(run.acks.size).toBeGreaterThanOrEqual(killAfterAcks);
          refusals += await checkAfterCrash(site, run);
        }
        expect(refusals, "no refusal was acknowledged, so none was replayed").toBeGreaterThan(0);
      },
      TEST_TIMEOUT_MS,
    );
  });
}
