/** `POST /v1/customers/{customerId}/holds`: reserve credits for long work. */
import { createRoute, z } from "@hono/zod-openapi";
import { HOLD_STATUSES } from "../../core/ledger.js";
import type { App } from "../app.js";
import {
  answer,
  CustomerIdParam,
  ERROR_RESPONSES,
  IdempotencyHeader,
  idempotencyKeyOf,
  ok200,
  requireScope,
} from "./common.js";
import { INSUFFICIENT_CREDITS_RESPONSE } from "./debits-post.js";

export const Hold = z
  .object({
    id: z.string(),
    customerId: z.string(),
    amount: z.number().int(),
    captured: z.number().int(),
    status: z.enum(HOLD_STATUSES),
    createdAt: z.string(),
    expiresAt: z
      .string()
      .openapi({ description: "When the hold is released if neither captured nor voided" }),
  })
  .openapi("Hold");

export const HoldRequest = z
  .object({
    // The engine checks both ranges, so its messages (with the limits and the values) reach the client.
    amount: z.number().int().openapi({ description: "Minor credit units", example: 300 }),
    ttlSeconds: z.number().int().openapi({ example: 600 }),
  })
  .strict()
  .openapi("HoldRequest");

export const HoldAnswer = z
  .object({ type: z.literal("hold"), hold: Hold, available: z.number().int() })
  .openapi("HoldAnswer");

const route = createRoute({
  method: "post",
  path: "/v1/customers/{customerId}/holds",
  tags: ["ledger"],
  summary: "Hold credits",
  description:
    "Reserves `amount` for `ttlSeconds`: held credits can't be spent elsewhere until the hold is " +
    "captured, voided, or times out.",
  security: [{ bearer: [] }],
  middleware: [requireScope("server")] as const,
  request: {
    params: CustomerIdParam,
    headers: IdempotencyHeader,
    body: { content: { "application/json": { schema: HoldRequest } }, required: true },
  },
  responses: {
    ...ok200(HoldAnswer, "The hold and the credits still available"),
    ...ERROR_RESPONSES,
    ...INSUFFICIENT_CREDITS_RESPONSE,
  },
});

export function registerHoldsPost(app: App): void {
  app.openapi(route, async (c) => {
    const { customerId } = c.req.valid("param");
    const { amount, ttlSeconds } = c.req.valid("json");
    const outcome = await c.get("deps").engine.hold({
      customerId,
      amountMinor: amount,
      ttlSeconds,
      idempotencyKey: idempotencyKeyOf(c, c.req.valid("header")),
    });
    return answer(c, outcome) as never;
  });
}
