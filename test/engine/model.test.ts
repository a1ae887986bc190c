/**
 * Model-based test of the ledger engine: random sequences of grants, consumes, holds, captures, voids,
 * reversals, sweeps and clock moves run against the real engine and against a small model written here
 * from the rules alone. After every step each answer must agree with the model (outcome, error code,
 * draws), and so must every customer's balance, down to each open lot; after every sequence `verify`
 * must find no violation.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import type { ErrorCode, Outcome } from "../../src/core/errors.js";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import type { BalanceView } from "../../src/engine/reads.js";
import type { Store } from "../../src/store/store.js";
import { backends } from "../support/backends.js";
import { counter, expectOk } from "../support/outcomes.js";

const CUSTOMERS_PER_RUN = 3;
const COMMANDS_MAX = 25;
/** Runs per backend; raise it (MODEL_RUNS=500) to search harder. */
const RUNS = Number(process.env.MODEL_RUNS ?? 20);
/** Generous for the default runs (a few seconds per backend); grows with MODEL_RUNS. */
const TEST_TIMEOUT_MS = 60_000 + RUNS * 2_000;
const START_MS = Date.UTC(2026, 5, 1);

const KINDS = ["purchased", "promotional", "compensation"] as const;
type Kind = (typeof KINDS)[number];
const ALL_KINDS = ["purchased", "promotional", "gifted", "referral", "compensation"] as const;
const PRIORITY_BY_KIND: Readonly<Record<Kind, number>> = {
  purchased: 100,
  promotional: 10,
  compensation: 10,
};

// ---------------------------------------------------------------------------------------------------
// The model: plain numbers (amounts stay far below 2^53), mutated in place by each step.

interface ModelLot {
  /** Creation order. One engine (so one id generator) creates every lot, so this is also id order. */
  readonly seq: number;
  readonly id: string;
  readonly customer: number;
  readonly kind: Kind;
  readonly priority: number;
  readonly amount: number;
  remaining: number;
  held: number;
  readonly effectiveAtMs: number;
  readonly expiresAtMs: number | null;
  readonly createdAtMs: number;
}

interface Allocation {
  readonly lot: ModelLot;
  readonly amount: number;
}

interface ModelHold {
  readonly id: string;
  readonly customer: number;
  readonly amount: number;
  readonly expiresAtMs: number;
  readonly allocations: readonly Allocation[];
  status: "pending" | "captured" | "voided" | "expired";
}

interface ModelTransfer {
  readonly id: string;
  readonly kind: "grant" | "consume" | "capture" | "reverse";
  readonly customer: number;
  /** What the transfer did to each lot, signed from the wallet's side. */
  readonly moves: readonly Allocation[];
  reversed: boolean;
}

interface Model {
  nowMs: number;
  readonly lots: ModelLot[];
  readonly holds: ModelHold[];
  readonly transfers: ModelTransfer[];
}

interface Real {
  readonly engine: Engine;
  readonly clock: ManualClock;
  readonly customerIds: readonly string[];
}

const isLive = (lot: ModelLot, nowMs: number): boolean =>
  lot.effectiveAtMs <= nowMs && (lot.expiresAtMs === null || nowMs < lot.expiresAtMs);
const isExpired = (lot: ModelLot, nowMs: number): boolean =>
  lot.expiresAtMs !== null && lot.expiresAtMs <= nowMs;
const free = (lot: ModelLot): number => lot.remaining - lot.held;
const lotsOf = (m: Model, customer: number): ModelLot[] => m.lots.filter((l) => l.customer === customer);

/** Spend order: lower priority, then sooner expiry (never last), then older, then created first. */
function spendOrder(a: ModelLot, b: ModelLot): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  const aExpires = a.expiresAtMs ?? Number.POSITIVE_INFINITY;
  const bExpires = b.expiresAtMs ?? Number.POSITIVE_INFINITY;
  if (aExpires !== bExpires) return aExpires < bExpires ? -1 : 1;
  if (a.createdAtMs !== b.createdAtMs) return a.createdAtMs - b.createdAtMs;
  return a.seq - b.seq;
}

