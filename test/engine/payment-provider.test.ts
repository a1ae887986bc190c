/**
 * The payment providers without a database: Stripe checkout through the `stripe` library pointed at
 * a local stand-in (what is sent, idempotent retries, failures), webhook signatures checked by the
 * library against an injected clock (valid, forged, tampered, stale, future, missing, malformed),
 * each event type read into the engine's `PaymentEvent`, and the demo provider's round trip through
 * the same reader.
 */
import { createServer } from "node:net";
import fc from "fast-check";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import type { CheckoutRequest, PaymentEvent } from "../../src/core/payments.js";
import {
  createDemoProvider,
  createStripeProvider,
  type DemoSessionFacts,
  demoCompletionEvent,
  PaymentProviderError,
  readPaymentEvent,
  type StripeProviderOptions,
  signDemoEvent,
  WEBHOOK_PAYLOAD_BYTES_MAX,
  WEBHOOK_TOLERANCE_SECONDS,
} from "../../src/engine/payment-provider.js";
import { codeOf, counter, expectOk } from "../support/outcomes.js";
import {
  charge,
  checkoutSession,
  dispute,
  signedEvent,
  signStripePayload,
  stripeEvent,
  stripeId,
  TEST_WEBHOOK_SECRET,
} from "../support/stripe-events.js";
import { type StripeStandIn, startStripeStandIn } from "../support/stripe-stand-in.js";

const NOW_MS = Date.UTC(2026, 5, 11, 9);
const NOW_SECONDS = NOW_MS / 1000;
const purchaseIds = counter("pur_test");

function checkoutRequest(overrides: Partial<CheckoutRequest> = {}): CheckoutRequest {
  return {
    purchaseId: purchaseIds(),
    customerId: "cus_ada",
    bundleId: "bnd_starter",
    bundleName: "Starter pack: 1,000 credits",
    priceMinor: 1999n,
    currency: "usd",
    asGift: false,
    successUrl: "https://app.example.com/credits?checkout=done",
    cancelUrl: "https://app.example.com/credits?checkout=cancelled",
    expiresAtMs: NOW_MS + 23 * 3_600_000,
    ...overrides,
  };
}

/** Reads a delivery as the webhook route would, at the test's fixed instant unless told. */
function read(payload: string, header: string | undefined, nowMs: number = NOW_MS) {
  return readPaymentEvent(payload, header, TEST_WEBHOOK_SECRET, nowMs);
}

function completedPayload(createdSeconds: number = NOW_SECONDS): string {
  const session = checkoutSession({
    purchaseId: "pur_1",
    customerId: "cus_ada",
    bundleId: "bnd_starter",
    amountTotalMinor: 1999,
    currency: "usd",
    createdSeconds,
  });
  return stripeEvent("checkout.session.completed", session, { createdSeconds });
}

function failureOf(outcome: ReturnType<typeof read>): { code: string; message: string } {
  if (outcome.ok) throw new Error(`expected a refusal, got ${JSON.stringify(outcome.value, bigints)}`);
  return outcome.error;
}

function bigints(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? `${value}n` : value;
}

