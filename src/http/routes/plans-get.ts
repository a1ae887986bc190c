/** `GET /v1/plans`: every plan's current version. */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app.js";
import { ERROR_RESPONSES, ok200, requireScope } from "./common.js";
import { Plan, planWire } from "./plans-put.js";

export const PlanList = z.object({ data: z.array(Plan) }).openapi("PlanList");

const route = createRoute({
  method: "get",
  path: "/v1/plans",
  tags: ["plans"],
  summary: "List plans",
  description:
    "The current version of every plan. Plans are configuration, few by nature, so the list is " +
    "answered whole rather than a page at a time.",
  security: [{ bearer: [] }],
  middleware: [requireScope("admin")] as const,
  responses: { ...ok200(PlanList, "The plans"), ...ERROR_RESPONSES },
});

export function registerPlansGet(app: App): void {
  app.openapi(route, async (c) => {
    const plans = await c.get("deps").engine.listPlans();
    return c.json({ data: plans.map(planWire) }, 200) as never;
  });
}