/**
 * What a lot's holds reserve as a reader sees it: a hold past its timeout reserves nothing, though
 * it is only marked expired (and its lots updated) by the next write or sweep.
 */
function heldOnRead(m: Model, lot: ModelLot): number {
  let timedOut = 0;
  for (const hold of m.holds) {
    if (hold.status !== "pending" || hold.expiresAtMs > m.nowMs) continue;
    for (const allocation of hold.allocations) if (allocation.lot === lot) timedOut += allocation.amount;
  }
  return lot.held - timedOut;
}

/** What the customer can spend now. Right after a write this equals the live lots' `free` sum. */
function availableOf(m: Model, customer: number, kind?: Kind): number {
  return lotsOf(m, customer)
    .filter((l) => isLive(l, m.nowMs) && (kind === undefined || l.kind === kind))
    .reduce((sum, l) => sum + l.remaining - heldOnRead(m, l), 0);
}

/** The lots and amounts a spend would take, or null when live unheld credits fall short. */
function plan(m: Model, customer: number, amount: number): Allocation[] | null {
  const candidates = lotsOf(m, customer)
    .filter((l) => isLive(l, m.nowMs) && free(l) > 0)
    .sort(spendOrder);
  const taken: Allocation[] = [];
  let left = amount;
  for (const lot of candidates) {
    if (left === 0) break;
    const take = Math.min(free(lot), left);
    taken.push({ lot, amount: take });
    left -= take;
  }
  return left === 0 ? taken : null;
}

function release(hold: ModelHold, status: ModelHold["status"]): void {
  for (const allocation of hold.allocations) allocation.lot.held -= allocation.amount;
  hold.status = status;
}

/** What the engine does to a wallet before any write to it: time out holds, then book expired credits. */
function normalize(m: Model, customer: number): void {
  for (const hold of m.holds) {
    if (hold.customer === customer && hold.status === "pending" && hold.expiresAtMs <= m.nowMs)
      release(hold, "expired");
  }
  for (const lot of lotsOf(m, customer)) if (isExpired(lot, m.nowMs)) lot.remaining = lot.held;
}

// ---------------------------------------------------------------------------------------------------
// Steps: one discriminated union, generated by fast-check and run by one command class.

type GrantAction = {
  readonly type: "grant";
  readonly customer: number;
  readonly amount: number;
  readonly kind: Kind;
  readonly priority: number | undefined;
  /** Offsets from now; a negative start is a grant back-dated into the past. */
  readonly effectiveInMs: number | null;
  readonly expiresInMs: number | null;
};
type ConsumeAction = { readonly type: "consume"; readonly customer: number; readonly amount: number };
type HoldAction = {
  readonly type: "hold";
  readonly customer: number;
  readonly amount: number;
  readonly ttlSeconds: number;
};
/** Who a capture or void claims to act for: nobody, the hold's owner, or another customer. */
type Claimant = "none" | "owner" | "other";

/** `pick` chooses among the holds (or transfers) earlier steps made. */
type CaptureAction = {
  readonly type: "capture";
  readonly pick: number;
  readonly amount: number | null;
  readonly as: Claimant;
};
type VoidAction = { readonly type: "void"; readonly pick: number; readonly as: Claimant };
type ReverseAction = { readonly type: "reverse"; readonly pick: number };
type WriteAction = GrantAction | ConsumeAction | HoldAction | CaptureAction | VoidAction | ReverseAction;

type Action =
  | WriteAction
  /** Writes submitted in the same tick, which the engine decides together in one batch. */
  | { readonly type: "burst"; readonly actions: readonly WriteAction[] }
  | { readonly type: "advance"; readonly ms: number }
  | { readonly type: "advanceToEdge"; readonly pick: number }
  | { readonly type: "sweep" };

/** Null `nullWeight` times as often as a value. */
const sometimes = <T>(arb: fc.Arbitrary<T>, nullWeight: number): fc.Arbitrary<T | null> =>
  fc.oneof({ arbitrary: fc.constant(null), weight: nullWeight }, { arbitrary: arb, weight: 1 });

