/**
 * A referral program's offer in words, for the inviter and for the invited friend: every combination
 * of a reset, credits or nothing on each side against a table of the sentences, credits at every
 * display scale, and how long rewards last for every duration the API writes.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatDuration } from "../../src/core/plan-spec.js";
import { DISPLAY_SCALE_MAX, formatCredits } from "../../src/web/lib/format.js";
import {
  describeReward,
  describeValidity,
  landingSentence,
  offerSentence,
  type RewardTerms,
  validitySentence,
} from "../../src/web/widgets/offer.js";

const reset = (expiresAfter: string | null = "30d"): RewardTerms => ({ type: "reset", expiresAfter });
const credits = (amount: number, expiresAfter: string | null = null): RewardTerms => ({
  type: "credits",
  amount,
  expiresAfter,
});

const scales = fc.integer({ min: 0, max: DISPLAY_SCALE_MAX });
/** One side's reward as the API may state it: nothing (null or left out), a reset, or credits. */
const sides: fc.Arbitrary<RewardTerms | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constantFrom("7d", "30d", null).map((after) => reset(after)),
  fc.integer({ min: 1, max: 1_000_000 }).map((amount) => credits(amount)),
);

/** What one side gets, in words, written from the terms without the widget's helper. */
function wordsOf(terms: RewardTerms | undefined, scale: number): string | null {
  if (terms === undefined || terms === null) return null;
  if (terms.type === "reset") return "a rate-limit reset";
  const amount = terms.amount ?? 0;
  return `${formatCredits(amount, scale)} ${amount === 10 ** scale ? "credit" : "credits"}`;
}

describe("describeReward", () => {
  it("names a reset, an amount of credits at the display scale, or nothing", () => {
    expect(describeReward(undefined, 0)).toBeNull();
    expect(describeReward(null, 0)).toBeNull();
    expect(describeReward(reset(), 2)).toBe("a rate-limit reset");
    expect(describeReward({ type: "reset", windows: ["5h"], expiresAfter: null }, 0)).toBe(
      "a rate-limit reset",
    );
    expect(describeReward(credits(50), 0)).toBe("50 credits");
    expect(describeReward(credits(1), 0)).toBe("1 credit");
    expect(describeReward(credits(100), 2)).toBe("1.00 credit");
    expect(describeReward(credits(1250), 2)).toBe("12.50 credits");
    expect(describeReward(credits(1_234_567), 3)).toBe("1,234.567 credits");
  });

  it("writes credits with the same digits as everywhere else on the pages", () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), scales, (amount, scale) => {
        const word = amount === 10 ** scale ? "credit" : "credits";
        expect(describeReward(credits(amount), scale)).toBe(`${formatCredits(amount, scale)} ${word}`);
      }),
    );
  });
});

describe("offerSentence", () => {
  it("reads as the inviter should, for every pair of sides", () => {
    const fifty = credits(50);
    const twenty = credits(20);
    const table: readonly [RewardTerms | undefined, RewardTerms | undefined, string][] = [
      [reset(), reset(), "You and your friend each get a rate-limit reset"],
      [reset("7d"), reset("30d"), "You and your friend each get a rate-limit reset"],
      [fifty, credits(50), "You and your friend each get 50 credits"],
      [fifty, twenty, "You get 50 credits; your friend gets 20 credits"],
      [fifty, reset(), "You get 50 credits; your friend gets a rate-limit reset"],
      [reset(), twenty, "You get a rate-limit reset; your friend gets 20 credits"],
      [reset(), null, "You get a rate-limit reset"],
      [fifty, undefined, "You get 50 credits"],
      [null, reset(), "Your friend gets a rate-limit reset"],
      [undefined, twenty, "Your friend gets 20 credits"],
      [null, null, "Invite your friends"],
      [undefined, undefined, "Invite your friends"],
    ];
    for (const [referrer, invitee, sentence] of table) {
      expect(offerSentence({ referrer, invitee }, 0)).toBe(sentence);
    }
    expect(offerSentence({}, 0)).toBe("Invite your friends");
  });

  it("agrees with the table's rule for any rewards at any scale", () => {
    fc.assert(
      fc.property(sides, sides, scales, (referrer, invitee, scale) => {
        const mine = wordsOf(referrer, scale);
        const theirs = wordsOf(invitee, scale);
        const sentence = offerSentence({ referrer, invitee }, scale);
        if (mine === null && theirs === null) expect(sentence).toBe("Invite your friends");
        else if (mine === theirs) expect(sentence).toBe(`You and your friend each get ${mine}`);
        else if (theirs === null) expect(sentence).toBe(`You get ${mine}`);
        else if (mine === null) expect(sentence).toBe(`Your friend gets ${theirs}`);
        else expect(sentence).toBe(`You get ${mine}; your friend gets ${theirs}`);
      }),
    );
  });

  it("writes credits at the configured scale", () => {
    expect(offerSentence({ referrer: credits(1250), invitee: credits(500) }, 2)).toBe(
      "You get 12.50 credits; your friend gets 5.00 credits",
    );
  });
});

