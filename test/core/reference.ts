/**
 * An independent statement of the burn-down rules, written from the design brief rather than from
 * src/core/lots.ts, so that a test comparing the two can catch a mistake in either. It deliberately
 * uses a different shape (a sort key tuple, an explicit "free" amount) from the code under test.
 */

export interface RefLot {
  readonly id: string;
  readonly priority: number;
  readonly effectiveAtMs: number;
  readonly expiresAtMs: number | null;
  readonly createdAtMs: number;
  remainingMinor: bigint;
  heldMinor: bigint;
}

export interface RefDraw {
  readonly lotId: string;
  readonly amountMinor: bigint;
}

/** Spendable means: in effect already, and the expiry instant (exclusive) not yet reached. */
export function refIsLive(lot: RefLot, nowMs: number): boolean {
  if (nowMs < lot.effectiveAtMs) return false;
  if (lot.expiresAtMs === null) return true;
  return nowMs < lot.expiresAtMs;
}

export function refFreeMinor(lot: RefLot): bigint {
  return lot.remainingMinor - lot.heldMinor;
}

/** Never-expiring lots sort as if they expired at the end of time. */
function sortKey(lot: RefLot): readonly number[] {
  return [lot.priority, lot.expiresAtMs ?? Number.POSITIVE_INFINITY, lot.createdAtMs];
}

/** Negative when `a` is spent before `b`: the key tuple lexicographically, then the id by code units. */
export function refOrder(a: RefLot, b: RefLot): number {
  const keyA = sortKey(a);
  const keyB = sortKey(b);
  for (let i = 0; i < keyA.length; i += 1) {
    const x = keyA[i] ?? 0;
    const y = keyB[i] ?? 0;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}

/** The smaller of two amounts (Math.min does not take bigints). */
export function refSmallerMinor(a: bigint, b: bigint): bigint {
  if (a < b) return a;
  return b;
}

export function refSpendableMinor(lots: readonly RefLot[], nowMs: number): bigint {
  let total = 0n;
  for (const lot of lots) if (refIsLive(lot, nowMs)) total += refFreeMinor(lot);
  return total;
}

/** Greedy draws in burn-down order over the live, unheld value, or null when that value is short. */
export function refPlan(lots: readonly RefLot[], amountMinor: bigint, nowMs: number): RefDraw[] | null {
  if (refSpendableMinor(lots, nowMs) < amountMinor) return null;
  const queue = lots.filter((lot) => refIsLive(lot, nowMs) && refFreeMinor(lot) > 0n).sort(refOrder);
  const draws: RefDraw[] = [];
  let leftMinor = amountMinor;
  for (const lot of queue) {
    if (leftMinor <= 0n) break;
    const take = refSmallerMinor(refFreeMinor(lot), leftMinor);
    draws.push({ lotId: lot.id, amountMinor: take });
    leftMinor -= take;
  }
  return draws;
}
