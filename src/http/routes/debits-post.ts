/** `POST /v1/customers/{customerId}/debits`: spend credits now, in burn-down order. */
import { createRoute, z } from "@hono/zod-openapi";
import { LOT_KINDS } from "../../core/lots.js";
import type { App } from "../app.js";
import {
  answer,
  CustomerIdParam,
  ERROR_RESPONSES,
  ErrorSchema,
  IdempotencyHeader,
  idempotencyKeyOf,
  ok200,
  requireScope,
} from "./common.js";

/** The answer of a spend the wallet cannot cover; the message carries the numbers. */
export const INSUFFICIENT_CREDITS_RESPONSE = {
  402: {
    content: { "application/json": { schema: ErrorSchema } },
    description: "insufficient_credits: the message says how many are available and how many were asked",
  },
} as const;

export const Draw = z
  .object({ lotId: z.string(), kind: z.enum(LOT_KINDS), amount: z.number().int() })
  .openapi("Draw");

export const DebitRequest = z
  .object({
    // The engine checks the range, so its message (with the limit and the value) reaches the client.
    amount: z.number().int().openapi({ description: "Minor credit units", example: 120 }),
    reason: z.string().nullable().optional(),
  })
  .strict()
  .openapi("DebitRequest");

export const DebitAnswer = z
  .object({
    type: z.literal("consume"),
    transferId: z.string(),
    amount: z.number().int(),
    draws: z.array(Draw).openapi({ description: "The lots the debit drew, in burn-down order" }),
    available: z.number().int(),
  })
  .openapi("DebitAnswer");

const route = createRoute({
  method: "post",
  path: "/v1/customers/{customerId}/debits",
  tags: ["ledger"],
  summary: "Spend credits",
  description:
    "Draws `amount` from the customer's live, unheld lots in burn-down order, all or nothing. " +
    "Retrying with the same Idempotency-Key returns the first answer and spends nothing more.",
  security: [{ bearer: [] }],
  middleware: [requireScope("server")] as const,
  request: {
    params: CustomerIdParam,
    headers: IdempotencyHeader,
    body: { content: { "application/json": { schema: DebitRequest } }, required: true },
  },
  responses: {
    ...ok200(DebitAnswer, "The transfer and the lots it drew"),
    ...ERROR_RESPONSES,
    ...INSUFFICIENT_CREDITS_RESPONSE,
  },
});

export function registerDebitsPost(app: App): void {
  app.openapi(route, async (c) => {
    const { customerId } = c.req.valid("param");
    const { amount, reason } = c.req.valid("json");
    const outcome = await c.get("deps").engine.consume({
      customerId,
      amountMinor: amount,
      reason,
      idempotencyKey: idempotencyKeyOf(c, c.req.valid("header")),
    });
    return answer(c, outcome) as never;
  });
}
