/**
 * Checks on the inputs of payments: a checkout request from a client, and a provider event (read by
 * the provider from a verified webhook, and checked again here so that a bug there can't write
 * nonsense into the ledger). Each failure is `invalid_request` naming the field.
 */
import { BUNDLE_ID_PATTERN, CURRENCY_PATTERN } from "../core/bundles.js";
import { fail, type Outcome, ok } from "../core/errors.js";
import type { PaymentEvent } from "../core/payments.js";
import { checkCustomerId, checkKey } from "./validate.js";

export const CHECKOUT_URL_LENGTH_MAX = 2000;
/** Stripe's ids are well under this; anything longer is not one. */
export const PROVIDER_ID_LENGTH_MAX = 255;
/** A refund or dispute amount in minor units: beyond any single card payment. */
export const PAYMENT_AMOUNT_MINOR_MAX = 1_000_000_000_000n;

export interface CheckoutInput {
  readonly customerId: string;
  readonly bundleId: string;
  readonly asGift?: boolean | undefined;
  /** The currency the client expects to pay in; refused when the bundle is priced in another. */
  readonly currency?: string | undefined;
  readonly successUrl: string;
  readonly cancelUrl: string;
  readonly idempotencyKey: string;
}

export interface ParsedCheckout {
  readonly customerId: string;
  readonly bundleId: string;
  readonly asGift: boolean;
  readonly currency: string | null;
  readonly successUrl: string;
  readonly cancelUrl: string;
  readonly idempotencyKey: string;
}

function checkUrl(value: unknown, field: string): Outcome<string> {
  if (typeof value !== "string" || value.length > CHECKOUT_URL_LENGTH_MAX)
    return fail(
      "invalid_request",
      `${field} must be an http or https URL of at most ${CHECKOUT_URL_LENGTH_MAX} characters`,
    );
  try {
    const url = new URL(value);
    if (url.protocol === "http:" || url.protocol === "https:") return ok(value);
  } catch {
    // Falls through to the one answer for anything that is not an http(s) URL.
  }
  return fail(
    "invalid_request",
    `${field} must be an http or https URL of at most ${CHECKOUT_URL_LENGTH_MAX} characters`,
  );
}

export function parseCheckout(input: unknown): Outcome<ParsedCheckout> {
  if (typeof input !== "object" || input === null)
    return fail("invalid_request", "a checkout must be an object");
  const raw = input as Record<string, unknown>;
  const customer = checkCustomerId(raw.customerId);
  if (!customer.ok) return customer;
  if (typeof raw.bundleId !== "string" || !BUNDLE_ID_PATTERN.test(raw.bundleId))
    return fail("invalid_request", "bundleId must be 1 to 64 of a-z, 0-9, _ - (lower case)");
  if (raw.asGift !== undefined && typeof raw.asGift !== "boolean")
    return fail("invalid_request", "asGift must be true or false");
  if (
    raw.currency !== undefined &&
    (typeof raw.currency !== "string" || !CURRENCY_PATTERN.test(raw.currency))
  )
    return fail("invalid_request", 'currency must be an ISO 4217 code in lower case, such as "usd"');
  const success = checkUrl(raw.successUrl, "successUrl");
  if (!success.ok) return success;
  const cancel = checkUrl(raw.cancelUrl, "cancelUrl");
  if (!cancel.ok) return cancel;
  const key = checkKey(raw.idempotencyKey);
  if (!key.ok) return key;
  return ok({
    customerId: customer.value,
    bundleId: raw.bundleId,
    asGift: raw.asGift === true,
    currency: typeof raw.currency === "string" ? raw.currency : null,
    successUrl: success.value,
    cancelUrl: cancel.value,
    idempotencyKey: key.value,
  });
}

const isProviderId = (value: unknown): value is string =>
  typeof value === "string" && value.length > 0 && value.length <= PROVIDER_ID_LENGTH_MAX;

const isAmount = (value: unknown): value is bigint =>
  typeof value === "bigint" && value >= 0n && value <= PAYMENT_AMOUNT_MINOR_MAX;

/** The first problem of a provider event, in words, or null. */
function problemOf(event: PaymentEvent): string | null {
  if (!isProviderId(event.eventId)) return `eventId must be 1 to ${PROVIDER_ID_LENGTH_MAX} characters`;
  if (event.type === "ignored") return isProviderId(event.providerType) ? null : "providerType must be text";
  if (!Number.isSafeInteger(event.createdAtMs)) return "createdAtMs must be a time in milliseconds";
  if (event.type === "dispute_closed") {
    if (!isProviderId(event.paymentIntentId)) return "paymentIntentId must be a provider id";
    if (typeof event.status !== "string" || event.status.length === 0 || event.status.length > 64)
      return "status must be 1 to 64 characters";
    return typeof event.won === "boolean" ? null : "won must be true or false";
  }
  if (event.type === "checkout_expired" || event.type === "checkout_failed") {
    if (!isProviderId(event.sessionId)) return "sessionId must be a provider id";
    return event.purchaseId === null || typeof event.purchaseId === "string"
      ? null
      : "purchaseId must be text or null";
  }
  if (typeof event.currency !== "string" || !CURRENCY_PATTERN.test(event.currency))
    return "currency must be an ISO 4217 code in lower case";
  switch (event.type) {
    case "checkout_completed":
      if (!isProviderId(event.sessionId)) return "sessionId must be a provider id";
      if (event.paymentIntentId !== null && !isProviderId(event.paymentIntentId))
        return "paymentIntentId must be a provider id or null";
      if (event.purchaseId !== null && typeof event.purchaseId !== "string")
        return "purchaseId must be text or null";
      if (typeof event.paid !== "boolean") return "paid must be true or false";
      return isAmount(event.amountTotalMinor)
        ? null
        : "amountTotalMinor must be a whole number of minor units";
    case "charge_refunded":
      if (!isProviderId(event.paymentIntentId)) return "paymentIntentId must be a provider id";
      return isAmount(event.amountRefundedMinor)
        ? null
        : "amountRefundedMinor must be a whole number of minor units";
    case "dispute_created":
      if (!isProviderId(event.paymentIntentId)) return "paymentIntentId must be a provider id";
      return isAmount(event.amountMinor) ? null : "amountMinor must be a whole number of minor units";
    default:
      return "type must be checkout_completed, checkout_expired, checkout_failed, charge_refunded, dispute_created, dispute_closed or ignored";
  }
}

export function checkPaymentEvent(event: unknown): Outcome<PaymentEvent> {
  if (typeof event !== "object" || event === null)
    return fail("invalid_request", "a payment event must be an object");
  const problem = problemOf(event as PaymentEvent);
  return problem === null ? ok(event as PaymentEvent) : fail("invalid_request", `payment event: ${problem}`);
}