describe("Stripe checkout through the stand-in", () => {
  let standIn: StripeStandIn;
  const clock = new ManualClock(NOW_MS);

  beforeAll(async () => {
    standIn = await startStripeStandIn({ nowMs: () => clock.nowMs() });
  });
  afterAll(async () => {
    await standIn.close();
  });

  const provider = (overrides: Partial<StripeProviderOptions> = {}) =>
    createStripeProvider({
      secretKey: standIn.secretKey,
      webhookSecret: TEST_WEBHOOK_SECRET,
      clock,
      host: standIn.host,
      port: standIn.port,
      protocol: standIn.protocol,
      ...overrides,
    });

  it("creates a payment session for the bundle, the purchase in its metadata and its charge's", async () => {
    const request = checkoutRequest({ asGift: true, currency: "EUR" });
    const session = await provider().createCheckout(request);

    expect(session.sessionId).toMatch(/^cs_test_/);
    expect(session.url).toBe(
      `https://checkout.stripe.com/c/pay/${session.sessionId}#fidkdWxOYHwnPyd1blpxYHZxWjA0`,
    );
    const sent = standIn.requests.at(-1);
    expect(sent?.method).toBe("POST");
    expect(sent?.path).toBe("/v1/checkout/sessions");
    expect(sent?.headers["idempotency-key"]).toBe(request.purchaseId);
    expect(sent?.headers.authorization).toBe(`Bearer ${standIn.secretKey}`);
    expect(sent?.headers["stripe-version"]).toBe(Stripe.API_VERSION);
    expect(sent?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    const metadata = {
      purchaseId: request.purchaseId,
      customerId: "cus_ada",
      bundleId: "bnd_starter",
      asGift: "true",
    };
    expect(sent?.form).toEqual({
      mode: "payment",
      line_items: [
        {
          price_data: {
            currency: "eur",
            unit_amount: "1999",
            product_data: { name: "Starter pack: 1,000 credits" },
          },
          quantity: "1",
        },
      ],
      client_reference_id: request.purchaseId,
      metadata,
      payment_intent_data: { metadata },
      success_url: request.successUrl,
      cancel_url: request.cancelUrl,
      expires_at: String(NOW_SECONDS + 23 * 3600),
    });
    expect(standIn.sessions.at(-1)).toMatchObject({
      id: session.sessionId,
      amount_total: 1999,
      currency: "eur",
      metadata,
      payment_status: "unpaid",
    });
  });

  it("a retried checkout answers the first session and makes no second one", async () => {
    const request = checkoutRequest();
    const sessionsBefore = standIn.sessions.length;

    const first = await provider().createCheckout(request);
    const again = await provider().createCheckout(request);

    expect(again).toEqual(first);
    expect(standIn.sessions.length).toBe(sessionsBefore + 1);
  });

  it("reusing a purchase id with other parameters is an idempotency conflict", async () => {
    const request = checkoutRequest();
    await provider().createCheckout(request);

    const reused = provider().createCheckout({ ...request, priceMinor: 999n });

    await expect(reused).rejects.toBeInstanceOf(PaymentProviderError);
    await expect(reused).rejects.toMatchObject({
      code: "idempotency_conflict",
      message: expect.stringMatching(
        /^Stripe answered 400 StripeIdempotencyError: Keys for idempotent requests/,
      ),
    });
  });

  it("a 500 is retried with the same idempotency key, then answers the session", async () => {
    const request = checkoutRequest();
    const requestsBefore = standIn.requests.length;
    standIn.failNext({ status: 500, error: { type: "api_error", message: "An unknown error occurred" } });

    const session = await provider().createCheckout(request);

    const attempts = standIn.requests.slice(requestsBefore);
    expect(attempts.map((attempt) => attempt.headers["idempotency-key"])).toEqual([
      request.purchaseId,
      request.purchaseId,
    ]);
    expect(standIn.sessions.at(-1)?.id).toBe(session.sessionId);
  });

  it("Stripe's refusal surfaces with its own message, status and request id", async () => {
    standIn.failNext({
      status: 400,
      error: {
        type: "invalid_request_error",
        code: "amount_too_large",
        param: "line_items[0][price_data][unit_amount]",
        message: "Amount must be no more than $999,999.99",
      },
    });

    const refused = provider().createCheckout(checkoutRequest());

    await expect(refused).rejects.toMatchObject({
      code: "invalid_request",
      message: expect.stringMatching(
        /^Stripe answered 400 StripeInvalidRequestError: Amount must be no more than \$999,999\.99 \(request req_standin\d+\)$/,
      ),
      providerRequestId: expect.stringMatching(/^req_standin/),
    });
  });

  it("Stripe failing past the retries is unavailable", async () => {
    standIn.failNext(
      { status: 503, error: { type: "api_error", message: "Service unavailable" } },
      { status: 500, error: { type: "api_error", message: "An unknown error occurred" } },
    );

    const refused = provider({ maxNetworkRetries: 1 }).createCheckout(checkoutRequest());

    await expect(refused).rejects.toMatchObject({
      code: "unavailable",
      message: expect.stringContaining("An unknown error occurred"),
    });
  });

  it("a failure Stripe says not to retry is not retried", async () => {
    const requestsBefore = standIn.requests.length;
    standIn.failNext({
      status: 500,
      error: { type: "api_error", message: "Replaying this request would not help" },
      shouldRetry: false,
    });

    await expect(provider().createCheckout(checkoutRequest())).rejects.toMatchObject({ code: "unavailable" });
    expect(standIn.requests.length).toBe(requestsBefore + 1);
  });

  it("a refused secret key is a configuration failure, not the customer's", async () => {
    const refused = provider({ secretKey: "sk_test_not_this_one" }).createCheckout(checkoutRequest());

    await expect(refused).rejects.toMatchObject({
      code: "internal",
      message: expect.stringContaining("Stripe refused the configured secret key"),
    });
  });

  it("an unreachable Stripe is unavailable", async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const address = probe.address();
        const port = typeof address === "object" && address !== null ? address.port : 0;
        probe.close(() => resolve(port));
      });
    });

    const refused = provider({ port: closedPort, maxNetworkRetries: 0 }).createCheckout(checkoutRequest());

    await expect(refused).rejects.toMatchObject({
      code: "unavailable",
      message: expect.stringContaining("StripeConnectionError"),
    });
  });

  it("refuses a price or currency Stripe could not take, before asking it", async () => {
    const requestsBefore = standIn.requests.length;

    await expect(provider().createCheckout(checkoutRequest({ priceMinor: 0n }))).rejects.toMatchObject({
      code: "invalid_request",
      message: "price 0 is not a positive amount",
    });
    await expect(provider().createCheckout(checkoutRequest({ currency: "dollars" }))).rejects.toMatchObject({
      code: "invalid_request",
      message: 'currency "dollars" is not an ISO 4217 code',
    });
    expect(standIn.requests.length).toBe(requestsBefore);
  });

  it("a session expiring beyond Stripe's 24 hours is Stripe's refusal, with its message", async () => {
    const request = checkoutRequest({ expiresAtMs: NOW_MS + 25 * 3_600_000 });

    await expect(provider().createCheckout(request)).rejects.toMatchObject({
      code: "invalid_request",
      message: expect.stringContaining("expires_at"),
    });
  });

  it("refunds a payment with the given idempotency key: a retry is the same refund", async () => {
    const stripe = provider();
    const refund = {
      purchaseId: "pur_refund_1",
      paymentIntentId: stripeId("pi"),
      idempotencyKey: "boon-refund-pur_refund_1",
      paidMinor: 1999n,
      currency: "usd",
    };
    const refundsBefore = standIn.refunds.length;

    const first = await stripe.refund(refund);
    const again = await stripe.refund(refund);

    expect(first).toEqual({ refundId: expect.stringMatching(/^re_/), delivery: null });
    expect(again).toEqual(first);
    expect(standIn.refunds.length).toBe(refundsBefore + 1);
    const sent = standIn.requests.at(-1);
    expect(sent?.path).toBe("/v1/refunds");
    expect(sent?.headers["idempotency-key"]).toBe("boon-refund-pur_refund_1");
    expect(sent?.form).toEqual({
      payment_intent: refund.paymentIntentId,
      metadata: { purchaseId: "pur_refund_1" },
    });
  });

  it("Stripe refusing a refund surfaces as invalid_request with its message; a 5xx as unavailable", async () => {
    const paymentIntentId = stripeId("pi");
    const refund = (key: string) => ({
      purchaseId: "pur_refund_2",
      paymentIntentId,
      idempotencyKey: key,
      paidMinor: 500n,
      currency: "usd",
    });
    await provider().refund(refund("first"));

    await expect(provider().refund(refund("second"))).rejects.toMatchObject({
      code: "invalid_request",
      message: expect.stringContaining("has already been refunded"),
    });
    standIn.failNext(
      ...Array.from({ length: 3 }, () => ({
        status: 500,
        error: { type: "api_error", message: "Something went wrong on Stripe's end." },
      })),
    );
    await expect(provider({ maxNetworkRetries: 2 }).refund(refund("third"))).rejects.toMatchObject({
      code: "unavailable",
    });
  });

  it("the session Stripe made completes through the webhook reader with the purchase's facts", async () => {
    const request = checkoutRequest();
    const stripe = provider();
    const session = await stripe.createCheckout(request);
    const made = standIn.sessions.at(-1);
    const paymentIntentId = stripeId("pi");
    const completed = {
      ...made,
      payment_status: "paid",
      status: "complete",
      payment_intent: paymentIntentId,
    };
    const delivery = signedEvent(
      stripeEvent("checkout.session.completed", completed, { createdSeconds: NOW_SECONDS }),
      NOW_SECONDS,
    );

    const event = expectOk(stripe.readEvent(delivery.payload, delivery.signatureHeader));

    expect(event).toMatchObject({
      type: "checkout_completed",
      sessionId: session.sessionId,
      purchaseId: request.purchaseId,
      customerId: request.customerId,
      bundleId: request.bundleId,
      amountTotalMinor: 1999n,
      currency: "usd",
      paymentIntentId,
      paid: true,
    });
  });
});

