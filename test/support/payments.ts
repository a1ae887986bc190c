/**
 * Bundles, an in-test payment provider (the engine's own interface), the provider's events as the
 * engine reads them, and the `verify` check the payment suites share.
 */

import { expect } from "vitest";
import type {
  CheckoutRequest,
  PaymentEvent,
  PaymentProvider,
  RefundRequest,
} from "../../src/core/payments.js";
import type { Engine } from "../../src/engine/engine.js";

export const STARTER = { name: "Starter", credits: 1000, price: 1000, currency: "usd" };
export const TEAM = {
  name: "Team",
  credits: 5000,
  bonusCredits: 500,
  bonusExpiresAfter: "90d",
  bonusPriority: 5,
  price: 4000,
  currency: "usd",
  giftable: true,
};

/** A provider that answers a new session per call and remembers what it was asked. */
export function testProvider(): PaymentProvider & {
  requests: CheckoutRequest[];
  refunds: RefundRequest[];
} {
  const requests: CheckoutRequest[] = [];
  const refunds: RefundRequest[] = [];
  return {
    kind: "demo",
    requests,
    refunds,
    async createCheckout(request) {
      requests.push(request);
      return {
        sessionId: `cs_${requests.length}_${request.purchaseId}`,
        url: `https://pay.test/${requests.length}`,
      };
    },
    async refund(request) {
      refunds.push(request);
      return { refundId: `re_${refunds.length}_${request.purchaseId}`, delivery: null };
    },
  };
}

/** A checkout session and the payment the in-test provider names for it (`pi_` and the session). */
export interface TestSession {
  readonly purchaseId: string;
  readonly sessionId: string;
}

export const intentOf = (session: Pick<TestSession, "sessionId">): string => `pi_${session.sessionId}`;

/** `checkout.session.completed` in usd: paid (through the session's payment) unless told otherwise. */
export function completedEvent(
  eventId: string,
  atMs: number,
  session: TestSession,
  amountMinor: bigint,
  paid = true,
): PaymentEvent {
  return {
    type: "checkout_completed",
    eventId,
    createdAtMs: atMs,
    sessionId: session.sessionId,
    purchaseId: session.purchaseId,
    customerId: null,
    bundleId: null,
    amountTotalMinor: amountMinor,
    currency: "usd",
    paymentIntentId: paid ? intentOf(session) : null,
    paid,
  };
}

/** `charge.refunded` in usd, with the cumulative amount refunded on the session's payment. */
export function refundedEvent(eventId: string, atMs: number, session: TestSession, amountMinor: bigint) {
  return {
    type: "charge_refunded",
    eventId,
    createdAtMs: atMs,
    paymentIntentId: intentOf(session),
    amountRefundedMinor: amountMinor,
    currency: "usd",
  } satisfies PaymentEvent;
}

/** `charge.dispute.created` in usd, on the session's payment. */
export function disputedEvent(eventId: string, atMs: number, session: TestSession, amountMinor: bigint) {
  return {
    type: "dispute_created",
    eventId,
    createdAtMs: atMs,
    paymentIntentId: intentOf(session),
    amountMinor,
    currency: "usd",
  } satisfies PaymentEvent;
}

/** Every check of `verify` holds. */
export async function expectVerified(engine: Engine): Promise<void> {
  const report = await engine.verify();
  expect(report.checks.filter((check) => check.violation !== null)).toEqual([]);
}
