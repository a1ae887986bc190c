/** `GET /v1/customers`: the operator's customer list, searched and one page at a time (admin). */
import { createRoute, z } from "@hono/zod-openapi";
import { CUSTOMER_QUERY_LENGTH_MAX, CUSTOMERS_PAGE_SIZE_DEFAULT } from "../../engine/customer-search.js";
import { PAGE_SIZE_MAX, PLAN_LENGTH_MAX } from "../../engine/validate.js";
import type { App } from "../app.js";
import { answer, ERROR_RESPONSES, ok200, requireScope } from "./common.js";
import { CreditsSummary } from "./customers-get.js";

/** A cursor is the encoded last id of a page: a customer id is at most 128 characters. */
const CURSOR_LENGTH_MAX = 256;

export const CustomerListQuery = z.object({
  query: z
    .string()
    .max(CUSTOMER_QUERY_LENGTH_MAX)
    .optional()
    .openapi({
      description:
        "Matches a customer id that starts with it, or an email or display name that contains it in any " +
        "case; empty or left out matches everyone",
      example: "ada",
    }),
  plan: z
    .string()
    .min(1)
    .max(PLAN_LENGTH_MAX)
    .optional()
    .openapi({ description: "Only this plan's customers" }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(PAGE_SIZE_MAX)
    .optional()
    .openapi({ description: `At most this many customers (${CUSTOMERS_PAGE_SIZE_DEFAULT} when left out)` }),
  cursor: z
    .string()
    .min(1)
    .max(CURSOR_LENGTH_MAX)
    .optional()
    .openapi({ description: "The previous page's nextCursor, as given" }),
});

export const CustomerListItem = z
  .object({
    id: z.string(),
    plan: z.string().nullable(),
    email: z.string().nullable(),
    displayName: z.string().nullable(),
    signedUpAt: z.string().nullable(),
    lastActiveAt: z.string().nullable(),
    credits: CreditsSummary,
  })
  .openapi("CustomerListItem");

export const CustomerList = z
  .object({
    data: z.array(CustomerListItem).openapi({ description: "Ordered by id" }),
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: "Pass as cursor for the next page; null at the end" }),
  })
  .openapi("CustomerList");

const route = createRoute({
  method: "get",
  path: "/v1/customers",
  tags: ["customers"],
  summary: "Search and list customers",
  description:
    "Customers ordered by id, each with the credits available now (held, and available by kind), " +
    "optionally those whose id starts with `query` or whose email or display name contains it, and " +
    "those on one plan. Pages follow each other by id, so a customer added or changed meanwhile " +
    "neither repeats nor shifts a page.",
  security: [{ bearer: [] }],
  middleware: [requireScope("admin")] as const,
  request: { query: CustomerListQuery },
  responses: { ...ok200(CustomerList, "One page of customers"), ...ERROR_RESPONSES },
});

export function registerCustomersList(app: App): void {
  app.openapi(route, async (c) => {
    const outcome = await c.get("deps").engine.listCustomers(c.req.valid("query"));
    return answer(c, outcome) as never;
  });
}
