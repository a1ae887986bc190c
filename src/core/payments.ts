/**
 * The contract between the engine and a payment provider (Stripe, or the demo's own page): what the
 * engine asks for when a customer checks out, and the provider's events, already verified and read
 * into plain values. Amounts are integers in the currency's minor units, currencies ISO 4217 lower
 * case, as Stripe writes them.
 */

import type { ErrorCode } from "./errors.js";

export interface CheckoutRequest {
  /** The engine's purchase id: the provider puts it in the session's metadata and uses it as its idempotency key. */
  readonly purchaseId: string;
  readonly customerId: string;
  readonly bundleId: string;
  readonly bundleName: string;
  readonly priceMinor: bigint;
  readonly currency: string;
  readonly asGift: boolean;
  readonly successUrl: string;
  readonly cancelUrl: string;
  /**
   * When the session stops taking payment. Fixed when the purchase is stored, so that a retried
   * request to the provider is the same request (the provider's idempotency key refuses another).
   */
  readonly expiresAtMs: number;
}

export interface CheckoutSession {
  readonly sessionId: string;
  readonly url: string;
}

export type PaymentEvent =
  | {
      readonly type: "checkout_completed";
      readonly eventId: string;
      readonly createdAtMs: number;
      readonly sessionId: string;
      readonly purchaseId: string | null;
      readonly customerId: string | null;
      readonly bundleId: string | null;
      readonly amountTotalMinor: bigint;
      readonly currency: string;
      readonly paymentIntentId: string | null;
      readonly paid: boolean;
    }
  | {
      readonly type: "charge_refunded";
      readonly eventId: string;
      readonly createdAtMs: number;
      readonly paymentIntentId: string;
      /** Cumulative over the charge, as Stripe's `charge.amount_refunded`. */
      readonly amountRefundedMinor: bigint;
      readonly currency: string;
    }
  | {
      readonly type: "dispute_created";
      readonly eventId: string;
      readonly createdAtMs: number;
      readonly paymentIntentId: string;
      readonly amountMinor: bigint;
      readonly currency: string;
    }
  | {
      /**
       * A dispute ended. `won`: the money stays with (or came back to) the seller, as Stripe says
       * for `won` and for an inquiry closed without a chargeback (`warning_closed`).
       */
      readonly type: "dispute_closed";
      readonly eventId: string;
      readonly createdAtMs: number;
      readonly paymentIntentId: string;
      readonly status: string;
      readonly won: boolean;
    }
  | EndedCheckout<"checkout_expired">
  | EndedCheckout<"checkout_failed">
  | { readonly type: "ignored"; readonly eventId: string; readonly providerType: string };

/** The session expired unpaid, or the delayed payment its customer chose failed. */
export interface EndedCheckout<T extends "checkout_expired" | "checkout_failed"> {
  readonly type: T;
  readonly eventId: string;
  readonly createdAtMs: number;
  readonly sessionId: string;
  readonly purchaseId: string | null;
}

export type PaymentEventType = PaymentEvent["type"];

/** An operator's refund of what is left of a purchase's payment. */
export interface RefundRequest {
  readonly purchaseId: string;
  readonly paymentIntentId: string;
  /** The provider's idempotency key: a retry answers the refund the first attempt made. */
  readonly idempotencyKey: string;
  /** The payment's whole amount and currency, as the demo reports them; Stripe knows its own charge. */
  readonly paidMinor: bigint;
  readonly currency: string;
}

/** The provider's event exactly as it signed it, for the same reading a webhook delivery gets. */
export interface SignedDelivery {
  readonly payload: string;
  readonly signatureHeader: string;
}

export interface RefundAnswer {
  readonly refundId: string;
  /**
   * The demo's `charge.refunded` event, handled at once; null for Stripe, which sends that event
   * to the webhook on its own.
   */
  readonly delivery: SignedDelivery | null;
}

export interface PaymentProvider {
  readonly kind: "stripe" | "demo";
  createCheckout(request: CheckoutRequest): Promise<CheckoutSession>;
  refund(request: RefundRequest): Promise<RefundAnswer>;
}

/**
 * What handling an event did. Every event is recorded once by its id; a redelivery answers the
 * recorded outcome again with `replayed: true` and changes nothing.
 */
export const PAYMENT_EVENT_OUTCOMES = [
  /** The purchase was paid and its credits granted (or its gift balance funded). */
  "granted",
  /** Another event had already completed this purchase; nothing more was granted. */
  "already_completed",
  /** The amount or currency paid differs from the purchase's price: nothing granted, held for review. */
  "review",
  /** The session is not paid yet (a delayed payment method); nothing granted. */
  "unpaid",
  /** No purchase has this session or payment: recorded, nothing changed. */
  "unknown_purchase",
  /** A refund or dispute for a payment not yet granted: kept, and applied when the grant happens. */
  "deferred",
  "refunded",
  "disputed",
  /** A dispute of a granted purchase ended in the seller's favour, or in the customer's. */
  "dispute_won",
  "dispute_lost",
  /** The checkout ended unpaid: its session expired, or its delayed payment failed. */
  "expired",
  "failed",
  /** A refund event that refunds no more than earlier ones did, or a checkout that ended after it was settled. */
  "no_change",
  /** An event type the engine does not act on. */
  "ignored",
] as const;
export type PaymentEventOutcome = (typeof PAYMENT_EVENT_OUTCOMES)[number];

export interface HandledEvent {
  readonly eventId: string;
  readonly outcome: PaymentEventOutcome;
  readonly purchaseId: string | null;
  /** True when the event had been handled before and this delivery changed nothing. */
  readonly replayed: boolean;
}

/**
 * Why a checkout could not be created. `invalid_request`: Stripe refused what was asked;
 * `idempotency_conflict`: the purchase id was reused with other parameters; `unavailable`: Stripe
 * could not be reached or failed (retry later); `internal`: the provider is misconfigured.
 */
export class PaymentProviderError extends Error {
  override readonly name = "PaymentProviderError";
  readonly code: ErrorCode;
  /** Stripe's `Request-Id`, for finding the request in Stripe's dashboard. */
  readonly providerRequestId: string | null;

  constructor(code: ErrorCode, message: string, providerRequestId: string | null = null) {
    super(message);
    this.code = code;
    this.providerRequestId = providerRequestId;
  }
}
