import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SYSTEM_ACCOUNTS } from "../../src/core/accounts.js";
import type { ErrorCode } from "../../src/core/errors.js";
import {
  type Command,
  type Decision,
  type HoldStatus,
  type Transfer,
  walletAvailableMinor,
} from "../../src/core/ledger.js";
import { GRANTABLE_KINDS, type GrantableKind } from "../../src/core/lots.js";
import {
  type RefDraw,
  type RefLot,
  refFreeMinor,
  refPlan,
  refSmallerMinor,
  refSpendableMinor,
} from "./reference.js";
import {
  ACCOUNT,
  available,
  CUSTOMER,
  createWorld,
  errorCode,
  grant,
  lotsOf,
  runBatch,
  START_MS,
  type World,
  walletFrom,
  walletGrantsArb,
} from "./world.js";

const STRANGER = "mallory";
const UNKNOWN_HOLD_ID = `hld_${"f".repeat(32)}`;

// ---------------------------------------------------------------------------------------------------
// Steps: what the property generates. Capture amounts are given per mille of the hold they name, so
// that partial, full and over-capture are all common whatever the hold's size turns out to be.

type Actor = "owner" | "anyone" | "stranger";
type Step =
  | {
      readonly type: "grant";
      readonly amountMinor: bigint;
      readonly kind: GrantableKind;
      readonly priority: number;
      readonly effectiveInMs: number | null;
      readonly expiresInMs: number | null;
    }
  | { readonly type: "consume"; readonly amountMinor: bigint }
  | { readonly type: "hold"; readonly amountMinor: bigint; readonly ttlSeconds: number }
  | {
      readonly type: "capture";
      readonly pick: number | null;
      readonly permille: number | null;
      readonly as: Actor;
    }
  | { readonly type: "void"; readonly pick: number | null; readonly as: Actor }
  | { readonly type: "expire" }
  | { readonly type: "advance"; readonly byMs: number };

const actorArb = fc.constantFrom<Actor>("owner", "owner", "anyone", "stranger");
const spendMinorArb = fc.bigInt({ min: 1n, max: 300n });
// Null names a hold that does not exist; a number picks one of the holds placed so far.
const pickArb = fc.option(fc.nat({ max: 40 }), { nil: null, freq: 6 });
// Time moves by nothing, a little, or past several expiries at once, in about equal measure.
const advanceMsArb = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 1, max: 2_000 }),
  fc.integer({ min: 2_000, max: 60_000 }),
);
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant("grant"),
      amountMinor: fc.bigInt({ min: 1n, max: 1000n }),
      kind: fc.constantFrom(...GRANTABLE_KINDS),
      priority: fc.constantFrom(0, 10, 100),
      effectiveInMs: fc.oneof(
        { weight: 3, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: 10_000 }) },
      ),
      expiresInMs: fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 120_000 })),
    }),
  },
  { weight: 2, arbitrary: fc.record({ type: fc.constant("consume"), amountMinor: spendMinorArb }) },
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant("hold"),
      amountMinor: spendMinorArb,
      ttlSeconds: fc.integer({ min: 1, max: 60 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant("capture"),
      pick: pickArb,
      permille: fc.oneof(
        fc.constant(null),
        fc.integer({ min: 1, max: 999 }),
        fc.constant(1000),
        fc.integer({ min: 1001, max: 2000 }),
      ),
      as: actorArb,
    }),
  },
  { weight: 2, arbitrary: fc.record({ type: fc.constant("void"), pick: pickArb, as: actorArb }) },
  { weight: 1, arbitrary: fc.constant({ type: "expire" as const }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant("advance"), byMs: advanceMsArb }) },
);

const scenarioArb = fc.array(stepArb, { minLength: 1, maxLength: 60, size: "max" });

// ---------------------------------------------------------------------------------------------------
// The model: plain records and the reference burn-down, mirroring the rules of the design brief.

interface ModelHold {
  readonly amountMinor: bigint;
  readonly expiresAtMs: number;
  readonly allocations: readonly RefDraw[];
  status: HoldStatus;
  capturedMinor: bigint;
}

interface Model {
  nowMs: number;
  readonly lots: RefLot[];
  readonly holds: ModelHold[];
  consumedMinor: bigint;
  breakageMinor: bigint;
}

