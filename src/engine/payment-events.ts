/**
 * What the payment provider's events do to purchases and the ledger. Each event is handled in one
 * transaction that records it by its id together with its effect, so a redelivered event finds the
 * record and changes nothing, and a crash leaves either both or neither.
 *
 * A completed checkout grants its purchase (purchased lot, bonus lot, or gift balance funding) at most
 * once: the purchase row is locked, its state checked, and the update that marks it paid is
 * conditional on that state, with the grant's transfer and lots unique to it. A refund or dispute
 * takes back what is left of the purchase's credits, never more than a lot has unheld, and records
 * what was already spent; a refund that arrives before its checkout's completion is kept on the
 * payment's row and applied by the grant.
 */
import { SYSTEM_ACCOUNTS } from "../core/accounts.js";
import { type Bundle, readBundle } from "../core/bundles.js";
import type { Clock } from "../core/clock.js";
import { invariant } from "../core/errors.js";
import type { IdGenerator } from "../core/ids.js";
import type { JsonValue } from "../core/json-lines.js";
import { DEFAULT_PRIORITY } from "../core/lots.js";
import type { HandledEvent, PaymentEvent, PaymentEventOutcome } from "../core/payments.js";
import {
  type CheckoutEnd,
  creditsToTakeBack,
  decideCompletion,
  decideEnd,
  type Holding,
  planRestore,
  planTakeBack,
} from "../core/purchases.js";
import { ensureGiftBalance, lockGiftBalance, lockParty, type PartyRow } from "../store/gifts-repo.js";
import { currentPolicyVersion } from "../store/ledger-repo.js";
import {
  bundleVersion,
  endCheckout,
  findPaymentEvent,
  findPurchase,
  findPurchaseByIntent,
  findPurchaseForSession,
  insertPaymentEvent,
  insertPurchaseEvent,
  type LedgerLeg,
  type LedgerLot,
  lockPaymentIntent,
  lockPurchase,
  lotStates,
  markPaid,
  markSessionCompleted,
  openReview,
  type PaymentEventRecord,
  type PaymentIntentRow,
  type PurchaseRecord,
  postLedgerTransfer,
  recordRestore,
  recordTakeBack,
  setDisputeStatus,
  takenBackByHolding,
  updatePaymentIntent,
} from "../store/payments-repo.js";
import { isRetryableConflict, type Queryable, type Store } from "../store/store.js";

/** Deadlocks and a lost race to record an event settle within a few tries. */
const EVENT_ATTEMPTS_MAX = 5;

/** Raised inside the transaction to roll it back when a concurrent one recorded the event first. */
class EventTakenError extends Error {}

export interface PaymentsContext {
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** What an event's handling decided: how it is recorded. */
interface Effect {
  readonly outcome: PaymentEventOutcome;
  readonly purchaseId: string | null;
  readonly moneyDeltaMinor?: bigint;
  readonly transferId?: string | null;
}

type CompletedEvent = Extract<PaymentEvent, { type: "checkout_completed" }>;
type TakeBackEvent = Extract<PaymentEvent, { type: "charge_refunded" | "dispute_created" }>;
type ClosedDisputeEvent = Extract<PaymentEvent, { type: "dispute_closed" }>;
type EndedEvent = Extract<PaymentEvent, { type: "checkout_expired" | "checkout_failed" }>;

/** Handle one checked event, once per event id. */
export async function handlePaymentEvent(ctx: PaymentsContext, event: PaymentEvent): Promise<HandledEvent> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await ctx.store.transaction(async (tx) => {
        const earlier = await findPaymentEvent(tx, event.eventId);
        if (earlier !== null) return { eventId: event.eventId, ...earlier, replayed: true };
        const nowMs = ctx.clock.nowMs();
        const effect = await effectOf(ctx, tx, event, nowMs);
        if (!(await insertPaymentEvent(tx, recordOf(event, effect, nowMs)))) throw new EventTakenError();
        return {
          eventId: event.eventId,
          outcome: effect.outcome,
          purchaseId: effect.purchaseId,
          replayed: false,
        };
      });
    } catch (error) {
      const retry = error instanceof EventTakenError || isRetryableConflict(error);
      if (!retry || attempt >= EVENT_ATTEMPTS_MAX) throw error;
    }
  }
}

