/**
 * The ledger's decider: applies commands to the in-memory state of a batch of wallets and records
 * what must be written. Pure apart from the id generator it is handed: no I/O, no clock (the batch
 * time is an argument), so the engine can load state once, decide a whole batch, and write once.
 */
import { ISSUER_BY_KIND, SYSTEM_ACCOUNTS } from "./accounts.js";
import { type Failure, invariant } from "./errors.js";
import type { IdGenerator } from "./ids.js";
import {
  availableMinor,
  compareBurnDown,
  type Draw,
  type GrantableKind,
  isExpired,
  type Lot,
  type LotKind,
  type LotSource,
  planDraws,
  spendableMinor,
} from "./lots.js";
import { minMinor, sumMinor } from "./units.js";
import { createUsageBatch, type UsageBatch } from "./usage-state.js";

export interface LotRecord extends Lot {
  readonly customerId: string;
  readonly accountId: string;
  readonly source: LotSource;
  readonly transferable: boolean;
  readonly policyVersion: number;
  readonly reason: string | null;
}

export const HOLD_STATUSES = ["pending", "captured", "voided", "expired"] as const;
export type HoldStatus = (typeof HOLD_STATUSES)[number];

export interface Hold {
  readonly id: string;
  readonly customerId: string;
  readonly accountId: string;
  readonly amountMinor: bigint;
  readonly createdAtMs: number;
  readonly expiresAtMs: number;
  /** The lots the hold reserves, in burn-down order at the time it was placed. */
  readonly allocations: readonly Draw[];
  status: HoldStatus;
  capturedMinor: bigint;
  resolvedAtMs: number | null;
  captureTransferId: string | null;
}

export interface Wallet {
  readonly customerId: string;
  readonly accountId: string;
  balanceMinor: bigint;
  readonly lots: Map<string, LotRecord>;
  /** Pending holds, plus any hold a command in the batch names. */
  readonly holds: Map<string, Hold>;
}

export const TRANSFER_KINDS = ["grant", "consume", "capture", "expire", "reverse", "clawback"] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];
/**
 * Every kind a posted transfer may have: the ledger's own commands above, and the transfers gifting
 * and payments post themselves (a gift's funding, sending, claim and return; a purchase's refund).
 */
export const POSTED_TRANSFER_KINDS = [
  ...TRANSFER_KINDS,
  "gift_fund",
  "gift_send",
  "gift_claim",
  "gift_return",
  "refund",
  /** What a refund or dispute took back, given back when a dispute was won. */
  "restore",
] as const;

export interface EntryDraft {
  readonly accountId: string;
  readonly lotId: string | null;
  readonly amountMinor: bigint;
}

export interface Transfer {
  readonly id: string;
  readonly kind: TransferKind;
  readonly customerId: string | null;
  readonly holdId: string | null;
  readonly reversesTransferId: string | null;
  readonly reason: string | null;
  readonly idempotencyKey: string | null;
  readonly createdAtMs: number;
  readonly entries: readonly EntryDraft[];
}

/** A posted transfer loaded so that a command can reverse it. */
export interface PostedTransfer {
  readonly id: string;
  readonly kind: TransferKind;
  readonly customerId: string | null;
  readonly reversedBy: string | null;
  readonly entries: readonly EntryDraft[];
}

