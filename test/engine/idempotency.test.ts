/**
 * Idempotency of every ledger write: a retried key gets the first answer (successes and failures
 * alike) and changes nothing; a key reused for a different request is refused and changes nothing;
 * and the same key sent many times at once still posts exactly one transfer.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import type { ErrorCode, Outcome } from "../../src/core/errors.js";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import type { Store } from "../../src/store/store.js";
import { backends } from "../support/backends.js";
import { codeOf, counter, expectOk } from "../support/outcomes.js";

const START_MS = Date.UTC(2026, 5, 1);

/** Everything a write could change: the global counts, and each wallet's ledger and balance. */
async function snapshot(engine: Engine, customerIds: readonly string[]) {
  const report = await engine.verify();
  expect(report.firstViolation).toBeNull();
  const wallets = [];
  for (const customerId of customerIds) {
    wallets.push({
      ledger: await engine.ledger(customerId, { limit: 100 }),
      balance: await engine.balance(customerId),
    });
  }
  return { counts: report.counts, wallets };
}

/** The distinct transfers of one kind in a wallet's ledger (a transfer may have several wallet lines). */
async function transfersOfKind(engine: Engine, customerId: string, kind: string): Promise<string[]> {
  const page = expectOk(await engine.ledger(customerId, { limit: 100 }));
  return [...new Set(page.data.filter((line) => line.kind === kind).map((line) => line.transferId))];
}

interface RetryCase {
  readonly name: string;
  readonly firstCode: ErrorCode | "ok";
  /** Sets the scene and returns the request to retry, plus what to do between the two sends. */
  readonly arrange: (
    ctx: Ctx,
  ) => Promise<{ send: () => Promise<Outcome<unknown>>; between?: () => Promise<void> }>;
}

interface Ctx {
  readonly engine: Engine;
  readonly clock: ManualClock;
  readonly customerId: string;
  readonly key: string;
  /** A fresh key for the scene's own writes. */
  readonly other: () => string;
}

async function fund(ctx: Ctx, amountMinor: number): Promise<string> {
  const value = expectOk(
    await ctx.engine.grant({
      customerId: ctx.customerId,
      amountMinor,
      kind: "promotional",
      idempotencyKey: ctx.other(),
    }),
  );
  return value.transferId;
}

async function placeHold(ctx: Ctx, amountMinor: number, ttlSeconds: number): Promise<string> {
  const outcome = await ctx.engine.hold({
    customerId: ctx.customerId,
    amountMinor,
    ttlSeconds,
    idempotencyKey: ctx.other(),
  });
  return expectOk(outcome).hold.id;
}

