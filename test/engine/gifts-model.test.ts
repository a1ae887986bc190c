/**
 * Model-based test of gifting: random sequences of sends (from the allowance or the gift balance),
 * claims (by code, by link secret, by anyone, the sender included), previews, revokes (by the sender,
 * by someone else, by an operator), reviews, gift balance funding, clock moves (onto exact expiries,
 * segment and period boundaries, and one millisecond either side), sweeps and retries run against the
 * real engine and against a small model written here from the rules alone. The model keeps each gift's
 * state, every sender's allowance use per daily period, gift balances, and the gifted lots in each
 * wallet. After every step the answer (its code, and what it says) must agree with the model; every few
 * steps and at the end every customer's gifts page and balance must agree too; after each sequence
 * `verify` must find no violation.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import type { ErrorCode, Outcome } from "../../src/core/errors.js";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import type { ClaimGiftInput, GiftView, SendGiftInput } from "../../src/engine/gifts.js";
import type { Store } from "../../src/store/store.js";
import { backends } from "../support/backends.js";
import { counter, expectOk } from "../support/outcomes.js";

const CUSTOMERS_PER_RUN = 4;
const COMMANDS_MAX = 25;
/** Runs per backend; raise it (GIFT_MODEL_RUNS=200) to search harder. */
const RUNS = Number(process.env.GIFT_MODEL_RUNS ?? 20);
const TEST_TIMEOUT_MS = 60_000 + RUNS * 3_000;
const START_MS = Date.UTC(2026, 5, 11, 9, 17);

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const GIFT_MIN = 10n;
const GIFT_MAX = 200n;
const CLAIM_WINDOW_MS = 2 * DAY_MS;
const CREDITS_TTL_MS = 3 * DAY_MS;
const NEW_WITHIN_DAYS = 2;
const LAPSED_AFTER_DAYS = 3;
/** Only these customers (0 to 2) are on the senders' plan; customer 3 is not. */
const PLAN_OF = ["pro", "pro", "pro", "free"] as const;
const DEVICES = ["dev-a", "dev-b"] as const;

type Recipients = "anyone" | "new_or_lapsed" | "lapsed";
type Segment = "new" | "lapsed" | "active";
type Status = "pending" | "review" | "claimed" | "expired" | "revoked";
type Source = "allowance" | "gift_balance";

// ---------------------------------------------------------------------------------------------------
// The model

interface Terms {
  readonly allowance: bigint;
  readonly sentPerPeriod: number | null;
  readonly receivedPerPeriod: number | null;
  readonly claimedEver: number | null;
  readonly recipients: Recipients;
}

interface ModelCustomer {
  readonly signedUpAtMs: number;
  readonly lastActiveAtMs: number | null;
  giftBalance: bigint;
}

interface ModelGift {
  readonly id: string;
  /** As shown to the sender: grouped, upper case. */
  readonly code: string;
  readonly secret: string;
  readonly sender: number;
  readonly source: Source;
  readonly amount: bigint;
  readonly periodStartMs: number;
  readonly expiresAtMs: number;
  readonly device: string | null;
  status: Status;
  recipient: number | null;
  claimedAtMs: number | null;
}

interface ModelLot {
  readonly customer: number;
  readonly amount: bigint;
  readonly expiresAtMs: number;
}

interface Usage {
  used: bigint;
  sent: number;
}

/** A keyed write as first sent, and its answer: what a retry must get again. */
type Sent =
  | { readonly method: "send"; readonly input: SendGiftInput; readonly outcome: Outcome<GiftView> }
  | { readonly method: "claim"; readonly input: ClaimGiftInput; readonly outcome: Outcome<GiftView> };

interface Model {
  nowMs: number;
  readonly terms: Terms;
  readonly customers: ModelCustomer[];
  /** In the order sent, which is id order: one engine's id generator makes them all. */
  readonly gifts: ModelGift[];
  /** Allowance use by `sender|periodStartMs`. */
  readonly usage: Map<string, Usage>;
  readonly lots: ModelLot[];
  readonly sent: Sent[];
  stepsSinceInspection: number;
}

