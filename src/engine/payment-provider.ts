/**
 * The payment providers behind checkout: Stripe through its own library, and the embedded demo's
 * built-in payment page. Both complete purchases through one path: a signed
 * `checkout.session.completed` delivery read by `readPaymentEvent`, which checks the signature with
 * Stripe's own verification and turns the event into the engine's plain `PaymentEvent`.
 */
import { createHash, randomBytes } from "node:crypto";
import Stripe from "stripe";
import { z } from "zod";
import type { Clock } from "../core/clock.js";
import { fail, invariant, type Outcome, ok } from "../core/errors.js";
import {
  type CheckoutRequest,
  type CheckoutSession,
  type PaymentEvent,
  type PaymentProvider,
  PaymentProviderError,
  type RefundAnswer,
  type RefundRequest,
  type SignedDelivery,
} from "../core/payments.js";

/** How far a signature's timestamp may be from now, either way: Stripe's own default. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;
/** Stripe's events are a few kilobytes; anything near this is not one of them. */
export const WEBHOOK_PAYLOAD_BYTES_MAX = 1_048_576;
/** Room for a timestamp and several signatures (Stripe signs with each secret while one is rolled). */
export const SIGNATURE_HEADER_LENGTH_MAX = 2_000;
export const STRIPE_TIMEOUT_MS = 10_000;
/**
 * Retries are safe because every checkout carries an idempotency key: a retried request answers
 * the session the first attempt made.
 */
export const STRIPE_NETWORK_RETRIES = 2;
/** Stripe's own limit on a metadata value. */
export const METADATA_VALUE_LENGTH_MAX = 500;

export { PaymentProviderError, type SignedDelivery };

/** Reads one webhook delivery against the provider's endpoint secret and clock. */
export interface WebhookReader {
  readEvent(payload: string, signatureHeader: string | undefined): Outcome<PaymentEvent>;
}

export interface StripeProvider extends PaymentProvider, WebhookReader {
  readonly kind: "stripe";
}

export interface StripeProviderOptions {
  readonly secretKey: string;
  readonly webhookSecret: string;
  readonly clock: Clock;
  /** Where the API lives; tests point these at a local stand-in. */
  readonly host?: string;
  readonly port?: number;
  readonly protocol?: "http" | "https";
  readonly timeoutMs?: number;
  readonly maxNetworkRetries?: number;
}

export function createStripeProvider(options: StripeProviderOptions): StripeProvider {
  invariant(options.secretKey.trim() !== "", "a Stripe provider needs a secret key");
  invariant(options.webhookSecret.trim() !== "", "a Stripe provider needs a webhook endpoint secret");
  const stripe = new Stripe(options.secretKey, {
    maxNetworkRetries: options.maxNetworkRetries ?? STRIPE_NETWORK_RETRIES,
    timeout: options.timeoutMs ?? STRIPE_TIMEOUT_MS,
    typescript: true,
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.protocol === undefined ? {} : { protocol: options.protocol }),
  });
  return {
    kind: "stripe",
    async createCheckout(request) {
      const params = checkoutParams(request);
      try {
        const session = await stripe.checkout.sessions.create(params, {
          idempotencyKey: request.purchaseId,
        });
        if (session.url === null)
          throw new PaymentProviderError(
            "internal",
            `Stripe answered checkout session ${session.id} without a url`,
          );
        return { sessionId: session.id, url: session.url };
      } catch (error) {
        throw providerError(error);
      }
    },
    async refund(request): Promise<RefundAnswer> {
      try {
        const refund = await stripe.refunds.create(
          { payment_intent: request.paymentIntentId, metadata: { purchaseId: request.purchaseId } },
          { idempotencyKey: request.idempotencyKey },
        );
        return { refundId: refund.id, delivery: null };
      } catch (error) {
        throw providerError(error, "refund");
      }
    },
    readEvent(payload, signatureHeader) {
      return readPaymentEvent(payload, signatureHeader, options.webhookSecret, options.clock.nowMs());
    },
  };
}