const RETRY_CASES: readonly RetryCase[] = [
  {
    name: "a grant",
    firstCode: "ok",
    arrange: async (ctx) => ({
      send: () =>
        ctx.engine.grant({
          customerId: ctx.customerId,
          amountMinor: 100,
          kind: "purchased",
          idempotencyKey: ctx.key,
        }),
    }),
  },
  {
    name: "a consume",
    firstCode: "ok",
    arrange: async (ctx) => {
      await fund(ctx, 100);
      return {
        send: () =>
          ctx.engine.consume({ customerId: ctx.customerId, amountMinor: 30, idempotencyKey: ctx.key }),
      };
    },
  },
  {
    name: "a hold",
    firstCode: "ok",
    arrange: async (ctx) => {
      await fund(ctx, 100);
      return {
        send: () =>
          ctx.engine.hold({
            customerId: ctx.customerId,
            amountMinor: 40,
            ttlSeconds: 60,
            idempotencyKey: ctx.key,
          }),
      };
    },
  },
  {
    name: "a partial capture",
    firstCode: "ok",
    arrange: async (ctx) => {
      await fund(ctx, 100);
      const holdId = await placeHold(ctx, 40, 60);
      return { send: () => ctx.engine.capture({ holdId, amountMinor: 15, idempotencyKey: ctx.key }) };
    },
  },
  {
    name: "a void",
    firstCode: "ok",
    arrange: async (ctx) => {
      await fund(ctx, 100);
      const holdId = await placeHold(ctx, 40, 60);
      return { send: () => ctx.engine.voidHold({ holdId, idempotencyKey: ctx.key }) };
    },
  },
  {
    name: "a reversal",
    firstCode: "ok",
    arrange: async (ctx) => {
      await fund(ctx, 100);
      const consumed = await ctx.engine.consume({
        customerId: ctx.customerId,
        amountMinor: 30,
        idempotencyKey: ctx.other(),
      });
      const transferId = expectOk(consumed).transferId;
      return { send: () => ctx.engine.reverse({ transferId, idempotencyKey: ctx.key }) };
    },
  },
  {
    name: "a refused consume, even after credits arrive",
    firstCode: "insufficient_credits",
    arrange: async (ctx) => {
      await fund(ctx, 100);
      return {
        send: () =>
          ctx.engine.consume({ customerId: ctx.customerId, amountMinor: 500, idempotencyKey: ctx.key }),
        between: async () => void (await fund(ctx, 1_000)),
      };
    },
  },
  {
    name: "a refused hold, even after credits arrive",
    firstCode: "insufficient_credits",
    arrange: async (ctx) => ({
      send: () =>
        ctx.engine.hold({
          customerId: ctx.customerId,
          amountMinor: 50,
          ttlSeconds: 60,
          idempotencyKey: ctx.key,
        }),
      between: async () => void (await fund(ctx, 1_000)),
    }),
  },
  {
    name: "a refused grant reversal, even after the lot is whole again",
    firstCode: "insufficient_credits",
    arrange: async (ctx) => {
      const grantId = await fund(ctx, 100);
      const consumed = await ctx.engine.consume({
        customerId: ctx.customerId,
        amountMinor: 10,
        idempotencyKey: ctx.other(),
      });
      const consumeId = expectOk(consumed).transferId;
      return {
        send: () => ctx.engine.reverse({ transferId: grantId, idempotencyKey: ctx.key }),
        between: async () =>
          void expectOk(await ctx.engine.reverse({ transferId: consumeId, idempotencyKey: ctx.other() })),
      };
    },
  },
  {
    name: "a capture of an already captured hold",
    firstCode: "hold_not_pending",
    arrange: async (ctx) => {
      await fund(ctx, 100);
      const holdId = await placeHold(ctx, 40, 60);
      expectOk(await ctx.engine.capture({ holdId, idempotencyKey: ctx.other() }));
      return { send: () => ctx.engine.capture({ holdId, idempotencyKey: ctx.key }) };
    },
  },
  {
    name: "a void of a timed-out hold",
    firstCode: "hold_expired",
    arrange: async (ctx) => {
      await fund(ctx, 100);
      const holdId = await placeHold(ctx, 40, 1);
      ctx.clock.advanceMs(1_000);
      return { send: () => ctx.engine.voidHold({ holdId, idempotencyKey: ctx.key }) };
    },
  },
  {
    name: "a second reversal",
    firstCode: "already_reversed",
    arrange: async (ctx) => {
      const grantId = await fund(ctx, 100);
      expectOk(await ctx.engine.reverse({ transferId: grantId, idempotencyKey: ctx.other() }));
      return { send: () => ctx.engine.reverse({ transferId: grantId, idempotencyKey: ctx.key }) };
    },
  },
  {
    name: "a grant to a customer who did not exist yet",
    firstCode: "not_found",
    arrange: async (ctx) => {
      const customerId = `${ctx.customerId}-later`;
      return {
        send: () =>
          ctx.engine.grant({ customerId, amountMinor: 100, kind: "promotional", idempotencyKey: ctx.key }),
        between: async () => void expectOk(await ctx.engine.upsertCustomer({ id: customerId })),
      };
    },
  },
];