interface Real {
  readonly engine: Engine;
  readonly clock: ManualClock;
  readonly programId: string;
  readonly customerIds: readonly string[];
}

function pickOf<T>(items: readonly T[], pick: number): T {
  const item = items[pick % items.length];
  if (item === undefined) throw new Error("picked from an empty list; check() should have refused");
  return item;
}

const customerOf = (m: Model, customer: number): ModelCustomer => pickOf(m.customers, customer);
const idOf = (r: Real, customer: number): string => pickOf(r.customerIds, customer);
const periodStartMs = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;

function usageOf(m: Model, sender: number, startMs: number): Usage {
  const key = `${sender}|${startMs}`;
  let usage = m.usage.get(key);
  if (usage === undefined) {
    usage = { used: 0n, sent: 0 };
    m.usage.set(key, usage);
  }
  return usage;
}

function segmentOf(m: Model, customer: number): Segment {
  const { signedUpAtMs, lastActiveAtMs } = customerOf(m, customer);
  if (m.nowMs - signedUpAtMs <= NEW_WITHIN_DAYS * DAY_MS) return "new";
  return m.nowMs - (lastActiveAtMs ?? signedUpAtMs) >= LAPSED_AFTER_DAYS * DAY_MS ? "lapsed" : "active";
}

function admits(rule: Recipients, segment: Segment): boolean {
  if (rule === "anyone") return true;
  if (rule === "lapsed") return segment === "lapsed";
  return segment !== "active";
}

const claimable = (m: Model, gift: ModelGift): boolean =>
  gift.status === "pending" && m.nowMs < gift.expiresAtMs;

/**
 * Value leaves escrow back to where it came from: the allowance of its period, or the gift balance
 * when the sender revokes; a bought gift nobody claimed (expired or rejected) becomes the sender's
 * own purchased credits, which never expire.
 */
function giveBack(m: Model, gift: ModelGift, how: "expire" | "revoke" | "reject"): void {
  gift.status = how === "expire" ? "expired" : "revoked";
  if (gift.source === "allowance") usageOf(m, gift.sender, gift.periodStartMs).used -= gift.amount;
  else if (how === "revoke") customerOf(m, gift.sender).giftBalance += gift.amount;
  else m.lots.push({ customer: gift.sender, amount: gift.amount, expiresAtMs: Number.POSITIVE_INFINITY });
}

function deliver(m: Model, gift: ModelGift, recipient: number): void {
  gift.status = "claimed";
  m.lots.push({ customer: recipient, amount: gift.amount, expiresAtMs: m.nowMs + CREDITS_TTL_MS });
}

const expiredNow = (m: Model, gift: ModelGift): boolean =>
  gift.status === "pending" && m.nowMs >= gift.expiresAtMs;

function availableOf(m: Model, customer: number): bigint {
  return m.lots
    .filter((lot) => lot.customer === customer && m.nowMs < lot.expiresAtMs)
    .reduce((sum, lot) => sum + lot.amount, 0n);
}

function expectCode(outcome: Outcome<unknown>, code: ErrorCode): void {
  expect(outcome.ok ? "ok" : `${outcome.error.code}: ${outcome.error.message}`).toMatch(
    new RegExp(`^${code}`),
  );
}

// ---------------------------------------------------------------------------------------------------
// Actions

type HandleForm = "code" | "lower" | "secret";

/**
 * Which gift an action works on: the `index`th of all gifts sent, or (when `fresh`) of those still in
 * the state the action is meant for, if there are any; so actions mostly meet gifts they can act on
 * and sometimes ones they must refuse.
 */
interface GiftPick {
  readonly index: number;
  readonly fresh: boolean;
}

/** The claimer's device: none, the sender's own (so the claim is held for review), or another. */
type ClaimDevice = "none" | "sender's" | "other";