/** The session Stripe is asked for: one line for the bundle, the purchase in metadata twice over. */
function checkoutParams(request: CheckoutRequest): Stripe.Checkout.SessionCreateParams {
  const currency = request.currency.toLowerCase();
  if (!/^[a-z]{3}$/.test(currency))
    throw new PaymentProviderError(
      "invalid_request",
      `currency "${request.currency}" is not an ISO 4217 code`,
    );
  if (request.priceMinor <= 0n || request.priceMinor > BigInt(Number.MAX_SAFE_INTEGER))
    throw new PaymentProviderError("invalid_request", `price ${request.priceMinor} is not a positive amount`);
  const metadata = {
    purchaseId: request.purchaseId,
    customerId: request.customerId,
    bundleId: request.bundleId,
    asGift: String(request.asGift),
  };
  for (const [key, value] of Object.entries(metadata)) {
    if (value === "" || value.length > METADATA_VALUE_LENGTH_MAX)
      throw new PaymentProviderError(
        "invalid_request",
        `${key} must be 1 to ${METADATA_VALUE_LENGTH_MAX} characters, got ${value.length}`,
      );
  }
  return {
    mode: "payment",
    line_items: [
      {
        price_data: {
          currency,
          unit_amount: Number(request.priceMinor),
          product_data: { name: request.bundleName },
        },
        quantity: 1,
      },
    ],
    client_reference_id: request.purchaseId,
    metadata,
    // The charge carries the purchase too, so a refund or dispute on it can be traced back.
    payment_intent_data: { metadata },
    success_url: request.successUrl,
    cancel_url: request.cancelUrl,
    expires_at: Math.floor(request.expiresAtMs / 1000),
  };
}

function providerError(error: unknown, what: "checkout" | "refund" = "checkout"): PaymentProviderError {
  if (error instanceof PaymentProviderError) return error;
  if (!(error instanceof Stripe.errors.StripeError))
    return new PaymentProviderError("unavailable", `Stripe ${what} failed: ${String(error)}`);
  const requestId = error.requestId ?? null;
  const where = requestId === null ? "" : ` (request ${requestId})`;
  const said = `Stripe answered ${error.statusCode ?? "no status"} ${error.type}: ${error.message}${where}`;
  if (error instanceof Stripe.errors.StripeIdempotencyError)
    return new PaymentProviderError("idempotency_conflict", said, requestId);
  if (
    error instanceof Stripe.errors.StripeInvalidRequestError ||
    error instanceof Stripe.errors.StripeCardError
  )
    return new PaymentProviderError("invalid_request", said, requestId);
  if (
    error instanceof Stripe.errors.StripeAuthenticationError ||
    error instanceof Stripe.errors.StripePermissionError
  )
    return new PaymentProviderError(
      "internal",
      `Stripe refused the configured secret key. ${said}`,
      requestId,
    );
  return new PaymentProviderError("unavailable", said, requestId);
}

/**
 * Verifies one webhook delivery and reads it. The signature is checked by Stripe's own
 * `constructEvent`; the timestamp is checked here too, against the injected clock, because the
 * library refuses only timestamps that are too old and would accept one from the far future.
 * Every refusal is an outcome, never a throw: `unauthorized` for anything that does not prove the
 * delivery came from Stripe, `invalid_request` for a signed payload that is not a readable event.
 */
export function readPaymentEvent(
  payload: string,
  signatureHeader: string | undefined,
  webhookSecret: string,
  nowMs: number,
): Outcome<PaymentEvent> {
  invariant(webhookSecret.trim() !== "", "webhooks cannot be verified without an endpoint secret");
  const bytes = Buffer.byteLength(payload, "utf8");
  if (bytes > WEBHOOK_PAYLOAD_BYTES_MAX)
    return fail(
      "invalid_request",
      `webhook payload is ${bytes} bytes, more than ${WEBHOOK_PAYLOAD_BYTES_MAX}`,
    );
  const header = parseSignatureHeader(signatureHeader);
  if (!header.ok) return header;
  const ageSeconds = Math.floor(nowMs / 1000) - header.value.timestampSeconds;
  if (ageSeconds > WEBHOOK_TOLERANCE_SECONDS)
    return fail(
      "unauthorized",
      `stale Stripe-Signature: signed ${ageSeconds}s ago, beyond the ${WEBHOOK_TOLERANCE_SECONDS}s tolerance`,
    );
  if (-ageSeconds > WEBHOOK_TOLERANCE_SECONDS)
    return fail(
      "unauthorized",
      `Stripe-Signature from the future: signed ${-ageSeconds}s ahead, beyond the ${WEBHOOK_TOLERANCE_SECONDS}s tolerance`,
    );
  const verified = constructEvent(payload, header.value.text, webhookSecret, nowMs);
  if (!verified.ok) return verified;
  return toPaymentEvent(verified.value);
}

