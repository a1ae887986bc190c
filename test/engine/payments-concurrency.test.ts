/**
 * The provider's events under concurrency, on every backend: a refund racing its own checkout's
 * completion (in both orders, many times), thirty different events for one session at once, a refund
 * racing a dispute of the same payment after part of it was spent, and, on PostgreSQL, two engines on
 * one database delivering the same events, and a late payment racing the sweep and the provider's
 * expiry event that end its checkout. Whatever the interleaving, the end state is the one a
 * serial order gives (granted, then refunded or disputed), the purchase is granted once, no wallet goes
 * negative, and `verify` passes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import type { Outcome } from "../../src/core/errors.js";
import type { HandledEvent, PaymentEvent } from "../../src/core/payments.js";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import { openStore, type Store } from "../../src/store/store.js";
import { backends, databaseUrlFor } from "../support/backends.js";
import { counter, expectOk } from "../support/outcomes.js";
import { TEAM, testProvider } from "../support/payments.js";

const START_MS = Date.UTC(2026, 5, 11, 9);
const TEST_TIMEOUT_MS = 120_000;
/** Rounds of each two-event race, half in each order. */
const ROUNDS = 20;
/** TEAM, restated: 5,000 purchased credits and a 500 bonus for 40.00 usd. */
const TEAM_CREDITS = 5000n;
const TEAM_BONUS = 500n;
const TEAM_TOTAL = TEAM_CREDITS + TEAM_BONUS;
const TEAM_PRICE = 4000n;

/** Credits a cumulative refund takes back while nothing is spent: in proportion, rounded down. */
const owed = (refundedMinor: bigint): bigint =>
  refundedMinor >= TEAM_PRICE ? TEAM_TOTAL : (TEAM_TOTAL * refundedMinor) / TEAM_PRICE;

/** A fixed shuffle: position i takes item (i * 7) mod n, a permutation when 7 and n share no factor. */
function shuffled<T>(items: readonly T[]): T[] {
  return items.map((_, index) => items[(index * 7) % items.length] as T);
}

/** The name of the database a server store is connected to, to open a second pool on it. */
async function databaseOf(store: Store): Promise<string> {
  const [row] = await store.query<{ name: string }>("SELECT current_database() AS name");
  if (row === undefined) throw new Error("the server did not name its database");
  return row.name;
}

