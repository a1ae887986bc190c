/**
 * Authorization under concurrency, on every backend: hundreds of authorizes at once for one hot
 * customer, one idempotency key sent many times at once (authorize, banked resets), more redeems than
 * banked resets, bulk resets retried and raced against authorizes, two engines on one PostgreSQL
 * database, and the burn-down order of credit overflow across random lots. Whatever the interleaving,
 * no window charges past its allowance, no wallet pays more than it holds, every answer belongs to one
 * serial history, and `verify` passes.
 */
import * as fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import type { Outcome } from "../../src/core/errors.js";
import { createEngine, type Engine, type ResultOf } from "../../src/engine/engine.js";
import type { UsageView } from "../../src/engine/usage.js";
import { openStore, type Store } from "../../src/store/store.js";
import { backends, databaseUrlFor } from "../support/backends.js";
import { codeOf, counter, expectOk } from "../support/outcomes.js";

const START_MS = Date.UTC(2026, 5, 11, 9); // a Thursday, so the weekly window has days left to run
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
/** Small batches, so that a few hundred requests become many transactions contending for one wallet. */
const BATCH_SIZE_MAX = 16;
/** On a server, more batches in flight than the default, to press harder on the locks. */
const SERVER_LANES = 4;
const TEST_TIMEOUT_MS = 60_000;
const HOT_REQUESTS = 200;
/** Copies of one request sent at once under one idempotency key. */
const COPIES = 25;

type AuthorizeAnswer = ResultOf<"authorize">;

interface WindowJson {
  readonly window: string;
  readonly kind: string;
  readonly allowance: number;
  readonly [field: string]: string | number;
}

interface PlanJson {
  readonly meters: Readonly<Record<string, readonly WindowJson[]>>;
  readonly actions: Readonly<
    Record<string, { readonly costs: Readonly<Record<string, number>>; readonly creditPriceMinor: number }>
  >;
}

const WEEKLY = { kind: "calendar", unit: "week", timeZone: "UTC", weekStartsOn: "monday" } as const;

/**
 * Three windows over two meters, small enough that a few hundred requests overrun each of them. The
 * actions cost different meters in different amounts, so one request can fit a window another cannot.
 */
const HOT_SPEC: PlanJson = {
  meters: {
    messages: [
      { window: "5h", kind: "fixed", duration: "5h", allowance: 30 },
      { window: "weekly", ...WEEKLY, allowance: 45 },
    ],
    tokens: [{ window: "1h", kind: "rolling", duration: "1h", bucket: "5m", allowance: 80 }],
  },
  actions: {
    message: { costs: { messages: 1 }, creditPriceMinor: 3 },
    big_task: { costs: { messages: 2, tokens: 5 }, creditPriceMinor: 7 },
    tool_call: { costs: { tokens: 3 }, creditPriceMinor: 2 },
  },
};

/** One unit per request in both windows, so every answer's reported use is a count of charges. */
const RACE_SPEC: PlanJson = {
  meters: {
    messages: [
      { window: "5h", kind: "fixed", duration: "5h", allowance: 12 },
      { window: "weekly", ...WEEKLY, allowance: 20 },
    ],
  },
  actions: { message: { costs: { messages: 1 }, creditPriceMinor: 5 } },
};

/** A window of one unit that the first request fills, and a price of one credit per unit after it. */
const DRAIN_SPEC: PlanJson = {
  meters: { messages: [{ window: "5h", kind: "fixed", duration: "5h", allowance: 1 }] },
  actions: { spend: { costs: { messages: 1 }, creditPriceMinor: 1 } },
};

interface UsageRequest {
  readonly action: string;
  readonly quantity: number;
}

interface WindowRef {
  readonly id: string;
  readonly meter: string;
  readonly allowanceUnits: bigint;
}

const windowsOf = (spec: PlanJson): WindowRef[] =>
  Object.entries(spec.meters).flatMap(([meter, windows]) =>
    windows.map((w) => ({ id: `${meter}/${w.window}`, meter, allowanceUnits: BigInt(w.allowance) })),
  );

function actionOf(spec: PlanJson, action: string) {
  const entry = spec.actions[action];
  if (entry === undefined) throw new Error(`the test's plan has no action ${action}`);
  return entry;
}

/** The units a request needs in each window its action costs anything in, as the plan says. */
function needsOf(spec: PlanJson, request: UsageRequest): Map<string, bigint> {
  const { costs } = actionOf(spec, request.action);
  const needs = new Map<string, bigint>();
  for (const window of windowsOf(spec)) {
    const units = BigInt(costs[window.meter] ?? 0) * BigInt(request.quantity);
    if (units > 0n) needs.set(window.id, units);
  }
  return needs;
}

const priceOf = (spec: PlanJson, request: UsageRequest): bigint =>
  BigInt(actionOf(spec, request.action).creditPriceMinor) * BigInt(request.quantity);

const sumMinor = (values: readonly bigint[]): bigint => values.reduce((sum, value) => sum + value, 0n);
const ascending = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

