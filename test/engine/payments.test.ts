/**
 * Bundles and payments end to end through the engine, on every backend, with an in-test payment
 * provider (the engine's own interface, answering session ids): the catalog as versions, checkout
 * and its retries, completion granting the right lots once however often or however many events say
 * so, refunds after partial spend, disputes, a refund before its completion, gift purchases through
 * the gift balance to an unclaimed gift that comes back as purchased value, the review queue, the
 * revenue report, and `verify` clean after every scenario.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import type { PaymentEvent, PaymentProvider } from "../../src/core/payments.js";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import type { Store } from "../../src/store/store.js";
import { backends } from "../support/backends.js";
import { codeOf, counter, expectOk } from "../support/outcomes.js";
import { STARTER, TEAM, testProvider } from "../support/payments.js";

const START_MS = Date.UTC(2026, 5, 11, 9);
const DAY_MS = 86_400_000;

for (const backend of backends()) {
  describe(`bundles and payments on ${backend.name}`, () => {
    let store: Store;
    let engine: Engine;
    let clock: ManualClock;
    const provider = testProvider();
    const key = counter("pay-key");
    const eventId = counter("evt-test");
    const name = counter("buyer");

    async function customer(): Promise<string> {
      const id = name();
      expectOk(await engine.upsertCustomer({ id, plan: "pro", signedUpAtMs: clock.nowMs() - 400 * DAY_MS }));
      return id;
    }

    const checkout = (customerId: string, bundleId: string, extra: Record<string, unknown> = {}) =>
      engine.payments.checkout(
        {
          customerId,
          bundleId,
          successUrl: "https://host.test/ok",
          cancelUrl: "https://host.test/cancel",
          idempotencyKey: key(),
          ...extra,
        },
        provider,
      );

    function completed(
      purchaseId: string,
      sessionId: string,
      amount: bigint,
      extra: Partial<Extract<PaymentEvent, { type: "checkout_completed" }>> = {},
    ): PaymentEvent {
      return {
        type: "checkout_completed",
        eventId: eventId(),
        createdAtMs: clock.nowMs(),
        sessionId,
        purchaseId,
        customerId: null,
        bundleId: null,
        amountTotalMinor: amount,
        currency: "usd",
        paymentIntentId: `pi_${sessionId}`,
        paid: true,
        ...extra,
      };
    }

    const refunded = (sessionId: string, amount: bigint): PaymentEvent => ({
      type: "charge_refunded",
      eventId: eventId(),
      createdAtMs: clock.nowMs(),
      paymentIntentId: `pi_${sessionId}`,
      amountRefundedMinor: amount,
      currency: "usd",
    });

    async function bought(customerId: string, bundleId: string, price: bigint, asGift = false) {
      const session = expectOk(await checkout(customerId, bundleId, { asGift }));
      const handled = expectOk(
        await engine.payments.handleEvent(completed(session.purchaseId, session.sessionId, price)),
      );
      expect(handled).toMatchObject({ outcome: "granted", replayed: false });
      return session;
    }

    async function expectVerified(): Promise<void> {
      const report = await engine.verify();
      expect(report.checks.filter((check) => check.violation !== null)).toEqual([]);
    }

    async function lotsOf(customerId: string) {
      return expectOk(await engine.balance(customerId)).lots;
    }

    beforeAll(async () => {
      store = await backend.open();
      clock = new ManualClock(START_MS);
      engine = await createEngine({ store, clock });
      expectOk(await engine.payments.saveBundle("starter", STARTER));
      expectOk(await engine.payments.saveBundle("team", TEAM));
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
    beforeEach(async () => {
      await expectVerified();
    });

    it("stores bundles as versions, lists the active ones, and retires one as a new version", async () => {
      expect(expectOk(await engine.payments.saveBundle("starter", STARTER))).toMatchObject({
        created: false,
        bundle: { version: 1, creditsMinor: 1000n, priceMinor: 1000n, giftable: false, status: "active" },
      });
      expectOk(await engine.payments.saveBundle("old", { ...STARTER, name: "Old" }));
      const retired = expectOk(await engine.payments.retireBundle("old"));
      expect(retired).toMatchObject({ created: true, bundle: { version: 2, status: "retired" } });
      expect((await engine.payments.listBundles()).map((bundle) => bundle.id)).toEqual(["starter", "team"]);
      const all = await engine.payments.listBundles({ includeRetired: true });
      expect(all.map((bundle) => bundle.id)).toEqual(["old", "starter", "team"]);
      expect(expectOk(await engine.payments.getBundle("team")).spec).toMatchObject({
        bonusExpiresAfter: "90d",
        purchasedExpiresAfter: null,
      });
      expect(codeOf(await engine.payments.retireBundle("nope"))).toBe("not_found");
    });

    it("grants a paid checkout as a purchased lot and a bonus lot with their own expiry and priority", async () => {
      const buyer = await customer();
      const session = await bought(buyer, "team", 4000n);
      expect(provider.requests.at(-1)).toMatchObject({
        bundleName: "Team",
        priceMinor: 4000n,
        currency: "usd",
      });
      const lots = await lotsOf(buyer);
      const purchased = lots.find((lot) => lot.kind === "purchased");
      const bonus = lots.find((lot) => lot.kind === "promotional");
      expect(purchased).toMatchObject({
        amountMinor: 5000n,
        transferable: false,
        priority: 100,
        expiresAtMs: null,
      });
      const [row] = await store.query<{ source: string }>("SELECT source FROM lots WHERE id = $1", [
        purchased?.id ?? "",
      ]);
      expect(row?.source).toBe("purchase");
      expect(bonus).toMatchObject({ amountMinor: 500n, priority: 5, expiresAtMs: START_MS + 90 * DAY_MS });
      const purchase = expectOk(await engine.payments.purchase(session.purchaseId));
      expect(purchase).toMatchObject({
        state: "paid",
        bundleVersion: 1,
        lotId: purchased?.id,
        bonusLotId: bonus?.id,
      });
      const [event] = await store.query<{ type: string }>(
        "SELECT type FROM events WHERE type = 'purchase.completed' AND payload ->> 'purchaseId' = $1",
        [session.purchaseId],
      );
      expect(event?.type).toBe("purchase.completed");
      await expectVerified();
    });

    it("answers a retried checkout with the same session and asks the provider once", async () => {
      const buyer = await customer();
      const body = {
        customerId: buyer,
        bundleId: "starter",
        successUrl: "https://host.test/ok",
        cancelUrl: "https://host.test/cancel",
        idempotencyKey: key(),
      };
      const before = provider.requests.length;
      const first = expectOk(await engine.payments.checkout(body, provider));
      const again = expectOk(await engine.payments.checkout(body, provider));
      expect(again).toEqual(first);
      expect(provider.requests.length).toBe(before + 1);
      const other = await engine.payments.checkout({ ...body, bundleId: "team" }, provider);
      expect(codeOf(other)).toBe("idempotency_conflict");
    });

    it("reuses a purchase whose provider call failed, on the retry", async () => {
      const buyer = await customer();
      const body = {
        customerId: buyer,
        bundleId: "starter",
        successUrl: "https://host.test/ok",
        cancelUrl: "https://host.test/cancel",
        idempotencyKey: key(),
      };
      const down: PaymentProvider = {
        kind: "demo",
        createCheckout: async () => {
          throw new Error("connection refused");
        },
        refund: async () => {
          throw new Error("connection refused");
        },
      };
      expect(codeOf(await engine.payments.checkout(body, down))).toBe("unavailable");
      const retried = expectOk(await engine.payments.checkout(body, provider));
      const purchases = expectOk(await engine.payments.purchasesOf(buyer));
      expect(purchases.map((p) => p.id)).toEqual([retried.purchaseId]);
      expect(purchases[0]).toMatchObject({ state: "pending", sessionId: retried.sessionId });
    });

    it("grants once for a replayed event and for two different events of one session", async () => {
      const buyer = await customer();
      const session = expectOk(await checkout(buyer, "starter"));
      const event = completed(session.purchaseId, session.sessionId, 1000n);
      expect(expectOk(await engine.payments.handleEvent(event))).toMatchObject({
        outcome: "granted",
        replayed: false,
      });
      expect(expectOk(await engine.payments.handleEvent(event))).toMatchObject({
        outcome: "granted",
        replayed: true,
      });
      const second = completed(session.purchaseId, session.sessionId, 1000n);
      expect(expectOk(await engine.payments.handleEvent(second))).toMatchObject({
        outcome: "already_completed",
      });
      expect(expectOk(await engine.balance(buyer)).availableMinor).toBe(1000n);
      await expectVerified();
    });

    it("grants once when the same event is delivered 50 times at once", async () => {
      const buyer = await customer();
      const session = expectOk(await checkout(buyer, "team"));
      const event = completed(session.purchaseId, session.sessionId, 4000n);
      const answers = await Promise.all(Array.from({ length: 50 }, () => engine.payments.handleEvent(event)));
      const outcomes = answers.map((answer) => expectOk(answer));
      expect(outcomes.filter((answer) => !answer.replayed)).toHaveLength(1);
      expect(new Set(outcomes.map((answer) => answer.outcome))).toEqual(new Set(["granted"]));
      expect(expectOk(await engine.balance(buyer)).availableMinor).toBe(5500n);
      await expectVerified();
    });

    it("grants nothing for an unpaid session, an unknown session, or a wrong amount (review)", async () => {
      const buyer = await customer();
      const session = expectOk(await checkout(buyer, "starter"));
      const unpaid = completed(session.purchaseId, session.sessionId, 1000n, { paid: false });
      expect(expectOk(await engine.payments.handleEvent(unpaid)).outcome).toBe("unpaid");
      const unknown = completed("pur_unknown", "cs_unknown", 1000n, { purchaseId: null });
      expect(expectOk(await engine.payments.handleEvent(unknown)).outcome).toBe("unknown_purchase");
      const short = completed(session.purchaseId, session.sessionId, 999n);
      expect(expectOk(await engine.payments.handleEvent(short)).outcome).toBe("review");
      const euro = completed(session.purchaseId, session.sessionId, 1000n, { currency: "eur" });
      expect(expectOk(await engine.payments.handleEvent(euro)).outcome).toBe("already_completed");
      expect(expectOk(await engine.balance(buyer)).availableMinor).toBe(0n);
      const queue = await engine.payments.purchasesInReview();
      expect(queue.find((p) => p.id === session.purchaseId)).toMatchObject({
        state: "review",
        reviewReason: "paid 999 usd, but the price is 1000 usd",
      });
      const granted = expectOk(
        await engine.payments.resolveReview({
          purchaseId: session.purchaseId,
          decision: "grant",
          idempotencyKey: key(),
        }),
      );
      expect(granted).toMatchObject({ state: "paid", reviewDecision: "grant" });
      expect(expectOk(await engine.balance(buyer)).availableMinor).toBe(1000n);
      await expectVerified();
    });

    it("refuses to grant a mismatched payment that a refund reached before its completion", async () => {
      const buyer = await customer();
      const session = expectOk(await checkout(buyer, "starter"));
      expect(expectOk(await engine.payments.handleEvent(refunded(session.sessionId, 1000n))).outcome).toBe(
        "deferred",
      );
      const short = completed(session.purchaseId, session.sessionId, 999n);
      expect(expectOk(await engine.payments.handleEvent(short)).outcome).toBe("review");
      const grant = await engine.payments.resolveReview({
        purchaseId: session.purchaseId,
        decision: "grant",
        idempotencyKey: key(),
      });
      expect(grant.ok).toBe(false);
      if (!grant.ok) {
        expect(grant.error.code).toBe("invalid_request");
        expect(grant.error.message).toContain("refunded 1000 usd before it completed");
      }
      expect(expectOk(await engine.balance(buyer)).availableMinor).toBe(0n);
      const closed = expectOk(
        await engine.payments.resolveReview({
          purchaseId: session.purchaseId,
          decision: "close",
          idempotencyKey: key(),
        }),
      );
      expect(closed).toMatchObject({ state: "review", reviewDecision: "close" });
      expect(expectOk(await engine.balance(buyer)).availableMinor).toBe(0n);
      await expectVerified();
    });

    it("takes back the unspent rest after a refund, records what was spent, and never goes negative", async () => {
      const buyer = await customer();
      const session = await bought(buyer, "team", 4000n);
      // Spend the bonus (priority 5 first) and 4,000 of the purchased lot: 1,000 purchased left.
      expectOk(await engine.consume({ customerId: buyer, amountMinor: 4500n, idempotencyKey: key() }));
      const half = expectOk(await engine.payments.handleEvent(refunded(session.sessionId, 2000n)));
      expect(half.outcome).toBe("refunded");
      // Half the money answers for 2,750 credits: 1,000 came back, 1,750 were already spent.
      expect(expectOk(await engine.payments.purchase(session.purchaseId))).toMatchObject({
        state: "refunded",
        refundedMinor: 2000n,
        recoveredMinor: 1000n,
        unrecoveredMinor: 1750n,
      });
      expect(expectOk(await engine.balance(buyer)).availableMinor).toBe(0n);
      const full = expectOk(await engine.payments.handleEvent(refunded(session.sessionId, 4000n)));
      expect(full.outcome).toBe("refunded");
      expect(expectOk(await engine.payments.purchase(session.purchaseId))).toMatchObject({
        recoveredMinor: 1000n,
        unrecoveredMinor: 4500n,
      });
      const same = expectOk(await engine.payments.handleEvent(refunded(session.sessionId, 4000n)));
      expect(same.outcome).toBe("no_change");
      expect((await engine.payments.purchasesInReview()).map((p) => p.id)).toContain(session.purchaseId);
      await expectVerified();
    });

    it("takes back everything unspent on a dispute", async () => {
      const buyer = await customer();
      const session = await bought(buyer, "team", 4000n);
      expectOk(await engine.consume({ customerId: buyer, amountMinor: 100n, idempotencyKey: key() }));
      const dispute: PaymentEvent = {
        type: "dispute_created",
        eventId: eventId(),
        createdAtMs: clock.nowMs(),
        paymentIntentId: `pi_${session.sessionId}`,
        amountMinor: 4000n,
        currency: "usd",
      };
      expect(expectOk(await engine.payments.handleEvent(dispute)).outcome).toBe("disputed");
      expect(expectOk(await engine.payments.purchase(session.purchaseId))).toMatchObject({
        state: "disputed",
        recoveredMinor: 5400n,
        unrecoveredMinor: 100n,
      });
      expect(expectOk(await engine.balance(buyer)).availableMinor).toBe(0n);
      await expectVerified();
    });

    it("keeps a refund that arrives before its completion, and applies it at the grant", async () => {
      const buyer = await customer();
      const session = expectOk(await checkout(buyer, "starter"));
      const early = expectOk(await engine.payments.handleEvent(refunded(session.sessionId, 1000n)));
      expect(early.outcome).toBe("deferred");
      const done = expectOk(
        await engine.payments.handleEvent(completed(session.purchaseId, session.sessionId, 1000n)),
      );
      expect(done.outcome).toBe("granted");
      expect(expectOk(await engine.payments.purchase(session.purchaseId))).toMatchObject({
        state: "refunded",
        recoveredMinor: 1000n,
        unrecoveredMinor: 0n,
      });
      expect(expectOk(await engine.balance(buyer)).availableMinor).toBe(0n);
      await expectVerified();
    });

    it("funds the gift balance for a gift purchase; an unclaimed gift comes back as purchased value", async () => {
      const buyer = await customer();
      await bought(buyer, "team", 4000n, true);
      const gifts = expectOk(await engine.gifts.ofCustomer(buyer));
      expect(gifts.giftBalanceMinor).toBe(5000n);
      // The bonus is the buyer's own promotional lot; the bought credits wait in the gift balance.
      expect((await lotsOf(buyer)).map((lot) => [lot.kind, lot.amountMinor])).toEqual([
        ["promotional", 500n],
      ]);
      const gift = expectOk(
        await engine.gifts.send({
          senderId: buyer,
          amountMinor: 3000n,
          source: "gift_balance",
          idempotencyKey: key(),
        }),
      );
      clock.advanceMs(15 * DAY_MS);
      const [breakageBefore] = await store.query<{ total: string }>(
        "SELECT coalesce(sum(amount_minor), 0)::text AS total FROM entries WHERE account_id = 'sys_breakage'",
      );
      expect((await engine.sweep()).expiredGifts).toBeGreaterThanOrEqual(1);
      expect(expectOk(await engine.gifts.ofCustomer(buyer)).sent.find((g) => g.id === gift.id)?.status).toBe(
        "expired",
      );
      const returned = (await lotsOf(buyer)).find((lot) => lot.kind === "purchased");
      expect(returned).toMatchObject({ amountMinor: 3000n, expiresAtMs: null, transferable: false });
      expect(expectOk(await engine.gifts.ofCustomer(buyer)).giftBalanceMinor).toBe(2000n);
      const [breakageAfter] = await store.query<{ total: string }>(
        "SELECT coalesce(sum(amount_minor), 0)::text AS total FROM entries WHERE account_id = 'sys_breakage'",
      );
      expect(breakageAfter?.total).toBe(breakageBefore?.total);
      await expectVerified();
    });

    it("takes back a refunded gift purchase from the gift balance first", async () => {
      const buyer = await customer();
      const session = await bought(buyer, "team", 4000n, true);
      expectOk(
        await engine.gifts.send({
          senderId: buyer,
          amountMinor: 1000n,
          source: "gift_balance",
          idempotencyKey: key(),
        }),
      );
      expectOk(await engine.payments.handleEvent(refunded(session.sessionId, 4000n)));
      expect(expectOk(await engine.payments.purchase(session.purchaseId))).toMatchObject({
        recoveredMinor: 4500n,
        unrecoveredMinor: 1000n,
      });
      expect(expectOk(await engine.gifts.ofCustomer(buyer)).giftBalanceMinor).toBe(0n);
      await expectVerified();
    });

    it("reports revenue, refunds and deferred revenue by currency", async () => {
      clock.advanceMs(DAY_MS);
      const fromMs = clock.nowMs();
      const buyer = await customer();
      clock.advanceMs(1000);
      await bought(buyer, "starter", 1000n);
      const session = await bought(buyer, "team", 4000n);
      expectOk(await engine.consume({ customerId: buyer, amountMinor: 1500n, idempotencyKey: key() }));
      expectOk(await engine.payments.handleEvent(refunded(session.sessionId, 400n)));
      clock.advanceMs(1000);
      const report = expectOk(await engine.payments.revenue({ fromMs, toMs: clock.nowMs() }));
      expect(report.totals).toMatchObject({
        revenue: { usd: 5000n },
        refunds: { usd: 400n },
        net: { usd: 4600n },
        purchases: 2,
        refundEvents: 1,
      });
      expect(report.buckets.reduce((sum, bucket) => sum + (bucket.revenue.usd ?? 0n), 0n)).toBe(5000n);
      // The spend drew the bonus (priority 5), then the older of the two never-expiring purchased lots
      // (starter); the refund of a tenth took 550 credits from the team purchase's purchased lot.
      expect(expectOk(await engine.balance(buyer)).availableMinor).toBe(4450n);
      expect(report.deferred.creditsMinor.usd).toBeGreaterThanOrEqual(4450n);
      await expectVerified();
    });
  });
}
