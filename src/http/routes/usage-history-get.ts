/** `GET /v1/customers/{customerId}/usage`: what a usage page shows, with the charges a page at a time. */
import { createRoute, z } from "@hono/zod-openapi";
import { ok } from "../../core/errors.js";
import type { UsageView } from "../../engine/usage.js";
import type { App } from "../app.js";
import { answer, CustomerIdParam, ERROR_RESPONSES, ok200 } from "./common.js";
import { requireCustomerReader } from "./customers-get.js";
import { UsageAnswer } from "./usage-authorize.js";

/** The window line the authorization answer uses, so both describe a window the same way. */
const WindowLine = UsageAnswer.shape.windows.element;

export const ResetsSummary = z
  .object({
    available: z.number().int().openapi({ description: "Banked resets that can be redeemed now" }),
    nextExpiresAt: z.string().nullable(),
  })
  .openapi("ResetsSummary");

export const BankedReset = z
  .object({
    id: z.string().openapi({ example: "rst_0190f3c2a1b27c3d8e9f0a1b2c3d4e5f" }),
    windows: z
      .array(z.string())
      .nullable()
      .openapi({ description: "The window ids it restarts; null for every window of the plan" }),
    source: z.string(),
    expiresAt: z.string(),
  })
  .openapi("BankedReset");

export const UsageCharge = z
  .object({
    id: z.string(),
    planId: z.string(),
    planVersion: z.number().int().openapi({ description: "The plan version the charge was made under" }),
    action: z.string(),
    quantity: z.number().int(),
    paidBy: z.enum(["windows", "credits"]),
    windows: z.array(z.object({ windowId: z.string(), units: z.number().int() })),
    credits: z.number().int(),
    transferId: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("UsageCharge");

export const UsageHistory = z
  .object({
    customerId: z.string(),
    planId: z.string().nullable(),
    planVersion: z.number().int().nullable(),
    overflowAllowed: z.boolean(),
    windows: z.array(WindowLine),
    resets: ResetsSummary.extend({ tokens: z.array(BankedReset) }),
    charges: z.array(UsageCharge).openapi({ description: "Newest first" }),
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: "Pass as `cursor` for the next page of charges; null at the end" }),
  })
  .openapi("UsageHistory");

/**
 * The engine's view in the request's words: a charge's window units become a list like the one the
 * authorization answer gives, and a banked reset's scope is called `windows`, as when it is granted.
 */
function usageWire(view: UsageView) {
  return {
    ...view,
    resets: {
      ...view.resets,
      tokens: view.resets.tokens.map(({ scope, ...token }) => ({ ...token, windows: scope })),
    },
    charges: view.charges.map(({ windowUnits, ...charge }) => ({
      ...charge,
      windows: Object.entries(windowUnits).map(([windowId, units]) => ({ windowId, units })),
    })),
  };
}

const route = createRoute({
  method: "get",
  path: "/v1/customers/{customerId}/usage",
  tags: ["usage"],
  summary: "Read a customer's usage",
  description:
    "Each window's used, limit and reset time, the banked resets, and the charges newest first, " +
    "`limit` at a time (default 25, at most 100). A customer token may read its own customer's usage.",
  security: [{ bearer: [] }],
  middleware: [requireCustomerReader()] as const,
  request: {
    params: CustomerIdParam,
    // The page size's range is the engine's to check, so its message names the limit.
    query: z.object({ limit: z.coerce.number().int().optional(), cursor: z.string().optional() }),
  },
  responses: { ...ok200(UsageHistory, "The usage page"), ...ERROR_RESPONSES },
});

export function registerUsageHistoryGet(app: App): void {
  app.openapi(route, async (c) => {
    const { customerId } = c.req.valid("param");
    const outcome = await c.get("deps").engine.usage(customerId, c.req.valid("query"));
    return answer(c, outcome.ok ? ok(usageWire(outcome.value)) : outcome) as never;
  });
}
