/** `POST /v1/holds/{holdId}/capture`: spend all or part of a hold and release the rest. */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app.js";
import {
  answer,
  ERROR_RESPONSES,
  IdempotencyHeader,
  idempotencyKeyOf,
  ok200,
  requireScope,
} from "./common.js";
import { Draw, INSUFFICIENT_CREDITS_RESPONSE } from "./debits-post.js";
import { Hold } from "./holds-post.js";

export const HoldIdParam = z.object({
  holdId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "holdId", in: "path" }, example: "hld_0190f3c2a1b27c3d8e9f0a1b2c3d4e5f" }),
});

export const CaptureRequest = z
  .object({
    amount: z
      .number()
      .int()
      .optional()
      .openapi({ description: "At most the hold; the whole hold when left out" }),
  })
  .strict()
  .openapi("CaptureRequest");

export const CaptureAnswer = z
  .object({
    type: z.literal("capture"),
    hold: Hold,
    transferId: z.string(),
    draws: z.array(Draw),
    available: z.number().int(),
  })
  .openapi("CaptureAnswer");

const route = createRoute({
  method: "post",
  path: "/v1/holds/{holdId}/capture",
  tags: ["ledger"],
  summary: "Capture a hold",
  description: "Spends `amount` (at most the hold; all of it when left out) and releases the rest, once.",
  security: [{ bearer: [] }],
  middleware: [requireScope("server")] as const,
  request: {
    params: HoldIdParam,
    headers: IdempotencyHeader,
    // A capture of the whole hold needs no body, so the body is optional.
    body: { content: { "application/json": { schema: CaptureRequest } }, required: false },
  },
  responses: {
    ...ok200(CaptureAnswer, "The captured hold, its transfer and the lots it drew"),
    ...ERROR_RESPONSES,
    ...INSUFFICIENT_CREDITS_RESPONSE,
  },
});

export function registerHoldsCapture(app: App): void {
  app.openapi(route, async (c) => {
    const { holdId } = c.req.valid("param");
    const { amount } = c.req.valid("json");
    const outcome = await c.get("deps").engine.capture({
      holdId,
      amountMinor: amount,
      idempotencyKey: idempotencyKeyOf(c, c.req.valid("header")),
    });
    return answer(c, outcome) as never;
  });
}
