import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  availableMinor,
  compareBurnDown,
  isLive,
  type Lot,
  planDraws,
  spendableMinor,
} from "../../src/core/lots.js";
import { refIsLive, refOrder, refPlan, refSpendableMinor } from "./reference.js";

/**
 * Small domains on purpose: few priorities, times and ids make ties on every key common, which is
 * where an ordering bug hides.
 */
const timeArb = fc.integer({ min: 0, max: 100 });
const heldLotArb = fc
  .bigInt({ min: 0n, max: 50n })
  .chain((remainingMinor) =>
    fc.record({
      id: fc.string({ minLength: 1, maxLength: 3 }),
      priority: fc.integer({ min: 0, max: 3 }),
      effectiveAtMs: timeArb,
      expiresAtMs: fc.option(timeArb, { nil: null }),
      createdAtMs: timeArb,
      remainingMinor: fc.constant(remainingMinor),
      heldMinor: fc.bigInt({ min: 0n, max: remainingMinor }),
      spentMinor: fc.bigInt({ min: 0n, max: 20n }),
    }),
  )
  .map(
    (spec): Lot => ({
      id: spec.id,
      kind: "promotional",
      amountMinor: spec.remainingMinor + spec.spentMinor,
      remainingMinor: spec.remainingMinor,
      heldMinor: spec.heldMinor,
      priority: spec.priority,
      effectiveAtMs: spec.effectiveAtMs,
      expiresAtMs: spec.expiresAtMs,
      createdAtMs: spec.createdAtMs,
    }),
  );
const lotsArb = fc.uniqueArray(heldLotArb, { maxLength: 12, selector: (lot) => lot.id });
// Instants run a little past the last expiry so that "everything expired" is generated too.
const nowArb = fc.integer({ min: 0, max: 120 });
const amountArb = fc.bigInt({ min: 1n, max: 300n });

const sign = (value: number): number => (value < 0 ? -1 : value > 0 ? 1 : 0);

function snapshot(lots: readonly Lot[]): string {
  return lots.map((lot) => `${lot.id}:${lot.remainingMinor}:${lot.heldMinor}`).join("|");
}

