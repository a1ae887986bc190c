import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { currencyDigits, formatMoney } from "../../src/web/lib/money.js";

describe("formatMoney", () => {
  it("writes minor units with the currency's own decimals and symbol", () => {
    expect(formatMoney(1000, "usd")).toBe("$10.00");
    expect(formatMoney(4000n, "USD")).toBe("$40.00");
    expect(formatMoney(5, "usd")).toBe("$0.05");
    expect(formatMoney(500, "jpy")).toBe("¥500");
    expect(formatMoney(1234, "kwd").replace(/\s/g, " ")).toBe("KWD 1.234");
    expect(formatMoney(-250, "eur")).toBe("-€2.50");
    expect(currencyDigits("usd")).toBe(2);
    expect(currencyDigits("jpy")).toBe(0);
  });

  it("never rounds: every digit of any amount, however large, is on the page", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), (minor) => {
        const digitsOnly = formatMoney(minor, "usd")
          .replace(/[^0-9]/g, "")
          .replace(/^0+(?=\d)/, "");
        expect(digitsOnly).toBe(
          minor
            .toString()
            .padStart(3, "0")
            .replace(/^0+(?=\d)/, ""),
        );
      }),
    );
  });
});
