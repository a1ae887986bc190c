/**
 * Bad input to gifting, on every backend. Each bad send, claim, revoke, review, program save or
 * patch, and gift balance funding is refused with its typed code and leaves everything as it was: the
 * gift escrow and every customer's wallet and gift balance, each customer's sent and received gifts
 * and allowance, the programs and their versions, the review queue, and the count of rows in the
 * ledger and the gift tables.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import type { ErrorCode, Outcome } from "../../src/core/errors.js";
import { GIFT_HANDLE_LENGTH_MAX } from "../../src/core/gift-codes.js";
import { GIFT_AMOUNT_MINOR_MAX } from "../../src/core/gift-program.js";
import { EMAIL_LENGTH_MAX, GIFT_MESSAGE_LENGTH_MAX, SIGNAL_LENGTH_MAX } from "../../src/core/gifts.js";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import type { ClaimGiftInput, GiftView, SendGiftInput } from "../../src/engine/gifts.js";
import { CUSTOMER_ID_LENGTH_MAX, IDEMPOTENCY_KEY_LENGTH_MAX } from "../../src/engine/validate.js";
import type { Store } from "../../src/store/store.js";
import { backends } from "../support/backends.js";
import { counter, expectOk } from "../support/outcomes.js";

const START_MS = Date.UTC(2026, 5, 11, 9);
const DAY_MS = 86_400_000;
const PROGRAM = "bad-input";

/** Types a deliberately ill-typed value as what the API declares, to reach the runtime checks. */
const illTyped = <T>(value: unknown): T => value as T;

const VALID_PROGRAM = {
  status: "live",
  senders: { plans: ["pro"] },
  period: { unit: "month", timeZone: "Europe/Paris" },
  allowance: 500,
  giftMin: 10,
  giftMax: 300,
  caps: { sentPerPeriod: 5, receivedPerPeriod: 3, claimedEver: 5 },
  recipients: "anyone",
  claimWindow: "14d",
  credits: { expiresAfter: "90d", priority: 5 },
};

/** The customers and gifts every row works on, made once before the rows run. */
interface World {
  readonly engine: Engine;
  readonly ada: string;
  readonly bob: string;
  readonly cy: string;
  readonly dee: string;
  readonly pending: GiftView;
  readonly claimed: GiftView;
  readonly revoked: GiftView;
  readonly inReview: GiftView;
  /** A key already used for a send. */
  readonly usedKey: string;
}

interface Row {
  readonly name: string;
  readonly code: ErrorCode;
  readonly run: (world: World) => Promise<Outcome<unknown>>;
}

const key = counter("bad-gift-key");

function sendWith(world: World, change: Partial<Record<keyof SendGiftInput, unknown>>) {
  return world.engine.gifts.send({
    senderId: world.ada,
    programId: PROGRAM,
    amountMinor: 50n,
    source: "allowance",
    idempotencyKey: key(),
    ...illTyped<Partial<SendGiftInput>>(change),
  });
}

function claimWith(world: World, change: Partial<Record<keyof ClaimGiftInput, unknown>>) {
  return world.engine.gifts.claim({
    handle: world.pending.code,
    customerId: world.cy,
    idempotencyKey: key(),
    ...illTyped<Partial<ClaimGiftInput>>(change),
  });
}

const revokeOf = (world: World, giftId: string, senderId: string | null, idempotencyKey = key()) =>
  world.engine.gifts.revoke({ giftId, senderId, idempotencyKey });

const reviewOf = (world: World, giftId: string, decision: string, idempotencyKey = key()) =>
  world.engine.gifts.review({ giftId, decision: illTyped<"approve">(decision), idempotencyKey });

const saveWith = (world: World, spec: unknown, programId = "bad-new") =>
  world.engine.gifts.saveProgram(programId, spec);

/** The valid program with one field set (or, with `undefined`, removed). */
function programWith(change: Record<string, unknown>): Record<string, unknown> {
  const spec: Record<string, unknown> = { ...VALID_PROGRAM, ...change };
  for (const [name, value] of Object.entries(change)) if (value === undefined) delete spec[name];
  return spec;
}

