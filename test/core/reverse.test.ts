import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isLive } from "../../src/core/lots.js";
import {
  available,
  CUSTOMER,
  createWorld,
  errorCode,
  grant,
  lotsOf,
  runBatch,
  type World,
  walletFrom,
  walletGrantsArb,
} from "./world.js";

const reverse = (world: World, transferId: string) =>
  runBatch(world, { type: "reverse", transferId, reason: null });

function consume(world: World, amountMinor: bigint) {
  const { decision } = runBatch(world, { type: "consume", customerId: CUSTOMER, amountMinor, reason: null });
  return decision.ok && decision.result.type === "consume" ? decision.result : null;
}

describe("reversing a consumption", () => {
  it("puts back exactly what it drew, at once, and only once", () => {
    fc.assert(
      fc.property(walletGrantsArb, fc.bigInt({ min: 1n, max: 400n }), (grants, amountMinor) => {
        const world = walletFrom(grants);
        runBatch(world, { type: "expire", customerId: CUSTOMER });
        const before = lotsOf(world);
        const consumed = consume(world, amountMinor);
        if (consumed === null) return;
        const { decision, transfers } = reverse(world, consumed.transferId);
        expect(errorCode(decision)).toBe("ok");
        const original = world.transfers.find((transfer) => transfer.id === consumed.transferId);
        expect(transfers.map((transfer) => transfer.entries)).toEqual([
          original?.entries.map((entry) => ({ ...entry, amountMinor: -entry.amountMinor })),
        ]);
        expect(lotsOf(world)).toEqual(before);
        expect(errorCode(reverse(world, consumed.transferId).decision)).toBe("already_reversed");
        const reversal = transfers[0]?.id ?? "";
        expect(errorCode(reverse(world, reversal).decision)).toBe("not_reversible");
      }),
      { numRuns: 300 },
    );
  });

  it("later on, makes spendable again only what went back into lots still live", () => {
    fc.assert(
      fc.property(
        walletGrantsArb,
        fc.bigInt({ min: 1n, max: 400n }),
        fc.integer({ min: 0, max: 120_000 }),
        (grants, amountMinor, laterMs) => {
          const world = walletFrom(grants);
          const consumed = consume(world, amountMinor);
          if (consumed === null) return;
          world.clock.nowMs += laterMs;
          const spendable = available(world);
          const liveReturnMinor = consumed.draws
            .filter((draw) => {
              const lot = world.wallet.lots.get(draw.lotId);
              return lot !== undefined && isLive(lot, world.clock.nowMs);
            })
            .reduce((sum, draw) => sum + draw.amountMinor, 0n);
          expect(errorCode(reverse(world, consumed.transferId).decision)).toBe("ok");
          expect(available(world)).toBe(spendable + liveReturnMinor);
          const lots = [...world.wallet.lots.values()];
          expect(world.wallet.balanceMinor).toBe(lots.reduce((sum, lot) => sum + lot.remainingMinor, 0n));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("reversing a grant", () => {
  it("succeeds exactly when the whole grant is still unspent and unheld, and empties the lot", () => {
    fc.assert(
      fc.property(
        walletGrantsArb,
        fc.bigInt({ min: 1n, max: 200n }),
        fc.bigInt({ min: 0n, max: 400n }),
        fc.bigInt({ min: 0n, max: 400n }),
        (grants, grantMinor, spendMinor, holdMinor) => {
          const world = walletFrom(grants);
          const lotId = grant(world, grantMinor, null, 50);
          const granted = world.transfers.at(-1)?.id ?? "";
          if (spendMinor > 0n) consume(world, spendMinor);
          if (holdMinor > 0n)
            runBatch(world, { type: "hold", customerId: CUSTOMER, amountMinor: holdMinor, ttlSeconds: 60 });
          const lot = world.wallet.lots.get(lotId);
          const untouched = lot !== undefined && lot.remainingMinor - lot.heldMinor === grantMinor;
          const { decision } = reverse(world, granted);
          expect(errorCode(decision)).toBe(untouched ? "ok" : "insufficient_credits");
          if (untouched) expect(world.wallet.lots.get(lotId)?.remainingMinor).toBe(0n);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("what cannot be reversed", () => {
  it("refuses an expiry booking and an unknown transfer", () => {
    const world = createWorld();
    grant(world, 50n, 1_000);
    world.clock.nowMs += 1_000;
    runBatch(world, { type: "expire", customerId: CUSTOMER });
    const expiry = world.transfers.find((transfer) => transfer.kind === "expire");
    expect(expiry?.entries.map((entry) => entry.amountMinor)).toEqual([-50n, 50n]);
    expect(errorCode(reverse(world, expiry?.id ?? "").decision)).toBe("not_reversible");
    expect(errorCode(reverse(world, `txn_${"0".repeat(32)}`).decision)).toBe("not_found");
  });
});
