/**
 * The reports' answers as the charts draw them: liability and breakage as series per kind, the
 * gifting and referral funnels, viral coefficients by cohort, usage bars against their own limits,
 * and the range a period asks for.
 */
import { describe, expect, it } from "vitest";
import {
  type BreakageReport,
  bandLabel,
  breakageSeries,
  bucketLabel,
  formatSeconds,
  GIFTS_SERIES,
  type GiftingReportLine,
  giftingValueFunnel,
  kindShares,
  type LiabilityReport,
  liabilitySeries,
  type ReferralStats,
  rangeQuery,
  referralFunnel,
  type UsageReport,
  usageBars,
  viralSeries,
  weekStartOf,
} from "../../src/web/console/report-model.js";

const kinds = (purchased: number, promotional = 0, gifted = 0, referral = 0, compensation = 0) => ({
  purchased,
  promotional,
  gifted,
  referral,
  compensation,
});

const liability: LiabilityReport = {
  from: "2026-06-01T00:00:00.000Z",
  to: "2026-06-03T00:00:00.000Z",
  bucket: "day",
  timeZone: "UTC",
  points: [
    { at: "2026-06-02T00:00:00.000Z", byKind: kinds(100, 50), giftBalance: 10, giftEscrow: 5, total: 165 },
    { at: "2026-06-03T00:00:00.000Z", byKind: kinds(80, 0, 20), giftBalance: 0, giftEscrow: 0, total: 100 },
  ],
};

function stats(changes: Partial<ReferralStats> = {}): ReferralStats {
  return {
    programId: "june-pilot",
    phase: "live",
    funnel: {
      invitesCreated: 10,
      invitesOpened: 8,
      referrers: 4,
      accepted: 5,
      inReview: 1,
      rejected: 0,
      qualified: 3,
      rewarded: 2,
      rewardsGranted: 4,
      rewardsPending: 1,
      rewardsOverBudget: 0,
      rewardsCanceled: 0,
      rewardsReversed: 0,
    },
    budget: { credits: null, resets: 100, givenCredits: 0, givenResets: 4, exhausted: false },
    costPerAcquired: { credits: null, resets: 1.33 },
    viralCoefficient: 1.5,
    weeks: [
      {
        weekStartAt: "2026-06-08T00:00:00.000Z",
        referrers: 2,
        invites: 6,
        accepted: 3,
        qualified: 2,
        invitesPerReferrer: 3,
        acceptedToQualified: 0.67,
        viralCoefficient: 2,
      },
      {
        weekStartAt: "2026-06-15T00:00:00.000Z",
        referrers: 2,
        invites: 4,
        accepted: 0,
        qualified: 0,
        invitesPerReferrer: 2,
        acceptedToQualified: null,
        viralCoefficient: null,
      },
    ],
    ...changes,
  };
}

describe("the liability and breakage series", () => {
  it("stacks one series per kind, with gift balances and escrow together", () => {
    const { x, series } = liabilitySeries(liability);
    expect(x).toEqual(["2026-06-02T00:00:00.000Z", "2026-06-03T00:00:00.000Z"]);
    expect(series.map((one) => one.name)).toEqual([
      "Purchased",
      "Promotional",
      "Gifted",
      "Referral",
      "Compensation",
      GIFTS_SERIES,
    ]);
    expect(series[0]?.values).toEqual([100, 80]);
    expect(series[5]?.values).toEqual([15, 0]);
    // The stack's top at each point is the report's total.
    const tops = x.map((_, index) => series.reduce((sum, one) => sum + (one.values[index] ?? 0), 0));
    expect(tops).toEqual(liability.points.map((point) => point.total));
  });

  it("draws breakage per bucket at the bucket's end", () => {
    const report: BreakageReport = {
      ...liability,
      points: [
        {
          startsAt: "2026-06-01T00:00:00.000Z",
          endsAt: "2026-06-02T00:00:00.000Z",
          byKind: kinds(0, 7),
          total: 7,
        },
      ],
      expired: { byKind: kinds(0, 7), total: 7 },
      granted: { byKind: kinds(0, 70), total: 70 },
      rate: 0.1,
      rateByKind: { purchased: null, promotional: 0.1, gifted: null, referral: null, compensation: null },
    };
    const { x, series } = breakageSeries(report);
    expect(x).toEqual(["2026-06-02T00:00:00.000Z"]);
    expect(series.find((one) => one.name === "Promotional")?.values).toEqual([7]);
  });

  it("lists the kinds that hold something, with their shares", () => {
    expect(kindShares(kinds(75, 25))).toEqual([
      { kind: "purchased", amount: 75, share: 0.75 },
      { kind: "promotional", amount: 25, share: 0.25 },
    ]);
    expect(kindShares(kinds(0))).toEqual([]);
  });

  it("names a bucket by the day it covers, in the report's zone", () => {
    expect(bucketLabel("2026-06-03T00:00:00.000Z", "UTC")).toBe("Jun 2");
    expect(bucketLabel("2026-06-03T04:00:00.000Z", "America/New_York")).toBe("Jun 2");
    expect(bucketLabel("2026-06-03T12:34:00.000Z", "UTC")).toBe("Jun 3");
  });
});

