/** `GET /v1/programs/{programId}/stats`: a referral program's funnel and viral coefficient (admin). */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app.js";
import { answer, ERROR_RESPONSES, ok200, requireScope } from "./common.js";
import { ProgramIdParam } from "./programs-post.js";

const count = (description: string) => z.number().int().openapi({ description });
const ratio = (description: string) => z.number().nullable().openapi({ description });

export const ReferralFunnel = z
  .object({
    invitesCreated: count("Invites made"),
    invitesOpened: count("Invites whose landing data was read at least once"),
    referrers: count("Customers who made at least one invite"),
    accepted: count("Acceptances attributed (accepted or qualified; not those in review or rejected)"),
    inReview: count("Acceptances waiting for an operator"),
    rejected: count("Acceptances an operator rejected"),
    qualified: count("Invitees who performed the qualifying action"),
    rewarded: count("Referrals with at least one reward granted (or granted, then reversed)"),
    rewardsGranted: count("Rewards granted, per side"),
    rewardsPending: count("Rewards waiting for the hold to end, or for review"),
    rewardsCanceled: count("Rewards canceled because the budget was spent"),
    rewardsOverBudget: count("Rewards that found the budget spent when they came due"),
    rewardsReversed: count("Rewards taken back"),
  })
  .openapi("ReferralFunnel");

export const ReferralWeek = z
  .object({
    weekStartAt: z.string().openapi({ description: "The start of the week the cohort's invites were made" }),
    referrers: z.number().int(),
    invites: z.number().int(),
    accepted: z.number().int(),
    qualified: z.number().int(),
    invitesPerReferrer: ratio("invites / referrers; null without referrers"),
    acceptedToQualified: ratio("qualified / accepted; null without acceptances"),
    viralCoefficient: ratio("invitesPerReferrer × acceptedToQualified"),
  })
  .openapi("ReferralWeek");

export const ReferralStats = z
  .object({
    programId: z.string(),
    phase: z.string().openapi({
      description: "Where the program stands now: draft, scheduled, hidden, live or ended",
      example: "live",
    }),
    funnel: ReferralFunnel,
    budget: z.object({
      credits: z.number().int().nullable().openapi({ description: "The credits budget; null: no limit" }),
      resets: z.number().int().nullable().openapi({ description: "The resets budget; null: no limit" }),
      givenCredits: z.number().int(),
      givenResets: z.number().int(),
      exhausted: z
        .boolean()
        .openapi({ description: "True once the program stopped rewarding for lack of budget" }),
    }),
    costPerAcquired: z
      .object({
        credits: ratio("Credits given per qualified invitee; null before the first"),
        resets: ratio("Resets given per qualified invitee; null before the first"),
      })
      .openapi({ description: "What the program gave per customer it acquired (an average: not integral)" }),
    viralCoefficient: ratio(
      "Invites per referrer × acceptance-to-qualify conversion, over the whole program",
    ),
    weeks: z.array(ReferralWeek).openapi({ description: "Weekly cohorts, by the week invites were made" }),
  })
  .openapi("ReferralStats");

const route = createRoute({
  method: "get",
  path: "/v1/programs/{programId}/stats",
  tags: ["programs"],
  summary: "A referral program's stats",
  description:
    "The referral program's funnel (invites created, opened, accepted, qualified, rewarded), the " +
    "rewards given against the budget, the viral coefficient overall and by weekly cohort, and the " +
    "cost per acquired customer. A gifting program has no stats here: 404 `not_found`.",
  security: [{ bearer: [] }],
  middleware: [requireScope("admin")] as const,
  request: { params: ProgramIdParam },
  responses: { ...ok200(ReferralStats, "The program's stats"), ...ERROR_RESPONSES },
});

export function registerProgramsStatsGet(app: App): void {
  app.openapi(route, async (c) => {
    const outcome = await c.get("deps").engine.referrals.stats(c.req.valid("param").programId);
    return answer(c, outcome) as never;
  });
}
