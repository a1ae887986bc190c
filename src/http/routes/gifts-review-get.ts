/** `GET /v1/gifts/review`: the claims waiting for an operator's review (admin). */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app.js";
import { ERROR_RESPONSES, ok200, requireScope } from "./common.js";
import { GiftsLimitQuery } from "./gifts-customer-get.js";
import { Gift, giftWire } from "./gifts-post.js";

export const GiftList = z.object({ data: z.array(Gift) }).openapi("GiftList");

const route = createRoute({
  method: "get",
  path: "/v1/gifts/review",
  tags: ["gifts"],
  summary: "The review queue",
  description:
    "Claims held because the claimer shares a device or address with the sender, in the order the " +
    "gifts were sent, with " +
    "`reviewReason`. Settle each with `POST /v1/gifts/{giftId}/review`.",
  security: [{ bearer: [] }],
  middleware: [requireScope("admin")] as const,
  request: { query: GiftsLimitQuery },
  responses: { ...ok200(GiftList, "The gifts in review"), ...ERROR_RESPONSES },
});

export function registerGiftsReviewGet(app: App): void {
  app.openapi(route, async (c) => {
    const gifts = await c.get("deps").engine.gifts.inReview(c.req.valid("query").limit);
    return c.json({ data: gifts.map((gift) => giftWire(c, gift)) }, 200) as never;
  });
}