interface SignatureHeader {
  readonly text: string;
  readonly timestampSeconds: number;
}

/** Stripe's header: `t=<unix seconds>,v1=<hex HMAC-SHA256>[,v1=...][,v0=...]`. */
function parseSignatureHeader(header: string | undefined): Outcome<SignatureHeader> {
  if (header === undefined || header.trim() === "")
    return fail("unauthorized", "missing Stripe-Signature header");
  if (header.length > SIGNATURE_HEADER_LENGTH_MAX)
    return fail(
      "unauthorized",
      `malformed Stripe-Signature header: longer than ${SIGNATURE_HEADER_LENGTH_MAX}`,
    );
  const timestamps: string[] = [];
  let signatures = 0;
  for (const part of header.split(",")) {
    const split = part.indexOf("=");
    const key = split < 0 ? part.trim() : part.slice(0, split).trim();
    const value = split < 0 ? "" : part.slice(split + 1).trim();
    if (key === "t") timestamps.push(value);
    if (key === "v1") {
      if (!/^[0-9a-f]{64}$/.test(value))
        return fail("unauthorized", "malformed Stripe-Signature header: a v1 signature is not 64 hex digits");
      signatures += 1;
    }
  }
  const [timestamp, ...extra] = timestamps;
  if (timestamp === undefined || extra.length > 0 || !/^\d{1,12}$/.test(timestamp))
    return fail("unauthorized", "malformed Stripe-Signature header: expected one t=<unix seconds>");
  if (signatures === 0) return fail("unauthorized", "malformed Stripe-Signature header: no v1 signature");
  return ok({ text: header, timestampSeconds: Number(timestamp) });
}

function constructEvent(
  payload: string,
  header: string,
  webhookSecret: string,
  nowMs: number,
): Outcome<unknown> {
  try {
    const event: unknown = Stripe.webhooks.constructEvent(
      payload,
      header,
      webhookSecret,
      WEBHOOK_TOLERANCE_SECONDS,
      undefined,
      nowMs,
    );
    return ok(event);
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError)
      return fail(
        "unauthorized",
        "forged Stripe-Signature: no signature matches this payload under the endpoint secret " +
          "(signed with another secret, or the body was changed)",
      );
    if (error instanceof SyntaxError)
      return fail("invalid_request", `webhook payload is not JSON: ${error.message}`);
    return fail("invalid_request", `webhook payload is not a Stripe event: ${String(error)}`);
  }
}

const STRIPE_ID = z.string().min(1).max(255);
/** A reference Stripe may send as an id or, when expanded, as the object. */
const REFERENCE = z.union([STRIPE_ID, z.object({ id: STRIPE_ID }).transform((object) => object.id)]);
const AMOUNT = z.int().nonnegative();
const CURRENCY = z.string().regex(/^[a-z]{3}$/, "a lower-case ISO 4217 code");

const EVENT = z.object({
  id: STRIPE_ID,
  object: z.literal("event"),
  type: z.string().min(1).max(255),
  created: z.int().nonnegative(),
  data: z.object({ object: z.unknown() }),
});

const SESSION = z.object({
  id: STRIPE_ID,
  object: z.literal("checkout.session"),
  amount_total: AMOUNT.nullable(),
  currency: CURRENCY.nullable(),
  payment_status: z.string(),
  payment_intent: REFERENCE.nullable(),
  client_reference_id: z.string().nullable().optional(),
  metadata: z.record(z.string(), z.string()).nullable().optional(),
});