function usedIn(lines: AuthorizeAnswer["windows"], windowId: string): bigint {
  const line = lines.find((candidate) => candidate.windowId === windowId);
  if (line === undefined) throw new Error(`no window ${windowId} in the answer`);
  return line.usedUnits;
}

/** Use per window id: plans come back from storage with their meters in the database's key order. */
const usedByWindow = (lines: AuthorizeAnswer["windows"]): Record<string, bigint> =>
  Object.fromEntries(lines.map((line) => [line.windowId, line.usedUnits]));

const USED_NOTHING = { "messages/5h": 0n, "messages/weekly": 0n, "tokens/1h": 0n };

function unitsCharged(answer: AuthorizeAnswer, windowId: string): bigint {
  return answer.charged.windows.find((w) => w.windowId === windowId)?.units ?? 0n;
}

/** A seeded generator (mulberry32), so a failing load is the same load when run again. */
function seeded(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % below;
  };
}

const HOT_ACTIONS = ["message", "big_task", "tool_call"] as const;

function hotRequests(seed: number, count: number): UsageRequest[] {
  const roll = seeded(seed);
  return Array.from({ length: count }, () => ({
    action: HOT_ACTIONS[roll(HOT_ACTIONS.length)] ?? "message",
    quantity: 1 + roll(3),
  }));
}

/** Every copy got the answer the first copy got; the first is a success. */
function expectAllAsFirst<T>(answers: readonly Outcome<T>[]): T {
  const first = answers[0];
  if (first === undefined) throw new Error("no answers");
  const value = expectOk(first);
  for (const answer of answers) expect(answer).toEqual(first);
  return value;
}

async function countRows(store: Store, sql: string, params: readonly string[]): Promise<number> {
  const [row] = await store.query<{ n: number }>(sql, params);
  return row?.n ?? -1;
}

async function expectVerified(engine: Engine): Promise<void> {
  const report = await engine.verify();
  expect(report.firstViolation).toBeNull();
  expect(report.ok).toBe(true);
}

/** Lots of three kinds, with and without expiry, so credit overflow crosses lot boundaries. */
const HOT_LOTS = [
  { kind: "promotional", amountMinor: 150, expiresAtMs: START_MS + 48 * HOUR_MS },
  { kind: "compensation", amountMinor: 100, expiresAtMs: null },
  { kind: "purchased", amountMinor: 120, expiresAtMs: null },
] as const;

interface HotLoad {
  readonly customerId: string;
  readonly overflow: boolean;
  readonly grantedMinor: bigint;
  readonly requests: readonly UsageRequest[];
}

async function prepareHot(
  engine: Engine,
  customerId: string,
  planId: string,
  overflow: boolean,
  seed: number,
): Promise<HotLoad> {
  expectOk(await engine.upsertCustomer({ id: customerId, plan: planId, overflowAllowed: overflow }));
  for (const [index, lot] of HOT_LOTS.entries())
    expectOk(await engine.grant({ customerId, ...lot, idempotencyKey: `${customerId}-lot-${index}` }));
  const grantedMinor = sumMinor(HOT_LOTS.map((lot) => BigInt(lot.amountMinor)));
  return { customerId, overflow, grantedMinor, requests: hotRequests(seed, HOT_REQUESTS) };
}

/** All requests at once, spread over the engines in turn; every answer must be a success. */
async function sendHot(engines: readonly Engine[], load: HotLoad): Promise<AuthorizeAnswer[]> {
  const outcomes = await Promise.all(
    load.requests.map((request, index) => {
      const engine = engines[index % engines.length];
      if (engine === undefined) throw new Error("no engine");
      return engine.authorize({
        customerId: load.customerId,
        ...request,
        idempotencyKey: `${load.customerId}-hot-${index}`,
      });
    }),
  );
  return outcomes.map(expectOk);
}

/** Each answer charged exactly what its request costs, and only on the side that paid. */
function expectAnswersFitRequests(load: HotLoad, answers: readonly AuthorizeAnswer[]): void {
  answers.forEach((answer, index) => {
    const request = load.requests[index];
    if (request === undefined) throw new Error(`no request ${index}`);
    const charged = Object.fromEntries(answer.charged.windows.map((w) => [w.windowId, w.units]));
    expect(answer.credits.availableMinor).toBeGreaterThanOrEqual(0n);
    if (!answer.allowed) {
      expect(answer.code).toBe(load.overflow ? "insufficient_credits" : "limit_reached");
      expect(answer).toMatchObject({ paidBy: null, chargeId: null, draws: [] });
      expect(charged).toEqual({});
      expect(answer.charged.creditsMinor).toBe(0n);
    } else if (answer.paidBy === "windows") {
      expect(charged).toEqual(Object.fromEntries(needsOf(HOT_SPEC, request)));
      expect(answer.charged.creditsMinor).toBe(0n);
    } else {
      expect(load.overflow).toBe(true);
      expect(answer.paidBy).toBe("credits");
      expect(charged).toEqual({});
      expect(answer.charged.creditsMinor).toBe(priceOf(HOT_SPEC, request));
      expect(sumMinor(answer.draws.map((draw) => draw.amountMinor))).toBe(answer.charged.creditsMinor);
    }
  });
}

