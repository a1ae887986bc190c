/** `GET /v1/referrals/review`: the acceptances waiting for an operator's review (admin). */
import { createRoute, z } from "@hono/zod-openapi";
import { REFERRALS_LIST_MAX } from "../../engine/referrals.js";
import type { App } from "../app.js";
import { toWire } from "../wire.js";
import { ERROR_RESPONSES, ok200, requireScope } from "./common.js";
import { Referral } from "./invites-accept.js";

export const ReferralList = z.object({ data: z.array(Referral) }).openapi("ReferralList");

export const ReferralsLimitQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(REFERRALS_LIST_MAX)
    .optional()
    .openapi({ description: `At most this many (${REFERRALS_LIST_MAX} when left out)` }),
});

const route = createRoute({
  method: "get",
  path: "/v1/referrals/review",
  tags: ["referrals"],
  summary: "The referral review queue",
  description:
    "Acceptances held because they look like a self-invite or abuse (same email, device or address, a " +
    "disposable email domain, too many acceptances for one referrer), with `reviewReason`. Settle " +
    "each with `POST /v1/referrals/{referralId}/review`.",
  security: [{ bearer: [] }],
  middleware: [requireScope("admin")] as const,
  request: { query: ReferralsLimitQuery },
  responses: { ...ok200(ReferralList, "The referrals in review"), ...ERROR_RESPONSES },
});

export function registerReferralsReviewGet(app: App): void {
  app.openapi(route, async (c) => {
    const referrals = await c.get("deps").engine.referrals.inReview(c.req.valid("query").limit);
    return c.json({ data: toWire(referrals) }, 200) as never;
  });
}
