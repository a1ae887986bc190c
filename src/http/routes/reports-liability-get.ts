/** `GET /v1/reports/liability`: credits outstanding over time, by kind of lot (admin). */
import { createRoute, z } from "@hono/zod-openapi";
import { LOT_KINDS } from "../../core/lots.js";
import { REPORT_BUCKET_UNITS, REPORT_BUCKETS_MAX, TIME_ZONE_LENGTH_MAX } from "../../engine/report-range.js";
import type { App } from "../app.js";
import { msOf, toWire, type Wire } from "../wire.js";
import { ERROR_RESPONSES, fail, ok200, requireScope } from "./common.js";
import { IsoTime } from "./customers-put.js";

export const ReportRangeQuery = z.object({
  from: IsoTime.optional().openapi({ description: "The range's start (default: 30 days before `to`)" }),
  to: IsoTime.optional().openapi({
    description: "The range's end (default: now; a later time is read as now)",
  }),
  bucket: z
    .enum(REPORT_BUCKET_UNITS)
    .optional()
    .openapi({
      description: `Calendar days or weeks from Monday (default day); at most ${REPORT_BUCKETS_MAX} buckets`,
    }),
  timeZone: z.string().min(1).max(TIME_ZONE_LENGTH_MAX).optional().openapi({
    description: "The time zone whose days and weeks make the buckets (default UTC)",
    example: "UTC",
  }),
});

export const KindAmounts = z
  .object(Object.fromEntries(LOT_KINDS.map((kind) => [kind, z.number().int()])))
  .openapi("KindAmounts", { description: "Minor credit units by kind of lot" });

export const ReportRange = {
  from: z.string(),
  to: z.string(),
  bucket: z.enum(REPORT_BUCKET_UNITS),
  timeZone: z.string(),
};

export const LiabilityPoint = z
  .object({
    at: z.string().openapi({ description: "The end of a bucket: the instant the amounts stood at" }),
    byKind: KindAmounts.openapi({ description: "Unexpired, unspent credits in wallets (held included)" }),
    giftBalance: z.number().int().openapi({ description: "Credits bought to be given, not yet sent" }),
    giftEscrow: z.number().int().openapi({ description: "Gifts sent, not yet claimed, expired or revoked" }),
    total: z.number().int().openapi({ description: "byKind, giftBalance and giftEscrow together" }),
  })
  .openapi("LiabilityPoint");

export const LiabilityReport = z
  .object({ ...ReportRange, points: z.array(LiabilityPoint) })
  .openapi("LiabilityReport");

/** A time-series report on the wire: its range as ISO times (the one rule names only `...AtMs` so). */
export function reportWire(report: { fromMs: number; toMs: number }): Wire {
  const { fromMs, toMs, ...rest } = report;
  const iso = (ms: number) => new Date(ms).toISOString();
  return { from: iso(fromMs), to: iso(toMs), ...(toWire(rest) as { [key: string]: Wire }) };
}

const route = createRoute({
  method: "get",
  path: "/v1/reports/liability",
  tags: ["reports"],
  summary: "The liability report",
  description:
    "What is outstanding at the end of each day or week of [from, to]: the unexpired, unspent value " +
    "of the wallets' lots by kind, as the balance at that instant counts it (a lot stops counting at " +
    "its expiry instant), plus gift balances and gifts in escrow. Computed from the ledger's entries, " +
    "so a past instant reads as it stood then. Buckets follow the calendar of `timeZone`; the first " +
    "and last may be partial, and the last point is `to`.",
  security: [{ bearer: [] }],
  middleware: [requireScope("admin")] as const,
  request: { query: ReportRangeQuery },
  responses: { ...ok200(LiabilityReport, "The report"), ...ERROR_RESPONSES },
});

export function registerReportsLiabilityGet(app: App): void {
  app.openapi(route, async (c) => {
    const { from, to, bucket, timeZone } = c.req.valid("query");
    const outcome = await c.get("deps").engine.reports.liability({
      fromMs: msOf(from) ?? undefined,
      toMs: msOf(to) ?? undefined,
      bucket,
      timeZone,
    });
    if (!outcome.ok) return fail(c, outcome.error) as never;
    return c.json(reportWire(outcome.value), 200) as never;
  });
}
