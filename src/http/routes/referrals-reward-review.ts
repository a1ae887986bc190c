/** `POST /v1/referral-rewards/{rewardId}/review`: hold a pending reward, or approve or reject a held one. */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app.js";
import { answer, ERROR_RESPONSES, ok200, requireScope } from "./common.js";
import { ReferralReward } from "./referrals-customer-get.js";
import { REVERSAL_REASON_LENGTH_MAX, RewardIdParam } from "./referrals-reward-reverse.js";

export const RewardReviewRequest = z
  .object({
    action: z.enum(["hold", "approve", "reject"]).openapi({
      description:
        "`hold` a pending reward (review_required); `approve` it back to pending; `reject` cancels it",
    }),
    reason: z.string().max(REVERSAL_REASON_LENGTH_MAX).optional(),
  })
  .strict()
  .openapi("RewardReviewRequest");

const route = createRoute({
  method: "post",
  path: "/v1/referral-rewards/{rewardId}/review",
  tags: ["referrals"],
  summary: "Hold or settle a referral reward",
  description:
    "An operator holds a pending reward (`review_required`): the sweep leaves it alone until it is " +
    "approved (back to `pending`, granted when due) or rejected (`canceled`). Repeating an action the " +
    "reward has already taken is refused with `invalid_request`, so a retry changes nothing.",
  security: [{ bearer: [] }],
  middleware: [requireScope("admin")] as const,
  request: {
    params: RewardIdParam,
    body: { content: { "application/json": { schema: RewardReviewRequest } }, required: true },
  },
  responses: { ...ok200(ReferralReward, "The reward"), ...ERROR_RESPONSES },
});

export function registerReferralsRewardReview(app: App): void {
  app.openapi(route, async (c) => {
    const { action, reason } = c.req.valid("json");
    const outcome = await c
      .get("deps")
      .engine.referrals.reviewReward({ rewardId: c.req.valid("param").rewardId, action, reason });
    return answer(c, outcome) as never;
  });
}
