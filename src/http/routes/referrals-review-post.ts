/** `POST /v1/referrals/{referralId}/review`: settle an acceptance held for review (admin). */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app.js";
import { answer, clientKeyOf, ERROR_RESPONSES, IdempotencyHeader, ok200, requireScope } from "./common.js";
import { Referral } from "./invites-accept.js";

export const ReferralIdParam = z.object({
  referralId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "referralId", in: "path" }, example: "ref_0190f3c2a1b27c3d8e9f0a1b2c3d4e5f" }),
});

export const ReviewReferralRequest = z
  .object({
    decision: z.enum(["approve", "reject"]).openapi({
      description:
        "`approve` attributes the invitee (the referral is `accepted` and may qualify); `reject` drops it",
    }),
  })
  .strict()
  .openapi("ReviewReferralRequest");

const route = createRoute({
  method: "post",
  path: "/v1/referrals/{referralId}/review",
  tags: ["referrals"],
  summary: "Settle a referral in review",
  description:
    "Approving makes the referral `accepted`: the invitee's qualifying action then counts. Rejecting " +
    "makes it `rejected`: it never rewards anyone. A referral not in review is refused with " +
    "`invalid_request`, so a repeated decision changes nothing; with an `Idempotency-Key` a retry " +
    "answers what the first decision did.",
  security: [{ bearer: [] }],
  middleware: [requireScope("admin")] as const,
  request: {
    params: ReferralIdParam,
    headers: IdempotencyHeader,
    body: { content: { "application/json": { schema: ReviewReferralRequest } }, required: true },
  },
  responses: { ...ok200(Referral, "The referral, settled"), ...ERROR_RESPONSES },
});

export function registerReferralsReviewPost(app: App): void {
  app.openapi(route, async (c) => {
    const outcome = await c.get("deps").engine.referrals.review({
      referralId: c.req.valid("param").referralId,
      decision: c.req.valid("json").decision,
      idempotencyKey: clientKeyOf(c, c.req.valid("header")),
    });
    return answer(c, outcome) as never;
  });
}
