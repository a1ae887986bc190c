/**
 * Model-based test of purchases, on every backend: random sequences of checkouts (for oneself or as a
 * gift, of three bundles, two with a bonus), completed checkouts (right amount, wrong amount, unpaid,
 * an unknown session), checkouts that end unpaid (the provider's expiry or failed-payment event, or
 * the sweep once a session's time is up), disputes that end (won: what they took goes back, what was
 * spent is forgiven; or lost), an operator settling the review queue (close, grant a
 * mismatched payment, or refund it through the provider), refunds with a cumulative amount (partial, full, over the price, lower than an
 * earlier one, before the completion), disputes, replays of any event delivered before, spending,
 * clock moves (onto each bonus expiry and one millisecond either side) and sweeps run against the real
 * engine and against a small model written here from the README's rules alone. The model keeps each
 * purchase's state, the money refunded, what refunds took back and what they could not, the deferred
 * refund or dispute of a payment not yet completed, the buyer's lots and gift balance. After every
 * step each answer, every purchase and the buyer's balances must agree with the model; `verify` runs
 * every few steps and at the end of each sequence.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { type ErrorCode, fail, type Outcome } from "../../src/core/errors.js";
import type { HandledEvent, PaymentEvent } from "../../src/core/payments.js";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import type { RefundingProvider } from "../../src/engine/payments.js";
import type { Store } from "../../src/store/store.js";
import { backends } from "../support/backends.js";
import { counter, expectOk } from "../support/outcomes.js";
import { STARTER, TEAM, testProvider } from "../support/payments.js";

const COMMANDS_MAX = 25;
/** Runs per backend; raise it (PAYMENT_MODEL_RUNS=200) to search harder. */
const RUNS = Number(process.env.PAYMENT_MODEL_RUNS ?? 25);
const TEST_TIMEOUT_MS = 60_000 + RUNS * 4_000;
const START_MS = Date.UTC(2026, 5, 11, 9, 17);
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const VERIFY_EVERY_STEPS = 8;
/** A checkout takes payment for 23 hours, and the sweep ends it one hour after that. */
const CHECKOUT_TTL_MS = 23 * HOUR_MS;
const ABANDON_GRACE_MS = HOUR_MS;

/** A bundle whose price does not divide its credits, so that partial refunds round. */
const ODD = {
  name: "Odd",
  credits: 777,
  bonusCredits: 33,
  bonusExpiresAfter: "10d",
  bonusPriority: 20,
  price: 999,
  currency: "usd",
  giftable: true,
};

// ---------------------------------------------------------------------------------------------------
// The model

interface BundleTerms {
  readonly credits: bigint;
  readonly bonus: bigint;
  readonly bonusTtlMs: number;
  readonly bonusPriority: number;
  readonly price: bigint;
  readonly giftable: boolean;
}

/** The terms as the test wrote them, restated: purchased credits spend last (priority 100), never expire. */
const BUNDLES: Readonly<Record<string, BundleTerms>> = {
  starter: { credits: 1000n, bonus: 0n, bonusTtlMs: 0, bonusPriority: 0, price: 1000n, giftable: false },
  team: {
    credits: 5000n,
    bonus: 500n,
    bonusTtlMs: 90 * DAY_MS,
    bonusPriority: 5,
    price: 4000n,
    giftable: true,
  },
  odd: { credits: 777n, bonus: 33n, bonusTtlMs: 10 * DAY_MS, bonusPriority: 20, price: 999n, giftable: true },
};
const BUNDLE_IDS = ["starter", "team", "odd"] as const;
type BundleId = (typeof BUNDLE_IDS)[number];
const PURCHASED_PRIORITY = 100;

type State = "pending" | "paid" | "review" | "refunded" | "disputed" | "expired" | "failed";

interface ModelLot {
  /** Grant order: ids of one generator grow with it, so it breaks ties the way ids do. */
  readonly seq: number;
  readonly priority: number;
  readonly createdAtMs: number;
  readonly expiresAtMs: number | null;
  remaining: bigint;
  swept: boolean;
}

