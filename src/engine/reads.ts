/** Balance and ledger views, now or at a past instant. */
import type { Clock } from "../core/clock.js";
import { fail, type Outcome, ok } from "../core/errors.js";
import type { LotRecord } from "../core/ledger.js";
import { availableMinor, compareBurnDown, isLive, LOT_KINDS, type LotKind } from "../core/lots.js";
import { findCustomer } from "../store/customers-repo.js";
import {
  type LedgerLine,
  ledgerPage,
  lotsAt,
  openLots,
  timedOutReservations,
  walletBalanceAtMinor,
  walletBalanceMinor,
} from "../store/read-repo.js";
import type { Store } from "../store/store.js";
import {
  checkCustomerId,
  checkTimeMs,
  checkWholeNumber,
  PAGE_SIZE_DEFAULT,
  PAGE_SIZE_MAX,
} from "./validate.js";

export interface LotView {
  readonly id: string;
  readonly kind: LotKind;
  readonly amountMinor: bigint;
  readonly remainingMinor: bigint;
  readonly heldMinor: bigint;
  readonly availableMinor: bigint;
  readonly priority: number;
  readonly effectiveAtMs: number;
  readonly expiresAtMs: number | null;
  readonly transferable: boolean;
  readonly status: "active" | "pending" | "expired";
}

export interface BalanceView {
  readonly customerId: string;
  readonly atMs: number;
  /** What the wallet's entries sum to: includes held credits and expired credits not yet swept. */
  readonly postedMinor: bigint;
  /** What can be spent now: live lots, minus holds. */
  readonly availableMinor: bigint;
  readonly heldMinor: bigint;
  readonly availableByKind: Readonly<Record<LotKind, bigint>>;
  /** Open lots in burn-down order: the first one listed is spent first. */
  readonly lots: readonly LotView[];
}

function lotView(lot: LotRecord, atMs: number): LotView {
  const live = isLive(lot, atMs);
  return {
    id: lot.id,
    kind: lot.kind,
    amountMinor: lot.amountMinor,
    remainingMinor: lot.remainingMinor,
    heldMinor: lot.heldMinor,
    availableMinor: live ? availableMinor(lot) : 0n,
    priority: lot.priority,
    effectiveAtMs: lot.effectiveAtMs,
    expiresAtMs: lot.expiresAtMs,
    transferable: lot.transferable,
    status: live ? "active" : lot.effectiveAtMs > atMs ? "pending" : "expired",
  };
}

export function summarize(
  customerId: string,
  atMs: number,
  postedMinor: bigint,
  lots: LotRecord[],
): BalanceView {
  const open = lots.filter((lot) => lot.remainingMinor > 0n).sort(compareBurnDown);
  const views = open.map((lot) => lotView(lot, atMs));
  const byKind = Object.fromEntries(LOT_KINDS.map((kind) => [kind, 0n])) as Record<LotKind, bigint>;
  let available = 0n;
  let held = 0n;
  for (const view of views) {
    byKind[view.kind] += view.availableMinor;
    available += view.availableMinor;
    held += view.heldMinor;
  }
  return {
    customerId,
    atMs,
    postedMinor,
    availableMinor: available,
    heldMinor: held,
    availableByKind: byKind,
    lots: views,
  };
}

export async function readBalance(
  store: Store,
  clock: Clock,
  customerId: string,
  atMs: number | undefined,
): Promise<Outcome<BalanceView>> {
  const id = checkCustomerId(customerId);
  if (!id.ok) return id;
  const nowMs = clock.nowMs();
  if (atMs === undefined || atMs >= nowMs) {
    const posted = await walletBalanceMinor(store, customerId);
    if (posted === null) return fail("not_found", `no customer ${customerId}`);
    const [lots, timedOut] = await Promise.all([
      openLots(store, customerId),
      timedOutReservations(store, customerId, nowMs),
    ]);
    const released = lots.map((lot) => ({ ...lot, heldMinor: lot.heldMinor - (timedOut.get(lot.id) ?? 0n) }));
    return ok(summarize(customerId, nowMs, posted, released));
  }
  const at = checkTimeMs(atMs, "at");
  if (!at.ok) return at;
  if ((await findCustomer(store, customerId)) === null) return fail("not_found", `no customer ${customerId}`);
  const [posted, lots] = await Promise.all([
    walletBalanceAtMinor(store, customerId, atMs),
    lotsAt(store, customerId, atMs),
  ]);
  return ok(summarize(customerId, atMs, posted, lots));
}

export interface LedgerPage {
  readonly data: readonly LedgerLine[];
  readonly nextCursor: string | null;
}

export async function readLedger(
  store: Store,
  customerId: string,
  limit: number | undefined,
  cursor: string | undefined,
): Promise<Outcome<LedgerPage>> {
  const id = checkCustomerId(customerId);
  if (!id.ok) return id;
  const size = checkWholeNumber(limit ?? PAGE_SIZE_DEFAULT, "limit", 1, PAGE_SIZE_MAX);
  if (!size.ok) return size;
  if (cursor !== undefined && !/^ent_[0-9a-f]{32}$/.test(cursor))
    return fail("invalid_request", "cursor is not one this API gave");
  if ((await findCustomer(store, customerId)) === null) return fail("not_found", `no customer ${customerId}`);
  const rows = await ledgerPage(store, customerId, cursor ?? null, size.value + 1);
  const data = rows.slice(0, size.value);
  const last = data[data.length - 1];
  return ok({ data, nextCursor: rows.length > size.value && last !== undefined ? last.entryId : null });
}
