/** `POST /v1/customers/{customerId}/resets`: bank a rate-limit reset the customer redeems later. */
import { createRoute, z } from "@hono/zod-openapi";
import { ok } from "../../core/errors.js";
import { RESET_SOURCES } from "../../core/usage-state.js";
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
import { ResetsSummary } from "./usage-history-get.js";

export const ResetWindows = z.array(z.string()).openapi({
  description: "Window ids (`meter/window`); every window of the plan when left out",
  example: ["messages/5h"],
});

export const GrantResetRequest = z
  .object({
    windows: ResetWindows.optional(),
    expiresAt: IsoTime.optional(),
    source: z
      .enum(RESET_SOURCES)
      .optional()
      .openapi({ description: "Why the customer holds it; operator by default" }),
    reason: z.string().optional(),
  })
  .strict()
  .openapi("GrantResetRequest");

export const GrantResetAnswer = z
  .object({
    type: z.literal("grant_reset"),
    resetId: z.string().openapi({ description: "Pass to redeem to spend this very reset" }),
    expiresAt: z.string(),
    resets: ResetsSummary,
  })
  .openapi("GrantResetAnswer");

const route = createRoute({
  method: "post",
  path: "/v1/customers/{customerId}/resets",
  tags: ["usage"],
  summary: "Bank a reset",
  description:
    "Gives the customer a reset token to redeem later: a reward, a compensation, a purchase. Redeeming " +
    "it restarts the windows it covers.",
  security: [{ bearer: [] }],
  middleware: [requireScope("server")] as const,
  request: {
    params: CustomerIdParam,
    headers: IdempotencyHeader,
    body: { content: { "application/json": { schema: GrantResetRequest } }, required: true },
  },
  responses: { ...ok200(GrantResetAnswer, "The banked reset and the resets now held"), ...ERROR_RESPONSES },
});

export function registerResetsGrant(app: App): void {
  app.openapi(route, async (c) => {
    const { customerId } = c.req.valid("param");
    const { expiresAt, ...body } = c.req.valid("json");
    const outcome = await c.get("deps").engine.grantReset({
      ...body,
      customerId,
      expiresAtMs: msOf(expiresAt),
      idempotencyKey: idempotencyKeyOf(c, c.req.valid("header")),
    });
    if (!outcome.ok) return answer(c, outcome) as never;
    const { tokenId, ...granted } = outcome.value;
    return answer(c, ok({ ...granted, resetId: tokenId })) as never;
  });
}