interface ModelPurchase {
  readonly id: string;
  readonly sessionId: string;
  readonly intentId: string;
  readonly bundle: BundleId;
  readonly asGift: boolean;
  readonly checkoutExpiresAtMs: number;
  /** The customer completed the checkout with a payment still clearing: never swept as abandoned. */
  sessionCompleted: boolean;
  state: State;
  /** True once a completion reached it (paid or review): the payment is then linked to it. */
  linked: boolean;
  granted: boolean;
  refunded: bigint;
  recovered: bigint;
  unrecovered: bigint;
  lot: ModelLot | null;
  bonusLot: ModelLot | null;
  /** What refunds and disputes said of the payment before it was linked, for the grant to apply. */
  intentRefunded: bigint;
  intentDisputed: boolean;
  /** In the review queue: opened by a mismatched payment or a refund or dispute, until settled. */
  reviewOpen: boolean;
  /** An operator refunded it from the queue: its refund's event leaves the settlement standing. */
  operatorRefunded: boolean;
  /** What refunds and disputes took, net of what went back: from the lot or gift balance, and the bonus. */
  takenFirst: bigint;
  takenBonus: bigint;
  /** The provider said how its dispute ended; later word of it changes nothing. */
  disputeClosed: boolean;
}

interface Delivered {
  readonly event: PaymentEvent;
  readonly answer: HandledEvent;
}

interface Model {
  nowMs: number;
  readonly purchases: ModelPurchase[];
  readonly lots: ModelLot[];
  giftBalance: bigint;
  readonly delivered: Delivered[];
  lotSeq: number;
  steps: number;
}

interface Real {
  readonly engine: Engine;
  readonly clock: ManualClock;
  readonly buyer: string;
}

function pickOf<T>(items: readonly T[], pick: number): T {
  const item = items[pick % items.length];
  if (item === undefined) throw new Error("picked from an empty list; check() should have refused");
  return item;
}

const termsOf = (purchase: ModelPurchase): BundleTerms => BUNDLES[purchase.bundle] as BundleTerms;
const live = (m: Model, lot: ModelLot): boolean => lot.expiresAtMs === null || m.nowMs < lot.expiresAtMs;
const usable = (m: Model, lot: ModelLot | null): bigint =>
  lot !== null && live(m, lot) ? lot.remaining : 0n;
const availableOf = (m: Model): bigint => m.lots.reduce((sum, lot) => sum + usable(m, lot), 0n);

function burnDownOrder(a: ModelLot, b: ModelLot): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  const ax = a.expiresAtMs ?? Number.POSITIVE_INFINITY;
  const bx = b.expiresAtMs ?? Number.POSITIVE_INFINITY;
  if (ax !== bx) return ax - bx;
  if (a.createdAtMs !== b.createdAtMs) return a.createdAtMs - b.createdAtMs;
  return a.seq - b.seq;
}

function newLot(m: Model, priority: number, amount: bigint, expiresAtMs: number | null): ModelLot {
  m.lotSeq += 1;
  const lot = { seq: m.lotSeq, priority, createdAtMs: m.nowMs, expiresAtMs, remaining: amount, swept: false };
  m.lots.push(lot);
  return lot;
}

/**
 * The credits a cumulative refund answers for: the purchase's credits and bonus in proportion to the
 * money refunded, rounded down; all of them for a full refund or a dispute.
 */
function creditsOwed(total: bigint, price: bigint, refunded: bigint, disputed: boolean): bigint {
  if (disputed || refunded >= price) return total;
  return (total * refunded) / price;
}

/** Take `amount` from the purchase's holding (its lot, or the gift balance), then its bonus lot. */
function takeFrom(m: Model, p: ModelPurchase, amount: bigint): { recovered: bigint; left: bigint } {
  let left = amount;
  const firstAvailable = p.asGift ? m.giftBalance : usable(m, p.lot);
  const first = firstAvailable < left ? firstAvailable : left;
  if (p.asGift) m.giftBalance -= first;
  else if (p.lot !== null) p.lot.remaining -= first;
  p.takenFirst += first;
  left -= first;
  const bonus = usable(m, p.bonusLot) < left ? usable(m, p.bonusLot) : left;
  if (p.bonusLot !== null) p.bonusLot.remaining -= bonus;
  p.takenBonus += bonus;
  left -= bonus;
  return { recovered: amount - left, left };
}

type TakeBackOutcome = "refunded" | "disputed" | "no_change";