describe("landingSentence", () => {
  it("reads as the invited friend should, with the inviter's name or 'A friend'", () => {
    expect(landingSentence("Grace", { referrer: reset(), invitee: reset() }, 0)).toBe(
      "Grace invited you: you each get a rate-limit reset",
    );
    expect(landingSentence(null, { referrer: credits(50), invitee: reset() }, 0)).toBe(
      "A friend invited you: you get a rate-limit reset",
    );
    expect(landingSentence("Ada", { referrer: reset(), invitee: credits(1250) }, 2)).toBe(
      "Ada invited you: you get 12.50 credits",
    );
    expect(landingSentence("Ada", { referrer: reset(), invitee: null }, 0)).toBe("Ada invited you");
    expect(landingSentence(null, {}, 0)).toBe("A friend invited you");
  });

  it("tells the friend only what they get, for any rewards", () => {
    fc.assert(
      fc.property(
        fc.option(fc.string({ minLength: 1 })),
        sides,
        sides,
        scales,
        (name, referrer, invitee, scale) => {
          const who = name ?? "A friend";
          const mine = wordsOf(referrer, scale);
          const theirs = wordsOf(invitee, scale);
          const sentence = landingSentence(name, { referrer, invitee }, scale);
          if (theirs === null) expect(sentence).toBe(`${who} invited you`);
          else if (theirs === mine) expect(sentence).toBe(`${who} invited you: you each get ${theirs}`);
          else expect(sentence).toBe(`${who} invited you: you get ${theirs}`);
        },
      ),
    );
  });
});

describe("describeValidity", () => {
  it("says nothing for rewards that never expire", () => {
    expect(describeValidity(null)).toBeNull();
    expect(describeValidity(undefined)).toBeNull();
  });

  it("reads every duration the API writes in whole units, singular for one", () => {
    const words = { s: ["second", 1], m: ["minute", 60], h: ["hour", 3600], d: ["day", 86_400] } as const;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_999_999 }), (seconds) => {
        const written = formatDuration(seconds);
        const match = /^valid for (\d+) (second|minute|hour|day)(s?)$/.exec(describeValidity(written) ?? "");
        expect(match, written).not.toBeNull();
        const count = Number(match?.[1]);
        const unit = Object.values(words).find(([word]) => word === match?.[2]);
        expect(count * (unit?.[1] ?? 0)).toBe(seconds);
        expect(match?.[3]).toBe(count === 1 ? "" : "s");
      }),
    );
  });

  it("writes the examples and weeks, and passes an unknown form through", () => {
    expect(describeValidity("30d")).toBe("valid for 30 days");
    expect(describeValidity("1d")).toBe("valid for 1 day");
    expect(describeValidity("12h")).toBe("valid for 12 hours");
    expect(describeValidity("1h")).toBe("valid for 1 hour");
    expect(describeValidity("90m")).toBe("valid for 90 minutes");
    expect(describeValidity("45s")).toBe("valid for 45 seconds");
    expect(describeValidity("2w")).toBe("valid for 2 weeks");
    expect(describeValidity("1w")).toBe("valid for 1 week");
    expect(describeValidity("P1M")).toBe("valid for P1M");
  });
});

describe("validitySentence", () => {
  it("says once how long rewards last when both sides' last the same", () => {
    expect(validitySentence({ referrer: reset("30d"), invitee: reset("30d") })).toBe(
      "Rewards are valid for 30 days.",
    );
    expect(validitySentence({ referrer: credits(50, "7d"), invitee: reset("7d") })).toBe(
      "Rewards are valid for 7 days.",
    );
    expect(validitySentence({ referrer: reset("1d"), invitee: null })).toBe("Rewards are valid for 1 day.");
    expect(validitySentence({ invitee: reset("12h") })).toBe("Rewards are valid for 12 hours.");
  });

  it("says each side's own when they differ, including a reward that never expires", () => {
    expect(validitySentence({ referrer: reset("30d"), invitee: reset("7d") })).toBe(
      "Your reward is valid for 30 days; your friend's is valid for 7 days.",
    );
    expect(validitySentence({ referrer: credits(50, null), invitee: reset("30d") })).toBe(
      "Your reward never expires; your friend's is valid for 30 days.",
    );
    expect(validitySentence({ referrer: reset("30d"), invitee: credits(50, null) })).toBe(
      "Your reward is valid for 30 days; your friend's never expires.",
    );
  });

  it("says nothing when no reward expires or there is none", () => {
    expect(validitySentence({ referrer: credits(50, null), invitee: credits(50, null) })).toBe("");
    expect(validitySentence({ referrer: null, invitee: credits(50, null) })).toBe("");
    expect(validitySentence({})).toBe("");
  });

  it("never claims a limit for a side whose reward does not expire", () => {
    fc.assert(
      fc.property(sides, sides, (referrer, invitee) => {
        const sentence = validitySentence({ referrer, invitee });
        const lasts = [referrer, invitee]
          .filter((terms): terms is NonNullable<RewardTerms> => terms !== null && terms !== undefined)
          .map((terms) => terms.expiresAfter);
        if (lasts.every((after) => after === null)) expect(sentence).toBe("");
        else if (lasts.includes(null)) expect(sentence).toContain("never expires");
        else if (new Set(lasts).size === 1) expect(sentence).toMatch(/^Rewards are valid for /);
        else expect(sentence).toMatch(/^Your reward is valid for .*; your friend's is valid for /);
      }),
    );
  });
});