export type GrantCommand = {
  readonly type: "grant";
  readonly customerId: string;
  readonly amountMinor: bigint;
  /** Referral credits are granted only by a program's rewards, never directly. */
  readonly kind: GrantableKind | "referral";
  readonly priority: number;
  readonly effectiveAtMs: number | null;
  readonly expiresAtMs: number | null;
  readonly transferable: boolean;
  readonly source: LotSource;
  readonly reason: string | null;
};
export type ConsumeCommand = {
  readonly type: "consume";
  readonly customerId: string;
  readonly amountMinor: bigint;
  readonly reason: string | null;
};
export type HoldCommand = {
  readonly type: "hold";
  readonly customerId: string;
  readonly amountMinor: bigint;
  readonly ttlSeconds: number;
};
export type CaptureCommand = {
  readonly type: "capture";
  readonly holdId: string;
  readonly customerId: string | null;
  readonly amountMinor: bigint | null;
};
export type VoidCommand = {
  readonly type: "void";
  readonly holdId: string;
  readonly customerId: string | null;
};
export type ReverseCommand = {
  readonly type: "reverse";
  readonly transferId: string;
  readonly reason: string | null;
};
export type ExpireCommand = { readonly type: "expire"; readonly customerId: string };
/** Take back what is left of one lot (a reward that should not have been given), unheld value only. */
export type ClawbackCommand = {
  readonly type: "clawback";
  readonly customerId: string;
  readonly lotId: string;
  readonly reason: string | null;
};

export type Command =
  | GrantCommand
  | ConsumeCommand
  | HoldCommand
  | CaptureCommand
  | VoidCommand
  | ReverseCommand
  | ExpireCommand
  | ClawbackCommand;

export interface DrawView {
  readonly lotId: string;
  readonly kind: LotKind;
  readonly amountMinor: bigint;
}

export interface HoldView {
  readonly id: string;
  readonly customerId: string;
  readonly amountMinor: bigint;
  readonly capturedMinor: bigint;
  readonly status: HoldStatus;
  readonly createdAtMs: number;
  readonly expiresAtMs: number;
}

export type CommandResult =
  | {
      readonly type: "grant";
      readonly transferId: string;
      readonly lotId: string;
      readonly availableMinor: bigint;
    }
  | {
      readonly type: "consume";
      readonly transferId: string;
      readonly amountMinor: bigint;
      readonly draws: readonly DrawView[];
      readonly availableMinor: bigint;
    }
  | { readonly type: "hold"; readonly hold: HoldView; readonly availableMinor: bigint }
  | {
      readonly type: "capture";
      readonly hold: HoldView;
      readonly transferId: string;
      readonly draws: readonly DrawView[];
      readonly availableMinor: bigint;
    }
  | { readonly type: "void"; readonly hold: HoldView; readonly availableMinor: bigint }
  | { readonly type: "reverse"; readonly transferId: string; readonly reversesTransferId: string }
  | {
      readonly type: "clawback";
      /** Null when nothing was left to take. */
      readonly transferId: string | null;
      readonly recoveredMinor: bigint;
      /** What of the lot was already spent, expired or held, and stays with the customer. */
      readonly unrecoveredMinor: bigint;
    }
  | {
      readonly type: "expire";
      readonly expiredMinor: bigint;
      readonly releasedHolds: number;
      readonly availableMinor: bigint;
    };

export type Decision =
  | { readonly ok: true; readonly result: CommandResult }
  | { readonly ok: false; readonly error: Failure };

/** Everything a batch needs: loaded state in, changes out. */
export interface BatchState {
  readonly nowMs: number;
  readonly policyVersion: number;
  readonly wallets: Map<string, Wallet>;
  readonly holdOwners: Map<string, string>;
  readonly postedTransfers: Map<string, PostedTransfer>;
  readonly transfers: Transfer[];
  readonly newLots: Set<string>;
  readonly dirtyLots: Set<string>;
  readonly newHolds: Set<string>;
  readonly dirtyHolds: Set<string>;
  /** Customers whose wallets a command has read or changed since the last check of low credits. */
  readonly touched: Set<string>;
  readonly usage: UsageBatch;
}

export function createBatchState(nowMs: number, policyVersion: number): BatchState {
  return {
    nowMs,
    policyVersion,
    wallets: new Map(),
    holdOwners: new Map(),
    postedTransfers: new Map(),
    transfers: [],
    newLots: new Set(),
    dirtyLots: new Set(),
    newHolds: new Set(),
    dirtyHolds: new Set(),
    touched: new Set(),
    usage: createUsageBatch(),
  };
}