const CHARGE = z.object({
  id: STRIPE_ID,
  object: z.literal("charge"),
  amount_refunded: AMOUNT,
  currency: CURRENCY,
  payment_intent: REFERENCE.nullable(),
});

const DISPUTE = z.object({
  id: STRIPE_ID,
  object: z.literal("dispute"),
  amount: AMOUNT,
  currency: CURRENCY,
  payment_intent: REFERENCE.nullable(),
});

/** What an ended session must carry: which session, and the purchase it was for. */
const ENDED_SESSION = z.object({
  id: STRIPE_ID,
  object: z.literal("checkout.session"),
  client_reference_id: z.string().nullable().optional(),
  metadata: z.record(z.string(), z.string()).nullable().optional(),
});

const CLOSED_DISPUTE = z.object({
  id: STRIPE_ID,
  object: z.literal("dispute"),
  status: z.string().min(1).max(64),
  payment_intent: REFERENCE.nullable(),
});

type EventEnvelope = z.infer<typeof EVENT>;

function toPaymentEvent(raw: unknown): Outcome<PaymentEvent> {
  const event = parse(EVENT, raw, "event");
  if (!event.ok) return event;
  switch (event.value.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded":
      return checkoutCompleted(event.value);
    case "checkout.session.expired":
      return checkoutEnded(event.value, "checkout_expired");
    case "checkout.session.async_payment_failed":
      return checkoutEnded(event.value, "checkout_failed");
    case "charge.refunded":
      return chargeRefunded(event.value);
    case "charge.dispute.created":
      return disputeCreated(event.value);
    case "charge.dispute.closed":
      return disputeClosed(event.value);
    default:
      return ok(ignored(event.value));
  }
}

function checkoutCompleted(event: EventEnvelope): Outcome<PaymentEvent> {
  const session = parse(SESSION, event.data.object, `${event.type} ${event.id}: the session`);
  if (!session.ok) return session;
  const { amount_total, currency, metadata } = session.value;
  if (amount_total === null || currency === null)
    return fail("invalid_request", `${event.type} ${event.id}: the session has no amount_total or currency`);
  return ok({
    type: "checkout_completed",
    eventId: event.id,
    createdAtMs: event.created * 1000,
    sessionId: session.value.id,
    purchaseId: metadata?.purchaseId ?? session.value.client_reference_id ?? null,
    customerId: metadata?.customerId ?? null,
    bundleId: metadata?.bundleId ?? null,
    amountTotalMinor: BigInt(amount_total),
    currency,
    paymentIntentId: session.value.payment_intent,
    paid: session.value.payment_status === "paid",
  });
}

function checkoutEnded(
  event: EventEnvelope,
  type: "checkout_expired" | "checkout_failed",
): Outcome<PaymentEvent> {
  const session = parse(ENDED_SESSION, event.data.object, `${event.type} ${event.id}: the session`);
  if (!session.ok) return session;
  return ok({
    type,
    eventId: event.id,
    createdAtMs: event.created * 1000,
    sessionId: session.value.id,
    purchaseId: session.value.metadata?.purchaseId ?? session.value.client_reference_id ?? null,
  });
}

/**
 * A charge or dispute without a payment intent cannot come from a Checkout Session (they always
 * charge through one), so it is none of Boon's purchases and is ignored.
 */
function chargeRefunded(event: EventEnvelope): Outcome<PaymentEvent> {
  const charge = parse(CHARGE, event.data.object, `${event.type} ${event.id}: the charge`);
  if (!charge.ok) return charge;
  if (charge.value.payment_intent === null) return ok(ignored(event));
  return ok({
    type: "charge_refunded",
    eventId: event.id,
    createdAtMs: event.created * 1000,
    paymentIntentId: charge.value.payment_intent,
    amountRefundedMinor: BigInt(charge.value.amount_refunded),
    currency: charge.value.currency,
  });
}