describe("webhook signatures", () => {
  it("a delivery signed with the endpoint secret just now is read", () => {
    const payload = completedPayload();

    expect(read(payload, signStripePayload(payload, NOW_SECONDS)).ok).toBe(true);
  });

  it("a signature made with another secret is refused as forged", () => {
    const payload = completedPayload();
    const forged = signStripePayload(payload, NOW_SECONDS, "whsec_someone_else");

    expect(failureOf(read(payload, forged))).toEqual({
      code: "unauthorized",
      message:
        "forged Stripe-Signature: no signature matches this payload under the endpoint secret " +
        "(signed with another secret, or the body was changed)",
    });
  });

  it("a body changed after signing is refused as forged", () => {
    const payload = completedPayload();
    const header = signStripePayload(payload, NOW_SECONDS);
    const tampered = payload.replace('"amount_total":1999', '"amount_total":199900');

    expect(tampered).not.toBe(payload);
    expect(failureOf(read(tampered, header)).message).toMatch(/^forged Stripe-Signature/);
  });

  it("any change to any character of the payload is refused", () => {
    const payload = completedPayload();
    const header = signStripePayload(payload, NOW_SECONDS);
    fc.assert(
      fc.property(
        fc.nat({ max: payload.length - 1 }),
        fc.integer({ min: 0x20, max: 0x7e }),
        (index, code) => {
          fc.pre(payload.charCodeAt(index) !== code);
          const tampered = payload.slice(0, index) + String.fromCharCode(code) + payload.slice(index + 1);
          expect(codeOf(read(tampered, header))).toBe("unauthorized");
        },
      ),
    );
  });

  it("a signature older than the tolerance is refused as stale, by the injected clock", () => {
    const payload = completedPayload();
    const header = signStripePayload(payload, NOW_SECONDS - WEBHOOK_TOLERANCE_SECONDS - 1);

    expect(failureOf(read(payload, header))).toEqual({
      code: "unauthorized",
      message: "stale Stripe-Signature: signed 301s ago, beyond the 300s tolerance",
    });
  });

  it("a signature from beyond the tolerance in the future is refused", () => {
    const payload = completedPayload();
    const header = signStripePayload(payload, NOW_SECONDS + WEBHOOK_TOLERANCE_SECONDS + 1);

    expect(failureOf(read(payload, header))).toEqual({
      code: "unauthorized",
      message: "Stripe-Signature from the future: signed 301s ahead, beyond the 300s tolerance",
    });
  });

  it("a signature is good for exactly the tolerance either way, whatever the wall clock says", () => {
    const payload = completedPayload();
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), (offsetSeconds) => {
        const header = signStripePayload(payload, NOW_SECONDS + offsetSeconds);
        const accepted = Math.abs(offsetSeconds) <= WEBHOOK_TOLERANCE_SECONDS;
        expect(codeOf(read(payload, header))).toBe(accepted ? "ok" : "unauthorized");
      }),
    );
  });

  it("a missing or empty header is refused as missing", () => {
    const payload = completedPayload();

    for (const header of [undefined, "", "  "]) {
      expect(failureOf(read(payload, header))).toEqual({
        code: "unauthorized",
        message: "missing Stripe-Signature header",
      });
    }
  });

  it("a header that is not Stripe's format is refused as malformed, saying what is wrong", () => {
    const payload = completedPayload();
    const signature = signStripePayload(payload, NOW_SECONDS).split(",")[1] ?? "";
    const cases: [string, string][] = [
      ["garbage", "expected one t=<unix seconds>"],
      [signature, "expected one t=<unix seconds>"],
      [`t=soon,${signature}`, "expected one t=<unix seconds>"],
      [`t=${NOW_SECONDS},t=${NOW_SECONDS},${signature}`, "expected one t=<unix seconds>"],
      [`t=${NOW_SECONDS}`, "no v1 signature"],
      [`t=${NOW_SECONDS},v0=${"a".repeat(64)}`, "no v1 signature"],
      [`t=${NOW_SECONDS},v1=not-hex`, "a v1 signature is not 64 hex digits"],
      [`t=${NOW_SECONDS},${signature},${"x".repeat(2000)}`, "longer than 2000"],
    ];
    for (const [header, why] of cases) {
      expect(failureOf(read(payload, header))).toEqual({
        code: "unauthorized",
        message: `malformed Stripe-Signature header: ${why}`,
      });
    }
  });

  it("while a secret is rolled, a header carrying the new and the old signature is read", () => {
    const payload = completedPayload();
    const old = signStripePayload(payload, NOW_SECONDS, "whsec_old_secret");
    const current = signStripePayload(payload, NOW_SECONDS).split(",")[1] ?? "";

    expect(read(payload, `${old},${current}`).ok).toBe(true);
  });

  it("never throws, whatever arrives", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 300 }),
        fc.option(fc.string({ maxLength: 200 })),
        (payload, header) => {
          expect(read(payload, header ?? undefined).ok).toBe(false);
        },
      ),
    );
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const payload = JSON.stringify(value) ?? "null";
        expect(["ok", "invalid_request"]).toContain(
          codeOf(read(payload, signStripePayload(payload, NOW_SECONDS))),
        );
      }),
    );
  });
});

