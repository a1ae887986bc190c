/**
 * Bundles and payments: the catalog of credit packs (stored as versions), checkout through a payment
 * provider, the provider's events (payment-events.ts), the review queue, and the revenue report.
 *
 * A checkout calls the provider outside any transaction (a network call must not hold locks), so it
 * goes in three steps: the purchase is stored first with its id and the client's idempotency key,
 * then the provider is asked for a session, then the session is stored on the purchase unless another
 * attempt stored one first. A retry with the same key finds the purchase and answers its session, or,
 * when an earlier attempt stopped before storing one, asks the provider again for the same purchase id
 * (which the provider passes to Stripe as its idempotency key, so Stripe answers the same session).
 */
import { type Bundle, readBundle, writeBundle } from "../core/bundles.js";
import type { Clock } from "../core/clock.js";
import { fail, invariant, type Outcome, ok } from "../core/errors.js";
import type { IdGenerator } from "../core/ids.js";
import type { JsonValue } from "../core/json-lines.js";
import {
  type CheckoutRequest,
  type HandledEvent,
  type PaymentEvent,
  type PaymentProvider,
  PaymentProviderError,
  type RefundAnswer,
} from "../core/payments.js";
import { PlanSpecError } from "../core/plan-spec.js";
import { lockParty } from "../store/gifts-repo.js";
import {
  abandonedCheckouts,
  attachSession,
  bundleVersion,
  currentBundles,
  deferredAt,
  deferredGiftsAt,
  findPurchase,
  findPurchaseByKey,
  findPurchaseForSession,
  insertPurchase,
  isPaymentDisputed,
  lockCurrentBundle,
  lockPaymentIntent,
  lockPurchase,
  moneyByBucket,
  type PurchaseRecord,
  paidAmountOf,
  purchasesInReview,
  purchasesOf,
  putBundle,
  type ReviewDecision,
  recordOperatorRefund,
  resolvePurchaseReview,
  type StoredBundle,
} from "../store/payments-repo.js";
import { isRetryableConflict, type Queryable, type Store } from "../store/store.js";
import { fingerprint } from "./codec.js";
import { hasIdempotencyRecord, type OnceRequest, onceByKey } from "./once.js";
import {
  abandonCheckout,
  grantPurchase,
  handlePaymentEvent,
  type PaymentsContext,
} from "./payment-events.js";
import { checkPaymentEvent, parseCheckout } from "./payment-inputs.js";
import type { WebhookReader } from "./payment-provider.js";
import { type ReportBucketUnit, type ReportRangeInput, readReportRange } from "./report-range.js";
import { checkCustomerId, checkKey } from "./validate.js";

export type { CheckoutInput } from "./payment-inputs.js";

/** A provider that refunds, and reads the events it signs (the demo hands its refund event back). */
export type RefundingProvider = PaymentProvider & WebhookReader;

/** A configured provider and the reader of its webhooks, as one refunding provider. */
export function refundingProviderOf(payments: {
  readonly provider: PaymentProvider;
  readonly webhooks: WebhookReader;
}): RefundingProvider {
  return {
    ...payments.provider,
    readEvent: (payload, header) => payments.webhooks.readEvent(payload, header),
  };
}

/** Writes that race on a new bundle id or a deadlock settle within a few tries. */
const PAYMENT_ATTEMPTS_MAX = 5;
export const PURCHASES_LIST_MAX = 100;
/**
 * How long a checkout takes payment: an hour inside Stripe's 24-hour maximum for a session, so that
 * a clock a little ahead of Stripe's, or a retry some minutes later, never asks for more than it allows.
 */
export const CHECKOUT_TTL_MS = 23 * 60 * 60 * 1000;
/**
 * Stripe refuses a session that would expire in under 30 minutes; a retry that would start one
 * later than this before the purchase's fixed expiry answers that the checkout expired instead.
 */
export const CHECKOUT_START_MARGIN_MS = 35 * 60 * 1000;
/**
 * A pending checkout is swept as abandoned this long after its session stopped taking payment, so
 * that the provider's own `checkout.session.expired` (or a payment made in the last second) comes
 * first. A payment reported later still grants the purchase.
 */