function disputeCreated(event: EventEnvelope): Outcome<PaymentEvent> {
  const dispute = parse(DISPUTE, event.data.object, `${event.type} ${event.id}: the dispute`);
  if (!dispute.ok) return dispute;
  if (dispute.value.payment_intent === null) return ok(ignored(event));
  return ok({
    type: "dispute_created",
    eventId: event.id,
    createdAtMs: event.created * 1000,
    paymentIntentId: dispute.value.payment_intent,
    amountMinor: BigInt(dispute.value.amount),
    currency: dispute.value.currency,
  });
}

/** Stripe's dispute statuses that leave the money with the seller when a dispute closes. */
const DISPUTE_STATUSES_WON: readonly string[] = ["won", "warning_closed"];

function disputeClosed(event: EventEnvelope): Outcome<PaymentEvent> {
  const dispute = parse(CLOSED_DISPUTE, event.data.object, `${event.type} ${event.id}: the dispute`);
  if (!dispute.ok) return dispute;
  if (dispute.value.payment_intent === null) return ok(ignored(event));
  return ok({
    type: "dispute_closed",
    eventId: event.id,
    createdAtMs: event.created * 1000,
    paymentIntentId: dispute.value.payment_intent,
    status: dispute.value.status,
    won: DISPUTE_STATUSES_WON.includes(dispute.value.status),
  });
}

