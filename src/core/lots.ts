/**
 * Lots and the burn-down order: the pure rules for which credits a spend draws, and how much a
 * wallet can spend at an instant.
 */
import { minMinor } from "./units.js";

export const LOT_KINDS = ["purchased", "promotional", "gifted", "referral", "compensation"] as const;
export type LotKind = (typeof LOT_KINDS)[number];

/** The kinds an operator or the host product may grant directly; the others arrive through flows. */
export const GRANTABLE_KINDS = ["purchased", "promotional", "compensation"] as const;
export type GrantableKind = (typeof GRANTABLE_KINDS)[number];

export const LOT_SOURCES = ["purchase", "gift", "program", "operator"] as const;
export type LotSource = (typeof LOT_SOURCES)[number];

export const PRIORITY_MIN = 0;
export const PRIORITY_MAX = 1000;

/**
 * Lower priority spends first (as in OpenMeter and Stripe credit grants). Free credits default ahead
 * of purchased ones, so a customer never loses promotional value while paid value sits unspent.
 */
export const DEFAULT_PRIORITY: Readonly<Record<LotKind, number>> = {
  promotional: 10,
  gifted: 10,
  referral: 10,
  compensation: 10,
  purchased: 100,
};

export interface Lot {
  readonly id: string;
  readonly kind: LotKind;
  readonly amountMinor: bigint;
  remainingMinor: bigint;
  heldMinor: bigint;
  readonly priority: number;
  readonly effectiveAtMs: number;
  readonly expiresAtMs: number | null;
  readonly createdAtMs: number;
}

/** A lot is spendable at `nowMs` when it is in effect and has not expired (expiry is exclusive). */
export function isLive(lot: Lot, nowMs: number): boolean {
  return lot.effectiveAtMs <= nowMs && (lot.expiresAtMs === null || nowMs < lot.expiresAtMs);
}

export function isExpired(lot: Lot, nowMs: number): boolean {
  return lot.expiresAtMs !== null && lot.expiresAtMs <= nowMs;
}

export function availableMinor(lot: Lot): bigint {
  return lot.remainingMinor - lot.heldMinor;
}

/** Burn-down order: priority, then soonest expiry (never-expiring last), then oldest, then id. */
export function compareBurnDown(a: Lot, b: Lot): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  if (a.expiresAtMs !== b.expiresAtMs) {
    if (a.expiresAtMs === null) return 1;
    if (b.expiresAtMs === null) return -1;
    return a.expiresAtMs - b.expiresAtMs;
  }
  if (a.createdAtMs !== b.createdAtMs) return a.createdAtMs - b.createdAtMs;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export interface Draw {
  readonly lotId: string;
  readonly amountMinor: bigint;
}

export function spendableMinor(lots: Iterable<Lot>, nowMs: number): bigint {
  let total = 0n;
  for (const lot of lots) if (isLive(lot, nowMs)) total += availableMinor(lot);
  return total;
}

/**
 * Plan the draws for spending `amountMinor` at `nowMs`, or `null` when the live, unheld balance is
 * short. Pure: the caller applies the plan.
 */
export function planDraws(lots: Iterable<Lot>, amountMinor: bigint, nowMs: number): Draw[] | null {
  const candidates = [...lots].filter((lot) => isLive(lot, nowMs) && availableMinor(lot) > 0n);
  candidates.sort(compareBurnDown);
  const draws: Draw[] = [];
  let leftMinor = amountMinor;
  for (const lot of candidates) {
    if (leftMinor === 0n) break;
    const take = minMinor(availableMinor(lot), leftMinor);
    draws.push({ lotId: lot.id, amountMinor: take });
    leftMinor -= take;
  }
  return leftMinor === 0n ? draws : null;
}