// The first customer is picked most, so its wallet sees long histories; the others see short ones
// and serve as the "someone else" of cross-customer checks.
const customerArb = fc.constantFrom(0, 0, 0, 1, 2);
const claimantArb = fc.constantFrom<Claimant>("none", "none", "owner", "other");

const grantArb: fc.Arbitrary<GrantAction> = fc.record({
  type: fc.constant("grant" as const),
  customer: customerArb,
  amount: fc.integer({ min: 1, max: 150 }),
  kind: fc.constantFrom(...KINDS),
  priority: fc.option(fc.constantFrom(0, 5, 10, 50, 100, 200), { nil: undefined }),
  effectiveInMs: sometimes(fc.integer({ min: -60_000, max: 60_000 }), 4),
  expiresInMs: sometimes(fc.integer({ min: -1_000, max: 300_000 }), 1),
});
const consumeArb: fc.Arbitrary<ConsumeAction> = fc.record({
  type: fc.constant("consume" as const),
  customer: customerArb,
  amount: fc.integer({ min: 1, max: 60 }),
});
const holdArb: fc.Arbitrary<HoldAction> = fc.record({
  type: fc.constant("hold" as const),
  customer: customerArb,
  amount: fc.integer({ min: 1, max: 50 }),
  ttlSeconds: fc.integer({ min: 1, max: 120 }),
});
const captureArb: fc.Arbitrary<CaptureAction> = fc.record({
  type: fc.constant("capture" as const),
  pick: fc.nat(),
  amount: sometimes(fc.integer({ min: 1, max: 70 }), 1),
  as: claimantArb,
});
const voidArb: fc.Arbitrary<VoidAction> = fc.record({
  type: fc.constant("void" as const),
  pick: fc.nat(),
  as: claimantArb,
});
const reverseArb: fc.Arbitrary<ReverseAction> = fc.record({
  type: fc.constant("reverse" as const),
  pick: fc.nat(),
});
const writeArb: fc.Arbitrary<WriteAction> = fc.oneof(
  grantArb,
  consumeArb,
  holdArb,
  captureArb,
  voidArb,
  reverseArb,
);

const burstArb: fc.Arbitrary<Action> = fc.record({
  type: fc.constant("burst" as const),
  actions: fc.array(writeArb, { minLength: 2, maxLength: 5 }),
});

// Writes are listed twice (voids once) so that they outnumber clock moves and sweeps, and sequences
// build up enough credit and pending holds for the other steps to act on.
const actionArbs: fc.Arbitrary<Action>[] = [
  grantArb,
  grantArb,
  consumeArb,
  consumeArb,
  holdArb,
  holdArb,
  captureArb,
  captureArb,
  voidArb,
  reverseArb,
  reverseArb,
  burstArb,
  burstArb,
  fc.record({
    type: fc.constant("advance" as const),
    ms: fc.oneof(fc.integer({ min: 1, max: 1_000 }), fc.integer({ min: 1_000, max: 120_000 })),
  }),
  fc.record({ type: fc.constant("advanceToEdge" as const), pick: fc.nat() }),
  fc.constant({ type: "sweep" as const }),
];

const nextKey = counter("model-key");

function expectCode(outcome: Outcome<unknown>, code: ErrorCode): void {
  expect(outcome.ok ? "ok" : outcome.error.code).toBe(code);
  if (!outcome.ok) expect(outcome.error.message).not.toBe("");
}

const drawsOf = (allocations: readonly Allocation[]) =>
  allocations.map((a) => ({ lotId: a.lot.id, kind: a.lot.kind, amountMinor: BigInt(a.amount) }));

function pickOf<T>(items: readonly T[], pick: number): T {
  const item = items[pick % items.length];
  if (item === undefined) throw new Error("picked from an empty list; check() should have refused");
  return item;
}

