/** `GET /v1/customers/{customerId}/ledger`: the customer's entries, newest first, a page at a time. */
import { createRoute, z } from "@hono/zod-openapi";
import { POSTED_TRANSFER_KINDS } from "../../core/ledger.js";
import { LOT_KINDS } from "../../core/lots.js";
import type { App } from "../app.js";
import { answer, CustomerIdParam, ERROR_RESPONSES, ok200 } from "./common.js";
import { requireCustomerReader } from "./customers-get.js";

export const LedgerEntry = z
  .object({
    entryId: z.string(),
    transferId: z.string(),
    kind: z.enum(POSTED_TRANSFER_KINDS),
    lotId: z.string().nullable(),
    lotKind: z.enum(LOT_KINDS).nullable(),
    amount: z
      .number()
      .int()
      .openapi({ description: "Signed: positive credits the wallet, negative debits it" }),
    reason: z.string().nullable(),
    reversesTransferId: z.string().nullable(),
    holdId: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("LedgerEntry");

export const LedgerAnswer = z
  .object({
    data: z.array(LedgerEntry),
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: "Pass as `cursor` for the next page; null at the end" }),
  })
  .openapi("LedgerPage");

const route = createRoute({
  method: "get",
  path: "/v1/customers/{customerId}/ledger",
  tags: ["ledger"],
  summary: "List a customer's ledger entries",
  description: "The wallet's entries, newest first, `limit` at a time (default 25, at most 100).",
  security: [{ bearer: [] }],
  middleware: [requireCustomerReader()] as const,
  request: {
    params: CustomerIdParam,
    // The page size's range is the engine's to check, so its message names the limit.
    query: z.object({ limit: z.coerce.number().int().optional(), cursor: z.string().optional() }),
  },
  responses: { ...ok200(LedgerAnswer, "A page of entries"), ...ERROR_RESPONSES },
});

export function registerLedgerGet(app: App): void {
  app.openapi(route, async (c) => {
    const { customerId } = c.req.valid("param");
    const outcome = await c.get("deps").engine.ledger(customerId, c.req.valid("query"));
    return answer(c, outcome) as never;
  });
}