type Action =
  | {
      readonly type: "send";
      readonly sender: number;
      readonly amount: bigint;
      readonly source: Source;
      readonly device: string | null;
    }
  | {
      readonly type: "claim";
      readonly pick: GiftPick;
      readonly claimer: number;
      readonly form: HandleForm;
      readonly device: ClaimDevice;
    }
  | { readonly type: "claimUnknown"; readonly claimer: number }
  | { readonly type: "preview"; readonly pick: GiftPick; readonly form: HandleForm }
  | { readonly type: "revoke"; readonly pick: GiftPick; readonly by: "sender" | "operator" | number }
  | { readonly type: "review"; readonly pick: GiftPick; readonly decision: "approve" | "reject" }
  | { readonly type: "fund"; readonly customer: number; readonly amount: bigint }
  | { readonly type: "advance"; readonly ms: number }
  | { readonly type: "advanceToEdge"; readonly pick: number; readonly nudgeMs: number }
  | { readonly type: "sweep" }
  | { readonly type: "retry"; readonly pick: number }
  | { readonly type: "inspect" };

const customerArb = fc.integer({ min: 0, max: CUSTOMERS_PER_RUN - 1 });
/** Mostly one of the senders' plan, most often the first, so that a sender's caps fill up. */
const senderArb = fc.oneof(
  { arbitrary: fc.constant(0), weight: 3 },
  { arbitrary: fc.integer({ min: 0, max: 2 }), weight: 3 },
  { arbitrary: customerArb, weight: 1 },
);
/** Most often the customer who can't send, so that what one recipient may receive fills up. */
const claimerArb = fc.oneof(
  { arbitrary: fc.constant(CUSTOMERS_PER_RUN - 1), weight: 2 },
  { arbitrary: customerArb, weight: 3 },
);
const giftPickArb = fc.record({ index: fc.nat(), fresh: fc.constantFrom(true, true, true, false) });
const deviceArb = fc.constantFrom(null, ...DEVICES);
const formArb = fc.constantFrom<HandleForm>("code", "lower", "secret");

const sendArb = fc.record({
  type: fc.constant("send" as const),
  sender: senderArb,
  amount: fc.oneof(
    { arbitrary: fc.constantFrom(10n, 40n, 75n, 150n, 200n), weight: 4 },
    fc.constantFrom(9n, 201n),
  ),
  source: fc.constantFrom<Source>("allowance", "allowance", "gift_balance"),
  device: deviceArb,
});

const claimArb = fc.record({
  type: fc.constant("claim" as const),
  pick: giftPickArb,
  claimer: claimerArb,
  form: formArb,
  device: fc.constantFrom<ClaimDevice>("none", "none", "sender's", "other"),
});

/** Sends and claims come up most, so that caps and allowances fill within a run. */
const actionArbs: fc.Arbitrary<Action>[] = [
  sendArb,
  sendArb,
  sendArb,
  claimArb,
  claimArb,
  claimArb,
  fc.record({ type: fc.constant("claimUnknown" as const), claimer: customerArb }),
  fc.record({ type: fc.constant("preview" as const), pick: giftPickArb, form: formArb }),
  fc.record({
    type: fc.constant("revoke" as const),
    pick: giftPickArb,
    by: fc.oneof(fc.constantFrom<"sender" | "operator">("sender", "sender", "operator"), customerArb),
  }),
  fc.record({
    type: fc.constant("review" as const),
    pick: giftPickArb,
    decision: fc.constantFrom<"approve" | "reject">("approve", "reject"),
  }),
  fc.record({
    type: fc.constant("fund" as const),
    customer: customerArb,
    amount: fc.constantFrom(1n, 60n, 250n),
  }),
  fc.record({
    type: fc.constant("advance" as const),
    ms: fc.constantFrom(HOUR_MS, 6 * HOUR_MS, DAY_MS, CLAIM_WINDOW_MS),
  }),
  fc.record({
    type: fc.constant("advanceToEdge" as const),
    pick: fc.nat(),
    nudgeMs: fc.constantFrom(-1, 0, 0, 1),
  }),
  fc.constant({ type: "sweep" as const }),
  fc.record({ type: fc.constant("retry" as const), pick: fc.nat() }),
  fc.constant({ type: "inspect" as const }),
];