/** A typo in the last character of a code: the check character no longer matches. */
const typoOf = (code: string): string => `${code.slice(0, -1)}${code.endsWith("0") ? "1" : "0"}`;

const SEND_ROWS: readonly Row[] = [
  { name: "send: amount 0", code: "invalid_request", run: (w) => sendWith(w, { amountMinor: 0n }) },
  { name: "send: negative amount", code: "invalid_request", run: (w) => sendWith(w, { amountMinor: -50n }) },
  { name: "send: amount as a number", code: "invalid_request", run: (w) => sendWith(w, { amountMinor: 50 }) },
  { name: "send: amount as text", code: "invalid_request", run: (w) => sendWith(w, { amountMinor: "50" }) },
  {
    name: "send: amount missing",
    code: "invalid_request",
    run: (w) => sendWith(w, { amountMinor: undefined }),
  },
  {
    name: "send: below the program's least",
    code: "invalid_request",
    run: (w) => sendWith(w, { amountMinor: 9n }),
  },
  {
    name: "send: above the program's most",
    code: "invalid_request",
    run: (w) => sendWith(w, { amountMinor: 301n }),
  },
  {
    name: "send: above any gift amount",
    code: "invalid_request",
    run: (w) => sendWith(w, { amountMinor: GIFT_AMOUNT_MINOR_MAX + 1n }),
  },
  { name: "send: unknown source", code: "invalid_request", run: (w) => sendWith(w, { source: "bank" }) },
  { name: "send: no source", code: "invalid_request", run: (w) => sendWith(w, { source: undefined }) },
  {
    name: "send: purchased credits",
    code: "not_transferable",
    run: (w) => sendWith(w, { source: "purchased" }),
  },
  { name: "send: the wallet", code: "not_transferable", run: (w) => sendWith(w, { source: "wallet" }) },
  {
    name: "send: message too long",
    code: "invalid_request",
    run: (w) => sendWith(w, { message: "x".repeat(GIFT_MESSAGE_LENGTH_MAX + 1) }),
  },
  {
    name: "send: message with NUL",
    code: "invalid_request",
    run: (w) => sendWith(w, { message: "hi\u0000" }),
  },
  { name: "send: message not text", code: "invalid_request", run: (w) => sendWith(w, { message: 42 }) },
  {
    name: "send: bad email",
    code: "invalid_request",
    run: (w) => sendWith(w, { recipientEmail: "not-an-email" }),
  },
  {
    name: "send: email too long",
    code: "invalid_request",
    run: (w) => sendWith(w, { recipientEmail: `${"a".repeat(EMAIL_LENGTH_MAX)}@example.com` }),
  },
  {
    name: "send: device signal too long",
    code: "invalid_request",
    run: (w) => sendWith(w, { signals: { device: "d".repeat(SIGNAL_LENGTH_MAX + 1) } }),
  },
  {
    name: "send: empty address signal",
    code: "invalid_request",
    run: (w) => sendWith(w, { signals: { address: "" } }),
  },
  {
    name: "send: signal not text",
    code: "invalid_request",
    run: (w) => sendWith(w, { signals: { device: 7 } }),
  },
  { name: "send: empty sender id", code: "invalid_request", run: (w) => sendWith(w, { senderId: "" }) },
  {
    name: "send: sender id too long",
    code: "invalid_request",
    run: (w) => sendWith(w, { senderId: "s".repeat(CUSTOMER_ID_LENGTH_MAX + 1) }),
  },
  {
    name: "send: sender id with a space",
    code: "invalid_request",
    run: (w) => sendWith(w, { senderId: "a b" }),
  },
  { name: "send: unknown sender", code: "not_found", run: (w) => sendWith(w, { senderId: "nobody" }) },
  { name: "send: empty key", code: "invalid_request", run: (w) => sendWith(w, { idempotencyKey: "" }) },
  {
    name: "send: key too long",
    code: "invalid_request",
    run: (w) => sendWith(w, { idempotencyKey: "k".repeat(IDEMPOTENCY_KEY_LENGTH_MAX + 1) }),
  },
  {
    name: "send: key with a space",
    code: "invalid_request",
    run: (w) => sendWith(w, { idempotencyKey: "k 1" }),
  },
  {
    name: "send: key not ASCII",
    code: "invalid_request",
    run: (w) => sendWith(w, { idempotencyKey: "clé" }),
  },
  {
    name: "send: a used key with another body",
    code: "idempotency_conflict",
    run: (w) => sendWith(w, { idempotencyKey: w.usedKey, amountMinor: 77n }),
  },
  { name: "send: unknown program", code: "not_found", run: (w) => sendWith(w, { programId: "no-such" }) },
  {
    name: "send: a sender off the program",
    code: "not_eligible",
    run: (w) => sendWith(w, { senderId: w.cy }),
  },
  {
    name: "send: a draft program",
    code: "program_closed",
    run: (w) => sendWith(w, { programId: "bad-draft" }),
  },
  {
    name: "send: an ended program",
    code: "program_closed",
    run: (w) => sendWith(w, { programId: "bad-ended" }),
  },
  {
    name: "send: a hidden program, sender outside its cohorts",
    code: "program_closed",
    run: (w) => sendWith(w, { programId: "bad-hidden" }),
  },
  {
    name: "send: more than the gift balance",
    code: "insufficient_credits",
    run: (w) => sendWith(w, { source: "gift_balance", amountMinor: 201n }),
  },
  {
    name: "send: from a gift balance never funded",
    code: "insufficient_credits",
    run: (w) => sendWith(w, { senderId: w.bob, source: "gift_balance" }),
  },
  {
    name: "send: more than the allowance left",
    code: "insufficient_credits",
    run: (w) => sendWith(w, { amountMinor: 300n, senderId: w.ada }),
  },
];