function effectOf(ctx: PaymentsContext, tx: Queryable, event: PaymentEvent, nowMs: number): Promise<Effect> {
  switch (event.type) {
    case "ignored":
      return Promise.resolve({ outcome: "ignored", purchaseId: null });
    case "checkout_completed":
      return completeCheckout(ctx, tx, event, nowMs);
    case "checkout_expired":
    case "checkout_failed":
      return endForEvent(ctx, tx, event, nowMs);
    case "charge_refunded":
    case "dispute_created":
      return takeBackForEvent(ctx, tx, event, nowMs);
    case "dispute_closed":
      return closeDispute(ctx, tx, event, nowMs);
  }
}

function recordOf(event: PaymentEvent, effect: Effect, nowMs: number): PaymentEventRecord {
  const base = {
    id: event.eventId,
    type: event.type,
    outcome: effect.outcome,
    purchaseId: effect.purchaseId,
    moneyDeltaMinor: effect.moneyDeltaMinor ?? 0n,
    transferId: effect.transferId ?? null,
    receivedAtMs: nowMs,
  };
  switch (event.type) {
    case "ignored":
      return {
        ...base,
        providerType: event.providerType,
        sessionId: null,
        paymentIntentId: null,
        amountMinor: null,
        currency: null,
        happenedAtMs: null,
      };
    case "dispute_closed":
      return {
        ...base,
        providerType: null,
        sessionId: null,
        paymentIntentId: event.paymentIntentId,
        amountMinor: null,
        currency: null,
        happenedAtMs: event.createdAtMs,
      };
    case "checkout_expired":
    case "checkout_failed":
      return {
        ...base,
        providerType: null,
        sessionId: event.sessionId,
        paymentIntentId: null,
        amountMinor: null,
        currency: null,
        happenedAtMs: event.createdAtMs,
      };
    case "checkout_completed":
      return {
        ...base,
        providerType: null,
        sessionId: event.sessionId,
        paymentIntentId: event.paymentIntentId,
        amountMinor: event.amountTotalMinor,
        currency: event.currency,
        happenedAtMs: event.createdAtMs,
      };
    default:
      return {
        ...base,
        providerType: null,
        sessionId: null,
        paymentIntentId: event.paymentIntentId,
        amountMinor: event.type === "charge_refunded" ? event.amountRefundedMinor : event.amountMinor,
        currency: event.currency,
        happenedAtMs: event.createdAtMs,
      };
  }
}

async function completeCheckout(
  ctx: PaymentsContext,
  tx: Queryable,
  event: CompletedEvent,
  nowMs: number,
): Promise<Effect> {
  const found = await findPurchaseForSession(tx, event.sessionId, event.purchaseId);
  if (found === null) return { outcome: "unknown_purchase", purchaseId: null };
  // Lock order: the payment, the buyer's wallet, then the purchase.
  const intent =
    event.paymentIntentId === null ? null : await lockPaymentIntent(tx, event.paymentIntentId, nowMs);
  const party = await lockParty(tx, found.customerId);
  invariant(party !== null, `purchase ${found.id} names customer ${found.customerId}, who has no wallet`);
  const purchase = await lockPurchase(tx, found.id);
  invariant(purchase !== null, `purchase ${found.id} vanished`);
  const payment = { sessionId: event.sessionId, paymentIntentId: event.paymentIntentId };
  if (intent !== null && intent.purchaseId !== null && intent.purchaseId !== purchase.id) {
    const reason = `payment ${intent.id} already paid purchase ${intent.purchaseId}`;
    const review = {
      purchaseId: purchase.id,
      state: "review" as const,
      reason,
      paymentIntentId: null,
      nowMs,
    };
    await openReview(tx, { ...review, sessionId: event.sessionId });
    return { outcome: "review", purchaseId: purchase.id };
  }
  const decision = decideCompletion(purchase, {
    paid: event.paid,
    amountMinor: event.amountTotalMinor,
    currency: event.currency,
  });
  if (decision.kind === "unpaid") {
    // The customer finished the checkout with a payment that takes days to clear: the purchase now
    // waits for that payment's outcome and is not swept as abandoned when the session's time is up.
    await markSessionCompleted(tx, purchase.id, nowMs);
    return { outcome: decision.kind, purchaseId: purchase.id };
  }
  if (decision.kind === "already_completed") return { outcome: decision.kind, purchaseId: purchase.id };
  if (intent !== null) await updatePaymentIntent(tx, { ...intent, purchaseId: purchase.id });
  if (decision.kind === "review") {
    await openReview(tx, {
      purchaseId: purchase.id,
      state: "review",
      reason: decision.reason,
      ...payment,
      nowMs,
    });
    return { outcome: "review", purchaseId: purchase.id };
  }
  const granted = await grantPurchase(ctx, tx, purchase, party, payment, nowMs);
  const later = intent === null ? null : await applyRecordedTakeBack(ctx, tx, granted, intent, nowMs);
  return { outcome: "granted", purchaseId: purchase.id, ...later };
}

