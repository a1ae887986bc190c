/** `POST /v1/customers/{customerId}/resets/redeem`: spend a banked reset to restart windows now. */
import { createRoute, z } from "@hono/zod-openapi";
import { ok } from "../../core/errors.js";
import type { App } from "../app.js";
import {
  answer,
  CustomerIdParam,
  ERROR_RESPONSES,
  IdempotencyHeader,
  idempotencyKeyOf,
  ok200,
} from "./common.js";
import { requireCustomerReader } from "./customers-get.js";
import { NO_PLAN_RESPONSE, UsageAnswer } from "./usage-authorize.js";
import { ResetsSummary } from "./usage-history-get.js";

export const RedeemResetRequest = z
  .object({
    resetId: z
      .string()
      .optional()
      .openapi({ description: "A particular banked reset; the one expiring soonest when left out" }),
  })
  .strict()
  .openapi("RedeemResetRequest");

export const RedeemResetAnswer = z
  .object({
    type: z.literal("redeem_reset"),
    resetId: z.string(),
    windowIds: z.array(z.string()).openapi({ description: "The windows it restarted" }),
    windows: UsageAnswer.shape.windows,
    resets: ResetsSummary,
  })
  .openapi("RedeemResetAnswer");

const route = createRoute({
  method: "post",
  path: "/v1/customers/{customerId}/resets/redeem",
  tags: ["usage"],
  summary: "Redeem a banked reset",
  description:
    "Spends one banked reset and restarts the windows it covers. The body may be left out. Refused " +
    "with `reset_unavailable` when none is banked, or when the one named has expired or been spent. " +
    "A customer token may redeem its own customer's resets.",
  security: [{ bearer: [] }],
  // The same rule as a widget's reads: a server key, or a token for this very customer.
  middleware: [requireCustomerReader()] as const,
  request: {
    params: CustomerIdParam,
    headers: IdempotencyHeader,
    body: { content: { "application/json": { schema: RedeemResetRequest } }, required: false },
  },
  responses: {
    ...ok200(RedeemResetAnswer, "The windows after the reset"),
    ...ERROR_RESPONSES,
    ...NO_PLAN_RESPONSE,
  },
});

export function registerResetsRedeem(app: App): void {
  app.openapi(route, async (c) => {
    const { customerId } = c.req.valid("param");
    const { resetId } = c.req.valid("json");
    const outcome = await c.get("deps").engine.redeemReset({
      customerId,
      resetId,
      idempotencyKey: idempotencyKeyOf(c, c.req.valid("header")),
    });
    if (!outcome.ok) return answer(c, outcome) as never;
    const { tokenId, ...redeemed } = outcome.value;
    return answer(c, ok({ ...redeemed, resetId: tokenId })) as never;
  });
}
