/** `GET /v1/purchases/review`: payments waiting for an operator (admin). */
import { createRoute } from "@hono/zod-openapi";
import type { App } from "../app.js";
import { ERROR_RESPONSES, ok200, requireScope } from "./common.js";
import { PurchaseList, PurchasesLimitQuery, purchaseWire } from "./purchases-customer-get.js";

const route = createRoute({
  method: "get",
  path: "/v1/purchases/review",
  tags: ["bundles"],
  summary: "The purchase review queue",
  description:
    "Purchases an operator should look at, oldest first, each with its `reviewReason`: a payment that " +
    "did not match the price (nothing granted), and refunds and disputes (with what was taken back " +
    "and what had already been spent). Settle each with `POST /v1/purchases/{purchaseId}/review`.",
  security: [{ bearer: [] }],
  middleware: [requireScope("admin")] as const,
  request: { query: PurchasesLimitQuery },
  responses: { ...ok200(PurchaseList, "The purchases in review"), ...ERROR_RESPONSES },
});

export function registerPurchasesReviewGet(app: App): void {
  app.openapi(route, async (c) => {
    const purchases = await c.get("deps").engine.payments.purchasesInReview(c.req.valid("query").limit);
    return c.json({ data: purchases.map(purchaseWire) }, 200) as never;
  });
}