// ---------------------------------------------------------------------------------------------------
// Running an action on both sides

const nextKey = counter("gifts-model-key");

function giftOf(m: Model, pick: GiftPick, meant: (gift: ModelGift) => boolean): ModelGift {
  const candidates = pick.fresh ? m.gifts.filter(meant) : [];
  return pickOf(candidates.length > 0 ? candidates : m.gifts, pick.index);
}

function claimDevice(gift: ModelGift, device: ClaimDevice): string | null {
  if (device === "none") return null;
  if (device === "sender's") return gift.device;
  return gift.device === "dev-b" ? "dev-a" : "dev-b";
}

function handleOf(gift: ModelGift, form: HandleForm): string {
  if (form === "secret") return gift.secret;
  return form === "lower" ? gift.code.toLowerCase().replaceAll("-", " ") : gift.code;
}

function expectedSend(m: Model, a: Extract<Action, { type: "send" }>): ErrorCode | "ok" {
  if (PLAN_OF[a.sender] !== "pro") return "not_eligible";
  if (a.amount < GIFT_MIN || a.amount > GIFT_MAX) return "invalid_request";
  const usage = usageOf(m, a.sender, periodStartMs(m.nowMs));
  if (m.terms.sentPerPeriod !== null && usage.sent >= m.terms.sentPerPeriod) return "cap_exceeded";
  const available =
    a.source === "allowance" ? m.terms.allowance - usage.used : customerOf(m, a.sender).giftBalance;
  return a.amount > available ? "insufficient_credits" : "ok";
}

async function runSend(m: Model, r: Real, a: Extract<Action, { type: "send" }>): Promise<void> {
  const input: SendGiftInput = {
    senderId: idOf(r, a.sender),
    programId: r.programId,
    amountMinor: a.amount,
    source: a.source,
    message: "for you",
    signals: a.device === null ? undefined : { device: a.device },
    idempotencyKey: nextKey(),
  };
  const outcome = await r.engine.gifts.send(input);
  m.sent.push({ method: "send", input, outcome });
  const expected = expectedSend(m, a);
  if (expected !== "ok") return expectCode(outcome, expected);
  const gift = expectOk(outcome);
  const startMs = periodStartMs(m.nowMs);
  expect(gift).toMatchObject({
    programId: r.programId,
    senderId: idOf(r, a.sender),
    source: a.source,
    amountMinor: a.amount,
    status: "pending",
    expiresAtMs: m.nowMs + CLAIM_WINDOW_MS,
    createdAtMs: m.nowMs,
    recipientId: null,
  });
  const usage = usageOf(m, a.sender, startMs);
  usage.sent += 1;
  if (a.source === "allowance") usage.used += a.amount;
  else customerOf(m, a.sender).giftBalance -= a.amount;
  m.gifts.push({
    id: gift.id,
    code: gift.code,
    secret: gift.secret,
    sender: a.sender,
    source: a.source,
    amount: a.amount,
    periodStartMs: startMs,
    expiresAtMs: m.nowMs + CLAIM_WINDOW_MS,
    device: a.device,
    status: "pending",
    recipient: null,
    claimedAtMs: null,
  });
}