/** A refund (cumulative money, capped at the price) or a dispute reaching a linked purchase. */
function takeBack(
  m: Model,
  p: ModelPurchase,
  claimRefunded: bigint,
  claimDisputed: boolean,
): TakeBackOutcome {
  const price = termsOf(p).price;
  const capped = claimRefunded > price ? price : claimRefunded;
  const refunded = capped > p.refunded ? capped : p.refunded;
  const wasDisputed = p.state === "disputed";
  const disputed = claimDisputed || wasDisputed;
  if (refunded === p.refunded && !(claimDisputed && !wasDisputed)) return "no_change";
  p.refunded = refunded;
  // Every change opens the review again, except the operator's own refund arriving.
  if (!(p.operatorRefunded && !claimDisputed && !wasDisputed)) p.reviewOpen = true;
  if (!p.granted) return disputed ? "disputed" : "refunded";
  const total = termsOf(p).credits + termsOf(p).bonus;
  const due = creditsOwed(total, price, refunded, disputed) - p.recovered - p.unrecovered;
  const taken = takeFrom(m, p, due);
  p.recovered += taken.recovered;
  p.unrecovered += taken.left;
  p.state = disputed ? "disputed" : "refunded";
  return p.state;
}

function grant(m: Model, p: ModelPurchase): void {
  const terms = termsOf(p);
  p.granted = true;
  p.state = "paid";
  if (p.asGift) m.giftBalance += terms.credits;
  else p.lot = newLot(m, PURCHASED_PRIORITY, terms.credits, null);
  if (terms.bonus > 0n) p.bonusLot = newLot(m, terms.bonusPriority, terms.bonus, m.nowMs + terms.bonusTtlMs);
  if (p.intentRefunded > 0n || p.intentDisputed) takeBack(m, p, p.intentRefunded, p.intentDisputed);
}

type Expected = Pick<HandledEvent, "outcome" | "purchaseId">;

/** Nothing granted yet: a paid completion grants it, even after its checkout ended unpaid. */
const grantable = (p: ModelPurchase): boolean =>
  p.state === "pending" || p.state === "expired" || p.state === "failed";

function expectCompletion(m: Model, p: ModelPurchase, amount: "right" | "wrong" | "unpaid"): Expected {
  if (!grantable(p)) return { outcome: "already_completed", purchaseId: p.id };
  if (amount === "unpaid") {
    p.sessionCompleted = true;
    return { outcome: "unpaid", purchaseId: p.id };
  }
  p.linked = true;
  if (amount === "wrong") {
    p.state = "review";
    p.reviewOpen = true;
    return { outcome: "review", purchaseId: p.id };
  }
  grant(m, p);
  return { outcome: "granted", purchaseId: p.id };
}

/** Only a pending checkout ends; anything else stays as it is. */
function expectEnd(p: ModelPurchase, end: "expired" | "failed"): Expected {
  if (p.state !== "pending") return { outcome: "no_change", purchaseId: p.id };
  p.state = end;
  return { outcome: end, purchaseId: p.id };
}

/** The sweep ends each pending checkout nobody completed, an hour after it stopped taking payment. */
function sweepCheckouts(m: Model): number {
  let ended = 0;
  for (const p of m.purchases) {
    if (p.state !== "pending" || p.sessionCompleted) continue;
    if (p.checkoutExpiresAtMs + ABANDON_GRACE_MS > m.nowMs) continue;
    p.state = "expired";
    ended += 1;
  }
  return ended;
}

/**
 * A dispute ended. Won, for a purchase the dispute took back: only the refunds are owed now, so what
 * was recorded as spent is forgiven first and the rest goes back where it was taken from (the lot or
 * gift balance, then the bonus while it lives). Lost: nothing moves.
 */
function expectDisputeClosed(m: Model, p: ModelPurchase, won: boolean): Expected {
  if (!p.intentDisputed || p.disputeClosed)
    return { outcome: "no_change", purchaseId: p.linked ? p.id : null };
  p.disputeClosed = true;
  if (!p.linked) return { outcome: "no_change", purchaseId: null };
  if (won && p.state === "disputed") {
    const terms = termsOf(p);
    const owed = creditsOwed(terms.credits + terms.bonus, terms.price, p.refunded, false);
    const over = p.recovered + p.unrecovered - owed;
    const excess = over > 0n ? over : 0n;
    const forgiven = excess < p.unrecovered ? excess : p.unrecovered;
    let left = excess - forgiven;
    const first = p.takenFirst < left ? p.takenFirst : left;
    if (p.asGift) m.giftBalance += first;
    else if (p.lot !== null) p.lot.remaining += first;
    p.takenFirst -= first;
    left -= first;
    const bonusRoom = p.bonusLot !== null && live(m, p.bonusLot) ? p.takenBonus : 0n;
    const bonus = bonusRoom < left ? bonusRoom : left;
    if (p.bonusLot !== null) p.bonusLot.remaining += bonus;
    p.takenBonus -= bonus;
    p.recovered -= first + bonus;
    p.unrecovered -= forgiven;
    p.state = p.refunded > 0n ? "refunded" : "paid";
  }
  return { outcome: won ? "dispute_won" : "dispute_lost", purchaseId: p.id };
}

