/** `POST /v1/events`: a product event (`first_message`, ...) that may qualify referrals (server). */
import { createRoute, z } from "@hono/zod-openapi";
import type { App } from "../app.js";
import { msOf } from "../wire.js";
import { answer, clientKeyOf, ERROR_RESPONSES, IdempotencyHeader, ok200, requireScope } from "./common.js";
import { IsoTime } from "./customers-put.js";

/** Longer than any event name; the engine names the form it accepts. */
export const EVENT_NAME_LENGTH_MAX = 64;

export const ProductEventRequest = z
  .object({
    customerId: z.string().openapi({ example: "cus_7" }),
    name: z.string().max(EVENT_NAME_LENGTH_MAX).openapi({
      description: "a-z, 0-9, _, . and -, starting with a letter or digit",
      example: "first_message",
    }),
    at: IsoTime.optional().openapi({ description: "When it happened; now when left out" }),
  })
  .strict()
  .openapi("ProductEventRequest");

export const ProductEventAnswer = z
  .object({
    qualified: z
      .number()
      .int()
      .openapi({ description: "How many of the customer's referrals this event qualified" }),
  })
  .openapi("ProductEventAnswer");

const route = createRoute({
  method: "post",
  path: "/v1/events",
  tags: ["referrals"],
  summary: "Record a product event",
  description:
    "Tells Boon the customer did something in the product. Each of the customer's accepted referrals " +
    "whose program qualifies on this event (`qualifyingEvent.event`) and whose attribution window " +
    "holds `at` becomes qualified, and its rewards are granted after the program's hold. An event no " +
    "program waits for qualifies nothing. A referral qualifies once, so a repeat changes nothing; with " +
    "an `Idempotency-Key` it also answers what the first one did.",
  security: [{ bearer: [] }],
  middleware: [requireScope("server")] as const,
  request: {
    headers: IdempotencyHeader,
    body: { content: { "application/json": { schema: ProductEventRequest } }, required: true },
  },
  responses: { ...ok200(ProductEventAnswer, "What the event qualified"), ...ERROR_RESPONSES },
});

export function registerEventsPost(app: App): void {
  app.openapi(route, async (c) => {
    const { customerId, name, at } = c.req.valid("json");
    const outcome = await c.get("deps").engine.referrals.recordEvent({
      customerId,
      name,
      atMs: msOf(at) ?? undefined,
      idempotencyKey: clientKeyOf(c, c.req.valid("header")),
    });
    return answer(c, outcome) as never;
  });
}