for (const backend of backends()) {
  describe(`payments under concurrency on ${backend.name}`, () => {
    let store: Store;
    let engine: Engine;
    const clock = new ManualClock(START_MS);
    const provider = testProvider();
    const key = counter(`pay-race-key-${backend.name}`);
    const eventId = counter(`evt-race-${backend.name}`);
    const name = counter(`pay-race-${backend.name}`);

    beforeAll(async () => {
      store = await backend.open();
      engine = await createEngine({ store, clock });
      expectOk(await engine.payments.saveBundle("team", TEAM));
    });
    afterAll(async () => {
      await store.close();
      await backend.cleanup();
    });

    async function buyer(): Promise<string> {
      const id = name();
      expectOk(await engine.upsertCustomer({ id, plan: "pro", signedUpAtMs: START_MS }));
      return id;
    }

    async function checkout(customerId: string) {
      return expectOk(
        await engine.payments.checkout(
          {
            customerId,
            bundleId: "team",
            successUrl: "https://host.test/ok",
            cancelUrl: "https://host.test/cancel",
            idempotencyKey: key(),
          },
          provider,
        ),
      );
    }

    const completed = (session: { purchaseId: string; sessionId: string }): PaymentEvent => ({
      type: "checkout_completed",
      eventId: eventId(),
      createdAtMs: clock.nowMs(),
      sessionId: session.sessionId,
      purchaseId: session.purchaseId,
      customerId: null,
      bundleId: null,
      amountTotalMinor: TEAM_PRICE,
      currency: "usd",
      paymentIntentId: `pi_${session.sessionId}`,
      paid: true,
    });

    const refunded = (session: { sessionId: string }, amountMinor: bigint): PaymentEvent => ({
      type: "charge_refunded",
      eventId: eventId(),
      createdAtMs: clock.nowMs(),
      paymentIntentId: `pi_${session.sessionId}`,
      amountRefundedMinor: amountMinor,
      currency: "usd",
    });

    const disputed = (session: { sessionId: string }): PaymentEvent => ({
      type: "dispute_created",
      eventId: eventId(),
      createdAtMs: clock.nowMs(),
      paymentIntentId: `pi_${session.sessionId}`,
      amountMinor: TEAM_PRICE,
      currency: "usd",
    });

    const deliver = (events: readonly PaymentEvent[], on: Engine = engine) =>
      Promise.all(events.map((event) => on.payments.handleEvent(event)));

    async function expectVerified(): Promise<void> {
      const report = await engine.verify();
      expect(report.checks.filter((check) => check.violation !== null)).toEqual([]);
    }

    /** The purchase as the engine keeps it, and how many lots and grants it made in the ledger. */
    async function endState(customerId: string, purchaseId: string) {
      const purchase = expectOk(await engine.payments.purchase(purchaseId));
      const balance = expectOk(await engine.balance(customerId));
      const [lots] = await store.query<{ count: number }>(
        "SELECT count(*)::int AS count FROM lots WHERE customer_id = $1",
        [customerId],
      );
      const [grants] = await store.query<{ count: number }>(
        "SELECT count(*)::int AS count FROM payment_events WHERE purchase_id = $1 AND outcome = 'granted'",
        [purchaseId],
      );
      expect(balance.availableMinor).toBeGreaterThanOrEqual(0n);
      return {
        state: purchase.state,
        refundedMinor: purchase.refundedMinor,
        recoveredMinor: purchase.recoveredMinor,
        unrecoveredMinor: purchase.unrecoveredMinor,
        availableMinor: balance.availableMinor,
        postedMinor: balance.postedMinor,
        lots: lots?.count,
        grants: grants?.count,
      };
    }

    const answers = (outcomes: readonly Outcome<HandledEvent>[]) => outcomes.map(expectOk);

    it(
      "ends a refund racing its own completion as granted then refunded, in either order",
      async () => {
        const amounts = [1000n, 1999n, 3000n, 1n, TEAM_PRICE];
        for (let round = 0; round < ROUNDS; round += 1) {
          const customerId = await buyer();
          const session = await checkout(customerId);
          const amount = amounts[Math.floor(round / 2) % amounts.length] ?? 1n;
          const completion = completed(session);
          const refund = refunded(session, amount);
          const order = round % 2 === 0 ? [completion, refund] : [refund, completion];
          const [first, second] = answers(await deliver(order));
          const byEvent = new Map([first, second].map((answer) => [answer?.eventId, answer]));
          expect(byEvent.get(completion.eventId)).toMatchObject({ outcome: "granted", replayed: false });
          expect(["refunded", "deferred"]).toContain(byEvent.get(refund.eventId)?.outcome);
          const recovered = owed(amount);
          expect(await endState(customerId, session.purchaseId)).toEqual({
            state: "refunded",
            refundedMinor: amount,
            recoveredMinor: recovered,
            unrecoveredMinor: 0n,
            availableMinor: TEAM_TOTAL - recovered,
            postedMinor: TEAM_TOTAL - recovered,
            lots: 2,
            grants: 1,
          });
        }
        await expectVerified();
      },
      TEST_TIMEOUT_MS,
    );

    it(
      "grants a late payment racing the sweep and the expiry event that end its checkout, once",
      async () => {
        for (let round = 0; round < ROUNDS; round += 1) {
          const customerId = await buyer();
          const session = await checkout(customerId);
          clock.advanceMs(25 * 3_600_000);
          const expired: PaymentEvent = {
            type: "checkout_expired",
            eventId: eventId(),
            createdAtMs: clock.nowMs(),
            sessionId: session.sessionId,
            purchaseId: session.purchaseId,
          };
          const completion = completed(session);
          const events = round % 2 === 0 ? [expired, completion] : [completion, expired];
          const [sweep, handled] = await Promise.all([engine.sweep(), deliver(events)]);
          const byEvent = new Map(answers(handled).map((answer) => [answer.eventId, answer.outcome]));
          expect(byEvent.get(completion.eventId)).toBe("granted");
          expect(["expired", "no_change"]).toContain(byEvent.get(expired.eventId));
          expect(sweep.expiredCheckouts).toBeLessThanOrEqual(1);
          expect(await endState(customerId, session.purchaseId)).toEqual({
            state: "paid",
            refundedMinor: 0n,
            recoveredMinor: 0n,
            unrecoveredMinor: 0n,
            availableMinor: TEAM_TOTAL,
            postedMinor: TEAM_TOTAL,
            lots: 2,
            grants: 1,
          });
        }
        await expectVerified();
      },
      TEST_TIMEOUT_MS,
    );

    it(
      "settles thirty different events for one session at once: one grant, the largest refund",
      async () => {
        for (const withDispute of [false, true]) {
          const customerId = await buyer();
          const session = await checkout(customerId);
          const completions = Array.from({ length: withDispute ? 9 : 10 }, () => completed(session));
          const refunds = Array.from({ length: 20 }, (_, index) =>
            refunded(session, 150n * BigInt(index + 1)),
          );
          const events = shuffled([...completions, ...refunds, ...(withDispute ? [disputed(session)] : [])]);
          expect(events).toHaveLength(30);
          const handled = answers(await deliver(events));
          expect(handled.filter((answer) => answer.replayed)).toEqual([]);
          const outcomes = handled.map((answer) => answer.outcome);
          expect(outcomes.filter((outcome) => outcome === "granted")).toHaveLength(1);
          expect(outcomes.filter((outcome) => outcome === "already_completed")).toHaveLength(
            completions.length - 1,
          );
          const recovered = withDispute ? TEAM_TOTAL : owed(3000n);
          expect(await endState(customerId, session.purchaseId)).toEqual({
            state: withDispute ? "disputed" : "refunded",
            refundedMinor: 3000n,
            recoveredMinor: recovered,
            unrecoveredMinor: 0n,
            availableMinor: TEAM_TOTAL - recovered,
            postedMinor: TEAM_TOTAL - recovered,
            lots: 2,
            grants: 1,
          });
          await expectVerified();
        }
      },
      TEST_TIMEOUT_MS,
    );

    it(
      "ends a refund racing a dispute of the same payment, after part of it was spent, as disputed",
      async () => {
        for (let round = 0; round < ROUNDS / 2; round += 1) {
          const customerId = await buyer();
          const session = await checkout(customerId);
          expect(answers(await deliver([completed(session)]))[0]?.outcome).toBe("granted");
          // The bonus (priority 5) goes first, then 200 of the purchased lot.
          expectOk(await engine.consume({ customerId, amountMinor: 700n, idempotencyKey: key() }));
          const refund = refunded(session, 2000n);
          const dispute = disputed(session);
          const handled = answers(await deliver(round % 2 === 0 ? [refund, dispute] : [dispute, refund]));
          expect(handled.find((answer) => answer.eventId === dispute.eventId)?.outcome).toBe("disputed");
          expect(["refunded", "disputed"]).toContain(
            handled.find((answer) => answer.eventId === refund.eventId)?.outcome,
          );
          // Either way all 5,500 are owed: 4,800 were left to take back, 700 had been spent.
          expect(await endState(customerId, session.purchaseId)).toEqual({
            state: "disputed",
            refundedMinor: 2000n,
            recoveredMinor: TEAM_TOTAL - 700n,
            unrecoveredMinor: 700n,
            availableMinor: 0n,
            postedMinor: 0n,
            lots: 2,
            grants: 1,
          });
        }
        await expectVerified();
      },
      TEST_TIMEOUT_MS,
    );

    const baseUrl = process.env.DATABASE_URL;
    it.skipIf(backend.name !== "postgres" || baseUrl === undefined)(
      "handles each event once with two engines on one database delivering the same events",
      async () => {
        const other = await openStore({
          databaseUrl: databaseUrlFor(baseUrl ?? "", await databaseOf(store)),
        });
        try {
          const second = await createEngine({ store: other, clock });
          const buyers = await Promise.all(Array.from({ length: 10 }, () => buyer()));
          const sessions = await Promise.all(buyers.map((customerId) => checkout(customerId)));
          const results = await Promise.all(
            sessions.map(async (session) => {
              const events = [completed(session), refunded(session, 1000n), refunded(session, 2000n)];
              const both = await Promise.all([deliver(events), deliver(shuffled(events), second)]);
              return both.flatMap(answers);
            }),
          );
          for (const [index, handled] of results.entries()) {
            const firsts = handled.filter((answer) => !answer.replayed);
            expect(new Set(firsts.map((answer) => answer.eventId)).size).toBe(3);
            expect(firsts).toHaveLength(3);
            for (const answer of handled)
              expect(answer.outcome).toBe(firsts.find((first) => first.eventId === answer.eventId)?.outcome);
            const session = sessions[index];
            const customerId = buyers[index];
            if (session === undefined || customerId === undefined) throw new Error("lost a buyer");
            expect(await endState(customerId, session.purchaseId)).toEqual({
              state: "refunded",
              refundedMinor: 2000n,
              recoveredMinor: owed(2000n),
              unrecoveredMinor: 0n,
              availableMinor: TEAM_TOTAL - owed(2000n),
              postedMinor: TEAM_TOTAL - owed(2000n),
              lots: 2,
              grants: 1,
            });
          }
          await expectVerified();
        } finally {
          await other.close();
        }
      },
      TEST_TIMEOUT_MS,
    );
  });
}