type Decision = "grant" | "refund" | "close";

/**
 * What an operator's settlement does: nothing outside the queue; `close` takes it off; `grant` grants
 * a mismatched payment none of whose money went back; `refund` asks the provider for all that is left
 * of a payment that is not disputed, and leaves the money and credits to the refund's own event.
 */
function expectSettle(m: Model, p: ModelPurchase, decision: Decision): "ok" | "invalid_request" {
  if (!p.reviewOpen) return "invalid_request";
  if (decision === "grant") {
    if (p.state !== "review" || p.refunded > 0n || p.intentDisputed || p.intentRefunded > 0n)
      return "invalid_request";
    grant(m, p);
  }
  if (decision === "refund") {
    if (p.state === "disputed" || p.intentDisputed || p.refunded >= termsOf(p).price)
      return "invalid_request";
    p.operatorRefunded = true;
  }
  p.reviewOpen = false;
  return "ok";
}

function expectTakeBack(m: Model, p: ModelPurchase, claimRefunded: bigint, disputed: boolean): Expected {
  if (disputed && p.intentDisputed) return { outcome: "no_change", purchaseId: p.linked ? p.id : null };
  if (claimRefunded > p.intentRefunded) p.intentRefunded = claimRefunded;
  p.intentDisputed ||= disputed;
  if (!p.linked) return { outcome: "deferred", purchaseId: null };
  return { outcome: takeBack(m, p, claimRefunded, disputed), purchaseId: p.id };
}

// ---------------------------------------------------------------------------------------------------
// Actions

/** Which purchase an action works on: the `index`th, among those in a fitting state when `fresh`. */
interface PurchasePick {
  readonly index: number;
  readonly fresh: boolean;
}

/** A refund's cumulative amount, as a share of the price. */
type RefundShare = "cent" | "third" | "half" | "allButOne" | "all" | "over";

type Action =
  | { readonly type: "checkout"; readonly bundle: BundleId; readonly asGift: boolean }
  | { readonly type: "complete"; readonly pick: PurchasePick; readonly amount: "right" | "wrong" | "unpaid" }
  | { readonly type: "completeUnknown" }
  | { readonly type: "end"; readonly pick: PurchasePick; readonly end: "expired" | "failed" }
  | { readonly type: "settle"; readonly pick: PurchasePick; readonly decision: Decision }
  | { readonly type: "disputeClosed"; readonly pick: PurchasePick; readonly won: boolean }
  | { readonly type: "refund"; readonly pick: PurchasePick; readonly share: RefundShare }
  | { readonly type: "dispute"; readonly pick: PurchasePick }
  | { readonly type: "replay"; readonly pick: number }
  | { readonly type: "consume"; readonly amount: bigint }
  | { readonly type: "advance"; readonly ms: number }
  | { readonly type: "advanceToEdge"; readonly pick: number; readonly nudgeMs: number }
  | { readonly type: "sweep" };

const pickArb = fc.record({ index: fc.nat(), fresh: fc.constantFrom(true, true, true, false) });

const actionArbs: fc.Arbitrary<Action>[] = [
  fc.record({
    type: fc.constant("checkout" as const),
    bundle: fc.constantFrom(...BUNDLE_IDS),
    asGift: fc.constantFrom(false, false, true),
  }),
  fc.record({
    type: fc.constant("complete" as const),
    pick: pickArb,
    amount: fc.constantFrom<"right" | "wrong" | "unpaid">(
      "right",
      "right",
      "right",
      "right",
      "wrong",
      "unpaid",
    ),
  }),
  fc.record({
    type: fc.constant("complete" as const),
    pick: pickArb,
    amount: fc.constant<"right">("right"),
  }),
  fc.constant({ type: "completeUnknown" as const }),
  fc.record({
    type: fc.constant("settle" as const),
    pick: pickArb,
    decision: fc.constantFrom<Decision>("close", "grant", "refund", "refund"),
  }),
  fc.record({
    type: fc.constant("settle" as const),
    pick: pickArb,
    decision: fc.constant<Decision>("refund"),
  }),
  fc.record({
    type: fc.constant("end" as const),
    pick: pickArb,
    end: fc.constantFrom<"expired" | "failed">("expired", "expired", "failed"),
  }),
  fc.record({
    type: fc.constant("refund" as const),
    pick: pickArb,
    share: fc.constantFrom<RefundShare>("cent", "third", "half", "half", "allButOne", "all", "over"),
  }),
  fc.record({
    type: fc.constant("refund" as const),
    pick: pickArb,
    share: fc.constantFrom<RefundShare>("third", "half"),
  }),
  fc.record({ type: fc.constant("dispute" as const), pick: pickArb }),
  fc.record({ type: fc.constant("disputeClosed" as const), pick: pickArb, won: fc.boolean() }),
  fc.record({ type: fc.constant("dispute" as const), pick: pickArb }),
  fc.record({ type: fc.constant("disputeClosed" as const), pick: pickArb, won: fc.constant(true) }),
  fc.record({ type: fc.constant("replay" as const), pick: fc.nat() }),
  fc.record({ type: fc.constant("consume" as const), amount: fc.constantFrom(1n, 37n, 250n, 700n, 2_000n) }),
  fc.record({ type: fc.constant("consume" as const), amount: fc.constantFrom(100n, 500n) }),
  fc.record({
    type: fc.constant("advance" as const),
    ms: fc.constantFrom(HOUR_MS, DAY_MS, 10 * DAY_MS, 45 * DAY_MS),
  }),
  fc.record({
    type: fc.constant("advanceToEdge" as const),
    pick: fc.nat(),
    nudgeMs: fc.constantFrom(-1, 0, 0, 1),
  }),
  fc.constant({ type: "sweep" as const }),
];