type ModelAnswer =
  | { readonly ok: false; readonly code: ErrorCode }
  | { readonly ok: true; readonly type: "grant" | "void" }
  | { readonly ok: true; readonly type: "consume" | "hold"; readonly draws: readonly RefDraw[] }
  | {
      readonly ok: true;
      readonly type: "capture";
      readonly draws: readonly RefDraw[];
      readonly capturedMinor: bigint;
    }
  | { readonly ok: true; readonly type: "expire"; readonly expiredMinor: bigint; readonly released: number };

/** Model lot ids sort in grant order, the order the ledger's time-sortable ids must follow too. */
const modelLotId = (seq: number): string => `m${seq.toString().padStart(6, "0")}`;

function modelLot(model: Model, lotId: string): RefLot {
  const lot = model.lots.find((candidate) => candidate.id === lotId);
  if (lot === undefined) throw new Error(`model has no lot ${lotId}`);
  return lot;
}

function modelRelease(model: Model, hold: ModelHold, status: HoldStatus): void {
  for (const allocation of hold.allocations)
    modelLot(model, allocation.lotId).heldMinor -= allocation.amountMinor;
  hold.status = status;
}

/** What every touch of a wallet does first: time out holds, then book expired free value to breakage. */
function modelSettle(model: Model): { expiredMinor: bigint; released: number } {
  let released = 0;
  for (const hold of model.holds) {
    if (hold.status === "pending" && hold.expiresAtMs <= model.nowMs) {
      modelRelease(model, hold, "expired");
      released += 1;
    }
  }
  let expiredMinor = 0n;
  for (const lot of model.lots) {
    if (lot.expiresAtMs === null || lot.expiresAtMs > model.nowMs) continue;
    const free = refFreeMinor(lot);
    lot.remainingMinor -= free;
    expiredMinor += free;
  }
  model.breakageMinor += expiredMinor;
  return { expiredMinor, released };
}

function pickIndex(pick: number | null, holdCount: number): number {
  return pick === null || holdCount === 0 ? -1 : pick % holdCount;
}

function pickedHold(model: Model, pick: number | null): ModelHold | undefined {
  return model.holds[pickIndex(pick, model.holds.length)];
}

function captureAmountMinor(hold: ModelHold | undefined, permille: number | null): bigint | null {
  if (hold === undefined || permille === null) return null;
  const scaled = (hold.amountMinor * BigInt(permille)) / 1000n;
  return scaled < 1n ? 1n : scaled;
}

function modelGrant(model: Model, step: Extract<Step, { type: "grant" }>): ModelAnswer {
  const effectiveAtMs = model.nowMs + (step.effectiveInMs ?? 0);
  const expiresAtMs = step.expiresInMs === null ? null : model.nowMs + step.expiresInMs;
  // A lot must expire after it takes effect (and after now, which it never precedes here). A refused
  // grant leaves the wallet untouched: nothing is settled.
  if (expiresAtMs !== null && expiresAtMs <= effectiveAtMs) return { ok: false, code: "invalid_request" };
  modelSettle(model);
  model.lots.push({
    id: modelLotId(model.lots.length),
    priority: step.priority,
    effectiveAtMs,
    expiresAtMs,
    createdAtMs: model.nowMs,
    remainingMinor: step.amountMinor,
    heldMinor: 0n,
  });
  return { ok: true, type: "grant" };
}

function modelSpend(model: Model, step: Extract<Step, { type: "consume" | "hold" }>): ModelAnswer {
  modelSettle(model);
  const draws = refPlan(model.lots, step.amountMinor, model.nowMs);
  if (draws === null) return { ok: false, code: "insufficient_credits" };
  for (const draw of draws) {
    const lot = modelLot(model, draw.lotId);
    if (step.type === "consume") lot.remainingMinor -= draw.amountMinor;
    else lot.heldMinor += draw.amountMinor;
  }
  if (step.type === "consume") model.consumedMinor += step.amountMinor;
  else {
    model.holds.push({
      amountMinor: step.amountMinor,
      expiresAtMs: model.nowMs + step.ttlSeconds * 1000,
      allocations: draws,
      status: "pending",
      capturedMinor: 0n,
    });
  }
  return { ok: true, type: step.type, draws };
}

/** Resolve a named hold: unknown or foreign holds are refused before the wallet is touched. */
function modelFindHold(model: Model, pick: number | null, as: Actor): ModelHold | { code: ErrorCode } {
  const hold = pickedHold(model, pick);
  if (hold === undefined || as === "stranger") return { code: "not_found" };
  modelSettle(model);
  if (hold.status === "expired") return { code: "hold_expired" };
  if (hold.status !== "pending") return { code: "hold_not_pending" };
  return hold;
}

