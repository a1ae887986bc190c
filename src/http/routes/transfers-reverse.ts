/** `POST /v1/transfers/{transferId}/reverse`: correct a mistake by booking the opposite transfer. */
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
import { INSUFFICIENT_CREDITS_RESPONSE } from "./debits-post.js";

export const TransferIdParam = z.object({
  transferId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "transferId", in: "path" }, example: "txn_0190f3c2a1b27c3d8e9f0a1b2c3d4e5f" }),
});

export const ReverseRequest = z
  .object({ reason: z.string().nullable().optional() })
  .strict()
  .openapi("ReverseRequest");

export const ReverseAnswer = z
  .object({ type: z.literal("reverse"), transferId: z.string(), reversesTransferId: z.string() })
  .openapi("ReverseAnswer");

const route = createRoute({
  method: "post",
  path: "/v1/transfers/{transferId}/reverse",
  tags: ["ledger"],
  summary: "Reverse a transfer",
  description:
    "Books the opposite of a transfer, once: entries are never edited. Refused when the credits it " +
    "would take back have already been spent.",
  security: [{ bearer: [] }],
  // Admin only, checked before the body is read, so a server key learns nothing of the input rules.
  middleware: [requireScope("admin")] as const,
  request: {
    params: TransferIdParam,
    headers: IdempotencyHeader,
    body: { content: { "application/json": { schema: ReverseRequest } }, required: false },
  },
  responses: {
    ...ok200(ReverseAnswer, "The reversing transfer"),
    ...ERROR_RESPONSES,
    ...INSUFFICIENT_CREDITS_RESPONSE,
  },
});

export function registerTransfersReverse(app: App): void {
  app.openapi(route, async (c) => {
    const { transferId } = c.req.valid("param");
    const { reason } = c.req.valid("json");
    const outcome = await c.get("deps").engine.reverse({
      transferId,
      reason,
      idempotencyKey: idempotencyKeyOf(c, c.req.valid("header")),
    });
    return answer(c, outcome) as never;
  });
}
