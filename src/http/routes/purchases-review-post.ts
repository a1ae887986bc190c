/** `POST /v1/purchases/{purchaseId}/review`: settle a purchase in review (admin). */
import { createRoute, z } from "@hono/zod-openapi";
import { refundingProviderOf } from "../../engine/payments.js";
import type { App } from "../app.js";
import { ERROR_RESPONSES, fail, IdempotencyHeader, idempotencyKeyOf, ok200, requireScope } from "./common.js";
import { Purchase, purchaseWire } from "./purchases-customer-get.js";

export const PURCHASE_ID_LENGTH_MAX = 64;

export const ReviewPurchaseRequest = z
  .object({
    decision: z.enum(["grant", "close", "refund"]).openapi({
      description:
        "`close` takes the purchase off the queue; `grant` also grants a payment that did not match its " +
        "price, once checked (never one a refund or dispute reached); `refund` has the payment provider " +
        "give back all that is left of the payment (at most once per purchase), and the refund's event " +
        "takes back the credits it answers for",
    }),
  })
  .strict()
  .openapi("ReviewPurchaseRequest");

const route = createRoute({
  method: "post",
  path: "/v1/purchases/{purchaseId}/review",
  tags: ["bundles"],
  summary: "Settle a purchase in review",
  description:
    "Closes the review, granting the purchase or refunding its payment first when asked to. A purchase " +
    "not in review, a grant of one that was refunded or disputed, or a refund of one disputed, fully " +
    "refunded or never paid, is refused with `invalid_request`; with no payment provider configured, a " +
    "refund answers `unavailable`.",
  security: [{ bearer: [] }],
  middleware: [requireScope("admin")] as const,
  request: {
    params: z.object({
      purchaseId: z
        .string()
        .min(1)
        .max(PURCHASE_ID_LENGTH_MAX)
        .openapi({ param: { name: "purchaseId", in: "path" }, example: "pur_0190..." }),
    }),
    headers: IdempotencyHeader,
    body: { content: { "application/json": { schema: ReviewPurchaseRequest } }, required: true },
  },
  responses: { ...ok200(Purchase, "The purchase, settled"), ...ERROR_RESPONSES },
});

export function registerPurchasesReviewPost(app: App): void {
  app.openapi(route, async (c) => {
    const payments = c.get("deps").payments;
    const outcome = await c.get("deps").engine.payments.resolveReview(
      {
        purchaseId: c.req.valid("param").purchaseId,
        decision: c.req.valid("json").decision,
        idempotencyKey: idempotencyKeyOf(c, c.req.valid("header")),
      },
      payments === undefined ? undefined : refundingProviderOf(payments),
    );
    if (!outcome.ok) return fail(c, outcome.error) as never;
    return c.json(purchaseWire(outcome.value), 200) as never;
  });
}
