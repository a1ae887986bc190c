/**
 * Bad input to bundles and payments, on every backend. Each bad bundle save or retire, checkout,
 * provider event and review decision is refused with its typed code and leaves everything as it was:
 * the bundles and their versions, the purchases, the provider's events and payments, the review
 * queue, every wallet and gift balance, the outbox, and the count of rows in the ledger.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import type { ErrorCode, Outcome } from "../../src/core/errors.js";
import type { PaymentEvent } from "../../src/core/payments.js";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import type { Store } from "../../src/store/store.js";
import { backends } from "../support/backends.js";
import { counter, expectOk } from "../support/outcomes.js";
import { STARTER, TEAM, testProvider } from "../support/payments.js";

const START_MS = Date.UTC(2026, 5, 11, 9);
const key = counter("bad-pay-key");
const provider = testProvider();

interface World {
  readonly engine: Engine;
  readonly paidPurchaseId: string;
  readonly usedKey: string;
}

interface Row {
  readonly name: string;
  readonly code: ErrorCode;
  readonly run: (world: World) => Promise<Outcome<unknown>>;
}

const GOOD_CHECKOUT = {
  customerId: "ada",
  bundleId: "starter",
  successUrl: "https://host.test/ok",
  cancelUrl: "https://host.test/cancel",
};

const checkoutWith = (world: World, change: Record<string, unknown>) =>
  world.engine.payments.checkout({ ...GOOD_CHECKOUT, idempotencyKey: key(), ...change }, provider);

const eventWith = (world: World, change: Record<string, unknown>) =>
  world.engine.payments.handleEvent({
    type: "charge_refunded",
    eventId: "evt_bad",
    createdAtMs: START_MS,
    paymentIntentId: "pi_x",
    amountRefundedMinor: 100n,
    currency: "usd",
    ...change,
  } as PaymentEvent);

const saveWith = (world: World, change: Record<string, unknown>) =>
  world.engine.payments.saveBundle("team", { ...TEAM, ...change });

const ROWS: readonly Row[] = [
  {
    name: "a checkout of an unknown bundle",
    code: "not_found",
    run: (w) => checkoutWith(w, { bundleId: "nope" }),
  },
  {
    name: "a checkout of a retired bundle",
    code: "invalid_request",
    run: (w) => checkoutWith(w, { bundleId: "old" }),
  },
  {
    name: "a gift purchase of a bundle that is not giftable",
    code: "not_transferable",
    run: (w) => checkoutWith(w, { asGift: true }),
  },
  {
    name: "a checkout in another currency",
    code: "invalid_request",
    run: (w) => checkoutWith(w, { currency: "eur" }),
  },
  {
    name: "a checkout for an unknown customer",
    code: "not_found",
    run: (w) => checkoutWith(w, { customerId: "nobody" }),
  },
  {
    name: "a checkout with no customer",
    code: "invalid_request",
    run: (w) => checkoutWith(w, { customerId: "" }),
  },
  {
    name: "a checkout with a bundle id in capitals",
    code: "invalid_request",
    run: (w) => checkoutWith(w, { bundleId: "Starter" }),
  },
  {
    name: "a checkout with asGift as text",
    code: "invalid_request",
    run: (w) => checkoutWith(w, { asGift: "yes" }),
  },
  {
    name: "a checkout with an upper-case currency",
    code: "invalid_request",
    run: (w) => checkoutWith(w, { currency: "USD" }),
  },
  {
    name: "a checkout with a javascript: success URL",
    code: "invalid_request",
    run: (w) => checkoutWith(w, { successUrl: "javascript:alert(1)" }),
  },
  {
    name: "a checkout with a relative cancel URL",
    code: "invalid_request",
    run: (w) => checkoutWith(w, { cancelUrl: "/cancel" }),
  },
  {
    name: "a checkout with a URL too long",
    code: "invalid_request",
    run: (w) => checkoutWith(w, { successUrl: `https://h.test/${"x".repeat(2000)}` }),
  },
  {
    name: "a checkout without an idempotency key",
    code: "invalid_request",
    run: (w) => checkoutWith(w, { idempotencyKey: "" }),
  },
  {
    name: "a checkout reusing a key for another bundle",
    code: "idempotency_conflict",
    run: (w) => checkoutWith(w, { bundleId: "team", idempotencyKey: w.usedKey }),
  },
  {
    name: "a checkout that is not an object",
    code: "invalid_request",
    run: (w) => w.engine.payments.checkout(null, provider),
  },
  { name: "an event without an id", code: "invalid_request", run: (w) => eventWith(w, { eventId: "" }) },
  {
    name: "an event with an upper-case currency",
    code: "invalid_request",
    run: (w) => eventWith(w, { currency: "USD" }),
  },
  {
    name: "a refund of a negative amount",
    code: "invalid_request",
    run: (w) => eventWith(w, { amountRefundedMinor: -1n }),
  },
  {
    name: "a refund amount as a number",
    code: "invalid_request",
    run: (w) => eventWith(w, { amountRefundedMinor: 100 }),
  },
  {
    name: "a refund without a payment",
    code: "invalid_request",
    run: (w) => eventWith(w, { paymentIntentId: "" }),
  },
  {
    name: "an event of an unknown type",
    code: "invalid_request",
    run: (w) => eventWith(w, { type: "charge_captured" }),
  },
  {
    name: "a completion without a session",
    code: "invalid_request",
    run: (w) =>
      eventWith(w, {
        type: "checkout_completed",
        sessionId: "",
        purchaseId: null,
        amountTotalMinor: 1n,
        paymentIntentId: null,
        paid: true,
      }),
  },
  {
    name: "a bundle with a bonus but no expiry",
    code: "invalid_request",
    run: (w) => saveWith(w, { bonusExpiresAfter: undefined }),
  },
  { name: "a bundle priced at zero", code: "invalid_request", run: (w) => saveWith(w, { price: 0 }) },
  {
    name: "a bundle whose purchased credits expire in a year",
    code: "invalid_request",
    run: (w) => saveWith(w, { purchasedExpiresAfter: "365d" }),
  },
  {
    name: "a bundle with an unknown field",
    code: "invalid_request",
    run: (w) => saveWith(w, { discount: 5 }),
  },
  {
    name: "a bundle with a bad id",
    code: "invalid_request",
    run: (w) => w.engine.payments.saveBundle("Team!", TEAM),
  },
  {
    name: "retiring an unknown bundle",
    code: "not_found",
    run: (w) => w.engine.payments.retireBundle("nope"),
  },
  {
    name: "a review decision on a purchase not in review",
    code: "invalid_request",
    run: (w) =>
      w.engine.payments.resolveReview({
        purchaseId: w.paidPurchaseId,
        decision: "close",
        idempotencyKey: key(),
      }),
  },
  {
    name: "a review decision on an unknown purchase",
    code: "not_found",
    run: (w) =>
      w.engine.payments.resolveReview({ purchaseId: "pur_nope", decision: "close", idempotencyKey: key() }),
  },
  {
    name: "an unknown review decision",
    code: "invalid_request",
    run: (w) =>
      w.engine.payments.resolveReview({
        purchaseId: w.paidPurchaseId,
        decision: "refund" as "close",
        idempotencyKey: key(),
      }),
  },
  {
    name: "the purchases of an unknown customer",
    code: "not_found",
    run: (w) => w.engine.payments.purchasesOf("nobody"),
  },
];

for (const backend of backends()) {
  describe(`bad payment input on ${backend.name}`, () => {
    let store: Store;
    let world: World;

    async function build(): Promise<World> {
      const engine = await createEngine({ store, clock: new ManualClock(START_MS) });
      expectOk(await engine.upsertCustomer({ id: "ada", plan: "pro" }));
      expectOk(await engine.payments.saveBundle("starter", STARTER));
      expectOk(await engine.payments.saveBundle("team", TEAM));
      expectOk(await engine.payments.saveBundle("old", STARTER));
      expectOk(await engine.payments.retireBundle("old"));
      const usedKey = key();
      const session = expectOk(
        await engine.payments.checkout({ ...GOOD_CHECKOUT, idempotencyKey: usedKey }, provider),
      );
      const handled = await engine.payments.handleEvent({
        type: "checkout_completed",
        eventId: "evt_paid",
        createdAtMs: START_MS,
        sessionId: session.sessionId,
        purchaseId: session.purchaseId,
        customerId: "ada",
        bundleId: "starter",
        amountTotalMinor: 1000n,
        currency: "usd",
        paymentIntentId: "pi_paid",
        paid: true,
      });
      expect(expectOk(handled).outcome).toBe("granted");
      return { engine, paidPurchaseId: session.purchaseId, usedKey };
    }

    /** Everything a refused request must leave as it was. */
    async function snapshot(): Promise<unknown> {
      const { engine } = world;
      const [rows] = await store.query<Record<string, string>>(
        `SELECT (SELECT count(*) FROM purchases)::text AS purchases, (SELECT count(*) FROM payment_events)::text AS events,
           (SELECT count(*) FROM payment_intents)::text AS intents, (SELECT count(*) FROM bundles)::text AS bundles,
           (SELECT count(*) FROM events)::text AS outbox, (SELECT count(*) FROM accounts)::text AS accounts`,
      );
      const purchases = await store.query<Record<string, unknown>>(
        "SELECT id, state, session_id, refunded_minor::text, recovered_minor::text, review_reason FROM purchases ORDER BY id",
      );
      const verified = await engine.verify();
      return {
        rows,
        purchases,
        balance: expectOk(await engine.balance("ada")).lots.map((lot) => [lot.id, lot.remainingMinor]),
        bundles: (await engine.payments.listBundles({ includeRetired: true })).map((b) => [
          b.id,
          b.version,
          b.spec,
        ]),
        inReview: (await engine.payments.purchasesInReview()).map((p) => p.id),
        counts: verified.counts,
        violations: verified.checks.filter((check) => check.violation !== null),
      };
    }

    beforeAll(async () => {
      store = await backend.open();
      world = await build();
    });
    afterAll(async () => {
      await store.close();
      await backend.cleanup();
    });

    it("covers at least thirty bad inputs, each named once", () => {
      expect(ROWS.length).toBeGreaterThanOrEqual(30);
      expect(new Set(ROWS.map((row) => row.name)).size).toBe(ROWS.length);
    });

    for (const row of ROWS) {
      it(`refuses ${row.name} with ${row.code} and changes nothing`, async () => {
        const expected = await snapshot();
        let outcome: Outcome<unknown>;
        try {
          outcome = await row.run(world);
        } catch (error) {
          throw new Error(`${row.name}: threw instead of answering ${row.code}: ${String(error)}`);
        }
        expect(outcome.ok ? "ok" : `${outcome.error.code}: ${outcome.error.message}`).toMatch(
          new RegExp(`^${row.code}`),
        );
        expect(await snapshot()).toEqual(expected);
      });
    }

    it("names the bundle and both currencies in a currency mismatch", async () => {
      const outcome = await checkoutWith(world, { currency: "eur" });
      expect(outcome.ok ? "" : outcome.error.message).toBe("bundle starter is priced in usd, not eur");
    });
  });
}
