/**
 * What a customer may do right now on the "Invite a friend" and Gifts pages: the referral programs
 * they can invite in (with the rewards and the invites left), and the gifting programs they can send
 * under (with the bounds of one gift and what is left this period), so a form can validate before it
 * sends. Openness and eligibility come from the same decisions the writes make, so the page never
 * offers what the write would refuse for those reasons.
 */
import type { Clock } from "../core/clock.js";
import { type Outcome, ok } from "../core/errors.js";
import { type GiftProgram, type RecipientRule, readGiftProgram } from "../core/gift-program.js";
import { decideSend } from "../core/gifts.js";
import type { JsonValue } from "../core/json-lines.js";
import {
  type InviteeRule,
  type ReferralProgram,
  readReferralProgram,
  writeReferralProgram,
} from "../core/referral-program.js";
import { decideInvite, invitePeriodStartMs } from "../core/referrals.js";
import { lockParty, type PartyRow } from "../store/gifts-repo.js";
import { inviteCounts, type ReferralRecord, type RewardRecord } from "../store/referrals-repo.js";
import type { Store } from "../store/store.js";
import type { CustomerGifts, Gifts } from "./gifts.js";
import type { InviteView, Referrals } from "./referrals.js";

export interface ReferralOffer {
  readonly programId: string;
  /** When the program's window closes; null when no end is set. */
  readonly endsAtMs: number | null;
  /** Each side's reward as the program states it (the invite landing page shows the same). */
  readonly rewards: { readonly referrer: JsonValue; readonly invitee: JsonValue };
  readonly invitees: InviteeRule;
  readonly invitesPerReferrer: number | null;
  readonly invitesPerPeriod: number | null;
  readonly invitesUsed: number;
  /** What both caps still allow; null when the program has neither. */
  readonly invitesLeft: number | null;
}

export interface GiftOffer {
  readonly programId: string;
  readonly giftMinMinor: bigint;
  readonly giftMaxMinor: bigint;
  /** The platform's allowance left this period (0 for a program funded by gift balances only). */
  readonly allowanceLeftMinor: bigint;
  /** Gifts the period's cap still allows; null when there is no cap. */
  readonly giftsLeft: number | null;
  readonly periodEndsAtMs: number;
  readonly recipients: RecipientRule;
  readonly claimWindowSeconds: number;
}

export interface CustomerReferralsView {
  readonly invites: readonly InviteView[];
  readonly referrals: readonly ReferralRecord[];
  readonly rewards: readonly RewardRecord[];
  readonly offers: readonly ReferralOffer[];
}

export type CustomerGiftsView = CustomerGifts & { readonly offers: readonly GiftOffer[] };

export class Offers {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly gifts: Gifts,
    private readonly referrals: Referrals,
  ) {}

  /** The customer's invites, referrals and rewards, and the programs they may invite in now. */
  async customerReferrals(customerId: string): Promise<Outcome<CustomerReferralsView>> {
    const page = await this.referrals.ofCustomer(customerId);
    if (!page.ok) return page;
    const party = await lockParty(this.store, customerId, "read");
    const offers = party === null ? [] : await this.referralOffers(party);
    return ok({ ...page.value, offers });
  }

  /** The customer's Gifts page, and the gifting programs they may send under now. */
  async customerGifts(customerId: string, limit?: number): Promise<Outcome<CustomerGiftsView>> {
    const page = await this.gifts.ofCustomer(customerId, limit);
    if (!page.ok) return page;
    const party = await lockParty(this.store, customerId, "read");
    const offers = party === null ? [] : await this.giftOffers(party, page.value);
    return ok({ ...page.value, offers });
  }

  private async referralOffers(party: PartyRow): Promise<ReferralOffer[]> {
    const nowMs = this.clock.nowMs();
    const offers: ReferralOffer[] = [];
    for (const view of await this.referrals.listPrograms()) {
      const program = readReferralProgram(view.id, view.version, view.spec);
      // With no invites counted, only a closed program or a referrer outside the audience is refused.
      if (!decideInvite(program, party, { ever: 0, thisPeriod: 0 }, nowMs).ok) continue;
      const counts = await inviteCounts(
        this.store,
        program.id,
        party.id,
        invitePeriodStartMs(program, nowMs),
      );
      offers.push(referralOffer(program, counts));
    }
    return offers;
  }

  private async giftOffers(party: PartyRow, page: CustomerGifts): Promise<GiftOffer[]> {
    const nowMs = this.clock.nowMs();
    const offers: GiftOffer[] = [];
    for (const view of await this.gifts.listPrograms()) {
      const program = readGiftProgram(view.id, view.version, view.spec);
      const allowance = page.allowances.find((line) => line.programId === program.id);
      if (allowance === undefined || !maySendUnder(program, party, nowMs)) continue;
      const sentLeft = program.sentPerPeriod === null ? null : program.sentPerPeriod - allowance.sentCount;
      offers.push({
        programId: program.id,
        giftMinMinor: program.giftMinMinor,
        giftMaxMinor: program.giftMaxMinor,
        allowanceLeftMinor: allowance.leftMinor,
        giftsLeft: sentLeft === null ? null : Math.max(0, sentLeft),
        periodEndsAtMs: allowance.periodEndsAtMs,
        recipients: program.recipients,
        claimWindowSeconds: program.claimWindowSeconds,
      });
    }
    return offers;
  }
}

function referralOffer(
  program: ReferralProgram,
  counts: { ever: number; thisPeriod: number },
): ReferralOffer {
  const caps = [
    program.invitesPerReferrer === null ? null : program.invitesPerReferrer - counts.ever,
    program.invitesPerPeriod === null ? null : program.invitesPerPeriod - counts.thisPeriod,
  ].filter((left): left is number => left !== null);
  const written = writeReferralProgram(program).rewards as { referrer: JsonValue; invitee: JsonValue };
  return {
    programId: program.id,
    endsAtMs: program.closesAtMs,
    rewards: { referrer: written.referrer, invitee: written.invitee },
    invitees: program.invitees,
    invitesPerReferrer: program.invitesPerReferrer,
    invitesPerPeriod: program.invitesPerPeriod,
    invitesUsed: counts.ever,
    invitesLeft: caps.length === 0 ? null : Math.max(0, Math.min(...caps)),
  };
}

/**
 * Whether the program is open to the sender and the sender is among its senders. The smallest gift,
 * from a gift balance that covers it, with nothing sent yet, is refused for nothing else.
 */
function maySendUnder(program: GiftProgram, sender: PartyRow, nowMs: number): boolean {
  return decideSend({
    program,
    sender,
    source: "gift_balance",
    amountMinor: program.giftMinMinor,
    usedMinor: 0n,
    sentCount: 0,
    giftBalanceMinor: program.giftMinMinor,
    nowMs,
  }).ok;
}