function expectedClaim(m: Model, gift: ModelGift, claimer: number, device: string | null) {
  if (!claimable(m, gift)) return "gift_unavailable";
  if (claimer === gift.sender) return "gift_self_claim";
  if (!admits(m.terms.recipients, segmentOf(m, claimer))) return "not_eligible";
  const held = m.gifts.filter(
    (g) => g.recipient === claimer && (g.status === "claimed" || g.status === "review"),
  );
  const startMs = periodStartMs(m.nowMs);
  const thisPeriod = held.filter((g) => (g.claimedAtMs ?? 0) >= startMs).length;
  if (m.terms.receivedPerPeriod !== null && thisPeriod >= m.terms.receivedPerPeriod) return "cap_exceeded";
  if (m.terms.claimedEver !== null && held.length >= m.terms.claimedEver) return "cap_exceeded";
  return gift.device !== null && gift.device === device ? "review" : "claimed";
}

async function runClaim(m: Model, r: Real, a: Extract<Action, { type: "claim" }>): Promise<void> {
  const gift = giftOf(m, a.pick, (g) => claimable(m, g));
  const device = claimDevice(gift, a.device);
  const input: ClaimGiftInput = {
    handle: handleOf(gift, a.form),
    customerId: idOf(r, a.claimer),
    signals: device === null ? undefined : { device },
    idempotencyKey: nextKey(),
  };
  const outcome = await r.engine.gifts.claim(input);
  m.sent.push({ method: "claim", input, outcome });
  const expected = expectedClaim(m, gift, a.claimer, device);
  if (expected !== "review" && expected !== "claimed") return expectCode(outcome, expected);
  expect(expectOk(outcome)).toMatchObject({
    id: gift.id,
    status: expected,
    amountMinor: gift.amount,
    recipientId: idOf(r, a.claimer),
    claimedAtMs: m.nowMs,
    code: "",
    secret: "",
  });
  gift.recipient = a.claimer;
  gift.claimedAtMs = m.nowMs;
  if (expected === "claimed") deliver(m, gift, a.claimer);
  else gift.status = "review";
}

async function runClaimUnknown(m: Model, r: Real, claimer: number): Promise<void> {
  // Sixty random bits make a clash with a sent code out of the question.
  const outcome = await r.engine.gifts.claim({
    handle: "0000-0000-0000-0",
    customerId: idOf(r, claimer),
    idempotencyKey: nextKey(),
  });
  expect(m.gifts.some((gift) => gift.code === "0000-0000-0000-0")).toBe(false);
  expectCode(outcome, "gift_unavailable");
}

/** A preview shows a claimable gift; one past its window it expires on the spot. */
async function runPreview(m: Model, r: Real, pick: GiftPick, form: HandleForm): Promise<void> {
  const gift = giftOf(m, pick, (g) => g.status === "pending");
  const outcome = await r.engine.gifts.preview(handleOf(gift, form));
  if (expiredNow(m, gift)) giveBack(m, gift, "expire");
  if (!claimable(m, gift)) return expectCode(outcome, "gift_unavailable");
  expect(expectOk(outcome)).toEqual({
    amountMinor: gift.amount,
    senderName: null,
    message: "for you",
    status: "pending",
    expiresAtMs: gift.expiresAtMs,
  });
}

async function runRevoke(m: Model, r: Real, pick: GiftPick, by: "sender" | "operator" | number) {
  const gift = giftOf(m, pick, (g) => claimable(m, g));
  const senderId = by === "operator" ? null : idOf(r, by === "sender" ? gift.sender : by);
  const outcome = await r.engine.gifts.revoke({ giftId: gift.id, senderId, idempotencyKey: nextKey() });
  if (typeof by === "number" && by !== gift.sender) return expectCode(outcome, "not_found");
  if (!claimable(m, gift)) return expectCode(outcome, "invalid_request");
  expect(expectOk(outcome)).toMatchObject({ id: gift.id, status: "revoked", resolvedAtMs: m.nowMs });
  giveBack(m, gift, "revoke");
}

