/**
 * How the pages write and read numbers: credits at every display scale against a model that divides
 * instead of slicing strings, typed amounts read back exactly, and countdowns at every unit boundary.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DISPLAY_SCALE_MAX,
  formatCount,
  formatCountdown,
  formatCredits,
  formatDate,
  formatPercent,
  parseCredits,
} from "../../src/web/lib/format.js";

const MINUS = "\u2212";
const scales = fc.integer({ min: 0, max: DISPLAY_SCALE_MAX });
const safeNat = fc.maxSafeNat();

/** Commas between groups of three, counted from the right, built group by group. */
function groupedModel(whole: bigint): string {
  const groups: string[] = [];
  let rest = whole;
  do {
    const group = rest % 1000n;
    rest /= 1000n;
    groups.unshift(rest > 0n ? group.toString().padStart(3, "0") : group.toString());
  } while (rest > 0n);
  return groups.join(",");
}

function formatModel(minor: bigint, scale: number): string {
  const unit = 10n ** BigInt(scale);
  const magnitude = minor < 0n ? -minor : minor;
  const whole = groupedModel(magnitude / unit);
  const fraction = scale === 0 ? "" : `.${(magnitude % unit).toString().padStart(scale, "0")}`;
  return `${minor < 0n ? MINUS : ""}${whole}${fraction}`;
}

describe("formatCredits", () => {
  it("agrees with a model that divides by the scale, for any safe integer at every scale", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        scales,
        (n, s) => {
          expect(formatCredits(n, s)).toBe(formatModel(BigInt(n), s));
        },
      ),
    );
  });

  it("reads the same from a number, a bigint and a decimal string", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        scales,
        (n, s) => {
          const text = formatCredits(n, s);
          expect(formatCredits(BigInt(n), s)).toBe(text);
          expect(formatCredits(String(n), s)).toBe(text);
        },
      ),
    );
  });

  it("writes a negative amount as the positive one behind a minus sign", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), scales, (n, s) => {
        expect(formatCredits(-n, s)).toBe(`${MINUS}${formatCredits(n, s)}`);
      }),
    );
    expect(formatCredits(-5, 2)).toBe(`${MINUS}0.05`);
    expect(formatCredits(0, 2)).toBe("0.00");
    expect(formatCredits(-0, 0)).toBe("0");
  });

  it("groups the whole part by thousands and never the fraction", () => {
    fc.assert(
      fc.property(safeNat, scales, (n, s) => {
        const text = formatCredits(n, s);
        const [whole = "", fraction] = text.split(".");
        expect(whole).toMatch(/^(0|[1-9]\d{0,2}(,\d{3})*)$/);
        if (s === 0) expect(fraction).toBeUndefined();
        else expect(fraction).toMatch(new RegExp(`^\\d{${s}}$`));
      }),
    );
  });

  it("writes the documented examples", () => {
    expect(formatCredits(123456, 2)).toBe("1,234.56");
    expect(formatCredits(123456, 0)).toBe("123,456");
    expect(formatCredits(1250, 2)).toBe("12.50");
    expect(formatCredits(7, 6)).toBe("0.000007");
    expect(formatCredits(1_000_000, 6)).toBe("1.000000");
    expect(formatCredits(999, 0)).toBe("999");
    expect(formatCredits(1000, 0)).toBe("1,000");
    expect(formatCredits(Number.MAX_SAFE_INTEGER, 0)).toBe("9,007,199,254,740,991");
    expect(formatCredits(Number.MAX_SAFE_INTEGER, 6)).toBe("9,007,199,254.740991");
  });
});

