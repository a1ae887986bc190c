/**
 * How a checkout ends and how an operator settles a purchase, through the engine on every backend: a
 * checkout takes payment for a fixed time, stored with the purchase; the sweep ends one nobody paid an
 * hour after that, the provider's own expiry or failed-payment event ends it at once, and a payment
 * reported later still grants it. From the review queue an operator refunds what is left of a
 * payment through the provider, once per purchase; the refund's own event takes the credits back
 * and leaves the operator's settlement standing. `verify` is clean after every scenario.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { fail } from "../../src/core/errors.js";
import type { PaymentEvent, PaymentProvider } from "../../src/core/payments.js";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import { createDemoProvider } from "../../src/engine/payment-provider.js";
import type { RefundingProvider } from "../../src/engine/payments.js";
import type { Store } from "../../src/store/store.js";
import { backends } from "../support/backends.js";
import { codeOf, counter, expectOk } from "../support/outcomes.js";
import {
  completedEvent,
  disputedEvent,
  expectVerified as expectVerifiedOf,
  intentOf,
  refundedEvent,
  STARTER,
  type TestSession,
  testProvider,
} from "../support/payments.js";

const START_MS = Date.UTC(2026, 5, 11, 9);
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const CHECKOUT_TTL_MS = 23 * HOUR_MS;
const DEMO_SECRET = "whsec_lifecycle_demo_secret";

for (const backend of backends()) {
  describe(`checkout endings and operator refunds on ${backend.name}`, () => {
    let store: Store;
    let engine: Engine;
    let clock: ManualClock;
    const provider = testProvider();
    /** The in-test provider never signs events: Stripe delivers its refunds to the webhook itself. */
    const refunding: RefundingProvider = {
      ...provider,
      readEvent: () => fail("unauthorized", "the in-test provider signs nothing"),
    };
    const key = counter("life-key");
    const eventId = counter("evt-life");
    const name = counter("life-buyer");

    async function customer(): Promise<string> {
      const id = name();
      expectOk(await engine.upsertCustomer({ id, plan: "pro", signedUpAtMs: clock.nowMs() - 400 * DAY_MS }));
      return id;
    }

    const checkout = (customerId: string, through: PaymentProvider = provider, idempotencyKey = key()) =>
      engine.payments.checkout(
        {
          customerId,
          bundleId: "starter",
          successUrl: "https://host.test/ok",
          cancelUrl: "https://host.test/cancel",
          idempotencyKey,
        },
        through,
      );

    const completed = (session: TestSession, amount: bigint, paid = true) =>
      completedEvent(eventId(), clock.nowMs(), session, amount, paid);
    const refunded = (session: TestSession, amount: bigint) =>
      refundedEvent(eventId(), clock.nowMs(), session, amount);
    const dispute = (session: TestSession, amount: bigint) =>
      disputedEvent(eventId(), clock.nowMs(), session, amount);

    const ended = (
      session: { purchaseId: string; sessionId: string },
      type: "checkout_expired" | "checkout_failed",
    ): Extract<PaymentEvent, { type: "checkout_expired" | "checkout_failed" }> => ({
      type,
      eventId: eventId(),
      createdAtMs: clock.nowMs(),
      sessionId: session.sessionId,
      purchaseId: session.purchaseId,
    });

    const handle = async (event: PaymentEvent) => expectOk(await engine.payments.handleEvent(event));
    const purchase = async (purchaseId: string) => expectOk(await engine.payments.purchase(purchaseId));
    const resolve = (purchaseId: string, decision: "grant" | "close" | "refund", idempotencyKey = key()) =>
      engine.payments.resolveReview({ purchaseId, decision, idempotencyKey }, refunding);
    const inQueue = async (purchaseId: string) =>
      (await engine.payments.purchasesInReview()).some((p) => p.id === purchaseId);

    async function outboxTypes(purchaseId: string): Promise<string[]> {
      const rows = await store.query<{ type: string }>(
        "SELECT type FROM events WHERE payload->>'purchaseId' = $1::text ORDER BY id",
        [purchaseId],
      );
      return rows.map((row) => row.type);
    }

    const expectVerified = () => expectVerifiedOf(engine);

    beforeAll(async () => {
      store = await backend.open();
      clock = new ManualClock(START_MS);
      engine = await createEngine({ store, clock });
      expectOk(await engine.payments.saveBundle("starter", STARTER));
    });
    afterAll(async () => {
      await store.close();
      await backend.cleanup();
    });
    beforeEach(async () => {
      // Each scenario starts with every earlier checkout swept, so its own sweeps count its own.
      clock.advanceMs(2 * DAY_MS);
      await engine.sweep();
      await expectVerified();
    });

    it("a checkout takes payment for 23 hours; the sweep ends it an hour later; a late payment still grants it", async () => {
      const buyer = await customer();
      const session = expectOk(await checkout(buyer));
      const stored = await purchase(session.purchaseId);
      expect(stored.checkoutExpiresAtMs).toBe(clock.nowMs() + CHECKOUT_TTL_MS);
      expect(provider.requests.at(-1)?.expiresAtMs).toBe(stored.checkoutExpiresAtMs);

      clock.advanceMs(CHECKOUT_TTL_MS + HOUR_MS - 1);
      expect((await engine.sweep()).expiredCheckouts).toBe(0);
      expect((await purchase(session.purchaseId)).state).toBe("pending");
      clock.advanceMs(1);
      expect((await engine.sweep()).expiredCheckouts).toBe(1);
      expect((await engine.sweep()).expiredCheckouts).toBe(0);
      expect(await purchase(session.purchaseId)).toMatchObject({ state: "expired", grantTransferId: null });
      expect(expectOk(await engine.balance(buyer)).availableMinor).toBe(0n);

      // Stripe retries a delivery for days: the money was taken, so the purchase is granted.
      expect(await handle(completed(session, 1000n))).toMatchObject({ outcome: "granted" });
      expect((await purchase(session.purchaseId)).state).toBe("paid");
      expect(expectOk(await engine.balance(buyer)).availableMinor).toBe(1000n);
      expect(await outboxTypes(session.purchaseId)).toEqual(["purchase.expired", "purchase.completed"]);
      await expectVerified();
    });

    it("a checkout completed with a delayed payment is waited for; that payment failing ends it failed", async () => {
      const buyer = await customer();
      const session = expectOk(await checkout(buyer));
      expect(await handle(completed(session, 1000n, false))).toMatchObject({ outcome: "unpaid" });
      expect((await purchase(session.purchaseId)).sessionCompletedAtMs).toBe(clock.nowMs());

      clock.advanceMs(3 * DAY_MS);
      expect((await engine.sweep()).expiredCheckouts).toBe(0);
      expect((await purchase(session.purchaseId)).state).toBe("pending");

      const failed = ended(session, "checkout_failed");
      expect(await handle(failed)).toEqual({
        eventId: failed.eventId,
        outcome: "failed",
        purchaseId: session.purchaseId,
        replayed: false,
      });
      expect(await handle(failed)).toMatchObject({ outcome: "failed", replayed: true });
      expect(await handle(ended(session, "checkout_expired"))).toMatchObject({ outcome: "no_change" });
      expect((await purchase(session.purchaseId)).state).toBe("failed");
      expect(await outboxTypes(session.purchaseId)).toEqual(["purchase.failed"]);
      await expectVerified();
    });

    it("the provider's expiry event ends a pending checkout at once, and changes nothing once it is paid", async () => {
      const buyer = await customer();
      const open = expectOk(await checkout(buyer));
      const paid = expectOk(await checkout(buyer));
      await handle(completed(paid, 1000n));

      expect(await handle(ended(open, "checkout_expired"))).toMatchObject({
        outcome: "expired",
        purchaseId: open.purchaseId,
      });
      expect(await handle(ended(paid, "checkout_expired"))).toMatchObject({ outcome: "no_change" });
      const unknown = { purchaseId: "pur_nobody", sessionId: "cs_nobody" };
      expect(await handle({ ...ended(unknown, "checkout_expired"), purchaseId: null })).toMatchObject({
        outcome: "unknown_purchase",
        purchaseId: null,
      });
      expect((await purchase(open.purchaseId)).state).toBe("expired");
      expect((await purchase(paid.purchaseId)).state).toBe("paid");
      expect(expectOk(await engine.balance(buyer)).availableMinor).toBe(1000n);
      await expectVerified();
    });

    it("a retry too close to the checkout's end, with no session made yet, answers that it expired", async () => {
      const buyer = await customer();
      const idempotencyKey = key();
      const down: PaymentProvider = {
        ...provider,
        createCheckout: async () => {
          throw new Error("connection refused");
        },
      };
      expect(codeOf(await checkout(buyer, down, idempotencyKey))).toBe("unavailable");
      const first = expectOk(await engine.payments.purchasesOf(buyer))[0];

      clock.advanceMs(CHECKOUT_TTL_MS - 36 * MINUTE_MS);
      const retried = expectOk(await checkout(buyer, provider, idempotencyKey));
      expect(retried.purchaseId).toBe(first?.id);
      expect(provider.requests.at(-1)?.expiresAtMs).toBe(first?.checkoutExpiresAtMs);

      const other = key();
      expect(codeOf(await checkout(buyer, down, other))).toBe("unavailable");
      clock.advanceMs(CHECKOUT_TTL_MS - 34 * MINUTE_MS);
      const late = await checkout(buyer, provider, other);
      expect(codeOf(late)).toBe("invalid_request");
      expect(late.ok ? "" : late.error.message).toContain("check out again with a new idempotency key");
    });

    it("refunds a mismatched payment from the review queue once; its refund event keeps it settled", async () => {
      const buyer = await customer();
      const session = expectOk(await checkout(buyer));
      expect(await handle(completed(session, 999n))).toMatchObject({ outcome: "review" });
      const refundsBefore = provider.refunds.length;
      const decisionKey = key();

      const settled = expectOk(await resolve(session.purchaseId, "refund", decisionKey));

      expect(settled).toMatchObject({
        state: "review",
        reviewDecision: "refund",
        reviewResolvedAtMs: clock.nowMs(),
        refundId: `re_${refundsBefore + 1}_${session.purchaseId}`,
      });
      expect(provider.refunds.slice(refundsBefore)).toEqual([
        {
          purchaseId: session.purchaseId,
          paymentIntentId: intentOf(session),
          idempotencyKey: `boon-refund-${session.purchaseId}`,
          paidMinor: 999n,
          currency: "usd",
        },
      ]);
      expect(await inQueue(session.purchaseId)).toBe(false);
      expect(expectOk(await resolve(session.purchaseId, "refund", decisionKey))).toEqual(settled);
      expect(provider.refunds.length).toBe(refundsBefore + 1);
      expect(codeOf(await resolve(session.purchaseId, "refund"))).toBe("invalid_request");

      expect(await handle(refunded(session, 999n))).toMatchObject({ outcome: "refunded" });
      expect(await inQueue(session.purchaseId)).toBe(false);
      expect(await purchase(session.purchaseId)).toMatchObject({
        refundedMinor: 999n,
        reviewDecision: "refund",
        grantTransferId: null,
      });
      expect(expectOk(await engine.balance(buyer)).availableMinor).toBe(0n);
      await expectVerified();
    });

    it("refunds the rest of a partly refunded purchase; its event takes back what is unspent", async () => {
      const buyer = await customer();
      const session = expectOk(await checkout(buyer));
      await handle(completed(session, 1000n));
      expectOk(await engine.consume({ customerId: buyer, amountMinor: 300n, idempotencyKey: key() }));
      expect(await handle(refunded(session, 400n))).toMatchObject({ outcome: "refunded" });
      expect(await purchase(session.purchaseId)).toMatchObject({
        recoveredMinor: 400n,
        unrecoveredMinor: 0n,
      });

      expectOk(await resolve(session.purchaseId, "refund"));
      expect(await handle(refunded(session, 1000n))).toMatchObject({ outcome: "refunded" });

      expect(await purchase(session.purchaseId)).toMatchObject({
        state: "refunded",
        refundedMinor: 1000n,
        recoveredMinor: 700n,
        unrecoveredMinor: 300n,
        reviewDecision: "refund",
      });
      expect(await inQueue(session.purchaseId)).toBe(false);
      expect(expectOk(await engine.balance(buyer)).availableMinor).toBe(0n);
      await expectVerified();
    });

    it("refuses a refund of a purchase not in review, disputed, or without a provider, changing nothing", async () => {
      const buyer = await customer();
      const paid = expectOk(await checkout(buyer));
      await handle(completed(paid, 1000n));
      const disputed = expectOk(await checkout(buyer));
      await handle(completed(disputed, 1000n));
      await handle(dispute(disputed, 1000n));
      const mismatched = expectOk(await checkout(buyer));
      await handle(completed(mismatched, 1001n));
      // A dispute of a payment nothing was granted for: the purchase stays in review, not disputed.
      const mismatchedDisputed = expectOk(await checkout(buyer));
      await handle(completed(mismatchedDisputed, 999n));
      await handle(dispute(mismatchedDisputed, 999n));
      const refundsBefore = provider.refunds.length;

      const notInReview = await resolve(paid.purchaseId, "refund");
      const inDispute = await resolve(disputed.purchaseId, "refund");
      const reviewInDispute = await resolve(mismatchedDisputed.purchaseId, "refund");
      const noProvider = await engine.payments.resolveReview({
        purchaseId: mismatched.purchaseId,
        decision: "refund",
        idempotencyKey: key(),
      });

      expect(codeOf(notInReview)).toBe("invalid_request");
      expect(notInReview.ok ? "" : notInReview.error.message).toContain("is not in review");
      expect(codeOf(inDispute)).toBe("invalid_request");
      expect(inDispute.ok ? "" : inDispute.error.message).toContain("the dispute decides");
      expect((await purchase(mismatchedDisputed.purchaseId)).state).toBe("review");
      expect(codeOf(reviewInDispute)).toBe("invalid_request");
      expect(reviewInDispute.ok ? "" : reviewInDispute.error.message).toContain("the dispute decides");
      expect(codeOf(noProvider)).toBe("unavailable");
      expect(codeOf(await resolve("pur_nothing", "refund"))).toBe("not_found");
      expect(provider.refunds.length).toBe(refundsBefore);
      expect(await inQueue(disputed.purchaseId)).toBe(true);
      expect(await inQueue(mismatched.purchaseId)).toBe(true);
      await expectVerified();
    });

    it("gives back what a dispute took once it is won, forgiving what was spent; a lost one only says so", async () => {
      const closed = (session: { sessionId: string }, status: string, won: boolean): PaymentEvent => ({
        type: "dispute_closed",
        eventId: eventId(),
        createdAtMs: clock.nowMs(),
        paymentIntentId: intentOf(session),
        status,
        won,
      });
      /** A buyer's one purchase of 1,000 credits: part spent, part refunded, then disputed in full. */
      const disputed = async (spentMinor: bigint, refundedMinor: bigint) => {
        const buyer = await customer();
        const session = expectOk(await checkout(buyer));
        await handle(completed(session, 1000n));
        if (spentMinor > 0n)
          expectOk(
            await engine.consume({ customerId: buyer, amountMinor: spentMinor, idempotencyKey: key() }),
          );
        if (refundedMinor > 0n) await handle(refunded(session, refundedMinor));
        await handle(dispute(session, 1000n - refundedMinor));
        expectOk(await resolve(session.purchaseId, "close"));
        return { buyer, session };
      };
      const available = async (buyer: string) => expectOk(await engine.balance(buyer)).availableMinor;
      const spent = await disputed(300n, 0n);
      const partlyRefunded = await disputed(0n, 500n);
      const lost = await disputed(0n, 0n);
      const undisputed = expectOk(await checkout(await customer()));
      await handle(completed(undisputed, 1000n));
      expect(await purchase(spent.session.purchaseId)).toMatchObject({
        recoveredMinor: 700n,
        unrecoveredMinor: 300n,
      });

      const wonEvent = closed(spent.session, "won", true);
      expect(await handle(wonEvent)).toMatchObject({
        outcome: "dispute_won",
        purchaseId: spent.session.purchaseId,
      });
      expect(await handle(wonEvent)).toMatchObject({ outcome: "dispute_won", replayed: true });
      expect(await handle(closed(spent.session, "lost", false))).toMatchObject({ outcome: "no_change" });
      expect(await handle(closed(partlyRefunded.session, "warning_closed", true))).toMatchObject({
        outcome: "dispute_won",
      });
      expect(await handle(closed(lost.session, "lost", false))).toMatchObject({ outcome: "dispute_lost" });
      expect(await handle(closed(undisputed, "won", true))).toMatchObject({
        outcome: "no_change",
        purchaseId: undisputed.purchaseId,
      });

      // The 300 spent is forgiven and the 700 taken goes back to the purchased lot it came from.
      expect(await purchase(spent.session.purchaseId)).toMatchObject({
        state: "paid",
        recoveredMinor: 0n,
        unrecoveredMinor: 0n,
        reviewReason:
          "dispute won (won): the payment stands and its credits were given back; 0 credits stay taken back and 0 spent",
      });
      expect(await available(spent.buyer)).toBe(700n);
      // Only the refund's half stays taken back.
      expect(await purchase(partlyRefunded.session.purchaseId)).toMatchObject({
        state: "refunded",
        refundedMinor: 500n,
        recoveredMinor: 500n,
      });
      expect(await available(partlyRefunded.buyer)).toBe(500n);
      expect(await purchase(lost.session.purchaseId)).toMatchObject({
        state: "disputed",
        recoveredMinor: 1000n,
      });
      expect((await purchase(lost.session.purchaseId)).reviewReason).toMatch(
        /^dispute lost: the money stays/,
      );
      expect(await available(lost.buyer)).toBe(0n);
      for (const settled of [spent, partlyRefunded, lost])
        expect(await inQueue(settled.session.purchaseId)).toBe(false);
      expect(await outboxTypes(spent.session.purchaseId)).toEqual([
        "purchase.completed",
        "purchase.disputed",
        "purchase.dispute_closed",
      ]);
      // Everything above happened at this one instant: 4 payments, 3 disputes, 2 won back.
      const report = expectOk(
        await engine.payments.revenue({ fromMs: clock.nowMs() - 1, toMs: clock.nowMs() }),
      );
      expect(report.totals).toMatchObject({
        revenue: { usd: 4000n },
        refunds: { usd: 500n },
        disputes: { usd: 2500n },
        reinstated: { usd: 1500n },
        net: { usd: 2500n },
        disputeEvents: 3,
      });
      expect(report.buckets.at(-1)?.reinstated).toEqual({ usd: 1500n });
      await expectVerified();
    });

    it("reports money that went back before its payment completed: a refund as a refund, a dispute as a dispute", async () => {
      const buyer = await customer();
      const early = async (type: "charge_refunded" | "dispute_created") => {
        const session = expectOk(await checkout(buyer));
        await handle(type === "charge_refunded" ? refunded(session, 400n) : dispute(session, 1000n));
        expect(await handle(completed(session, 1000n))).toMatchObject({ outcome: "granted" });
      };
      await early("charge_refunded");
      await early("dispute_created");

      const report = expectOk(
        await engine.payments.revenue({ fromMs: clock.nowMs() - 1, toMs: clock.nowMs() }),
      );

      expect(report.totals).toMatchObject({
        revenue: { usd: 2000n },
        refunds: { usd: 400n },
        disputes: { usd: 1000n },
        net: { usd: 600n },
      });
      await expectVerified();
    });

    it("with the demo provider, the refund's event is handled at once through the webhook reader", async () => {
      const demo = createDemoProvider({
        publicUrl: "http://boon.test",
        webhookSecret: DEMO_SECRET,
        clock,
      });
      const buyer = await customer();
      const session = expectOk(await checkout(buyer, demo));
      const paid = demo.completion({
        sessionId: session.sessionId,
        purchaseId: session.purchaseId,
        customerId: buyer,
        bundleId: "starter",
        asGift: false,
        amountTotalMinor: 1000n,
        currency: "usd",
      });
      await handle(expectOk(demo.readEvent(paid.payload, paid.signatureHeader)));
      const intent = (await purchase(session.purchaseId)).paymentIntentId ?? "";
      await handle({
        type: "charge_refunded",
        eventId: eventId(),
        createdAtMs: clock.nowMs(),
        paymentIntentId: intent,
        amountRefundedMinor: 250n,
        currency: "usd",
      });

      const settled = expectOk(
        await engine.payments.resolveReview(
          { purchaseId: session.purchaseId, decision: "refund", idempotencyKey: key() },
          demo,
        ),
      );

      expect(settled).toMatchObject({
        state: "refunded",
        refundedMinor: 1000n,
        recoveredMinor: 1000n,
        reviewDecision: "refund",
        refundId: expect.stringMatching(/^re_demo_/),
      });
      expect(await inQueue(session.purchaseId)).toBe(false);
      expect(expectOk(await engine.balance(buyer)).availableMinor).toBe(0n);
      await expectVerified();
    });
  });
}