const CLAIM_ROWS: readonly Row[] = [
  { name: "claim: unknown customer", code: "not_found", run: (w) => claimWith(w, { customerId: "nobody" }) },
  { name: "claim: empty customer id", code: "invalid_request", run: (w) => claimWith(w, { customerId: "" }) },
  {
    name: "claim: customer id too long",
    code: "invalid_request",
    run: (w) => claimWith(w, { customerId: "c".repeat(CUSTOMER_ID_LENGTH_MAX + 1) }),
  },
  {
    name: "claim: a mistyped code",
    code: "invalid_request",
    run: (w) => claimWith(w, { handle: typoOf(w.pending.code) }),
  },
  { name: "claim: junk", code: "gift_unavailable", run: (w) => claimWith(w, { handle: "hello!" }) },
  { name: "claim: empty handle", code: "gift_unavailable", run: (w) => claimWith(w, { handle: "" }) },
  {
    name: "claim: a handle over the limit",
    code: "gift_unavailable",
    run: (w) => claimWith(w, { handle: `${w.pending.code}${" ".repeat(GIFT_HANDLE_LENGTH_MAX)}` }),
  },
  {
    name: "claim: an unknown code",
    code: "gift_unavailable",
    run: (w) => claimWith(w, { handle: "0000-0000-0000-0" }),
  },
  {
    name: "claim: an unknown secret",
    code: "gift_unavailable",
    run: (w) => claimWith(w, { handle: "AAAAAAAAAAAAAAAAAAAAAA" }),
  },
  {
    name: "claim: a claimed gift",
    code: "gift_unavailable",
    run: (w) => claimWith(w, { handle: w.claimed.code }),
  },
  {
    name: "claim: a revoked gift",
    code: "gift_unavailable",
    run: (w) => claimWith(w, { handle: w.revoked.secret }),
  },
  {
    name: "claim: a gift in review",
    code: "gift_unavailable",
    run: (w) => claimWith(w, { handle: w.inReview.code }),
  },
  { name: "claim: one's own gift", code: "gift_self_claim", run: (w) => claimWith(w, { customerId: w.ada }) },
  { name: "claim: empty key", code: "invalid_request", run: (w) => claimWith(w, { idempotencyKey: "" }) },
  {
    name: "claim: signal too long",
    code: "invalid_request",
    run: (w) => claimWith(w, { signals: { address: "a".repeat(SIGNAL_LENGTH_MAX + 1) } }),
  },
  { name: "claim: signals null", code: "invalid_request", run: (w) => claimWith(w, { signals: null }) },
];

