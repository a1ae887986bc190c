/** `GET /v1/gifts/{code}`: what a gift's claim page shows. Public: no key is needed. */
import { createRoute, z } from "@hono/zod-openapi";
import { GIFT_HANDLE_LENGTH_MAX } from "../../core/gift-codes.js";
import type { App } from "../app.js";
import { previewThrottled } from "../rate-limit.js";
import { answer, ERROR_RESPONSES, ErrorSchema, ok200 } from "./common.js";
import { Gift } from "./gifts-post.js";

export const GiftHandleParam = z.object({
  code: z
    .string()
    .min(1)
    .max(GIFT_HANDLE_LENGTH_MAX)
    .openapi({
      param: { name: "code", in: "path" },
      description:
        "The typed code (any case; dashes and spaces optional; O, I and L read as 0, 1 and 1) or the " +
        "secret from the claim link",
      example: "7KQ2-M9XD-4HTB-R",
    }),
});

export const RATE_LIMITED_RESPONSE = {
  429: {
    content: { "application/json": { schema: ErrorSchema } },
    description: "rate_limited: too many attempts; retry after Retry-After seconds",
  },
} as const;

export const GiftPreview = z
  .object({
    amount: z.number().int(),
    senderName: z.string().nullable().openapi({ description: "The sender's display name, if any" }),
    message: Gift.shape.message,
    status: z.literal("pending"),
    expiresAt: z.string().openapi({ description: "The end of the claim window" }),
  })
  .openapi("GiftPreview");

const { 401: _unauthorized, 403: _forbidden, 409: _conflict, ...PUBLIC_ERROR_RESPONSES } = ERROR_RESPONSES;

const route = createRoute({
  method: "get",
  path: "/v1/gifts/{code}",
  tags: ["gifts"],
  summary: "Preview a gift",
  description:
    "Public: what the claim page shows of a gift that can still be claimed. Every code that can't be " +
    "claimed (unknown, claimed, revoked, in review or expired) gets the one same answer, 404 " +
    "`gift_unavailable`, so codes can't be probed; a code whose check character does not match is a " +
    "typo, 400 `invalid_request`, so the page can ask to check it. Calls without a server key are " +
    "limited per client address.",
  request: { params: GiftHandleParam },
  responses: {
    ...ok200(GiftPreview, "The gift as its claim page shows it"),
    ...PUBLIC_ERROR_RESPONSES,
    ...RATE_LIMITED_RESPONSE,
  },
});

export function registerGiftsGet(app: App): void {
  app.openapi(route, async (c) => {
    const limited = previewThrottled(c, "gift previews");
    if (limited !== null) return limited as never;
    const outcome = await c.get("deps").engine.gifts.preview(c.req.valid("param").code);
    return answer(c, outcome) as never;
  });
}
