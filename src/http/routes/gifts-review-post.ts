/** `POST /v1/gifts/{giftId}/review`: settle a claim held for review (admin). */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app.js";
import { ERROR_RESPONSES, IdempotencyHeader, idempotencyKeyOf, ok200, requireScope } from "./common.js";
import { answerGift, Gift } from "./gifts-post.js";
import { GiftIdParam } from "./gifts-revoke.js";

export const ReviewGiftRequest = z
  .object({
    decision: z.enum(["approve", "reject"]).openapi({
      description: "`approve` delivers the gift to its claimer; `reject` returns its value to its source",
    }),
  })
  .strict()
  .openapi("ReviewGiftRequest");

const route = createRoute({
  method: "post",
  path: "/v1/gifts/{giftId}/review",
  tags: ["gifts"],
  summary: "Settle a gift in review",
  description:
    "Approving makes the gift `claimed`, with a new gifted lot in the claimer's wallet; rejecting makes " +
    "it `revoked`, its value back at its source. A gift not in review is refused with `invalid_request`.",
  security: [{ bearer: [] }],
  middleware: [requireScope("admin")] as const,
  request: {
    params: GiftIdParam,
    headers: IdempotencyHeader,
    body: { content: { "application/json": { schema: ReviewGiftRequest } }, required: true },
  },
  responses: { ...ok200(Gift, "The gift, settled"), ...ERROR_RESPONSES },
});

export function registerGiftsReviewPost(app: App): void {
  app.openapi(route, async (c) => {
    const outcome = await c.get("deps").engine.gifts.review({
      giftId: c.req.valid("param").giftId,
      decision: c.req.valid("json").decision,
      idempotencyKey: idempotencyKeyOf(c, c.req.valid("header")),
    });
    return answerGift(c, outcome) as never;
  });
}
