/** `GET /v1/reports/breakage`: credits that expired unused, by kind, over time (admin). */
import { createRoute, z } from "@hono/zod-openapi";
import { LOT_KINDS } from "../../core/lots.js";
import type { App } from "../app.js";
import { msOf } from "../wire.js";
import { ERROR_RESPONSES, fail, ok200, requireScope } from "./common.js";
import { KindAmounts, ReportRange, ReportRangeQuery, reportWire } from "./reports-liability-get.js";

const rate = (description: string) => z.number().nullable().openapi({ description });

export const BreakagePoint = z
  .object({
    startsAt: z.string().openapi({ description: "The bucket covers (startsAt, endsAt]" }),
    endsAt: z.string(),
    byKind: KindAmounts.openapi({
      description: "What expired unused in the bucket, counted at each lot's expiry",
    }),
    total: z.number().int(),
  })
  .openapi("BreakagePoint");

const KindTotals = z.object({ byKind: KindAmounts, total: z.number().int() });

export const BreakageReport = z
  .object({
    ...ReportRange,
    points: z.array(BreakagePoint),
    expired: KindTotals.openapi({ description: "What expired unused in (from, to]" }),
    granted: KindTotals.openapi({ description: "What lots granted in (from, to] held when granted" }),
    rate: rate(
      "expired / granted over the range, truncated to six decimals; null when nothing was granted. Lots granted " +
        "before the range may expire in it, so the rate of a short range can exceed 1.",
    ),
    rateByKind: z
      .object(Object.fromEntries(LOT_KINDS.map((kind) => [kind, rate(`The rate of ${kind} credits`)])))
      .openapi({ description: "The rate per kind of lot" }),
  })
  .openapi("BreakageReport");

const route = createRoute({
  method: "get",
  path: "/v1/reports/breakage",
  tags: ["reports"],
  summary: "The breakage report",
  description:
    "Per day or week of [from, to], the credits that expired unused, by kind: what the ledger booked to " +
    "breakage from each lot whose expiry falls in the bucket, plus what a lot past its expiry still holds " +
    "unreserved until the next sweep books it. Also the totals over the range, what was granted in it, " +
    "and the breakage rate. Takes the same range and buckets as the liability report.",
  security: [{ bearer: [] }],
  middleware: [requireScope("admin")] as const,
  request: { query: ReportRangeQuery },
  responses: { ...ok200(BreakageReport, "The report"), ...ERROR_RESPONSES },
});

export function registerReportsBreakageGet(app: App): void {
  app.openapi(route, async (c) => {
    const { from, to, bucket, timeZone } = c.req.valid("query");
    const outcome = await c.get("deps").engine.reports.breakage({
      fromMs: msOf(from) ?? undefined,
      toMs: msOf(to) ?? undefined,
      bucket,
      timeZone,
    });
    if (!outcome.ok) return fail(c, outcome.error) as never;
    return c.json(reportWire(outcome.value), 200) as never;
  });
}
