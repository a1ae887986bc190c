/** `GET /v1/customers/{customerId}/purchases`: a customer's purchases, newest first. */
import { createRoute, z } from "@hono/zod-openapi";
import { PURCHASE_STATES } from "../../core/purchases.js";
import { PURCHASES_LIST_MAX, type PurchaseView } from "../../engine/payments.js";
import type { App } from "../app.js";
import { toWire, type Wire } from "../wire.js";
import { CustomerIdParam, ERROR_RESPONSES, fail, ok200 } from "./common.js";
import { requireCustomerReader } from "./customers-get.js";

export const Purchase = z
  .object({
    id: z.string(),
    customerId: z.string(),
    bundleId: z.string(),
    bundleVersion: z.number().int().openapi({ description: "The bundle's terms it was bought under" }),
    asGift: z.boolean(),
    credits: z.number().int().openapi({ description: "Purchased credits, in minor units" }),
    bonus: z.number().int().openapi({ description: "Promotional bonus credits, in minor units" }),
    price: z.number().int().openapi({ description: "In the currency's minor units" }),
    currency: z.string(),
    state: z.enum(PURCHASE_STATES).openapi({
      description:
        "`pending` until paid; `paid` (granted); `review` (the payment did not match: nothing granted); " +
        "`refunded` or `disputed` (granted, then taken back as far as unspent); `expired` (the checkout " +
        "ended unpaid) or `failed` (a delayed payment failed): nothing charged, and a payment reported " +
        "later still grants it",
    }),
    sessionId: z.string().nullable(),
    checkoutUrl: z.string().nullable(),
    paymentIntentId: z.string().nullable(),
    createdAt: z.string(),
    paidAt: z.string().nullable(),
    grantTransferId: z.string().nullable(),
    lotId: z.string().nullable().openapi({ description: "The purchased lot (null for a gift purchase)" }),
    bonusLotId: z.string().nullable(),
    refunded: z.number().int().openapi({
      description:
        "Money refunded, in minor units. A dispute's money is not in it: a disputed purchase's state says so, and the revenue report counts it",
    }),
    recovered: z.number().int().openapi({ description: "Credits taken back" }),
    unrecovered: z.number().int().openapi({ description: "Credits already spent when taken back" }),
    reviewReason: z.string().nullable(),
    reviewOpenedAt: z.string().nullable(),
    reviewResolvedAt: z.string().nullable(),
    reviewDecision: z.enum(["grant", "close", "refund"]).nullable(),
    checkoutExpiresAt: z.string().openapi({ description: "When the checkout stops taking payment" }),
    sessionCompletedAt: z.string().nullable().openapi({
      description: "When the customer completed the checkout with a payment still clearing (a bank debit)",
    }),
    refundId: z
      .string()
      .nullable()
      .openapi({ description: "The provider's refund an operator made from the review queue" }),
  })
  .openapi("Purchase");

export const PurchaseList = z.object({ data: z.array(Purchase) }).openapi("PurchaseList");

export const PurchasesLimitQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(PURCHASES_LIST_MAX)
    .optional()
    .openapi({ description: `At most this many (${PURCHASES_LIST_MAX} when left out)` }),
});

/** A purchase on the wire; its idempotency key stays with the server. */
export function purchaseWire(purchase: PurchaseView): Wire {
  const { idempotencyKey: _key, ...rest } = purchase;
  return toWire(rest);
}

const route = createRoute({
  method: "get",
  path: "/v1/customers/{customerId}/purchases",
  tags: ["bundles"],
  summary: "Read a customer's purchases",
  description:
    "The customer's purchases, newest first: pending checkouts, paid ones with the lots they granted, " +
    "and refunds or disputes with what was taken back and what had already been spent.",
  security: [{ bearer: [] }],
  middleware: [requireCustomerReader()] as const,
  request: { params: CustomerIdParam, query: PurchasesLimitQuery },
  responses: { ...ok200(PurchaseList, "The purchases"), ...ERROR_RESPONSES },
});

export function registerPurchasesCustomerGet(app: App): void {
  app.openapi(route, async (c) => {
    const { customerId } = c.req.valid("param");
    const outcome = await c.get("deps").engine.payments.purchasesOf(customerId, c.req.valid("query").limit);
    if (!outcome.ok) return fail(c, outcome.error) as never;
    return c.json({ data: outcome.value.map(purchaseWire) }, 200) as never;
  });
}
