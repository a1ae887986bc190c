import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AMOUNT_MINOR_MAX, minMinor, parseAmountMinor, sumMinor } from "../../src/core/units.js";

const validMinorArb = fc.bigInt({ min: 1n, max: AMOUNT_MINOR_MAX });

function expectRejected(input: unknown): void {
  const outcome = parseAmountMinor(input);
  expect(outcome.ok ? "accepted" : outcome.error.code).toBe("invalid_request");
}

describe("parseAmountMinor", () => {
  it("accepts every whole number from 1 to AMOUNT_MINOR_MAX as a bigint, a number or a string", () => {
    fc.assert(
      fc.property(validMinorArb, (value) => {
        // AMOUNT_MINOR_MAX is below 2^53, so every valid amount is also an exact number.
        for (const input of [value, Number(value), value.toString()])
          expect(parseAmountMinor(input)).toEqual({ ok: true, value });
      }),
      { numRuns: 500 },
    );
  });

  it("accepts the bounds themselves", () => {
    expect(parseAmountMinor(1)).toEqual({ ok: true, value: 1n });
    expect(parseAmountMinor(AMOUNT_MINOR_MAX)).toEqual({ ok: true, value: AMOUNT_MINOR_MAX });
    expect(parseAmountMinor(AMOUNT_MINOR_MAX.toString())).toEqual({ ok: true, value: AMOUNT_MINOR_MAX });
  });

  it("rejects zero in every form", () => {
    for (const zero of [0, -0, 0n, "0", "-0", "000"]) expectRejected(zero);
  });

  it("rejects negative amounts", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 19n), max: -1n }), (value) => {
        expectRejected(value);
        expectRejected(value.toString());
        if (value >= BigInt(Number.MIN_SAFE_INTEGER)) expectRejected(Number(value));
      }),
      { numRuns: 300 },
    );
  });

  it("rejects amounts above AMOUNT_MINOR_MAX", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: AMOUNT_MINOR_MAX + 1n, max: 10n ** 25n }), (value) => {
        expectRejected(value);
        expectRejected(value.toString());
        if (value <= BigInt(Number.MAX_SAFE_INTEGER)) expectRejected(Number(value));
      }),
      { numRuns: 300 },
    );
  });

  it("rejects fractional numbers and fractional strings", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e15, max: 1e15, noNaN: true }).filter((value) => !Number.isInteger(value)),
        (value) => {
          expectRejected(value);
          expectRejected(String(value));
        },
      ),
      { numRuns: 300 },
    );
    for (const input of [0.5, 1.5, "1.0", "1.", ".5", "12.34"]) expectRejected(input);
  });

  it("rejects NaN, the infinities and unsafe integers", () => {
    for (const input of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 53, 1e21])
      expectRejected(input);
  });

  it("rejects numbers written with anything but decimal digits", () => {
    fc.assert(
      fc.property(
        validMinorArb,
        fc.constantFrom("+", "0x", "1e", "e3", "_000", ",000", "n", "abc", "$", "€", "١"),
        fc.boolean(),
        (value, junk, before) => {
          expectRejected(before ? `${junk}${value}` : `${value}${junk}`);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("rejects any string holding a character other than a digit, a space or a minus sign", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 25 }).filter((text) => /[^\d\s-]/.test(text)),
        (text) => expectRejected(text),
      ),
      { numRuns: 300 },
    );
  });

  it("rejects values that are not amounts at all", () => {
    for (const input of [null, undefined, true, false, {}, [], [5], { amount: 5 }, "", " ", "-"])
      expectRejected(input);
  });

  it("names the field and the number in its message", () => {
    const outcome = parseAmountMinor(0, "priceMinor");
    expect(outcome.ok ? "" : outcome.error.message).toContain("priceMinor");
    const over = parseAmountMinor(AMOUNT_MINOR_MAX + 1n);
    expect(over.ok ? "" : over.error.message).toContain(String(AMOUNT_MINOR_MAX + 1n));
  });
});

describe("sumMinor and minMinor", () => {
  it("sum and pick the smaller exactly, beyond the range of a float", () => {
    const bigArb = fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n });
    fc.assert(
      fc.property(fc.array(bigArb, { maxLength: 20 }), bigArb, bigArb, (values, a, b) => {
        let total = 0n;
        for (const value of values) total += value;
        expect(sumMinor(values)).toBe(total);
        expect(sumMinor(new Set(values))).toBe([...new Set(values)].reduce((sum, v) => sum + v, 0n));
        const smaller = minMinor(a, b);
        expect([a, b]).toContain(smaller);
        expect(smaller <= a && smaller <= b).toBe(true);
        expect(minMinor(b, a)).toBe(smaller);
      }),
      { numRuns: 300 },
    );
  });
});
