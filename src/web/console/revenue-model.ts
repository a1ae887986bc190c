/**
 * The revenue report as the page draws it: one chart per currency (money in different currencies is
 * never added up), with revenue, refunds and disputes per bucket, and a row of totals and deferred
 * revenue per currency. Pure; amounts stay in the currency's minor units until they are formatted.
 */
import type { Schema } from "../../../sdk/client.js";
import type { TimeSeries } from "./report-model.js";

export type RevenueReport = Schema<"RevenueReport">;
type Amounts = { readonly [currency: string]: number };

export const REVENUE_SERIES = ["Revenue", "Refunds", "Disputes", "Disputes won"] as const;

const amountIn = (amounts: Amounts, currency: string): number => amounts[currency] ?? 0;

/** Every currency the report mentions anywhere, in alphabetical order. */
export function revenueCurrencies(report: RevenueReport): string[] {
  const found = new Set<string>();
  const add = (amounts: Amounts) => {
    for (const currency of Object.keys(amounts)) found.add(currency);
  };
  for (const bucket of report.buckets) {
    add(bucket.revenue);
    add(bucket.refunds);
    add(bucket.disputes);
    add(bucket.reinstated);
  }
  const { totals, deferred } = report;
  const all = [
    totals.revenue,
    totals.refunds,
    totals.disputes,
    totals.reinstated,
    totals.net,
    deferred.revenue,
  ];
  for (const amounts of all) add(amounts);
  return [...found].sort();
}

/** Revenue, refunds, disputes and disputes won in one currency, per bucket (named by the instant it ends at). */
export function revenueSeries(report: RevenueReport, currency: string): TimeSeries {
  const buckets = report.buckets;
  return {
    x: buckets.map((bucket) => bucket.end),
    series: [
      { name: "Revenue", values: buckets.map((bucket) => amountIn(bucket.revenue, currency)) },
      { name: "Refunds", values: buckets.map((bucket) => amountIn(bucket.refunds, currency)) },
      { name: "Disputes", values: buckets.map((bucket) => amountIn(bucket.disputes, currency)) },
      { name: "Disputes won", values: buckets.map((bucket) => amountIn(bucket.reinstated, currency)) },
    ],
  };
}

export interface RevenueRow {
  readonly currency: string;
  readonly revenue: number;
  readonly refunds: number;
  readonly disputes: number;
  /** Money of disputes won, back with the seller. */
  readonly reinstated: number;
  readonly net: number;
  /** What purchased credits not yet consumed were paid for, at the end of the range. */
  readonly deferredRevenue: number;
  readonly deferredCredits: number;
  /** The part of the deferred revenue bought as gifts, not yet consumed wherever it went. */
  readonly deferredGiftRevenue: number;
}

/** The range's totals and the deferred revenue at its end, one row per currency. */
export function revenueRows(report: RevenueReport): RevenueRow[] {
  const { totals, deferred } = report;
  return revenueCurrencies(report).map((currency) => ({
    currency,
    revenue: amountIn(totals.revenue, currency),
    refunds: amountIn(totals.refunds, currency),
    disputes: amountIn(totals.disputes, currency),
    reinstated: amountIn(totals.reinstated, currency),
    net: amountIn(totals.net, currency),
    deferredRevenue: amountIn(deferred.revenue, currency),
    deferredCredits: amountIn(deferred.credits, currency),
    deferredGiftRevenue: amountIn(deferred.gifts.revenue, currency),
  }));
}

/** Whether the range saw any money move in a currency (else its chart would be a flat line at 0). */
export function hasMovement(report: RevenueReport, currency: string): boolean {
  return report.buckets.some(
    (bucket) =>
      amountIn(bucket.revenue, currency) !== 0 ||
      amountIn(bucket.refunds, currency) !== 0 ||
      amountIn(bucket.disputes, currency) !== 0 ||
      amountIn(bucket.reinstated, currency) !== 0,
  );
}

/** Whether there is anything at all to show: no purchase, refund or dispute, and nothing deferred. */
export function isRevenueEmpty(report: RevenueReport): boolean {
  return revenueCurrencies(report).length === 0;
}
