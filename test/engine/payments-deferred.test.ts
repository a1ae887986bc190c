/**
 * Deferred revenue for credits bought as gifts, on every backend: wherever bought value sits
 * unconsumed (the buyer's gift balance, gifts in escrow, the lots recipients claimed, the purchased
 * lot an unclaimed gift came back as) it is deferred revenue at the buyer's average gift price per
 * credit, split across the currencies the buyer paid in, never above the money kept after refunds;
 * and the report asked about a past instant answers as of that instant.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import type { Store } from "../../src/store/store.js";
import { backends } from "../support/backends.js";
import { counter, expectOk } from "../support/outcomes.js";
import {
  completedEvent,
  expectVerified as expectVerifiedOf,
  refundedEvent,
  TEAM,
  testProvider,
} from "../support/payments.js";

const START_MS = Date.UTC(2026, 5, 11, 9);
const DAY_MS = 86_400_000;
const EURO_GIFT = { name: "Euro gift", credits: 1000, price: 900, currency: "eur", giftable: true };

for (const backend of backends()) {
  describe(`deferred revenue of gift purchases on ${backend.name}`, () => {
    let store: Store;
    let engine: Engine;
    let clock: ManualClock;
    const provider = testProvider();
    const key = counter("deferred-key");
    const eventId = counter("evt-deferred");
    const name = counter("deferred-customer");

    async function customer(): Promise<string> {
      const id = name();
      expectOk(await engine.upsertCustomer({ id, plan: "pro", signedUpAtMs: clock.nowMs() - 400 * DAY_MS }));
      return id;
    }

    async function boughtAsGift(buyer: string, bundleId: string, price: bigint, currency: string) {
      const session = expectOk(
        await engine.payments.checkout(
          {
            customerId: buyer,
            bundleId,
            asGift: true,
            successUrl: "https://host.test/ok",
            cancelUrl: "https://host.test/cancel",
            idempotencyKey: key(),
          },
          provider,
        ),
      );
      const event = { ...completedEvent(eventId(), clock.nowMs(), session, price), currency };
      expect(expectOk(await engine.payments.handleEvent(event)).outcome).toBe("granted");
      return session;
    }

    const send = async (senderId: string, amountMinor: bigint) =>
      expectOk(
        await engine.gifts.send({ senderId, amountMinor, source: "gift_balance", idempotencyKey: key() }),
      );
    const consume = async (customerId: string, amountMinor: bigint) =>
      expectOk(await engine.consume({ customerId, amountMinor, idempotencyKey: key() }));

    /** Deferred revenue now (or at `atMs`): the totals and the part bought as gifts. */
    async function deferred(atMs = clock.nowMs()) {
      const report = expectOk(await engine.payments.revenue({ fromMs: atMs - DAY_MS, toMs: atMs }));
      return report.deferred;
    }

    const expectVerified = () => expectVerifiedOf(engine);

    beforeAll(async () => {
      store = await backend.open();
      clock = new ManualClock(START_MS);
      engine = await createEngine({ store, clock });
      expectOk(await engine.payments.saveBundle("team", TEAM));
      expectOk(await engine.payments.saveBundle("euro_gift", EURO_GIFT));
      expectOk(
        await engine.gifts.saveProgram("gifts", {
          status: "live",
          allowance: 0,
          giftMin: 1,
          giftMax: 10_000,
          claimWindow: "14d",
        }),
      );
    });
    afterAll(async () => {
      await store.close();
      await backend.cleanup();
    });

    it("follows bought gift value from the gift balance to escrow, claimed lots and returned lots", async () => {
      const buyer = await customer();
      const friend = await customer();
      clock.advanceMs(1000);
      const session = await boughtAsGift(buyer, "team", 4000n, "usd");
      const afterPurchaseMs = clock.nowMs();
      // 5,000 credits for 40.00: 0.8 cents a credit. The 500 bonus credits are promotional, not sold.
      expect(await deferred()).toEqual({
        atMs: clock.nowMs(),
        revenue: { usd: 4000n },
        creditsMinor: { usd: 5000n },
        gifts: { revenue: { usd: 4000n }, creditsMinor: { usd: 5000n } },
      });

      clock.advanceMs(1000);
      const claimed = await send(buyer, 3000n);
      expect((await deferred()).gifts.creditsMinor).toEqual({ usd: 5000n });
      expectOk(
        await engine.gifts.claim({ handle: claimed.secret, customerId: friend, idempotencyKey: key() }),
      );
      expect((await deferred()).gifts.creditsMinor).toEqual({ usd: 5000n });
      await consume(friend, 1000n);
      expect((await deferred()).gifts).toEqual({ revenue: { usd: 3200n }, creditsMinor: { usd: 4000n } });

      // An unclaimed gift comes back as the buyer's purchased lot: still bought value, still deferred.
      await send(buyer, 1000n);
      clock.advanceMs(15 * DAY_MS);
      expect((await engine.sweep()).expiredGifts).toBe(1);
      expect((await deferred()).gifts.creditsMinor).toEqual({ usd: 4000n });
      // The buyer's own bonus (priority 5) spends first, then the returned purchased lot.
      await consume(buyer, 700n);
      expect((await deferred()).gifts).toEqual({ revenue: { usd: 3040n }, creditsMinor: { usd: 3800n } });
      const beforeRefundMs = clock.nowMs();

      // Half the money back: 2,750 credits owed, 1,000 recovered from the gift balance. What is left
      // outstanding (2,800 credits) is worth 22.40 at the average price, but only 20.00 was kept.
      clock.advanceMs(1000);
      expectOk(await engine.payments.handleEvent(refundedEvent(eventId(), clock.nowMs(), session, 2000n)));
      expect((await deferred()).gifts).toEqual({ revenue: { usd: 2000n }, creditsMinor: { usd: 2800n } });

      // Asked about an earlier instant, the report answers as of then.
      expect((await deferred(afterPurchaseMs)).gifts.revenue).toEqual({ usd: 4000n });
      expect((await deferred(beforeRefundMs)).gifts.revenue).toEqual({ usd: 3040n });
      expect((await deferred(START_MS)).gifts).toEqual({ revenue: {}, creditsMinor: {} });
      await expectVerified();
    });

    it("splits a buyer's pooled gift value across the currencies they paid in", async () => {
      const before = (await deferred()).gifts;
      const buyer = await customer();
      const friend = await customer();
      clock.advanceMs(1000);
      await boughtAsGift(buyer, "team", 4000n, "usd");
      await boughtAsGift(buyer, "euro_gift", 900n, "eur");
      const added = async () => {
        const now = (await deferred()).gifts;
        const less = (after: Record<string, bigint>, earlier: Record<string, bigint>) =>
          Object.fromEntries(Object.entries(after).map(([c, v]) => [c, v - (earlier[c] ?? 0n)]));
        return {
          revenue: less(now.revenue, before.revenue),
          creditsMinor: less(now.creditsMinor, before.creditsMinor),
        };
      };
      expect(await added()).toEqual({
        revenue: { eur: 900n, usd: 4000n },
        creditsMinor: { eur: 1000n, usd: 5000n },
      });

      const gift = await send(buyer, 600n);
      expectOk(await engine.gifts.claim({ handle: gift.secret, customerId: friend, idempotencyKey: key() }));
      await consume(friend, 600n);

      // 5,400 of 6,000 credits left: nine tenths of each currency's money and credits.
      expect(await added()).toEqual({
        revenue: { eur: 810n, usd: 3600n },
        creditsMinor: { eur: 900n, usd: 4500n },
      });
      await expectVerified();
    });
  });
}