/**
 * The provider says a checkout ended unpaid. A pending purchase ends `expired` or `failed`; one
 * already paid, in review or ended is left as it is, and a payment reported later still grants it.
 */
async function endForEvent(
  ctx: PaymentsContext,
  tx: Queryable,
  event: EndedEvent,
  nowMs: number,
): Promise<Effect> {
  const found = await findPurchaseForSession(tx, event.sessionId, event.purchaseId);
  if (found === null) return { outcome: "unknown_purchase", purchaseId: null };
  const purchase = await lockPurchase(tx, found.id);
  invariant(purchase !== null, `purchase ${found.id} vanished`);
  const end = event.type === "checkout_expired" ? "expired" : "failed";
  const ended = await endPurchase(ctx, tx, purchase, end, event.sessionId, nowMs);
  return { outcome: ended ? end : "no_change", purchaseId: purchase.id };
}

/** End a locked purchase's checkout unpaid, if it is still pending; true when this call ended it. */
async function endPurchase(
  ctx: PaymentsContext,
  tx: Queryable,
  purchase: PurchaseRecord,
  end: CheckoutEnd,
  sessionId: string | null,
  nowMs: number,
): Promise<boolean> {
  if (decideEnd(purchase.state, end) === null) return false;
  const ended = await endCheckout(tx, purchase.id, end, sessionId);
  invariant(ended, `purchase ${purchase.id} left pending while locked`);
  await purchaseEvent(
    ctx,
    tx,
    purchase,
    end === "expired" ? "purchase.expired" : "purchase.failed",
    nowMs,
    {},
  );
  return true;
}

/**
 * End a checkout nobody completed once its session has stopped taking payment (`dueBeforeMs` is
 * its expiry plus a grace); true when this call ended it. A customer who completed the checkout
 * with a payment still clearing is waited for.
 */
export async function abandonCheckout(
  ctx: PaymentsContext,
  purchaseId: string,
  dueBeforeMs: number,
): Promise<boolean> {
  return ctx.store.transaction(async (tx) => {
    const purchase = await lockPurchase(tx, purchaseId);
    if (purchase === null || purchase.sessionCompletedAtMs !== null) return false;
    if (purchase.checkoutExpiresAtMs > dueBeforeMs) return false;
    return endPurchase(ctx, tx, purchase, "expired", null, ctx.clock.nowMs());
  });
}

/**
 * A dispute ended. Its outcome is kept once on the payment and written to the outbox. A dispute won
 * means the payment stands, so what the dispute took back goes back (`restoreAfterDispute`) and its
 * money counts as reinstated; a dispute lost changes nothing more. Either way the purchase's reason
 * says how it ended.
 */
