/** `GET /v1/customers/{customerId}/referrals`: the referral rewards a customer earned, as either side. */
import { createRoute, z } from "@hono/zod-openapi";
import { INVITEE_RULES } from "../../core/referral-program.js";
import { REWARD_STATES } from "../../core/referrals.js";
import type { App } from "../app.js";
import { toWire } from "../wire.js";
import { CustomerIdParam, ERROR_RESPONSES, fail, ok200 } from "./common.js";
import { requireCustomerReader } from "./customers-get.js";
import { Referral } from "./invites-accept.js";
import { ReferralRewardTerms } from "./invites-get.js";
import { Invite, inviteWire } from "./invites-post.js";

export const ReferralReward = z
  .object({
    id: z.string().openapi({ example: "rwd_0190f3c2a1b27c3d8e9f0a1b2c3d4e5f" }),
    referralId: z.string(),
    programId: z.string(),
    inviteeId: z.string(),
    side: z.enum(["referrer", "invitee"]).openapi({ description: "Which side of the referral it rewards" }),
    customerId: z.string().openapi({ description: "Who gets it" }),
    state: z.enum(REWARD_STATES).openapi({
      description:
        "`pending` through the program's hold, then `granted`; `canceled` when the program's budget " +
        "was spent; `reversed` when an operator took it back; `review_required` while one decides",
    }),
    kind: z.enum(["reset", "credits"]),
    amount: z.number().int().nullable().openapi({ description: "For credits: minor credit units" }),
    dueAt: z.string().openapi({ description: "When the hold ends and the reward is granted" }),
    createdAt: z.string(),
    grantedAt: z.string().nullable(),
    resolvedAt: z.string().nullable(),
    resetTokenId: z.string().nullable().openapi({ description: "The banked reset it granted" }),
    lotId: z.string().nullable().openapi({ description: "The referral credits lot it granted" }),
    recovered: z.number().int().nullable().openapi({
      description: "For a reversed reward: what was taken back (credits, or 1 for an unredeemed reset)",
    }),
    unrecovered: z.number().int().nullable().openapi({
      description: "For a reversed reward: what had already been used and could not be taken back",
    }),
    reason: z.string().nullable().openapi({ description: "Why it was canceled or reversed" }),
  })
  .openapi("ReferralReward");

export const ReferralOffer = z
  .object({
    programId: z.string(),
    endsAt: z.string().nullable().openapi({ description: "When the program closes; null: no end set" }),
    rewards: z.object({
      referrer: ReferralRewardTerms.nullable().openapi({
        description: "What the referrer gets; null: nothing",
      }),
      invitee: ReferralRewardTerms.nullable().openapi({
        description: "What the invitee gets; null: nothing",
      }),
    }),
    invitees: z.enum(INVITEE_RULES).openapi({ description: "Whom the program counts as a friend to invite" }),
    invitesPerReferrer: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "Invites per referrer; null: no cap" }),
    invitesPerPeriod: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "Invites per referrer per period; null: no cap" }),
    invitesUsed: z.number().int().openapi({ description: "Invites the customer made in the program" }),
    invitesLeft: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "What the caps still allow now; null when the program has no cap" }),
  })
  .openapi("ReferralOffer");

export const CustomerReferrals = z
  .object({
    customerId: z.string(),
    invites: z.array(Invite).openapi({ description: "The invites the customer made, newest first" }),
    referrals: z
      .array(Referral)
      .openapi({ description: "The customer's referrals, as referrer or as invitee, newest first" }),
    rewards: z.array(ReferralReward).openapi({ description: "As referrer and as invitee, in every program" }),
    offers: z.array(ReferralOffer).openapi({
      description:
        "The referral programs the customer may invite in now: open to them (live, or a hidden pilot of " +
        "one of their cohorts, within its window) with them in its audience; listed even when the caps " +
        "are used up",
    }),
  })
  .openapi("CustomerReferrals");

const route = createRoute({
  method: "get",
  path: "/v1/customers/{customerId}/referrals",
  tags: ["referrals"],
  summary: "Read a customer's invites, referrals and rewards",
  description:
    "The invites the customer made (with their links), their referrals as either side, and the " +
    "rewards they earned, in every state: pending through a hold, granted (with the banked reset or " +
    "credits lot), canceled, reversed; and the programs they may invite in now, with each side's " +
    "reward and the invites left.",
  security: [{ bearer: [] }],
  middleware: [requireCustomerReader()] as const,
  request: { params: CustomerIdParam },
  responses: { ...ok200(CustomerReferrals, "The customer's referral rewards"), ...ERROR_RESPONSES },
});

export function registerReferralsCustomerGet(app: App): void {
  app.openapi(route, async (c) => {
    const { customerId } = c.req.valid("param");
    const outcome = await c.get("deps").engine.offers.customerReferrals(customerId);
    if (!outcome.ok) return fail(c, outcome.error) as never;
    const { invites, referrals, rewards, offers } = outcome.value;
    return c.json(
      {
        customerId,
        invites: invites.map((invite) => inviteWire(c, invite)),
        referrals: toWire(referrals),
        rewards: toWire(rewards),
        offers: toWire(offers),
      },
      200,
    ) as never;
  });
}
