/** `GET /v1/customers/{customerId}`: the customer with a summary of its credits. */
import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { LOT_KINDS } from "../../core/lots.js";
import type { App, AppEnv } from "../app.js";
import { toWire } from "../wire.js";
import { CustomerIdParam, denied, ERROR_RESPONSES, fail, ok200 } from "./common.js";
import { answerCustomer, Customer } from "./customers-put.js";

/**
 * The reads a browser widget may also make: a server key, or a customer token for this very customer.
 * It runs before the request is validated, so a token for someone else learns nothing of the input rules.
 */
export function requireCustomerReader(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const refused = denied(c, ["server"], c.req.param("customerId") ?? "");
    if (refused !== null) return refused;
    await next();
  };
}

export const CreditsSummary = z
  .object({
    available: z.number().int().openapi({ description: "What can be spent now: live lots, minus holds" }),
    held: z.number().int(),
    byKind: z.object(Object.fromEntries(LOT_KINDS.map((kind) => [kind, z.number().int()]))),
  })
  .openapi("CreditsSummary");

export const CustomerWithCredits = Customer.extend({ credits: CreditsSummary }).openapi(
  "CustomerWithCredits",
);

const route = createRoute({
  method: "get",
  path: "/v1/customers/{customerId}",
  tags: ["customers"],
  summary: "Read a customer and its credits",
  description: "The customer's stored fields, with the credits available now, held, and available by kind.",
  security: [{ bearer: [] }],
  middleware: [requireCustomerReader()] as const,
  request: { params: CustomerIdParam },
  responses: { ...ok200(CustomerWithCredits, "The customer and its credits"), ...ERROR_RESPONSES },
});

export function registerCustomersGet(app: App): void {
  app.openapi(route, async (c) => {
    const { customerId } = c.req.valid("param");
    const { engine } = c.get("deps");
    const customer = await engine.getCustomer(customerId);
    if (!customer.ok) return answerCustomer(c, customer) as never;
    const balance = await engine.balance(customerId);
    if (!balance.ok) return fail(c, balance.error) as never;
    const { availableMinor, heldMinor, availableByKind } = balance.value;
    const credits = toWire({ availableMinor, heldMinor, byKind: availableByKind });
    return answerCustomer(c, customer, { credits }) as never;
  });
}