async function closeDispute(
  ctx: PaymentsContext,
  tx: Queryable,
  event: ClosedDisputeEvent,
  nowMs: number,
): Promise<Effect> {
  const intent = await lockPaymentIntent(tx, event.paymentIntentId, nowMs);
  const found =
    intent.purchaseId === null
      ? await findPurchaseByIntent(tx, intent.id)
      : await findPurchase(tx, intent.purchaseId);
  if (!intent.disputed || intent.disputeStatus !== null)
    return { outcome: "no_change", purchaseId: found?.id ?? null };
  await setDisputeStatus(tx, intent.id, event.status);
  if (found === null) return { outcome: "no_change", purchaseId: null };
  // Lock order: the payment, the buyer's wallet (and gift balance), then the purchase.
  const party = await lockParty(tx, found.customerId);
  invariant(party !== null, `purchase ${found.id} has no buyer wallet`);
  if (found.asGift) await lockGiftBalance(tx, found.customerId);
  const purchase = await lockPurchase(tx, found.id);
  invariant(purchase !== null, `purchase ${found.id} vanished`);
  const restored =
    event.won && purchase.state === "disputed" ? await restoreAfterDispute(ctx, tx, purchase, nowMs) : null;
  const recoveredMinor = purchase.recoveredMinor - (restored?.restoredMinor ?? 0n);
  const unrecoveredMinor = purchase.unrecoveredMinor - (restored?.forgivenMinor ?? 0n);
  const taken = `${recoveredMinor} credits stay taken back and ${unrecoveredMinor} spent`;
  const reason = event.won
    ? `dispute won (${event.status}): the payment stands and its credits were given back; ${taken}`
    : `dispute lost: the money stays with the customer; ${taken}`;
  // Nothing is left to decide: the reason says how it ended, and the queue stays as the operator left it.
  await openReview(tx, {
    purchaseId: purchase.id,
    state: null,
    reason,
    sessionId: null,
    paymentIntentId: null,
    nowMs,
    keepSettled: true,
  });
  await purchaseEvent(ctx, tx, purchase, "purchase.dispute_closed", nowMs, {
    status: event.status,
    won: String(event.won),
    restored: (restored?.restoredMinor ?? 0n).toString(),
  });
  // The money a dispute takes is what the price had left after refunds; winning brings it back.
  const moneyDeltaMinor = event.won ? purchase.priceMinor - purchase.refundedMinor : 0n;
  return {
    outcome: event.won ? "dispute_won" : "dispute_lost",
    purchaseId: purchase.id,
    moneyDeltaMinor,
    transferId: restored?.transferId ?? null,
  };
}

/**
 * A dispute won: the purchase owes only what its refunds answer for. Credits recorded as already
 * spent are forgiven first; the rest goes back, in one `restore` transfer, to the lots (or gift
 * balance) the dispute took it from, each up to what was taken from it, and not to a lot that has
 * expired since. The caller holds the buyer's wallet and the purchase locked.
 */
async function restoreAfterDispute(
  ctx: PaymentsContext,
  tx: Queryable,
  purchase: PurchaseRecord,
  nowMs: number,
): Promise<{ restoredMinor: bigint; forgivenMinor: bigint; transferId: string | null }> {
  const owedMinor = creditsToTakeBack(
    purchase.creditsMinor + purchase.bonusMinor,
    purchase.priceMinor,
    purchase.refundedMinor,
    false,
  );
  const taken = await takenBackByHolding(tx, purchase.id);
  const holdings = (await holdingsOf(tx, purchase, nowMs)).map((found) => ({
    ...found,
    holding: {
      id: found.holding.id,
      availableMinor: found.expired ? 0n : (taken.get(found.holding.id) ?? 0n),
    },
  }));
  const plan = planRestore(
    owedMinor,
    purchase,
    holdings.map((found) => found.holding),
  );
  const transferId =
    plan.draws.length === 0
      ? null
      : await postTakeBack(ctx, tx, purchase, holdings, plan.draws, nowMs, "restore");
  await recordRestore(tx, {
    purchaseId: purchase.id,
    restoredMinor: plan.recoveredMinor,
    forgivenMinor: plan.forgivenMinor,
    state: purchase.refundedMinor > 0n ? "refunded" : "paid",
  });
  return { restoredMinor: plan.recoveredMinor, forgivenMinor: plan.forgivenMinor, transferId };
}

