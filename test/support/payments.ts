/** Bundles and an in-test payment provider (the engine's own interface) the payment suites share. */
import type { CheckoutRequest, PaymentProvider, RefundRequest } from "../../src/core/payments.js";

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