const eventId = counter("evt-model");
const nextKey = counter("payments-model-key");
const provider = testProvider();

function purchaseOf(m: Model, pick: PurchasePick, fits: (p: ModelPurchase) => boolean): ModelPurchase {
  const candidates = pick.fresh ? m.purchases.filter(fits) : [];
  return pickOf(candidates.length > 0 ? candidates : m.purchases, pick.index);
}

function expectCode(outcome: Outcome<unknown>, code: ErrorCode): void {
  expect(outcome.ok ? "ok" : `${outcome.error.code}: ${outcome.error.message}`).toMatch(
    new RegExp(`^${code}`),
  );
}

async function deliver(m: Model, r: Real, event: PaymentEvent, expected: Expected): Promise<void> {
  const answer = expectOk(await r.engine.payments.handleEvent(event));
  expect(answer).toEqual({ eventId: event.eventId, ...expected, replayed: false });
  m.delivered.push({ event, answer });
}

async function runCheckout(m: Model, r: Real, bundle: BundleId, asGift: boolean): Promise<void> {
  const outcome = await r.engine.payments.checkout(
    {
      customerId: r.buyer,
      bundleId: bundle,
      asGift,
      successUrl: "https://host.test/ok",
      cancelUrl: "https://host.test/cancel",
      idempotencyKey: nextKey(),
    },
    provider,
  );
  if (asGift && !BUNDLES[bundle]?.giftable) return expectCode(outcome, "not_transferable");
  const session = expectOk(outcome);
  m.purchases.push({
    id: session.purchaseId,
    sessionId: session.sessionId,
    intentId: `pi_${session.sessionId}`,
    bundle,
    asGift,
    checkoutExpiresAtMs: m.nowMs + CHECKOUT_TTL_MS,
    sessionCompleted: false,
    state: "pending",
    linked: false,
    granted: false,
    refunded: 0n,
    recovered: 0n,
    unrecovered: 0n,
    lot: null,
    bonusLot: null,
    intentRefunded: 0n,
    intentDisputed: false,
    reviewOpen: false,
    operatorRefunded: false,
    takenFirst: 0n,
    takenBonus: 0n,
    disputeClosed: false,
  });
}

async function runComplete(m: Model, r: Real, p: ModelPurchase, amount: "right" | "wrong" | "unpaid") {
  const price = termsOf(p).price;
  const event: PaymentEvent = {
    type: "checkout_completed",
    eventId: eventId(),
    createdAtMs: m.nowMs,
    sessionId: p.sessionId,
    purchaseId: p.id,
    customerId: r.buyer,
    bundleId: p.bundle,
    amountTotalMinor: amount === "wrong" ? price - 1n : price,
    currency: "usd",
    paymentIntentId: p.intentId,
    paid: amount !== "unpaid",
  };
  await deliver(m, r, event, expectCompletion(m, p, amount));
}

async function runCompleteUnknown(m: Model, r: Real): Promise<void> {
  const id = eventId();
  const event: PaymentEvent = {
    type: "checkout_completed",
    eventId: id,
    createdAtMs: m.nowMs,
    sessionId: `cs_unknown_${id}`,
    purchaseId: null,
    customerId: null,
    bundleId: null,
    amountTotalMinor: 1000n,
    currency: "usd",
    paymentIntentId: `pi_unknown_${id}`,
    paid: true,
  };
  await deliver(m, r, event, { outcome: "unknown_purchase", purchaseId: null });
}