/** A refund or dispute that reached the payment before its grant is applied right after the grant. */
async function applyRecordedTakeBack(
  ctx: PaymentsContext,
  tx: Queryable,
  purchase: PurchaseRecord,
  intent: PaymentIntentRow,
  nowMs: number,
): Promise<{ moneyDeltaMinor: bigint; transferId: string | null } | null> {
  if (intent.refundedMinor === 0n && !intent.disputed) return null;
  if (intent.refundCurrency !== null && intent.refundCurrency !== purchase.currency) {
    const reason = `a refund in ${intent.refundCurrency} reached payment ${intent.id}, priced in ${purchase.currency}`;
    await openReview(tx, {
      purchaseId: purchase.id,
      state: null,
      reason,
      sessionId: null,
      paymentIntentId: null,
      nowMs,
    });
    return null;
  }
  const done = await takeBack(
    ctx,
    tx,
    purchase,
    { refundedMinor: intent.refundedMinor, disputed: intent.disputed },
    nowMs,
  );
  return { moneyDeltaMinor: done.moneyDeltaMinor, transferId: done.transferId };
}

/** The bundle version a purchase was bought under. */
export async function bundleOf(db: Queryable, purchase: PurchaseRecord): Promise<Bundle> {
  const stored = await bundleVersion(db, purchase.bundleId, purchase.bundleVersion);
  invariant(
    stored !== null,
    `purchase ${purchase.id} names bundle ${purchase.bundleId} v${purchase.bundleVersion}, which is missing`,
  );
  return readBundle(stored.id, stored.version, stored.spec as JsonValue);
}

/**
 * Grant a paid purchase in one transfer: its credits as a purchased lot (never transferable; expiring
 * only if the bundle says so, never sooner than five years) or, bought as a gift, into the buyer's
 * gift balance; and its bonus as a promotional lot with the bundle's expiry and priority. The caller
 * holds the buyer's wallet and the purchase locked.
 */
export async function grantPurchase(
  ctx: PaymentsContext,
  tx: Queryable,
  purchase: PurchaseRecord,
  party: PartyRow,
  payment: { sessionId: string | null; paymentIntentId: string | null },
  nowMs: number,
): Promise<PurchaseRecord> {
  const bundle = await bundleOf(tx, purchase);
  const policyVersion = await currentPolicyVersion(tx);
  const reason = `purchase ${purchase.id} of ${purchase.bundleId}`;
  const lots: LedgerLot[] = [];
  const legs: LedgerLeg[] = [];
  const leg = (accountId: string, customerId: string | null, lotId: string | null, amountMinor: bigint) =>
    legs.push({ entryId: ctx.ids.next("ent"), accountId, customerId, lotId, amountMinor });
  const lotFor = (
    kind: "purchased" | "promotional",
    amountMinor: bigint,
    priority: number,
    expiresAtMs: number | null,
  ) => {
    const lot: LedgerLot = {
      id: ctx.ids.next("lot"),
      customerId: party.id,
      accountId: party.accountId,
      kind,
      source: "purchase",
      amountMinor,
      priority,
      expiresAtMs,
      policyVersion,
      reason,
    };
    lots.push(lot);
    leg(party.accountId, party.id, lot.id, amountMinor);
    return lot.id;
  };
  leg(SYSTEM_ACCOUNTS.sales, null, null, -purchase.creditsMinor);
  let lotId: string | null = null;
  if (purchase.asGift) {
    const balance = await ensureGiftBalance(tx, party.id, ctx.ids.next("gba"), nowMs);
    leg(balance.accountId, null, null, purchase.creditsMinor);
  } else {
    const seconds = bundle.purchasedExpiresAfterSeconds;
    lotId = lotFor(
      "purchased",
      purchase.creditsMinor,
      DEFAULT_PRIORITY.purchased,
      seconds === null ? null : nowMs + seconds * 1000,
    );
  }
  let bonusLotId: string | null = null;
  if (purchase.bonusMinor > 0n) {
    invariant(bundle.bonusExpiresAfterSeconds !== null, `bundle ${bundle.id} has a bonus without an expiry`);
    leg(SYSTEM_ACCOUNTS.promotions, null, null, -purchase.bonusMinor);
    bonusLotId = lotFor(
      "promotional",
      purchase.bonusMinor,
      bundle.bonusPriority,
      nowMs + bundle.bonusExpiresAfterSeconds * 1000,
    );
  }
  const transferId = ctx.ids.next("txn");
  const kind = purchase.asGift ? "gift_fund" : "grant";
  await postLedgerTransfer(tx, {
    id: transferId,
    kind,
    customerId: party.id,
    reason,
    idempotencyKey: null,
    legs,
    lots,
    nowMs,
  });
  const marked = await markPaid(tx, {
    purchaseId: purchase.id,
    ...payment,
    grantTransferId: transferId,
    lotId,
    bonusLotId,
    nowMs,
  });
  invariant(marked, `purchase ${purchase.id} was granted by another transaction while locked`);
  await purchaseEvent(ctx, tx, purchase, "purchase.completed", nowMs, {});
  const done = await lockPurchase(tx, purchase.id);
  invariant(
    done !== null && done.grantTransferId === transferId,
    `purchase ${purchase.id} did not record its grant`,
  );
  return done;
}

