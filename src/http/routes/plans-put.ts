/** `PUT /v1/plans/{planId}`: store a plan's meters, windows, allowances and rate card as a new version. */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Outcome } from "../../core/errors.js";
import type { PlanView } from "../../engine/usage.js";
import type { App, AppEnv } from "../app.js";
import { clientKeyOf, ERROR_RESPONSES, fail, IdempotencyHeader, ok200, requireScope } from "./common.js";

export const PlanIdParam = z.object({
  planId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "planId", in: "path" }, example: "pro" }),
});

const PLAN_SPEC_EXAMPLE = {
  lowCreditsMinor: 500,
  meters: {
    messages: [
      { window: "5h", kind: "fixed", duration: "5h", allowance: 200 },
      { window: "weekly", kind: "calendar", unit: "week", timeZone: "UTC", allowance: 2000 },
    ],
  },
  actions: { message: { costs: { messages: 1 }, creditPriceMinor: 10 } },
};

/**
 * The plan's written form. Only its outline is checked here: the engine reads the whole spec and
 * names the path of the value at fault (`meters.messages[0].duration: ...`), which a schema here
 * could only say less precisely.
 */
export const PlanSpec = z.record(z.string(), z.unknown()).openapi("PlanSpec", {
  description:
    "`meters` (per meter, a list of windows: `window`, `kind` fixed, rolling or calendar, `duration` or " +
    "`unit`, `allowance`), `actions` (per action, `costs` per meter and an optional `creditPriceMinor`) " +
    "and an optional `lowCreditsMinor`",
  example: PLAN_SPEC_EXAMPLE,
});

export const Plan = z
  .object({
    id: z.string(),
    version: z.number().int().openapi({ description: "1 for the first version; past charges keep theirs" }),
    createdAt: z.string(),
    spec: PlanSpec,
  })
  .openapi("Plan");

export const PlanSaved = Plan.extend({
  created: z.boolean().openapi({ description: "False when the spec equals the current version's" }),
}).openapi("PlanSaved");

/**
 * A plan on the wire. The spec is written back exactly as the plan file form has it, so it bypasses
 * the naming rule that would turn `creditPriceMinor` into `creditPrice` and break a round trip.
 */
export function planWire(plan: PlanView): Record<string, unknown> {
  return {
    id: plan.id,
    version: plan.version,
    createdAt: new Date(plan.createdAtMs).toISOString(),
    spec: plan.spec,
  };
}

export function answerPlan(
  c: Context<AppEnv>,
  outcome: Outcome<{ plan: PlanView; created: boolean }>,
): Response {
  if (!outcome.ok) return fail(c, outcome.error);
  return c.json({ ...planWire(outcome.value.plan), created: outcome.value.created }, 200);
}

const route = createRoute({
  method: "put",
  path: "/v1/plans/{planId}",
  tags: ["plans"],
  summary: "Create or change a plan",
  description:
    "Stores the spec as the plan's next version; customers' charges keep the version they were made " +
    "under. Putting the same spec again stores nothing and answers the current version with " +
    "`created: false`, so a PUT is safe to repeat; with an `Idempotency-Key`, a retry replays the " +
    "first answer even when another version came between.",
  security: [{ bearer: [] }],
  // Admin only, checked before the body is read, so a server key learns nothing of the input rules.
  middleware: [requireScope("admin")] as const,
  request: {
    params: PlanIdParam,
    headers: IdempotencyHeader,
    body: { content: { "application/json": { schema: PlanSpec } }, required: true },
  },
  responses: { ...ok200(PlanSaved, "The plan's current version"), ...ERROR_RESPONSES },
});

export function registerPlansPut(app: App): void {
  app.openapi(route, async (c) => {
    const { planId } = c.req.valid("param");
    const key = clientKeyOf(c, c.req.valid("header"));
    const outcome = await c.get("deps").engine.savePlan(planId, c.req.valid("json"), key);
    return answerPlan(c, outcome) as never;
  });
}