const refunding: RefundingProvider = {
  ...provider,
  readEvent: () => fail("unauthorized", "the in-test provider signs nothing"),
};

async function runSettle(m: Model, r: Real, p: ModelPurchase, decision: Decision): Promise<void> {
  const refundsBefore = provider.refunds.length;
  const paidMinor = p.state === "review" ? termsOf(p).price - 1n : termsOf(p).price;
  const outcome = await r.engine.payments.resolveReview(
    { purchaseId: p.id, decision, idempotencyKey: nextKey() },
    refunding,
  );
  const expected = expectSettle(m, p, decision);
  if (expected !== "ok") {
    expect(provider.refunds.length).toBe(refundsBefore);
    return expectCode(outcome, expected);
  }
  expect(expectOk(outcome)).toMatchObject({ reviewDecision: decision, reviewResolvedAtMs: m.nowMs });
  expect(provider.refunds.slice(refundsBefore)).toEqual(
    decision === "refund"
      ? [
          {
            purchaseId: p.id,
            paymentIntentId: p.intentId,
            idempotencyKey: `boon-refund-${p.id}`,
            paidMinor,
            currency: "usd",
          },
        ]
      : [],
  );
}

async function runEnd(m: Model, r: Real, p: ModelPurchase, end: "expired" | "failed"): Promise<void> {
  const event: PaymentEvent = {
    type: end === "expired" ? "checkout_expired" : "checkout_failed",
    eventId: eventId(),
    createdAtMs: m.nowMs,
    sessionId: p.sessionId,
    purchaseId: p.id,
  };
  await deliver(m, r, event, expectEnd(p, end));
}

function refundAmount(price: bigint, share: RefundShare): bigint {
  switch (share) {
    case "cent":
      return 1n;
    case "third":
      return price / 3n;
    case "half":
      return price / 2n;
    case "allButOne":
      return price - 1n;
    case "all":
      return price;
    case "over":
      return price + 500n;
  }
}

async function runRefund(m: Model, r: Real, p: ModelPurchase, share: RefundShare): Promise<void> {
  const amount = refundAmount(termsOf(p).price, share);
  const event: PaymentEvent = {
    type: "charge_refunded",
    eventId: eventId(),
    createdAtMs: m.nowMs,
    paymentIntentId: p.intentId,
    amountRefundedMinor: amount,
    currency: "usd",
  };
  await deliver(m, r, event, expectTakeBack(m, p, amount, false));
}

async function runDispute(m: Model, r: Real, p: ModelPurchase): Promise<void> {
  const event: PaymentEvent = {
    type: "dispute_created",
    eventId: eventId(),
    createdAtMs: m.nowMs,
    paymentIntentId: p.intentId,
    amountMinor: termsOf(p).price,
    currency: "usd",
  };
  await deliver(m, r, event, expectTakeBack(m, p, 0n, true));
}

async function runDisputeClosed(m: Model, r: Real, p: ModelPurchase, won: boolean): Promise<void> {
  const event: PaymentEvent = {
    type: "dispute_closed",
    eventId: eventId(),
    createdAtMs: m.nowMs,
    paymentIntentId: p.intentId,
    status: won ? "won" : "lost",
    won,
  };
  await deliver(m, r, event, expectDisputeClosed(m, p, won));
}

/** A redelivered event answers its first outcome again and changes nothing. */
async function runReplay(m: Model, r: Real, pick: number): Promise<void> {
  const first = pickOf(m.delivered, pick);
  const again = expectOk(await r.engine.payments.handleEvent(first.event));
  expect(again).toEqual({ ...first.answer, replayed: true });
}

/** Spending is all or nothing, drawn in burn-down order from the live lots. */
async function runConsume(m: Model, r: Real, amount: bigint): Promise<void> {
  const outcome = await r.engine.consume({
    customerId: r.buyer,
    amountMinor: amount,
    idempotencyKey: nextKey(),
  });
  if (availableOf(m) < amount) return expectCode(outcome, "insufficient_credits");
  expectOk(outcome);
  let left = amount;
  for (const lot of m.lots.filter((l) => usable(m, l) > 0n).sort(burnDownOrder)) {
    const take = lot.remaining < left ? lot.remaining : left;
    lot.remaining -= take;
    left -= take;
  }
}

