/** `GET /v1/customers/{customerId}/balance`: the wallet now, or at a past instant. */
import { createRoute, z } from "@hono/zod-openapi";
import { ok } from "../../core/errors.js";
import { LOT_KINDS } from "../../core/lots.js";
import type { App } from "../app.js";
import { msOf } from "../wire.js";
import { answer, CustomerIdParam, ERROR_RESPONSES, ok200 } from "./common.js";
import { CreditsSummary, requireCustomerReader } from "./customers-get.js";
import { IsoTime } from "./customers-put.js";
import { WindowLine } from "./usage-authorize.js";
import { ResetsSummary } from "./usage-history-get.js";

export const Lot = z
  .object({
    id: z.string(),
    kind: z.enum(LOT_KINDS),
    amount: z.number().int(),
    remaining: z.number().int(),
    held: z.number().int(),
    available: z.number().int(),
    priority: z.number().int(),
    effectiveAt: z.string(),
    expiresAt: z.string().nullable(),
    transferable: z.boolean(),
    status: z.enum(["active", "pending", "expired"]),
  })
  .openapi("Lot");

export const BalanceAnswer = z
  .object({
    customerId: z.string(),
    at: z.string().openapi({ description: "The instant the balance describes" }),
    posted: z.number().int().openapi({
      description: "What the wallet's entries sum to: held credits and expired ones not yet swept included",
    }),
    credits: CreditsSummary,
    lots: z.array(Lot).openapi({ description: "Open lots in burn-down order: the first is spent first" }),
    windows: z.array(WindowLine).optional().openapi({
      description: "The plan's windows as they stand now; left out for a past instant",
    }),
    resets: ResetsSummary.optional().openapi({
      description: "Banked resets that can be redeemed now; left out for a past instant",
    }),
  })
  .openapi("Balance");

const route = createRoute({
  method: "get",
  path: "/v1/customers/{customerId}/balance",
  tags: ["ledger"],
  summary: "Read a customer's balance",
  description:
    "Credits available, held and by kind, with the open lots in burn-down order, the plan's windows " +
    "and the banked resets; `?at=` for a past instant (credits and lots only).",
  security: [{ bearer: [] }],
  middleware: [requireCustomerReader()] as const,
  request: {
    params: CustomerIdParam,
    query: z.object({ at: IsoTime.optional() }),
  },
  responses: { ...ok200(BalanceAnswer, "The balance"), ...ERROR_RESPONSES },
});

export function registerBalanceGet(app: App): void {
  app.openapi(route, async (c) => {
    const { customerId } = c.req.valid("param");
    const atMs = msOf(c.req.valid("query").at) ?? undefined;
    const outcome = await c.get("deps").engine.balance(customerId, { atMs });
    if (!outcome.ok) return answer(c, outcome) as never;
    const { postedMinor, availableMinor, heldMinor, availableByKind, resets, ...rest } = outcome.value;
    const credits = { availableMinor, heldMinor, byKind: availableByKind };
    // The balance gives the count of banked resets; the tokens themselves are on the usage page.
    const summary =
      resets === undefined
        ? {}
        : { resets: { available: resets.available, nextExpiresAtMs: resets.nextExpiresAtMs } };
    return answer(c, ok({ ...rest, postedMinor, credits, ...summary })) as never;
  });
}