/**
 * Per window: the units charged sum to what the window shows used, which is within its allowance; and
 * sorted by the use each answer reported, the charges form one serial history in which each step adds
 * exactly its own units. Two batches deciding from the same stale state would report the same use.
 */
function expectWindowHistories(answers: readonly AuthorizeAnswer[], usage: UsageView): void {
  for (const window of windowsOf(HOT_SPEC)) {
    const steps = answers
      .filter((answer) => unitsCharged(answer, window.id) > 0n)
      .map((answer) => ({ units: unitsCharged(answer, window.id), after: usedIn(answer.windows, window.id) }))
      .sort((a, b) => ascending(a.after, b.after));
    let usedUnits = 0n;
    for (const step of steps) {
      expect(step.after, `window ${window.id}`).toBe(usedUnits + step.units);
      usedUnits = step.after;
    }
    const chargedUnits = sumMinor(steps.map((step) => step.units));
    expect(chargedUnits).toBe(usedUnits);
    expect(chargedUnits).toBeLessThanOrEqual(window.allowanceUnits);
    expect(usedIn(usage.windows, window.id)).toBe(chargedUnits);
  }
}

/**
 * The credits the answers charged are exactly the drop in the wallet, never more than was granted;
 * sorted by what each left available they form one serial history; the ledger holds one consume
 * transfer per credit-paid answer and the charge rows are exactly the allowed answers.
 */
async function expectCreditsAccounted(
  engine: Engine,
  store: Store,
  load: HotLoad,
  answers: readonly AuthorizeAnswer[],
): Promise<bigint> {
  const paid = answers
    .filter((answer) => answer.paidBy === "credits")
    .sort((a, b) => ascending(b.credits.availableMinor, a.credits.availableMinor));
  const spentMinor = sumMinor(paid.map((answer) => answer.charged.creditsMinor));
  expect(spentMinor).toBeLessThanOrEqual(load.grantedMinor);
  let availableMinor = load.grantedMinor;
  for (const answer of paid) {
    expect(answer.credits.availableMinor).toBe(availableMinor - answer.charged.creditsMinor);
    availableMinor = answer.credits.availableMinor;
  }
  const balance = expectOk(await engine.balance(load.customerId));
  expect(balance.availableMinor).toBe(load.grantedMinor - spentMinor);
  expect(balance.availableMinor).toBe(availableMinor);
  expect(balance.postedMinor).toBe(balance.availableMinor);
  expect(balance.postedMinor).toBeGreaterThanOrEqual(0n);
  const consumeSql =
    "SELECT count(*)::int AS n FROM transfers WHERE customer_id = $1::text AND kind = 'consume'";
  expect(await countRows(store, consumeSql, [load.customerId])).toBe(paid.length);
  const rows = await store.query<{ id: string }>(
    "SELECT id FROM usage_charges WHERE customer_id = $1::text",
    [load.customerId],
  );
  const allowedIds = answers.flatMap((answer) => (answer.allowed ? [answer.chargeId] : []));
  expect(rows.map((row) => row.id).sort()).toEqual([...allowedIds].sort());
  return balance.availableMinor;
}

/**
 * Windows only fill while the clock stands still, and credits only drain. So a request that was not
 * paid by windows must still not fit them at the end, and one refused for credits must still cost more
 * than what is left: credits were never spent, and nothing was refused, while the windows had room.
 */
function expectWindowsPaidFirst(
  load: HotLoad,
  answers: readonly AuthorizeAnswer[],
  usage: UsageView,
  availableMinor: bigint,
): void {
  const remaining = new Map(usage.windows.map((line) => [line.windowId, line.remainingUnits]));
  answers.forEach((answer, index) => {
    const request = load.requests[index];
    if (request === undefined || answer.paidBy === "windows") return;
    const needs = [...needsOf(HOT_SPEC, request)];
    const blocked = needs.some(([windowId, units]) => units > (remaining.get(windowId) ?? 0n));
    expect(blocked, `request ${index} (${request.action} x${request.quantity}) fits the windows`).toBe(true);
    if (answer.code === "insufficient_credits")
      expect(priceOf(HOT_SPEC, request)).toBeGreaterThan(availableMinor);
  });
}

async function expectHotInvariants(
  engine: Engine,
  store: Store,
  load: HotLoad,
  answers: readonly AuthorizeAnswer[],
): Promise<void> {
  expectAnswersFitRequests(load, answers);
  const usage = expectOk(await engine.usage(load.customerId));
  expectWindowHistories(answers, usage);
  const availableMinor = await expectCreditsAccounted(engine, store, load, answers);
  expectWindowsPaidFirst(load, answers, usage, availableMinor);
  // Demand is well above supply, so the load reached every outcome it can have.
  const paidBy = new Set(answers.map((answer) => answer.paidBy));
  expect(paidBy).toEqual(new Set(load.overflow ? ["windows", "credits", null] : ["windows", null]));
}

