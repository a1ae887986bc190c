/**
 * The pure rules of a purchase: its states, whether a completed checkout may be granted, and how much
 * of a purchase's credits a refund or a dispute takes back, from which holdings, in which order.
 */

/**
 * `pending` until the provider says it was paid; then `paid` (credits granted). `review`: the payment
 * did not match the price, so nothing was granted and an operator decides. `refunded` and `disputed`:
 * granted, then (partly) taken back. `expired`: the checkout ended unpaid (its session expired, or it
 * was never completed in time); `failed`: the customer completed the checkout with a delayed payment
 * method and that payment failed. Neither charged anything, but a payment the provider later reports
 * for them is still granted: the money is what counts.
 */
export const PURCHASE_STATES = [
  "pending",
  "paid",
  "review",
  "refunded",
  "disputed",
  "expired",
  "failed",
] as const;
export type PurchaseState = (typeof PURCHASE_STATES)[number];

/** The states in which nothing was granted yet and a paid completion grants the purchase. */
export const GRANTABLE_STATES: readonly PurchaseState[] = ["pending", "expired", "failed"];

/** How a checkout ends without a payment: its session expired, or its delayed payment failed. */
export type CheckoutEnd = "expired" | "failed";

/**
 * A checkout that ended unpaid moves a pending purchase to `expired` or `failed`; any other state
 * stays as it is (a purchase already paid, in review, or ended is not ended again).
 */
export function decideEnd(state: PurchaseState, end: CheckoutEnd): PurchaseState | null {
  return state === "pending" ? end : null;
}

export interface PriceTerms {
  readonly priceMinor: bigint;
  readonly currency: string;
}

export type CompletionDecision =
  | { readonly kind: "grant" }
  | { readonly kind: "unpaid" }
  | { readonly kind: "already_completed" }
  | { readonly kind: "review"; readonly reason: string };

/**
 * A completed checkout is granted only when it is paid, nothing was granted for the purchase yet
 * (pending, or ended unpaid: a late delivery of a real payment still counts), and the amount and
 * currency are exactly the purchase's price. Anything else is never guessed at.
 */
export function decideCompletion(
  purchase: PriceTerms & { readonly state: PurchaseState },
  paid: { readonly paid: boolean; readonly amountMinor: bigint; readonly currency: string },
): CompletionDecision {
  if (!GRANTABLE_STATES.includes(purchase.state)) return { kind: "already_completed" };
  if (!paid.paid) return { kind: "unpaid" };
  if (paid.currency !== purchase.currency || paid.amountMinor !== purchase.priceMinor)
    return {
      kind: "review",
      reason: `paid ${paid.amountMinor} ${paid.currency}, but the price is ${purchase.priceMinor} ${purchase.currency}`,
    };
  return { kind: "grant" };
}

/**
 * The credits a refund of `refundedMinor` (cumulative money) answers for: the purchase's credits in
 * proportion, rounded down, and all of them once the whole price is refunded or disputed.
 */
export function creditsToTakeBack(
  totalCreditsMinor: bigint,
  priceMinor: bigint,
  refundedMinor: bigint,
  disputed: boolean,
): bigint {
  if (disputed || refundedMinor >= priceMinor) return totalCreditsMinor;
  if (refundedMinor <= 0n) return 0n;
  return (totalCreditsMinor * refundedMinor) / priceMinor;
}

export interface Holding {
  readonly id: string;
  /** What can be taken now: unspent, unheld and unexpired. */
  readonly availableMinor: bigint;
}

export interface TakeBackPlan {
  readonly draws: readonly { readonly id: string; readonly amountMinor: bigint }[];
  readonly recoveredMinor: bigint;
  /** Already spent (or held, or expired): stays with the customer and is recorded. */
  readonly unrecoveredMinor: bigint;
}

export interface RestorePlan extends TakeBackPlan {
  /** Credits recorded as already spent when taken back, that no longer count against the customer. */
  readonly forgivenMinor: bigint;
}

/**
 * What a dispute won gives back. The dispute answered for all of the purchase's credits, but once
 * it is won only the refunds are owed (`owedMinor`). Credits the customer had already spent were
 * never taken, so they are forgiven first; the rest goes back to the holdings it was taken from, in
 * the order given, each up to what can go back to it (in `availableMinor`). What finds no holding
 * (a bonus that expired meanwhile) stays taken, reported as `unrecoveredMinor`.
 */
export function planRestore(
  owedMinor: bigint,
  taken: { readonly recoveredMinor: bigint; readonly unrecoveredMinor: bigint },
  holdings: readonly Holding[],
): RestorePlan {
  const over = taken.recoveredMinor + taken.unrecoveredMinor - owedMinor;
  const excessMinor = over > 0n ? over : 0n;
  const forgivenMinor = excessMinor < taken.unrecoveredMinor ? excessMinor : taken.unrecoveredMinor;
  const back = planTakeBack(excessMinor - forgivenMinor, holdings);
  return { ...back, forgivenMinor };
}

/** Take `amountMinor` from the holdings in the order given, never more than each has available. */
export function planTakeBack(amountMinor: bigint, holdings: readonly Holding[]): TakeBackPlan {
  const draws: { id: string; amountMinor: bigint }[] = [];
  let leftMinor = amountMinor > 0n ? amountMinor : 0n;
  for (const holding of holdings) {
    if (leftMinor === 0n) break;
    const take = holding.availableMinor < leftMinor ? holding.availableMinor : leftMinor;
    if (take <= 0n) continue;
    draws.push({ id: holding.id, amountMinor: take });
    leftMinor -= take;
  }
  const recoveredMinor = draws.reduce((sum, draw) => sum + draw.amountMinor, 0n);
  return { draws, recoveredMinor, unrecoveredMinor: leftMinor };
}