async function takeBackForEvent(
  ctx: PaymentsContext,
  tx: Queryable,
  event: TakeBackEvent,
  nowMs: number,
): Promise<Effect> {
  const intent = await lockPaymentIntent(tx, event.paymentIntentId, nowMs);
  const disputed = event.type === "dispute_created";
  const claimMinor = disputed ? 0n : event.amountRefundedMinor;
  if (disputed && intent.disputed) return { outcome: "no_change", purchaseId: intent.purchaseId };
  const found =
    intent.purchaseId === null
      ? await findPurchaseByIntent(tx, intent.id)
      : await findPurchase(tx, intent.purchaseId);
  if (found === null) {
    // Its checkout's completion has not arrived yet: keep what this event says for the grant to apply.
    const refundedMinor = claimMinor > intent.refundedMinor ? claimMinor : intent.refundedMinor;
    await updatePaymentIntent(tx, {
      ...intent,
      refundedMinor,
      refundCurrency: event.currency,
      disputed: intent.disputed || disputed,
    });
    return { outcome: "deferred", purchaseId: null };
  }
  const party = await lockParty(tx, found.customerId);
  invariant(party !== null, `purchase ${found.id} has no buyer wallet`);
  if (found.asGift) await lockGiftBalance(tx, found.customerId);
  const purchase = await lockPurchase(tx, found.id);
  invariant(purchase !== null, `purchase ${found.id} vanished`);
  await updatePaymentIntent(tx, {
    ...intent,
    refundedMinor: claimMinor > intent.refundedMinor ? claimMinor : intent.refundedMinor,
    refundCurrency: event.currency,
    disputed: intent.disputed || disputed,
  });
  if (event.currency !== purchase.currency) {
    const reason = `a ${event.type} in ${event.currency} for a purchase priced in ${purchase.currency}`;
    await openReview(tx, {
      purchaseId: purchase.id,
      state: null,
      reason,
      sessionId: null,
      paymentIntentId: null,
      nowMs,
    });
    return { outcome: "review", purchaseId: purchase.id };
  }
  const done = await takeBack(ctx, tx, purchase, { refundedMinor: claimMinor, disputed }, nowMs);
  return {
    outcome: done.outcome,
    purchaseId: purchase.id,
    moneyDeltaMinor: done.moneyDeltaMinor,
    transferId: done.transferId,
  };
}

/**
 * The refund an operator asked for, arriving: their settlement of the review stands rather than
 * putting the purchase back in the queue. A dispute still reopens it.
 */
function operatorRefunded(purchase: PurchaseRecord, claim: { disputed: boolean }): boolean {
  return purchase.refundId !== null && !claim.disputed && purchase.state !== "disputed";
}

interface TakeBackResult {
  readonly outcome: "refunded" | "disputed" | "no_change";
  readonly moneyDeltaMinor: bigint;
  readonly transferId: string | null;
}

/**
 * Take back what a refund (cumulative money) or a dispute answers for, beyond what earlier events
 * took: from the purchased lot (or the gift balance) first, then the bonus lot, only what is
 * unspent, unheld and unexpired. What is left is recorded as unrecovered, and the purchase goes to
 * the review queue: the customer keeps what they spent, and no wallet goes negative.
 */
