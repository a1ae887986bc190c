/**
 * Gifts: the state machine and the decisions of sending and claiming, pure. A gift is `pending` from
 * the moment its value sits in escrow; a claim makes it `claimed` (a new lot in the recipient's
 * wallet), or `review` when the claimer looks like the sender under another account; the end of its
 * claim window makes it `expired` and the sender may make it `revoked`, both returning the value to
 * its source. An operator settles a `review`: approve (claimed) or reject (revoked).
 */

import { calendarPeriodAt } from "./calendar.js";
import type { Failure } from "./errors.js";
import type { GiftProgram } from "./gift-program.js";

export const GIFT_STATUSES = ["pending", "review", "claimed", "expired", "revoked"] as const;
export type GiftStatus = (typeof GIFT_STATUSES)[number];
export const GIFT_SOURCES = ["allowance", "gift_balance"] as const;
export type GiftSource = (typeof GIFT_SOURCES)[number];
export type RecipientSegment = "new" | "lapsed" | "active";

export const GIFT_MESSAGE_LENGTH_MAX = 280;
export const EMAIL_LENGTH_MAX = 320;
export const SIGNAL_LENGTH_MAX = 200;
const DAY_MS = 86_400_000;

export type GiftEvent = "claim" | "flag" | "approve" | "reject" | "revoke" | "expire";

/** The one table of transitions; anything not listed is refused. */
const TRANSITIONS: Readonly<Record<GiftStatus, Partial<Record<GiftEvent, GiftStatus>>>> = {
  pending: { claim: "claimed", flag: "review", revoke: "revoked", expire: "expired" },
  review: { approve: "claimed", reject: "revoked" },
  claimed: {},
  expired: {},
  revoked: {},
};

export function nextStatus(status: GiftStatus, event: GiftEvent): GiftStatus | null {
  return TRANSITIONS[status][event] ?? null;
}

/** Whether the value is still in escrow. */
export const inEscrow = (status: GiftStatus): boolean => status === "pending" || status === "review";

/** What a device or network looks like, as the host product hashes it; equal values suggest one person. */
export interface Signals {
  readonly device?: string | undefined;
  readonly address?: string | undefined;
}

export interface GiftParty {
  readonly id: string;
  readonly plan: string | null;
  /** From the customer's `attributes.cohorts`. */
  readonly cohorts: readonly string[];
  readonly signedUpAtMs: number;
  readonly lastActiveAtMs: number | null;
}

const fail = (code: Failure["code"], message: string): { ok: false; error: Failure } => ({
  ok: false,
  error: { code, message },
});

/** Whether a customer can see the program at all: live, or hidden and in one of its cohorts. */
export function programVisibleTo(program: GiftProgram, customer: GiftParty): boolean {
  if (program.status === "live") return true;
  if (program.status !== "hidden") return false;
  return program.visibleTo.some((cohort) => customer.cohorts.includes(cohort));
}

function maySend(program: GiftProgram, sender: GiftParty): boolean {
  const { senderPlans: plans, senderCohorts: cohorts } = program;
  if (plans === null && cohorts === null) return true;
  const byPlan = plans !== null && sender.plan !== null && plans.includes(sender.plan);
  const byCohort = cohorts?.some((cohort) => sender.cohorts.includes(cohort)) ?? false;
  return byPlan || byCohort;
}

/**
 * New: signed up within the program's `newWithinDays`. Lapsed: no activity for `lapsedAfterDays`
 * (a customer never active counts from signup). Active: neither.
 */
export function segmentOf(
  rules: { readonly newWithinDays: number; readonly lapsedAfterDays: number },
  customer: { readonly signedUpAtMs: number; readonly lastActiveAtMs: number | null },
  nowMs: number,
): RecipientSegment {
  if (nowMs - customer.signedUpAtMs <= rules.newWithinDays * DAY_MS) return "new";
  const lastSeenMs = customer.lastActiveAtMs ?? customer.signedUpAtMs;
  return nowMs - lastSeenMs >= rules.lapsedAfterDays * DAY_MS ? "lapsed" : "active";
}

export function periodStartMs(program: GiftProgram, nowMs: number): number {
  return calendarPeriodAt(nowMs, program.period.unit, program.period.timeZone).startMs;
}

export interface SendFacts {
  readonly program: GiftProgram;
  readonly sender: GiftParty;
  readonly source: GiftSource;
  readonly amountMinor: bigint;
  /** This period's use of the program by the sender. */
  readonly usedMinor: bigint;
  readonly sentCount: number;
  /** The sender's gift balance (value bought to give). */
  readonly giftBalanceMinor: bigint;
  readonly nowMs: number;
}

export type SendDecision =
  | { readonly ok: true; readonly periodStartMs: number; readonly expiresAtMs: number }
  | { readonly ok: false; readonly error: Failure };