function customerIdOf(r: Real, customer: number): string {
  const id = r.customerIds[customer];
  if (id === undefined) throw new Error(`no customer ${customer} in this run`);
  return id;
}

/**
 * Writes run in two halves: `begin*` builds the request from the model and submits it at once (so a
 * burst's requests share a tick); the settle function it resolves to applies the rules to a model and
 * checks the answer against it. A settle names earlier holds and transfers by position, which never
 * changes, so it can be applied to a copy of the model as well as to the model itself.
 */
type Settle = (model: Model) => void;

function beginGrant(m: Model, r: Real, a: GrantAction): Promise<Settle> {
  const nowMs = m.nowMs;
  const effectiveAtMs = a.effectiveInMs === null ? null : nowMs + a.effectiveInMs;
  const expiresAtMs = a.expiresInMs === null ? null : nowMs + a.expiresInMs;
  const answer = r.engine.grant({
    customerId: customerIdOf(r, a.customer),
    amountMinor: a.amount,
    kind: a.kind,
    priority: a.priority,
    effectiveAtMs,
    expiresAtMs,
    idempotencyKey: nextKey(),
  });
  return answer.then((outcome) => (model) => {
    const startsMs = effectiveAtMs ?? nowMs;
    // A lot must be able to live for a moment: its expiry must come after both now and its start.
    if (expiresAtMs !== null && expiresAtMs <= Math.max(startsMs, nowMs))
      return expectCode(outcome, "invalid_request");
    normalize(model, a.customer);
    const value = expectOk(outcome);
    const lot: ModelLot = {
      seq: model.lots.length,
      id: value.lotId,
      customer: a.customer,
      kind: a.kind,
      priority: a.priority ?? PRIORITY_BY_KIND[a.kind],
      amount: a.amount,
      remaining: a.amount,
      held: 0,
      effectiveAtMs: startsMs,
      expiresAtMs,
      createdAtMs: nowMs,
    };
    model.lots.push(lot);
    const moves = [{ lot, amount: a.amount }];
    model.transfers.push({
      id: value.transferId,
      kind: "grant",
      customer: a.customer,
      moves,
      reversed: false,
    });
    expect(value.availableMinor).toBe(BigInt(availableOf(model, a.customer)));
  });
}

function beginConsume(_m: Model, r: Real, a: ConsumeAction): Promise<Settle> {
  const answer = r.engine.consume({
    customerId: customerIdOf(r, a.customer),
    amountMinor: a.amount,
    idempotencyKey: nextKey(),
  });
  return answer.then((outcome) => (model) => {
    normalize(model, a.customer);
    const draws = plan(model, a.customer, a.amount);
    if (draws === null) return expectCode(outcome, "insufficient_credits");
    const value = expectOk(outcome);
    for (const draw of draws) draw.lot.remaining -= draw.amount;
    const moves = draws.map((d) => ({ lot: d.lot, amount: -d.amount }));
    model.transfers.push({
      id: value.transferId,
      kind: "consume",
      customer: a.customer,
      moves,
      reversed: false,
    });
    expect(value.draws).toEqual(drawsOf(draws));
    expect(value.availableMinor).toBe(BigInt(availableOf(model, a.customer)));
  });
}

function beginHold(_m: Model, r: Real, a: HoldAction): Promise<Settle> {
  const answer = r.engine.hold({
    customerId: customerIdOf(r, a.customer),
    amountMinor: a.amount,
    ttlSeconds: a.ttlSeconds,
    idempotencyKey: nextKey(),
  });
  return answer.then((outcome) => (model) => {
    normalize(model, a.customer);
    const allocations = plan(model, a.customer, a.amount);
    if (allocations === null) return expectCode(outcome, "insufficient_credits");
    const value = expectOk(outcome);
    for (const allocation of allocations) allocation.lot.held += allocation.amount;
    const expiresAtMs = model.nowMs + a.ttlSeconds * 1000;
    const hold: ModelHold = {
      id: value.hold.id,
      customer: a.customer,
      amount: a.amount,
      expiresAtMs,
      allocations,
      status: "pending",
    };
    model.holds.push(hold);
    expect(value.hold).toMatchObject({ amountMinor: BigInt(a.amount), status: "pending", expiresAtMs });
    expect(value.availableMinor).toBe(BigInt(availableOf(model, a.customer)));
  });
}