describe("parseCredits", () => {
  it("reads back what formatCredits wrote, for any safe non-negative integer at every scale", () => {
    fc.assert(
      fc.property(safeNat, scales, (n, s) => {
        expect(parseCredits(formatCredits(n, s), s)).toEqual({ ok: true, minor: n });
      }),
    );
  });

  it("reads any whole part and up to `scale` decimals as minor units, with or without commas", () => {
    const typed = scales.chain((s) =>
      fc.record({
        scale: fc.constant(s),
        whole: fc.integer({ min: 0, max: 999_999_999 }),
        fraction: fc.string({ unit: fc.constantFrom(..."0123456789"), maxLength: s }),
        grouped: fc.boolean(),
        padding: fc.constantFrom("", " ", "\t", "  "),
      }),
    );
    fc.assert(
      fc.property(typed, ({ scale, whole, fraction, grouped, padding }) => {
        const wholeText = grouped ? groupedModel(BigInt(whole)) : String(whole);
        const text = `${padding}${wholeText}${fraction === "" ? "" : `.${fraction}`}${padding}`;
        const expected = BigInt(whole) * 10n ** BigInt(scale) + BigInt(fraction.padEnd(scale, "0") || "0");
        expect(parseCredits(text, scale)).toEqual({ ok: true, minor: Number(expected) });
      }),
    );
  });

  it("refuses more decimals than the scale, naming the limit", () => {
    const tooPrecise = scales.chain((s) =>
      fc.record({
        scale: fc.constant(s),
        whole: fc.nat(1_000_000),
        fraction: fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: s + 1, maxLength: s + 4 }),
      }),
    );
    fc.assert(
      fc.property(tooPrecise, ({ scale, whole, fraction }) => {
        const message = scale === 0 ? "Whole credits only" : `At most ${scale} decimal places`;
        expect(parseCredits(`${whole}.${fraction}`, scale)).toEqual({ ok: false, message });
      }),
    );
    expect(parseCredits("12.50", 1)).toEqual({ ok: false, message: "At most 1 decimal places" });
    expect(parseCredits("12.5", 0)).toEqual({ ok: false, message: "Whole credits only" });
  });

  it("asks for an amount when the field is empty or blank", () => {
    for (const text of ["", " ", "\t\n", ","]) {
      expect(parseCredits(text, 2)).toEqual({ ok: false, message: "Enter an amount" });
    }
  });

  it("refuses anything that is not a plain decimal number", () => {
    const junk = [
      "abc",
      "-5",
      "+5",
      "1e3",
      "0x10",
      "1.2.3",
      ".5",
      "NaN",
      "Infinity",
      "1 000",
      "５",
      "12$",
      "½",
    ];
    for (const text of junk) {
      expect(parseCredits(text, 2), text).toEqual({ ok: false, message: "Enter a number, like 50" });
    }
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(..."0123456789.,-+e x"), minLength: 1, maxLength: 12 }),
        scales,
        (text, s) => {
          const plain = text.trim().replaceAll(",", "");
          const parsed = parseCredits(text, s);
          if (!/^\d+(\.\d*)?$/.test(plain)) expect(parsed.ok).toBe(false);
        },
      ),
    );
  });

  it("refuses an amount beyond the largest safe integer of minor units", () => {
    const max = Number.MAX_SAFE_INTEGER;
    expect(parseCredits(String(max), 0)).toEqual({ ok: true, minor: max });
    expect(parseCredits(String(max + 1), 0)).toEqual({ ok: false, message: "That amount is too large" });
    expect(parseCredits("90071992547409.92", 2)).toEqual({ ok: false, message: "That amount is too large" });
    expect(parseCredits("9".repeat(40), 0)).toEqual({ ok: false, message: "That amount is too large" });
  });

  it("reads the form's everyday inputs", () => {
    expect(parseCredits("12.5", 2)).toEqual({ ok: true, minor: 1250 });
    expect(parseCredits(" 1,234.5 ", 2)).toEqual({ ok: true, minor: 123450 });
    expect(parseCredits("12.", 2)).toEqual({ ok: true, minor: 1200 });
    expect(parseCredits("007", 0)).toEqual({ ok: true, minor: 7 });
    expect(parseCredits("0", 3)).toEqual({ ok: true, minor: 0 });
  });
});

