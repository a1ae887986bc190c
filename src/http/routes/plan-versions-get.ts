/** `GET /v1/plans/{planId}/versions`: every version of one plan, newest first. */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app.js";
import { ERROR_RESPONSES, fail, ok200, requireScope } from "./common.js";
import { Plan, PlanIdParam, planWire } from "./plans-put.js";

export const PlanVersions = z.object({ data: z.array(Plan) }).openapi("PlanVersions");

const route = createRoute({
  method: "get",
  path: "/v1/plans/{planId}/versions",
  tags: ["plans"],
  summary: "A plan's history",
  description:
    "Every version the plan has had, newest first, each with the spec it stored and when. A charge " +
    "names the version it ran under, so this is how to read the terms of a past charge.",
  security: [{ bearer: [] }],
  middleware: [requireScope("admin")] as const,
  request: { params: PlanIdParam },
  responses: { ...ok200(PlanVersions, "The versions, newest first"), ...ERROR_RESPONSES },
});

export function registerPlanVersionsGet(app: App): void {
  app.openapi(route, async (c) => {
    const outcome = await c.get("deps").engine.planVersions(c.req.valid("param").planId);
    if (!outcome.ok) return fail(c, outcome.error) as never;
    // Specs are the author's own JSON, so they bypass the wire renaming of `answer`.
    return c.json({ data: outcome.value.map(planWire) }, 200) as never;
  });
}