const REVOKE_AND_REVIEW_ROWS: readonly Row[] = [
  { name: "revoke: someone else's gift", code: "not_found", run: (w) => revokeOf(w, w.pending.id, w.bob) },
  { name: "revoke: by the recipient", code: "not_found", run: (w) => revokeOf(w, w.claimed.id, w.cy) },
  { name: "revoke: unknown gift", code: "not_found", run: (w) => revokeOf(w, "gft_0", w.ada) },
  { name: "revoke: empty gift id", code: "not_found", run: (w) => revokeOf(w, "", w.ada) },
  { name: "revoke: gift id too long", code: "not_found", run: (w) => revokeOf(w, "g".repeat(10_000), null) },
  { name: "revoke: twice", code: "invalid_request", run: (w) => revokeOf(w, w.revoked.id, w.ada) },
  { name: "revoke: a claimed gift", code: "invalid_request", run: (w) => revokeOf(w, w.claimed.id, w.ada) },
  { name: "revoke: a gift in review", code: "invalid_request", run: (w) => revokeOf(w, w.inReview.id, null) },
  { name: "revoke: empty key", code: "invalid_request", run: (w) => revokeOf(w, w.pending.id, w.ada, "") },
  {
    name: "review: a pending gift",
    code: "invalid_request",
    run: (w) => reviewOf(w, w.pending.id, "approve"),
  },
  {
    name: "review: a claimed gift",
    code: "invalid_request",
    run: (w) => reviewOf(w, w.claimed.id, "reject"),
  },
  {
    name: "review: a revoked gift",
    code: "invalid_request",
    run: (w) => reviewOf(w, w.revoked.id, "approve"),
  },
  { name: "review: unknown gift", code: "not_found", run: (w) => reviewOf(w, "gft_0", "approve") },
  {
    name: "review: empty key",
    code: "invalid_request",
    run: (w) => reviewOf(w, w.inReview.id, "approve", ""),
  },
  {
    name: "review: neither approve nor reject",
    code: "invalid_request",
    run: (w) => reviewOf(w, w.inReview.id, "maybe"),
  },
];