export const HOLD_TTL_SECONDS_MAX = 7 * 24 * 60 * 60;

const rejected = (code: Failure["code"], message: string): Decision => ({
  ok: false,
  error: { code, message },
});

export function decide(state: BatchState, command: Command, key: string | null, ids: IdGenerator): Decision {
  switch (command.type) {
    case "grant":
      return decideGrant(state, command, key, ids);
    case "consume":
      return decideConsume(state, command, key, ids);
    case "hold":
      return decideHold(state, command, ids);
    case "capture":
      return decideCapture(state, command, key, ids);
    case "void":
      return decideVoid(state, command, ids);
    case "reverse":
      return decideReverse(state, command, key, ids);
    case "expire":
      return decideExpire(state, command, ids);
    case "clawback":
      return decideClawback(state, command, key, ids);
  }
}

/** What is available of the lot goes back to the account that issued it; the rest is recorded. */
function decideClawback(
  state: BatchState,
  command: ClawbackCommand,
  key: string | null,
  ids: IdGenerator,
): Decision {
  const wallet = walletFor(state, command.customerId, ids);
  if (wallet === null) return unknownCustomer(command.customerId);
  const lot = wallet.lots.get(command.lotId);
  if (lot?.kind === "purchased")
    return rejected("not_transferable", "purchased credits are never taken back this way");
  // A lot that is not loaded is closed: nothing of it is left.
  const recoveredMinor = lot === undefined || isExpired(lot, state.nowMs) ? 0n : availableMinor(lot);
  const unrecoveredMinor = lot === undefined ? 0n : lot.amountMinor - recoveredMinor;
  if (lot === undefined || recoveredMinor === 0n)
    return { ok: true, result: { type: "clawback", transferId: null, recoveredMinor: 0n, unrecoveredMinor } };
  applyToLot(state, wallet, lot.id, -recoveredMinor);
  const transfer = post(state, ids, {
    kind: "clawback",
    customerId: command.customerId,
    key,
    reason: command.reason,
    entries: [
      { accountId: wallet.accountId, lotId: lot.id, amountMinor: -recoveredMinor },
      { accountId: ISSUER_BY_KIND[lot.kind], lotId: null, amountMinor: recoveredMinor },
    ],
  });
  return {
    ok: true,
    result: { type: "clawback", transferId: transfer.id, recoveredMinor, unrecoveredMinor },
  };
}

export function walletFor(state: BatchState, customerId: string, ids: IdGenerator): Wallet | null {
  const wallet = state.wallets.get(customerId);
  if (wallet === undefined) return null;
  state.touched.add(customerId);
  normalize(state, wallet, ids);
  return wallet;
}

export const unknownCustomer = (customerId: string): Decision =>
  rejected("not_found", `no customer ${customerId}`);

/**
 * Bring a wallet up to the batch time before each command: release holds that timed out, then book
 * the spendable remainder of expired lots to breakage. Held value of an expired lot stays reserved
 * for its hold. Running before every command (not once per batch) matters: a void or a reversal can
 * put value back into an expired lot, and the next command in the same batch must not see it, just
 * as it would not had the two arrived in separate batches.
 */
function normalize(
  state: BatchState,
  wallet: Wallet,
  ids: IdGenerator,
): { expiredMinor: bigint; released: number } {
  let released = 0;
  for (const hold of wallet.holds.values()) {
    if (hold.status === "pending" && hold.expiresAtMs <= state.nowMs) {
      releaseHold(state, wallet, hold, "expired");
      released += 1;
    }
  }
  const entries: EntryDraft[] = [];
  for (const lot of [...wallet.lots.values()].sort(compareBurnDown)) {
    const freeMinor = availableMinor(lot);
    if (isExpired(lot, state.nowMs) && freeMinor > 0n) {
      entries.push({ accountId: wallet.accountId, lotId: lot.id, amountMinor: -freeMinor });
      applyToLot(state, wallet, lot.id, -freeMinor);
    }
  }
  const expiredMinor = -sumMinor(entries.map((entry) => entry.amountMinor));
  if (expiredMinor > 0n) {
    entries.push({ accountId: SYSTEM_ACCOUNTS.breakage, lotId: null, amountMinor: expiredMinor });
    post(state, ids, {
      kind: "expire",
      customerId: wallet.customerId,
      key: null,
      reason: "lot expired",
      entries,
    });
  }
  return { expiredMinor, released };
}