export function decideSend(facts: SendFacts): SendDecision {
  const { program, sender, amountMinor } = facts;
  if (program.status === "draft" || program.status === "ended" || !programVisibleTo(program, sender))
    return fail("program_closed", `gifting program ${program.id} is not open to ${sender.id}`);
  if (!maySend(program, sender))
    return fail("not_eligible", `${sender.id} is not among the senders of gifting program ${program.id}`);
  if (amountMinor < program.giftMinMinor || amountMinor > program.giftMaxMinor)
    return fail(
      "invalid_request",
      `amount must be from ${program.giftMinMinor} to ${program.giftMaxMinor}, got ${amountMinor}`,
    );
  if (program.sentPerPeriod !== null && facts.sentCount >= program.sentPerPeriod)
    return fail(
      "cap_exceeded",
      `${facts.sentCount} of ${program.sentPerPeriod} gifts already sent this ${program.period.unit}`,
    );
  if (facts.source === "allowance") {
    const leftMinor = program.allowanceMinor - facts.usedMinor;
    if (leftMinor < amountMinor)
      return fail(
        "insufficient_credits",
        `${leftMinor > 0n ? leftMinor : 0n} of the gift allowance left this ${program.period.unit}, ${amountMinor} requested`,
      );
  } else if (facts.giftBalanceMinor < amountMinor)
    return fail(
      "insufficient_credits",
      `${facts.giftBalanceMinor} in the gift balance, ${amountMinor} requested`,
    );
  return {
    ok: true,
    periodStartMs: periodStartMs(program, facts.nowMs),
    expiresAtMs: facts.nowMs + program.claimWindowSeconds * 1000,
  };
}

export interface ClaimFacts {
  readonly program: GiftProgram;
  readonly status: GiftStatus;
  readonly expiresAtMs: number;
  readonly senderId: string;
  readonly senderSignals: Signals | null;
  readonly recipient: GiftParty;
  readonly recipientSignals: Signals | null;
  /** Gifts of this program the recipient claimed this period, and ever (claims in review included). */
  readonly receivedThisPeriod: number;
  readonly claimedEver: number;
  readonly nowMs: number;
}

export type ClaimDecision =
  | {
      readonly ok: true;
      readonly segment: RecipientSegment;
      /** Why the claim waits for an operator, or null when it settles now. */
      readonly reviewReason: string | null;
      readonly lotExpiresAtMs: number | null;
      readonly lotPriority: number;
    }
  | { readonly ok: false; readonly error: Failure };

/** The one answer for every code that can't be claimed, whatever the reason, so codes can't be probed. */
export const GIFT_UNAVAILABLE: Failure = {
  code: "gift_unavailable",
  message: "this gift can't be claimed: the code is unknown, or the gift was claimed, revoked or has expired",
};

export function decideClaim(facts: ClaimFacts): ClaimDecision {
  const { program, recipient, nowMs } = facts;
  if (facts.status !== "pending" || nowMs >= facts.expiresAtMs) return { ok: false, error: GIFT_UNAVAILABLE };
  if (recipient.id === facts.senderId) return fail("gift_self_claim", "a sender can't claim their own gift");
  const segment = segmentOf(program, recipient, nowMs);
  const rule = program.recipients;
  const eligible =
    rule === "anyone" ||
    (rule === "new" && segment === "new") ||
    (rule === "lapsed" && segment === "lapsed") ||
    (rule === "new_or_lapsed" && segment !== "active");
  if (!eligible)
    return fail(
      "not_eligible",
      `this gift is for ${rule.replaceAll("_", " ")} customers; ${recipient.id} is ${segment}`,
    );
  if (program.receivedPerPeriod !== null && facts.receivedThisPeriod >= program.receivedPerPeriod)
    return fail(
      "cap_exceeded",
      `${facts.receivedThisPeriod} of ${program.receivedPerPeriod} gifts already received this ${program.period.unit}`,
    );
  if (program.claimedEver !== null && facts.claimedEver >= program.claimedEver)
    return fail("cap_exceeded", `${facts.claimedEver} of ${program.claimedEver} gifts already claimed`);
  return {
    ok: true,
    segment,
    reviewReason: sharedSignal(facts.senderSignals, facts.recipientSignals),
    lotExpiresAtMs:
      program.creditsExpireAfterSeconds === null ? null : nowMs + program.creditsExpireAfterSeconds * 1000,
    lotPriority: program.creditsPriority,
  };
}

/** The sender and the claimer share a device or an address: one person with two accounts, perhaps. */
function sharedSignal(sender: Signals | null, recipient: Signals | null): string | null {
  if (sender === null || recipient === null) return null;
  if (sender.device !== undefined && sender.device === recipient.device)
    return "the claimer shares the sender's device fingerprint";
  if (sender.address !== undefined && sender.address === recipient.address)
    return "the claimer shares the sender's address hash";
  return null;
}
