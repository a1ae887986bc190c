/** `POST /v1/customers/{customerId}/grants`: grant a lot of credits into a customer's wallet. */
import { createRoute, z } from "@hono/zod-openapi";
import { GRANTABLE_KINDS } from "../../core/lots.js";
import type { App } from "../app.js";
import { msOf } from "../wire.js";
import {
  answer,
  CustomerIdParam,
  ERROR_RESPONSES,
  IdempotencyHeader,
  idempotencyKeyOf,
  ok200,
  requireScope,
} from "./common.js";
import { IsoTime } from "./customers-put.js";

export const GrantRequest = z
  .object({
    // Ranges are the engine's to check, so its messages (with the limit and the value) reach the client.
    amount: z.number().int().openapi({ description: "Minor credit units", example: 500 }),
    kind: z.enum(GRANTABLE_KINDS),
    expiresAt: IsoTime.nullable().optional(),
    effectiveAt: IsoTime.nullable().optional(),
    priority: z
      .number()
      .int()
      .optional()
      .openapi({ description: "Lower spends first; the kind's default when left out" }),
    reason: z.string().nullable().optional(),
  })
  .strict()
  .openapi("GrantRequest");

export const GrantAnswer = z
  .object({
    type: z.literal("grant"),
    transferId: z.string(),
    lotId: z.string(),
    available: z.number().int(),
  })
  .openapi("GrantAnswer");

const route = createRoute({
  method: "post",
  path: "/v1/customers/{customerId}/grants",
  tags: ["ledger"],
  summary: "Grant credits",
  description:
    "Books one lot into the customer's wallet with its own expiry and priority. Purchased lots are never " +
    "transferable. Retrying with the same Idempotency-Key returns the first answer and grants nothing more.",
  security: [{ bearer: [] }],
  middleware: [requireScope("server")] as const,
  request: {
    params: CustomerIdParam,
    headers: IdempotencyHeader,
    body: { content: { "application/json": { schema: GrantRequest } }, required: true },
  },
  responses: {
    ...ok200(GrantAnswer, "The lot, its transfer, and the credits now available"),
    ...ERROR_RESPONSES,
  },
});

export function registerGrantsPost(app: App): void {
  app.openapi(route, async (c) => {
    const { customerId } = c.req.valid("param");
    const { amount, expiresAt, effectiveAt, ...body } = c.req.valid("json");
    const outcome = await c.get("deps").engine.grant({
      ...body,
      customerId,
      amountMinor: amount,
      expiresAtMs: msOf(expiresAt),
      effectiveAtMs: msOf(effectiveAt),
      idempotencyKey: idempotencyKeyOf(c, c.req.valid("header")),
    });
    return answer(c, outcome) as never;
  });
}