function modelCapture(model: Model, step: Extract<Step, { type: "capture" }>): ModelAnswer {
  const hold = modelFindHold(model, step.pick, step.as);
  if ("code" in hold) return { ok: false, code: hold.code };
  const amountMinor = captureAmountMinor(hold, step.permille) ?? hold.amountMinor;
  if (amountMinor > hold.amountMinor) return { ok: false, code: "invalid_request" };
  modelRelease(model, hold, "captured");
  const draws: RefDraw[] = [];
  let leftMinor = amountMinor;
  for (const allocation of hold.allocations) {
    const take = refSmallerMinor(allocation.amountMinor, leftMinor);
    if (take === 0n) break;
    modelLot(model, allocation.lotId).remainingMinor -= take;
    draws.push({ lotId: allocation.lotId, amountMinor: take });
    leftMinor -= take;
  }
  hold.capturedMinor = amountMinor;
  model.consumedMinor += amountMinor;
  return { ok: true, type: "capture", draws, capturedMinor: amountMinor };
}

function modelApply(model: Model, step: CommandStep): ModelAnswer {
  switch (step.type) {
    case "grant":
      return modelGrant(model, step);
    case "consume":
    case "hold":
      return modelSpend(model, step);
    case "capture":
      return modelCapture(model, step);
    case "void": {
      const hold = modelFindHold(model, step.pick, step.as);
      if ("code" in hold) return { ok: false, code: hold.code };
      modelRelease(model, hold, "voided");
      return { ok: true, type: "void" };
    }
    case "expire":
      return { ok: true, type: "expire", ...modelSettle(model) };
  }
}

type CommandStep = Exclude<Step, { type: "advance" }>;

function toCommand(step: CommandStep, model: Model, world: World): Command {
  const customerId = (as: Actor) => (as === "owner" ? CUSTOMER : as === "stranger" ? STRANGER : null);
  const holdId = (pick: number | null) =>
    world.holdIds[pickIndex(pick, world.holdIds.length)] ?? UNKNOWN_HOLD_ID;
  switch (step.type) {
    case "grant":
      return {
        type: "grant",
        customerId: CUSTOMER,
        amountMinor: step.amountMinor,
        kind: step.kind,
        priority: step.priority,
        effectiveAtMs: step.effectiveInMs === null ? null : world.clock.nowMs + step.effectiveInMs,
        expiresAtMs: step.expiresInMs === null ? null : world.clock.nowMs + step.expiresInMs,
        transferable: false,
        source: "operator",
        reason: null,
      };
    case "consume":
      return { type: "consume", customerId: CUSTOMER, amountMinor: step.amountMinor, reason: null };
    case "hold":
      return {
        type: "hold",
        customerId: CUSTOMER,
        amountMinor: step.amountMinor,
        ttlSeconds: step.ttlSeconds,
      };
    case "capture": {
      const amountMinor = captureAmountMinor(pickedHold(model, step.pick), step.permille);
      return { type: "capture", holdId: holdId(step.pick), customerId: customerId(step.as), amountMinor };
    }
    case "void":
      return { type: "void", holdId: holdId(step.pick), customerId: customerId(step.as) };
    case "expire":
      return { type: "expire", customerId: CUSTOMER };
  }
}

// ---------------------------------------------------------------------------------------------------
// Comparisons and invariants.

function toModelDraws(world: World, draws: readonly RefDraw[]): RefDraw[] {
  return draws.map((draw) => ({
    lotId: modelLotId(world.lotIds.indexOf(draw.lotId)),
    amountMinor: draw.amountMinor,
  }));
}

function ledgerDraws(world: World, decision: Decision): readonly RefDraw[] | null {
  if (!decision.ok) return null;
  const result = decision.result;
  if (result.type === "consume" || result.type === "capture") return toModelDraws(world, result.draws);
  if (result.type !== "hold") return null;
  const hold = world.wallet.holds.get(result.hold.id);
  return hold === undefined ? [] : toModelDraws(world, hold.allocations);
}

