/** `GET /v1/reports/revenue`: money taken, refunded and disputed, and deferred revenue (admin). */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app.js";
import { msOf, toWire, type Wire } from "../wire.js";
import { ERROR_RESPONSES, fail, ok200, requireScope } from "./common.js";
import { ReportRange, ReportRangeQuery, reportWire } from "./reports-liability-get.js";

export const CurrencyAmounts = z
  .record(z.string(), z.number().int())
  .openapi("CurrencyAmounts", { description: "Minor units of money by currency", example: { usd: 4000 } });

export const RevenueBucket = z
  .object({
    start: z.string(),
    end: z.string(),
    revenue: CurrencyAmounts.openapi({ description: "Paid purchases' prices, counted when paid" }),
    refunds: CurrencyAmounts,
    disputes: CurrencyAmounts,
    reinstated: CurrencyAmounts.openapi({ description: "Money of disputes won, back with the seller" }),
    purchases: z.number().int().openapi({ description: "Purchases paid in the bucket" }),
  })
  .openapi("RevenueBucket");

export const RevenueReport = z
  .object({
    ...ReportRange,
    buckets: z.array(RevenueBucket),
    totals: z.object({
      revenue: CurrencyAmounts,
      refunds: CurrencyAmounts,
      disputes: CurrencyAmounts,
      reinstated: CurrencyAmounts,
      net: CurrencyAmounts.openapi({ description: "Revenue less refunds and disputes, plus disputes won" }),
      purchases: z.number().int(),
      refundEvents: z.number().int(),
      disputeEvents: z.number().int(),
    }),
    deferred: z
      .object({
        at: z.string(),
        revenue: CurrencyAmounts.openapi({ description: "The unconsumed purchased credits, at their price" }),
        credits: CurrencyAmounts.openapi({
          description: "Purchased credits not yet consumed, in minor credit units, by the currency paid",
        }),
        gifts: z.object({ revenue: CurrencyAmounts, credits: CurrencyAmounts }).openapi({
          description:
            "The part bought as gifts (in gift balances, in escrow, or in lots made from bought gifts), " +
            "valued at each buyer's average gift price per credit, never above the money kept",
        }),
      })
      .openapi({
        description:
          "Deferred revenue at `to`: purchased credits not yet consumed, bought for oneself or as gifts",
      }),
  })
  .openapi("RevenueReport");

const route = createRoute({
  method: "get",
  path: "/v1/reports/revenue",
  tags: ["reports"],
  summary: "The revenue report",
  description:
    "Per day or week of [from, to] and in total, by currency: revenue from paid purchases, refunds " +
    "and disputes as the provider reported them, disputes won back, and the net; and deferred revenue at `to`, the " +
    "purchased credits not yet consumed valued at their price. Amounts are the currency's minor units.",
  security: [{ bearer: [] }],
  middleware: [requireScope("admin")] as const,
  request: { query: ReportRangeQuery },
  responses: { ...ok200(RevenueReport, "The report"), ...ERROR_RESPONSES },
});

export function registerReportsRevenueGet(app: App): void {
  app.openapi(route, async (c) => {
    const { from, to, bucket, timeZone } = c.req.valid("query");
    const outcome = await c.get("deps").engine.payments.revenue({
      fromMs: msOf(from) ?? undefined,
      toMs: msOf(to) ?? undefined,
      bucket,
      timeZone,
    });
    if (!outcome.ok) return fail(c, outcome.error) as never;
    const { buckets, ...report } = outcome.value;
    const iso = (ms: number) => new Date(ms).toISOString();
    // Bucket bounds are instants named `startMs` and `endMs`, which the one naming rule leaves alone.
    const lines: Wire[] = buckets.map(({ startMs, endMs, ...rest }) => ({
      start: iso(startMs),
      end: iso(endMs),
      ...(toWire(rest) as { [key: string]: Wire }),
    }));
    return c.json({ ...(reportWire(report) as { [key: string]: Wire }), buckets: lines }, 200) as never;
  });
}
