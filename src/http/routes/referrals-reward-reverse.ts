/** `POST /v1/referral-rewards/{rewardId}/reverse`: take back a granted referral reward (admin). */
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
import { ReferralReward } from "./referrals-customer-get.js";

/** The engine's bound on a reversal's reason; the schema says it first, with the same number. */
export const REVERSAL_REASON_LENGTH_MAX = 500;

export const RewardIdParam = z.object({
  rewardId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "rewardId", in: "path" }, example: "rwd_0190f3c2a1b27c3d8e9f0a1b2c3d4e5f" }),
});

export const ReverseRewardRequest = z
  .object({
    reason: z.string().min(1).max(REVERSAL_REASON_LENGTH_MAX).openapi({
      description: "Why: kept on the reward and in the audit trail",
      example: "invitee refunded",
    }),
  })
  .strict()
  .openapi("ReverseRewardRequest");

const route = createRoute({
  method: "post",
  path: "/v1/referral-rewards/{rewardId}/reverse",
  tags: ["referrals"],
  summary: "Reverse a referral reward",
  description:
    "For an invitee found fraudulent, or refunded: the reward becomes `reversed`. An unredeemed banked " +
    "reset is expired now; what is left of a credits lot is taken back. What was already used is " +
    "recorded as `unrecovered`, never taken below zero. A reward that is not granted is refused with " +
    "`invalid_request`. With an `Idempotency-Key`, a retry answers the first reversal.",
  security: [{ bearer: [] }],
  middleware: [requireScope("admin")] as const,
  request: {
    params: RewardIdParam,
    headers: IdempotencyHeader,
    body: { content: { "application/json": { schema: ReverseRewardRequest } }, required: true },
  },
  responses: { ...ok200(ReferralReward, "The reward, reversed"), ...ERROR_RESPONSES },
});

export function registerReferralsRewardReverse(app: App): void {
  app.openapi(route, async (c) => {
    const outcome = await c.get("deps").engine.referrals.reverseReward({
      rewardId: c.req.valid("param").rewardId,
      reason: c.req.valid("json").reason,
      idempotencyKey: idempotencyKeyOf(c, c.req.valid("header")),
    });
    return answer(c, outcome) as never;
  });
}
