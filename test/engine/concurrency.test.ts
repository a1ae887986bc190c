/**
 * The real engine under concurrent load, on every backend: hundreds of spends in flight against a few
 * wallets and against one hot wallet, demand well above supply. Whatever the interleaving, no wallet
 * goes negative, every success shows in the ledger exactly once, the successes account for the whole
 * drop in balance, and `verify` passes. On PostgreSQL two engines (two pools, as two processes would
 * be) share the same wallets.
 */
import * as fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import type { Failure, Outcome } from "../../src/core/errors.js";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import { openStore, type Store } from "../../src/store/store.js";
import { backends, databaseUrlFor } from "../support/backends.js";

const START_MS = Date.UTC(2026, 5, 1);
const DAY_MS = 86_400_000;
const HOLD_TTL_SECONDS = 3600;
/** Small batches, so that a few hundred requests become many transactions contending for one row. */
const BATCH_SIZE_MAX = 16;
/** On a server, more batches in flight than the default, to press harder on the wallet locks. */
const SERVER_LANES = 4;
const TEST_TIMEOUT_MS = 60_000;

interface Harness {
  readonly engine: Engine;
  readonly batchSizes: number[];
}

async function startEngine(store: Store, batchSizeMax = BATCH_SIZE_MAX): Promise<Harness> {
  const batchSizes: number[] = [];
  const engine = await createEngine({
    store,
    clock: new ManualClock(START_MS),
    batchSizeMax,
    ...(store.kind === "postgres" ? { lanes: SERVER_LANES } : {}),
    onBatch: (size) => batchSizes.push(size),
  });
  return { engine, batchSizes };
}