export const CHECKOUT_ABANDON_GRACE_MS = 60 * 60 * 1000;
const CHECKOUT_SWEEP_PAGE = 200;
/** At most one operator refund per purchase: the provider's idempotency key is made from the purchase. */
const REFUND_KEY_PREFIX = "boon-refund-";

export interface BundleView extends Bundle {
  readonly createdAtMs: number;
  /** The bundle in its written form (every default spelled out), as stored. */
  readonly spec: { [key: string]: JsonValue };
}

export type SavedBundle = Outcome<{ bundle: BundleView; created: boolean }>;

export interface CheckoutAnswer {
  readonly purchaseId: string;
  readonly sessionId: string;
  readonly url: string;
}

export type PurchaseView = Omit<PurchaseRecord, "requestHash">;

export type CurrencyAmounts = Readonly<Record<string, bigint>>;

export interface RevenueBucket {
  readonly startMs: number;
  readonly endMs: number;
  readonly revenue: CurrencyAmounts;
  readonly refunds: CurrencyAmounts;
  readonly disputes: CurrencyAmounts;
  /** Money of disputes won, back with the seller. */
  readonly reinstated: CurrencyAmounts;
  readonly purchases: number;
}

export interface RevenueReport {
  readonly fromMs: number;
  readonly toMs: number;
  readonly bucket: ReportBucketUnit;
  readonly timeZone: string;
  readonly buckets: readonly RevenueBucket[];
  readonly totals: {
    readonly revenue: CurrencyAmounts;
    readonly refunds: CurrencyAmounts;
    readonly disputes: CurrencyAmounts;
    readonly reinstated: CurrencyAmounts;
    /** Revenue less refunds and disputes, plus disputes won. */
    readonly net: CurrencyAmounts;
    readonly purchases: number;
    readonly refundEvents: number;
    readonly disputeEvents: number;
  };
  /**
   * Purchased credits not yet consumed at `toMs`, valued at their price: bought for oneself, and
   * bought as gifts (the totals include `gifts`, the part still in gift balances, in escrow, or in
   * lots made from bought gifts).
   */
  readonly deferred: DeferredAmounts & { readonly atMs: number; readonly gifts: DeferredAmounts };
}

export interface DeferredAmounts {
  readonly revenue: CurrencyAmounts;
  readonly creditsMinor: CurrencyAmounts;
}

const purchaseView = ({ requestHash: _hash, ...view }: PurchaseRecord): PurchaseView => view;

function bundleView(stored: StoredBundle): BundleView {
  const bundle = readBundle(stored.id, stored.version, stored.spec as JsonValue);
  return { ...bundle, createdAtMs: stored.createdAtMs, spec: writeBundle(bundle) };
}