function releaseHold(state: BatchState, wallet: Wallet, hold: Hold, status: HoldStatus): void {
  invariant(hold.status === "pending", `hold ${hold.id} released twice`);
  for (const allocation of hold.allocations) {
    const lot = wallet.lots.get(allocation.lotId);
    invariant(lot !== undefined, `hold ${hold.id} reserves lot ${allocation.lotId}, which was not loaded`);
    lot.heldMinor -= allocation.amountMinor;
    invariant(lot.heldMinor >= 0n, `lot ${lot.id} held went negative`);
    state.dirtyLots.add(lot.id);
  }
  hold.status = status;
  hold.resolvedAtMs = state.nowMs;
  state.dirtyHolds.add(hold.id);
}

/** Move `deltaMinor` into (positive) or out of (negative) a lot, keeping the wallet balance in step. */
function applyToLot(state: BatchState, wallet: Wallet, lotId: string, deltaMinor: bigint): void {
  const lot = wallet.lots.get(lotId);
  invariant(lot !== undefined, `lot ${lotId} is not in wallet ${wallet.accountId}`);
  lot.remainingMinor += deltaMinor;
  wallet.balanceMinor += deltaMinor;
  invariant(lot.remainingMinor >= lot.heldMinor, `lot ${lotId} would hold more than it has`);
  invariant(lot.remainingMinor <= lot.amountMinor, `lot ${lotId} would exceed its amount`);
  invariant(wallet.balanceMinor >= 0n, `wallet ${wallet.accountId} would go negative`);
  state.dirtyLots.add(lotId);
}

interface TransferDraft {
  readonly kind: TransferKind;
  readonly customerId: string | null;
  readonly key: string | null;
  readonly reason: string | null;
  readonly entries: readonly EntryDraft[];
  readonly holdId?: string;
  readonly reversesTransferId?: string;
}

function post(state: BatchState, ids: IdGenerator, draft: TransferDraft): Transfer {
  invariant(
    sumMinor(draft.entries.map((entry) => entry.amountMinor)) === 0n,
    `${draft.kind} transfer does not balance`,
  );
  invariant(draft.entries.length >= 2, `${draft.kind} transfer has fewer than two entries`);
  const transfer: Transfer = {
    id: ids.next("txn"),
    kind: draft.kind,
    customerId: draft.customerId,
    holdId: draft.holdId ?? null,
    reversesTransferId: draft.reversesTransferId ?? null,
    reason: draft.reason,
    idempotencyKey: draft.key,
    createdAtMs: state.nowMs,
    entries: draft.entries,
  };
  state.transfers.push(transfer);
  return transfer;
}

function drawViews(wallet: Wallet, draws: readonly Draw[]): DrawView[] {
  return draws.map((draw) => {
    const lot = wallet.lots.get(draw.lotId);
    invariant(lot !== undefined, `drawn lot ${draw.lotId} is missing`);
    return { lotId: draw.lotId, kind: lot.kind, amountMinor: draw.amountMinor };
  });
}

export function holdView(hold: Hold): HoldView {
  return {
    id: hold.id,
    customerId: hold.customerId,
    amountMinor: hold.amountMinor,
    capturedMinor: hold.capturedMinor,
    status: hold.status,
    createdAtMs: hold.createdAtMs,
    expiresAtMs: hold.expiresAtMs,
  };
}

