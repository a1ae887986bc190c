/**
 * Stripe webhook events as Stripe sends them, for tests: the event envelope (`evt_...`, `object:
 * "event"`, `api_version`, `created`, `data.object`, `livemode`, `pending_webhooks`, `request`,
 * `type`) around a Checkout Session, a Charge or a Dispute with the fields of Stripe's documented
 * objects, each checked against the `stripe` library's own type of that object. Signed with the library's
 * `generateTestHeaderString`, exactly as Stripe signs a delivery.
 */
import Stripe from "stripe";

export const TEST_WEBHOOK_SECRET = "whsec_test_5WbX5kEWLlfzsGNjH64I8lOOqUB6e8FH";

let sequence = 0;
/** Distinct Stripe-looking ids: `evt_1Q...`, `pi_3Q...`. */
export function stripeId(prefix: string): string {
  sequence += 1;
  return `${prefix}_1Q${String(sequence).padStart(6, "0")}xTestStandIn`;
}

export interface EventOptions {
  readonly id?: string;
  readonly createdSeconds: number;
}

/** The JSON payload of one event, as the bytes Stripe would post. */
export function stripeEvent(type: string, object: unknown, options: EventOptions): string {
  return JSON.stringify({
    id: options.id ?? stripeId("evt"),
    object: "event",
    api_version: Stripe.API_VERSION,
    created: options.createdSeconds,
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  });
}

export interface SessionFacts {
  readonly sessionId?: string;
  readonly purchaseId: string;
  readonly customerId: string;
  readonly bundleId: string;
  readonly asGift?: boolean;
  readonly amountTotalMinor: number;
  readonly currency: string;
  readonly paymentStatus?: "paid" | "unpaid" | "no_payment_required";
  readonly paymentIntentId?: string | null;
  readonly createdSeconds: number;
}

/** A Checkout Session in mode payment, as `checkout.session.completed` carries it. */
export function checkoutSession(facts: SessionFacts) {
  const metadata = {
    purchaseId: facts.purchaseId,
    customerId: facts.customerId,
    bundleId: facts.bundleId,
    asGift: String(facts.asGift ?? false),
  };
  return {
    id: facts.sessionId ?? stripeId("cs_test"),
    object: "checkout.session",
    adaptive_pricing: { enabled: false },
    after_expiration: null,
    allow_promotion_codes: null,
    amount_subtotal: facts.amountTotalMinor,
    amount_total: facts.amountTotalMinor,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: "https://app.example.com/credits?checkout=cancelled",
    client_reference_id: facts.purchaseId,
    client_secret: null,
    consent: null,
    consent_collection: null,
    created: facts.createdSeconds,
    currency: facts.currency,
    custom_fields: [],
    custom_text: {
      after_submit: null,
      shipping_address: null,
      submit: null,
      terms_of_service_acceptance: null,
    },
    customer: null,
    customer_creation: "if_required",
    customer_details: {
      address: null,
      business_name: null,
      email: "buyer@example.com",
      individual_name: null,
      name: "Ada Buyer",
      phone: null,
      tax_exempt: "none",
      tax_ids: [],
    },
    customer_email: null,
    discounts: [],
    expires_at: facts.createdSeconds + 24 * 60 * 60,
    invoice: null,
    livemode: false,
    locale: null,
    metadata,
    mode: "payment",
    payment_intent: facts.paymentIntentId === undefined ? stripeId("pi") : facts.paymentIntentId,
    payment_link: null,
    payment_method_collection: "if_required",
    payment_method_types: ["card"],
    payment_status: facts.paymentStatus ?? "paid",
    recovered_from: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: "complete",
    submit_type: null,
    subscription: null,
    success_url: "https://app.example.com/credits?checkout=done",
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: "hosted",
    url: null,
  } satisfies Partial<Stripe.Checkout.Session>;
}

export interface ChargeFacts {
  readonly chargeId?: string;
  readonly paymentIntentId: string | null;
  readonly amountMinor: number;
  readonly amountRefundedMinor: number;
  readonly currency: string;
  readonly metadata?: Record<string, string>;
  readonly createdSeconds: number;
}

/** A card charge, as `charge.refunded` carries it (`amount_refunded` is cumulative). */
export function charge(facts: ChargeFacts) {
  return {
    id: facts.chargeId ?? stripeId("ch"),
    object: "charge",
    amount: facts.amountMinor,
    amount_captured: facts.amountMinor,
    amount_refunded: facts.amountRefundedMinor,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: stripeId("txn"),
    billing_details: {
      address: null,
      email: "buyer@example.com",
      name: "Ada Buyer",
      phone: null,
      tax_id: null,
    },
    calculated_statement_descriptor: "BOON CREDITS",
    captured: true,
    created: facts.createdSeconds,
    currency: facts.currency,
    customer: null,
    description: null,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    fraud_details: {},
    livemode: false,
    metadata: facts.metadata ?? {},
    on_behalf_of: null,
    outcome: {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: "approved_by_network",
      reason: null,
      risk_level: "normal",
      risk_score: 32,
      seller_message: "Payment complete.",
      type: "authorized",
    },
    paid: true,
    payment_intent: facts.paymentIntentId,
    payment_method: stripeId("pm"),
    receipt_email: null,
    receipt_number: null,
    receipt_url: "https://pay.stripe.com/receipts/payment/test",
    refunded: facts.amountRefundedMinor >= facts.amountMinor,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: "succeeded",
    transfer_data: null,
    transfer_group: null,
  } satisfies Partial<Stripe.Charge>;
}

export interface DisputeFacts {
  readonly disputeId?: string;
  readonly chargeId?: string;
  readonly paymentIntentId: string | null;
  readonly amountMinor: number;
  readonly currency: string;
  readonly reason?: string;
  readonly createdSeconds: number;
}

/** A dispute just opened, as `charge.dispute.created` carries it. */
export function dispute(facts: DisputeFacts) {
  return {
    id: facts.disputeId ?? stripeId("du"),
    object: "dispute",
    amount: facts.amountMinor,
    balance_transactions: [],
    charge: facts.chargeId ?? stripeId("ch"),
    created: facts.createdSeconds,
    currency: facts.currency,
    evidence_details: {
      due_by: facts.createdSeconds + 7 * 24 * 60 * 60,
      enhanced_eligibility: {},
      has_evidence: false,
      past_due: false,
      submission_count: 0,
      submission_method: "not_submitted",
    },
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent: facts.paymentIntentId,
    reason: facts.reason ?? "fraudulent",
    status: "needs_response",
  } satisfies Partial<Stripe.Dispute>;
}

/** The `Stripe-Signature` header Stripe would send with this payload at this time. */
export function signStripePayload(
  payload: string,
  timestampSeconds: number,
  secret: string = TEST_WEBHOOK_SECRET,
): string {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: timestampSeconds });
}

/** A payload with its signature, ready to post to the webhook route. */
export function signedEvent(
  payload: string,
  timestampSeconds: number,
  secret: string = TEST_WEBHOOK_SECRET,
): { readonly payload: string; readonly signatureHeader: string } {
  return { payload, signatureHeader: signStripePayload(payload, timestampSeconds, secret) };
}
