/** `POST /v1/gifts/{giftId}/revoke`: take back an unclaimed gift; its value returns to its source. */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app.js";
import { ERROR_RESPONSES, IdempotencyHeader, idempotencyKeyOf, ok200 } from "./common.js";
import { answerGift, Gift, requireServerOrCustomer } from "./gifts-post.js";

export const GiftIdParam = z.object({
  giftId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "giftId", in: "path" }, example: "gft_0190f3c2a1b27c3d8e9f0a1b2c3d4e5f" }),
});

const route = createRoute({
  method: "post",
  path: "/v1/gifts/{giftId}/revoke",
  tags: ["gifts"],
  summary: "Revoke a gift",
  description:
    "Takes back a pending gift: its value returns to the allowance period it was drawn from, or to the " +
    "sender's gift balance. A server key may revoke any gift; a customer token only a gift its customer " +
    "sent, and any other answers 404 `not_found`, as an unknown id does. A gift no longer pending is " +
    "refused with `invalid_request`.",
  security: [{ bearer: [] }],
  middleware: [requireServerOrCustomer()] as const,
  request: { params: GiftIdParam, headers: IdempotencyHeader },
  responses: { ...ok200(Gift, "The gift, revoked"), ...ERROR_RESPONSES },
});

export function registerGiftsRevoke(app: App): void {
  app.openapi(route, async (c) => {
    const principal = c.get("principal");
    const outcome = await c.get("deps").engine.gifts.revoke({
      giftId: c.req.valid("param").giftId,
      // Null: any sender's gift, for the host product's backend.
      senderId: principal?.kind === "customer" ? principal.customerId : null,
      idempotencyKey: idempotencyKeyOf(c, c.req.valid("header")),
    });
    return answerGift(c, outcome) as never;
  });
}