for (const backend of backends()) {
  describe(`idempotency on ${backend.name}`, () => {
    let store: Store;
    let engine: Engine;
    const clock = new ManualClock(START_MS);
    const nextKey = counter("idem-key");
    const nextCustomer = counter("idem");

    beforeAll(async () => {
      store = await backend.open();
      engine = await createEngine({ store, clock });
    });
    afterAll(async () => {
      await store.close();
      await backend.cleanup();
    });

    async function context(): Promise<Ctx> {
      const customerId = nextCustomer();
      expectOk(await engine.upsertCustomer({ id: customerId }));
      return { engine, clock, customerId, key: nextKey(), other: nextKey };
    }

    for (const retry of RETRY_CASES) {
      it(`replays ${retry.name} and changes nothing`, async () => {
        const ctx = await context();
        const { send, between } = await retry.arrange(ctx);
        const first = await send();
        expect(codeOf(first)).toBe(retry.firstCode);
        await between?.();
        const customers = [ctx.customerId, `${ctx.customerId}-later`];
        const before = await snapshot(engine, customers);
        expect(await send()).toEqual(first);
        expect(await snapshot(engine, customers)).toEqual(before);
      });
    }

    it("replays a capture after its hold's timeout has passed", async () => {
      const ctx = await context();
      await fund(ctx, 100);
      const holdId = await placeHold(ctx, 40, 10);
      const first = await engine.capture({ holdId, amountMinor: 25, idempotencyKey: ctx.key });
      expectOk(first);
      clock.advanceMs(60_000);
      const before = await snapshot(engine, [ctx.customerId]);
      expect(await engine.capture({ holdId, amountMinor: 25, idempotencyKey: ctx.key })).toEqual(first);
      expect(await snapshot(engine, [ctx.customerId])).toEqual(before);
    });

    it("replays a hold after its timeout has passed, placing no second hold", async () => {
      const ctx = await context();
      await fund(ctx, 100);
      const send = () =>
        engine.hold({ customerId: ctx.customerId, amountMinor: 40, ttlSeconds: 5, idempotencyKey: ctx.key });
      const first = await send();
      expectOk(first);
      clock.advanceMs(10_000);
      await engine.sweep();
      const before = await snapshot(engine, [ctx.customerId]);
      expect(await send()).toEqual(first);
      expect(await snapshot(engine, [ctx.customerId])).toEqual(before);
      expect(expectOk(await engine.balance(ctx.customerId)).heldMinor).toBe(0n);
    });

    // Answers live in the database, not in the process: a retry reaching another engine (a restart, a
    // second API node) gets the same first answer.
    it("replays through another engine on the same store", async () => {
      const ctx = await context();
      await fund(ctx, 100);
      const request = { customerId: ctx.customerId, amountMinor: 30, idempotencyKey: ctx.key };
      const first = await engine.consume(request);
      expectOk(first);
      const before = await snapshot(engine, [ctx.customerId]);
      const other = await createEngine({ store, clock });
      expect(await other.consume(request)).toEqual(first);
      expect(await snapshot(engine, [ctx.customerId])).toEqual(before);
    });

    // A batch can hold a request that conflicts with a stored key and, behind it, a true retry of the
    // stored request; the retry must still get the first answer.
    it("replays a retry that shares a batch with a conflicting request", async () => {
      const ctx = await context();
      await fund(ctx, 100);
      // One lane: requests sent in the same tick are decided together in one batch on either backend.
      const batching = await createEngine({ store, clock, lanes: 1 });
      const send = (amountMinor: number) =>
        batching.consume({ customerId: ctx.customerId, amountMinor, idempotencyKey: ctx.key });
      const first = await send(5);
      expectOk(first);
      const before = await snapshot(engine, [ctx.customerId]);
      const [conflicting, retried] = await Promise.all([send(6), send(5)]);
      expect(codeOf(conflicting)).toBe("idempotency_conflict");
      expect(retried).toEqual(first);
      expect(await snapshot(engine, [ctx.customerId])).toEqual(before);
    });

    // The retry is the same request, so it must get the first answer even though the expiry it names
    // has since passed; judging it afresh against the new time answers a different question.
    it("replays a grant whose expiry has passed since the first attempt", async () => {
      const ctx = await context();
      const request = {
        customerId: ctx.customerId,
        amountMinor: 100,
        kind: "promotional",
        expiresAtMs: clock.nowMs() + 5_000,
        idempotencyKey: ctx.key,
      };
      const first = await engine.grant(request);
      expectOk(first);
      clock.advanceMs(10_000);
      const before = await snapshot(engine, [ctx.customerId]);
      expect(await engine.grant(request)).toEqual(first);
      expect(await snapshot(engine, [ctx.customerId])).toEqual(before);
    });

    describe("the same key with a different request", () => {
      interface ConflictCase {
        readonly name: string;
        readonly arrange: (ctx: Ctx) => Promise<{
          first: () => Promise<Outcome<unknown>>;
          second: () => Promise<Outcome<unknown>>;
        }>;
      }
      const grantOf =
        (ctx: Ctx, amountMinor: number, kind = "promotional") =>
        () =>
          ctx.engine.grant({ customerId: ctx.customerId, amountMinor, kind, idempotencyKey: ctx.key });
      const consumeOf = (ctx: Ctx, customerId: string, amountMinor: number) => () =>
        ctx.engine.consume({ customerId, amountMinor, idempotencyKey: ctx.key });
      const CASES: readonly ConflictCase[] = [
        {
          name: "a grant of another amount",
          arrange: async (ctx) => ({ first: grantOf(ctx, 100), second: grantOf(ctx, 101) }),
        },
        {
          name: "a grant of another kind",
          arrange: async (ctx) => ({ first: grantOf(ctx, 100), second: grantOf(ctx, 100, "compensation") }),
        },
        {
          name: "a consume of another amount",
          arrange: async (ctx) => {
            await fund(ctx, 100);
            return { first: consumeOf(ctx, ctx.customerId, 10), second: consumeOf(ctx, ctx.customerId, 11) };
          },
        },
        {
          name: "a consume for another customer",
          arrange: async (ctx) => {
            await fund(ctx, 100);
            const otherId = `${ctx.customerId}-b`;
            expectOk(await ctx.engine.upsertCustomer({ id: otherId }));
            return { first: consumeOf(ctx, ctx.customerId, 10), second: consumeOf(ctx, otherId, 10) };
          },
        },
        {
          name: "a hold with another timeout",
          arrange: async (ctx) => {
            await fund(ctx, 100);
            const holdOf = (ttlSeconds: number) => () =>
              ctx.engine.hold({
                customerId: ctx.customerId,
                amountMinor: 10,
                ttlSeconds,
                idempotencyKey: ctx.key,
              });
            return { first: holdOf(60), second: holdOf(61) };
          },
        },
        {
          name: "a capture of another amount",
          arrange: async (ctx) => {
            await fund(ctx, 100);
            const holdId = await placeHold(ctx, 40, 60);
            const captureOf = (amountMinor: number | undefined) => () =>
              ctx.engine.capture({ holdId, amountMinor, idempotencyKey: ctx.key });
            return { first: captureOf(10), second: captureOf(undefined) };
          },
        },
        {
          name: "a void of another hold",
          arrange: async (ctx) => {
            await fund(ctx, 100);
            const [a, b] = [await placeHold(ctx, 10, 60), await placeHold(ctx, 10, 60)];
            const voidOf = (holdId: string) => () => ctx.engine.voidHold({ holdId, idempotencyKey: ctx.key });
            return { first: voidOf(a), second: voidOf(b) };
          },
        },
        {
          name: "a reversal of another transfer",
          arrange: async (ctx) => {
            const [a, b] = [await fund(ctx, 10), await fund(ctx, 20)];
            const reverseOf = (transferId: string) => () =>
              ctx.engine.reverse({ transferId, idempotencyKey: ctx.key });
            return { first: reverseOf(a), second: reverseOf(b) };
          },
        },
        {
          name: "a grant after a consume",
          arrange: async (ctx) => {
            await fund(ctx, 100);
            return { first: consumeOf(ctx, ctx.customerId, 10), second: grantOf(ctx, 10) };
          },
        },
        {
          name: "a consume after a refused consume",
          arrange: async (ctx) => ({
            first: consumeOf(ctx, ctx.customerId, 10),
            second: consumeOf(ctx, ctx.customerId, 5),
          }),
        },
      ];

      for (const conflict of CASES) {
        it(`refuses ${conflict.name} and changes nothing`, async () => {
          const ctx = await context();
          const { first, second } = await conflict.arrange(ctx);
          const firstAnswer = await first();
          const customers = [ctx.customerId, `${ctx.customerId}-b`];
          const before = await snapshot(engine, customers);
          const answer = await second();
          expect(codeOf(answer)).toBe("idempotency_conflict");
          if (!answer.ok) expect(answer.error.message).toContain(ctx.key);
          expect(await snapshot(engine, customers)).toEqual(before);
          // The refused request did not overwrite the stored answer.
          expect(await first()).toEqual(firstAnswer);
        });
      }
    });

    describe("the same key sent many times at once", () => {
      const COPIES = 25;
      // The default engine groups same-tick requests into batches (one per free lane); the other gives
      // each request its own transaction, several in flight, so the copies race for the key in the
      // database itself.
      const engines: readonly { name: string; make: () => Promise<Engine> }[] = [
        { name: "in batches", make: async () => engine },
        {
          name: "in racing transactions",
          make: () => createEngine({ store, clock, batchSizeMax: 1, lanes: 8 }),
        },
      ];

      for (const shape of engines) {
        it(`posts one consume ${shape.name}`, async () => {
          const ctx = await context();
          const racer = await shape.make();
          await fund(ctx, 100);
          const send = () =>
            racer.consume({ customerId: ctx.customerId, amountMinor: 7, idempotencyKey: ctx.key });
          const answers = await Promise.all(Array.from({ length: COPIES }, send));
          const first = expectOk(answers[0] ?? (await send()));
          for (const answer of answers) expect(answer).toEqual({ ok: true, value: first });
          expect(await transfersOfKind(engine, ctx.customerId, "consume")).toEqual([first.transferId]);
          expect(expectOk(await engine.balance(ctx.customerId)).availableMinor).toBe(93n);
          expect((await engine.verify()).firstViolation).toBeNull();
        });

        it(`posts one capture ${shape.name}`, async () => {
          const ctx = await context();
          const racer = await shape.make();
          await fund(ctx, 100);
          const holdId = await placeHold(ctx, 40, 60);
          const send = () => racer.capture({ holdId, amountMinor: 30, idempotencyKey: ctx.key });
          const answers = await Promise.all(Array.from({ length: COPIES }, send));
          const first = expectOk(answers[0] ?? (await send()));
          for (const answer of answers) expect(answer).toEqual({ ok: true, value: first });
          expect(await transfersOfKind(engine, ctx.customerId, "capture")).toEqual([first.transferId]);
          expect(expectOk(await engine.balance(ctx.customerId))).toMatchObject({
            availableMinor: 70n,
            heldMinor: 0n,
          });
          expect((await engine.verify()).firstViolation).toBeNull();
        });

        it(`lets one body win and refuses the other ${shape.name}`, async () => {
          const ctx = await context();
          const racer = await shape.make();
          await fund(ctx, 100);
          const amounts = Array.from({ length: COPIES }, (_, i) => (i % 2 === 0 ? 5 : 6));
          const answers = await Promise.all(
            amounts.map((amountMinor) =>
              racer.consume({ customerId: ctx.customerId, amountMinor, idempotencyKey: ctx.key }),
            ),
          );
          const winners = answers.flatMap((answer) => (answer.ok ? [answer.value] : []));
          const winner = winners[0];
          if (winner === undefined) throw new Error("no copy of the request won the key");
          answers.forEach((answer, i) => {
            if (BigInt(amounts[i] ?? 0) === winner.amountMinor)
              expect(answer).toEqual({ ok: true, value: winner });
            else expect(codeOf(answer)).toBe("idempotency_conflict");
          });
          expect(await transfersOfKind(engine, ctx.customerId, "consume")).toEqual([winner.transferId]);
          expect(expectOk(await engine.balance(ctx.customerId)).availableMinor).toBe(
            100n - winner.amountMinor,
          );
        });
      }
    });
  });
}