const PROGRAM_ROWS: readonly Row[] = [
  {
    name: "program: unknown field",
    code: "invalid_request",
    run: (w) => saveWith(w, programWith({ budget: 5 })),
  },
  {
    name: "program: unknown field in caps",
    code: "invalid_request",
    run: (w) => saveWith(w, programWith({ caps: { perDay: 1 } })),
  },
  {
    name: "program: unknown field in senders",
    code: "invalid_request",
    run: (w) => saveWith(w, programWith({ senders: { countries: ["fr"] } })),
  },
  {
    name: "program: giftMax below giftMin",
    code: "invalid_request",
    run: (w) => saveWith(w, programWith({ giftMax: 5 })),
  },
  {
    name: "program: no giftMax",
    code: "invalid_request",
    run: (w) => saveWith(w, programWith({ giftMax: undefined })),
  },
  {
    name: "program: giftMin 0",
    code: "invalid_request",
    run: (w) => saveWith(w, programWith({ giftMin: 0 })),
  },
  {
    name: "program: giftMax above any gift",
    code: "invalid_request",
    run: (w) => saveWith(w, programWith({ giftMax: Number(GIFT_AMOUNT_MINOR_MAX) + 1 })),
  },
  {
    name: "program: giftMax as text",
    code: "invalid_request",
    run: (w) => saveWith(w, programWith({ giftMax: "300" })),
  },
  {
    name: "program: negative allowance",
    code: "invalid_request",
    run: (w) => saveWith(w, programWith({ allowance: -1 })),
  },
  {
    name: "program: fractional allowance",
    code: "invalid_request",
    run: (w) => saveWith(w, programWith({ allowance: 1.5 })),
  },
  {
    name: "program: claim window not a duration",
    code: "invalid_request",
    run: (w) => saveWith(w, programWith({ claimWindow: "two weeks" })),
  },
  {
    name: "program: claim window 0",
    code: "invalid_request",
    run: (w) => saveWith(w, programWith({ claimWindow: "0d" })),
  },
  {
    name: "program: claim window over a year",
    code: "invalid_request",
    run: (w) => saveWith(w, programWith({ claimWindow: "367d" })),
  },
  {
    name: "program: credit expiry not a duration",
    code: "invalid_request",
    run: (w) => saveWith(w, programWith({ credits: { expiresAfter: "90 days" } })),
  },
  {
    name: "program: unknown time zone",
    code: "invalid_request",
    run: (w) => saveWith(w, programWith({ period: { unit: "month", timeZone: "Mars/Olympus" } })),
  },
  {
    name: "program: unknown period unit",
    code: "invalid_request",
    run: (w) => saveWith(w, programWith({ period: { unit: "year" } })),
  },
  {
    name: "program: unknown status",
    code: "invalid_request",
    run: (w) => saveWith(w, programWith({ status: "paused" })),
  },
  {
    name: "program: unknown recipients rule",
    code: "invalid_request",
    run: (w) => saveWith(w, programWith({ recipients: "everyone" })),
  },
  {
    name: "program: sent cap 0",
    code: "invalid_request",
    run: (w) => saveWith(w, programWith({ caps: { sentPerPeriod: 0 } })),
  },
  {
    name: "program: received cap negative",
    code: "invalid_request",
    run: (w) => saveWith(w, programWith({ caps: { receivedPerPeriod: -1 } })),
  },
  {
    name: "program: claimed-ever cap fractional",
    code: "invalid_request",
    run: (w) => saveWith(w, programWith({ caps: { claimedEver: 1.5 } })),
  },
  {
    name: "program: priority above the most",
    code: "invalid_request",
    run: (w) => saveWith(w, programWith({ credits: { priority: 1001 } })),
  },
  {
    name: "program: priority below the least",
    code: "invalid_request",
    run: (w) => saveWith(w, programWith({ credits: { priority: -1 } })),
  },
  {
    name: "program: newWithinDays 0",
    code: "invalid_request",
    run: (w) => saveWith(w, programWith({ newWithinDays: 0 })),
  },
  {
    name: "program: lapsedAfterDays over ten years",
    code: "invalid_request",
    run: (w) => saveWith(w, programWith({ lapsedAfterDays: 3651 })),
  },
  {
    name: "program: visibleTo not a list",
    code: "invalid_request",
    run: (w) => saveWith(w, programWith({ visibleTo: "beta" })),
  },
  {
    name: "program: a plan name in upper case",
    code: "invalid_request",
    run: (w) => saveWith(w, programWith({ senders: { plans: ["Pro"] } })),
  },
  {
    name: "program: a list, not an object",
    code: "invalid_request",
    run: (w) => saveWith(w, [VALID_PROGRAM]),
  },
  { name: "program: null", code: "invalid_request", run: (w) => saveWith(w, null) },
  { name: "program: text", code: "invalid_request", run: (w) => saveWith(w, JSON.stringify(VALID_PROGRAM)) },
  {
    name: "program: id with a space",
    code: "invalid_request",
    run: (w) => saveWith(w, VALID_PROGRAM, "bad id"),
  },
  {
    name: "program: id in upper case",
    code: "invalid_request",
    run: (w) => saveWith(w, VALID_PROGRAM, "Bad"),
  },
  { name: "program: empty id", code: "invalid_request", run: (w) => saveWith(w, VALID_PROGRAM, "") },
  {
    name: "program: bad key",
    code: "invalid_request",
    run: (w) => w.engine.gifts.saveProgram("bad-new", VALID_PROGRAM, ""),
  },
  {
    name: "patch: unknown program",
    code: "not_found",
    run: (w) => w.engine.gifts.patchProgram("no-such", { status: "ended" }),
  },
  { name: "patch: a list", code: "invalid_request", run: (w) => w.engine.gifts.patchProgram(PROGRAM, []) },
  { name: "patch: null", code: "invalid_request", run: (w) => w.engine.gifts.patchProgram(PROGRAM, null) },
  {
    name: "patch: giftMin above giftMax",
    code: "invalid_request",
    run: (w) => w.engine.gifts.patchProgram(PROGRAM, { giftMin: 301 }),
  },
  {
    name: "patch: unknown status",
    code: "invalid_request",
    run: (w) => w.engine.gifts.patchProgram(PROGRAM, { status: "paused" }),
  },
  {
    name: "patch: removing giftMax",
    code: "invalid_request",
    run: (w) => w.engine.gifts.patchProgram(PROGRAM, { giftMax: null }),
  },
  {
    name: "patch: sent cap 0",
    code: "invalid_request",
    run: (w) => w.engine.gifts.patchProgram(PROGRAM, { caps: { sentPerPeriod: 0 } }),
  },
  {
    name: "patch: unknown field",
    code: "invalid_request",
    run: (w) => w.engine.gifts.patchProgram(PROGRAM, { budget: 10 }),
  },
];

