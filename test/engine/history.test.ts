/**
 * Balance at a past instant: whatever `balance()` said at a moment, `balance({ atMs })` says the same
 * about that moment later, after any amount of further activity, sweeps and reversals.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import type { BalanceView } from "../../src/engine/reads.js";
import type { Store } from "../../src/store/store.js";
import { backends } from "../support/backends.js";

const START_MS = Date.UTC(2026, 5, 1);

type Step =
  | { kind: "grant"; amount: number; lotKind: "purchased" | "promotional"; expiresInMs: number | null }
  | { kind: "consume"; amount: number }
  | { kind: "hold"; amount: number; ttlSeconds: number }
  | { kind: "capture"; amount: number }
  | { kind: "void" }
  | { kind: "reverse" }
  | { kind: "sweep" }
  | { kind: "idle" };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant("grant" as const),
    amount: fc.integer({ min: 1, max: 500 }),
    lotKind: fc.constantFrom("purchased" as const, "promotional" as const),
    expiresInMs: fc.option(fc.integer({ min: 1_000, max: 20_000 }), { nil: null }),
  }),
  fc.record({ kind: fc.constant("consume" as const), amount: fc.integer({ min: 1, max: 300 }) }),
  fc.record({
    kind: fc.constant("hold" as const),
    amount: fc.integer({ min: 1, max: 300 }),
    ttlSeconds: fc.integer({ min: 1, max: 15 }),
  }),
  fc.record({ kind: fc.constant("capture" as const), amount: fc.integer({ min: 1, max: 300 }) }),
  fc.constant({ kind: "void" as const }),
  fc.constant({ kind: "reverse" as const }),
  fc.constant({ kind: "sweep" as const }),
  // Time passing with no write: holds time out and lots expire with nothing booked yet.
  fc.constant({ kind: "idle" as const }),
);

/** The parts of a balance that history must reproduce. */
function essence(view: BalanceView) {
  return {
    postedMinor: view.postedMinor,
    availableMinor: view.availableMinor,
    heldMinor: view.heldMinor,
    availableByKind: view.availableByKind,
    lots: view.lots
      .filter((lot) => lot.status === "active")
      .map((lot) => ({ id: lot.id, available: lot.availableMinor, held: lot.heldMinor })),
  };
}

async function apply(
  engine: Engine,
  customerId: string,
  step: Step,
  seen: { holds: string[]; transfers: string[] },
  n: number,
) {
  const key = `${customerId}-${n}`;
  const nowMs = engine.clock.nowMs();
  if (step.kind === "grant") {
    const expiresAtMs = step.expiresInMs === null ? null : nowMs + step.expiresInMs;
    const r = await engine.grant({
      customerId,
      amountMinor: step.amount,
      kind: step.lotKind,
      expiresAtMs,
      idempotencyKey: key,
    });
    if (r.ok) seen.transfers.push(r.value.transferId);
  } else if (step.kind === "consume") {
    const r = await engine.consume({ customerId, amountMinor: step.amount, idempotencyKey: key });
    if (r.ok) seen.transfers.push(r.value.transferId);
  } else if (step.kind === "hold") {
    const r = await engine.hold({
      customerId,
      amountMinor: step.amount,
      ttlSeconds: step.ttlSeconds,
      idempotencyKey: key,
    });
    if (r.ok) seen.holds.push(r.value.hold.id);
  } else if (step.kind === "capture" || step.kind === "void") {
    const holdId = seen.holds.pop();
    if (holdId === undefined) return;
    if (step.kind === "void") await engine.voidHold({ holdId, idempotencyKey: key });
    else await engine.capture({ holdId, amountMinor: step.amount, idempotencyKey: key });
  } else if (step.kind === "reverse") {
    const transferId = seen.transfers.shift();
    if (transferId !== undefined) await engine.reverse({ transferId, idempotencyKey: key });
  } else if (step.kind === "sweep") {
    await engine.sweep();
  }
}

for (const backend of backends()) {
  describe(`balance history on ${backend.name}`, () => {
    let store: Store;
    let engine: Engine;
    let clock: ManualClock;
    let run = 0;

    beforeAll(async () => {
      store = await backend.open();
      clock = new ManualClock(START_MS);
      engine = await createEngine({ store, clock });
    });
    afterAll(async () => {
      await store.close();
      await backend.cleanup();
    });

    it("reproduces every balance it ever showed", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(stepArb, fc.integer({ min: 1, max: 4_000 })), { minLength: 1, maxLength: 25 }),
          async (steps) => {
            run += 1;
            const customerId = `hist-${run}`;
            await engine.upsertCustomer({ id: customerId });
            const seen = { holds: [] as string[], transfers: [] as string[] };
            const snapshots: { atMs: number; view: ReturnType<typeof essence> }[] = [];
            for (const [n, [step, advanceMs]] of steps.entries()) {
              await apply(engine, customerId, step, seen, n);
              const now = await engine.balance(customerId);
              if (!now.ok) throw new Error(now.error.message);
              snapshots.push({ atMs: clock.nowMs(), view: essence(now.value) });
              clock.advanceMs(advanceMs);
            }
            for (const snapshot of snapshots) {
              const then = await engine.balance(customerId, { atMs: snapshot.atMs });
              if (!then.ok) throw new Error(then.error.message);
              expect(essence(then.value)).toEqual(snapshot.view);
            }
          },
        ),
        { numRuns: backend.name === "pglite" ? 15 : 25 },
      );
      expect((await engine.verify()).firstViolation).toBeNull();
    });

    it("rejects a malformed instant and an unknown customer", async () => {
      const bad = await engine.balance("hist-1", { atMs: 12 });
      expect(bad.ok ? null : bad.error.code).toBe("invalid_request");
      const unknown = await engine.balance("nobody", { atMs: START_MS });
      expect(unknown.ok ? null : unknown.error.code).toBe("not_found");
    });
  });
}