function claimantId(r: Real, hold: ModelHold, as: Claimant): string | undefined {
  if (as === "none") return undefined;
  return customerIdOf(r, as === "owner" ? hold.customer : (hold.customer + 1) % CUSTOMERS_PER_RUN);
}

/**
 * The checks capture and void share, in the engine's order: a hold named for another customer is
 * reported as missing (without touching any wallet); otherwise the owner's wallet is brought up to
 * date first, so a hold past its timeout reads as expired.
 */
function holdRefusal(m: Model, hold: ModelHold, as: Claimant): ErrorCode | null {
  if (as === "other") return "not_found";
  normalize(m, hold.customer);
  if (hold.status === "expired") return "hold_expired";
  if (hold.status !== "pending") return "hold_not_pending";
  return null;
}

/** Release the whole reservation, then take the captured part from the reserved lots in their order. */
function captureDraws(hold: ModelHold, amount: number): Allocation[] {
  release(hold, "captured");
  const draws: Allocation[] = [];
  let left = amount;
  for (const allocation of hold.allocations) {
    if (left === 0) break;
    const take = Math.min(allocation.amount, left);
    draws.push({ lot: allocation.lot, amount: take });
    allocation.lot.remaining -= take;
    left -= take;
  }
  return draws;
}

function beginCapture(m: Model, r: Real, a: CaptureAction): Promise<Settle> {
  const index = a.pick % m.holds.length;
  const named = pickOf(m.holds, index);
  const answer = r.engine.capture({
    holdId: named.id,
    customerId: claimantId(r, named, a.as),
    amountMinor: a.amount ?? undefined,
    idempotencyKey: nextKey(),
  });
  return answer.then((outcome) => (model) => {
    const hold = pickOf(model.holds, index);
    const refusal = holdRefusal(model, hold, a.as);
    if (refusal !== null) return expectCode(outcome, refusal);
    const amount = a.amount ?? hold.amount;
    if (amount > hold.amount) return expectCode(outcome, "invalid_request");
    const draws = captureDraws(hold, amount);
    const value = expectOk(outcome);
    const moves = draws.map((d) => ({ lot: d.lot, amount: -d.amount }));
    model.transfers.push({
      id: value.transferId,
      kind: "capture",
      customer: hold.customer,
      moves,
      reversed: false,
    });
    expect(value.hold).toMatchObject({ id: hold.id, status: "captured", capturedMinor: BigInt(amount) });
    expect(value.draws).toEqual(drawsOf(draws));
    expect(value.availableMinor).toBe(BigInt(availableOf(model, hold.customer)));
  });
}

function beginVoid(m: Model, r: Real, a: VoidAction): Promise<Settle> {
  const index = a.pick % m.holds.length;
  const named = pickOf(m.holds, index);
  const answer = r.engine.voidHold({
    holdId: named.id,
    customerId: claimantId(r, named, a.as),
    idempotencyKey: nextKey(),
  });
  return answer.then((outcome) => (model) => {
    const hold = pickOf(model.holds, index);
    const refusal = holdRefusal(model, hold, a.as);
    if (refusal !== null) return expectCode(outcome, refusal);
    release(hold, "voided");
    const value = expectOk(outcome);
    expect(value.hold).toMatchObject({ id: hold.id, status: "voided", capturedMinor: 0n });
    expect(value.availableMinor).toBe(BigInt(availableOf(model, hold.customer)));
  });
}

function reversalRefusal(m: Model, original: ModelTransfer): ErrorCode | null {
  if (original.kind === "reverse") return "not_reversible";
  if (original.reversed) return "already_reversed";
  normalize(m, original.customer);
  // Taking value back out of a lot (a grant's reversal) needs it unspent and unheld.
  const short = original.moves.some((move) => move.amount > 0 && free(move.lot) < move.amount);
  return short ? "insufficient_credits" : null;
}

