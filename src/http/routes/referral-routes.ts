/**
 * Referrals: invites, the public landing data, acceptance, product events, a customer's rewards,
 * the review queue, reversals and a program's stats. Programs themselves share the gifting routes.
 */
import type { App } from "../app.js";
import { registerEventsPost } from "./events-post.js";
import { registerInvitesAccept } from "./invites-accept.js";
import { registerInvitesGet } from "./invites-get.js";
import { registerInvitesPost } from "./invites-post.js";
import { registerProgramsStatsGet } from "./programs-stats-get.js";
import { registerReferralsCustomerGet } from "./referrals-customer-get.js";
import { registerReferralsReviewGet } from "./referrals-review-get.js";
import { registerReferralsReviewPost } from "./referrals-review-post.js";
import { registerReferralsRewardReverse } from "./referrals-reward-reverse.js";
import { registerReferralsRewardReview } from "./referrals-reward-review.js";

export function registerReferralRoutes(app: App): void {
  registerInvitesPost(app);
  registerInvitesGet(app);
  registerInvitesAccept(app);
  registerEventsPost(app);
  registerReferralsCustomerGet(app);
  registerReferralsReviewGet(app);
  registerReferralsReviewPost(app);
  registerReferralsRewardReverse(app);
  registerReferralsRewardReview(app);
  registerProgramsStatsGet(app);
}