describe("reading Stripe's events", () => {
  const deliver = (type: string, object: unknown, id?: string): ReturnType<typeof read> => {
    const payload = stripeEvent(type, object, { createdSeconds: NOW_SECONDS - 5, ...(id ? { id } : {}) });
    return read(payload, signStripePayload(payload, NOW_SECONDS));
  };
  const session = (overrides: Record<string, unknown> = {}) => ({
    ...checkoutSession({
      sessionId: "cs_test_a1paid",
      purchaseId: "pur_1",
      customerId: "cus_ada",
      bundleId: "bnd_starter",
      asGift: true,
      amountTotalMinor: 4900,
      currency: "usd",
      paymentIntentId: "pi_3Qpaid",
      createdSeconds: NOW_SECONDS - 60,
    }),
    ...overrides,
  });

  it("checkout.session.completed is a completed checkout with the purchase from metadata", () => {
    const event = expectOk(deliver("checkout.session.completed", session(), "evt_1Qcompleted"));

    expect(event).toEqual({
      type: "checkout_completed",
      eventId: "evt_1Qcompleted",
      createdAtMs: (NOW_SECONDS - 5) * 1000,
      sessionId: "cs_test_a1paid",
      purchaseId: "pur_1",
      customerId: "cus_ada",
      bundleId: "bnd_starter",
      amountTotalMinor: 4900n,
      currency: "usd",
      paymentIntentId: "pi_3Qpaid",
      paid: true,
    } satisfies PaymentEvent);
  });

  it("a session still waiting for a delayed payment is completed but not paid", () => {
    const event = expectOk(
      deliver("checkout.session.completed", session({ payment_status: "unpaid", payment_intent: null })),
    );

    expect(event).toMatchObject({ type: "checkout_completed", paid: false, paymentIntentId: null });
  });

  it("checkout.session.async_payment_succeeded completes the delayed payment", () => {
    const event = expectOk(deliver("checkout.session.async_payment_succeeded", session()));

    expect(event).toMatchObject({ type: "checkout_completed", paid: true, purchaseId: "pur_1" });
  });

  it("checkout.session.expired and async_payment_failed end the checkout named by the session", () => {
    const expired = expectOk(
      deliver("checkout.session.expired", session({ status: "expired" }), "evt_1Qexpired"),
    );
    const failed = expectOk(
      deliver(
        "checkout.session.async_payment_failed",
        session({ client_reference_id: null }),
        "evt_1Qfailed",
      ),
    );
    const anonymous = expectOk(
      deliver("checkout.session.expired", session({ metadata: {}, client_reference_id: null })),
    );

    expect(expired).toEqual({
      type: "checkout_expired",
      eventId: "evt_1Qexpired",
      createdAtMs: (NOW_SECONDS - 5) * 1000,
      sessionId: "cs_test_a1paid",
      purchaseId: "pur_1",
    } satisfies PaymentEvent);
    expect(failed).toMatchObject({
      type: "checkout_failed",
      sessionId: "cs_test_a1paid",
      purchaseId: "pur_1",
    });
    expect(anonymous).toMatchObject({ type: "checkout_expired", purchaseId: null });
    expect(codeOf(deliver("checkout.session.expired", { id: "cs_1", object: "charge" }))).toBe(
      "invalid_request",
    );
  });

  it("without metadata the purchase comes from client_reference_id; an expanded payment intent gives its id", () => {
    const event = expectOk(
      deliver(
        "checkout.session.completed",
        session({ metadata: {}, payment_intent: { id: "pi_3Qexpanded" } }),
      ),
    );

    expect(event).toMatchObject({
      purchaseId: "pur_1",
      customerId: null,
      bundleId: null,
      paymentIntentId: "pi_3Qexpanded",
    });
  });

  it("charge.refunded carries the cumulative amount refunded on the payment intent", () => {
    const refunded = charge({
      paymentIntentId: "pi_3Qpaid",
      amountMinor: 4900,
      amountRefundedMinor: 2000,
      currency: "usd",
      metadata: { purchaseId: "pur_1" },
      createdSeconds: NOW_SECONDS - 3600,
    });

    expect(expectOk(deliver("charge.refunded", refunded, "evt_1Qrefund"))).toEqual({
      type: "charge_refunded",
      eventId: "evt_1Qrefund",
      createdAtMs: (NOW_SECONDS - 5) * 1000,
      paymentIntentId: "pi_3Qpaid",
      amountRefundedMinor: 2000n,
      currency: "usd",
    } satisfies PaymentEvent);
  });

  it("charge.dispute.closed says how the dispute ended: won or an inquiry closed keeps the money", () => {
    const closed = (status: string) => ({
      ...dispute({
        paymentIntentId: "pi_3Qpaid",
        amountMinor: 4900,
        currency: "usd",
        createdSeconds: NOW_SECONDS,
      }),
      status,
    });

    expect(expectOk(deliver("charge.dispute.closed", closed("won"), "evt_1Qwon"))).toEqual({
      type: "dispute_closed",
      eventId: "evt_1Qwon",
      createdAtMs: (NOW_SECONDS - 5) * 1000,
      paymentIntentId: "pi_3Qpaid",
      status: "won",
      won: true,
    } satisfies PaymentEvent);
    expect(expectOk(deliver("charge.dispute.closed", closed("warning_closed")))).toMatchObject({ won: true });
    expect(expectOk(deliver("charge.dispute.closed", closed("lost")))).toMatchObject({
      status: "lost",
      won: false,
    });
    expect(
      expectOk(deliver("charge.dispute.closed", { ...closed("won"), payment_intent: null })),
    ).toMatchObject({ type: "ignored" });
    expect(codeOf(deliver("charge.dispute.closed", { ...closed("won"), status: "" }))).toBe(
      "invalid_request",
    );
  });

  it("charge.dispute.created carries the disputed amount and payment intent", () => {
    const opened = dispute({
      paymentIntentId: "pi_3Qpaid",
      amountMinor: 4900,
      currency: "usd",
      createdSeconds: NOW_SECONDS - 60,
    });

    expect(expectOk(deliver("charge.dispute.created", opened, "evt_1Qdispute"))).toEqual({
      type: "dispute_created",
      eventId: "evt_1Qdispute",
      createdAtMs: (NOW_SECONDS - 5) * 1000,
      paymentIntentId: "pi_3Qpaid",
      amountMinor: 4900n,
      currency: "usd",
    } satisfies PaymentEvent);
  });

  it("a refund or dispute on a charge without a payment intent is none of Boon's purchases", () => {
    const direct = charge({
      paymentIntentId: null,
      amountMinor: 500,
      amountRefundedMinor: 500,
      currency: "usd",
      createdSeconds: NOW_SECONDS,
    });
    const disputed = dispute({
      paymentIntentId: null,
      amountMinor: 500,
      currency: "usd",
      createdSeconds: NOW_SECONDS,
    });

    expect(expectOk(deliver("charge.refunded", direct))).toMatchObject({ type: "ignored" });
    expect(expectOk(deliver("charge.dispute.created", disputed))).toMatchObject({ type: "ignored" });
  });

  it("every other event type is ignored, named", () => {
    const types = ["payment_intent.succeeded", "charge.succeeded", "customer.created", "invoice.paid"];
    fc.assert(
      fc.property(fc.constantFrom(...types), (type) => {
        expect(expectOk(deliver(type, { id: "obj_1", object: "thing" }, "evt_1Qother"))).toEqual({
          type: "ignored",
          eventId: "evt_1Qother",
          providerType: type,
        });
      }),
    );
  });

  it("a signed payload that is not a readable event is refused with what is wrong", () => {
    const signedRead = (payload: string) => read(payload, signStripePayload(payload, NOW_SECONDS));

    expect(failureOf(signedRead("{not json")).message).toMatch(/^webhook payload is not JSON: /);
    expect(failureOf(signedRead('{"object":"event"}')).message).toMatch(
      /^event is not what Stripe sends: id: /,
    );
    expect(
      failureOf(
        signedRead(JSON.stringify({ id: "evt_thin", object: "v2.core.event", type: "v1.billing.meter" })),
      ).message,
    ).toMatch(/^webhook payload is not a Stripe event: /);
    expect(failureOf(deliver("checkout.session.completed", session({ amount_total: "4900" })))).toEqual({
      code: "invalid_request",
      message: expect.stringMatching(/the session is not what Stripe sends: amount_total: /),
    });
    expect(failureOf(deliver("checkout.session.completed", session({ amount_total: null })))).toEqual({
      code: "invalid_request",
      message: expect.stringMatching(/the session has no amount_total or currency$/),
    });
    expect(failureOf(deliver("charge.refunded", { id: "ch_1", object: "charge" })).code).toBe(
      "invalid_request",
    );
  });

  it("a payload beyond the size limit is refused before any hashing", () => {
    const payload = " ".repeat(WEBHOOK_PAYLOAD_BYTES_MAX + 1);

    expect(failureOf(read(payload, signStripePayload(payload, NOW_SECONDS)))).toEqual({
      code: "invalid_request",
      message: `webhook payload is ${WEBHOOK_PAYLOAD_BYTES_MAX + 1} bytes, more than ${WEBHOOK_PAYLOAD_BYTES_MAX}`,
    });
  });
});