function unwrap<T>(outcome: Outcome<T>, what: string): T {
  if (!outcome.ok) throw new Error(`${what} failed: ${outcome.error.code}: ${outcome.error.message}`);
  return outcome.value;
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

const FUND_KINDS = ["promotional", "compensation", "purchased"] as const;

/** Fund a wallet with lots of several kinds, so that spends cross lot boundaries in burn-down order. */
async function fundWallet(engine: Engine, customerId: string, lotsMinor: readonly number[]): Promise<bigint> {
  unwrap(await engine.upsertCustomer({ id: customerId }), "upsert");
  let totalMinor = 0n;
  for (const [index, amountMinor] of lotsMinor.entries()) {
    const granted = await engine.grant({
      customerId,
      amountMinor,
      kind: FUND_KINDS[index % FUND_KINDS.length] ?? "purchased",
      expiresAtMs: index % 2 === 0 ? START_MS + DAY_MS : null,
      idempotencyKey: `fund-${customerId}-${index}`,
    });
    unwrap(granted, "funding grant");
    totalMinor += BigInt(amountMinor);
  }
  return totalMinor;
}

/** A refusal must be for lack of credits, with a message whose numbers show the shortfall it saw. */
function expectShortfall(error: Failure, requestedMinor: bigint): bigint {
  expect(error.code).toBe("insufficient_credits");
  const match = /^(\d+) available, (\d+) requested$/.exec(error.message);
  expect(match, error.message).not.toBeNull();
  const availableMinor = BigInt(match?.[1] ?? "-1");
  expect(availableMinor).toBeGreaterThanOrEqual(0n);
  expect(availableMinor).toBeLessThan(requestedMinor);
  expect(BigInt(match?.[2] ?? "-1")).toBe(requestedMinor);
  return availableMinor;
}

/** What the test saw succeed on one wallet: the model the ledger must agree with. */
interface Tally {
  fundedMinor: bigint;
  grantedMinor: bigint;
  spentMinor: bigint;
  readonly spendTransferIds: string[];
  rejected: number;
}

const newTally = (fundedMinor: bigint): Tally => ({
  fundedMinor,
  grantedMinor: 0n,
  spentMinor: 0n,
  spendTransferIds: [],
  rejected: 0,
});

type Step = "grant" | "consume" | "capture" | "void";

interface Plan {
  readonly step: Step;
  readonly engine: Engine;
  readonly customerId: string;
  readonly amountMinor: bigint;
  readonly key: string;
}

const GRANT_TOP_UP_MINOR = 25n;

async function runGrant(plan: Plan, tally: Tally): Promise<void> {
  const input = { customerId: plan.customerId, kind: "promotional", idempotencyKey: plan.key };
  unwrap(await plan.engine.grant({ ...input, amountMinor: GRANT_TOP_UP_MINOR }), "top-up grant");
  tally.grantedMinor += GRANT_TOP_UP_MINOR;
}

async function runConsume(plan: Plan, tally: Tally): Promise<void> {
  const { engine, customerId, amountMinor, key } = plan;
  const result = await engine.consume({ customerId, amountMinor, idempotencyKey: key });
  if (!result.ok) {
    expectShortfall(result.error, amountMinor);
    tally.rejected += 1;
    return;
  }
  expect(result.value.amountMinor).toBe(amountMinor);
  tally.spentMinor += amountMinor;
  tally.spendTransferIds.push(result.value.transferId);
}

/** Reserve, then either capture half (rounded up) or void. With the clock still, neither can fail. */
async function runHold(plan: Plan, tally: Tally): Promise<void> {
  const { engine, customerId, amountMinor, key } = plan;
  const held = await engine.hold({
    customerId,
    amountMinor,
    ttlSeconds: HOLD_TTL_SECONDS,
    idempotencyKey: `${key}-hold`,
  });
  if (!held.ok) {
    expectShortfall(held.error, amountMinor);
    tally.rejected += 1;
    return;
  }
  const holdId = held.value.hold.id;
  if (plan.step === "void") {
    unwrap(await engine.voidHold({ holdId, idempotencyKey: `${key}-void` }), "void");
    return;
  }
  const captureMinor = (amountMinor + 1n) / 2n;
  const captured = unwrap(
    await engine.capture({ holdId, amountMinor: captureMinor, idempotencyKey: `${key}-capture` }),
    "capture",
  );
  expect(captured.hold.capturedMinor).toBe(captureMinor);
  tally.spentMinor += captureMinor;
  tally.spendTransferIds.push(captured.transferId);
}

function runPlan(plan: Plan, tally: Tally): Promise<void> {
  switch (plan.step) {
    case "grant":
      return runGrant(plan, tally);
    case "consume":
      return runConsume(plan, tally);
    case "capture":
    case "void":
      return runHold(plan, tally);
  }
}

function pickStep(roll: number): Step {
  if (roll === 0) return "grant";
  if (roll <= 10) return "consume";
  return roll <= 15 ? "capture" : "void";
}

const SPEND_AMOUNT_MINOR_MAX = 40;

/** Random spends over a few wallets, all started at once and spread over the given engines. */
async function hammerWallets(
  engines: readonly Engine[],
  tallies: ReadonlyMap<string, Tally>,
  count: number,
  seed: number,
): Promise<void> {
  const roll = seeded(seed);
  const customers = [...tallies.keys()];
  const runs: Promise<void>[] = [];
  for (let index = 0; index < count; index += 1) {
    const customerId = pick(customers, roll(customers.length));
    const engine = pick(engines, roll(engines.length));
    const tally = tallies.get(customerId);
    if (tally === undefined) throw new Error(`no tally for ${customerId}`);
    const plan: Plan = {
      step: pickStep(roll(20)),
      engine,
      customerId,
      amountMinor: BigInt(1 + roll(SPEND_AMOUNT_MINOR_MAX)),
      key: `mixed-${seed}-${index}`,
    };
    runs.push(runPlan(plan, tally));
  }
  await Promise.all(runs);
}

/** The wallet holds exactly what the model says: funded plus granted minus spent, nothing held. */
async function expectWalletMatches(engine: Engine, customerId: string, tally: Tally): Promise<void> {
  const balance = unwrap(await engine.balance(customerId), "balance");
  expect(balance.postedMinor).toBe(tally.fundedMinor + tally.grantedMinor - tally.spentMinor);
  expect(balance.postedMinor).toBeGreaterThanOrEqual(0n);
  expect(balance.heldMinor).toBe(0n);
  expect(balance.availableMinor).toBe(balance.postedMinor);
}

/** Every success the callers saw is a transfer in the ledger, once, and nothing else was spent. */
async function expectLedgerHasSpends(store: Store, tallies: readonly Tally[]): Promise<void> {
  const ids = tallies.flatMap((tally) => tally.spendTransferIds);
  expect(new Set(ids).size).toBe(ids.length);
  const [found] = await store.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM transfers
     WHERE id IN (SELECT jsonb_array_elements_text($1::text::jsonb)) AND kind IN ('consume', 'capture')`,
    [JSON.stringify(ids)],
  );
  expect(found?.n).toBe(ids.length);
  const [spent] = await store.query<{ n: number; total: bigint }>(
    `SELECT count(DISTINCT transfer_id)::int AS n, coalesce(sum(amount_minor), 0)::bigint AS total
     FROM entries WHERE account_id = 'sys_consumption'`,
  );
  expect(spent?.n).toBe(ids.length);
  expect(spent?.total).toBe(tallies.reduce((sum, tally) => sum + tally.spentMinor, 0n));
}

/** What is left is really spendable: one unit more is refused, the exact remainder is accepted. */
async function expectRemainderSpendable(engine: Engine, customerId: string): Promise<void> {
  const { availableMinor } = unwrap(await engine.balance(customerId), "balance");
  const over = await engine.consume({
    customerId,
    amountMinor: availableMinor + 1n,
    idempotencyKey: `drain-over-${customerId}`,
  });
  expect(over.ok ? null : expectShortfall(over.error, availableMinor + 1n)).toBe(availableMinor);
  if (availableMinor === 0n) return;
  const drained = await engine.consume({
    customerId,
    amountMinor: availableMinor,
    idempotencyKey: `drain-${customerId}`,
  });
  expect(unwrap(drained, "drain").availableMinor).toBe(0n);
}

async function expectVerified(engine: Engine): Promise<void> {
  const report = await engine.verify();
  expect(report.firstViolation).toBeNull();
  expect(report.ok).toBe(true);
}

const WALLET_LOTS_MINOR = [
  [300, 400, 300],
  [150, 250],
  [500, 100, 100, 100],
] as const;

async function fundMixedWallets(engine: Engine, prefix: string): Promise<Map<string, Tally>> {
  const tallies = new Map<string, Tally>();
  for (const [index, lots] of WALLET_LOTS_MINOR.entries()) {
    const customerId = `${prefix}-${index}`;
    tallies.set(customerId, newTally(await fundWallet(engine, customerId, lots)));
  }
  return tallies;
}

interface HotAnswer {
  readonly key: string;
  readonly answer: unknown;
  /** What the success left available, or null for a refusal. */
  readonly afterMinor: bigint | null;
  readonly transferId: string | null;
}

function pick<T>(items: readonly T[], index: number): T {
  const item = items[index % items.length];
  if (item === undefined) throw new Error("nothing to pick from");
  return item;
}

/** A hold of one unit, then a full capture: it spends exactly like a consume of that unit. */
async function holdAndCapture(
  engine: Engine,
  customerId: string,
  unitMinor: bigint,
  key: string,
): Promise<HotAnswer> {
  const held = await engine.hold({ customerId, amountMinor: unitMinor, ttlSeconds: 60, idempotencyKey: key });
  if (!held.ok) {
    expectShortfall(held.error, unitMinor);
    return { key, answer: held, afterMinor: null, transferId: null };
  }
  const captured = await engine.capture({ holdId: held.value.hold.id, idempotencyKey: `${key}-capture` });
  const { transferId } = unwrap(captured, "hot capture");
  return { key, answer: held, afterMinor: held.value.availableMinor, transferId };
}

async function consumeUnit(
  engine: Engine,
  customerId: string,
  unitMinor: bigint,
  key: string,
): Promise<HotAnswer> {
  const answer = await engine.consume({ customerId, amountMinor: unitMinor, idempotencyKey: key });
  if (!answer.ok) expectShortfall(answer.error, unitMinor);
  return {
    key,
    answer,
    afterMinor: answer.ok ? answer.value.availableMinor : null,
    transferId: answer.ok ? answer.value.transferId : null,
  };
}

/**
 * Many equal spends against one wallet, each consume sent twice under one key (the copy in a later
 * batch, maybe on the other engine). With equal amounts every order allows exactly the same number of
 * successes, and each success leaves a different balance: one serial history, no update lost.
 */
async function hammerHotWallet(
  engines: readonly Engine[],
  customerId: string,
  unitMinor: bigint,
  requests: number,
  tally: Tally,
): Promise<void> {
  const engineFor = (index: number): Engine => pick(engines, index);
  const keyOf = (index: number) => `hot-${customerId}-${index}`;
  const isHold = (index: number) => index % 4 === 3;
  const indices = Array.from({ length: requests }, (_, index) => index);
  const originals = indices.map((index) =>
    isHold(index)
      ? holdAndCapture(engineFor(index), customerId, unitMinor, keyOf(index))
      : consumeUnit(engineFor(index), customerId, unitMinor, keyOf(index)),
  );
  const copies = indices
    .filter((index) => !isHold(index))
    .map((index) => consumeUnit(engineFor(index + 1), customerId, unitMinor, keyOf(index)));
  const [first, again] = await Promise.all([Promise.all(originals), Promise.all(copies)]);
  const firstByKey = new Map<string, HotAnswer>(first.map((answer) => [answer.key, answer]));
  for (const copy of again) expect(copy.answer).toEqual(firstByKey.get(copy.key)?.answer);
  const successes = first.filter((answer) => answer.afterMinor !== null);
  const expected = Array.from(
    { length: Number(tally.fundedMinor / unitMinor) },
    (_, i) => BigInt(i) * unitMinor,
  );
  const after = successes.map((answer) => answer.afterMinor ?? -1n).sort((a, b) => (a < b ? -1 : 1));
  expect(after).toEqual(expected);
  tally.spentMinor += BigInt(successes.length) * unitMinor;
  tally.rejected += requests - successes.length;
  for (const success of first)
    if (success.transferId !== null) tally.spendTransferIds.push(success.transferId);
}

const maxOf = (sizes: readonly number[]): number => sizes.reduce((max, size) => Math.max(max, size), 0);

/** The name of the database a server store is connected to, to open a second pool on it. */
async function databaseOf(store: Store): Promise<string> {
  const [row] = await store.query<{ name: string }>("SELECT current_database() AS name");
  if (row === undefined) throw new Error("the server did not name its database");
  return row.name;
}

/** Grants, consumes and a full hold lifecycle in flight at once, over a few wallets. */
async function mixedScenario(store: Store, seed: number): Promise<void> {
  const { engine, batchSizes } = await startEngine(store);
  const tallies = await fundMixedWallets(engine, `w${seed}`);
  await hammerWallets([engine], tallies, 600, seed);
  expect(maxOf(batchSizes)).toBeGreaterThan(1);
  for (const [customerId, tally] of tallies) await expectWalletMatches(engine, customerId, tally);
  expect([...tallies.values()].every((tally) => tally.rejected > 0)).toBe(true);
  await expectLedgerHasSpends(store, [...tallies.values()]);
  await expectVerified(engine);
  for (const customerId of tallies.keys()) await expectRemainderSpendable(engine, customerId);
  await expectVerified(engine);
}

async function hotScenario(store: Store): Promise<void> {
  const { engine, batchSizes } = await startEngine(store);
  const tally = newTally(await fundWallet(engine, "hot", [400, 350, 250]));
  await hammerHotWallet([engine], "hot", 5n, 400, tally);
  expect(maxOf(batchSizes)).toBeGreaterThan(1);
  await expectWalletMatches(engine, "hot", tally);
  expect(tally.spentMinor).toBe(tally.fundedMinor);
  await expectLedgerHasSpends(store, [tally]);
  await expectVerified(engine);
}

/** Two engines on two pools over one database, as two processes would run, on the same wallets. */
async function twoEngineScenario(store: Store, baseUrl: string): Promise<void> {
  const other = await openStore({ databaseUrl: databaseUrlFor(baseUrl, await databaseOf(store)) });
  try {
    const one = await startEngine(store);
    const two = await startEngine(other);
    const engines = [one.engine, two.engine];
    const tallies = await fundMixedWallets(one.engine, "shared");
    const hot = newTally(await fundWallet(two.engine, "shared-hot", [600, 400]));
    await Promise.all([
      hammerWallets(engines, tallies, 600, 7),
      hammerHotWallet(engines, "shared-hot", 4n, 400, hot),
    ]);
    expect(maxOf(one.batchSizes)).toBeGreaterThan(1);
    expect(maxOf(two.batchSizes)).toBeGreaterThan(1);
    for (const [customerId, tally] of tallies) await expectWalletMatches(two.engine, customerId, tally);
    await expectWalletMatches(one.engine, "shared-hot", hot);
    await expectLedgerHasSpends(store, [...tallies.values(), hot]);
    await expectVerified(two.engine);
  } finally {
    await other.close();
  }
}

interface Spend {
  readonly amountMinor: number;
  /** Wait for the previous request's answer before sending this one, so batches interleave. */
  readonly afterPrevious: boolean;
}

async function sendSpends(engine: Engine, customerId: string, spends: readonly Spend[]) {
  const sent: Promise<Outcome<{ amountMinor: bigint; availableMinor: bigint }>>[] = [];
  for (const [index, spend] of spends.entries()) {
    const previous = sent[sent.length - 1];
    if (spend.afterPrevious && previous !== undefined) await previous;
    sent.push(
      engine.consume({
        customerId,
        amountMinor: spend.amountMinor,
        idempotencyKey: `${customerId}-${index}`,
      }),
    );
  }
  return Promise.all(sent);
}

/**
 * Whatever order the batches ran in, the successes form one serial history (sorted by the balance
 * each left, every step is its own amount), each refusal saw a state of that history too small for
 * it, and no refused amount would fit in what is left: nothing fitting was turned away.
 */
async function expectSerialHistory(
  engine: Engine,
  customerId: string,
  grantedMinor: bigint,
  spends: readonly Spend[],
  outcomes: readonly Outcome<{ amountMinor: bigint; availableMinor: bigint }>[],
): Promise<void> {
  const successes = outcomes.flatMap((outcome) => (outcome.ok ? [outcome.value] : []));
  successes.sort((a, b) => (a.availableMinor > b.availableMinor ? -1 : 1));
  const states = new Set([grantedMinor]);
  let beforeMinor = grantedMinor;
  for (const success of successes) {
    expect(success.availableMinor).toBe(beforeMinor - success.amountMinor);
    beforeMinor = success.availableMinor;
    states.add(beforeMinor);
  }
  const balance = unwrap(await engine.balance(customerId), "balance");
  expect(balance.availableMinor).toBe(beforeMinor);
  expect(balance.postedMinor).toBe(beforeMinor);
  for (const [index, outcome] of outcomes.entries()) {
    if (outcome.ok) continue;
    const requestedMinor = BigInt(spends[index]?.amountMinor ?? 0);
    expect(states.has(expectShortfall(outcome.error, requestedMinor))).toBe(true);
    expect(requestedMinor).toBeGreaterThan(beforeMinor);
  }
}

async function propertyScenario(store: Store): Promise<void> {
  let run = 0;
  const spend = fc.record({ amountMinor: fc.integer({ min: 1, max: 60 }), afterPrevious: fc.boolean() });
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 400 }),
      fc.array(spend, { minLength: 1, maxLength: 60 }),
      fc.integer({ min: 1, max: 8 }),
      async (grantedMinor, spends, batchSizeMax) => {
        run += 1;
        const customerId = `prop-${run}`;
        const { engine } = await startEngine(store, batchSizeMax);
        await fundWallet(engine, customerId, [grantedMinor]);
        const outcomes = await sendSpends(engine, customerId, spends);
        await expectSerialHistory(engine, customerId, BigInt(grantedMinor), spends, outcomes);
        await expectVerified(engine);
      },
    ),
    { numRuns: 12 },
  );
}

for (const backend of backends()) {
  describe(`concurrency on ${backend.name}`, () => {
    afterAll(() => backend.cleanup());

    async function withStore(work: (store: Store) => Promise<void>): Promise<void> {
      const store = await backend.open();
      try {
        await work(store);
      } finally {
        await store.close();
      }
    }

    it(
      "keeps a few wallets whole under hundreds of concurrent mixed spends",
      () => withStore((store) => mixedScenario(store, 1)),
      TEST_TIMEOUT_MS,
    );

    it(
      "serializes hundreds of equal spends on one hot wallet, duplicates answered once",
      () => withStore(hotScenario),
      TEST_TIMEOUT_MS,
    );

    it(
      "turns a random interleaving of spends into one serial history",
      () => withStore(propertyScenario),
      TEST_TIMEOUT_MS,
    );

    const baseUrl = process.env.DATABASE_URL;
    if (backend.name === "postgres" && baseUrl !== undefined) {
      it(
        "keeps shared wallets whole with two engines on two pools at once",
        () => withStore((store) => twoEngineScenario(store, baseUrl)),
        TEST_TIMEOUT_MS,
      );
    }
  });
}
