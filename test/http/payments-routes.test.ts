/**
 * Bundles and payments over HTTP in process, on every backend: the catalog (admin writes, server and
 * customer reads), checkout through the real `stripe` library pointed at a local stand-in of Stripe's
 * API, and the payment webhook fed events signed with the library's own test helper: completion grants
 * a purchased lot and a promotional bonus lot once, however often it is delivered; a refund before
 * its completion, a refund after partial spend, a dispute, the review queue, gift purchases and the
 * revenue report; every forged, stale, tampered or missing signature refused with a warning and
 * nothing granted; bad checkouts refused with nothing changed; provider failures mapped to their
 * codes; the embedded demo's payment page through the same webhook; and `verify` clean after each.
 */
import { randomBytes } from "node:crypto";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type {
  Balance,
  Bundle,
  CheckoutSession as CheckoutAnswer,
  Purchase,
  RevenueReport,
  Schema,
} from "../../sdk/client.js";
import type { Clock } from "../../src/core/clock.js";
import { KEY_SECRET_PREFIX } from "../../src/engine/keys.js";
import { createDemoProvider, createStripeProvider } from "../../src/engine/payment-provider.js";
import { backends } from "../support/backends.js";
import { HTTP_START_MS, type HttpWorld, openHttpWorld } from "../support/http.js";
import { counter } from "../support/outcomes.js";
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

type WebhookAnswer = Schema<"PaymentWebhookAnswer">;
type Failure = { error: { code: string; message: string; requestId: string } };

const PUBLIC_URL = "https://boon.example";
const DAY_MS = 86_400_000;
const GENEROUS = { perSecond: 1000, burst: 10_000 };

const STARTER = { name: "Starter", credits: 1000, price: 1000, currency: "usd" };
const TEAM = {
  name: "Team pack",
  credits: 5000,
  bonusCredits: 500,
  bonusExpiresAfter: "90d",
  bonusPriority: 5,
  price: 4000,
  currency: "usd",
  giftable: true,
};
const EURO = { name: "Euro pack", credits: 2000, price: 1800, currency: "eur" };

function expectFailure(response: { status: number; body: unknown }, status: number, code: string): void {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.body).toMatchObject({
    error: { code, message: expect.any(String), requestId: expect.stringMatching(/^req_/) },
  });
}

const messageOf = (response: { body: unknown }): string => (response.body as Failure).error.message;