async function runReview(m: Model, r: Real, pick: GiftPick, decision: "approve" | "reject") {
  const gift = giftOf(m, pick, (g) => g.status === "review");
  const outcome = await r.engine.gifts.review({ giftId: gift.id, decision, idempotencyKey: nextKey() });
  if (gift.status !== "review" || gift.recipient === null) return expectCode(outcome, "invalid_request");
  const status = decision === "approve" ? "claimed" : "revoked";
  expect(expectOk(outcome)).toMatchObject({
    id: gift.id,
    status,
    recipientId: idOf(r, gift.recipient),
    claimedAtMs: gift.claimedAtMs,
    resolvedAtMs: m.nowMs,
  });
  if (decision === "approve") deliver(m, gift, gift.recipient);
  else giveBack(m, gift, "reject");
}

async function runFund(m: Model, r: Real, customer: number, amount: bigint): Promise<void> {
  const value = expectOk(
    await r.engine.gifts.fundGiftBalance({
      customerId: idOf(r, customer),
      amountMinor: amount,
      reason: "bundle",
      idempotencyKey: nextKey(),
    }),
  );
  customerOf(m, customer).giftBalance += amount;
  expect(value.giftBalanceMinor).toBe(customerOf(m, customer).giftBalance);
}

async function runSweep(m: Model, r: Real): Promise<void> {
  const due = m.gifts.filter((gift) => expiredNow(m, gift));
  const report = await r.engine.sweep();
  expect(report.expiredGifts).toBe(due.length);
  for (const gift of due) giveBack(m, gift, "expire");
}

/** A retry returns the first answer, however much changed since, and changes nothing. */
async function runRetry(m: Model, r: Real, pick: number): Promise<void> {
  const first = pickOf(m.sent, pick);
  const again =
    first.method === "send"
      ? await r.engine.gifts.send(first.input)
      : await r.engine.gifts.claim(first.input);
  expect(again).toEqual(first.outcome);
}

/** Instants where something changes: expiries, the next period, segment boundaries. */
function edges(m: Model): number[] {
  const instants = new Set<number>([periodStartMs(m.nowMs) + DAY_MS]);
  for (const gift of m.gifts) if (gift.status === "pending") instants.add(gift.expiresAtMs);
  for (const lot of m.lots) instants.add(lot.expiresAtMs);
  for (const customer of m.customers) {
    instants.add(customer.signedUpAtMs + NEW_WITHIN_DAYS * DAY_MS);
    instants.add((customer.lastActiveAtMs ?? customer.signedUpAtMs) + LAPSED_AFTER_DAYS * DAY_MS);
  }
  return [...instants].filter((ms) => Number.isFinite(ms) && ms > m.nowMs + 1).sort((a, b) => a - b);
}

async function advance(m: Model, r: Real, ms: number): Promise<void> {
  m.nowMs += ms;
  r.clock.advanceMs(ms);
}

/**
 * Every customer's gifts page and balance. Reading a sender's page first expires their gifts past
 * their window, so the model does the same.
 */
async function inspect(m: Model, r: Real): Promise<void> {
  m.stepsSinceInspection = 0;
  for (const [customer, state] of m.customers.entries()) {
    for (const gift of m.gifts)
      if (gift.sender === customer && expiredNow(m, gift)) giveBack(m, gift, "expire");
    const page = expectOk(await r.engine.gifts.ofCustomer(idOf(r, customer)));
    const balance = expectOk(await r.engine.balance(idOf(r, customer)));
    const usage = usageOf(m, customer, periodStartMs(m.nowMs));
    const left = m.terms.allowance - usage.used;
    const byNewest = (gifts: ModelGift[]) => gifts.map((g) => ({ id: g.id, status: g.status })).reverse();
    expect({
      customer,
      sent: page.sent.map((g) => ({ id: g.id, status: g.status })),
      received: page.received.map((g) => ({ id: g.id, status: g.status })),
      allowance: page.allowances.find((line) => line.programId === r.programId),
      giftBalanceMinor: page.giftBalanceMinor,
      availableMinor: balance.availableMinor,
    }).toEqual({
      customer,
      sent: byNewest(m.gifts.filter((g) => g.sender === customer)),
      received: byNewest(m.gifts.filter((g) => g.recipient === customer)),
      allowance: {
        programId: r.programId,
        allowanceMinor: m.terms.allowance,
        usedMinor: usage.used,
        leftMinor: left > 0n ? left : 0n,
        sentCount: usage.sent,
        sentPerPeriod: m.terms.sentPerPeriod,
        periodEndsAtMs: periodStartMs(m.nowMs) + DAY_MS,
      },
      giftBalanceMinor: state.giftBalance,
      availableMinor: availableOf(m, customer),
    });
  }
}