/** Per customer, the answers and what it started with, for the bulk reset race. */
interface Racer {
  readonly customerId: string;
  readonly preFilledUnits: bigint;
  readonly onResetPlan: boolean;
  readonly grantedMinor: bigint;
  readonly answers: AuthorizeAnswer[];
}

/**
 * The reset race asserts the strong form, per window. Every request costs one unit, so the charges form
 * two serial histories: those decided before the reset report use preFilled+1, preFilled+2, ..., and
 * those decided after it report 1, 2, .... The reported uses less 1..used (used being what the window
 * shows at the end) must therefore be exactly preFilled+1..preFilled+k, which says the final use is the
 * number of charges decided after the reset. Where the two runs overlap in value, which answer fell on
 * which side cannot be told, but a charge lost to the reset, applied twice, or decided from a state the
 * reset had already erased still breaks one of the runs. The weaker invariants (use no more than all
 * units charged, nor than the allowance) follow; they are asserted first for a clearer failure. A
 * customer on another plan must show one unbroken history from its pre-filled use.
 */
function expectResetSplit(racer: Racer, usage: UsageView): void {
  for (const line of usage.windows) {
    const reported = racer.answers
      .filter((answer) => answer.paidBy === "windows")
      .map((answer) => usedIn(answer.windows, line.windowId))
      .sort(ascending);
    expect(line.usedUnits).toBeLessThanOrEqual(line.limitUnits);
    expect(line.usedUnits).toBeLessThanOrEqual(BigInt(reported.length) + racer.preFilledUnits);
    const before = [...reported];
    const afterUnits = racer.onResetPlan ? line.usedUnits : 0n;
    for (let units = 1n; units <= afterUnits; units += 1n) {
      const at = before.indexOf(units);
      expect(
        at,
        `${racer.customerId} ${line.windowId}: no charge reported use ${units}`,
      ).toBeGreaterThanOrEqual(0);
      before.splice(at, 1);
    }
    expect(before, `${racer.customerId} ${line.windowId}`).toEqual(
      before.map((_, index) => racer.preFilledUnits + BigInt(index + 1)),
    );
    if (!racer.onResetPlan) expect(line.usedUnits).toBe(racer.preFilledUnits + BigInt(before.length));
  }
}

/** Waves of single-message authorizes per customer; each answer must be a success. */
function sendWave(engine: Engine, racers: readonly Racer[], wave: string, count: number): Promise<void>[] {
  // Customer after customer within each round, so that every batch mixes customers and each
  // customer's requests spread over the whole wave.
  return Array.from({ length: count }).flatMap((_, index) =>
    racers.map(async (racer) => {
      const outcome = await engine.authorize({
        customerId: racer.customerId,
        action: "message",
        quantity: 1,
        idempotencyKey: `${racer.customerId}-${wave}-${index}`,
      });
      racer.answers.push(expectOk(outcome));
    }),
  );
}

/** The name of the database a server store is connected to, to open a second pool on it. */
async function databaseOf(store: Store): Promise<string> {
  const [row] = await store.query<{ name: string }>("SELECT current_database() AS name");
  if (row === undefined) throw new Error("the server did not name its database");
  return row.name;
}

const GRANT_KINDS = ["promotional", "purchased", "compensation"] as const;
type GrantKind = (typeof GRANT_KINDS)[number];

/**
 * The documented default priorities: free credits spend before purchased ones. Written out here rather
 * than imported, so the reference does not share a mistake with the code it checks.
 */
const DEFAULT_PRIORITY: Readonly<Record<GrantKind, number>> = {
  promotional: 10,
  compensation: 10,
  purchased: 100,
};

interface ReferenceLot {
  readonly id: string;
  readonly kind: GrantKind;
  readonly priority: number;
  readonly expiresAtMs: number | null;
  readonly createdAtMs: number;
  remainingMinor: bigint;
}

/** Burn-down order: priority, then soonest expiry (never-expiring last), then oldest, then id. */
function burnDownOrder(a: ReferenceLot, b: ReferenceLot): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  const aExpires = a.expiresAtMs ?? Number.POSITIVE_INFINITY;
  const bExpires = b.expiresAtMs ?? Number.POSITIVE_INFINITY;
  if (aExpires !== bExpires) return aExpires < bExpires ? -1 : 1;
  if (a.createdAtMs !== b.createdAtMs) return a.createdAtMs - b.createdAtMs;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Lots are granted in effect at once, so a lot is live until it expires (expiry is exclusive). */
const isLiveAt = (lot: ReferenceLot, nowMs: number): boolean =>
  lot.expiresAtMs === null || nowMs < lot.expiresAtMs;

const referenceAvailableMinor = (lots: readonly ReferenceLot[], nowMs: number): bigint =>
  sumMinor(lots.filter((lot) => isLiveAt(lot, nowMs)).map((lot) => lot.remainingMinor));

