/** `GET /v1/reports/referrals`: every referral program's funnel and viral coefficient (admin). */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app.js";
import { toWire } from "../wire.js";
import { ERROR_RESPONSES, ok200, requireScope } from "./common.js";
import { ReferralStats } from "./programs-stats-get.js";

export const ReferralsReport = z
  .object({
    programs: z.array(
      z.object({
        programId: z.string(),
        status: z.string().openapi({
          description:
            "The status its terms set: draft, hidden, live or ended (stats.phase says where it stands now)",
          example: "live",
        }),
        stats: ReferralStats,
      }),
    ),
  })
  .openapi("ReferralsReport");

const route = createRoute({
  method: "get",
  path: "/v1/reports/referrals",
  tags: ["reports"],
  summary: "The referrals report",
  description:
    "Every referral program, by id, with what `GET /v1/programs/{programId}/stats` gives for it: the " +
    "funnel, the rewards against the budget, the viral coefficient overall and by weekly cohort.",
  security: [{ bearer: [] }],
  middleware: [requireScope("admin")] as const,
  responses: { ...ok200(ReferralsReport, "The report"), ...ERROR_RESPONSES },
});

export function registerReportsReferralsGet(app: App): void {
  app.openapi(route, async (c) => {
    return c.json(toWire(await c.get("deps").engine.reports.referrals()), 200) as never;
  });
}
