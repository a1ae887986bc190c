/**
 * Referrals, pure: who may invite, whether an acceptance attributes the invitee (or is held for
 * review), and the states rewards move through. A referral (one invitee attributed to one referrer
 * in one program) is `accepted`, or `review` when it looks like a self-invite or abuse; it becomes
 * `qualified` when the invitee performs the qualifying action within the attribution window, and
 * then each rewarded side gets one reward: `pending` through the hold period, then `granted`, and
 * possibly `reversed` later; or `canceled`, or `review_required` when an operator must decide.
 */
import { calendarPeriodAt } from "./calendar.js";
import type { Failure } from "./errors.js";
import { type Signals, segmentOf } from "./gifts.js";
import { programPhase, type ReferralProgram } from "./referral-program.js";

export const REFERRAL_STATES = ["accepted", "review", "qualified", "rejected"] as const;
export type ReferralState = (typeof REFERRAL_STATES)[number];
export const REWARD_STATES = ["pending", "review_required", "granted", "reversed", "canceled"] as const;
export type RewardState = (typeof REWARD_STATES)[number];
export type RewardEvent = "grant" | "flag" | "approve" | "reject" | "cancel" | "reverse" | "refuse";

const REWARD_TRANSITIONS: Readonly<Record<RewardState, Partial<Record<RewardEvent, RewardState>>>> = {
  pending: { grant: "granted", flag: "review_required", cancel: "canceled" },
  review_required: { approve: "pending", reject: "canceled" },
  // `refuse`: the grant itself was refused (the customer holds the most banked resets allowed, say)
  // before anything was made, so the reward is canceled and its cost returns to the budget.
  granted: { reverse: "reversed", refuse: "canceled" },
  reversed: {},
  canceled: {},
};

export function nextRewardState(state: RewardState, event: RewardEvent): RewardState | null {
  return REWARD_TRANSITIONS[state][event] ?? null;
}

export interface ReferralParty {
  readonly id: string;
  readonly plan: string | null;
  readonly cohorts: readonly string[];
  readonly email: string | null;
  readonly signedUpAtMs: number;
  readonly lastActiveAtMs: number | null;
}

const GMAIL_DOMAINS = new Set(["gmail.com", "googlemail.com"]);

/**
 * An email as one mailbox: lower case, without a `+tag`, and for Gmail without dots (which Gmail
 * ignores), so `Ada.L+boon@GMail.com` and `adal@gmail.com` are the same person.
 */
export function normalizeEmail(email: string): string {
  const trimmed = email.trim().toLowerCase();
  const at = trimmed.lastIndexOf("@");
  if (at <= 0) return trimmed;
  let local = trimmed.slice(0, at).replace(/\+.*$/, "");
  let domain = trimmed.slice(at + 1);
  if (domain === "googlemail.com") domain = "gmail.com";
  if (GMAIL_DOMAINS.has(domain)) local = local.replaceAll(".", "");
  return `${local}@${domain}`;
}

const fail = (code: Failure["code"], message: string): { ok: false; error: Failure } => ({
  ok: false,
  error: { code, message },
});

/** Whether the program is open to this customer now: in its window, live, or hidden and in its cohort. */
export function openTo(program: ReferralProgram, customer: ReferralParty, nowMs: number): boolean {
  const phase = programPhase(program, nowMs);
  if (phase === "live") return true;
  return phase === "hidden" && program.visibleTo.some((cohort) => customer.cohorts.includes(cohort));
}

function inAudience(program: ReferralProgram, customer: ReferralParty): boolean {
  const { audiencePlans: plans, audienceCohorts: cohorts } = program;
  if (plans === null && cohorts === null) return true;
  const byPlan = plans !== null && customer.plan !== null && plans.includes(customer.plan);
  const byCohort = cohorts?.some((cohort) => customer.cohorts.includes(cohort)) ?? false;
  return byPlan || byCohort;
}

export function invitePeriodStartMs(program: ReferralProgram, nowMs: number): number {
  return calendarPeriodAt(nowMs, program.period.unit, program.period.timeZone).startMs;
}

export type Decision = { readonly ok: true } | { readonly ok: false; readonly error: Failure };