function expectSameAnswer(world: World, model: Model, decision: Decision, answer: ModelAnswer): void {
  if (!answer.ok || !decision.ok) {
    expect(decision.ok ? "ok" : decision.error.code).toBe(answer.ok ? "ok" : answer.code);
    return;
  }
  expect(decision.result.type).toBe(answer.type);
  if ("availableMinor" in decision.result)
    expect(decision.result.availableMinor).toBe(refSpendableMinor(model.lots, model.nowMs));
  if (answer.type === "consume" || answer.type === "hold" || answer.type === "capture")
    expect(ledgerDraws(world, decision)).toEqual(answer.draws);
  if (decision.result.type === "capture" && answer.type === "capture") {
    expect(decision.result.hold.capturedMinor).toBe(answer.capturedMinor);
    expect(decision.result.hold.status).toBe("captured");
  }
  if (decision.result.type === "expire" && answer.type === "expire") {
    expect(decision.result.expiredMinor).toBe(answer.expiredMinor);
    expect(decision.result.releasedHolds).toBe(answer.released);
  }
}

function expectSameState(world: World, model: Model): void {
  expect(walletAvailableMinor(world.wallet, model.nowMs)).toBe(refSpendableMinor(model.lots, model.nowMs));
  model.lots.forEach((expected, seq) => {
    const lot = world.wallet.lots.get(world.lotIds[seq] ?? "");
    expect({ remaining: lot?.remainingMinor, held: lot?.heldMinor }).toEqual({
      remaining: expected.remainingMinor,
      held: expected.heldMinor,
    });
  });
  model.holds.forEach((expected, index) => {
    const hold = world.wallet.holds.get(world.holdIds[index] ?? "");
    expect({ status: hold?.status, captured: hold?.capturedMinor }).toEqual({
      status: expected.status,
      captured: expected.capturedMinor,
    });
  });
  expect(accountTotalMinor(world.transfers, SYSTEM_ACCOUNTS.consumption)).toBe(model.consumedMinor);
  expect(accountTotalMinor(world.transfers, SYSTEM_ACCOUNTS.breakage)).toBe(model.breakageMinor);
}

function accountTotalMinor(transfers: readonly Transfer[], accountId: string): bigint {
  let total = 0n;
  for (const transfer of transfers)
    for (const entry of transfer.entries) if (entry.accountId === accountId) total += entry.amountMinor;
  return total;
}

/** The ledger's own invariants, checked from its state alone, whatever the model says. */
function expectInvariants(world: World, stepTransfers: readonly Transfer[]): void {
  for (const transfer of stepTransfers)
    expect(transfer.entries.reduce((sum, entry) => sum + entry.amountMinor, 0n)).toBe(0n);
  const lots = [...world.wallet.lots.values()];
  expect(world.wallet.balanceMinor).toBe(lots.reduce((sum, lot) => sum + lot.remainingMinor, 0n));
  expect(accountTotalMinor(world.transfers, ACCOUNT)).toBe(world.wallet.balanceMinor);
  const heldByLot = new Map<string, bigint>();
  for (const hold of world.wallet.holds.values()) {
    if (hold.status !== "pending") continue;
    for (const a of hold.allocations) heldByLot.set(a.lotId, (heldByLot.get(a.lotId) ?? 0n) + a.amountMinor);
  }
  for (const lot of lots) {
    expect(lot.remainingMinor).toBeGreaterThanOrEqual(0n);
    expect(lot.heldMinor).toBeLessThanOrEqual(lot.remainingMinor);
    expect(lot.heldMinor).toBe(heldByLot.get(lot.id) ?? 0n);
    // Each lot's remaining is what its entries put in minus what they drew.
    const drawn = world.transfers.flatMap((t) => t.entries).filter((entry) => entry.lotId === lot.id);
    expect(drawn.reduce((sum, entry) => sum + entry.amountMinor, 0n)).toBe(lot.remainingMinor);
  }
}

/** Labels what a step exercised, so that a test can show the generator reaches every case. */
function outcomeLabels(step: CommandStep, answer: ModelAnswer, model: Model): string[] {
  const labels = [`${step.type}:${answer.ok ? "ok" : answer.code}`];
  if (answer.ok && answer.type === "capture") {
    const expired = answer.draws.some((draw) => {
      const expiresAtMs = modelLot(model, draw.lotId).expiresAtMs;
      return expiresAtMs !== null && expiresAtMs <= model.nowMs;
    });
    if (expired) labels.push("capture:from-expired-lot");
    if (step.type === "capture" && step.permille !== null && step.permille < 1000)
      labels.push("capture:partial");
  }
  return labels;
}