/**
 * The sweep books every expired lot's remainder. A spend may have booked some of them already (the
 * ledger books a wallet's due expiries when it writes to it), so the sweep's own total is at most
 * what is due; afterwards the wallet's posted balance is exactly what it can spend.
 */
async function runSweep(m: Model, r: Real): Promise<void> {
  const due = m.lots.filter((lot) => !live(m, lot) && !lot.swept);
  const report = await r.engine.sweep();
  expect(report.expiredCheckouts).toBe(sweepCheckouts(m));
  expect(report.expiredMinor).toBeLessThanOrEqual(due.reduce((sum, lot) => sum + lot.remaining, 0n));
  for (const lot of due) {
    lot.swept = true;
    lot.remaining = 0n;
  }
  expect(expectOk(await r.engine.balance(r.buyer)).postedMinor).toBe(availableOf(m));
}

function advance(m: Model, r: Real, ms: number): void {
  m.nowMs += ms;
  r.clock.advanceMs(ms);
}

/** Every purchase, the buyer's spendable credits by kind and their gift balance. */
async function compare(m: Model, r: Real): Promise<void> {
  const purchases = expectOk(await r.engine.payments.purchasesOf(r.buyer));
  const balance = expectOk(await r.engine.balance(r.buyer));
  const gifts = expectOk(await r.engine.gifts.ofCustomer(r.buyer));
  const byId = new Map(purchases.map((p) => [p.id, p]));
  const seen = m.purchases.map((p) => {
    const real = byId.get(p.id);
    return {
      id: p.id,
      state: real?.state,
      refundedMinor: real?.refundedMinor,
      recoveredMinor: real?.recoveredMinor,
      unrecoveredMinor: real?.unrecoveredMinor,
      granted: real?.grantTransferId != null,
      inReview: real?.reviewReason != null && real.reviewResolvedAtMs === null,
      operatorRefunded: real?.refundId != null,
      hasLot: real?.lotId != null,
      hasBonusLot: real?.bonusLotId != null,
      lotAvailable: balance.lots.find((lot) => lot.id === real?.lotId)?.availableMinor ?? 0n,
      bonusAvailable: balance.lots.find((lot) => lot.id === real?.bonusLotId)?.availableMinor ?? 0n,
    };
  });
  const expected = m.purchases.map((p) => ({
    id: p.id,
    state: p.state,
    refundedMinor: p.refunded,
    recoveredMinor: p.recovered,
    unrecoveredMinor: p.unrecovered,
    granted: p.granted,
    inReview: p.reviewOpen,
    operatorRefunded: p.operatorRefunded,
    hasLot: p.lot !== null,
    hasBonusLot: p.bonusLot !== null,
    lotAvailable: usable(m, p.lot),
    bonusAvailable: usable(m, p.bonusLot),
  }));
  const purchasedAvailable = m.lots
    .filter((lot) => lot.priority === PURCHASED_PRIORITY)
    .reduce((sum, lot) => sum + usable(m, lot), 0n);
  expect({
    purchases: seen,
    count: purchases.length,
    availableMinor: balance.availableMinor,
    purchasedMinor: balance.availableByKind.purchased,
    giftBalanceMinor: gifts.giftBalanceMinor,
  }).toEqual({
    purchases: expected,
    count: m.purchases.length,
    availableMinor: availableOf(m),
    purchasedMinor: purchasedAvailable,
    giftBalanceMinor: m.giftBalance,
  });
  expect(balance.availableMinor).toBeGreaterThanOrEqual(0n);
}

async function expectVerified(r: Real): Promise<void> {
  const report = await r.engine.verify();
  expect(report.checks.filter((check) => check.violation !== null)).toEqual([]);
}

/** Instants where something changes: each live bonus lot's expiry, and when each checkout is swept. */
function edges(m: Model): number[] {
  const lots = m.lots.flatMap((lot) => (lot.expiresAtMs === null ? [] : [lot.expiresAtMs]));
  const checkouts = m.purchases.flatMap((p) =>
    p.state === "pending" ? [p.checkoutExpiresAtMs + ABANDON_GRACE_MS] : [],
  );
  return [...lots, ...checkouts].filter((atMs) => atMs > m.nowMs + 1).sort((a, b) => a - b);
}

const pending = (p: ModelPurchase): boolean => p.state === "pending";
const refundable = (p: ModelPurchase): boolean => p.state !== "disputed";