function ignored(event: EventEnvelope): PaymentEvent {
  return { type: "ignored", eventId: event.id, providerType: event.type };
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): Outcome<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return ok(parsed.data);
  const issues = parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length === 0 ? "(root)" : issue.path.join(".")}: ${issue.message}`);
  return fail("invalid_request", `${what} is not what Stripe sends: ${issues.join("; ")}`);
}

/** The facts of a session paid on the demo page: what Stripe would put in its completion event. */
export interface DemoSessionFacts {
  readonly sessionId: string;
  readonly purchaseId: string;
  readonly customerId: string;
  readonly bundleId: string;
  readonly asGift: boolean;
  readonly amountTotalMinor: bigint;
  readonly currency: string;
}

export interface DemoProvider extends PaymentProvider, WebhookReader {
  readonly kind: "demo";
  /** The signed `checkout.session.completed` delivery for a session paid on the demo page, as of now. */
  completion(facts: DemoSessionFacts): SignedDelivery;
}

export interface DemoProviderOptions {
  /** Where Boon is served; the demo page lives under it. */
  readonly publicUrl: string;
  readonly webhookSecret: string;
  readonly clock: Clock;
}

export const DEMO_SESSION_PREFIX = "cs_demo_";
const DEMO_SESSION_RANDOM_BYTES = 16;
/** How long the demo's pretend sessions last, as Stripe's do by default. */
const SESSION_TTL_SECONDS = 24 * 60 * 60;

/**
 * The embedded demo's provider: no network and no Stripe account. A checkout is a link to the demo
 * payment page; paying there produces a completion event signed with the demo's endpoint secret,
 * which the webhook route reads like any delivery from Stripe.
 */
export function createDemoProvider(options: DemoProviderOptions): DemoProvider {
  invariant(options.webhookSecret.trim() !== "", "the demo provider needs a webhook endpoint secret");
  const publicUrl = options.publicUrl.replace(/\/+$/, "");
  return {
    kind: "demo",
    async createCheckout(request): Promise<CheckoutSession> {
      // The demo refuses what Stripe would, so a demo checkout fails where a real one would.
      checkoutParams(request);
      const sessionId = `${DEMO_SESSION_PREFIX}${randomBytes(DEMO_SESSION_RANDOM_BYTES).toString("hex")}`;
      return { sessionId, url: `${publicUrl}/demo/pay/${sessionId}` };
    },
    completion(facts) {
      const nowMs = options.clock.nowMs();
      const payload = demoCompletionEvent(facts, nowMs);
      return { payload, signatureHeader: signDemoEvent(payload, options.webhookSecret, nowMs) };
    },
    async refund(request): Promise<RefundAnswer> {
      const nowMs = options.clock.nowMs();
      const refund = demoRefundEvent(request, nowMs);
      const signatureHeader = signDemoEvent(refund.payload, options.webhookSecret, nowMs);
      return { refundId: refund.refundId, delivery: { payload: refund.payload, signatureHeader } };
    },
    readEvent(payload, signatureHeader) {
      return readPaymentEvent(payload, signatureHeader, options.webhookSecret, options.clock.nowMs());
    },
  };
}

/**
 * A `checkout.session.completed` event in the shape Stripe sends. Its ids derive from the session,
 * so paying the same demo session twice delivers the same event, which the engine records once.
 */
export function demoCompletionEvent(facts: DemoSessionFacts, nowMs: number): string {
  invariant(
    facts.amountTotalMinor >= 0n && facts.amountTotalMinor <= BigInt(Number.MAX_SAFE_INTEGER),
    `a demo session cannot total ${facts.amountTotalMinor}`,
  );
  const suffix = facts.sessionId.startsWith(DEMO_SESSION_PREFIX)
    ? facts.sessionId.slice(DEMO_SESSION_PREFIX.length)
    : facts.sessionId;
  const createdSeconds = Math.floor(nowMs / 1000);
  const metadata = {
    purchaseId: facts.purchaseId,
    customerId: facts.customerId,
    bundleId: facts.bundleId,
    asGift: String(facts.asGift),
  };
  const amount = Number(facts.amountTotalMinor);
  const session = {
    id: facts.sessionId,
    object: "checkout.session",
    amount_subtotal: amount,
    amount_total: amount,
    cancel_url: null,
    client_reference_id: facts.purchaseId,
    created: createdSeconds,
    currency: facts.currency.toLowerCase(),
    customer: null,
    customer_details: null,
    expires_at: createdSeconds + SESSION_TTL_SECONDS,
    livemode: false,
    metadata,
    mode: "payment",
    payment_intent: `pi_demo_${suffix}`,
    payment_method_types: ["card"],
    payment_status: "paid",
    status: "complete",
    success_url: null,
    ui_mode: "hosted",
    url: null,
  };
  return JSON.stringify({
    id: `evt_demo_${suffix}`,
    object: "event",
    api_version: Stripe.API_VERSION,
    created: createdSeconds,
    data: { object: session },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: "checkout.session.completed",
  });
}

/**
 * A `charge.refunded` event for the whole of a demo payment, in the shape Stripe sends. Its ids
 * derive from the idempotency key, so a retried refund delivers the same event, recorded once.
 */
export function demoRefundEvent(
  request: RefundRequest,
  nowMs: number,
): { refundId: string; payload: string } {
  invariant(
    request.paidMinor > 0n && request.paidMinor <= BigInt(Number.MAX_SAFE_INTEGER),
    `a demo payment cannot total ${request.paidMinor}`,
  );
  const suffix = createHash("sha256").update(request.idempotencyKey).digest("hex").slice(0, 24);
  const createdSeconds = Math.floor(nowMs / 1000);
  const amount = Number(request.paidMinor);
  const charge = {
    id: `ch_demo_${suffix}`,
    object: "charge",
    amount,
    amount_captured: amount,
    amount_refunded: amount,
    captured: true,
    created: createdSeconds,
    currency: request.currency.toLowerCase(),
    livemode: false,
    metadata: { purchaseId: request.purchaseId },
    paid: true,
    payment_intent: request.paymentIntentId,
    refunded: true,
    status: "succeeded",
  };
  const payload = JSON.stringify({
    id: `evt_demo_rf_${suffix}`,
    object: "event",
    api_version: Stripe.API_VERSION,
    created: createdSeconds,
    data: { object: charge },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: request.idempotencyKey },
    type: "charge.refunded",
  });
  return { refundId: `re_demo_${suffix}`, payload };
}

/** The `Stripe-Signature` header for a payload, made by Stripe's own test helper. */
export function signDemoEvent(payload: string, webhookSecret: string, nowMs: number): string {
  // The helper treats a timestamp of 0 as "use the wall clock", so the clock must be past 1970.
  const timestamp = Math.floor(nowMs / 1000);
  invariant(timestamp > 0, `cannot sign at ${nowMs}ms: Stripe's helper would read the wall clock instead`);
  return Stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret, timestamp });
}