export function decideInvite(
  program: ReferralProgram,
  referrer: ReferralParty,
  counts: { readonly ever: number; readonly thisPeriod: number },
  nowMs: number,
): Decision {
  if (!openTo(program, referrer, nowMs))
    return fail("program_closed", `referral program ${program.id} is not open to ${referrer.id}`);
  if (!inAudience(program, referrer))
    return fail("not_eligible", `${referrer.id} is not among the referrers of program ${program.id}`);
  if (program.invitesPerReferrer !== null && counts.ever >= program.invitesPerReferrer)
    return fail("cap_exceeded", `${counts.ever} of ${program.invitesPerReferrer} invites already sent`);
  if (program.invitesPerPeriod !== null && counts.thisPeriod >= program.invitesPerPeriod)
    return fail(
      "cap_exceeded",
      `${counts.thisPeriod} of ${program.invitesPerPeriod} invites already sent this ${program.period.unit}`,
    );
  return { ok: true };
}

export interface AcceptFacts {
  readonly program: ReferralProgram;
  readonly referrer: ReferralParty;
  readonly invitee: ReferralParty;
  readonly inviteEmail: string | null;
  readonly referrerSignals: Signals | null;
  readonly inviteeSignals: Signals | null;
  /** Acceptances of this referrer's invites in the program's velocity window, before this one. */
  readonly recentAcceptances: number;
  readonly nowMs: number;
}

export type AcceptDecision =
  | { readonly ok: true; readonly reviewReason: string | null }
  | { readonly ok: false; readonly error: Failure };

/** New, lapsed or active, by the same rule as gifts' recipients. */
export const inviteeSegment = segmentOf;

export function decideAccept(facts: AcceptFacts): AcceptDecision {
  const { program, referrer, invitee, nowMs } = facts;
  const phase = programPhase(program, nowMs);
  if (phase !== "live" && phase !== "hidden")
    return fail(
      "program_closed",
      `referral program ${program.id} is ${phase === "scheduled" ? "not open yet" : "closed"}`,
    );
  if (invitee.id === referrer.id)
    return fail("referral_self_invite", "a customer can't accept their own invite");
  const segment = inviteeSegment(program, invitee, nowMs);
  const rule = program.invitees;
  const eligible =
    rule === "anyone" ||
    (rule === "new" && segment === "new") ||
    (rule === "lapsed" && segment === "lapsed") ||
    (rule === "new_or_lapsed" && segment !== "active");
  if (!eligible)
    return fail(
      "not_eligible",
      `this program is for ${rule.replaceAll("_", " ")} customers; ${invitee.id} is ${segment}`,
    );
  return { ok: true, reviewReason: reviewReason(facts) };
}

/** Why an acceptance should wait for an operator, or null. Suspicion flags; it never blocks. */
function reviewReason(facts: AcceptFacts): string | null {
  const { referrer, invitee, program } = facts;
  if (
    referrer.email !== null &&
    invitee.email !== null &&
    normalizeEmail(referrer.email) === normalizeEmail(invitee.email)
  )
    return "the invitee's email is the referrer's";
  const sender = facts.referrerSignals;
  const claimer = facts.inviteeSignals;
  if (sender?.device !== undefined && sender.device === claimer?.device)
    return "the invitee shares the referrer's device";
  if (sender?.address !== undefined && sender.address === claimer?.address)
    return "the invitee shares the referrer's address";
  const domain = (invitee.email ?? facts.inviteEmail ?? "").split("@")[1]?.toLowerCase();
  if (domain !== undefined && program.disposableDomains.includes(domain))
    return `the invitee's email domain ${domain} is disposable`;
  if (program.velocityAcceptances !== null && facts.recentAcceptances >= program.velocityAcceptances)
    return `${facts.recentAcceptances + 1} acceptances for ${referrer.id} within ${program.velocityWithinSeconds} s`;
  return null;
}

/** Whether a qualifying action at `atMs` counts for a referral accepted at `acceptedAtMs`. */
export function withinAttribution(program: ReferralProgram, acceptedAtMs: number, atMs: number): boolean {
  return atMs >= acceptedAtMs && atMs < acceptedAtMs + program.attributionSeconds * 1000;
}
