/**
 * Bad input to every ledger write: each is refused with the right code and a message that names the
 * problem, and leaves the ledger exactly as it was (every wallet's entries and balance, the global
 * counts) with `verify` still clean.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import type { ErrorCode, Outcome } from "../../src/core/errors.js";
import { HOLD_TTL_SECONDS_MAX } from "../../src/core/ledger.js";
import { AMOUNT_MINOR_MAX } from "../../src/core/units.js";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import { IDEMPOTENCY_KEY_LENGTH_MAX } from "../../src/engine/validate.js";
import type { Store } from "../../src/store/store.js";
import { backends } from "../support/backends.js";
import { counter, expectOk } from "../support/outcomes.js";

const START_MS = Date.UTC(2026, 5, 1);
const HOUR_MS = 3_600_000;
const UNKNOWN_HOLD_ID = `hld_${"0".repeat(32)}`;
const UNKNOWN_TRANSFER_ID = `txn_${"0".repeat(32)}`;

/** The scene every case runs against: two funded customers, a pending hold and a few transfers. */
interface Scene {
  readonly engine: Engine;
  readonly nowMs: number;
  readonly holdId: string;
  readonly consumeId: string;
  readonly reversalId: string;
  readonly expiryId: string;
}

async function buildScene(engine: Engine, clock: ManualClock): Promise<Scene> {
  const key = counter("scene");
  for (const id of ["alice", "bob"]) expectOk(await engine.upsertCustomer({ id }));
  const grant = (customerId: string, amountMinor: number, kind: string, expiresAtMs?: number) =>
    engine.grant({ customerId, amountMinor, kind, expiresAtMs, idempotencyKey: key() });
  // An expired lot, swept, gives an expiry transfer to try reversing; nothing else is due afterwards,
  // so no case can change the ledger by bringing a wallet up to date.
  expectOk(await grant("alice", 20, "promotional", clock.nowMs() + 1_000));
  clock.advanceMs(2_000);
  await engine.sweep();
  const expiry = expectOk(await engine.ledger("alice")).data.find((line) => line.kind === "expire");
  if (expiry === undefined) throw new Error("the sweep booked no expiry");
  expectOk(await grant("alice", 500, "purchased"));
  expectOk(await grant("alice", 100, "promotional"));
  expectOk(await grant("bob", 50, "promotional"));
  const consumed = expectOk(
    await engine.consume({ customerId: "alice", amountMinor: 30, idempotencyKey: key() }),
  );
  const reversed = expectOk(await engine.reverse({ transferId: consumed.transferId, idempotencyKey: key() }));
  const held = expectOk(
    await engine.hold({ customerId: "alice", amountMinor: 40, ttlSeconds: 3_600, idempotencyKey: key() }),
  );
  return {
    engine,
    nowMs: clock.nowMs(),
    holdId: held.hold.id,
    consumeId: consumed.transferId,
    reversalId: reversed.transferId,
    expiryId: expiry.transferId,
  };
}

/** Everything a write could change: the global counts, and each wallet's ledger and balance. */
async function snapshot(engine: Engine) {
  const report = await engine.verify();
  expect(report.firstViolation).toBeNull();
  const wallets = [];
  for (const customerId of ["alice", "bob"]) {
    wallets.push({
      ledger: await engine.ledger(customerId, { limit: 100 }),
      balance: await engine.balance(customerId),
    });
  }
  return { counts: report.counts, wallets };
}

interface BadCase {
  readonly name: string;
  readonly call: (s: Scene) => Promise<Outcome<unknown>>;
  readonly code: ErrorCode;
  /** What the message must say for a caller to fix the request. */
  readonly message: RegExp;
}

const key = counter("bad");

/** Types a deliberately ill-typed value as what the API declares, to reach the runtime checks. */
const illTyped = <T>(value: unknown): T => value as T;

const BAD_AMOUNTS: readonly { label: string; value: bigint | number | string; message: RegExp }[] = [
  { label: "zero", value: 0, message: /amount must be positive, got 0/ },
  { label: "negative", value: -5, message: /amount must be positive, got -5/ },
  { label: "negative bigint", value: -5n, message: /amount must be positive/ },
  { label: "fractional", value: 1.5, message: /amount must be a whole number of minor units, got 1.5/ },
  { label: "NaN", value: Number.NaN, message: /amount must be a whole number.*NaN/ },
  { label: "infinite", value: Number.POSITIVE_INFINITY, message: /amount must be a whole number/ },
  { label: "beyond safe integers", value: 2 ** 53, message: /amount must be a whole number/ },
  {
    label: "one over the maximum",
    value: AMOUNT_MINOR_MAX + 1n,
    message: /amount must be at most 1000000000000/,
  },
  { label: "huge", value: Number(AMOUNT_MINOR_MAX) * 1_000, message: /amount must be at most/ },
  { label: "huge text", value: "99999999999999999999", message: /amount must be at most/ },
  { label: "text that is no number", value: "12abc", message: /amount must be a whole number/ },
  { label: "empty text", value: "", message: /amount must be a whole number/ },
];