export class Payments {
  private readonly ctx: PaymentsContext;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    ids: IdGenerator,
  ) {
    this.ctx = { store, clock, ids };
  }

  /** Store a bundle's terms as its next version (none when nothing changed). */
  async saveBundle(bundleId: string, spec: unknown, idempotencyKey?: string): Promise<SavedBundle> {
    let bundle: Bundle;
    try {
      bundle = readBundle(bundleId, 1, spec as JsonValue);
    } catch (error) {
      if (error instanceof PlanSpecError)
        return fail("invalid_request", `bundle ${bundleId}: ${error.message}`);
      throw error;
    }
    return this.writeBundle(bundleId, { bundleId, spec }, "save_bundle", idempotencyKey, async () =>
      ok(bundle),
    );
  }

  /** Retire a bundle: a new version with status `retired`; nobody can check out with it any more. */
  async retireBundle(bundleId: string, idempotencyKey?: string): Promise<SavedBundle> {
    return this.writeBundle(bundleId, { bundleId }, "retire_bundle", idempotencyKey, async (tx) => {
      const current = await lockCurrentBundle(tx, bundleId);
      if (current === null) return fail("not_found", `no bundle ${bundleId}`);
      return ok({ ...bundleView(current), status: "retired" as const });
    });
  }

  private async writeBundle(
    bundleId: string,
    body: unknown,
    operation: string,
    idempotencyKey: string | undefined,
    termsIn: (tx: Queryable) => Promise<Outcome<Bundle>>,
  ): Promise<SavedBundle> {
    const nowMs = this.clock.nowMs();
    const write = async (tx: Queryable): Promise<SavedBundle> => {
      const terms = await termsIn(tx);
      if (!terms.ok) return terms;
      const saved = await putBundle(tx, bundleId, JSON.stringify(writeBundle(terms.value)), nowMs);
      const stored = await bundleVersion(tx, bundleId, saved.version);
      invariant(stored !== null, `bundle ${bundleId} vanished after it was saved`);
      return ok({ bundle: bundleView(stored), created: saved.created });
    };
    if (idempotencyKey === undefined) return this.retrying(() => this.store.transaction(write));
    const key = checkKey(idempotencyKey);
    if (!key.ok) return key;
    return this.retrying(() => onceByKey(this.store, { key: key.value, operation, body, nowMs }, write));
  }

  async getBundle(bundleId: string): Promise<Outcome<BundleView>> {
    const [stored] = await currentBundles(this.store, bundleId);
    return stored === undefined ? fail("not_found", `no bundle ${bundleId}`) : ok(bundleView(stored));
  }

  /** The catalog: active bundles (and retired ones when asked), by id. */
  async listBundles(options: { includeRetired?: boolean } = {}): Promise<BundleView[]> {
    const all = (await currentBundles(this.store)).map(bundleView);
    return options.includeRetired === true ? all : all.filter((bundle) => bundle.status === "active");
  }

  /** Start a checkout for oneself or as a gift; idempotent per key (a retry answers the same session). */
  async checkout(input: unknown, provider: PaymentProvider): Promise<Outcome<CheckoutAnswer>> {
    const parsed = parseCheckout(input);
    if (!parsed.ok) return parsed;
    const request = parsed.value;
    const requestHash = fingerprint("checkout", { ...request, idempotencyKey: undefined });
    const earlier = await findPurchaseByKey(this.store, request.idempotencyKey);
    if (earlier !== null) return this.resume(earlier, requestHash, request, provider);
    const made = await this.retrying(() =>
      this.store.transaction((tx) => this.openPurchase(tx, request, requestHash)),
    );
    if (!made.ok) return made;
    return this.resume(made.value, requestHash, request, provider);
  }

  private async openPurchase(
    tx: Queryable,
    request: ReturnType<typeof parseCheckout> extends Outcome<infer T> ? T : never,
    requestHash: string,
  ): Promise<Outcome<PurchaseRecord>> {
    const party = await lockParty(tx, request.customerId, "read");
    if (party === null) return fail("not_found", `no customer ${request.customerId}`);
    const [stored] = await currentBundles(tx, request.bundleId);
    if (stored === undefined) return fail("not_found", `no bundle ${request.bundleId}`);
    const bundle = bundleView(stored);
    if (bundle.status !== "active") return fail("invalid_request", `bundle ${bundle.id} is retired`);
    if (request.asGift && !bundle.giftable)
      return fail("not_transferable", `bundle ${bundle.id} can't be bought as a gift`);
    if (request.currency !== null && request.currency !== bundle.currency)
      return fail(
        "invalid_request",
        `bundle ${bundle.id} is priced in ${bundle.currency}, not ${request.currency}`,
      );
    const purchase: PurchaseRecord = {
      id: this.ctx.ids.next("pur"),
      customerId: party.id,
      bundleId: bundle.id,
      bundleVersion: bundle.version,
      asGift: request.asGift,
      creditsMinor: bundle.creditsMinor,
      bonusMinor: bundle.bonusCreditsMinor,
      priceMinor: bundle.priceMinor,
      currency: bundle.currency,
      state: "pending",
      idempotencyKey: request.idempotencyKey,
      requestHash,
      ...EMPTY_PURCHASE,
      createdAtMs: this.clock.nowMs(),
      checkoutExpiresAtMs: this.clock.nowMs() + CHECKOUT_TTL_MS,
    };
    if (await insertPurchase(tx, purchase)) return ok(purchase);
    // A concurrent checkout with the same key stored its purchase first: answer with that one.
    const raced = await findPurchaseByKey(tx, request.idempotencyKey);
    invariant(raced !== null, `purchase with key ${request.idempotencyKey} neither stored nor found`);
    return ok(raced);
  }

  /** Answer the purchase's session, asking the provider for one when no attempt has stored it yet. */
  private async resume(
    purchase: PurchaseRecord,
    requestHash: string,
    request: { successUrl: string; cancelUrl: string; idempotencyKey: string },
    provider: PaymentProvider,
  ): Promise<Outcome<CheckoutAnswer>> {
    if (purchase.requestHash !== requestHash)
      return fail(
        "idempotency_conflict",
        `idempotency key ${request.idempotencyKey} was already used for a different checkout`,
      );
    if (purchase.sessionId !== null && purchase.checkoutUrl !== null)
      return ok({ purchaseId: purchase.id, sessionId: purchase.sessionId, url: purchase.checkoutUrl });
    if (purchase.checkoutExpiresAtMs - this.clock.nowMs() < CHECKOUT_START_MARGIN_MS)
      return fail(
        "invalid_request",
        `checkout ${purchase.id} expired before a payment page was made for it; check out again with a new idempotency key`,
      );
    const stored = await bundleVersion(this.store, purchase.bundleId, purchase.bundleVersion);
    invariant(stored !== null, `purchase ${purchase.id} names a missing bundle version`);
    const checkout: CheckoutRequest = {
      purchaseId: purchase.id,
      customerId: purchase.customerId,
      bundleId: purchase.bundleId,
      bundleName: bundleView(stored).name,
      priceMinor: purchase.priceMinor,
      currency: purchase.currency,
      asGift: purchase.asGift,
      successUrl: request.successUrl,
      cancelUrl: request.cancelUrl,
      expiresAtMs: purchase.checkoutExpiresAtMs,
    };
    let session: { sessionId: string; url: string };
    try {
      session = await provider.createCheckout(checkout);
    } catch (error) {
      // A provider that says why (a refused request, a misconfigured key) keeps its own code; any
      // other failure is the provider being unreachable, which a retry with the same key may fix.
      if (error instanceof PaymentProviderError && error.code !== "unavailable")
        return fail(error.code, error.message);
      const reason = error instanceof Error ? error.message : String(error);
      return fail(
        "unavailable",
        `the payment provider could not start a checkout (${reason}); retry with the same key`,
      );
    }
    invariant(
      typeof session.sessionId === "string" &&
        session.sessionId.length > 0 &&
        typeof session.url === "string",
      "the payment provider answered a checkout without a session id and url",
    );
    if (!(await attachSession(this.store, purchase.id, session))) {
      const first = await findPurchase(this.store, purchase.id);
      invariant(
        first?.sessionId != null && first.checkoutUrl !== null,
        `purchase ${purchase.id} lost its session`,
      );
      return ok({ purchaseId: purchase.id, sessionId: first.sessionId, url: first.checkoutUrl });
    }
    return ok({ purchaseId: purchase.id, sessionId: session.sessionId, url: session.url });
  }

  /** Apply one provider event (already verified), once per event id. */
  async handleEvent(event: PaymentEvent): Promise<Outcome<HandledEvent>> {
    const checked = checkPaymentEvent(event);
    if (!checked.ok) return checked;
    return ok(await handlePaymentEvent(this.ctx, checked.value));
  }

  /** The purchase a provider's checkout session belongs to. */
  async purchaseBySession(sessionId: string): Promise<Outcome<PurchaseView>> {
    const found =
      typeof sessionId === "string" ? await findPurchaseForSession(this.store, sessionId, null) : null;
    return found === null
      ? fail("not_found", `no purchase for session ${sessionId}`)
      : ok(purchaseView(found));
  }

  async purchase(purchaseId: string): Promise<Outcome<PurchaseView>> {
    const found = typeof purchaseId === "string" ? await findPurchase(this.store, purchaseId) : null;
    return found === null ? fail("not_found", `no purchase ${purchaseId}`) : ok(purchaseView(found));
  }

  /** A customer's purchases, newest first. */
  async purchasesOf(customerId: string, limit = PURCHASES_LIST_MAX): Promise<Outcome<PurchaseView[]>> {
    const id = checkCustomerId(customerId);
    if (!id.ok) return id;
    const party = await lockParty(this.store, id.value, "read");
    if (party === null) return fail("not_found", `no customer ${customerId}`);
    const size = Math.min(Math.max(1, Math.trunc(limit)), PURCHASES_LIST_MAX);
    return ok((await purchasesOf(this.store, id.value, size)).map(purchaseView));
  }

  /** The review queue: payments that did not match, refunds and disputes, oldest first. */
  async purchasesInReview(limit = PURCHASES_LIST_MAX): Promise<PurchaseView[]> {
    const size = Math.min(Math.max(1, Math.trunc(limit)), PURCHASES_LIST_MAX);
    return (await purchasesInReview(this.store, size)).map(purchaseView);
  }

  /**
   * An operator settles a purchase in review: `close` takes it off the queue; `grant` also grants a
   * purchase whose payment did not match its price, once the operator has checked it (never after a
   * refund or dispute reached it); `refund` has the provider give back all that is left of the
   * payment, and the refund's own event takes back the credits it answers for.
   */
  /** End every checkout nobody paid whose session stopped taking payment over an hour ago; how many. */
  async sweep(): Promise<number> {
    let ended = 0;
    for (;;) {
      const dueBeforeMs = this.clock.nowMs() - CHECKOUT_ABANDON_GRACE_MS;
      const due = await abandonedCheckouts(this.store, dueBeforeMs, CHECKOUT_SWEEP_PAGE);
      let endedNow = 0;
      for (const id of due)
        if (await this.retrying(() => abandonCheckout(this.ctx, id, dueBeforeMs))) endedNow += 1;
      ended += endedNow;
      // A full page that ended nothing would come back the same: stop rather than spin.
      if (due.length < CHECKOUT_SWEEP_PAGE || endedNow === 0) return ended;
    }
  }

  async resolveReview(
    input: { purchaseId: string; decision: ReviewDecision; idempotencyKey: string },
    provider?: RefundingProvider,
  ): Promise<Outcome<PurchaseView>> {
    if (input.decision !== "grant" && input.decision !== "close" && input.decision !== "refund")
      return fail("invalid_request", "decision must be grant, close or refund");
    const key = checkKey(input.idempotencyKey);
    if (!key.ok) return key;
    const nowMs = this.clock.nowMs();
    const once = {
      key: key.value,
      operation: "resolve_purchase_review",
      body: { purchaseId: input.purchaseId, decision: input.decision },
      nowMs,
    };
    const decision = input.decision;
    if (decision === "refund") return this.refundInReview(input.purchaseId, once, provider);
    return this.retrying(() =>
      onceByKey(this.store, once, (tx) => this.resolveIn(tx, input.purchaseId, decision, nowMs)),
    );
  }

  /**
   * The provider is called outside any transaction and before the decision is recorded, with an
   * idempotency key made from the purchase: a retry, or a second operator, gets the same refund.
   * A retry of a recorded decision answers it without calling the provider again.
   */
  private async refundInReview(
    purchaseId: string,
    once: OnceRequest,
    provider: RefundingProvider | undefined,
  ): Promise<Outcome<PurchaseView>> {
    if (await hasIdempotencyRecord(this.store, once.key))
      return onceByKey(this.store, once, async () =>
        fail("internal", "a recorded decision was not replayed"),
      );
    const found = typeof purchaseId === "string" ? await findPurchase(this.store, purchaseId) : null;
    if (found === null) return fail("not_found", `no purchase ${purchaseId}`);
    const refundable = await refundableIn(this.store, found);
    if (!refundable.ok) return refundable;
    if (provider === undefined)
      return fail(
        "unavailable",
        "no payment provider is configured on this server, so nothing can be refunded",
      );
    let answer: RefundAnswer;
    try {
      answer = await provider.refund({
        purchaseId: found.id,
        paymentIntentId: refundable.value.paymentIntentId,
        idempotencyKey: `${REFUND_KEY_PREFIX}${found.id}`,
        paidMinor: refundable.value.paidMinor,
        currency: refundable.value.currency,
      });
    } catch (error) {
      if (error instanceof PaymentProviderError && error.code !== "unavailable")
        return fail(error.code, error.message);
      const reason = error instanceof Error ? error.message : String(error);
      return fail(
        "unavailable",
        `the payment provider could not refund (${reason}); retry with the same key`,
      );
    }
    const recorded = await this.retrying(() =>
      onceByKey(this.store, once, async (tx) => {
        const nowMs = this.clock.nowMs();
        // The provider's key is made from the purchase, so every attempt names the same refund.
        const recordedRefund = await recordOperatorRefund(tx, found.id, answer.refundId, nowMs);
        invariant(recordedRefund, `purchase ${found.id} holds another refund than ${answer.refundId}`);
        const done = await findPurchase(tx, found.id);
        invariant(done !== null, `purchase ${found.id} vanished`);
        return ok(purchaseView(done));
      }),
    );
    if (!recorded.ok || answer.delivery === null) return recorded;
    // The demo's refund event, read exactly as a webhook delivery is, then handled like one.
    const event = provider.readEvent(answer.delivery.payload, answer.delivery.signatureHeader);
    invariant(
      event.ok,
      `the provider's own refund event did not read: ${event.ok ? "" : event.error.message}`,
    );
    await this.handleEvent(event.value);
    return this.purchase(found.id);
  }

  private async resolveIn(
    tx: Queryable,
    purchaseId: string,
    decision: "grant" | "close",
    nowMs: number,
  ): Promise<Outcome<PurchaseView>> {
    const peek = typeof purchaseId === "string" ? await findPurchase(tx, purchaseId) : null;
    if (peek === null) return fail("not_found", `no purchase ${purchaseId}`);
    // Lock order: the payment, the buyer's wallet, then the purchase.
    const intent =
      peek.paymentIntentId === null ? null : await lockPaymentIntent(tx, peek.paymentIntentId, nowMs);
    const party = await lockParty(tx, peek.customerId);
    invariant(party !== null, `purchase ${peek.id} has no buyer wallet`);
    const purchase = await lockPurchase(tx, peek.id);
    invariant(purchase !== null, `purchase ${peek.id} vanished`);
    if (purchase.reviewReason === null || purchase.reviewResolvedAtMs !== null)
      return fail("invalid_request", `purchase ${purchase.id} is not in review`);
    if (decision === "grant") {
      if (purchase.state !== "review" || purchase.refundedMinor > 0n || intent?.disputed === true)
        return fail(
          "invalid_request",
          `purchase ${purchase.id} is ${purchase.state}: only an unpaid mismatch can be granted`,
        );
      // A refund may have reached the payment before its completion did; the money went back, so
      // granting the credits now would give them for nothing.
      if (intent !== null && intent.refundedMinor > 0n)
        return fail(
          "invalid_request",
          `purchase ${purchase.id}'s payment was refunded ${intent.refundedMinor} ${purchase.currency} before it completed: close it instead`,
        );
      const payment = { sessionId: purchase.sessionId, paymentIntentId: purchase.paymentIntentId };
      await grantPurchase(this.ctx, tx, purchase, party, payment, nowMs);
    }
    await resolvePurchaseReview(tx, purchase.id, decision, nowMs);
    const done = await findPurchase(tx, purchase.id);
    invariant(done !== null, `purchase ${purchase.id} vanished`);
    return ok(purchaseView(done));
  }

  /**
   * Revenue per bucket and currency (paid purchases' prices when paid), refunds and disputes (when
   * recorded), and deferred revenue at the end of the range: purchased credits not yet consumed,
   * whether bought for oneself or as gifts.
   */
  async revenue(input: ReportRangeInput = {}): Promise<Outcome<RevenueReport>> {
    const range = readReportRange(input, this.clock.nowMs());
    if (!range.ok) return range;
    const { fromMs, toMs, buckets } = range.value;
    const ends = buckets.map((bucket) => bucket.endMs);
    const [paid, refunds, disputes, reinstatements, deferred, deferredGifts] = await Promise.all([
      moneyByBucket(this.store, "paid", ends, fromMs, toMs),
      moneyByBucket(this.store, "refunds", ends, fromMs, toMs),
      moneyByBucket(this.store, "disputes", ends, fromMs, toMs),
      moneyByBucket(this.store, "reinstated", ends, fromMs, toMs),
      deferredAt(this.store, toMs),
      deferredGiftsAt(this.store, toMs),
    ]);
    const inBucket = (rows: typeof paid, index: number) => rows.filter((row) => row.bucket === index);
    const rows = buckets.map((bucket, index) => ({
      ...bucket,
      revenue: byCurrency(inBucket(paid, index)),
      refunds: byCurrency(inBucket(refunds, index)),
      disputes: byCurrency(inBucket(disputes, index)),
      reinstated: byCurrency(inBucket(reinstatements, index)),
      purchases: inBucket(paid, index).reduce((sum, row) => sum + row.count, 0),
    }));
    const revenue = byCurrency(paid);
    const refunded = byCurrency(refunds);
    const disputed = byCurrency(disputes);
    const reinstated = byCurrency(reinstatements);
    const net: Record<string, bigint> = { ...revenue };
    for (const [currency, amount] of [...Object.entries(refunded), ...Object.entries(disputed)])
      net[currency] = (net[currency] ?? 0n) - amount;
    for (const [currency, amount] of Object.entries(reinstated))
      net[currency] = (net[currency] ?? 0n) + amount;
    const count = (list: typeof paid) => list.reduce((sum, row) => sum + row.count, 0);
    return ok({
      ...range.value,
      buckets: rows,
      totals: {
        revenue,
        refunds: refunded,
        disputes: disputed,
        reinstated,
        net,
        purchases: count(paid),
        refundEvents: count(refunds),
        disputeEvents: count(disputes),
      },
      deferred: {
        atMs: toMs,
        revenue: byCurrency([...deferred, ...deferredGifts]),
        creditsMinor: byCurrency(
          [...deferred, ...deferredGifts].map((row) => ({
            currency: row.currency,
            amountMinor: row.creditsMinor,
          })),
        ),
        gifts: {
          revenue: byCurrency(deferredGifts),
          creditsMinor: byCurrency(
            deferredGifts.map((row) => ({ currency: row.currency, amountMinor: row.creditsMinor })),
          ),
        },
      },
    });
  }

  private async retrying<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await work();
      } catch (error) {
        const code = (error as { code?: unknown } | null)?.code;
        // A unique violation here is two first saves of one bundle id racing; the rerun sees the winner.
        if (!(isRetryableConflict(error) || code === "23505") || attempt >= PAYMENT_ATTEMPTS_MAX) throw error;
      }
    }
  }
}