function beginReverse(m: Model, r: Real, a: ReverseAction): Promise<Settle> {
  const index = a.pick % m.transfers.length;
  const answer = r.engine.reverse({ transferId: pickOf(m.transfers, index).id, idempotencyKey: nextKey() });
  return answer.then((outcome) => (model) => {
    const original = pickOf(model.transfers, index);
    const refusal = reversalRefusal(model, original);
    if (refusal !== null) return expectCode(outcome, refusal);
    const value = expectOk(outcome);
    const moves = original.moves.map((move) => ({ lot: move.lot, amount: -move.amount }));
    for (const move of moves) move.lot.remaining += move.amount;
    original.reversed = true;
    const customer = original.customer;
    model.transfers.push({ id: value.transferId, kind: "reverse", customer, moves, reversed: false });
    expect(value.reversesTransferId).toBe(original.id);
  });
}

function begin(m: Model, r: Real, a: WriteAction): Promise<Settle> {
  switch (a.type) {
    case "grant":
      return beginGrant(m, r, a);
    case "consume":
      return beginConsume(m, r, a);
    case "hold":
      return beginHold(m, r, a);
    case "capture":
      return beginCapture(m, r, a);
    case "void":
      return beginVoid(m, r, a);
    case "reverse":
      return beginReverse(m, r, a);
  }
}

/** Whether the write has something to act on: captures and voids need a hold, reversals a transfer. */
function canRun(m: Readonly<Model>, a: WriteAction): boolean {
  if (a.type === "capture" || a.type === "void") return m.holds.length > 0;
  if (a.type === "reverse") return m.transfers.length > 0;
  return true;
}