async function runAction(m: Model, r: Real, a: Action): Promise<void> {
  switch (a.type) {
    case "checkout":
      return runCheckout(m, r, a.bundle, a.asGift);
    case "complete":
      return runComplete(m, r, purchaseOf(m, a.pick, grantable), a.amount);
    case "completeUnknown":
      return runCompleteUnknown(m, r);
    case "end":
      return runEnd(m, r, purchaseOf(m, a.pick, pending), a.end);
    case "settle":
      return runSettle(
        m,
        r,
        purchaseOf(m, a.pick, (p) => p.reviewOpen),
        a.decision,
      );
    case "refund":
      return runRefund(m, r, purchaseOf(m, a.pick, refundable), a.share);
    case "dispute":
      return runDispute(m, r, purchaseOf(m, a.pick, refundable));
    case "disputeClosed":
      return runDisputeClosed(
        m,
        r,
        purchaseOf(m, a.pick, (p) => p.intentDisputed && !p.disputeClosed),
        a.won,
      );
    case "replay":
      return runReplay(m, r, a.pick);
    case "consume":
      return runConsume(m, r, a.amount);
    case "advance":
      return advance(m, r, a.ms);
    case "advanceToEdge": {
      const upcoming = edges(m);
      return advance(m, r, upcoming.length === 0 ? 0 : pickOf(upcoming, a.pick) + a.nudgeMs - m.nowMs);
    }
    case "sweep":
      return runSweep(m, r);
  }
}

const NEEDS_A_PURCHASE: readonly Action["type"][] = [
  "complete",
  "end",
  "settle",
  "refund",
  "dispute",
  "disputeClosed",
];

class Step implements fc.AsyncCommand<Model, Real> {
  constructor(readonly action: Action) {}

  check(m: Readonly<Model>): boolean {
    if (NEEDS_A_PURCHASE.includes(this.action.type)) return m.purchases.length > 0;
    if (this.action.type === "replay") return m.delivered.length > 0;
    return true;
  }

  async run(m: Model, r: Real): Promise<void> {
    await runAction(m, r, this.action);
    await compare(m, r);
    m.steps += 1;
    if (m.steps % VERIFY_EVERY_STEPS === 0) await expectVerified(r);
  }

  toString(): string {
    return JSON.stringify(this.action, (_, value) => (typeof value === "bigint" ? `${value}n` : value));
  }
}

const stepsArb = fc.commands(
  actionArbs.map((arb) => arb.map((action) => new Step(action))),
  { maxCommands: COMMANDS_MAX, size: "max" },
);

for (const backend of backends()) {
  describe(`payments model on ${backend.name}`, () => {
    let store: Store;
    let engine: Engine;
    const clock = new ManualClock(START_MS);
    let runSeq = 0;

    beforeAll(async () => {
      store = await backend.open();
      engine = await createEngine({ store, clock });
      expectOk(await engine.payments.saveBundle("starter", STARTER));
      expectOk(await engine.payments.saveBundle("team", TEAM));
      expectOk(await engine.payments.saveBundle("odd", ODD));
    });
    afterAll(async () => {
      await store.close();
      await backend.cleanup();
    });

    // One store serves every run; each run gets a buyer of its own. Before a run the clock moves past
    // every bonus lot an earlier run granted and a sweep books their expiry, so this run's sweeps
    // expire this run's lots only.
    async function setup(): Promise<{ model: Model; real: Real }> {
      runSeq += 1;
      clock.advanceMs(91 * DAY_MS);
      await engine.sweep();
      const buyer = `payments-model-${backend.name}-${runSeq}`;
      expectOk(await engine.upsertCustomer({ id: buyer, plan: "pro", signedUpAtMs: clock.nowMs() - DAY_MS }));
      const model: Model = {
        nowMs: clock.nowMs(),
        purchases: [],
        lots: [],
        giftBalance: 0n,
        delivered: [],
        lotSeq: 0,
        steps: 0,
      };
      const real = { engine, clock, buyer };
      // One purchase of each bundle from the start, so that events have something to work on.
      await runCheckout(model, real, "team", false);
      await runCheckout(model, real, "odd", true);
      await runCheckout(model, real, "starter", false);
      return { model, real };
    }

    it(
      "agrees with the model after every step and verifies clean",
      async () => {
        await fc.assert(
          fc.asyncProperty(stepsArb, async (steps) => {
            const runs: { model: Model; real: Real }[] = [];
            await fc.asyncModelRun(async () => {
              runs.push(await setup());
              return pickOf(runs, runs.length - 1);
            }, steps);
            const { model, real } = pickOf(runs, runs.length - 1);
            await compare(model, real);
            await expectVerified(real);
          }),
          { numRuns: RUNS },
        );
      },
      TEST_TIMEOUT_MS,
    );
  });
}