/** Runs the steps on both sides, comparing after each; returns what the steps exercised. */
function runScenario(steps: readonly Step[]): string[] {
  const outcomes: string[] = [];
  const world = createWorld();
  const model: Model = { nowMs: START_MS, lots: [], holds: [], consumedMinor: 0n, breakageMinor: 0n };
  for (const step of steps) {
    if (step.type === "advance") {
      model.nowMs += step.byMs;
      world.clock.nowMs += step.byMs;
    } else {
      const command = toCommand(step, model, world);
      const answer = modelApply(model, step);
      const { decision, transfers } = runBatch(world, command);
      expectSameAnswer(world, model, decision, answer);
      expectInvariants(world, transfers);
      outcomes.push(...outcomeLabels(step, answer, model));
    }
    expectSameState(world, model);
  }
  return outcomes;
}

describe("holds through decide, against a model", () => {
  it("agrees with the model on every answer, balance and reservation, and keeps the invariants", () => {
    fc.assert(
      fc.property(scenarioArb, (steps) => {
        runScenario(steps);
      }),
      { numRuns: 300 },
    );
  });

  it("generates scenarios that reach every outcome, so the comparison above is not vacuous", () => {
    const seen = new Set<string>();
    for (const steps of fc.sample(scenarioArb, { numRuns: 100, seed: 42 }))
      for (const outcome of runScenario(steps)) seen.add(outcome);
    const required = [
      "grant:ok",
      "consume:ok",
      "consume:insufficient_credits",
      "hold:ok",
      "hold:insufficient_credits",
      "capture:ok",
      "capture:partial",
      "capture:from-expired-lot",
      "capture:invalid_request",
      "capture:not_found",
      "capture:hold_expired",
      "capture:hold_not_pending",
      "void:ok",
      "void:not_found",
      "void:hold_expired",
      "void:hold_not_pending",
      "expire:ok",
    ];
    expect(required.filter((outcome) => !seen.has(outcome))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------
// Named rules, one instance each, and two equivalences that need no model.

function placeHold(world: World, amountMinor: bigint, ttlSeconds: number): string {
  const { decision } = runBatch(world, { type: "hold", customerId: CUSTOMER, amountMinor, ttlSeconds });
  if (!decision.ok || decision.result.type !== "hold") throw new Error("setup hold was refused");
  return decision.result.hold.id;
}

const capture = (world: World, holdId: string, amountMinor: bigint | null) =>
  runBatch(world, { type: "capture", holdId, customerId: CUSTOMER, amountMinor }).decision;

const voidHold = (world: World, holdId: string, customerId: string | null = null) =>
  runBatch(world, { type: "void", holdId, customerId }).decision;

describe("hold rules", () => {
  it("reserves lots in burn-down order and leaves them to the hold until it resolves", () => {
    const world = createWorld();
    const purchased = grant(world, 100n, null, 100);
    const late = grant(world, 30n, 60_000);
    const soon = grant(world, 30n, 10_000);
    const holdId = placeHold(world, 50n, 60);
    const allocations = world.wallet.holds.get(holdId)?.allocations;
    expect(allocations).toEqual([
      { lotId: soon, amountMinor: 30n },
      { lotId: late, amountMinor: 20n },
    ]);
    expect(available(world)).toBe(110n);
    expect(world.wallet.lots.get(purchased)?.heldMinor).toBe(0n);
  });

  it("captures part of a hold from its reserved lots in order and releases the rest at once", () => {
    const world = createWorld();
    const first = grant(world, 30n, 10_000);
    const second = grant(world, 70n, 20_000);
    const holdId = placeHold(world, 60n, 60);
    const decision = capture(world, holdId, 40n);
    expect(decision.ok && decision.result.type === "capture" && decision.result.draws).toEqual([
      { lotId: first, kind: "promotional", amountMinor: 30n },
      { lotId: second, kind: "promotional", amountMinor: 10n },
    ]);
    expect(available(world)).toBe(60n);
    expect(world.wallet.lots.get(second)?.heldMinor).toBe(0n);
  });

  it("still captures from a reserved lot that expired while the work ran, then books its rest to breakage", () => {
    const world = createWorld();
    const lotId = grant(world, 100n, 1_000);
    const holdId = placeHold(world, 60n, 60);
    world.clock.nowMs += 5_000;
    // The lot's unheld 40 expire on this touch; the held 60 stay for the hold.
    const decision = capture(world, holdId, 25n);
    expect(errorCode(decision)).toBe("ok");
    expect(world.wallet.lots.get(lotId)?.remainingMinor).toBe(35n);
    world.clock.nowMs += 1;
    const swept = runBatch(world, { type: "expire", customerId: CUSTOMER }).decision;
    expect(swept.ok && swept.result.type === "expire" && swept.result.expiredMinor).toBe(35n);
    expect(world.wallet.balanceMinor).toBe(0n);
  });

  it("treats a hold as timed out from its expiry instant on, not one millisecond before", () => {
    const world = createWorld();
    grant(world, 100n, null);
    const kept = placeHold(world, 10n, 30);
    const lost = placeHold(world, 10n, 30);
    world.clock.nowMs += 30_000 - 1;
    expect(errorCode(capture(world, kept, null))).toBe("ok");
    world.clock.nowMs += 1;
    expect(errorCode(capture(world, lost, null))).toBe("hold_expired");
    expect(world.wallet.holds.get(lost)?.status).toBe("expired");
    expect(available(world)).toBe(90n);
  });

  it("refuses a second resolution and hides another customer's hold", () => {
    const world = createWorld();
    grant(world, 100n, null);
    const holdId = placeHold(world, 10n, 30);
    const asStranger = voidHold(world, holdId, STRANGER);
    const missing = voidHold(world, UNKNOWN_HOLD_ID);
    // The same words as for a hold that does not exist, so the answer reveals nothing about the owner.
    expect(asStranger).toEqual({ ok: false, error: { code: "not_found", message: `no hold ${holdId}` } });
    expect(missing).toEqual({
      ok: false,
      error: { code: "not_found", message: `no hold ${UNKNOWN_HOLD_ID}` },
    });
    expect(errorCode(voidHold(world, holdId))).toBe("ok");
    expect(errorCode(capture(world, holdId, null))).toBe("hold_not_pending");
    expect(available(world)).toBe(100n);
  });

  it("refuses to capture more than the hold without touching it", () => {
    const world = createWorld();
    grant(world, 100n, null);
    const holdId = placeHold(world, 10n, 30);
    expect(errorCode(capture(world, holdId, 11n))).toBe("invalid_request");
    expect(world.wallet.holds.get(holdId)?.status).toBe("pending");
    expect(available(world)).toBe(90n);
  });
});

describe("hold equivalences", () => {
  it("a hold then its capture of part of it leaves the lots exactly as consuming that part would", () => {
    fc.assert(
      fc.property(
        walletGrantsArb,
        fc.bigInt({ min: 1n, max: 400n }),
        fc.integer({ min: 1, max: 1000 }),
        (grants, holdMinor, permille) => {
          const held = walletFrom(grants);
          const consumed = walletFrom(grants);
          // Somewhere from one unit to the whole hold.
          const scaledMinor = (holdMinor * BigInt(permille)) / 1000n;
          const captureMinor = scaledMinor < 1n ? 1n : scaledMinor;
          const hold = runBatch(held, {
            type: "hold",
            customerId: CUSTOMER,
            amountMinor: holdMinor,
            ttlSeconds: 60,
          }).decision;
          // Only a hold that was placed can be compared; a refused one is the model test's business.
          if (!hold.ok || hold.result.type !== "hold") return;
          expect(errorCode(capture(held, hold.result.hold.id, captureMinor))).toBe("ok");
          const consume = runBatch(consumed, {
            type: "consume",
            customerId: CUSTOMER,
            amountMinor: captureMinor,
            reason: null,
          });
          expect(errorCode(consume.decision)).toBe("ok");
          expect(lotsOf(held)).toEqual(lotsOf(consumed));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a hold then its void leaves every lot as it was", () => {
    fc.assert(
      fc.property(walletGrantsArb, fc.bigInt({ min: 1n, max: 400n }), (grants, holdMinor) => {
        const world = walletFrom(grants);
        runBatch(world, { type: "expire", customerId: CUSTOMER });
        const before = lotsOf(world);
        const spendable = available(world);
        const hold = runBatch(world, {
          type: "hold",
          customerId: CUSTOMER,
          amountMinor: holdMinor,
          ttlSeconds: 60,
        }).decision;
        expect(errorCode(hold)).toBe(holdMinor <= spendable ? "ok" : "insufficient_credits");
        if (!hold.ok || hold.result.type !== "hold") return;
        expect(available(world)).toBe(spendable - holdMinor);
        expect(errorCode(voidHold(world, hold.result.hold.id))).toBe("ok");
        expect(lotsOf(world)).toEqual(before);
        expect(available(world)).toBe(spendable);
      }),
      { numRuns: 300 },
    );
  });
});
