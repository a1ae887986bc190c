/**
 * Bundle specs: any valid bundle round-trips through its written form (a property), and each broken
 * spec is refused with the path of its problem. Also the pure purchase rules: completion, the credits
 * a refund answers for, and taking them back in order from holdings, against small models.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BUNDLE_CREDITS_MINOR_MAX,
  BUNDLE_PRICE_MINOR_MAX,
  type Bundle,
  readBundle,
  writeBundle,
} from "../../src/core/bundles.js";
import type { JsonValue } from "../../src/core/json-lines.js";
import { PlanSpecError } from "../../src/core/plan-spec.js";
import {
  creditsToTakeBack,
  decideCompletion,
  decideEnd,
  PURCHASE_STATES,
  planRestore,
  planTakeBack,
} from "../../src/core/purchases.js";

const VALID = {
  name: "Team",
  credits: 5000,
  bonusCredits: 500,
  bonusExpiresAfter: "90d",
  bonusPriority: 5,
  price: 4000,
  currency: "usd",
  giftable: true,
};

const bundleArbitrary: fc.Arbitrary<Bundle> = fc
  .record({
    name: fc
      .string({ minLength: 1, maxLength: 100 })
      .filter((s) => s.trim() !== "" && ![...s].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127)),
    creditsMinor: fc.bigInt(1n, BUNDLE_CREDITS_MINOR_MAX),
    bonusCreditsMinor: fc.oneof(fc.constant(0n), fc.bigInt(1n, BUNDLE_CREDITS_MINOR_MAX)),
    bonusDays: fc.integer({ min: 1, max: 3650 }),
    bonusPriority: fc.integer({ min: 0, max: 1000 }),
    priceMinor: fc.bigInt(1n, BUNDLE_PRICE_MINOR_MAX),
    currency: fc.constantFrom("usd", "eur", "jpy", "gbp"),
    giftable: fc.boolean(),
    status: fc.constantFrom("active" as const, "retired" as const),
    purchasedDays: fc.option(fc.integer({ min: 1827, max: 36_600 }), { nil: null }),
  })
  .map((draw) => ({
    id: "pack",
    version: 1,
    name: draw.name,
    creditsMinor: draw.creditsMinor,
    bonusCreditsMinor: draw.bonusCreditsMinor,
    bonusExpiresAfterSeconds: draw.bonusCreditsMinor === 0n ? null : draw.bonusDays * 86_400,
    bonusPriority: draw.bonusPriority,
    priceMinor: draw.priceMinor,
    currency: draw.currency,
    giftable: draw.giftable,
    status: draw.status,
    purchasedExpiresAfterSeconds: draw.purchasedDays === null ? null : draw.purchasedDays * 86_400,
  }));

describe("bundle specs", () => {
  it("round-trip through their written form", () => {
    fc.assert(
      fc.property(bundleArbitrary, (bundle) => {
        const written = writeBundle(bundle);
        const text = JSON.parse(JSON.stringify(written)) as JsonValue;
        expect(readBundle("pack", 1, text)).toEqual(bundle);
        expect(writeBundle(readBundle("pack", 1, text))).toEqual(written);
      }),
    );
  });

  it("fills in the defaults: no bonus, priority 10, not giftable, active, purchased never expire", () => {
    expect(
      readBundle("starter", 1, { name: "Starter", credits: 1000, price: 1000, currency: "usd" }),
    ).toEqual({
      id: "starter",
      version: 1,
      name: "Starter",
      creditsMinor: 1000n,
      bonusCreditsMinor: 0n,
      bonusExpiresAfterSeconds: null,
      bonusPriority: 10,
      priceMinor: 1000n,
      currency: "usd",
      giftable: false,
      status: "active",
      purchasedExpiresAfterSeconds: null,
    });
  });

  const BROKEN: readonly [string, unknown, string, string][] = [
    ["not an object", [], "", "must be an object"],
    ["null", null, "", "must be an object"],
    ["an unknown field", { ...VALID, colour: "red" }, "colour", "is not a known field"],
    ["no name", { ...VALID, name: undefined }, "name", "must be text"],
    ["an empty name", { ...VALID, name: "  " }, "name", "must be text"],
    ["a long name", { ...VALID, name: "x".repeat(101) }, "name", "must be text of 1 to 100"],
    ["a name with a newline", { ...VALID, name: "a\nb" }, "name", "no control characters"],
    ["a numeric name", { ...VALID, name: 5 }, "name", "must be text"],
    ["no credits", { ...VALID, credits: undefined }, "credits", "whole number from 1"],
    ["zero credits", { ...VALID, credits: 0 }, "credits", "whole number from 1"],
    ["negative credits", { ...VALID, credits: -5 }, "credits", "whole number from 1"],
    ["fractional credits", { ...VALID, credits: 1.5 }, "credits", "whole number"],
    ["credits as text", { ...VALID, credits: "1000" }, "credits", "whole number"],
    ["too many credits", { ...VALID, credits: 1_000_000_001 }, "credits", "to 1000000000"],
    ["a negative bonus", { ...VALID, bonusCredits: -1 }, "bonusCredits", "whole number from 0"],
    [
      "a bonus without expiry",
      { ...VALID, bonusExpiresAfter: undefined },
      "bonusExpiresAfter",
      "is required",
    ],
    ["a bonus with a null expiry", { ...VALID, bonusExpiresAfter: null }, "bonusExpiresAfter", "is required"],
    [
      "a bonus expiry in weeks",
      { ...VALID, bonusExpiresAfter: "2w" },
      "bonusExpiresAfter",
      "must be a duration",
    ],
    [
      "a bonus expiry as a number",
      { ...VALID, bonusExpiresAfter: 90 },
      "bonusExpiresAfter",
      "must be a duration",
    ],
    [
      "a bonus expiry past ten years",
      { ...VALID, bonusExpiresAfter: "3651d" },
      "bonusExpiresAfter",
      "at most 3650d",
    ],
    ["a bonus priority too high", { ...VALID, bonusPriority: 1001 }, "bonusPriority", "from 0 to 1000"],
    ["a negative bonus priority", { ...VALID, bonusPriority: -1 }, "bonusPriority", "from 0 to 1000"],
    ["no price", { ...VALID, price: undefined }, "price", "whole number from 1"],
    ["a zero price", { ...VALID, price: 0 }, "price", "whole number from 1"],
    ["a price in decimals", { ...VALID, price: 40.5 }, "price", "whole number"],
    ["a price beyond Stripe's limit", { ...VALID, price: 100_000_000 }, "price", "to 99999999"],
    ["no currency", { ...VALID, currency: undefined }, "currency", "ISO 4217"],
    ["an upper-case currency", { ...VALID, currency: "USD" }, "currency", "ISO 4217"],
    ["a four-letter currency", { ...VALID, currency: "usdt" }, "currency", "ISO 4217"],
    ["a currency symbol", { ...VALID, currency: "$" }, "currency", "ISO 4217"],
    ["giftable as text", { ...VALID, giftable: "yes" }, "giftable", "true or false"],
    ["an unknown status", { ...VALID, status: "paused" }, "status", "one of active, retired"],
    [
      "purchased credits expiring in a year",
      { ...VALID, purchasedExpiresAfter: "365d" },
      "purchasedExpiresAfter",
      "at least 1827d",
    ],
    [
      "purchased credits expiring just short of five years",
      { ...VALID, purchasedExpiresAfter: "1826d" },
      "purchasedExpiresAfter",
      "five years",
    ],
    [
      "purchased expiry in hours",
      { ...VALID, purchasedExpiresAfter: "5h" },
      "purchasedExpiresAfter",
      "at least",
    ],
    [
      "a malformed purchased expiry",
      { ...VALID, purchasedExpiresAfter: "5y" },
      "purchasedExpiresAfter",
      "must be a duration",
    ],
  ];

  it("covers at least thirty broken specs, each named once", () => {
    expect(BROKEN.length).toBeGreaterThanOrEqual(30);
    expect(new Set(BROKEN.map(([name]) => name)).size).toBe(BROKEN.length);
  });

  for (const [name, spec, path, words] of BROKEN) {
    it(`refuses ${name}, naming ${path === "" ? "the spec" : path}`, () => {
      let caught: unknown;
      try {
        readBundle("team", 1, JSON.parse(JSON.stringify(spec ?? null)) as JsonValue);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(PlanSpecError);
      expect((caught as PlanSpecError).path).toBe(path);
      expect((caught as PlanSpecError).message).toContain(words);
    });
  }

  it("refuses a bad bundle id", () => {
    expect(() => readBundle("Team Pack", 1, VALID as JsonValue)).toThrow(/bundle id "Team Pack"/);
  });
});

describe("purchase rules", () => {
  it("grants only a paid, pending purchase whose amount and currency match exactly", () => {
    const pending = { state: "pending" as const, priceMinor: 1000n, currency: "usd" };
    expect(decideCompletion(pending, { paid: true, amountMinor: 1000n, currency: "usd" })).toEqual({
      kind: "grant",
    });
    expect(decideCompletion(pending, { paid: false, amountMinor: 1000n, currency: "usd" }).kind).toBe(
      "unpaid",
    );
    expect(decideCompletion(pending, { paid: true, amountMinor: 1001n, currency: "usd" }).kind).toBe(
      "review",
    );
    expect(decideCompletion(pending, { paid: true, amountMinor: 1000n, currency: "eur" }).kind).toBe(
      "review",
    );
    // A checkout that ended unpaid is still granted by a payment reported later.
    for (const state of ["expired", "failed"] as const)
      expect(
        decideCompletion({ ...pending, state }, { paid: true, amountMinor: 1000n, currency: "usd" }).kind,
      ).toBe("grant");
    for (const state of ["paid", "review", "refunded", "disputed"] as const)
      expect(
        decideCompletion({ ...pending, state }, { paid: true, amountMinor: 1000n, currency: "usd" }).kind,
      ).toBe("already_completed");
  });

  it("answers a refund with credits in proportion, rounded down, all of them when whole or disputed", () => {
    fc.assert(
      fc.property(
        fc.bigInt(1n, 10n ** 9n),
        fc.bigInt(1n, 10n ** 8n),
        fc.bigInt(0n, 2n * 10n ** 8n),
        (credits, price, refunded) => {
          const taken = creditsToTakeBack(credits, price, refunded, false);
          if (refunded >= price) expect(taken).toBe(credits);
          else {
            // taken / credits <= refunded / price < (taken + 1) / credits
            expect(taken * price <= refunded * credits).toBe(true);
            expect((taken + 1n) * price > refunded * credits).toBe(true);
          }
          expect(creditsToTakeBack(credits, price, refunded, true)).toBe(credits);
        },
      ),
    );
  });

  it("takes from holdings in order, never more than each has, and records the rest", () => {
    const holding = fc.record({ id: fc.string(), availableMinor: fc.bigInt(0n, 1000n) });
    fc.assert(
      fc.property(fc.bigInt(-5n, 3000n), fc.array(holding, { maxLength: 4 }), (amount, holdings) => {
        const plan = planTakeBack(amount, holdings);
        const wanted = amount > 0n ? amount : 0n;
        expect(plan.recoveredMinor + plan.unrecoveredMinor).toBe(wanted);
        let left = wanted;
        const expected = [];
        for (const h of holdings) {
          const take = h.availableMinor < left ? h.availableMinor : left;
          if (take > 0n) expected.push({ id: h.id, amountMinor: take });
          left -= take;
        }
        expect(plan.draws).toEqual(expected);
      }),
    );
  });

  it("ends only a pending checkout, as expired or failed", () => {
    for (const state of PURCHASE_STATES)
      for (const end of ["expired", "failed"] as const)
        expect(decideEnd(state, end)).toBe(state === "pending" ? end : null);
  });

  it("after a dispute won, forgives what was spent first, gives back the rest in order, and owes the refunds", () => {
    const holding = fc.record({ id: fc.string(), availableMinor: fc.bigInt(0n, 1000n) });
    fc.assert(
      fc.property(
        fc.bigInt(0n, 2000n),
        fc.bigInt(0n, 2000n),
        fc.bigInt(0n, 3000n),
        fc.array(holding, { maxLength: 3 }),
        (recoveredMinor, unrecoveredMinor, owedMinor, holdings) => {
          const plan = planRestore(owedMinor, { recoveredMinor, unrecoveredMinor }, holdings);
          const over = recoveredMinor + unrecoveredMinor - owedMinor;
          const excess = over > 0n ? over : 0n;
          expect(plan.forgivenMinor).toBe(excess < unrecoveredMinor ? excess : unrecoveredMinor);
          // What goes back plus what finds no holding is exactly the excess beyond what was forgiven.
          expect(plan.recoveredMinor + plan.unrecoveredMinor).toBe(excess - plan.forgivenMinor);
          expect(plan.draws).toEqual(planTakeBack(excess - plan.forgivenMinor, holdings).draws);
          // Never more back than the dispute took, and what stays owed is never below the refunds' share.
          expect(plan.recoveredMinor <= recoveredMinor).toBe(true);
          expect(
            recoveredMinor + unrecoveredMinor - plan.forgivenMinor - plan.recoveredMinor,
          ).toBeGreaterThanOrEqual(
            owedMinor < recoveredMinor + unrecoveredMinor ? owedMinor : recoveredMinor + unrecoveredMinor,
          );
        },
      ),
    );
  });
});