async function runAction(m: Model, r: Real, a: Action): Promise<void> {
  switch (a.type) {
    case "send":
      return runSend(m, r, a);
    case "claim":
      return runClaim(m, r, a);
    case "claimUnknown":
      return runClaimUnknown(m, r, a.claimer);
    case "preview":
      return runPreview(m, r, a.pick, a.form);
    case "revoke":
      return runRevoke(m, r, a.pick, a.by);
    case "review":
      return runReview(m, r, a.pick, a.decision);
    case "fund":
      return runFund(m, r, a.customer, a.amount);
    case "advance":
      return advance(m, r, a.ms);
    case "advanceToEdge": {
      const upcoming = edges(m);
      return advance(m, r, upcoming.length === 0 ? 0 : pickOf(upcoming, a.pick) + a.nudgeMs - m.nowMs);
    }
    case "sweep":
      return runSweep(m, r);
    case "retry":
      return runRetry(m, r, a.pick);
    case "inspect":
      return inspect(m, r);
  }
}

const INSPECT_EVERY_STEPS = 5;
const NEEDS_A_GIFT: readonly Action["type"][] = ["claim", "preview", "revoke", "review"];

class Step implements fc.AsyncCommand<Model, Real> {
  constructor(readonly action: Action) {}

  check(m: Readonly<Model>): boolean {
    if (NEEDS_A_GIFT.includes(this.action.type)) return m.gifts.length > 0;
    if (this.action.type === "retry") return m.sent.length > 0;
    return true;
  }

  async run(m: Model, r: Real): Promise<void> {
    await runAction(m, r, this.action);
    m.stepsSinceInspection += 1;
    if (m.stepsSinceInspection >= INSPECT_EVERY_STEPS) await inspect(m, r);
  }

  toString(): string {
    return JSON.stringify(this.action, (_, value) => (typeof value === "bigint" ? `${value}n` : value));
  }
}

const stepsArb = fc.commands(
  actionArbs.map((arb) => arb.map((action) => new Step(action))),
  { maxCommands: COMMANDS_MAX, size: "max" },
);

/** The run's program terms, and when each customer signed up and was last active (days before now). */
const openingArb = fc.record({
  allowance: fc.constantFrom(0n, 150n, 300n, 300n),
  sentPerPeriod: fc.constantFrom(null, 2, 4),
  receivedPerPeriod: fc.constantFrom(null, 1, 2),
  claimedEver: fc.constantFrom(null, 1, 2),
  recipients: fc.constantFrom<Recipients>("anyone", "anyone", "new_or_lapsed", "lapsed"),
  customers: fc.array(
    fc.record({
      signedUpDaysAgo: fc.constantFrom(0, 1, 2, 5, 30),
      lastActiveDaysAgo: fc.constantFrom(null, 0, 1, 2, 3, 10),
    }),
    { minLength: CUSTOMERS_PER_RUN, maxLength: CUSTOMERS_PER_RUN },
  ),
});
type Opening = typeof openingArb extends fc.Arbitrary<infer T> ? T : never;