const fundWith = (world: World, change: Record<string, unknown>) =>
  world.engine.gifts.fundGiftBalance({
    customerId: world.ada,
    amountMinor: 100n,
    reason: null,
    idempotencyKey: key(),
    ...illTyped<Partial<{ customerId: string; amountMinor: bigint; idempotencyKey: string }>>(change),
  });

const FUND_ROWS: readonly Row[] = [
  { name: "fund: amount 0", code: "invalid_request", run: (w) => fundWith(w, { amountMinor: 0n }) },
  { name: "fund: negative amount", code: "invalid_request", run: (w) => fundWith(w, { amountMinor: -1n }) },
  {
    name: "fund: amount as a number",
    code: "invalid_request",
    run: (w) => fundWith(w, { amountMinor: 100 }),
  },
  {
    name: "fund: amount beyond what the ledger stores",
    code: "invalid_request",
    run: (w) => fundWith(w, { amountMinor: 2n ** 63n }),
  },
  { name: "fund: unknown customer", code: "not_found", run: (w) => fundWith(w, { customerId: "nobody" }) },
  { name: "fund: empty key", code: "invalid_request", run: (w) => fundWith(w, { idempotencyKey: "" }) },
];

const ROWS = [...SEND_ROWS, ...CLAIM_ROWS, ...REVOKE_AND_REVIEW_ROWS, ...PROGRAM_ROWS, ...FUND_ROWS];