/** What a countdown text says, in seconds at least, and how coarse its last unit is. */
function readCountdown(text: string): { lowSeconds: number; stepSeconds: number } {
  const days = /^(\d+)d (\d+)h$/.exec(text);
  if (days !== null) {
    const [d, h] = [Number(days[1]), Number(days[2])];
    expect(h).toBeLessThan(24);
    return { lowSeconds: d * 86_400 + h * 3600, stepSeconds: 3600 };
  }
  const hours = /^(\d+)h (\d+)m$/.exec(text);
  if (hours !== null) {
    const [h, m] = [Number(hours[1]), Number(hours[2])];
    expect(h).toBeGreaterThan(0);
    expect(h).toBeLessThan(24);
    expect(m).toBeLessThan(60);
    return { lowSeconds: h * 3600 + m * 60, stepSeconds: 60 };
  }
  const minutes = /^(\d+)m (\d\d)s$/.exec(text);
  if (minutes !== null) {
    const [m, s] = [Number(minutes[1]), Number(minutes[2])];
    expect(m).toBeGreaterThan(0);
    expect(m).toBeLessThan(60);
    expect(s).toBeLessThan(60);
    return { lowSeconds: m * 60 + s, stepSeconds: 1 };
  }
  const seconds = /^(\d+)s$/.exec(text);
  if (seconds !== null) {
    const s = Number(seconds[1]);
    expect(s).toBeGreaterThan(0);
    expect(s).toBeLessThan(60);
    return { lowSeconds: s, stepSeconds: 1 };
  }
  throw new Error(`not a countdown: ${text}`);
}

describe("formatCountdown", () => {
  it("says now at or below zero", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 0 }), (ms) => {
        expect(formatCountdown(ms)).toBe("now");
      }),
    );
  });

  it("rounds up to a whole second and never shows more than the time left", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 * 86_400_000 }), (ms) => {
        const shown = readCountdown(formatCountdown(ms));
        const leftSeconds = Math.ceil(ms / 1000);
        expect(shown.lowSeconds).toBeLessThanOrEqual(leftSeconds);
        expect(leftSeconds).toBeLessThan(shown.lowSeconds + shown.stepSeconds);
      }),
    );
  });

  it("never goes up as the time left goes down", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 * 86_400_000 }),
        fc.integer({ min: 1, max: 86_400_000 }),
        (a, b) => {
          const later = readCountdown(formatCountdown(a)).lowSeconds;
          const sooner = readCountdown(formatCountdown(a + b)).lowSeconds;
          expect(later).toBeLessThanOrEqual(sooner);
        },
      ),
    );
  });

  it("changes unit exactly at each boundary", () => {
    const cases: readonly [number, string][] = [
      [1, "1s"],
      [999, "1s"],
      [1000, "1s"],
      [1001, "2s"],
      [59_000, "59s"],
      [59_001, "1m 00s"],
      [60_000, "1m 00s"],
      [61_000, "1m 01s"],
      [3_599_000, "59m 59s"],
      [3_599_001, "1h 0m"],
      [3_600_000, "1h 0m"],
      [4 * 3_600_000 + 12 * 60_000, "4h 12m"],
      [86_399_000, "23h 59m"],
      [86_399_001, "1d 0h"],
      [86_400_000, "1d 0h"],
      [2 * 86_400_000 + 4 * 3_600_000, "2d 4h"],
      [30 * 86_400_000, "30d 0h"],
    ];
    for (const [ms, text] of cases) expect(formatCountdown(ms), String(ms)).toBe(text);
  });
});

describe("the other formats", () => {
  it("writes percentages with one decimal at most and a dash for no value", () => {
    expect(formatPercent(0.4567)).toBe("45.7%");
    expect(formatPercent(0)).toBe("0%");
    expect(formatPercent(1)).toBe("100%");
    for (const none of [null, undefined, Number.NaN, Number.POSITIVE_INFINITY])
      expect(formatPercent(none)).toBe("—");
  });

  it("groups counts and drops fractions", () => {
    expect(formatCount(12345)).toBe("12,345");
    expect(formatCount(999)).toBe("999");
    expect(formatCount(1234.9)).toBe("1,234");
  });

  it("writes dates in words and a dash for none", () => {
    expect(formatDate("2026-12-24T12:00:00.000Z")).toBe("Dec 24, 2026");
    expect(formatDate(null)).toBe("—");
    expect(formatDate(undefined)).toBe("—");
  });
});