function amountCases(): BadCase[] {
  return BAD_AMOUNTS.flatMap(({ label, value, message }) => [
    {
      name: `a grant of a ${label} amount`,
      call: (s: Scene) =>
        s.engine.grant({
          customerId: "alice",
          amountMinor: value,
          kind: "promotional",
          idempotencyKey: key(),
        }),
      code: "invalid_request" as const,
      message,
    },
    {
      name: `a consume of a ${label} amount`,
      call: (s: Scene) =>
        s.engine.consume({ customerId: "alice", amountMinor: value, idempotencyKey: key() }),
      code: "invalid_request" as const,
      message,
    },
    {
      name: `a hold of a ${label} amount`,
      call: (s: Scene) =>
        s.engine.hold({ customerId: "alice", amountMinor: value, ttlSeconds: 60, idempotencyKey: key() }),
      code: "invalid_request" as const,
      message,
    },
    {
      name: `a capture of a ${label} amount`,
      call: (s: Scene) => s.engine.capture({ holdId: s.holdId, amountMinor: value, idempotencyKey: key() }),
      code: "invalid_request" as const,
      message,
    },
  ]);
}

const CUSTOMER_CASES: readonly BadCase[] = [
  {
    name: "a grant to an unknown customer",
    call: (s) =>
      s.engine.grant({ customerId: "nobody", amountMinor: 10, kind: "promotional", idempotencyKey: key() }),
    code: "not_found",
    message: /no customer nobody/,
  },
  {
    name: "a consume by an unknown customer",
    call: (s) => s.engine.consume({ customerId: "nobody", amountMinor: 10, idempotencyKey: key() }),
    code: "not_found",
    message: /no customer nobody/,
  },
  {
    name: "a hold for an unknown customer",
    call: (s) =>
      s.engine.hold({ customerId: "nobody", amountMinor: 10, ttlSeconds: 60, idempotencyKey: key() }),
    code: "not_found",
    message: /no customer nobody/,
  },
  {
    name: "a balance of an unknown customer",
    call: (s) => s.engine.balance("nobody"),
    code: "not_found",
    message: /no customer nobody/,
  },
  {
    name: "a ledger of an unknown customer",
    call: (s) => s.engine.ledger("nobody"),
    code: "not_found",
    message: /no customer nobody/,
  },
  {
    name: "a consume with an empty customer id",
    call: (s) => s.engine.consume({ customerId: "", amountMinor: 10, idempotencyKey: key() }),
    code: "invalid_request",
    message: /customerId must be 1 to 128 printable/,
  },
  {
    name: "a grant with an overlong customer id",
    call: (s) =>
      s.engine.grant({
        customerId: "c".repeat(129),
        amountMinor: 10,
        kind: "promotional",
        idempotencyKey: key(),
      }),
    code: "invalid_request",
    message: /customerId must be 1 to 128/,
  },
  {
    name: "a hold with a customer id holding a space",
    call: (s) =>
      s.engine.hold({ customerId: "ali ce", amountMinor: 10, ttlSeconds: 60, idempotencyKey: key() }),
    code: "invalid_request",
    message: /customerId/,
  },
];

const BAD_HOLD_IDS = [
  "nope",
  "hld_123",
  `hld_${"A".repeat(32)}`,
  `txn_${"0".repeat(32)}`,
  ` ${UNKNOWN_HOLD_ID}`,
];
const BAD_TRANSFER_IDS = ["nope", "txn_", `txn_${"g".repeat(32)}`, UNKNOWN_HOLD_ID];

