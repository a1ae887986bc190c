/**
 * `verify`'s checks on purchases must each catch their kind of corruption, naming the purchase, on
 * every backend: a purchase that no longer matches its bundle, a grant that made the wrong lot, a
 * purchase recording more taken back than its refunds took, a checkout that ended unpaid yet holds
 * refunded money, and an operator refund with no payment behind it. Each tamper is undone after, so
 * the next starts from a healthy store.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import type { Store } from "../../src/store/store.js";
import { backends } from "../support/backends.js";
import { counter, expectOk } from "../support/outcomes.js";
import { completedEvent, refundedEvent, STARTER, testProvider } from "../support/payments.js";

const START_MS = Date.UTC(2026, 5, 11, 9);

for (const backend of backends()) {
  describe(`verify on purchases on ${backend.name}`, () => {
    let store: Store;
    let engine: Engine;
    const clock = new ManualClock(START_MS);
    const key = counter("verify-pay-key");
    const eventId = counter("evt-verify-pay");
    let paid = "";
    let refunded = "";
    let expired = "";

    async function bought(amountMinor: bigint): Promise<{ purchaseId: string; sessionId: string }> {
      const session = expectOk(
        await engine.payments.checkout(
          {
            customerId: "vic",
            bundleId: "starter",
            successUrl: "https://host.test/ok",
            cancelUrl: "https://host.test/cancel",
            idempotencyKey: key(),
          },
          testProvider(),
        ),
      );
      if (amountMinor > 0n) {
        expectOk(
          await engine.payments.handleEvent(completedEvent(eventId(), clock.nowMs(), session, amountMinor)),
        );
      }
      return session;
    }

    /** The violation a check names now, null when it holds. */
    async function violationOf(check: string): Promise<string | null> {
      const report = await engine.verify();
      const found = report.checks.find((one) => one.name === check);
      if (found === undefined) throw new Error(`verify has no check ${check}`);
      return found.violation;
    }

    /** Tamper, read what the check says, and undo, so the next case starts healthy. */
    async function underTamper(tamper: string, undo: string, check: string): Promise<string | null> {
      await store.query(tamper);
      try {
        return await violationOf(check);
      } finally {
        await store.query(undo);
      }
    }

    beforeAll(async () => {
      store = await backend.open();
      engine = await createEngine({ store, clock });
      expectOk(await engine.payments.saveBundle("starter", STARTER));
      expectOk(await engine.upsertCustomer({ id: "vic", plan: null, signedUpAtMs: START_MS }));
      paid = (await bought(1000n)).purchaseId;
      const toRefund = await bought(1000n);
      refunded = toRefund.purchaseId;
      expectOk(await engine.payments.handleEvent(refundedEvent(eventId(), clock.nowMs(), toRefund, 500n)));
      const ended = await bought(0n);
      expired = ended.purchaseId;
      expectOk(
        await engine.payments.handleEvent({
          type: "checkout_expired",
          eventId: eventId(),
          createdAtMs: clock.nowMs(),
          sessionId: ended.sessionId,
          purchaseId: ended.purchaseId,
        }),
      );
    });
    afterAll(async () => {
      await store.close();
      await backend.cleanup();
    });

    it("accepts purchases paid, refunded and expired", async () => {
      const report = await engine.verify();
      expect(report.checks.filter((check) => check.violation !== null)).toEqual([]);
    });

    it("names a purchase whose price no longer matches its bundle version", async () => {
      const violation = await underTamper(
        `UPDATE purchases SET price_minor = price_minor + 1 WHERE id = '${paid}'`,
        `UPDATE purchases SET price_minor = price_minor - 1 WHERE id = '${paid}'`,
        "purchases_match_bundles",
      );
      expect(violation).toBe(`purchase ${paid} does not match bundle starter v1`);
    });

    it("names a purchase whose grant made a lot of the wrong kind", async () => {
      const violation = await underTamper(
        `UPDATE lots SET kind = 'promotional' WHERE id = (SELECT lot_id FROM purchases WHERE id = '${paid}')`,
        `UPDATE lots SET kind = 'purchased' WHERE id = (SELECT lot_id FROM purchases WHERE id = '${paid}')`,
        "paid_purchases_granted_once",
      );
      expect(violation).toBe(
        `purchase ${paid} (paid) granted 0 purchased, 0 to the gift balance and 0 bonus, for 1000 and 0`,
      );
    });

    it("names a purchase that records more taken back than its refunds took", async () => {
      const violation = await underTamper(
        `UPDATE purchases SET recovered_minor = recovered_minor + 1 WHERE id = '${refunded}'`,
        `UPDATE purchases SET recovered_minor = recovered_minor - 1 WHERE id = '${refunded}'`,
        "refunds_within_purchases",
      );
      expect(violation).toBe(`purchase ${refunded} records 501 taken back but its refunds took 500`);
    });

    it("names a checkout that ended unpaid yet holds refunded money", async () => {
      const violation = await underTamper(
        `UPDATE purchases SET refunded_minor = 1 WHERE id = '${expired}'`,
        `UPDATE purchases SET refunded_minor = 0 WHERE id = '${expired}'`,
        "checkouts_end_consistently",
      );
      expect(violation).toBe(`purchase ${expired} ended expired but was granted or refunded`);
    });

    it("names an operator refund on a purchase never reviewed", async () => {
      const violation = await underTamper(
        `UPDATE purchases SET refund_id = 're_forged' WHERE id = '${paid}'`,
        `UPDATE purchases SET refund_id = NULL WHERE id = '${paid}'`,
        "checkouts_end_consistently",
      );
      expect(violation).toBe(`purchase ${paid} holds refund re_forged without a payment or a review`);
    });
  });
}
