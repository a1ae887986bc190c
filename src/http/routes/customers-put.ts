/** `PUT /v1/customers/{customerId}`: create or update a customer; fields left out keep their values. */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Outcome } from "../../core/errors.js";
import type { CustomerRecord } from "../../store/customers-repo.js";
import type { App, AppEnv } from "../app.js";
import { msOf, toWire } from "../wire.js";
import {
  CustomerIdParam,
  clientKeyOf,
  ERROR_RESPONSES,
  fail,
  IdempotencyHeader,
  ok200,
  requireScope,
} from "./common.js";

const ISO_DATE_PREFIX = /^\d{4}-\d{2}-\d{2}/;

/** An ISO-8601 time from a client; the routes turn it into epoch milliseconds with `msOf`. */
export const IsoTime = z
  .string()
  .refine((text) => ISO_DATE_PREFIX.test(text) && !Number.isNaN(Date.parse(text)), {
    message: "must be an ISO-8601 time such as 2026-06-11T09:00:00Z",
  })
  .openapi({ format: "date-time", example: "2026-06-11T09:00:00Z" });

export const CustomerRequest = z
  .object({
    plan: z.string().nullable().optional().openapi({ example: "pro" }),
    email: z.string().nullable().optional(),
    displayName: z.string().nullable().optional(),
    signedUpAt: IsoTime.nullable().optional(),
    lastActiveAt: IsoTime.nullable().optional(),
    attributes: z.record(z.string(), z.unknown()).optional(),
    overflowAllowed: z
      .boolean()
      .optional()
      .openapi({ description: "Whether usage past the plan's windows may be paid in credits" }),
  })
  .strict()
  .openapi("CustomerRequest");

export const Customer = z
  .object({
    id: z.string(),
    plan: z.string().nullable(),
    email: z.string().nullable(),
    displayName: z.string().nullable(),
    signedUpAt: z.string().nullable(),
    lastActiveAt: z.string().nullable(),
    attributes: z.record(z.string(), z.unknown()),
    overflowAllowed: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Customer");

/**
 * A customer on the wire. The wallet's account id stays inside: clients never need it. The attributes
 * are the host product's own JSON, so they bypass the naming rule that would rename keys like `xAtMs`.
 */
export function customerWire(record: CustomerRecord): Record<string, unknown> {
  const { accountId: _accountId, attributes, ...rest } = record;
  return { ...(toWire(rest) as Record<string, unknown>), attributes };
}

/** Answers with a customer, or with the error envelope when the outcome failed. */
export function answerCustomer(
  c: Context<AppEnv>,
  outcome: Outcome<CustomerRecord>,
  extra: Record<string, unknown> = {},
): Response {
  if (!outcome.ok) return fail(c, outcome.error);
  return c.json({ ...customerWire(outcome.value), ...extra }, 200);
}

const route = createRoute({
  method: "put",
  path: "/v1/customers/{customerId}",
  tags: ["customers"],
  summary: "Create or update a customer",
  description:
    "Creates the customer and its wallet, or updates the fields the body names; fields left out keep " +
    "their stored values and `null` clears one. With an `Idempotency-Key`, a retry replays the first " +
    "answer even when another update came between.",
  security: [{ bearer: [] }],
  middleware: [requireScope("server")] as const,
  request: {
    params: CustomerIdParam,
    headers: IdempotencyHeader,
    body: { content: { "application/json": { schema: CustomerRequest } }, required: true },
  },
  responses: { ...ok200(Customer, "The customer as stored"), ...ERROR_RESPONSES },
});

export function registerCustomersPut(app: App): void {
  app.openapi(route, async (c) => {
    const { customerId } = c.req.valid("param");
    const { signedUpAt, lastActiveAt, ...body } = c.req.valid("json");
    const outcome = await c
      .get("deps")
      .engine.upsertCustomer(
        { ...body, id: customerId, signedUpAtMs: msOf(signedUpAt), lastActiveAtMs: msOf(lastActiveAt) },
        clientKeyOf(c, c.req.valid("header")),
      );
    return answerCustomer(c, outcome) as never;
  });
}