const ID_CASES: readonly BadCase[] = [
  ...BAD_HOLD_IDS.flatMap((holdId): BadCase[] => [
    {
      name: `a capture of malformed hold id ${JSON.stringify(holdId)}`,
      call: (s) => s.engine.capture({ holdId, idempotencyKey: key() }),
      code: "invalid_request",
      message: /holdId must be an id like hld_/,
    },
    {
      name: `a void of malformed hold id ${JSON.stringify(holdId)}`,
      call: (s) => s.engine.voidHold({ holdId, idempotencyKey: key() }),
      code: "invalid_request",
      message: /holdId must be an id like hld_/,
    },
  ]),
  ...BAD_TRANSFER_IDS.map(
    (transferId): BadCase => ({
      name: `a reversal of malformed transfer id ${JSON.stringify(transferId)}`,
      call: (s) => s.engine.reverse({ transferId, idempotencyKey: key() }),
      code: "invalid_request",
      message: /transferId must be an id like txn_/,
    }),
  ),
  {
    name: "a capture of an unknown hold",
    call: (s) => s.engine.capture({ holdId: UNKNOWN_HOLD_ID, idempotencyKey: key() }),
    code: "not_found",
    message: new RegExp(`no hold ${UNKNOWN_HOLD_ID}`),
  },
  {
    name: "a void of an unknown hold",
    call: (s) => s.engine.voidHold({ holdId: UNKNOWN_HOLD_ID, idempotencyKey: key() }),
    code: "not_found",
    message: new RegExp(`no hold ${UNKNOWN_HOLD_ID}`),
  },
  {
    name: "a reversal of an unknown transfer",
    call: (s) => s.engine.reverse({ transferId: UNKNOWN_TRANSFER_ID, idempotencyKey: key() }),
    code: "not_found",
    message: new RegExp(`no transfer ${UNKNOWN_TRANSFER_ID}`),
  },
];

const HOLD_CASES: readonly BadCase[] = [
  {
    name: "a capture of more than the hold",
    call: (s) => s.engine.capture({ holdId: s.holdId, amountMinor: 41, idempotencyKey: key() }),
    code: "invalid_request",
    message: /capture of 41 exceeds hold .* of 40/,
  },
  ...[0, -1, 1.5, Number.NaN, HOLD_TTL_SECONDS_MAX + 1].map(
    (ttlSeconds): BadCase => ({
      name: `a hold with ttlSeconds ${ttlSeconds}`,
      call: (s) => s.engine.hold({ customerId: "alice", amountMinor: 10, ttlSeconds, idempotencyKey: key() }),
      code: "invalid_request",
      message: new RegExp(`ttlSeconds must be a whole number from 1 to ${HOLD_TTL_SECONDS_MAX}`),
    }),
  ),
];

const grantAt = (s: Scene, times: { effectiveAtMs?: number; expiresAtMs?: number }) =>
  s.engine.grant({
    customerId: "alice",
    amountMinor: 10,
    kind: "promotional",
    ...times,
    idempotencyKey: key(),
  });

const GRANT_CASES: readonly BadCase[] = [
  {
    name: "a grant expiring in the past",
    call: (s) => grantAt(s, { expiresAtMs: s.nowMs - 1 }),
    code: "invalid_request",
    message: /expiresAt must be later than now/,
  },
  {
    // Expiry is exclusive: a lot expiring now would never be spendable.
    name: "a grant expiring exactly now",
    call: (s) => grantAt(s, { expiresAtMs: s.nowMs }),
    code: "invalid_request",
    message: /expiresAt must be later than now/,
  },
  {
    name: "a grant expiring before it takes effect",
    call: (s) => grantAt(s, { effectiveAtMs: s.nowMs + 2 * HOUR_MS, expiresAtMs: s.nowMs + HOUR_MS }),
    code: "invalid_request",
    message: /expiresAt must be later than .*effectiveAt/,
  },
  {
    name: "a grant with an expiry in seconds instead of milliseconds",
    call: (s) => grantAt(s, { expiresAtMs: Math.floor(s.nowMs / 1000) + 3_600 }),
    code: "invalid_request",
    message: /expiresAt must be a time between 2000 and 2200/,
  },
  {
    name: "a grant taking effect at a fractional instant",
    call: (s) => grantAt(s, { effectiveAtMs: s.nowMs + 0.5 }),
    code: "invalid_request",
    message: /effectiveAt must be a time/,
  },
  {
    name: "a transferable purchased grant",
    call: (s) =>
      s.engine.grant({
        customerId: "alice",
        amountMinor: 10,
        kind: "purchased",
        transferable: true,
        idempotencyKey: key(),
      }),
    code: "not_transferable",
    message: /purchased credits are never transferable/,
  },
  ...["gifted", "bitcoin", ""].map(
    (kind): BadCase => ({
      name: `a grant of kind ${JSON.stringify(kind)}`,
      call: (s) => s.engine.grant({ customerId: "alice", amountMinor: 10, kind, idempotencyKey: key() }),
      code: "invalid_request",
      message: /kind must be one of purchased, promotional, compensation/,
    }),
  ),
  ...[-1, 1001, 2.5].map(
    (priority): BadCase => ({
      name: `a grant with priority ${priority}`,
      call: (s) =>
        s.engine.grant({
          customerId: "alice",
          amountMinor: 10,
          kind: "promotional",
          priority,
          idempotencyKey: key(),
        }),
      code: "invalid_request",
      message: /priority must be a whole number from 0 to 1000/,
    }),
  ),
  {
    name: "a consume with an overlong reason",
    call: (s) =>
      s.engine.consume({
        customerId: "alice",
        amountMinor: 1,
        reason: "r".repeat(501),
        idempotencyKey: key(),
      }),
    code: "invalid_request",
    message: /reason must be text of at most 500 characters/,
  },
];