/** The draws a spend at `nowMs` should make, applied to the reference lots; null when too little is live. */
function referenceSpend(lots: readonly ReferenceLot[], amountMinor: bigint, nowMs: number) {
  const open = lots.filter((lot) => isLiveAt(lot, nowMs) && lot.remainingMinor > 0n).sort(burnDownOrder);
  if (sumMinor(open.map((lot) => lot.remainingMinor)) < amountMinor) return null;
  const draws: { lotId: string; kind: GrantKind; amountMinor: bigint }[] = [];
  let leftMinor = amountMinor;
  for (const lot of open) {
    if (leftMinor === 0n) break;
    const take = lot.remainingMinor < leftMinor ? lot.remainingMinor : leftMinor;
    lot.remainingMinor -= take;
    leftMinor -= take;
    draws.push({ lotId: lot.id, kind: lot.kind, amountMinor: take });
  }
  return draws;
}

const lotArbitrary = fc.record({
  kind: fc.constantFrom(...GRANT_KINDS),
  // Few priorities, including the kinds' defaults, so lots often tie on priority.
  priority: fc.option(fc.constantFrom(0, 10, 100), { nil: undefined, freq: 2 }),
  // Few expiries, so lots often tie on expiry too and the order falls to age, then id.
  expiresInHours: fc.option(fc.constantFrom(1, 2), { nil: null, freq: 2 }),
  amountMinor: fc.integer({ min: 1, max: 40 }),
  // Time between this grant and the previous one: zero makes two lots equally old.
  gapMs: fc.constantFrom(0, MINUTE_MS),
});
type LotDraft = typeof lotArbitrary extends fc.Arbitrary<infer T> ? T : never;

