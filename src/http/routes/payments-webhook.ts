/**
 * `POST /v1/webhooks/payments`: the payment provider's signed events (public: the signature is the
 * credential). The body is read as the exact text that was signed, never through a JSON validator,
 * whose re-serialized JSON would no longer match the signature.
 */
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { PAYMENT_EVENT_OUTCOMES, type PaymentEventOutcome } from "../../core/payments.js";
import type { App, AppEnv } from "../app.js";
import { ErrorSchema, fail } from "./common.js";

export const PAYMENT_WEBHOOK_PATH = "/v1/webhooks/payments";
export const SIGNATURE_HEADER = "stripe-signature";

export const PaymentWebhookAnswer = z
  .object({
    received: z.literal(true),
    eventId: z.string(),
    outcome: z.enum(PAYMENT_EVENT_OUTCOMES),
    purchaseId: z.string().nullable(),
    replayed: z
      .boolean()
      .openapi({ description: "True when this event was handled before: nothing changed" }),
    message: z.string(),
  })
  .openapi("PaymentWebhookAnswer");

const MESSAGES: Readonly<Record<PaymentEventOutcome, string>> = {
  granted: "purchase paid: credits granted",
  already_completed: "purchase already completed: nothing more granted",
  review: "payment does not match the purchase: nothing granted, held for review",
  unpaid: "session not paid yet: nothing granted",
  unknown_purchase: "no purchase has this session or payment: recorded, nothing changed",
  deferred: "the payment is not granted yet: kept, and applied when it is",
  refunded: "refund applied",
  disputed: "dispute applied",
  dispute_won: "dispute won: the payment stands, and what the dispute took back was given back",
  dispute_lost: "dispute lost: the money stays with the customer; recorded",
  expired: "checkout expired unpaid: the purchase ended, nothing charged",
  failed: "the delayed payment failed: the purchase ended, nothing charged",
  no_change: "nothing changed: refunds no more than before, or the checkout was already settled",
  ignored: "event type not handled: ignored",
};

const errorJson = (description: string) => ({
  content: { "application/json": { schema: ErrorSchema } },
  description,
});

function registerDocument(app: App): void {
  app.openAPIRegistry.registerPath({
    method: "post",
    path: PAYMENT_WEBHOOK_PATH,
    tags: ["bundles"],
    summary: "Receive a payment provider event",
    description:
      "Where Stripe (or the demo's payment page) delivers its events: `checkout.session.completed` " +
      "grants a purchase, `charge.refunded` and `charge.dispute.created` take back what is unspent of " +
      "it and put it in the review queue. The `Stripe-Signature` header is checked against the " +
      "configured endpoint secret over the raw body, within 300 seconds either way; a missing, forged, " +
      "stale or tampered signature is refused with `401 unauthorized` and nothing changes. Each event " +
      "is handled once by its id: a redelivery answers `replayed: true` and changes nothing. Event " +
      "types Boon does not act on answer 200 `ignored`, so Stripe stops retrying them.",
    request: {
      headers: z.object({
        "stripe-signature": z.string().openapi({ description: "`t=<unix seconds>,v1=<hex HMAC-SHA256>`" }),
      }),
      body: {
        content: {
          "application/json": { schema: z.record(z.string(), z.unknown()).openapi("ProviderEvent") },
        },
        required: true,
        description: "The provider's event, exactly as it signed it",
      },
    },
    responses: {
      200: { content: { "application/json": { schema: PaymentWebhookAnswer } }, description: "Handled" },
      400: errorJson("A signed body that is not a readable event"),
      401: errorJson("Missing, malformed, forged or stale signature"),
      413: errorJson("Body too large"),
      500: errorJson("internal: an unexpected error, logged; the provider retries the delivery"),
      503: errorJson(
        "The database is unavailable, or no payment provider is configured: the provider retries",
      ),
    },
  });
}

async function receive(c: Context<AppEnv>): Promise<Response> {
  const deps = c.get("deps");
  if (deps.payments === undefined)
    return fail(c, { code: "unavailable", message: "no payment provider is configured on this server" });
  const payload = await c.req.text();
  const read = deps.payments.webhooks.readEvent(payload, c.req.header(SIGNATURE_HEADER));
  if (!read.ok) {
    deps.logger.warn({ requestId: c.get("requestId"), ...read.error }, "payment webhook refused");
    return fail(c, read.error);
  }
  const handled = await deps.engine.payments.handleEvent(read.value);
  if (!handled.ok) {
    deps.logger.warn({ requestId: c.get("requestId"), ...handled.error }, "payment event refused");
    return fail(c, handled.error);
  }
  const { eventId, outcome, purchaseId, replayed } = handled.value;
  const message = replayed ? `already processed: ${MESSAGES[outcome]}` : MESSAGES[outcome];
  if (outcome === "review" && !replayed)
    deps.logger.warn({ requestId: c.get("requestId"), eventId, purchaseId }, "payment held for review");
  return c.json({ received: true, eventId, outcome, purchaseId, replayed, message }, 200);
}

export function registerPaymentsWebhook(app: App): void {
  registerDocument(app);
  app.post(PAYMENT_WEBHOOK_PATH, receive);
}
