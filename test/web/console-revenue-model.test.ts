/**
 * The revenue report as the page draws it: one set of series per currency (never added across
 * currencies), zero where a bucket has nothing in a currency, and a row of totals and deferred
 * revenue per currency.
 */
import { describe, expect, it } from "vitest";
import {
  hasMovement,
  isRevenueEmpty,
  type RevenueReport,
  revenueCurrencies,
  revenueRows,
  revenueSeries,
} from "../../src/web/console/revenue-model.js";

const report: RevenueReport = {
  from: "2026-06-01T00:00:00.000Z",
  to: "2026-06-03T00:00:00.000Z",
  bucket: "day",
  timeZone: "UTC",
  buckets: [
    {
      start: "2026-06-01T00:00:00.000Z",
      end: "2026-06-02T00:00:00.000Z",
      revenue: { usd: 5000, eur: 900 },
      refunds: {},
      disputes: {},
      reinstated: {},
      purchases: 3,
    },
    {
      start: "2026-06-02T00:00:00.000Z",
      end: "2026-06-03T00:00:00.000Z",
      revenue: { usd: 1000 },
      refunds: { usd: 1000 },
      disputes: { usd: 4000 },
      reinstated: { usd: 2000 },
      purchases: 1,
    },
  ],
  totals: {
    revenue: { usd: 6000, eur: 900 },
    refunds: { usd: 1000 },
    disputes: { usd: 4000 },
    reinstated: { usd: 2000 },
    net: { usd: 3000, eur: 900 },
    purchases: 4,
    refundEvents: 1,
    disputeEvents: 1,
  },
  deferred: {
    at: "2026-06-03T00:00:00.000Z",
    revenue: { usd: 700, gbp: 300 },
    credits: { usd: 7000, gbp: 2500 },
    gifts: { revenue: { usd: 200 }, credits: { usd: 2000 } },
  },
};

const empty: RevenueReport = {
  ...report,
  buckets: report.buckets.map((bucket) => ({
    ...bucket,
    revenue: {},
    refunds: {},
    disputes: {},
    reinstated: {},
    purchases: 0,
  })),
  totals: {
    revenue: {},
    refunds: {},
    disputes: {},
    reinstated: {},
    net: {},
    purchases: 0,
    refundEvents: 0,
    disputeEvents: 0,
  },
  deferred: { at: report.to, revenue: {}, credits: {}, gifts: { revenue: {}, credits: {} } },
};

describe("the revenue report's model", () => {
  it("finds every currency the report mentions, deferred ones included", () => {
    expect(revenueCurrencies(report)).toEqual(["eur", "gbp", "usd"]);
    expect(isRevenueEmpty(report)).toBe(false);
    expect(isRevenueEmpty(empty)).toBe(true);
  });

  it("draws revenue, refunds, disputes and disputes won per bucket in one currency, zero where there is none", () => {
    expect(revenueSeries(report, "usd")).toEqual({
      x: ["2026-06-02T00:00:00.000Z", "2026-06-03T00:00:00.000Z"],
      series: [
        { name: "Revenue", values: [5000, 1000] },
        { name: "Refunds", values: [0, 1000] },
        { name: "Disputes", values: [0, 4000] },
        { name: "Disputes won", values: [0, 2000] },
      ],
    });
    expect(revenueSeries(report, "eur").series.map((one) => one.values)).toEqual([
      [900, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
  });

  it("says which currencies had money move in the range", () => {
    expect(hasMovement(report, "usd")).toBe(true);
    expect(hasMovement(report, "gbp")).toBe(false);
  });

  it("gives one row of totals and deferred revenue per currency", () => {
    expect(revenueRows(report)).toEqual([
      {
        currency: "eur",
        revenue: 900,
        refunds: 0,
        disputes: 0,
        reinstated: 0,
        net: 900,
        deferredRevenue: 0,
        deferredCredits: 0,
        deferredGiftRevenue: 0,
      },
      {
        currency: "gbp",
        revenue: 0,
        refunds: 0,
        disputes: 0,
        reinstated: 0,
        net: 0,
        deferredRevenue: 300,
        deferredCredits: 2500,
        deferredGiftRevenue: 0,
      },
      {
        currency: "usd",
        revenue: 6000,
        refunds: 1000,
        disputes: 4000,
        reinstated: 2000,
        net: 3000,
        deferredRevenue: 700,
        deferredCredits: 7000,
        deferredGiftRevenue: 200,
      },
    ]);
  });
});
