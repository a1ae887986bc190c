/**
 * The operator's corrections as data: a grant and a reversal each need a reason (it is audited in
 * the ledger), amounts are typed at the display scale and sent as exact minor units, and the bounds
 * are the API's.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildGrant,
  buildReverse,
  GRANT_DEFAULTS,
  type GrantValues,
  REASON_LENGTH_MAX,
} from "../../src/web/console/grant-form-model.js";
import { formatCredits } from "../../src/web/lib/format.js";

const NOW_MS = Date.parse("2026-06-15T12:00:00Z");

function grant(changes: Partial<GrantValues>, scale = 2) {
  return buildGrant(
    { ...GRANT_DEFAULTS, amount: "12.34", reason: "Outage on June 14", ...changes },
    scale,
    NOW_MS,
  );
}

describe("the grant form", () => {
  it("won't submit without a reason, and says why one is needed", () => {
    for (const reason of ["", "   "]) {
      const result = grant({ reason });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors).toEqual({ reason: "Say why: the reason is kept in the ledger" });
    }
  });

  it("sends the reason, trimmed, with the grant", () => {
    const result = grant({ reason: "  Outage on June 14 " });
    expect(result).toEqual({
      ok: true,
      body: { amount: 1234, kind: "compensation", reason: "Outage on June 14" },
    });
  });

  it("refuses a reason longer than the API keeps", () => {
    const result = grant({ reason: "x".repeat(REASON_LENGTH_MAX + 1) });
    expect(result.ok ? null : result.errors.reason).toBe(`At most ${REASON_LENGTH_MAX} characters`);
    expect(grant({ reason: "x".repeat(REASON_LENGTH_MAX) }).ok).toBe(true);
  });

  it("reads the amount at the display scale", () => {
    expect(grant({ amount: "12" }, 0)).toMatchObject({ ok: true, body: { amount: 12 } });
    expect(grant({ amount: "12" }, 2)).toMatchObject({ ok: true, body: { amount: 1200 } });
    expect(grant({ amount: "1,234.5" }, 3)).toMatchObject({ ok: true, body: { amount: 1_234_500 } });
    const tooFine = grant({ amount: "0.125" }, 2);
    expect(tooFine.ok ? null : tooFine.errors.amount).toBe("At most 2 decimal places");
    const whole = grant({ amount: "1.5" }, 0);
    expect(whole.ok ? null : whole.errors.amount).toBe("Whole credits only");
  });

  it("sends exactly the minor units the operator typed, at every scale", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 1, max: 1_000_000_000_000 }),
        (scale, minor) => {
          const typed = formatCredits(minor, scale);
          const result = grant({ amount: typed }, scale);
          expect(result).toMatchObject({ ok: true, body: { amount: minor } });
        },
      ),
    );
  });

  it("refuses nothing, a negative and more than the API's limit", () => {
    expect(grant({ amount: "" })).toEqual({ ok: false, errors: { amount: "Required" } });
    expect(grant({ amount: "0" })).toEqual({ ok: false, errors: { amount: "Enter at least 0.01" } });
    expect(grant({ amount: "-5" }).ok).toBe(false);
    expect(grant({ amount: "10,000,000,000.01" })).toEqual({
      ok: false,
      errors: { amount: "Enter at most 10,000,000,000.00" },
    });
  });

  it("takes an optional expiry in the future and an optional priority within the API's bounds", () => {
    const expiring = grant({ expiresAt: "2026-07-01T09:30", priority: "5", kind: "promotional" });
    expect(expiring).toMatchObject({
      ok: true,
      body: { kind: "promotional", priority: 5, expiresAt: new Date("2026-07-01T09:30").toISOString() },
    });
    const past = grant({ expiresAt: "2026-06-01T09:30" });
    expect(past.ok ? null : past.errors.expiresAt).toBe("Must be in the future");
    const priority = grant({ priority: "1001" });
    expect(priority.ok ? null : priority.errors.priority).toBe("Enter a whole number from 0 to 1000");
    expect(grant({ kind: "gifted" }).ok).toBe(false);
  });
});

describe("the reverse form", () => {
  it("needs a transfer and a reason", () => {
    expect(buildReverse({ transferId: " ", reason: "" })).toEqual({
      ok: false,
      errors: { transferId: "Required", reason: "Say why: the reason is kept in the ledger" },
    });
  });

  it("sends the reason with the transfer", () => {
    expect(buildReverse({ transferId: " txn_1 ", reason: " Granted twice " })).toEqual({
      ok: true,
      body: { transferId: "txn_1", reason: "Granted twice" },
    });
  });
});
