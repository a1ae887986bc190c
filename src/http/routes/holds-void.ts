/** `POST /v1/holds/{holdId}/void`: release a whole hold. */
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
import { HoldIdParam } from "./holds-capture.js";
import { Hold } from "./holds-post.js";

export const VoidAnswer = z
  .object({ type: z.literal("void"), hold: Hold, available: z.number().int() })
  .openapi("VoidAnswer");

const route = createRoute({
  method: "post",
  path: "/v1/holds/{holdId}/void",
  tags: ["ledger"],
  summary: "Void a hold",
  description: "Releases the whole hold, once; its credits become available again.",
  security: [{ bearer: [] }],
  middleware: [requireScope("server")] as const,
  request: { params: HoldIdParam, headers: IdempotencyHeader },
  responses: { ...ok200(VoidAnswer, "The voided hold and the credits now available"), ...ERROR_RESPONSES },
});

export function registerHoldsVoid(app: App): void {
  app.openapi(route, async (c) => {
    const outcome = await c.get("deps").engine.voidHold({
      holdId: c.req.valid("param").holdId,
      idempotencyKey: idempotencyKeyOf(c, c.req.valid("header")),
    });
    return answer(c, outcome) as never;
  });
}
