/** `POST /v1/usage`: the hot path. May this work run, and who pays (the plan's windows or credits)? */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app.js";
import {
  answer,
  ERROR_RESPONSES,
  ErrorSchema,
  IdempotencyHeader,
  idempotencyKeyOf,
  ok200,
  requireScope,
} from "./common.js";

/** A customer without a plan, or on a plan that is not defined, has no windows to charge. */
export const NO_PLAN_RESPONSE = {
  422: {
    content: { "application/json": { schema: ErrorSchema } },
    description: "no_plan: the customer has no plan, or its plan is not defined",
  },
} as const;

export const UsageRequest = z
  .object({
    customerId: z.string().min(1).max(128),
    action: z.string().min(1).max(64).openapi({ example: "message" }),
    quantity: z.number().int().min(1).max(1_000_000).default(1),
  })
  .strict()
  .openapi("UsageRequest");

export const WindowLine = z
  .object({
    windowId: z.string().openapi({ example: "messages/5h" }),
    meter: z.string(),
    window: z.string(),
    kind: z.enum(["fixed", "rolling", "calendar"]),
    used: z.number().int(),
    limit: z.number().int(),
    remaining: z.number().int(),
    resetsAt: z.string().nullable(),
  })
  .openapi("WindowLine");

export const UsageAnswer = z
  .object({
    type: z.literal("authorize"),
    allowed: z.boolean(),
    code: z.enum(["limit_reached", "insufficient_credits"]).nullable(),
    message: z.string().nullable(),
    chargeId: z.string().nullable(),
    planId: z.string(),
    planVersion: z.number().int(),
    paidBy: z.enum(["windows", "credits"]).nullable(),
    charged: z.object({
      windows: z.array(z.object({ windowId: z.string(), units: z.number().int() })),
      credits: z.number().int(),
    }),
    transferId: z.string().nullable(),
    draws: z.array(z.object({ lotId: z.string(), kind: z.string(), amount: z.number().int() })),
    blockedWindowId: z.string().nullable(),
    resetsAt: z.string().nullable(),
    windows: z.array(WindowLine),
    credits: z.object({ available: z.number().int() }),
  })
  .openapi("UsageAnswer");

const route = createRoute({
  method: "post",
  path: "/v1/usage",
  tags: ["usage"],
  summary: "Authorize and charge a piece of work",
  description:
    "Charges every window of the customer's plan; past them, credits when the customer allows overflow. " +
    "A refusal is an answer (`allowed: false` with `code`), not an error.",
  security: [{ bearer: [] }],
  middleware: [requireScope("server")] as const,
  request: {
    headers: IdempotencyHeader,
    body: { content: { "application/json": { schema: UsageRequest } }, required: true },
  },
  responses: {
    ...ok200(UsageAnswer, "The decision, what was charged, and what remains"),
    ...ERROR_RESPONSES,
    ...NO_PLAN_RESPONSE,
  },
});

export function registerUsageAuthorize(app: App): void {
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const outcome = await c.get("deps").engine.authorize({
      ...body,
      idempotencyKey: idempotencyKeyOf(c, c.req.valid("header")),
    });
    return answer(c, outcome) as never;
  });
}