export function walletAvailableMinor(wallet: Wallet, nowMs: number): bigint {
  return spendableMinor(wallet.lots.values(), nowMs);
}

function decideGrant(
  state: BatchState,
  command: GrantCommand,
  key: string | null,
  ids: IdGenerator,
): Decision {
  // Decided here, at the batch time, rather than when the request arrived: a retry of a grant whose
  // expiry has since passed must replay its first answer, which only the batch can look up. Checked
  // before the wallet is touched, so a refused grant books nothing (not even a due expiry).
  const startsMs = Math.max(command.effectiveAtMs ?? state.nowMs, state.nowMs);
  if (command.expiresAtMs !== null && command.expiresAtMs <= startsMs) {
    return rejected("invalid_request", "expiresAt must be later than now and than effectiveAt");
  }
  const wallet = walletFor(state, command.customerId, ids);
  if (wallet === null) return unknownCustomer(command.customerId);
  const lot: LotRecord = {
    id: ids.next("lot"),
    customerId: wallet.customerId,
    accountId: wallet.accountId,
    kind: command.kind,
    amountMinor: command.amountMinor,
    remainingMinor: 0n,
    heldMinor: 0n,
    priority: command.priority,
    effectiveAtMs: command.effectiveAtMs ?? state.nowMs,
    expiresAtMs: command.expiresAtMs,
    createdAtMs: state.nowMs,
    source: command.source,
    transferable: command.transferable,
    policyVersion: state.policyVersion,
    reason: command.reason,
  };
  wallet.lots.set(lot.id, lot);
  state.newLots.add(lot.id);
  applyToLot(state, wallet, lot.id, command.amountMinor);
  const transfer = post(state, ids, {
    kind: "grant",
    customerId: wallet.customerId,
    key,
    reason: command.reason,
    entries: [
      { accountId: ISSUER_BY_KIND[command.kind], lotId: null, amountMinor: -command.amountMinor },
      { accountId: wallet.accountId, lotId: lot.id, amountMinor: command.amountMinor },
    ],
  });
  return {
    ok: true,
    result: {
      type: "grant",
      transferId: transfer.id,
      lotId: lot.id,
      availableMinor: walletAvailableMinor(wallet, state.nowMs),
    },
  };
}

function insufficient(wallet: Wallet, nowMs: number, requestedMinor: bigint): Decision {
  const available = walletAvailableMinor(wallet, nowMs);
  return rejected("insufficient_credits", `${available} available, ${requestedMinor} requested`);
}

function decideConsume(
  state: BatchState,
  command: ConsumeCommand,
  key: string | null,
  ids: IdGenerator,
): Decision {
  const wallet = walletFor(state, command.customerId, ids);
  if (wallet === null) return unknownCustomer(command.customerId);
  const spent = spendCredits(state, wallet, command.amountMinor, { key, reason: command.reason }, ids);
  if (spent === null) return insufficient(wallet, state.nowMs, command.amountMinor);
  return {
    ok: true,
    result: {
      type: "consume",
      transferId: spent.transferId,
      amountMinor: command.amountMinor,
      draws: spent.draws,
      availableMinor: walletAvailableMinor(wallet, state.nowMs),
    },
  };
}

/**
 * Spend credits now in burn-down order, posting one consume transfer; null (and nothing changed)
 * when the live, unheld balance is short. Shared by consume and by usage paid in credits.
 */
export function spendCredits(
  state: BatchState,
  wallet: Wallet,
  amountMinor: bigint,
  labels: { readonly key: string | null; readonly reason: string | null },
  ids: IdGenerator,
): { transferId: string; draws: DrawView[] } | null {
  const draws = planDraws(wallet.lots.values(), amountMinor, state.nowMs);
  if (draws === null) return null;
  const entries: EntryDraft[] = draws.map((draw) => ({
    accountId: wallet.accountId,
    lotId: draw.lotId,
    amountMinor: -draw.amountMinor,
  }));
  entries.push({ accountId: SYSTEM_ACCOUNTS.consumption, lotId: null, amountMinor });
  for (const draw of draws) applyToLot(state, wallet, draw.lotId, -draw.amountMinor);
  const transfer = post(state, ids, {
    kind: "consume",
    customerId: wallet.customerId,
    key: labels.key,
    reason: labels.reason,
    entries,
  });
  return { transferId: transfer.id, draws: drawViews(wallet, draws) };
}