const REVERSAL_CASES: readonly BadCase[] = [
  {
    name: "a reversal of a reversal",
    call: (s) => s.engine.reverse({ transferId: s.reversalId, idempotencyKey: key() }),
    code: "not_reversible",
    message: /is itself a reversal/,
  },
  {
    name: "a reversal of an expiry",
    call: (s) => s.engine.reverse({ transferId: s.expiryId, idempotencyKey: key() }),
    code: "not_reversible",
    message: /booked an expiry/,
  },
  {
    name: "a second reversal of a consume",
    call: (s) => s.engine.reverse({ transferId: s.consumeId, idempotencyKey: key() }),
    code: "already_reversed",
    message: /already reversed by txn_/,
  },
];

const KEY_MESSAGE = new RegExp(`idempotency key must be 1 to ${IDEMPOTENCY_KEY_LENGTH_MAX} printable ASCII`);
const BAD_KEYS: readonly { label: string; value: unknown; message: RegExp }[] = [
  { label: "a missing", value: undefined, message: /an idempotency key is required/ },
  { label: "an empty", value: "", message: /an idempotency key is required/ },
  { label: "a numeric", value: 42, message: /an idempotency key is required/ },
  { label: "an overlong", value: "k".repeat(IDEMPOTENCY_KEY_LENGTH_MAX + 1), message: KEY_MESSAGE },
  { label: "a spaced", value: "my key", message: KEY_MESSAGE },
  { label: "a non-ASCII", value: "clé", message: KEY_MESSAGE },
];

function keyCases(): BadCase[] {
  return BAD_KEYS.flatMap(({ label, value, message }): BadCase[] => {
    const idempotencyKey = illTyped<string>(value);
    return [
      {
        name: `a grant with ${label} key`,
        call: (s) =>
          s.engine.grant({ customerId: "alice", amountMinor: 10, kind: "promotional", idempotencyKey }),
        code: "invalid_request",
        message,
      },
      {
        name: `a consume with ${label} key`,
        call: (s) => s.engine.consume({ customerId: "alice", amountMinor: 10, idempotencyKey }),
        code: "invalid_request",
        message,
      },
      {
        name: `a hold with ${label} key`,
        call: (s) => s.engine.hold({ customerId: "alice", amountMinor: 10, ttlSeconds: 60, idempotencyKey }),
        code: "invalid_request",
        message,
      },
      {
        name: `a capture with ${label} key`,
        call: (s) => s.engine.capture({ holdId: s.holdId, idempotencyKey }),
        code: "invalid_request",
        message,
      },
      {
        name: `a void with ${label} key`,
        call: (s) => s.engine.voidHold({ holdId: s.holdId, idempotencyKey }),
        code: "invalid_request",
        message,
      },
      {
        name: `a reversal with ${label} key`,
        call: (s) => s.engine.reverse({ transferId: s.consumeId, idempotencyKey }),
        code: "invalid_request",
        message,
      },
    ];
  });
}

// Text the database cannot store (a NUL) or JSON it cannot parse (a lone surrogate) is still just bad
// input: it must be refused as such, not fail the write with a database error.
const UNSTORABLE_TEXT: readonly { label: string; value: string }[] = [
  { label: "a NUL character", value: "refund\u0000" },
  { label: "a lone surrogate", value: "refund\ud800" },
];