for (const backend of backends()) {
  describe(`bad gifting input on ${backend.name}`, () => {
    let store: Store;
    let world: World;
    let before: unknown;

    async function build(): Promise<World> {
      const engine = await createEngine({ store, clock: new ManualClock(START_MS) });
      for (const [id, spec] of [
        [PROGRAM, VALID_PROGRAM],
        ["bad-draft", { ...VALID_PROGRAM, status: "draft" }],
        ["bad-ended", { ...VALID_PROGRAM, status: "ended" }],
        ["bad-hidden", { ...VALID_PROGRAM, status: "hidden", visibleTo: ["beta"] }],
      ] as const)
        expectOk(await engine.gifts.saveProgram(id, spec));
      const signedUpAtMs = START_MS - 400 * DAY_MS;
      for (const [id, plan] of [
        ["ada", "pro"],
        ["bob", "pro"],
        ["cy", "free"],
        ["dee", "free"],
      ] as const)
        expectOk(await engine.upsertCustomer({ id, plan, signedUpAtMs }));
      expectOk(
        await engine.gifts.fundGiftBalance({
          customerId: "ada",
          amountMinor: 200n,
          reason: null,
          idempotencyKey: key(),
        }),
      );
      const send = (amountMinor: bigint, extra: Partial<SendGiftInput> = {}) =>
        engine.gifts.send({
          senderId: "ada",
          programId: PROGRAM,
          amountMinor,
          source: "allowance",
          idempotencyKey: key(),
          ...extra,
        });
      const usedKey = key();
      const pending = expectOk(await send(100n, { idempotencyKey: usedKey }));
      const claimed = expectOk(await send(50n));
      expectOk(await engine.gifts.claim({ handle: claimed.code, customerId: "cy", idempotencyKey: key() }));
      const revoked = expectOk(await send(60n, { source: "gift_balance" }));
      expectOk(await engine.gifts.revoke({ giftId: revoked.id, senderId: "ada", idempotencyKey: key() }));
      const inReview = expectOk(await send(70n, { signals: { device: "dev-1" } }));
      const held = await engine.gifts.claim({
        handle: inReview.secret,
        customerId: "dee",
        signals: { device: "dev-1" },
        idempotencyKey: key(),
      });
      expect(expectOk(held).status).toBe("review");
      return {
        engine,
        ada: "ada",
        bob: "bob",
        cy: "cy",
        dee: "dee",
        pending,
        claimed,
        revoked,
        inReview,
        usedKey,
      };
    }

    /** Everything a refused request must leave as it was. */
    async function snapshot(): Promise<unknown> {
      const { engine } = world;
      const customers = [];
      for (const id of [world.ada, world.bob, world.cy, world.dee]) {
        const gifts = expectOk(await engine.gifts.ofCustomer(id));
        const balance = expectOk(await engine.balance(id));
        customers.push({
          id,
          sent: gifts.sent.map((g) => [g.id, g.status, g.amountMinor, g.recipientId, g.resolvedAtMs]),
          received: gifts.received.map((g) => [g.id, g.status]),
          allowances: gifts.allowances,
          giftBalanceMinor: gifts.giftBalanceMinor,
          postedMinor: balance.postedMinor,
          availableMinor: balance.availableMinor,
          lots: balance.lots.map((lot) => [lot.id, lot.remainingMinor]),
        });
      }
      const [escrow] = await store.query<{ balance_minor: string }>(
        "SELECT balance_minor::text FROM accounts WHERE id = 'sys_gift_escrow'",
      );
      const [rows] = await store.query<Record<string, string>>(
        `SELECT (SELECT count(*) FROM gifts)::text AS gifts, (SELECT count(*) FROM gift_programs)::text AS programs,
           (SELECT count(*) FROM gift_allowance_usage)::text AS usage_rows, (SELECT count(*) FROM events)::text AS events,
           (SELECT count(*) FROM accounts)::text AS accounts`,
      );
      const verified = await engine.verify();
      return {
        customers,
        escrowMinor: escrow?.balance_minor,
        rows,
        counts: verified.counts,
        violations: verified.checks.filter((check) => check.violation !== null),
        programs: (await engine.gifts.listPrograms()).map((p) => [p.id, p.version, p.spec]),
        inReview: (await engine.gifts.inReview()).map((g) => g.id),
      };
    }

    beforeAll(async () => {
      store = await backend.open();
      world = await build();
      before = await snapshot();
    });
    afterAll(async () => {
      await store.close();
      await backend.cleanup();
    });

    it("covers at least thirty bad inputs, each named once", () => {
      expect(ROWS.length).toBeGreaterThanOrEqual(30);
      expect(new Set(ROWS.map((row) => row.name)).size).toBe(ROWS.length);
    });

    it("starts from a ledger that verifies, with one gift in each state", async () => {
      expect(before).toMatchObject({ violations: [], escrowMinor: "170", inReview: [world.inReview.id] });
    });

    for (const row of ROWS) {
      it(`refuses ${row.name} with ${row.code} and changes nothing`, async () => {
        // Compared with the state just before, so that a row which wrongly changes something fails alone.
        const expected = await snapshot();
        let outcome: Outcome<unknown>;
        try {
          outcome = await row.run(world);
        } catch (error) {
          throw new Error(`${row.name}: threw instead of answering ${row.code}: ${String(error)}`);
        }
        expect(outcome.ok ? "ok" : outcome.error.code).toBe(row.code);
        expect(await snapshot()).toEqual(expected);
      });
    }
  });
}
