/**
 * The bundle form's model against the API's own reader of bundle terms: what the form builds
 * `readBundle` accepts, what it refuses is refused at the same bounds and on the field the API
 * names, credits are typed at the display scale and prices in the currency's own decimals, and a
 * stored bundle read into the form and saved back is unchanged.
 */
import { describe, expect, it } from "vitest";
import {
  BUNDLE_CREDITS_MINOR_MAX,
  BUNDLE_PRICE_MINOR_MAX,
  PURCHASED_EXPIRY_SECONDS_MIN,
  readBundle,
  writeBundle,
} from "../../src/core/bundles.js";
import type { JsonValue } from "../../src/core/json-lines.js";
import {
  type BundleValues,
  buildBundleRequest,
  defaultBundleValues,
  fieldOfBundleMessage,
  parsePrice,
  priceText,
  valuesFromBundle,
} from "../../src/web/console/bundle-form-model.js";

const SCALE = 2;

function pack(changes: Partial<BundleValues> = {}): BundleValues {
  return { ...defaultBundleValues(), id: "team", name: "Team pack", credits: "50", price: "40", ...changes };
}

function built(values: BundleValues, scale = SCALE) {
  const result = buildBundleRequest(values, scale);
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.errors)}`);
  return result;
}

function errorsOf(values: BundleValues, scale = SCALE) {
  const result = buildBundleRequest(values, scale);
  if (result.ok) throw new Error(`accepted: ${JSON.stringify(result.terms)}`);
  return result.errors;
}

function apiAccepts(terms: object): boolean {
  try {
    readBundle("team", 1, terms as JsonValue);
    return true;
  } catch {
    return false;
  }
}

describe("a bundle's form", () => {
  it("builds terms the API reads: credits at the display scale, the price in cents", () => {
    const request = built(pack({ credits: "5,000.50", price: "40.5", giftable: "yes" }));
    expect(request.id).toBe("team");
    expect(request.terms).toEqual({
      name: "Team pack",
      credits: 500_050,
      bonusCredits: 0,
      bonusPriority: 10,
      price: 4050,
      currency: "usd",
      giftable: true,
      status: "active",
    });
    const bundle = readBundle(request.id, 1, request.terms as unknown as JsonValue);
    expect(bundle.creditsMinor).toBe(500_050n);
    expect(bundle.priceMinor).toBe(4050n);
  });

  it("requires the id, name, credits and price, and says so on each field", () => {
    const errors = errorsOf({ ...defaultBundleValues() });
    expect(Object.keys(errors).sort()).toEqual(["credits", "id", "name", "price"]);
    expect(errors.price).toBe("Required");
  });

  it("refuses a badly formed id, as the API's id pattern does", () => {
    expect(errorsOf(pack({ id: "Team Pack" })).id).toMatch(/a-z, 0-9/);
    expect(errorsOf(pack({ id: "x".repeat(65) })).id).toBeDefined();
    expect(built(pack({ id: "x".repeat(64) })).id).toHaveLength(64);
  });

  it("keeps credits within the API's bounds: at least one minor unit, at most its ceiling", () => {
    expect(errorsOf(pack({ credits: "0" })).credits).toBe("Enter at least 0.01");
    expect(built(pack({ credits: "0.01" })).terms.credits).toBe(1);
    const max = Number(BUNDLE_CREDITS_MINOR_MAX);
    expect(built(pack({ credits: String(max / 100) })).terms.credits).toBe(max);
    expect(errorsOf(pack({ credits: String(max / 100 + 1) })).credits).toMatch(/at most/);
    expect(apiAccepts({ name: "x", credits: max + 1, price: 1, currency: "usd" })).toBe(false);
    expect(errorsOf(pack({ credits: "1.005" })).credits).toBe("At most 2 decimal places");
  });

  it("reads credits at a display scale of 0 as whole credits", () => {
    expect(built(pack({ credits: "1000" }), 0).terms.credits).toBe(1000);
    expect(errorsOf(pack({ credits: "10.5" }), 0).credits).toBe("Whole credits only");
  });

  it("requires a bonus expiry with a bonus, as the API does (bonus credits expire)", () => {
    expect(errorsOf(pack({ bonusCredits: "5" })).bonusExpiresAfter).toMatch(/Required with bonus credits/);
    expect(apiAccepts({ name: "x", credits: 1, bonusCredits: 500, price: 1, currency: "usd" })).toBe(false);
    const request = built(pack({ bonusCredits: "5", bonusExpiresAfter: "90d" }));
    expect(request.terms).toMatchObject({ bonusCredits: 500, bonusExpiresAfter: "90d" });
    expect(errorsOf(pack({ bonusCredits: "5", bonusExpiresAfter: "3651d" })).bonusExpiresAfter).toBe(
      "At most 3650d",
    );
    expect(errorsOf(pack({ bonusCredits: "5", bonusExpiresAfter: "3 months" })).bonusExpiresAfter).toMatch(
      /duration/,
    );
  });

  it("keeps the bonus priority within the burn-down bounds", () => {
    expect(built(pack({ bonusPriority: "0" })).terms.bonusPriority).toBe(0);
    expect(errorsOf(pack({ bonusPriority: "1001" })).bonusPriority).toBe(
      "Enter a whole number from 0 to 1000",
    );
    expect(built(pack({ bonusPriority: "" })).terms.bonusPriority).toBeUndefined();
  });

  it("never lets purchased credits expire sooner than five years (1827 days)", () => {
    const days = PURCHASED_EXPIRY_SECONDS_MIN / 86_400;
    expect(days).toBe(1827);
    expect(errorsOf(pack({ purchasedExpiresAfter: "1826d" })).purchasedExpiresAfter).toMatch(
      /At least 1827d \(five years/,
    );
    expect(errorsOf(pack({ purchasedExpiresAfter: "43824h" })).purchasedExpiresAfter).toMatch(
      /At least 1827d/,
    );
    expect(built(pack({ purchasedExpiresAfter: "1827d" })).terms.purchasedExpiresAfter).toBe("1827d");
    expect(built(pack({ purchasedExpiresAfter: "" })).terms.purchasedExpiresAfter).toBeUndefined();
    expect(
      apiAccepts({ name: "x", credits: 1, price: 1, currency: "usd", purchasedExpiresAfter: "1826d" }),
    ).toBe(false);
  });

  it("reads a currency in upper case as the API's lower case, and refuses anything else", () => {
    expect(built(pack({ currency: "EUR" })).terms.currency).toBe("eur");
    expect(errorsOf(pack({ currency: "euro" })).currency).toMatch(/ISO 4217/);
  });

  it("places a name the API refuses on the name field", () => {
    expect(errorsOf(pack({ name: "   " })).name).toBe("Required");
    expect(errorsOf(pack({ name: "x".repeat(101) })).name).toBe("At most 100 characters");
    expect(errorsOf(pack({ name: "tab\there" })).name).toMatch(/no control characters/);
  });
});

describe("a price in the currency's own decimals", () => {
  it("reads usd in cents, jpy in whole yen and kwd in fils", () => {
    expect(parsePrice("40", "usd")).toEqual({ ok: true, value: 4000 });
    expect(parsePrice("40.5", "usd")).toEqual({ ok: true, value: 4050 });
    expect(parsePrice("1,000.00", "usd")).toEqual({ ok: true, value: 100_000 });
    expect(parsePrice("500", "jpy")).toEqual({ ok: true, value: 500 });
    expect(parsePrice("1.234", "kwd")).toEqual({ ok: true, value: 1234 });
  });

  it("refuses more decimals than the currency has, and says how many it has", () => {
    expect(parsePrice("40.005", "usd")).toEqual({ ok: false, message: "USD has 2 decimal places at most" });
    expect(parsePrice("500.5", "jpy")).toEqual({
      ok: false,
      message: "JPY has no smaller unit: enter a whole amount",
    });
    expect(parsePrice("forty", "usd").ok).toBe(false);
    expect(parsePrice("-4", "usd").ok).toBe(false);
  });

  it("keeps the price from one minor unit to the provider's ceiling", () => {
    expect(parsePrice("0", "usd")).toEqual({ ok: false, message: "Enter at least 0.01" });
    expect(parsePrice("0.01", "usd")).toEqual({ ok: true, value: 1 });
    expect(parsePrice("999999.99", "usd")).toEqual({ ok: true, value: Number(BUNDLE_PRICE_MINOR_MAX) });
    expect(parsePrice("1000000", "usd").ok).toBe(false);
    expect(
      apiAccepts({ name: "x", credits: 1, price: Number(BUNDLE_PRICE_MINOR_MAX) + 1, currency: "usd" }),
    ).toBe(false);
  });

  it("is written back in the same decimals", () => {
    expect(priceText(4000, "usd")).toBe("40.00");
    expect(priceText(5, "usd")).toBe("0.05");
    expect(priceText(500, "jpy")).toBe("500");
  });

  it("waits for a valid currency before judging the price", () => {
    const errors = errorsOf(pack({ currency: "", price: "40.005" }));
    expect(errors).toEqual({ currency: "Required" });
  });
});

describe("a stored bundle in the form", () => {
  it("reads back into the same terms", () => {
    const stored = writeBundle(
      readBundle("team", 3, {
        name: "Team pack",
        credits: 500_000,
        bonusCredits: 50_000,
        bonusExpiresAfter: "90d",
        price: 4000,
        currency: "usd",
        giftable: true,
        purchasedExpiresAfter: "1827d",
      }),
    );
    const values = valuesFromBundle(
      { ...(stored as unknown as Parameters<typeof valuesFromBundle>[0]), id: "team" },
      SCALE,
    );
    expect(values).toMatchObject({
      credits: "5,000.00",
      bonusCredits: "500.00",
      price: "40.00",
      giftable: "yes",
    });
    const request = built(values);
    expect(writeBundle(readBundle("team", 3, request.terms as unknown as JsonValue))).toEqual(stored);
  });
});

describe("the API's refusal of a bundle", () => {
  it("lands on the field its message names", () => {
    expect(fieldOfBundleMessage("bundle team: price: must be a whole number from 1 to 99999999")).toEqual({
      field: "price",
      problem: "must be a whole number from 1 to 99999999",
    });
    expect(fieldOfBundleMessage("idempotency key reused with another body")).toEqual({
      field: "form",
      problem: "idempotency key reused with another body",
    });
  });
});