for (const backend of backends()) {
  describe(`gifts model on ${backend.name}`, () => {
    let store: Store;
    let engine: Engine;
    const clock = new ManualClock(START_MS);
    let runSeq = 0;

    beforeAll(async () => {
      store = await backend.open();
      engine = await createEngine({ store, clock });
    });
    afterAll(async () => {
      await store.close();
      await backend.cleanup();
    });

    // One store serves every run; each run gets a program and customers of its own. Before a run the
    // clock moves past every earlier claim window and the sweep settles what the earlier runs left
    // pending, so this run's sweeps count this run's gifts only.
    async function setup(opening: Opening): Promise<{ model: Model; real: Real }> {
      runSeq += 1;
      clock.advanceMs(CLAIM_WINDOW_MS + HOUR_MS);
      await engine.sweep();
      const programId = `gifts-model-${runSeq}`;
      const terms: Terms = {
        allowance: opening.allowance,
        sentPerPeriod: opening.sentPerPeriod,
        receivedPerPeriod: opening.receivedPerPeriod,
        claimedEver: opening.claimedEver,
        recipients: opening.recipients,
      };
      const caps = Object.fromEntries(
        (["sentPerPeriod", "receivedPerPeriod", "claimedEver"] as const).flatMap((name) =>
          terms[name] === null ? [] : [[name, terms[name]]],
        ),
      );
      const saved = await engine.gifts.saveProgram(programId, {
        status: "live",
        senders: { plans: ["pro"] },
        period: { unit: "day", timeZone: "UTC" },
        allowance: Number(terms.allowance),
        giftMin: Number(GIFT_MIN),
        giftMax: Number(GIFT_MAX),
        caps,
        recipients: terms.recipients,
        newWithinDays: NEW_WITHIN_DAYS,
        lapsedAfterDays: LAPSED_AFTER_DAYS,
        claimWindow: `${CLAIM_WINDOW_MS / DAY_MS}d`,
        credits: { expiresAfter: `${CREDITS_TTL_MS / DAY_MS}d`, priority: 5 },
      });
      expect(expectOk(saved).program.version).toBe(1);
      const nowMs = clock.nowMs();
      const model: Model = {
        nowMs,
        terms,
        customers: [],
        gifts: [],
        usage: new Map(),
        lots: [],
        sent: [],
        stepsSinceInspection: 0,
      };
      const customerIds = opening.customers.map((_, i) => `gifts-model-${runSeq}-${i}`);
      for (const [i, { signedUpDaysAgo, lastActiveDaysAgo }] of opening.customers.entries()) {
        const signedUpAtMs = nowMs - signedUpDaysAgo * DAY_MS;
        const lastActiveAtMs =
          lastActiveDaysAgo === null ? null : nowMs - Math.min(lastActiveDaysAgo, signedUpDaysAgo) * DAY_MS;
        expectOk(
          await engine.upsertCustomer({
            id: pickOf(customerIds, i),
            plan: pickOf(PLAN_OF, i),
            signedUpAtMs,
            lastActiveAtMs,
          }),
        );
        model.customers.push({ signedUpAtMs, lastActiveAtMs, giftBalance: 0n });
      }
      const real = { engine, clock, programId, customerIds };
      // Two gifts from the start, bought to be given, so that claims have something to work on.
      for (const sender of [0, 1]) {
        await runFund(model, real, sender, 100n);
        await runSend(model, real, {
          type: "send",
          sender,
          amount: 100n,
          source: "gift_balance",
          device: pickOf(DEVICES, sender),
        });
      }
      return { model, real };
    }

    it(
      "agrees with the model after every step and verifies clean",
      async () => {
        await fc.assert(
          fc.asyncProperty(openingArb, stepsArb, async (opening, steps) => {
            const runs: { model: Model; real: Real }[] = [];
            await fc.asyncModelRun(async () => {
              runs.push(await setup(opening));
              return pickOf(runs, runs.length - 1);
            }, steps);
            const { model, real } = pickOf(runs, runs.length - 1);
            await inspect(model, real);
            const report = await engine.verify();
            expect(report.checks.filter((check) => check.violation !== null)).toEqual([]);
          }),
          { numRuns: RUNS },
        );
      },
      TEST_TIMEOUT_MS,
    );
  });
}