function decideHold(state: BatchState, command: HoldCommand, ids: IdGenerator): Decision {
  const wallet = walletFor(state, command.customerId, ids);
  if (wallet === null) return unknownCustomer(command.customerId);
  const draws = planDraws(wallet.lots.values(), command.amountMinor, state.nowMs);
  if (draws === null) return insufficient(wallet, state.nowMs, command.amountMinor);
  const hold: Hold = {
    id: ids.next("hld"),
    customerId: wallet.customerId,
    accountId: wallet.accountId,
    amountMinor: command.amountMinor,
    createdAtMs: state.nowMs,
    expiresAtMs: state.nowMs + command.ttlSeconds * 1000,
    allocations: draws,
    status: "pending",
    capturedMinor: 0n,
    resolvedAtMs: null,
    captureTransferId: null,
  };
  for (const draw of draws) {
    const lot = wallet.lots.get(draw.lotId);
    invariant(lot !== undefined, `held lot ${draw.lotId} is missing`);
    lot.heldMinor += draw.amountMinor;
    invariant(lot.heldMinor <= lot.remainingMinor, `lot ${lot.id} over-held`);
    state.dirtyLots.add(lot.id);
  }
  wallet.holds.set(hold.id, hold);
  state.newHolds.add(hold.id);
  return {
    ok: true,
    result: { type: "hold", hold: holdView(hold), availableMinor: walletAvailableMinor(wallet, state.nowMs) },
  };
}

/** Find a hold for capture or void; a hold of another customer is reported exactly like a missing one. */
function findHold(
  state: BatchState,
  holdId: string,
  customerId: string | null,
  ids: IdGenerator,
): { wallet: Wallet; hold: Hold } | Decision {
  const ownerId = state.holdOwners.get(holdId);
  const missing = rejected("not_found", `no hold ${holdId}`);
  if (ownerId === undefined || (customerId !== null && customerId !== ownerId)) return missing;
  const wallet = walletFor(state, ownerId, ids);
  const hold = wallet?.holds.get(holdId);
  if (wallet === null || hold === undefined) return missing;
  if (hold.status === "expired") return rejected("hold_expired", `hold ${holdId} expired and was released`);
  if (hold.status !== "pending")
    return rejected("hold_not_pending", `hold ${holdId} is already ${hold.status}`);
  return { wallet, hold };
}

function decideCapture(
  state: BatchState,
  command: CaptureCommand,
  key: string | null,
  ids: IdGenerator,
): Decision {
  const found = findHold(state, command.holdId, command.customerId, ids);
  if ("ok" in found) return found;
  const { wallet, hold } = found;
  const captureMinor = command.amountMinor ?? hold.amountMinor;
  if (captureMinor > hold.amountMinor) {
    return rejected(
      "invalid_request",
      `capture of ${captureMinor} exceeds hold ${hold.id} of ${hold.amountMinor}`,
    );
  }
  // Release the whole reservation, then draw the captured part from the reserved lots in their order:
  // the reservation guarantees those lots can pay, even one that expired while the work ran.
  releaseHold(state, wallet, hold, "captured");
  const draws: Draw[] = [];
  let leftMinor = captureMinor;
  for (const allocation of hold.allocations) {
    if (leftMinor === 0n) break;
    const take = minMinor(allocation.amountMinor, leftMinor);
    draws.push({ lotId: allocation.lotId, amountMinor: take });
    applyToLot(state, wallet, allocation.lotId, -take);
    leftMinor -= take;
  }
  invariant(leftMinor === 0n, `hold ${hold.id} allocations do not cover its amount`);
  const entries: EntryDraft[] = draws.map((draw) => ({
    accountId: wallet.accountId,
    lotId: draw.lotId,
    amountMinor: -draw.amountMinor,
  }));
  entries.push({ accountId: SYSTEM_ACCOUNTS.consumption, lotId: null, amountMinor: captureMinor });
  const transfer = post(state, ids, {
    kind: "capture",
    customerId: wallet.customerId,
    key,
    reason: null,
    holdId: hold.id,
    entries,
  });
  hold.capturedMinor = captureMinor;
  hold.captureTransferId = transfer.id;
  return {
    ok: true,
    result: {
      type: "capture",
      hold: holdView(hold),
      transferId: transfer.id,
      draws: drawViews(wallet, draws),
      availableMinor: walletAvailableMinor(wallet, state.nowMs),
    },
  };
}