describe("the demo provider", () => {
  const DEMO_SECRET = "whsec_demo_0f3c9a7e5b1d";
  const facts = (sessionId: string): DemoSessionFacts => ({
    sessionId,
    purchaseId: "pur_demo_1",
    customerId: "cus_ada",
    bundleId: "bnd_gift",
    asGift: true,
    amountTotalMinor: 999n,
    currency: "usd",
  });

  it("checks out without any network: a fresh demo session on Boon's own payment page", async () => {
    const demo = createDemoProvider({
      publicUrl: "http://localhost:8787/",
      webhookSecret: DEMO_SECRET,
      clock: new ManualClock(NOW_MS),
    });

    const first = await demo.createCheckout(checkoutRequest());
    const second = await demo.createCheckout(checkoutRequest());

    expect(demo.kind).toBe("demo");
    expect(first.sessionId).toMatch(/^cs_demo_[0-9a-f]{32}$/);
    expect(first.url).toBe(`http://localhost:8787/demo/pay/${first.sessionId}`);
    expect(second.sessionId).not.toBe(first.sessionId);
  });

  it("refuses what Stripe would refuse, so the demo fails where real checkout would", async () => {
    const demo = createDemoProvider({
      publicUrl: "http://localhost:8787",
      webhookSecret: DEMO_SECRET,
      clock: new ManualClock(NOW_MS),
    });

    await expect(demo.createCheckout(checkoutRequest({ priceMinor: -5n }))).rejects.toMatchObject({
      code: "invalid_request",
      message: "price -5 is not a positive amount",
    });
  });

  it("paying on the demo page completes the purchase through the same webhook reader", async () => {
    const clock = new ManualClock(NOW_MS);
    const demo = createDemoProvider({
      publicUrl: "http://localhost:8787",
      webhookSecret: DEMO_SECRET,
      clock,
    });
    const session = await demo.createCheckout(checkoutRequest());

    const delivery = demo.completion(facts(session.sessionId));
    const event = expectOk(demo.readEvent(delivery.payload, delivery.signatureHeader));

    expect(event).toMatchObject({
      type: "checkout_completed",
      sessionId: session.sessionId,
      purchaseId: "pur_demo_1",
      customerId: "cus_ada",
      bundleId: "bnd_gift",
      amountTotalMinor: 999n,
      currency: "usd",
      paid: true,
      createdAtMs: NOW_MS,
    });
    expect(JSON.parse(delivery.payload)).toMatchObject({
      object: "event",
      api_version: Stripe.API_VERSION,
      livemode: false,
      type: "checkout.session.completed",
      data: { object: { object: "checkout.session", mode: "payment", client_reference_id: "pur_demo_1" } },
    });
    clock.advanceMs((WEBHOOK_TOLERANCE_SECONDS + 1) * 1000);
    expect(failureOf(demo.readEvent(delivery.payload, delivery.signatureHeader)).message).toMatch(/^stale/);
  });

  it("a demo refund hands back Stripe's charge.refunded for the whole payment, the same on a retry", async () => {
    const clock = new ManualClock(NOW_MS);
    const demo = createDemoProvider({
      publicUrl: "http://localhost:8787",
      webhookSecret: DEMO_SECRET,
      clock,
    });
    const refund = {
      purchaseId: "pur_demo_1",
      paymentIntentId: "pi_demo_1",
      idempotencyKey: "boon-refund-pur_demo_1",
      paidMinor: 999n,
      currency: "usd",
    };

    const first = await demo.refund(refund);
    const again = await demo.refund(refund);
    const delivery = first.delivery;
    if (delivery === null) throw new Error("the demo refund delivered nothing");
    const event = expectOk(demo.readEvent(delivery.payload, delivery.signatureHeader));

    expect(first.refundId).toMatch(/^re_demo_[0-9a-f]{24}$/);
    expect(again).toEqual(first);
    expect(event).toEqual({
      type: "charge_refunded",
      eventId: expect.stringMatching(/^evt_demo_rf_/),
      createdAtMs: NOW_MS,
      paymentIntentId: "pi_demo_1",
      amountRefundedMinor: 999n,
      currency: "usd",
    } satisfies PaymentEvent);
    expect(codeOf(readPaymentEvent(delivery.payload, delivery.signatureHeader, "whsec_other", NOW_MS))).toBe(
      "unauthorized",
    );
  });

  it("paying the same demo session twice delivers the same event, so it is granted once", () => {
    const first = JSON.parse(demoCompletionEvent(facts("cs_demo_abc"), NOW_MS));
    const again = JSON.parse(demoCompletionEvent(facts("cs_demo_abc"), NOW_MS + 60_000));

    expect(first.id).toBe("evt_demo_abc");
    expect(again.id).toBe(first.id);
    expect(first.data.object.payment_intent).toBe("pi_demo_abc");
  });

  it("a demo delivery is refused by an endpoint with another secret", () => {
    const payload = demoCompletionEvent(facts("cs_demo_abc"), NOW_MS);
    const header = signDemoEvent(payload, DEMO_SECRET, NOW_MS);

    expect(codeOf(readPaymentEvent(payload, header, DEMO_SECRET, NOW_MS))).toBe("ok");
    expect(codeOf(read(payload, header))).toBe("unauthorized");
  });

  it("any purchase signed by the demo reads back as the same facts", () => {
    fc.assert(
      fc.property(
        fc.record({
          sessionId: fc.stringMatching(/^cs_demo_[0-9a-f]{1,32}$/),
          purchaseId: fc.string({ minLength: 1, maxLength: 40 }),
          customerId: fc.string({ minLength: 1, maxLength: 40 }),
          bundleId: fc.string({ minLength: 1, maxLength: 40 }),
          asGift: fc.boolean(),
          amountTotalMinor: fc.bigInt({ min: 0n, max: 99_999_999n }),
          currency: fc.constantFrom("usd", "eur", "jpy", "gbp"),
        }),
        fc.integer({ min: 1_000_000_000, max: 4_000_000_000 }).map((seconds) => seconds * 1000),
        (paid, nowMs) => {
          const payload = demoCompletionEvent(paid, nowMs);
          const event = expectOk(
            readPaymentEvent(payload, signDemoEvent(payload, DEMO_SECRET, nowMs), DEMO_SECRET, nowMs),
          );
          expect(event).toMatchObject({
            type: "checkout_completed",
            sessionId: paid.sessionId,
            purchaseId: paid.purchaseId,
            customerId: paid.customerId,
            bundleId: paid.bundleId,
            amountTotalMinor: paid.amountTotalMinor,
            currency: paid.currency,
            paid: true,
          });
        },
      ),
    );
  });
});