describe("the funnels", () => {
  it("follows gifted value from sent to used", () => {
    const line = { sentValue: 1000, claimedValue: 600, usedValue: 150 } as GiftingReportLine;
    expect(giftingValueFunnel(line).map((stage) => stage.value)).toEqual([1000, 600, 150]);
  });

  it("follows invites to rewards", () => {
    expect(referralFunnel(stats())).toEqual([
      { label: "Invites made", value: 10 },
      { label: "Invites opened", value: 8 },
      { label: "Accepted", value: 5 },
      { label: "Qualified", value: 3 },
      { label: "Rewarded", value: 2 },
    ]);
  });

  it("draws each cohort's viral coefficient, none as 0", () => {
    expect(viralSeries(stats())).toEqual({
      x: ["2026-06-08T00:00:00.000Z", "2026-06-15T00:00:00.000Z"],
      series: [{ name: "Viral coefficient", values: [2, 0] }],
    });
  });

  it("reads a cohort's start from weekStartAt", () => {
    const [week] = stats().weeks;
    if (week === undefined) throw new Error("no week");
    expect(weekStartOf(week)).toBe("2026-06-08T00:00:00.000Z");
  });
});

describe("usage against limits", () => {
  it("draws each window's customers at the limit against those using it", () => {
    const plan: UsageReport["plans"][number] = {
      planId: "pro",
      planVersion: 2,
      customers: 40,
      windows: [
        {
          windowId: "messages/5h",
          meter: "messages",
          window: "5h",
          kind: "fixed",
          limit: 1000,
          customersWithUsage: 30,
          atLimit: 6,
          bands: [
            { fromPercent: 0, toPercent: 25, customers: 10 },
            { fromPercent: 100, toPercent: 100, customers: 6 },
          ],
        },
      ],
    };
    expect(usageBars(plan)).toEqual([{ label: "messages/5h (limit 1,000)", value: 6, limit: 30 }]);
    expect(plan.windows[0]?.bands.map(bandLabel)).toEqual(["0–25%", "At the limit"]);
  });
});

describe("the report period", () => {
  it("ends now and asks for the option's days and buckets in the operator's zone", () => {
    const nowMs = Date.parse("2026-06-15T12:00:00.000Z");
    expect(rangeQuery("90d", nowMs, "Europe/Paris")).toEqual({
      from: "2026-03-17T12:00:00.000Z",
      to: "2026-06-15T12:00:00.000Z",
      bucket: "week",
      timeZone: "Europe/Paris",
    });
    expect(rangeQuery("unknown", nowMs, "UTC").bucket).toBe("day");
  });

  it("writes durations by their largest units", () => {
    expect([null, 42, 300, 3720, 97_200].map(formatSeconds)).toEqual(["—", "42s", "5m", "1h 2m", "1d 3h"]);
  });
});