for (const backend of backends()) {
  describe(`usage under concurrency on ${backend.name}`, () => {
    let store: Store;
    let engine: Engine;
    /** One request per transaction, many in flight: copies race for a key in the database itself. */
    let unbatched: Engine;
    const batchSizes: number[] = [];
    const clock = new ManualClock(START_MS);
    const key = counter("uc-key");
    const customerName = counter("uc");
    const planName = counter("plan");

    async function startEngine(on: Store, batchSizeMax = BATCH_SIZE_MAX): Promise<Engine> {
      return createEngine({
        store: on,
        clock,
        batchSizeMax,
        ...(on.kind === "postgres" ? { lanes: SERVER_LANES } : {}),
        onBatch: (size) => batchSizes.push(size),
      });
    }

    beforeAll(async () => {
      store = await backend.open();
      engine = await startEngine(store);
      unbatched = await createEngine({ store, clock, batchSizeMax: 1, lanes: 8 });
    });
    beforeEach(() => {
      clock.setMs(START_MS);
      batchSizes.length = 0;
    });
    afterAll(async () => {
      await store.close();
      await backend.cleanup();
    });

    async function plan(spec: PlanJson): Promise<string> {
      const planId = planName();
      expectOk(await engine.savePlan(planId, spec));
      return planId;
    }

    async function customer(planId: string, overflow = false): Promise<string> {
      const id = customerName();
      expectOk(await engine.upsertCustomer({ id, plan: planId, overflowAllowed: overflow }));
      return id;
    }

    const authorize = (customerId: string, action: string, quantity = 1, on: Engine = engine) =>
      on.authorize({ customerId, action, quantity, idempotencyKey: key() });

    for (const overflow of [true, false]) {
      it(
        `never overspends a window or the wallet under ${HOT_REQUESTS} authorizes at once (overflow ${overflow ? "on" : "off"})`,
        async () => {
          const planId = await plan(HOT_SPEC);
          const load = await prepareHot(engine, customerName(), planId, overflow, overflow ? 11 : 12);
          batchSizes.length = 0;
          const answers = await sendHot([engine], load);
          // The requests really shared transactions, and there were many transactions.
          expect(Math.max(...batchSizes)).toBeGreaterThan(1);
          expect(batchSizes.length).toBeGreaterThan(1);
          await expectHotInvariants(engine, store, load, answers);
          await expectVerified(engine);
        },
        TEST_TIMEOUT_MS,
      );
    }

    const shapes = [
      { name: "in batches", engine: () => engine },
      { name: "in racing transactions", engine: () => unbatched },
    ];

    for (const shape of shapes) {
      it(`charges the windows once for one authorize sent many times at once, ${shape.name}`, async () => {
        const planId = await plan(HOT_SPEC);
        const id = await customer(planId);
        const idempotencyKey = key();
        const send = () => shape.engine().authorize({ customerId: id, action: "big_task", idempotencyKey });
        const first = expectAllAsFirst(await Promise.all(Array.from({ length: COPIES }, send)));
        expect(first).toMatchObject({ allowed: true, paidBy: "windows" });
        const usage = expectOk(await engine.usage(id));
        expect(usage.charges.map((charge) => charge.id)).toEqual([first.chargeId]);
        expect(usedByWindow(usage.windows)).toEqual({
          "messages/5h": 2n,
          "messages/weekly": 2n,
          "tokens/1h": 5n,
        });
      });

      it(`spends credits once for one authorize sent many times at once, ${shape.name}`, async () => {
        const planId = await plan(HOT_SPEC);
        const id = await customer(planId, true);
        expectOk(
          await engine.grant({
            customerId: id,
            amountMinor: 100,
            kind: "promotional",
            idempotencyKey: key(),
          }),
        );
        expect(expectOk(await authorize(id, "message", 30))).toMatchObject({ paidBy: "windows" });
        const idempotencyKey = key();
        const send = () =>
          shape.engine().authorize({ customerId: id, action: "message", quantity: 2, idempotencyKey });
        const first = expectAllAsFirst(await Promise.all(Array.from({ length: COPIES }, send)));
        expect(first).toMatchObject({ allowed: true, paidBy: "credits", charged: { creditsMinor: 6n } });
        expect(expectOk(await engine.balance(id)).availableMinor).toBe(94n);
        const consumeSql =
          "SELECT count(*)::int AS n FROM transfers WHERE customer_id = $1::text AND kind = 'consume'";
        expect(await countRows(store, consumeSql, [id])).toBe(1);
        expect(expectOk(await engine.usage(id)).charges).toHaveLength(2);
        await expectVerified(engine);
      });

      it(`banks one reset for one grant sent many times at once, ${shape.name}`, async () => {
        const planId = await plan(HOT_SPEC);
        const id = await customer(planId);
        const idempotencyKey = key();
        const send = () =>
          shape.engine().grantReset({ customerId: id, windows: ["messages/5h"], idempotencyKey });
        const first = expectAllAsFirst(await Promise.all(Array.from({ length: COPIES }, send)));
        expect(first.resets.available).toBe(1);
        const usage = expectOk(await engine.usage(id));
        expect(usage.resets.tokens.map((token) => token.id)).toEqual([first.tokenId]);
        const tokenSql = "SELECT count(*)::int AS n FROM reset_tokens WHERE customer_id = $1::text";
        expect(await countRows(store, tokenSql, [id])).toBe(1);
      });

      it(`redeems one reset for one redeem sent many times at once, ${shape.name}`, async () => {
        const planId = await plan(HOT_SPEC);
        const id = await customer(planId);
        expectOk(await authorize(id, "big_task", 3));
        for (let i = 0; i < 3; i += 1)
          expectOk(await engine.grantReset({ customerId: id, idempotencyKey: key() }));
        const idempotencyKey = key();
        const send = () => shape.engine().redeemReset({ customerId: id, idempotencyKey });
        const first = expectAllAsFirst(await Promise.all(Array.from({ length: COPIES }, send)));
        expect(first.resets.available).toBe(2);
        expect(usedByWindow(first.windows)).toEqual(USED_NOTHING);
        expect(expectOk(await engine.usage(id)).resets.available).toBe(2);
        const redeemedSql =
          "SELECT count(*)::int AS n FROM reset_tokens WHERE customer_id = $1::text AND redeemed_at IS NOT NULL";
        expect(await countRows(store, redeemedSql, [id])).toBe(1);
      });

      it(`redeems exactly as many resets as are banked, ${shape.name}`, async () => {
        const BANKED = 5;
        const REDEEMS = 30;
        const planId = await plan(HOT_SPEC);
        const id = await customer(planId);
        expectOk(await authorize(id, "message", 4));
        const tokenIds: string[] = [];
        for (let i = 0; i < BANKED; i += 1)
          tokenIds.push(expectOk(await engine.grantReset({ customerId: id, idempotencyKey: key() })).tokenId);
        const answers = await Promise.all(
          Array.from({ length: REDEEMS }, () =>
            shape.engine().redeemReset({ customerId: id, idempotencyKey: key() }),
          ),
        );
        const redeemed = answers.flatMap((answer) => (answer.ok ? [answer.value] : []));
        expect(redeemed.map((answer) => answer.tokenId).sort()).toEqual([...tokenIds].sort());
        // Each redemption saw one fewer token left: one serial history, no token spent twice.
        expect(redeemed.map((answer) => answer.resets.available).sort()).toEqual([0, 1, 2, 3, 4]);
        const refused = answers.filter((answer) => !answer.ok);
        expect(refused).toHaveLength(REDEEMS - BANKED);
        for (const answer of refused) expect(codeOf(answer)).toBe("reset_unavailable");
        expect(expectOk(await engine.usage(id)).resets.available).toBe(0);
        const redeemedSql =
          "SELECT count(*)::int AS n FROM reset_tokens WHERE customer_id = $1::text AND redeemed_at IS NOT NULL";
        expect(await countRows(store, redeemedSql, [id])).toBe(BANKED);
      });
    }

    /** Customers on a plan, each with every window of HOT_SPEC in use. */
    async function usedCustomers(planId: string, count: number): Promise<string[]> {
      const ids: string[] = [];
      for (let i = 0; i < count; i += 1) {
        const id = await customer(planId);
        expectOk(await authorize(id, "big_task", 2));
        ids.push(id);
      }
      return ids;
    }

    const usedUnitsOf = async (customerId: string) =>
      usedByWindow(expectOk(await engine.usage(customerId)).windows);

    const auditSql = "SELECT count(*)::int AS n FROM bulk_resets WHERE idempotency_key = $1::text";

    it("replays a bulk reset by plan with its first record, resetting that plan's customers once", async () => {
      const planA = await plan(HOT_SPEC);
      const planB = await plan(HOT_SPEC);
      const onA = await usedCustomers(planA, 3);
      const onB = await usedCustomers(planB, 2);
      const untouched = await Promise.all(onB.map(usedUnitsOf));
      expect(untouched[0]).toEqual({ "messages/5h": 4n, "messages/weekly": 4n, "tokens/1h": 10n });
      const request = { plan: planA, actor: "ops@example.com", reason: "incident 7", idempotencyKey: key() };
      const record = expectOk(await engine.bulkReset(request));
      expect(record).toMatchObject({
        planId: planA,
        customerIds: null,
        windowIds: null,
        customers: 3,
        windows: 9,
      });
      for (const id of onA) expect(await usedUnitsOf(id)).toEqual(USED_NOTHING);
      expect(await Promise.all(onB.map(usedUnitsOf))).toEqual(untouched);
      // A charge after the reset must survive the retry: the retry answers, it does not reset again.
      const [charged] = onA;
      if (charged === undefined) throw new Error("no customer");
      expectOk(await authorize(charged, "message"));
      expect(expectOk(await engine.bulkReset(request))).toEqual(record);
      for (const other of [{ reason: "another" }, { plan: planB }, { windows: ["messages/5h"] }]) {
        expect(codeOf(await engine.bulkReset({ ...request, ...other }))).toBe("idempotency_conflict");
      }
      expect(await usedUnitsOf(charged)).toEqual({
        "messages/5h": 1n,
        "messages/weekly": 1n,
        "tokens/1h": 0n,
      });
      expect(await Promise.all(onB.map(usedUnitsOf))).toEqual(untouched);
      expect(await countRows(store, auditSql, [request.idempotencyKey])).toBe(1);
    });

    it("answers one bulk reset sent many times at once, and lets one body of a key win", async () => {
      const planId = await plan(HOT_SPEC);
      const ids = await usedCustomers(planId, 3);
      const idempotencyKey = key();
      const reasons = Array.from({ length: COPIES }, (_, i) => (i % 2 === 0 ? "outage" : "promotion"));
      const answers = await Promise.all(
        reasons.map((reason) => engine.bulkReset({ plan: planId, actor: "ops", reason, idempotencyKey })),
      );
      const winner = answers.flatMap((answer) => (answer.ok ? [answer.value] : []))[0];
      if (winner === undefined) throw new Error("no copy of the bulk reset won the key");
      expect(winner).toMatchObject({ customers: 3, windows: 9 });
      answers.forEach((answer, i) => {
        if (reasons[i] === winner.reason) expect(answer).toEqual({ ok: true, value: winner });
        else expect(codeOf(answer)).toBe("idempotency_conflict");
      });
      expect(await countRows(store, auditSql, [idempotencyKey])).toBe(1);
      for (const id of ids) expect(await usedUnitsOf(id)).toEqual(USED_NOTHING);
    });

    /** A customer for the reset race: some credits when it may overflow, its windows partly used. */
    async function prepareRacer(
      planId: string,
      setup: { preFilled: number; overflow: boolean; onResetPlan: boolean },
    ): Promise<Racer> {
      const id = await customer(planId, setup.overflow);
      const grantedMinor = setup.overflow ? 40n : 0n;
      if (setup.overflow) {
        const grant = { customerId: id, amountMinor: grantedMinor, kind: "promotional" };
        expectOk(await engine.grant({ ...grant, idempotencyKey: key() }));
      }
      if (setup.preFilled > 0) expectOk(await authorize(id, "message", setup.preFilled));
      const preFilledUnits = BigInt(setup.preFilled);
      return { customerId: id, preFilledUnits, onResetPlan: setup.onResetPlan, grantedMinor, answers: [] };
    }

    it(
      "keeps each window's use equal to the charges decided after a bulk reset racing authorizes",
      async () => {
        const planId = await plan(RACE_SPEC);
        const otherPlan = await plan(RACE_SPEC);
        const racers: Racer[] = [];
        const setups = [
          { preFilled: 12, overflow: false, onResetPlan: true },
          { preFilled: 12, overflow: true, onResetPlan: true },
          { preFilled: 9, overflow: false, onResetPlan: true },
          { preFilled: 5, overflow: true, onResetPlan: true },
          { preFilled: 0, overflow: false, onResetPlan: true },
          { preFilled: 3, overflow: false, onResetPlan: false },
        ];
        for (const setup of setups)
          racers.push(await prepareRacer(setup.onResetPlan ? planId : otherPlan, setup));
        const raceEngine = await startEngine(store, 4);
        // The reset is sent once a batch of the first wave has answered, in the same tick as a second
        // wave, so it lands among their batches; a third wave follows its answer, so some charges are
        // surely decided after it.
        const early = sendWave(raceEngine, racers, "a", 8);
        await Promise.race(early);
        const reset = engine.bulkReset({ plan: planId, actor: "ops", reason: "race", idempotencyKey: key() });
        const during = sendWave(raceEngine, racers, "b", 8);
        const record = expectOk(await reset);
        const late = sendWave(raceEngine, racers, "c", 6);
        await Promise.all([...early, ...during, ...late]);
        expect(record.customers).toBe(racers.filter((r) => r.onResetPlan).length);
        let wipedUnits = 0n;
        let keptUnits = 0n;
        for (const racer of racers) {
          const usage = expectOk(await engine.usage(racer.customerId));
          expectResetSplit(racer, usage);
          if (racer.onResetPlan) {
            const paidUnits = racer.answers.filter((answer) => answer.paidBy === "windows").length;
            keptUnits += usedIn(usage.windows, "messages/5h");
            wipedUnits += BigInt(paidUnits) - usedIn(usage.windows, "messages/5h");
          }
          const spentMinor = sumMinor(racer.answers.map((answer) => answer.charged.creditsMinor));
          const balance = expectOk(await engine.balance(racer.customerId));
          expect(balance.availableMinor).toBe(racer.grantedMinor - spentMinor);
          expect(balance.availableMinor).toBeGreaterThanOrEqual(0n);
        }
        // The reset was sent after a batch of the first wave had committed, and every batch of that wave
        // (four requests over six customers in turn) charges a customer with room; the third wave was
        // sent after the reset had committed. So the reset surely erased some charges and kept others.
        expect(wipedUnits).toBeGreaterThan(0n);
        expect(keptUnits).toBeGreaterThan(0n);
        await expectVerified(engine);
      },
      TEST_TIMEOUT_MS,
    );

    const baseUrl = process.env.DATABASE_URL;
    it.skipIf(backend.name !== "postgres" || baseUrl === undefined)(
      "never overspends a window or the wallet with two engines on one database",
      async () => {
        const other = await openStore({
          databaseUrl: databaseUrlFor(baseUrl ?? "", await databaseOf(store)),
        });
        try {
          const engines = [await startEngine(store), await startEngine(other)];
          const planId = await plan(HOT_SPEC);
          const loads = [
            await prepareHot(engine, customerName(), planId, true, 21),
            await prepareHot(engine, customerName(), planId, false, 22),
          ];
          const answers = await Promise.all(loads.map((load) => sendHot(engines, load)));
          for (const [index, load] of loads.entries())
            await expectHotInvariants(engine, store, load, answers[index] ?? []);
          await expectVerified(engine);
        } finally {
          await other.close();
        }
      },
      TEST_TIMEOUT_MS,
    );

    /** Grant the lots one after another, the clock moving between them, and keep a reference copy. */
    async function grantLots(customerId: string, lots: readonly LotDraft[]): Promise<ReferenceLot[]> {
      const reference: ReferenceLot[] = [];
      for (const { gapMs, expiresInHours, ...lot } of lots) {
        clock.advanceMs(gapMs);
        const expiresAtMs = expiresInHours === null ? null : START_MS + expiresInHours * HOUR_MS;
        const granted = expectOk(
          await engine.grant({ customerId, ...lot, expiresAtMs, idempotencyKey: key() }),
        );
        reference.push({
          id: granted.lotId,
          kind: lot.kind,
          priority: lot.priority ?? DEFAULT_PRIORITY[lot.kind],
          expiresAtMs,
          createdAtMs: clock.nowMs(),
          remainingMinor: BigInt(lot.amountMinor),
        });
      }
      return reference;
    }

    it(
      "draws overflow credits from lots in burn-down order",
      async () => {
        const planId = await plan(DRAIN_SPEC);
        await fc.assert(
          fc.asyncProperty(
            fc.array(lotArbitrary, { minLength: 2, maxLength: 7 }),
            fc.array(fc.integer({ min: 1, max: 120 }), { minLength: 1, maxLength: 3 }),
            fc.constantFrom(0, HOUR_MS, 2 * HOUR_MS),
            async (lots, spends, laterMs) => {
              clock.setMs(START_MS);
              const id = await customer(planId, true);
              const reference = await grantLots(id, lots);
              // Spending later lets some lots expire first, an expired lot is never drawn; spending at
              // the very instant some lots expire checks that expiry is exclusive.
              clock.setMs(Math.max(clock.nowMs(), START_MS + laterMs));
              expect(expectOk(await authorize(id, "spend")).paidBy).toBe("windows");
              for (const quantity of spends) {
                const answer = expectOk(await authorize(id, "spend", quantity));
                const draws = referenceSpend(reference, BigInt(quantity), clock.nowMs());
                if (draws === null) {
                  expect(answer).toMatchObject({ allowed: false, code: "insufficient_credits", draws: [] });
                } else {
                  expect(answer).toMatchObject({ allowed: true, paidBy: "credits" });
                  expect(answer.draws).toEqual(draws);
                }
                expect(answer.credits.availableMinor).toBe(referenceAvailableMinor(reference, clock.nowMs()));
              }
            },
          ),
          { numRuns: 20 },
        );
        await expectVerified(engine);
      },
      TEST_TIMEOUT_MS,
    );
  });
}
