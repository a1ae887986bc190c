/**
 * A referral program's offer in plain words, from its reward terms: "You and your friend each get a
 * rate-limit reset", "You get 50 credits; your friend gets a rate-limit reset".
 */
import type { Schema } from "../../../sdk/client.js";
import { creditsWord, formatCredits } from "../lib/format.js";

export type RewardTerms = Schema<"ReferralRewardTerms">;

/** One side's reward: "a rate-limit reset", "50 credits", or null for none. */
export function describeReward(terms: RewardTerms | undefined, scale: number): string | null {
  if (terms === null || terms === undefined) return null;
  if (terms.type === "reset") return "a rate-limit reset";
  return `${formatCredits(terms.amount ?? 0, scale)} ${creditsWord(terms.amount ?? 0, scale)}`;
}

/** How long a reward lasts once granted: "valid for 30 days"; null when it does not expire. */
export function describeValidity(expiresAfter: string | null | undefined): string | null {
  if (expiresAfter === null || expiresAfter === undefined) return null;
  const match = /^(\d+)([smhdw])$/.exec(expiresAfter);
  if (match === null) return `valid for ${expiresAfter}`;
  const count = Number(match[1]);
  const unit = { s: "second", m: "minute", h: "hour", d: "day", w: "week" }[
    match[2] as "s" | "m" | "h" | "d" | "w"
  ];
  return `valid for ${count} ${unit}${count === 1 ? "" : "s"}`;
}

/**
 * How long the rewards last, as a sentence after the offer: "Rewards are valid for 30 days." when
 * both sides' rewards last the same, each side's own when they differ (one side's credits may never
 * expire while the other's reset does), and nothing when no reward expires.
 */
export function validitySentence(rewards: {
  readonly referrer?: RewardTerms | undefined;
  readonly invitee?: RewardTerms | undefined;
}): string {
  const mine = rewards.referrer ?? null;
  const theirs = rewards.invitee ?? null;
  if (mine === null && theirs === null) return "";
  const mineLasts = mine === null ? null : describeValidity(mine.expiresAfter);
  const theirsLasts = theirs === null ? null : describeValidity(theirs.expiresAfter);
  if (mine === null || theirs === null || mineLasts === theirsLasts) {
    const lasts = mineLasts ?? theirsLasts;
    return lasts === null ? "" : `Rewards are ${lasts}.`;
  }
  return `Your reward ${mineLasts === null ? "never expires" : `is ${mineLasts}`}; your friend's ${
    theirsLasts === null ? "never expires" : `is ${theirsLasts}`
  }.`;
}

/** The whole offer, as the inviter reads it. */
export function offerSentence(
  rewards: { readonly referrer?: RewardTerms | undefined; readonly invitee?: RewardTerms | undefined },
  scale: number,
): string {
  const mine = describeReward(rewards.referrer, scale);
  const theirs = describeReward(rewards.invitee, scale);
  if (mine !== null && mine === theirs) return `You and your friend each get ${mine}`;
  if (mine !== null && theirs !== null) return `You get ${mine}; your friend gets ${theirs}`;
  if (mine !== null) return `You get ${mine}`;
  if (theirs !== null) return `Your friend gets ${theirs}`;
  return "Invite your friends";
}

/** The same offer as the invited friend reads it on the landing page. */
export function landingSentence(
  referrerName: string | null,
  rewards: { readonly referrer?: RewardTerms | undefined; readonly invitee?: RewardTerms | undefined },
  scale: number,
): string {
  const who = referrerName ?? "A friend";
  const theirs = describeReward(rewards.invitee, scale);
  const mine = describeReward(rewards.referrer, scale);
  if (theirs !== null && theirs === mine) return `${who} invited you: you each get ${theirs}`;
  if (theirs !== null) return `${who} invited you: you get ${theirs}`;
  return `${who} invited you`;
}
