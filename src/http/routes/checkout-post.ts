/** `POST /v1/checkout`: start paying for a bundle, for oneself or as a gift. */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Failure } from "../../core/errors.js";
import type { App, AppEnv } from "../app.js";
import { RETRY_AFTER_SECONDS_UNAVAILABLE } from "../errors.js";
import { BUNDLE_ID_LENGTH_MAX } from "./bundles-put.js";
import {
  denied,
  ERROR_RESPONSES,
  ErrorSchema,
  fail,
  IdempotencyHeader,
  idempotencyKeyOf,
  ok200,
} from "./common.js";
import { NOT_TRANSFERABLE_RESPONSE, requireServerOrCustomer } from "./gifts-post.js";

/** Stripe replaces this in the success and cancel URLs with the session's id. */
export const SESSION_ID_TEMPLATE = "{CHECKOUT_SESSION_ID}";
export const CHECKOUT_URL_LENGTH_MAX = 2000;

export const CheckoutRequest = z
  .object({
    customerId: z.string().openapi({ description: "The buyer", example: "cus_42" }),
    bundleId: z.string().max(BUNDLE_ID_LENGTH_MAX).openapi({ example: "team" }),
    asGift: z
      .boolean()
      .optional()
      .openapi({
        description:
          "Buy it to give: the credits go to the buyer's gift balance, to send with `POST /v1/gifts` " +
          "(`source: gift_balance`); an unclaimed gift comes back as purchased credits",
      }),
    currency: z.string().optional().openapi({
      description: "The currency the buyer expects to pay in; refused when the bundle is priced in another",
      example: "usd",
    }),
    successUrl: z
      .string()
      .max(CHECKOUT_URL_LENGTH_MAX)
      .optional()
      .openapi({
        description: `Where the payment page returns after paying (default: the usage page); ${SESSION_ID_TEMPLATE} is replaced by the session id`,
      }),
    cancelUrl: z.string().max(CHECKOUT_URL_LENGTH_MAX).optional().openapi({
      description: "Where the payment page returns when the buyer gives up (default: the usage page)",
    }),
  })
  .strict()
  .openapi("CheckoutRequest");

export const CheckoutSession = z
  .object({
    purchaseId: z.string().openapi({ example: "pur_0190..." }),
    sessionId: z
      .string()
      .openapi({ description: "The payment provider's session", example: "cs_test_a1..." }),
    url: z.string().openapi({ description: "The payment page to send the buyer to" }),
  })
  .openapi("CheckoutSession");

const route = createRoute({
  method: "post",
  path: "/v1/checkout",
  tags: ["bundles"],
  summary: "Start a checkout",
  description:
    "Creates the payment provider's checkout session (a Stripe Checkout Session in mode payment, or the " +
    "demo's payment page) for one bundle and answers its `url`. Nothing is granted here: the credits " +
    "come when the provider's signed webhook says the session was paid. A retry with the same " +
    "`Idempotency-Key` answers the same session. Refused with `not_found` for an unknown customer or " +
    "bundle, `invalid_request` for a retired bundle or another currency, `not_transferable` for a gift " +
    "of a bundle that can't be given, and `unavailable` (503, with Retry-After) when the provider " +
    "can't be reached: retry with the same key. A customer token may buy for its own customer only.",
  security: [{ bearer: [] }],
  middleware: [requireServerOrCustomer()] as const,
  request: {
    headers: IdempotencyHeader,
    body: { content: { "application/json": { schema: CheckoutRequest } }, required: true },
  },
  responses: {
    ...ok200(CheckoutSession, "The session to pay"),
    ...ERROR_RESPONSES,
    ...NOT_TRANSFERABLE_RESPONSE,
    500: {
      content: { "application/json": { schema: ErrorSchema } },
      description:
        "internal: the payment provider refused the configuration, or an unexpected error (logged)",
    },
  },
});

function refuse(c: Context<AppEnv>, failure: Failure): Response {
  if (failure.code === "internal")
    c.get("deps").logger.error(
      { requestId: c.get("requestId"), message: failure.message },
      "the payment provider refused the configuration",
    );
  if (failure.code === "unavailable") c.header("Retry-After", String(RETRY_AFTER_SECONDS_UNAVAILABLE));
  return fail(c, failure);
}

export function registerCheckoutPost(app: App): void {
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const refused = denied(c, ["server"], body.customerId);
    if (refused !== null) return refused as never;
    const payments = c.get("deps").payments;
    // No Retry-After: a server without a provider stays without one until it is configured.
    if (payments === undefined)
      return fail(c, {
        code: "unavailable",
        message: "no payment provider is configured on this server (set BOON_STRIPE_SECRET_KEY)",
      }) as never;
    const defaultUrl = `${c.get("publicUrl")}/usage?checkout=`;
    const outcome = await c.get("deps").engine.payments.checkout(
      {
        ...body,
        successUrl: body.successUrl ?? `${defaultUrl}done&session=${SESSION_ID_TEMPLATE}`,
        cancelUrl: body.cancelUrl ?? `${defaultUrl}cancelled&session=${SESSION_ID_TEMPLATE}`,
        idempotencyKey: idempotencyKeyOf(c, c.req.valid("header")),
      },
      payments.provider,
    );
    if (!outcome.ok) return refuse(c, outcome.error) as never;
    return c.json(outcome.value, 200) as never;
  });
}
