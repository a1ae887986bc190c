/** `GET /v1/reports/gifting`: the operator's gifting report, per program. */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app.js";
import { msOf } from "../wire.js";
import { answer, ERROR_RESPONSES, ok200, requireScope } from "./common.js";
import { IsoTime } from "./customers-put.js";

const share = (description: string) => z.number().nullable().openapi({ description });

export const GiftingReportLine = z
  .object({
    programId: z.string(),
    sent: z.number().int(),
    pending: z.number().int(),
    review: z.number().int(),
    claimed: z.number().int(),
    expired: z.number().int(),
    revoked: z.number().int(),
    sentValue: z.number().int().openapi({ description: "Value sent, in minor units" }),
    pendingValue: z.number().int(),
    reviewValue: z.number().int(),
    claimedValue: z.number().int(),
    expiredValue: z.number().int(),
    revokedValue: z.number().int(),
    claimRate: share("Claimed over settled gifts (claimed, expired or revoked); null before any settled"),
    claimSecondsMedian: z.number().nullable().openapi({ description: "Median time from sending to claim" }),
    claimSecondsP90: z.number().nullable(),
    recipientsNew: z.number().int(),
    recipientsLapsed: z.number().int(),
    recipientsActive: z.number().int(),
    newOrLapsedShare: share("Of the recipients, the share who were new or lapsed when they claimed"),
    usedValue: z.number().int().openapi({ description: "What recipients went on to spend of claimed gifts" }),
    usedShare: share("Of the claimed value, the share recipients spent"),
    lapsedValue: z.number().int().openapi({ description: "What of claimed gifts expired unspent" }),
  })
  .openapi("GiftingReportLine");

export const GiftingReport = z
  .object({ from: z.string(), to: z.string(), programs: z.array(GiftingReportLine) })
  .openapi("GiftingReport");

const route = createRoute({
  method: "get",
  path: "/v1/reports/gifting",
  tags: ["reports"],
  summary: "The gifting report",
  description:
    "Per gifting program, over gifts sent in [from, to) (default: all time): gifts and value by state, " +
    "the claim rate, time to claim, the share of recipients who were new or lapsed, and how much of the " +
    "gifted value they went on to use.",
  security: [{ bearer: [] }],
  middleware: [requireScope("admin")] as const,
  request: { query: z.object({ from: IsoTime.optional(), to: IsoTime.optional() }) },
  responses: { ...ok200(GiftingReport, "The report"), ...ERROR_RESPONSES },
});

export function registerReportsGiftingGet(app: App): void {
  app.openapi(route, async (c) => {
    const { from, to } = c.req.valid("query");
    const outcome = await c
      .get("deps")
      .engine.gifts.report({ fromMs: msOf(from) ?? undefined, toMs: msOf(to) ?? undefined });
    if (!outcome.ok) return answer(c, outcome) as never;
    const { fromMs, toMs, programs } = outcome.value;
    // The report's amounts are values, named so on the wire (`sentMinor` becomes `sentValue`).
    const lines = programs.map(
      ({
        sentMinor,
        pendingMinor,
        reviewMinor,
        claimedMinor,
        expiredMinor,
        revokedMinor,
        usedMinor,
        lapsedMinor,
        ...rest
      }) => ({
        ...rest,
        sentValue: Number(sentMinor),
        pendingValue: Number(pendingMinor),
        reviewValue: Number(reviewMinor),
        claimedValue: Number(claimedMinor),
        expiredValue: Number(expiredMinor),
        revokedValue: Number(revokedMinor),
        usedValue: Number(usedMinor),
        lapsedValue: Number(lapsedMinor),
      }),
    );
    return c.json(
      { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), programs: lines },
      200,
    ) as never;
  });
}