describe("planDraws against the reference model", () => {
  it("is null exactly when the live unheld value is short, and otherwise draws what the model draws", () => {
    fc.assert(
      fc.property(lotsArb, amountArb, nowArb, (lots, amountMinor, nowMs) => {
        const spendable = refSpendableMinor(lots, nowMs);
        const draws = planDraws(lots, amountMinor, nowMs);
        expect(draws === null).toBe(spendable < amountMinor);
        expect(draws).toEqual(refPlan(lots, amountMinor, nowMs));
      }),
      { numRuns: 1000 },
    );
  });

  it("draws sum to the amount, stay within each lot's available value and touch only live lots", () => {
    fc.assert(
      fc.property(lotsArb, amountArb, nowArb, (lots, amountMinor, nowMs) => {
        const draws = planDraws(lots, amountMinor, nowMs);
        if (draws === null) return;
        const byId = new Map(lots.map((lot) => [lot.id, lot]));
        let total = 0n;
        for (const draw of draws) {
          const lot = byId.get(draw.lotId);
          if (lot === undefined) throw new Error(`draw names unknown lot ${draw.lotId}`);
          expect(draw.amountMinor).toBeGreaterThan(0n);
          expect(draw.amountMinor).toBeLessThanOrEqual(lot.remainingMinor - lot.heldMinor);
          expect(refIsLive(lot, nowMs)).toBe(true);
          total += draw.amountMinor;
        }
        expect(total).toBe(amountMinor);
        expect(new Set(draws.map((draw) => draw.lotId)).size).toBe(draws.length);
      }),
      { numRuns: 1000 },
    );
  });

  it("takes lots in burn-down order, draining every lot before the last one it draws", () => {
    fc.assert(
      fc.property(lotsArb, amountArb, nowArb, (lots, amountMinor, nowMs) => {
        const draws = planDraws(lots, amountMinor, nowMs);
        if (draws === null || draws.length === 0) return;
        const queue = lots
          .filter((lot) => refIsLive(lot, nowMs) && lot.remainingMinor > lot.heldMinor)
          .sort(refOrder);
        // The draws must be a prefix of the model's queue: no lot skipped, none out of order.
        expect(draws.map((draw) => draw.lotId)).toEqual(queue.slice(0, draws.length).map((lot) => lot.id));
        draws.slice(0, -1).forEach((draw, index) => {
          const lot = queue[index];
          expect(draw.amountMinor).toBe(lot === undefined ? -1n : lot.remainingMinor - lot.heldMinor);
        });
      }),
      { numRuns: 1000 },
    );
  });

  it("can spend exactly the spendable total, and not one unit more", () => {
    fc.assert(
      fc.property(lotsArb, nowArb, (lots, nowMs) => {
        const spendable = refSpendableMinor(lots, nowMs);
        expect(spendableMinor(lots, nowMs)).toBe(spendable);
        expect(planDraws(lots, spendable + 1n, nowMs)).toBeNull();
        if (spendable === 0n) return;
        const all = planDraws(lots, spendable, nowMs);
        expect(all?.reduce((sum, draw) => sum + draw.amountMinor, 0n)).toBe(spendable);
      }),
      { numRuns: 500 },
    );
  });

  it("is pure: the lots it is given are left unchanged", () => {
    fc.assert(
      fc.property(lotsArb, amountArb, nowArb, (lots, amountMinor, nowMs) => {
        const before = snapshot(lots);
        const order = lots.map((lot) => lot.id);
        planDraws(lots, amountMinor, nowMs);
        expect(snapshot(lots)).toBe(before);
        expect(lots.map((lot) => lot.id)).toEqual(order);
      }),
      { numRuns: 300 },
    );
  });

  it("ignores the order in which the lots are listed", () => {
    fc.assert(
      fc.property(
        lotsArb.chain((lots) =>
          fc.tuple(fc.constant(lots), fc.shuffledSubarray(lots, { minLength: lots.length })),
        ),
        amountArb,
        nowArb,
        ([lots, shuffled], amountMinor, nowMs) => {
          expect(planDraws(shuffled, amountMinor, nowMs)).toEqual(planDraws(lots, amountMinor, nowMs));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("isLive and spendableMinor", () => {
  it("agree with the model at every instant", () => {
    fc.assert(
      fc.property(lotsArb, nowArb, (lots, nowMs) => {
        for (const lot of lots) expect(isLive(lot, nowMs)).toBe(refIsLive(lot, nowMs));
        expect(spendableMinor(lots, nowMs)).toBe(refSpendableMinor(lots, nowMs));
      }),
      { numRuns: 300 },
    );
  });

  it("counts a lot from its effective instant and stops at its expiry instant", () => {
    fc.assert(
      fc.property(heldLotArb, (lot) => {
        expect(isLive(lot, lot.effectiveAtMs - 1)).toBe(false);
        if (lot.expiresAtMs === null) {
          expect(isLive(lot, lot.effectiveAtMs)).toBe(true);
          return;
        }
        expect(isLive(lot, lot.expiresAtMs)).toBe(false);
        expect(isLive(lot, lot.expiresAtMs - 1)).toBe(lot.effectiveAtMs <= lot.expiresAtMs - 1);
      }),
      { numRuns: 300 },
    );
  });

  it("never counts held value as available", () => {
    fc.assert(
      fc.property(heldLotArb, (lot) => {
        expect(availableMinor(lot)).toBe(lot.remainingMinor - lot.heldMinor);
      }),
      { numRuns: 100 },
    );
  });
});

describe("compareBurnDown", () => {
  it("is reflexive and antisymmetric", () => {
    fc.assert(
      fc.property(heldLotArb, heldLotArb, (a, b) => {
        expect(compareBurnDown(a, a)).toBe(0);
        expect(sign(compareBurnDown(a, b))).toBe(-sign(compareBurnDown(b, a)));
      }),
      { numRuns: 1000 },
    );
  });

  it("is transitive", () => {
    fc.assert(
      fc.property(heldLotArb, heldLotArb, heldLotArb, (a, b, c) => {
        if (compareBurnDown(a, b) <= 0 && compareBurnDown(b, c) <= 0)
          expect(compareBurnDown(a, c)).toBeLessThanOrEqual(0);
        if (compareBurnDown(a, b) < 0 && compareBurnDown(b, c) < 0)
          expect(compareBurnDown(a, c)).toBeLessThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it("orders exactly as the model does, so sorting agrees too", () => {
    fc.assert(
      fc.property(heldLotArb, heldLotArb, (a, b) => {
        expect(sign(compareBurnDown(a, b))).toBe(sign(refOrder(a, b)));
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(lotsArb, (lots) => {
        const ids = (sorted: Lot[]) => sorted.map((lot) => lot.id);
        expect(ids([...lots].sort(compareBurnDown))).toEqual(ids([...lots].sort(refOrder)));
      }),
      { numRuns: 300 },
    );
  });

  it("spends a lower priority first, whatever the other fields", () => {
    fc.assert(
      fc.property(heldLotArb, heldLotArb, (a, b) => {
        fc.pre(a.priority !== b.priority);
        expect(sign(compareBurnDown(a, b))).toBe(a.priority < b.priority ? -1 : 1);
      }),
      { numRuns: 500 },
    );
  });

  it("puts a never-expiring lot after every expiring lot of the same priority", () => {
    fc.assert(
      fc.property(heldLotArb, heldLotArb, timeArb, (a, b, expiresAtMs) => {
        const never: Lot = { ...a, expiresAtMs: null };
        const expiring: Lot = { ...b, priority: a.priority, expiresAtMs };
        expect(compareBurnDown(never, expiring)).toBeGreaterThan(0);
        expect(compareBurnDown(expiring, never)).toBeLessThan(0);
      }),
      { numRuns: 500 },
    );
  });

  it("breaks full ties on the id alone", () => {
    fc.assert(
      fc.property(heldLotArb, fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), (lot, x, y) => {
        const a: Lot = { ...lot, id: x };
        const b: Lot = { ...lot, id: y };
        expect(sign(compareBurnDown(a, b))).toBe(x === y ? 0 : x < y ? -1 : 1);
      }),
      { numRuns: 300 },
    );
  });
});