/** A pino logger that keeps its lines, to check what the webhook warns about. */
function recordingLogger() {
  const lines: { level: number; msg: string; code?: string; message?: string }[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

/** Requests and answers every payment scenario needs, over one world. */
function paymentsClient(world: () => HttpWorld) {
  const name = counter("cus_pay");
  const eventKey = counter("checkout");
  const nowSeconds = () => Math.floor(world().clock.nowMs() / 1000);
  const api = {
    nowSeconds,
    async customer(): Promise<string> {
      const id = name();
      const response = await world().call("PUT", `/v1/customers/${id}`, {
        body: { plan: null, signedUpAt: new Date(HTTP_START_MS - 400 * DAY_MS).toISOString() },
      });
      expect(response.status).toBe(200);
      return id;
    },
    async bundle(id: string, terms: object): Promise<Bundle & { created: boolean }> {
      const response = await world().call("PUT", `/v1/bundles/${id}`, { body: terms, key: world().adminKey });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body as Bundle & { created: boolean };
    },
    checkout(
      customerId: string,
      bundleId: string,
      extra: Record<string, unknown> = {},
      options: { key?: string; idempotencyKey?: string } = {},
    ) {
      return world().call("POST", "/v1/checkout", {
        body: { customerId, bundleId, ...extra },
        headers: { "idempotency-key": options.idempotencyKey ?? eventKey() },
        ...(options.key === undefined ? {} : { key: options.key }),
      });
    },
    async checkedOut(customerId: string, bundleId: string, extra: Record<string, unknown> = {}) {
      const response = await api.checkout(customerId, bundleId, extra);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body as CheckoutAnswer;
    },
    deliver(payload: string, signatureHeader: string | null) {
      return world().call("POST", "/v1/webhooks/payments", {
        key: null,
        body: payload,
        headers: signatureHeader === null ? {} : { "stripe-signature": signatureHeader },
      });
    },
    async delivered(event: { payload: string; signatureHeader: string }): Promise<WebhookAnswer> {
      const response = await api.deliver(event.payload, event.signatureHeader);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body as WebhookAnswer;
    },
    /** `checkout.session.completed` for a checkout, paid at the bundle's price unless told. */
    completed(
      customerId: string,
      answer: CheckoutAnswer,
      bundleId: string,
      money: { amount: number; currency?: string },
      paymentIntentId: string = stripeId("pi"),
    ) {
      const session = checkoutSession({
        sessionId: answer.sessionId,
        purchaseId: answer.purchaseId,
        customerId,
        bundleId,
        amountTotalMinor: money.amount,
        currency: money.currency ?? "usd",
        paymentIntentId,
        createdSeconds: nowSeconds(),
      });
      const payload = stripeEvent("checkout.session.completed", session, { createdSeconds: nowSeconds() });
      return { ...signedEvent(payload, nowSeconds()), paymentIntentId };
    },
    refunded(paymentIntentId: string, amount: number, refunded: number) {
      const object = charge({
        paymentIntentId,
        amountMinor: amount,
        amountRefundedMinor: refunded,
        currency: "usd",
        createdSeconds: nowSeconds(),
      });
      return signedEvent(
        stripeEvent("charge.refunded", object, { createdSeconds: nowSeconds() }),
        nowSeconds(),
      );
    },
    disputed(paymentIntentId: string, amount: number) {
      const object = dispute({
        paymentIntentId,
        amountMinor: amount,
        currency: "usd",
        createdSeconds: nowSeconds(),
      });
      const payload = stripeEvent("charge.dispute.created", object, { createdSeconds: nowSeconds() });
      return signedEvent(payload, nowSeconds());
    },
    async balance(customerId: string): Promise<Balance> {
      const response = await world().call("GET", `/v1/customers/${customerId}/balance`);
      expect(response.status).toBe(200);
      return response.body as Balance;
    },
    async purchases(customerId: string): Promise<Purchase[]> {
      const response = await world().call("GET", `/v1/customers/${customerId}/purchases`);
      expect(response.status).toBe(200);
      return (response.body as { data: Purchase[] }).data;
    },
    /** What a refusal must leave as it was: purchases, payment events, transfers and lots. */
    async counts() {
      const [row] = await world().store.query<Record<string, number>>(
        `SELECT (SELECT count(*)::integer FROM purchases) AS purchases,
                (SELECT count(*)::integer FROM transfers) AS transfers,
                (SELECT count(*)::integer FROM lots) AS lots`,
      );
      return row;
    },
  };
  return api;
}

async function expectVerified(world: HttpWorld): Promise<void> {
  const report = await world.engine.verify();
  expect(report.checks.filter((check) => check.violation !== null)).toEqual([]);
}

for (const backend of backends()) {
  describe(`payment routes with Stripe on ${backend.name}`, () => {
    let world: HttpWorld;
    let stripe: StripeStandIn;
    const log = recordingLogger();
    const api = paymentsClient(() => world);
    const admin = () => ({ key: world.adminKey });
    // The provider reads the world's clock, which exists only once the world is open.
    const clock: Clock = { nowMs: () => world.clock.nowMs() };

    beforeAll(async () => {
      stripe = await startStripeStandIn({ nowMs: () => world.clock.nowMs() });
      const provider = createStripeProvider({
        secretKey: stripe.secretKey,
        webhookSecret: TEST_WEBHOOK_SECRET,
        clock,
        host: stripe.host,
        port: stripe.port,
        protocol: stripe.protocol,
        maxNetworkRetries: 0,
      });
      world = await openHttpWorld(backend, {
        publicUrl: PUBLIC_URL,
        payments: { provider, webhooks: provider },
        logger: log.logger,
        rateLimits: { customer: GENEROUS },
      });
      await api.bundle("starter", STARTER);
      await api.bundle("team", TEAM);
      await api.bundle("euro", EURO);
    });
    afterAll(async () => {
      await world.close();
      await stripe.close();
      await backend.cleanup();
    });
    afterEach(async () => {
      await expectVerified(world);
    });

    describe("the catalog", () => {
      it("stores versions, lists active bundles to servers and customers, and retired ones to admins", async () => {
        const first = await api.bundle("spring", { ...STARTER, name: "Spring" });
        expect(first).toMatchObject({
          id: "spring",
          version: 1,
          created: true,
          createdAt: new Date(world.clock.nowMs()).toISOString(),
          name: "Spring",
          credits: 1000,
          bonusCredits: 0,
          bonusExpiresAfter: null,
          price: 1000,
          currency: "usd",
          giftable: false,
          status: "active",
          purchasedExpiresAfter: null,
        });
        expect((await api.bundle("spring", { ...STARTER, name: "Spring" })).created).toBe(false);
        expect(await api.bundle("spring", { ...STARTER, name: "Spring", price: 900 })).toMatchObject({
          version: 2,
          price: 900,
          created: true,
        });
        const retired = await world.call("POST", "/v1/bundles/spring/retire", admin());
        expect(retired.body).toMatchObject({ version: 3, status: "retired", created: true });
        const again = await world.call("POST", "/v1/bundles/spring/retire", admin());
        expect(again.body).toMatchObject({ version: 3, created: false });

        const customer = await api.customer();
        const minted = await world.call("POST", "/v1/customer-tokens", {
          body: { customerId: customer, ttlSeconds: 600 },
        });
        const token = (minted.body as { token: string }).token;
        for (const key of [world.serverKey, token]) {
          const listed = await world.call("GET", "/v1/bundles", { key });
          expect(listed.status).toBe(200);
          const ids = (listed.body as { data: Bundle[] }).data.map((bundle) => bundle.id);
          expect(ids).toEqual(["euro", "starter", "team"]);
        }
        const all = await world.call("GET", "/v1/bundles?includeRetired=true", admin());
        expect((all.body as { data: Bundle[] }).data.map((bundle) => bundle.id)).toContain("spring");
        expectFailure(await world.call("GET", "/v1/bundles?includeRetired=true"), 403, "forbidden");
        expectFailure(
          await world.call("GET", "/v1/bundles?includeRetired=true", { key: token }),
          403,
          "forbidden",
        );
      });

      it("refuses bad terms naming the field, and retiring an unknown bundle", async () => {
        const short = await world.call("PUT", "/v1/bundles/short", {
          body: { ...STARTER, purchasedExpiresAfter: "365d" },
          ...admin(),
        });
        expectFailure(short, 400, "invalid_request");
        expect(messageOf(short)).toContain("purchasedExpiresAfter");
        const noExpiry = await world.call("PUT", "/v1/bundles/bonus", {
          body: { ...STARTER, bonusCredits: 100 },
          ...admin(),
        });
        expectFailure(noExpiry, 400, "invalid_request");
        expect(messageOf(noExpiry)).toContain("bonusExpiresAfter");
        expectFailure(
          await world.call("PUT", "/v1/bundles/x", { body: { ...STARTER, extra: 1 }, ...admin() }),
          400,
          "invalid_request",
        );
        expectFailure(
          await world.call("PUT", "/v1/bundles/Bad!", { body: STARTER, ...admin() }),
          400,
          "invalid_request",
        );
        expectFailure(await world.call("POST", "/v1/bundles/nothing/retire", admin()), 404, "not_found");
      });
    });

    describe("checkout and completion", () => {
      it("creates a Stripe Checkout Session for the bundle, and a retry answers the same one", async () => {
        const customer = await api.customer();
        const sessionsBefore = stripe.sessions.length;
        const response = await api.checkout(customer, "team", {}, { idempotencyKey: "buy-team-1" });
        expect(response.status, JSON.stringify(response.body)).toBe(200);
        const answer = response.body as CheckoutAnswer;
        expect(answer).toEqual({
          purchaseId: expect.stringMatching(/^pur_/),
          sessionId: expect.stringMatching(/^cs_test_/),
          url: expect.stringMatching(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/),
        });
        const session = stripe.sessions.at(-1);
        expect(session).toMatchObject({
          id: answer.sessionId,
          mode: "payment",
          amount_total: 4000,
          currency: "usd",
          client_reference_id: answer.purchaseId,
          metadata: {
            purchaseId: answer.purchaseId,
            customerId: customer,
            bundleId: "team",
            asGift: "false",
          },
          success_url: `${PUBLIC_URL}/usage?checkout=done&session={CHECKOUT_SESSION_ID}`,
          cancel_url: `${PUBLIC_URL}/usage?checkout=cancelled&session={CHECKOUT_SESSION_ID}`,
        });
        expect(stripe.requests.at(-1)?.headers["idempotency-key"]).toBe(answer.purchaseId);
        const retry = await api.checkout(customer, "team", {}, { idempotencyKey: "buy-team-1" });
        expect(retry.body).toEqual(answer);
        expect(stripe.sessions.length).toBe(sessionsBefore + 1);
        expectFailure(
          await api.checkout(customer, "starter", {}, { idempotencyKey: "buy-team-1" }),
          409,
          "idempotency_conflict",
        );
        expect(await api.purchases(customer)).toMatchObject([
          {
            id: answer.purchaseId,
            state: "pending",
            sessionId: answer.sessionId,
            price: 4000,
            credits: 5000,
          },
        ]);
      });

      it("grants a purchased lot and a promotional bonus lot on completion, once however often delivered", async () => {
        const customer = await api.customer();
        const answer = await api.checkedOut(customer, "team", {
          successUrl: "https://app.example.com/ok",
          cancelUrl: "https://app.example.com/cancel",
        });
        expect(stripe.sessions.at(-1)).toMatchObject({ success_url: "https://app.example.com/ok" });
        const event = api.completed(customer, answer, "team", { amount: 4000 });
        expect(await api.delivered(event)).toEqual({
          received: true,
          eventId: expect.stringMatching(/^evt_/),
          outcome: "granted",
          purchaseId: answer.purchaseId,
          replayed: false,
          message: "purchase paid: credits granted",
        });
        const balance = await api.balance(customer);
        expect(balance.credits.available).toBe(5500);
        expect(balance.credits.byKind).toMatchObject({ purchased: 5000, promotional: 500 });
        const lots = balance.lots.map(({ kind, amount, transferable, expiresAt, priority }) => ({
          kind,
          amount,
          transferable,
          expiresAt,
          priority,
        }));
        expect(lots).toEqual(
          expect.arrayContaining([
            {
              kind: "purchased",
              amount: 5000,
              transferable: false,
              expiresAt: null,
              priority: expect.any(Number),
            },
            {
              kind: "promotional",
              amount: 500,
              transferable: expect.any(Boolean),
              expiresAt: new Date(world.clock.nowMs() + 90 * DAY_MS).toISOString(),
              priority: 5,
            },
          ]),
        );
        // The same delivery again, and the same session completed by another event: nothing more.
        const before = await api.counts();
        const replay = await api.delivered(event);
        expect(replay).toMatchObject({ outcome: "granted", replayed: true });
        expect(replay.message).toMatch(/^already processed/);
        world.clock.advanceMs(1000);
        const other = api.completed(customer, answer, "team", { amount: 4000 }, event.paymentIntentId);
        expect(await api.delivered(other)).toMatchObject({ outcome: "already_completed", replayed: false });
        expect(await api.counts()).toEqual(before);
        expect((await api.balance(customer)).credits.available).toBe(5500);
        expect(await api.purchases(customer)).toMatchObject([
          { state: "paid", paidAt: expect.any(String), lotId: expect.stringMatching(/^lot_/) },
        ]);
      });

      it("holds a payment of the wrong amount or currency for review, granting nothing, until an operator grants it", async () => {
        const customer = await api.customer();
        const answer = await api.checkedOut(customer, "starter");
        const wrong = await api.delivered(api.completed(customer, answer, "starter", { amount: 999 }));
        expect(wrong).toMatchObject({ outcome: "review", purchaseId: answer.purchaseId });
        expect((await api.balance(customer)).credits.available).toBe(0);
        const queue = await world.call("GET", "/v1/purchases/review", admin());
        expect(queue.status).toBe(200);
        const inReview = (queue.body as { data: Purchase[] }).data.find(
          (line) => line.id === answer.purchaseId,
        );
        expect(inReview).toMatchObject({ state: "review", reviewReason: expect.stringContaining("999") });
        const granted = await world.call("POST", `/v1/purchases/${answer.purchaseId}/review`, {
          body: { decision: "grant" },
          headers: { "idempotency-key": "grant-1" },
          ...admin(),
        });
        expect(granted.status, JSON.stringify(granted.body)).toBe(200);
        expect(granted.body).toMatchObject({ state: "paid", reviewDecision: "grant" });
        const retried = await world.call("POST", `/v1/purchases/${answer.purchaseId}/review`, {
          body: { decision: "grant" },
          headers: { "idempotency-key": "grant-1" },
          ...admin(),
        });
        expect(retried.body).toEqual(granted.body);
        expect((await api.balance(customer)).credits.available).toBe(1000);
        expectFailure(
          await world.call("POST", `/v1/purchases/${answer.purchaseId}/review`, {
            body: { decision: "close" },
            ...admin(),
          }),
          400,
          "invalid_request",
        );
        const euroBuyer = await api.customer();
        const euro = await api.checkedOut(euroBuyer, "starter");
        const currency = await api.delivered(
          api.completed(euroBuyer, euro, "starter", { amount: 1000, currency: "eur" }),
        );
        expect(currency.outcome).toBe("review");
        expect((await api.balance(euroBuyer)).credits.available).toBe(0);
      });

      it("answers 200 to event types it does not act on, and to unknown sessions, changing nothing", async () => {
        const before = await api.counts();
        const payload = stripeEvent(
          "customer.created",
          { id: "cus_Q1", object: "customer" },
          { createdSeconds: api.nowSeconds() },
        );
        expect(await api.delivered(signedEvent(payload, api.nowSeconds()))).toMatchObject({
          outcome: "ignored",
          message: "event type not handled: ignored",
        });
        const stranger = { purchaseId: "pur_unknown", sessionId: stripeId("cs_test"), url: "" };
        expect(
          await api.delivered(api.completed("cus_none", stranger, "team", { amount: 4000 })),
        ).toMatchObject({
          outcome: "unknown_purchase",
          purchaseId: null,
        });
        expect(await api.counts()).toEqual(before);
      });
    });

    describe("refunds and disputes", () => {
      it("applies a refund that arrives before its completion once the completion comes", async () => {
        const customer = await api.customer();
        const answer = await api.checkedOut(customer, "starter");
        const intent = stripeId("pi");
        expect(await api.delivered(api.refunded(intent, 1000, 1000))).toMatchObject({ outcome: "deferred" });
        world.clock.advanceMs(1000);
        expect(
          await api.delivered(api.completed(customer, answer, "starter", { amount: 1000 }, intent)),
        ).toMatchObject({
          outcome: "granted",
        });
        expect((await api.balance(customer)).credits.available).toBe(0);
        expect(await api.purchases(customer)).toMatchObject([
          { state: "refunded", refunded: 1000, recovered: 1000 },
        ]);
      });

      it("takes back what is unspent after a partial spend, records the rest, and queues it for review", async () => {
        const customer = await api.customer();
        const answer = await api.checkedOut(customer, "team");
        const event = api.completed(customer, answer, "team", { amount: 4000 });
        await api.delivered(event);
        // The bonus (promotional, spent first) and 2,500 of the purchased credits.
        const spent = await world.call("POST", `/v1/customers/${customer}/debits`, {
          body: { amount: 3000 },
        });
        expect(spent.status, JSON.stringify(spent.body)).toBe(200);
        world.clock.advanceMs(1000);
        expect(await api.delivered(api.refunded(event.paymentIntentId, 4000, 4000))).toMatchObject({
          outcome: "refunded",
          purchaseId: answer.purchaseId,
        });
        expect((await api.balance(customer)).credits.available).toBe(0);
        const [purchase] = await api.purchases(customer);
        expect(purchase).toMatchObject({ state: "refunded", refunded: 4000 });
        expect((purchase?.recovered ?? 0) + (purchase?.unrecovered ?? 0)).toBe(5500);
        expect(purchase?.unrecovered).toBe(3000);
        const queue = await world.call("GET", "/v1/purchases/review", admin());
        const ids = (queue.body as { data: Purchase[] }).data.map((line) => line.id);
        expect(ids).toContain(answer.purchaseId);
        const closed = await world.call("POST", `/v1/purchases/${answer.purchaseId}/review`, {
          body: { decision: "close" },
          ...admin(),
        });
        expect(closed.body).toMatchObject({ reviewDecision: "close", reviewResolvedAt: expect.any(String) });
        // The same refund again, and a smaller cumulative one, change nothing.
        expect(await api.delivered(api.refunded(event.paymentIntentId, 4000, 4000))).toMatchObject({
          outcome: "no_change",
        });
      });

      it("takes the purchase back on a dispute", async () => {
        const customer = await api.customer();
        const answer = await api.checkedOut(customer, "starter");
        const event = api.completed(customer, answer, "starter", { amount: 1000 });
        await api.delivered(event);
        const disputed = api.disputed(event.paymentIntentId, 1000);
        expect(await api.delivered(disputed)).toMatchObject({
          outcome: "disputed",
          purchaseId: answer.purchaseId,
        });
        expect(await api.delivered(disputed)).toMatchObject({ outcome: "disputed", replayed: true });
        expect((await api.balance(customer)).credits.available).toBe(0);
        expect(await api.purchases(customer)).toMatchObject([{ state: "disputed" }]);
        const won = {
          ...dispute({
            paymentIntentId: event.paymentIntentId,
            amountMinor: 1000,
            currency: "usd",
            createdSeconds: api.nowSeconds(),
          }),
          status: "won",
        };
        const closed = signedEvent(
          stripeEvent("charge.dispute.closed", won, { createdSeconds: api.nowSeconds() }),
          api.nowSeconds(),
        );
        expect(await api.delivered(closed)).toMatchObject({
          outcome: "dispute_won",
          purchaseId: answer.purchaseId,
          message: expect.stringContaining("was given back"),
        });
        const [purchase] = await api.purchases(customer);
        expect(purchase?.reviewReason).toMatch(/^dispute won \(won\): the payment stands/);
        expect(purchase).toMatchObject({ state: "paid", recovered: 0 });
        expect((await api.balance(customer)).credits.available).toBe(1000);
      });

      it("refunds a purchase in review through Stripe once; the refund's webhook takes back what is unspent", async () => {
        const customer = await api.customer();
        const answer = await api.checkedOut(customer, "starter");
        const event = api.completed(customer, answer, "starter", { amount: 1000 });
        await api.delivered(event);
        world.clock.advanceMs(1000);
        await api.delivered(api.refunded(event.paymentIntentId, 1000, 300));
        const refundsBefore = stripe.refunds.length;

        const settled = await world.call("POST", `/v1/purchases/${answer.purchaseId}/review`, {
          body: { decision: "refund" },
          headers: { "idempotency-key": "refund-decision-1" },
          ...admin(),
        });

        expect(settled.status, JSON.stringify(settled.body)).toBe(200);
        expect(settled.body).toMatchObject({
          reviewDecision: "refund",
          refundId: expect.stringMatching(/^re_/),
          reviewResolvedAt: expect.any(String),
        });
        expect(stripe.refunds.length).toBe(refundsBefore + 1);
        expect(stripe.requests.at(-1)).toMatchObject({
          path: "/v1/refunds",
          form: { payment_intent: event.paymentIntentId },
        });
        expect(stripe.requests.at(-1)?.headers["idempotency-key"]).toBe(`boon-refund-${answer.purchaseId}`);
        const again = await world.call("POST", `/v1/purchases/${answer.purchaseId}/review`, {
          body: { decision: "refund" },
          headers: { "idempotency-key": "refund-decision-1" },
          ...admin(),
        });
        expect(again.body).toEqual(settled.body);
        expect(stripe.refunds.length).toBe(refundsBefore + 1);
        expectFailure(
          await world.call("POST", `/v1/purchases/${answer.purchaseId}/review`, {
            body: { decision: "refund" },
            ...admin(),
          }),
          400,
          "invalid_request",
        );

        world.clock.advanceMs(1000);
        expect(await api.delivered(api.refunded(event.paymentIntentId, 1000, 1000))).toMatchObject({
          outcome: "refunded",
        });
        expect((await api.balance(customer)).credits.available).toBe(0);
        expect(await api.purchases(customer)).toMatchObject([
          { state: "refunded", refunded: 1000, recovered: 1000, reviewDecision: "refund" },
        ]);
        const queue = await world.call("GET", "/v1/purchases/review", admin());
        expect((queue.body as { data: Purchase[] }).data.map((line) => line.id)).not.toContain(
          answer.purchaseId,
        );
      });
    });

    describe("checkouts that end unpaid", () => {
      it("ends a pending checkout on checkout.session.expired; a later payment still grants it", async () => {
        const customer = await api.customer();
        const answer = await api.checkedOut(customer, "starter");
        const [made] = stripe.sessions.filter((session) => session.id === answer.sessionId);
        const expired = signedEvent(
          stripeEvent(
            "checkout.session.expired",
            { ...made, status: "expired" },
            { createdSeconds: api.nowSeconds() },
          ),
          api.nowSeconds(),
        );

        expect(await api.delivered(expired)).toMatchObject({
          outcome: "expired",
          purchaseId: answer.purchaseId,
          message: expect.stringContaining("nothing charged"),
        });
        const [purchase] = await api.purchases(customer);
        expect(purchase).toMatchObject({ state: "expired", sessionCompletedAt: null, refundId: null });
        expect(Date.parse(purchase?.checkoutExpiresAt ?? "")).toBe(
          Date.parse(purchase?.createdAt ?? "") + 23 * 3_600_000,
        );
        expect(
          await api.delivered(api.completed(customer, answer, "starter", { amount: 1000 })),
        ).toMatchObject({
          outcome: "granted",
        });
        expect((await api.balance(customer)).credits.available).toBe(1000);
      });
    });

    describe("signatures", () => {
      it("refuses forged, stale, future, tampered, malformed and missing signatures with a warning, granting nothing", async () => {
        const customer = await api.customer();
        const answer = await api.checkedOut(customer, "team");
        const good = api.completed(customer, answer, "team", { amount: 4000 });
        const now = api.nowSeconds();
        const tampered = good.payload.replace('"amount_total":4000', '"amount_total":40');
        expect(tampered).not.toBe(good.payload);
        const cases: [string, string, string | null, RegExp][] = [
          ["forged", good.payload, signStripePayload(good.payload, now, "whsec_someone_else"), /forged/],
          ["stale", good.payload, signStripePayload(good.payload, now - 301), /stale/],
          ["future", good.payload, signStripePayload(good.payload, now + 301), /future/],
          ["tampered", tampered, good.signatureHeader, /forged/],
          ["malformed", good.payload, "v1=abc", /malformed/],
          ["missing", good.payload, null, /missing/],
        ];
        const before = await api.counts();
        for (const [what, payload, header, message] of cases) {
          const warnings = log.lines.length;
          const response = await api.deliver(payload, header);
          expectFailure(response, 401, "unauthorized");
          expect(messageOf(response), what).toMatch(message);
          expect(log.lines.slice(warnings), what).toEqual([
            expect.objectContaining({ level: 40, msg: "payment webhook refused", code: "unauthorized" }),
          ]);
        }
        const notJson = "{not json";
        expectFailure(await api.deliver(notJson, signStripePayload(notJson, now)), 400, "invalid_request");
        expect(await api.counts()).toEqual(before);
        expect((await api.balance(customer)).credits.available).toBe(0);
        // The genuine delivery still works afterwards.
        expect(await api.delivered(good)).toMatchObject({ outcome: "granted" });
      });

      it("refuses a body over the webhook's limit with 413 and reads nothing", async () => {
        const payload = JSON.stringify({ padding: "x".repeat(1_048_577) });
        const response = await api.deliver(payload, signStripePayload(payload, api.nowSeconds()));
        expect(response.status).toBe(413);
      });
    });

    describe("bad checkouts", () => {
      it("refuses unknown and retired bundles, gifts of non-giftable ones and another currency, changing nothing", async () => {
        const customer = await api.customer();
        await api.bundle("old", { ...STARTER, name: "Old" });
        await world.call("POST", "/v1/bundles/old/retire", admin());
        const before = await api.counts();
        const requests = stripe.requests.length;
        const unknown = await api.checkout(customer, "nothing");
        expectFailure(unknown, 404, "not_found");
        expect(messageOf(unknown)).toContain("nothing");
        const retired = await api.checkout(customer, "old");
        expectFailure(retired, 400, "invalid_request");
        expect(messageOf(retired)).toContain("retired");
        const gift = await api.checkout(customer, "starter", { asGift: true });
        expectFailure(gift, 422, "not_transferable");
        const currency = await api.checkout(customer, "starter", { currency: "eur" });
        expectFailure(currency, 400, "invalid_request");
        expect(messageOf(currency)).toContain("usd");
        expectFailure(await api.checkout("cus_nobody", "starter"), 404, "not_found");
        expectFailure(
          await api.checkout(customer, "starter", { successUrl: "javascript:alert(1)" }),
          400,
          "invalid_request",
        );
        expectFailure(await api.checkout(customer, "starter", { surprise: true }), 400, "invalid_request");
        expect(await api.counts()).toEqual(before);
        expect(stripe.requests.length).toBe(requests);
      });

      it("lets a customer token buy for its own customer only", async () => {
        const buyer = await api.customer();
        const other = await api.customer();
        const minted = await world.call("POST", "/v1/customer-tokens", {
          body: { customerId: buyer, ttlSeconds: 600 },
        });
        const token = (minted.body as { token: string }).token;
        const own = await api.checkout(buyer, "starter", {}, { key: token });
        expect(own.status, JSON.stringify(own.body)).toBe(200);
        expectFailure(await api.checkout(other, "starter", {}, { key: token }), 403, "forbidden");
        const reads = await world.call("GET", `/v1/customers/${buyer}/purchases`, { key: token });
        expect(reads.status).toBe(200);
        expectFailure(
          await world.call("GET", `/v1/customers/${other}/purchases`, { key: token }),
          403,
          "forbidden",
        );
      });

      it("maps the provider's failures to their codes: unavailable with Retry-After, a refused request, a bad key", async () => {
        const customer = await api.customer();
        stripe.failNext({
          status: 500,
          error: { type: "api_error", message: "Something went wrong" },
          shouldRetry: false,
        });
        const down = await api.checkout(customer, "starter", {}, { idempotencyKey: "down-1" });
        expectFailure(down, 503, "unavailable");
        expect(down.headers.get("retry-after")).toBe("2");
        // The retry with the same key asks Stripe again for the same purchase, and answers its session.
        const retried = await api.checkout(customer, "starter", {}, { idempotencyKey: "down-1" });
        expect(retried.status, JSON.stringify(retried.body)).toBe(200);
        stripe.failNext({
          status: 400,
          error: { type: "invalid_request_error", message: "Invalid currency", param: "currency" },
        });
        const refused = await api.checkout(customer, "starter");
        expectFailure(refused, 400, "invalid_request");
        expect(messageOf(refused)).toContain("Invalid currency");
        stripe.failNext({
          status: 401,
          error: { type: "invalid_request_error", message: "Invalid API Key provided." },
        });
        const badKey = await api.checkout(customer, "starter");
        expectFailure(badKey, 500, "internal");
        expect(log.lines.at(-1)).toMatchObject({ level: 50 });
      });
    });

    describe("gift purchases and revenue", () => {
      it("funds the buyer's gift balance with a gift purchase", async () => {
        const buyer = await api.customer();
        const answer = await api.checkedOut(buyer, "team", { asGift: true });
        expect(stripe.sessions.at(-1)).toMatchObject({ metadata: { asGift: "true" } });
        expect(await api.delivered(api.completed(buyer, answer, "team", { amount: 4000 }))).toMatchObject({
          outcome: "granted",
        });
        const gifts = await world.call("GET", `/v1/customers/${buyer}/gifts`);
        expect(gifts.body).toMatchObject({ giftBalance: 5000 });
        const balance = await api.balance(buyer);
        expect(balance.credits.byKind).toMatchObject({ purchased: 0, promotional: 500 });
        expect(await api.purchases(buyer)).toMatchObject([{ asGift: true, state: "paid", lotId: null }]);
      });

      it("reports revenue, refunds, disputes and deferred revenue by currency", async () => {
        const response = await world.call("GET", "/v1/reports/revenue?bucket=day", admin());
        expect(response.status, JSON.stringify(response.body)).toBe(200);
        const report = response.body as RevenueReport;
        expect(report).toMatchObject({ bucket: "day", timeZone: "UTC", to: expect.any(String) });
        expect(report.totals.revenue.usd).toBeGreaterThan(0);
        expect(report.totals.refunds.usd).toBeGreaterThan(0);
        expect(report.totals.disputes.usd).toBeGreaterThan(0);
        // The dispute won above brought its money back.
        expect(report.totals.reinstated).toEqual({ usd: 1000 });
        expect(report.totals.net.usd).toBe(
          (report.totals.revenue.usd ?? 0) -
            (report.totals.refunds.usd ?? 0) -
            (report.totals.disputes.usd ?? 0) +
            (report.totals.reinstated.usd ?? 0),
        );
        expect(report.buckets.at(-1)).toMatchObject({ start: expect.any(String), end: report.to });
        expect(report.deferred).toMatchObject({ at: report.to, revenue: { usd: expect.any(Number) } });
        expect(report.deferred.credits.usd).toBeGreaterThan(0);
        // The gift purchase above waits in its buyer's gift balance: 5,000 credits bought for 40.00.
        expect(report.deferred.gifts).toEqual({ revenue: { usd: 4000 }, credits: { usd: 5000 } });
        expectFailure(
          await world.call("GET", "/v1/reports/revenue?bucket=year", admin()),
          400,
          "invalid_request",
        );
        expectFailure(await world.call("GET", "/v1/reports/revenue"), 403, "forbidden");
      });
    });
  });

  describe(`payment routes with the demo payment page on ${backend.name}`, () => {
    let world: HttpWorld;
    const api = paymentsClient(() => world);
    const hostKey = `${KEY_SECRET_PREFIX}${randomBytes(32).toString("base64url")}`;
    const demo = (path: string, method = "GET") => world.call(method, path, { key: null });

    beforeAll(async () => {
      const clock: Clock = { nowMs: () => world.clock.nowMs() };
      const provider = createDemoProvider({
        publicUrl: PUBLIC_URL,
        webhookSecret: `whsec_${randomBytes(24).toString("base64")}`,
        clock,
      });
      world = await openHttpWorld(backend, {
        publicUrl: PUBLIC_URL,
        demoHostKey: hostKey,
        payments: { provider, webhooks: provider },
      });
      await api.bundle("team", TEAM);
    });
    afterAll(async () => {
      await world.close();
      await backend.cleanup();
    });
    afterEach(async () => {
      await expectVerified(world);
    });

    it("shows the session on the demo page and pays it through the signed webhook, once", async () => {
      const customer = await api.customer();
      const answer = await api.checkedOut(customer, "team");
      expect(answer.sessionId).toMatch(/^cs_demo_[0-9a-f]{32}$/);
      expect(answer.url).toBe(`${PUBLIC_URL}/demo/pay/${answer.sessionId}`);
      const shown = await demo(`/demo/api/checkout/${answer.sessionId}`);
      expect(shown.status).toBe(200);
      expect(shown.body).toEqual({
        demo: true,
        sessionId: answer.sessionId,
        purchaseId: answer.purchaseId,
        customerId: customer,
        bundleId: "team",
        bundleName: "Team pack",
        credits: 5000,
        bonusCredits: 500,
        price: 4000,
        currency: "usd",
        asGift: false,
        status: "pending",
        expiresAt: new Date(world.clock.nowMs() + 23 * 3_600_000).toISOString(),
      });
      const paid = await demo(`/demo/api/pay/${answer.sessionId}`, "POST");
      expect(paid.status, JSON.stringify(paid.body)).toBe(200);
      expect(paid.body).toMatchObject({ outcome: "granted", purchaseId: answer.purchaseId, replayed: false });
      expect((await api.balance(customer)).credits.byKind).toMatchObject({
        purchased: 5000,
        promotional: 500,
      });
      const again = await demo(`/demo/api/pay/${answer.sessionId}`, "POST");
      expect(again.body).toMatchObject({ outcome: "granted", replayed: true });
      expect((await api.balance(customer)).credits.available).toBe(5500);
      expect((await demo(`/demo/api/checkout/${answer.sessionId}`)).body).toMatchObject({ status: "paid" });
    });

    it("takes no payment once the session's time is up, as Stripe's doesn't", async () => {
      const customer = await api.customer();
      const answer = await api.checkedOut(customer, "team");
      world.clock.advanceMs(23 * 3_600_000);

      expect((await demo(`/demo/api/checkout/${answer.sessionId}`)).body).toMatchObject({
        status: "expired",
      });
      const paid = await demo(`/demo/api/pay/${answer.sessionId}`, "POST");

      expectFailure(paid, 400, "invalid_request");
      expect(messageOf(paid)).toContain("expired and nothing was charged");
      expect((await api.balance(customer)).credits.available).toBe(0);
      expect(await api.purchases(customer)).toMatchObject([{ state: "pending" }]);
    });

    it("knows only demo sessions, and the demo's deliveries only verify with its own secret", async () => {
      expectFailure(await demo(`/demo/api/checkout/cs_demo_${"0".repeat(32)}`), 404, "not_found");
      expectFailure(await demo("/demo/api/pay/cs_test_a1b2", "POST"), 404, "not_found");
      const customer = await api.customer();
      const answer = await api.checkedOut(customer, "team");
      const foreign = api.completed(customer, answer, "team", { amount: 4000 });
      expectFailure(await api.deliver(foreign.payload, foreign.signatureHeader), 401, "unauthorized");
      expect((await api.balance(customer)).credits.available).toBe(0);
    });
  });

  describe(`payment routes without a provider on ${backend.name}`, () => {
    let world: HttpWorld;
    const api = paymentsClient(() => world);

    beforeAll(async () => {
      world = await openHttpWorld(backend);
      await api.bundle("team", TEAM);
    });
    afterAll(async () => {
      await world.close();
      await backend.cleanup();
    });

    it("lists bundles, and answers checkouts and webhooks with 503 unavailable", async () => {
      const customer = await api.customer();
      expect((await world.call("GET", "/v1/bundles")).status).toBe(200);
      const checkout = await api.checkout(customer, "team");
      expectFailure(checkout, 503, "unavailable");
      expect(messageOf(checkout)).toContain("BOON_STRIPE_SECRET_KEY");
      expectFailure(await api.deliver("{}", "t=1,v1=00"), 503, "unavailable");
      await expectVerified(world);
    });
  });
}