function orderings<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    orderings([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

/**
 * Writes sent at once have no order of their own: the engine may split them over lanes that race for
 * the wallet locks. So their answers, and the balances they leave, must agree with the model taken in
 * some order. Each order is tried on a copy (submission order first, whose failure is the one
 * reported when no order fits), and the first that fits is applied to the model.
 */
function settleInSomeOrder(m: Model, settles: readonly Settle[], views: readonly BalanceView[]): void {
  let firstFailure: unknown = null;
  for (const order of orderings(settles)) {
    try {
      const trial = structuredClone(m);
      for (const settle of order) settle(trial);
      expectBalancesMatch(trial, views);
    } catch (failure) {
      firstFailure ??= failure;
      continue;
    }
    for (const settle of order) settle(m);
    return;
  }
  throw firstFailure;
}

/** The wallet a write brings up to date. */
function walletOf(m: Model, a: WriteAction): number {
  if (a.type === "capture" || a.type === "void") return pickOf(m.holds, a.pick).customer;
  if (a.type === "reverse") return pickOf(m.transfers, a.pick).customer;
  return a.customer;
}

/**
 * Captures, voids and reversals can put value back into a lot that has expired. The engine brings a
 * wallet up to date once per batch, so a later write to that wallet in the same batch still sees
 * that value instead of finding it booked to breakage, and can get an answer no serial order gives
 * (the "share a batch" test below pins this down). Bursts here keep such a write alone on its
 * wallet, so that this property stays about everything else.
 */
function apartFromRevivals(m: Model, actions: readonly WriteAction[]): WriteAction[] {
  const revives = (a: WriteAction) => a.type === "capture" || a.type === "void" || a.type === "reverse";
  const kept: WriteAction[] = [];
  for (const a of actions) {
    const clash = kept.some((k) => walletOf(m, k) === walletOf(m, a) && (revives(k) || revives(a)));
    if (!clash) kept.push(a);
  }
  return kept;
}

async function runBurst(m: Model, r: Real, actions: readonly WriteAction[]): Promise<void> {
  const runnable = apartFromRevivals(
    m,
    actions.filter((a) => canRun(m, a)),
  );
  const settles = await Promise.all(runnable.map((a) => begin(m, r, a)));
  settleInSomeOrder(m, settles, await readBalances(r));
}

/** Instants where something starts or stops: the boundaries most worth landing on exactly. */
function edges(m: Model): number[] {
  const instants = new Set<number>();
  for (const lot of m.lots) {
    instants.add(lot.effectiveAtMs);
    if (lot.expiresAtMs !== null) instants.add(lot.expiresAtMs);
  }
  for (const hold of m.holds) if (hold.status === "pending") instants.add(hold.expiresAtMs);
  return [...instants].filter((ms) => ms > m.nowMs).sort((a, b) => a - b);
}

function advance(m: Model, r: Real, ms: number): void {
  m.nowMs += ms;
  r.clock.advanceMs(ms);
}

async function runAction(m: Model, r: Real, a: Action): Promise<void> {
  switch (a.type) {
    case "grant":
    case "consume":
    case "hold":
    case "capture":
    case "void":
    case "reverse":
      return (await begin(m, r, a))(m);
    case "burst":
      return runBurst(m, r, a.actions);
    case "advance":
      return advance(m, r, a.ms);
    case "advanceToEdge": {
      const upcoming = edges(m);
      return advance(m, r, upcoming.length === 0 ? 0 : pickOf(upcoming, a.pick) - m.nowMs);
    }
    case "sweep":
      await r.engine.sweep();
      for (let customer = 0; customer < CUSTOMERS_PER_RUN; customer += 1) normalize(m, customer);
  }
}

function lotStatus(lot: ModelLot, nowMs: number): "active" | "pending" | "expired" {
  if (isLive(lot, nowMs)) return "active";
  return lot.effectiveAtMs > nowMs ? "pending" : "expired";
}

/** The balance as the model sees it: the same fields as the engine's view, open lots in spend order. */
function modelBalance(m: Model, customer: number) {
  const lots = lotsOf(m, customer);
  const byKind = Object.fromEntries(ALL_KINDS.map((kind) => [kind, 0n]));
  for (const kind of KINDS) byKind[kind] = BigInt(availableOf(m, customer, kind));
  const open = lots.filter((l) => l.remaining > 0).sort(spendOrder);
  return {
    postedMinor: BigInt(lots.reduce((sum, l) => sum + l.remaining, 0)),
    availableMinor: BigInt(availableOf(m, customer)),
    heldMinor: BigInt(lots.reduce((sum, l) => sum + heldOnRead(m, l), 0)),
    availableByKind: byKind,
    lots: open.map((l) => ({
      id: l.id,
      remainingMinor: BigInt(l.remaining),
      heldMinor: BigInt(heldOnRead(m, l)),
      availableMinor: BigInt(isLive(l, m.nowMs) ? l.remaining - heldOnRead(m, l) : 0),
      status: lotStatus(l, m.nowMs),
    })),
  };
}

function engineBalance(view: BalanceView) {
  const { postedMinor, availableMinor, heldMinor, availableByKind } = view;
  const lots = view.lots.map(({ id, remainingMinor, heldMinor, availableMinor, status }) => ({
    id,
    remainingMinor,
    heldMinor,
    availableMinor,
    status,
  }));
  return { postedMinor, availableMinor, heldMinor, availableByKind, lots };
}

async function readBalances(r: Real): Promise<BalanceView[]> {
  const views: BalanceView[] = [];
  for (const customerId of r.customerIds) views.push(expectOk(await r.engine.balance(customerId)));
  return views;
}

function expectBalancesMatch(m: Model, views: readonly BalanceView[]): void {
  views.forEach((view, customer) => {
    expect({ customer, ...engineBalance(view) }).toEqual({ customer, ...modelBalance(m, customer) });
  });
}

class Step implements fc.AsyncCommand<Model, Real> {
  constructor(readonly action: Action) {}

  check(m: Readonly<Model>): boolean {
    const { action } = this;
    switch (action.type) {
      case "burst":
      case "advance":
      case "advanceToEdge":
      case "sweep":
        return true;
      default:
        return canRun(m, action);
    }
  }

  async run(m: Model, r: Real): Promise<void> {
    await runAction(m, r, this.action);
    expectBalancesMatch(m, await readBalances(r));
  }

  toString(): string {
    return JSON.stringify(this.action);
  }
}

// Opening grants give every sequence credit to spend from its first step.
const openingGrantsArb = fc.array(grantArb, { minLength: 1, maxLength: 5 });

const stepsArb = fc.commands(
  actionArbs.map((arb) => arb.map((action) => new Step(action))),
  { maxCommands: COMMANDS_MAX, size: "max" },
);

for (const backend of backends()) {
  describe(`engine model on ${backend.name}`, () => {
    let store: Store;
    let engine: Engine;
    const clock = new ManualClock(START_MS);
    let runSeq = 0;

    beforeAll(async () => {
      store = await backend.open();
      engine = await createEngine({ store, clock });
    });
    afterAll(async () => {
      await store.close();
      await backend.cleanup();
    });

    // One store serves every run; each run gets customers of its own, so runs never see each other.
    async function setup(openingGrants: readonly GrantAction[]): Promise<{ model: Model; real: Real }> {
      runSeq += 1;
      const customerIds = Array.from({ length: CUSTOMERS_PER_RUN }, (_, i) => `model-${runSeq}-${i}`);
      for (const id of customerIds) expectOk(await engine.upsertCustomer({ id }));
      const model: Model = { nowMs: clock.nowMs(), lots: [], holds: [], transfers: [] };
      const real: Real = { engine, clock, customerIds };
      await runBurst(model, real, openingGrants);
      return { model, real };
    }

    it(
      "agrees with the model after every step and verifies clean",
      async () => {
        await fc.assert(
          fc.asyncProperty(openingGrantsArb, stepsArb, async (openingGrants, steps) => {
            await fc.asyncModelRun(() => setup(openingGrants), steps);
            const report = await engine.verify();
            expect(report.firstViolation).toBeNull();
          }),
          { numRuns: RUNS },
        );
      },
      TEST_TIMEOUT_MS,
    );

    /**
     * A lot expires while a hold reserves all of it; then the hold is voided and the lot's grant
     * reversed. Taken one at a time, in either order, the reversal is refused: before the void the
     * value is held, after it the released value has expired and belongs to breakage. Sent together
     * into one batch, the answer must be the same.
     */
    it("answers writes that share a batch as some serial order would", async () => {
      // One lane: requests sent in the same tick are decided together in one batch on either backend.
      const batching = await createEngine({ store, clock, lanes: 1 });
      const serial = await expiredAndHeld(batching, `batch-serial-${runSeq}`);
      expectOk(await batching.voidHold({ holdId: serial.holdId, idempotencyKey: nextKey() }));
      const alone = await batching.reverse({ transferId: serial.grantId, idempotencyKey: nextKey() });
      expectCode(alone, "insufficient_credits");

      const together = await expiredAndHeld(batching, `batch-together-${runSeq}`);
      const [voided, reversed] = await Promise.all([
        batching.voidHold({ holdId: together.holdId, idempotencyKey: nextKey() }),
        batching.reverse({ transferId: together.grantId, idempotencyKey: nextKey() }),
      ]);
      expectOk(voided);
      expectCode(reversed, "insufficient_credits");
      expect((await batching.verify()).firstViolation).toBeNull();
    });

    /** A customer whose only lot (10 promotional) has expired while a pending hold reserves all of it. */
    async function expiredAndHeld(writer: Engine, customerId: string) {
      expectOk(await writer.upsertCustomer({ id: customerId }));
      const granted = await writer.grant({
        customerId,
        amountMinor: 10,
        kind: "promotional",
        expiresAtMs: clock.nowMs() + 1_000,
        idempotencyKey: nextKey(),
      });
      const held = await writer.hold({
        customerId,
        amountMinor: 10,
        ttlSeconds: 60,
        idempotencyKey: nextKey(),
      });
      clock.advanceMs(2_000);
      return { grantId: expectOk(granted).transferId, holdId: expectOk(held).hold.id };
    }
  });
}
