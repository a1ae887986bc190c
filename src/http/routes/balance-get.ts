/** `GET /v1/customers/{customerId}/balance`: the wallet now, or at a past instant. */
import { createRoute, z } from "@hono/zod-openapi";
import { ok } from "../../core/errors.js";
import { LOT_KINDS } from "../../core/lots.js";
import type { App } from "../app.js";
import { msOf } from "../wire.js";
import { answer, CustomerIdParam, ERROR_RESPONSES, ok200 } from "./common.js";
import { CreditsSummary, requireCustomerReader } from "./customers-get.js";
import { IsoTime } from "./customers-put.js";

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
  })
  .openapi("Balance");

const route = createRoute({
  method: "get",
  path: "/v1/customers/{customerId}/balance",
  tags: ["ledger"],
  summary: "Read a customer's balance",
  description:
    "Credits available, held and by kind, with the open lots in burn-down order; `?at=` for a past instant.",
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
    const { postedMinor, availableMinor, heldMinor, availableByKind, ...rest } = outcome.value;
    return answer(
      c,
      ok({ ...rest, postedMinor, credits: { availableMinor, heldMinor, byKind: availableByKind } }),
    ) as never;
  });
}