async function takeBack(
  ctx: PaymentsContext,
  tx: Queryable,
  purchase: PurchaseRecord,
  claim: { refundedMinor: bigint; disputed: boolean },
  nowMs: number,
): Promise<TakeBackResult> {
  const cappedMinor = claim.refundedMinor > purchase.priceMinor ? purchase.priceMinor : claim.refundedMinor;
  const refundedMinor = cappedMinor > purchase.refundedMinor ? cappedMinor : purchase.refundedMinor;
  const newlyDisputed = claim.disputed && purchase.state !== "disputed";
  const disputed = claim.disputed || purchase.state === "disputed";
  const moneyDeltaMinor = newlyDisputed
    ? purchase.priceMinor - purchase.refundedMinor
    : refundedMinor - purchase.refundedMinor;
  if (moneyDeltaMinor === 0n && !newlyDisputed)
    return { outcome: "no_change", moneyDeltaMinor: 0n, transferId: null };
  if (purchase.grantTransferId === null) {
    // Nothing was granted (the payment is in review): there is nothing to take, only money to note.
    await recordTakeBack(tx, {
      purchaseId: purchase.id,
      refundedMinor,
      recoveredMinor: 0n,
      unrecoveredMinor: 0n,
    });
    const reason = `${disputed ? "disputed" : `refunded ${refundedMinor} of ${purchase.priceMinor} ${purchase.currency}`} before any credits were granted`;
    await openReview(tx, {
      purchaseId: purchase.id,
      state: null,
      reason,
      sessionId: null,
      paymentIntentId: null,
      nowMs,
      keepSettled: operatorRefunded(purchase, claim),
    });
    return { outcome: disputed ? "disputed" : "refunded", moneyDeltaMinor, transferId: null };
  }
  const totalMinor = purchase.creditsMinor + purchase.bonusMinor;
  const targetMinor = creditsToTakeBack(totalMinor, purchase.priceMinor, refundedMinor, disputed);
  const dueMinor = targetMinor - purchase.recoveredMinor - purchase.unrecoveredMinor;
  const holdings = await holdingsOf(tx, purchase, nowMs);
  const plan = planTakeBack(
    dueMinor,
    holdings.map((holding) => holding.holding),
  );
  const transferId =
    plan.draws.length === 0 ? null : await postTakeBack(ctx, tx, purchase, holdings, plan.draws, nowMs);
  await recordTakeBack(tx, {
    purchaseId: purchase.id,
    refundedMinor,
    recoveredMinor: plan.recoveredMinor,
    unrecoveredMinor: plan.unrecoveredMinor,
  });
  const state = disputed ? "disputed" : "refunded";
  const recovered = purchase.recoveredMinor + plan.recoveredMinor;
  const unrecovered = purchase.unrecoveredMinor + plan.unrecoveredMinor;
  const money = disputed
    ? "disputed"
    : `refunded ${refundedMinor} of ${purchase.priceMinor} ${purchase.currency}`;
  const reason = `${money}: took back ${recovered} credits, ${unrecovered} already spent`;
  await openReview(tx, {
    purchaseId: purchase.id,
    state,
    reason,
    sessionId: null,
    paymentIntentId: null,
    nowMs,
    keepSettled: operatorRefunded(purchase, claim),
  });
  const type = disputed ? "purchase.disputed" : "purchase.refunded";
  await purchaseEvent(ctx, tx, purchase, type, nowMs, {
    refunded: refundedMinor.toString(),
    recovered: recovered.toString(),
    unrecovered: unrecovered.toString(),
  });
  return { outcome: state, moneyDeltaMinor, transferId };
}

interface PurchaseHolding {
  readonly holding: Holding;
  /** A lot past its expiry: nothing is taken from it, and nothing goes back to it. */
  readonly expired: boolean;
  /** The account the value sits in, the lot (null for the gift balance), and where it goes back. */
  readonly accountId: string;
  readonly customerId: string | null;
  readonly lotId: string | null;
  readonly issuer: string;
}