function decideVoid(state: BatchState, command: VoidCommand, ids: IdGenerator): Decision {
  const found = findHold(state, command.holdId, command.customerId, ids);
  if ("ok" in found) return found;
  releaseHold(state, found.wallet, found.hold, "voided");
  return {
    ok: true,
    result: {
      type: "void",
      hold: holdView(found.hold),
      availableMinor: walletAvailableMinor(found.wallet, state.nowMs),
    },
  };
}

function decideReverse(
  state: BatchState,
  command: ReverseCommand,
  key: string | null,
  ids: IdGenerator,
): Decision {
  const original = state.postedTransfers.get(command.transferId);
  if (original === undefined) return rejected("not_found", `no transfer ${command.transferId}`);
  if (original.kind === "reverse") return rejected("not_reversible", `${original.id} is itself a reversal`);
  if (original.kind === "expire") {
    return rejected("not_reversible", `${original.id} booked an expiry; grant compensation instead`);
  }
  if (original.reversedBy !== null) {
    return rejected("already_reversed", `${original.id} was already reversed by ${original.reversedBy}`);
  }
  const wallet = original.customerId === null ? null : walletFor(state, original.customerId, ids);
  invariant(wallet !== null, `transfer ${original.id} has no loaded wallet`);
  const entries = original.entries.map((entry) => ({ ...entry, amountMinor: -entry.amountMinor }));
  for (const entry of entries) {
    if (entry.lotId === null) continue;
    const lot = wallet.lots.get(entry.lotId);
    invariant(lot !== undefined, `lot ${entry.lotId} of ${original.id} was not loaded`);
    if (availableMinor(lot) + entry.amountMinor < 0n) {
      return rejected(
        "insufficient_credits",
        `lot ${lot.id} has ${availableMinor(lot)} available, reversing ${original.id} needs ${-entry.amountMinor}`,
      );
    }
  }
  for (const entry of entries)
    if (entry.lotId !== null) applyToLot(state, wallet, entry.lotId, entry.amountMinor);
  const transfer = post(state, ids, {
    kind: "reverse",
    customerId: original.customerId,
    key,
    reason: command.reason,
    reversesTransferId: original.id,
    entries,
  });
  state.postedTransfers.set(original.id, { ...original, reversedBy: transfer.id });
  return { ok: true, result: { type: "reverse", transferId: transfer.id, reversesTransferId: original.id } };
}

function decideExpire(state: BatchState, command: ExpireCommand, ids: IdGenerator): Decision {
  const wallet = state.wallets.get(command.customerId);
  if (wallet === undefined) return unknownCustomer(command.customerId);
  state.touched.add(command.customerId);
  const { expiredMinor, released } = normalize(state, wallet, ids);
  return {
    ok: true,
    result: {
      type: "expire",
      expiredMinor,
      releasedHolds: released,
      availableMinor: walletAvailableMinor(wallet, state.nowMs),
    },
  };
}