/** The payment a purchase in review could have refunded: all of what is left of it. */
async function refundableIn(
  db: Queryable,
  purchase: PurchaseRecord,
): Promise<Outcome<{ paymentIntentId: string; paidMinor: bigint; currency: string }>> {
  if (purchase.reviewReason === null || purchase.reviewResolvedAtMs !== null)
    return fail("invalid_request", `purchase ${purchase.id} is not in review`);
  if (purchase.paymentIntentId === null)
    return fail("invalid_request", `purchase ${purchase.id} has no payment to refund`);
  // A dispute on a payment nothing was granted for leaves the purchase in review, not `disputed`.
  if (purchase.state === "disputed" || (await isPaymentDisputed(db, purchase.paymentIntentId)))
    return fail(
      "invalid_request",
      `purchase ${purchase.id} is disputed: the dispute decides where its money goes, so it can't be refunded`,
    );
  if (purchase.refundedMinor >= purchase.priceMinor)
    return fail("invalid_request", `purchase ${purchase.id} was already refunded in full: close it instead`);
  const paid = await paidAmountOf(db, purchase.id);
  return ok({
    paymentIntentId: purchase.paymentIntentId,
    paidMinor: paid?.amountMinor ?? purchase.priceMinor,
    currency: paid?.currency ?? purchase.currency,
  });
}

const EMPTY_PURCHASE = {
  sessionId: null,
  checkoutUrl: null,
  paymentIntentId: null,
  paidAtMs: null,
  grantTransferId: null,
  lotId: null,
  bonusLotId: null,
  refundedMinor: 0n,
  recoveredMinor: 0n,
  unrecoveredMinor: 0n,
  reviewReason: null,
  reviewOpenedAtMs: null,
  reviewResolvedAtMs: null,
  reviewDecision: null,
  sessionCompletedAtMs: null,
  refundId: null,
} as const;

function byCurrency(rows: readonly { currency: string; amountMinor: bigint }[]): Record<string, bigint> {
  const sums: Record<string, bigint> = {};
  for (const row of rows) sums[row.currency] = (sums[row.currency] ?? 0n) + row.amountMinor;
  return sums;
}