/** Where a purchase's value can still be found, in the order a refund takes it. */
async function holdingsOf(
  tx: Queryable,
  purchase: PurchaseRecord,
  nowMs: number,
): Promise<PurchaseHolding[]> {
  const lotIds = [purchase.lotId, purchase.bonusLotId].filter((id): id is string => id !== null);
  const states = await lotStates(tx, lotIds);
  const party = await lockParty(tx, purchase.customerId, "read");
  invariant(party !== null, `purchase ${purchase.id} has no buyer wallet`);
  const fromLot = (lotId: string | null, issuer: string): PurchaseHolding[] => {
    const state = lotId === null ? undefined : states.get(lotId);
    if (lotId === null || state === undefined) return [];
    const expired = state.expiresAtMs !== null && state.expiresAtMs <= nowMs;
    const availableMinor = expired ? 0n : state.remainingMinor - state.heldMinor;
    return [
      {
        holding: { id: lotId, availableMinor },
        expired,
        accountId: party.accountId,
        customerId: party.id,
        lotId,
        issuer,
      },
    ];
  };
  const first = purchase.asGift
    ? await giftBalanceHolding(tx, purchase)
    : fromLot(purchase.lotId, SYSTEM_ACCOUNTS.sales);
  return [...first, ...fromLot(purchase.bonusLotId, SYSTEM_ACCOUNTS.promotions)];
}

async function giftBalanceHolding(tx: Queryable, purchase: PurchaseRecord): Promise<PurchaseHolding[]> {
  const balance = await lockGiftBalance(tx, purchase.customerId);
  if (balance === null) return [];
  return [
    {
      holding: { id: balance.accountId, availableMinor: balance.balanceMinor },
      expired: false,
      accountId: balance.accountId,
      customerId: null,
      lotId: null,
      issuer: SYSTEM_ACCOUNTS.sales,
    },
  ];
}

async function postTakeBack(
  ctx: PaymentsContext,
  tx: Queryable,
  purchase: PurchaseRecord,
  holdings: readonly PurchaseHolding[],
  draws: readonly { id: string; amountMinor: bigint }[],
  nowMs: number,
  kind: "refund" | "restore" = "refund",
): Promise<string> {
  // A refund moves value from the holdings back to its issuer; a restore moves it the other way.
  const sign = kind === "refund" ? 1n : -1n;
  const legs: LedgerLeg[] = [];
  for (const draw of draws) {
    const found = holdings.find((holding) => holding.holding.id === draw.id);
    invariant(found !== undefined, `${kind} moves ${draw.id}, which is not the purchase's`);
    legs.push({
      entryId: ctx.ids.next("ent"),
      accountId: found.accountId,
      customerId: found.customerId,
      lotId: found.lotId,
      amountMinor: -sign * draw.amountMinor,
    });
    legs.push({
      entryId: ctx.ids.next("ent"),
      accountId: found.issuer,
      customerId: null,
      lotId: null,
      amountMinor: sign * draw.amountMinor,
    });
  }
  const transferId = ctx.ids.next("txn");
  await postLedgerTransfer(tx, {
    id: transferId,
    kind,
    customerId: purchase.customerId,
    reason: `${kind} of purchase ${purchase.id}`,
    idempotencyKey: null,
    legs,
    lots: [],
    nowMs,
  });
  return transferId;
}

async function purchaseEvent(
  ctx: PaymentsContext,
  tx: Queryable,
  purchase: PurchaseRecord,
  type:
    | "purchase.completed"
    | "purchase.refunded"
    | "purchase.disputed"
    | "purchase.dispute_closed"
    | "purchase.expired"
    | "purchase.failed",
  nowMs: number,
  extra: Readonly<Record<string, string>>,
): Promise<void> {
  await insertPurchaseEvent(tx, {
    id: ctx.ids.next("evt"),
    customerId: purchase.customerId,
    type,
    payload: {
      purchaseId: purchase.id,
      customerId: purchase.customerId,
      bundleId: purchase.bundleId,
      bundleVersion: purchase.bundleVersion,
      asGift: purchase.asGift,
      credits: purchase.creditsMinor.toString(),
      bonusCredits: purchase.bonusMinor.toString(),
      price: purchase.priceMinor.toString(),
      currency: purchase.currency,
      ...extra,
    },
    createdAtMs: nowMs,
  });
}