const TEXT_CASES: readonly BadCase[] = UNSTORABLE_TEXT.flatMap(({ label, value }): BadCase[] => [
  {
    name: `a grant whose reason holds ${label}`,
    call: (s) =>
      s.engine.grant({
        customerId: "alice",
        amountMinor: 10,
        kind: "promotional",
        reason: value,
        idempotencyKey: key(),
      }),
    code: "invalid_request",
    message: /reason/,
  },
  {
    name: `a consume whose reason holds ${label}`,
    call: (s) =>
      s.engine.consume({ customerId: "alice", amountMinor: 10, reason: value, idempotencyKey: key() }),
    code: "invalid_request",
    message: /reason/,
  },
]);

const CASES: readonly BadCase[] = [
  ...amountCases(),
  ...CUSTOMER_CASES,
  ...ID_CASES,
  ...HOLD_CASES,
  ...GRANT_CASES,
  ...REVERSAL_CASES,
  ...keyCases(),
  ...TEXT_CASES,
];

for (const backend of backends()) {
  describe(`bad input on ${backend.name}`, () => {
    let store: Store;
    let scene: Scene;
    const clock = new ManualClock(START_MS);

    beforeAll(async () => {
      store = await backend.open();
      scene = await buildScene(await createEngine({ store, clock }), clock);
    });
    afterAll(async () => {
      await store.close();
      await backend.cleanup();
    });

    for (const bad of CASES) {
      it(`refuses ${bad.name} (${bad.code}) and changes nothing`, async () => {
        const before = await snapshot(scene.engine);
        const outcome = await bad.call(scene);
        expect(outcome.ok ? "ok" : outcome.error.code).toBe(bad.code);
        if (!outcome.ok) expect(outcome.error.message).toMatch(bad.message);
        expect(await snapshot(scene.engine)).toEqual(before);
      });
    }

    // A hold named together with a customer who does not own it must be indistinguishable from a hold
    // that does not exist, so that hold ids cannot be probed across customers.
    for (const operation of ["capture", "void"] as const) {
      it(`answers a ${operation} of another customer's hold exactly like a missing hold`, async () => {
        const { engine, holdId } = scene;
        const send = (id: string, customerId: string) =>
          operation === "capture"
            ? engine.capture({ holdId: id, customerId, idempotencyKey: key() })
            : engine.voidHold({ holdId: id, customerId, idempotencyKey: key() });
        const before = await snapshot(engine);
        const missing = await send(UNKNOWN_HOLD_ID, "bob");
        for (const customerId of ["bob", "nobody"]) {
          const foreign = await send(holdId, customerId);
          expect(foreign).toEqual({
            ok: false,
            error: { code: "not_found", message: expectMessage(missing).replace(UNKNOWN_HOLD_ID, holdId) },
          });
        }
        expect(await snapshot(engine)).toEqual(before);
        // The owner still sees the hold pending and untouched.
        expect(expectOk(await engine.balance("alice")).heldMinor).toBe(40n);
      });
    }

    it("accepts the limits themselves: the largest amount, ttl and key", async () => {
      const { engine } = scene;
      const customerId = "carol";
      expectOk(await engine.upsertCustomer({ id: customerId }));
      const longKey = "k".repeat(IDEMPOTENCY_KEY_LENGTH_MAX);
      expectOk(
        await engine.grant({
          customerId,
          amountMinor: AMOUNT_MINOR_MAX,
          kind: "purchased",
          idempotencyKey: longKey,
        }),
      );
      const held = await engine.hold({
        customerId,
        amountMinor: AMOUNT_MINOR_MAX,
        ttlSeconds: HOLD_TTL_SECONDS_MAX,
        idempotencyKey: key(),
      });
      expect(expectOk(held).hold.expiresAtMs).toBe(clock.nowMs() + HOLD_TTL_SECONDS_MAX * 1000);
      expect((await engine.verify()).firstViolation).toBeNull();
    });

    it("customer details the database cannot store are refused as bad input", async () => {
      const { engine } = scene;
      const before = await snapshot(engine);
      const outcome = await engine.upsertCustomer({ id: "dave", displayName: "Dave\u0000" });
      expect(outcome.ok ? "ok" : outcome.error.code).toBe("invalid_request");
      expect(await snapshot(engine)).toEqual(before);
      expect(await engine.getCustomer("dave")).toMatchObject({ ok: false, error: { code: "not_found" } });
    });
  });
}

function expectMessage(outcome: Outcome<unknown>): string {
  if (outcome.ok) throw new Error("expected a refusal");
  return outcome.error.message;
}
