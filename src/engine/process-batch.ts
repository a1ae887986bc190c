/**
 * One batch, one transaction: look up the idempotency keys while locking the wallets in id order,
 * load their open lots and holds, let core decide every request in memory, write the outcome and the
 * answers in one statement, and check what the database says against what was decided.
 *
 * Keys are stored optimistically with the answers, at the end. If a concurrent transaction committed
 * one of them first, the insert finds it, the whole batch rolls back and runs again, and the second
 * run replays the stored answer: a retry never applies twice, and the common case costs no extra
 * round trip.
 */

import { type BatchCommand, type BatchDecision, decideCommand } from "../core/batch.js";
import { invariant, UnavailableError } from "../core/errors.js";
import type { IdGenerator } from "../core/ids.js";
import { type BatchState, createBatchState, type Hold, type LotRecord, type Wallet } from "../core/ledger.js";
import { sumMinor } from "../core/units.js";
import type { Plan } from "../core/usage.js";
import { planKey } from "../core/usage-state.js";
import {
  findHoldOwners,
  loadHolds,
  loadIdempotencyRecords,
  loadLots,
  loadPostedTransfers,
  lockWallets,
  transferCustomers,
  writeBatch,
} from "../store/ledger-repo.js";
import { isRetryableConflict, isUnavailableError, type Queryable, type Store } from "../store/store.js";
import { loadPlanVersions, loadTokens, loadWindows, type UsageWrite } from "../store/usage-repo.js";
import { decodeJson, encodeJson } from "./codec.js";

export interface LedgerRequest {
  readonly command: BatchCommand;
  /** The client's idempotency key; null only for system work that is idempotent by nature (sweeps). */
  readonly key: string | null;
  /** Fingerprint of the operation and its input, compared when a key is reused. */
  readonly hash: string;
}

export interface BatchDeps {
  readonly store: Store;
  readonly nowMs: () => number;
  readonly ids: IdGenerator;
  readonly policyVersion: () => number;
  /** Plan versions already read: a version never changes, so it is read once per process. */
  readonly plans: Map<string, Plan>;
}

const TRANSACTION_ATTEMPTS_MAX = 3;

/** Raised inside a batch whose idempotency key was taken by a concurrent transaction. */
class KeyRaceError extends Error {
  override readonly name = "KeyRaceError";
}

/** Raised inside a batch when a bulk reset removed a window row the batch had read. */
class WindowRaceError extends Error {
  override readonly name = "WindowRaceError";
}

export async function processBatch(
  deps: BatchDeps,
  requests: readonly LedgerRequest[],
): Promise<BatchDecision[]> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const nowMs = deps.nowMs();
      return await deps.store.transaction((tx) => runBatch(deps, tx, nowMs, requests));
    } catch (error) {
      if (isUnavailableError(error))
        throw new UnavailableError("the database is unavailable", { cause: error });
      const retryable =
        isRetryableConflict(error) || error instanceof KeyRaceError || error instanceof WindowRaceError;
      if (!retryable || attempt >= TRANSACTION_ATTEMPTS_MAX) throw error;
    }
  }
}

const conflict = (key: string): BatchDecision => ({
  ok: false,
  error: {
    code: "idempotency_conflict",
    message: `idempotency key ${key} was already used for a different request`,
  },
});

/** The answer a key stands for, and the request it was given to. */
interface KeyTruth {
  readonly operation: string;
  readonly hash: string;
  readonly answer: BatchDecision;
}

async function runBatch(
  deps: BatchDeps,
  tx: Queryable,
  nowMs: number,
  requests: readonly LedgerRequest[],
): Promise<BatchDecision[]> {
  const firstIndexByKey = new Map<string, number>();
  requests.forEach((request, index) => {
    if (request.key !== null && !firstIndexByKey.has(request.key)) firstIndexByKey.set(request.key, index);
  });
  // Wallets are locked for every request, replays included: over-locking is harmless, and it lets the
  // key lookup and the lock travel together.
  const commands = requests.map((request) => request.command);
  const [records, state] = await Promise.all([
    loadIdempotencyRecords(tx, [...firstIndexByKey.keys()]),
    loadState(deps, tx, nowMs, commands),
  ]);
  const truths = new Map<string, KeyTruth>();
  for (const record of records) {
    const answer = decodeJson(record.response) as BatchDecision;
    truths.set(record.key, { operation: record.operation, hash: record.requestHash, answer });
  }
  const toRun = requests.flatMap((request, index) =>
    request.key === null || (!truths.has(request.key) && firstIndexByKey.get(request.key) === index)
      ? [index]
      : [],
  );
  const answers: (BatchDecision | undefined)[] = new Array(requests.length);
  const holdKeys = new Map<string, string>();
  for (const index of toRun) {
    const request = requests[index] as LedgerRequest;
    const decision = decideCommand(state, request.command, request.key, deps.ids);
    answers[index] = decision;
    if (request.key === null) continue;
    if (decision.ok && decision.result.type === "hold") holdKeys.set(decision.result.hold.id, request.key);
    truths.set(request.key, { operation: request.command.type, hash: request.hash, answer: decision });
  }
  answerRepeats(requests, answers, truths);
  const answered = toRun.flatMap((index) => {
    const { key, command, hash } = requests[index] as LedgerRequest;
    return key === null ? [] : [{ key, operation: command.type, requestHash: hash, answer: answers[index] }];
  });
  await writeState(deps, tx, state, holdKeys, answered);
  return answers.map((answer) => {
    invariant(answer !== undefined, "a request in the batch got no answer");
    return answer;
  });
}

/**
 * Each key stands for one request and its answer: the stored one, or else the first in this batch.
 * Every other request with that key gets that answer if it is the same request, a conflict if not.
 */
function answerRepeats(
  requests: readonly LedgerRequest[],
  answers: (BatchDecision | undefined)[],
  truths: ReadonlyMap<string, KeyTruth>,
): void {
  requests.forEach((request, index) => {
    if (request.key === null || answers[index] !== undefined) return;
    const truth = truths.get(request.key);
    invariant(truth !== undefined, `key ${request.key} has no answer`);
    const same = truth.operation === request.command.type && truth.hash === request.hash;
    answers[index] = same ? truth.answer : conflict(request.key);
  });
}

function customersOf(commands: readonly BatchCommand[]): Set<string> {
  const customers = new Set<string>();
  for (const command of commands) {
    if ("customerId" in command && command.customerId !== null) customers.add(command.customerId);
  }
  return customers;
}

async function loadState(deps: BatchDeps, tx: Queryable, nowMs: number, commands: readonly BatchCommand[]) {
  const state = createBatchState(nowMs, deps.policyVersion());
  const holdIds = commands.flatMap((c) => (c.type === "capture" || c.type === "void" ? [c.holdId] : []));
  const transferIds = commands.flatMap((c) => (c.type === "reverse" ? [c.transferId] : []));
  const customers = customersOf(commands.filter((c) => c.type !== "capture" && c.type !== "void"));
  for (const [holdId, ownerId] of await findHoldOwners(tx, holdIds)) {
    state.holdOwners.set(holdId, ownerId);
    customers.add(ownerId);
  }
  // A transfer's customer never changes, so it can be read before the lock; whether it was reversed
  // is read after, under the wallet lock that every reversal of it must also take.
  for (const customerId of await transferCustomers(tx, transferIds)) customers.add(customerId);
  const { wallets, terms } = await lockWallets(tx, [...customers].sort());
  for (const wallet of wallets) state.wallets.set(wallet.customerId, wallet);
  for (const customer of terms) state.usage.terms.set(customer.customerId, customer);
  const posted = await loadPostedTransfers(tx, transferIds);
  for (const transfer of posted) state.postedTransfers.set(transfer.id, transfer);
  const accountIds = wallets.map((wallet) => wallet.accountId);
  const extraLotIds = posted.flatMap((t) => t.entries.flatMap((e) => (e.lotId === null ? [] : [e.lotId])));
  const byAccount = new Map(wallets.map((wallet) => [wallet.accountId, wallet]));
  const [lots, holds] = await Promise.all([
    loadLots(tx, accountIds, extraLotIds),
    loadHolds(tx, accountIds, holdIds),
    loadUsage(deps, tx, state, commands),
  ]);
  for (const lot of lots) byAccount.get(lot.accountId)?.lots.set(lot.id, lot);
  for (const hold of holds) byAccount.get(hold.accountId)?.holds.set(hold.id, hold);
  for (const wallet of wallets) checkWalletMatchesLots(wallet, "loaded");
  return {
    ...state,
    loadedBalances: new Map(wallets.map((w) => [w.accountId, w.balanceMinor])),
    loadedCreditsLow: new Map(terms.map((t) => [t.customerId, t.creditsLow])),
  };
}

/**
 * Plans for every locked customer (the low-credit threshold applies to any spend), and window states
 * and reset tokens for the customers a usage command names.
 */
async function loadUsage(
  deps: BatchDeps,
  tx: Queryable,
  state: BatchState,
  commands: readonly BatchCommand[],
): Promise<void> {
  const usageCustomers = new Set<string>();
  const resetCustomers = new Set<string>();
  const tokenIds: string[] = [];
  for (const command of commands) {
    if (command.type === "authorize" || command.type === "redeem_reset")
      usageCustomers.add(command.customerId);
    if (command.type === "grant_reset" || command.type === "redeem_reset")
      resetCustomers.add(command.customerId);
    if (command.type === "redeem_reset" && command.tokenId !== null) tokenIds.push(command.tokenId);
  }
  const wanted = new Map<string, { id: string; version: number }>();
  for (const terms of state.usage.terms.values()) {
    if (terms.planId === null || terms.planVersion === null) continue;
    const key = planKey(terms.planId, terms.planVersion);
    if (!deps.plans.has(key)) wanted.set(key, { id: terms.planId, version: terms.planVersion });
  }
  const [plans, windows, tokens] = await Promise.all([
    loadPlanVersions(tx, [...wanted.values()]),
    loadWindows(tx, [...usageCustomers].sort()),
    loadTokens(tx, [...resetCustomers], tokenIds, state.nowMs),
  ]);
  for (const plan of plans) deps.plans.set(planKey(plan.id, plan.version), plan);
  for (const terms of state.usage.terms.values()) {
    if (terms.planId === null || terms.planVersion === null) continue;
    const key = planKey(terms.planId, terms.planVersion);
    const plan = deps.plans.get(key);
    invariant(plan !== undefined, `plan ${key} is named by a customer but could not be read`);
    state.usage.plans.set(key, plan);
  }
  for (const row of windows) {
    const terms = state.usage.terms.get(row.customerId);
    terms?.windows.set(row.windowId, row.stored);
    terms?.storedWindowIds.add(row.windowId);
  }
  for (const token of tokens) {
    // A named token of another customer is left out: to its caller it does not exist.
    state.usage.terms.get(token.customerId)?.tokens.set(token.id, token);
  }
}

/** A wallet's balance is the sum of its lots' remaining amounts (closed lots hold zero). */
function checkWalletMatchesLots(wallet: Wallet, when: string): void {
  const lotsMinor = sumMinor([...wallet.lots.values()].map((lot) => lot.remainingMinor));
  invariant(
    lotsMinor === wallet.balanceMinor,
    `wallet ${wallet.accountId} ${when}: balance ${wallet.balanceMinor} but its lots hold ${lotsMinor}`,
  );
}

function lotIndex(state: BatchState): Map<string, LotRecord> {
  const lots = new Map<string, LotRecord>();
  for (const wallet of state.wallets.values()) for (const lot of wallet.lots.values()) lots.set(lot.id, lot);
  return lots;
}

function holdIndex(state: BatchState): Map<string, Hold> {
  const holds = new Map<string, Hold>();
  for (const wallet of state.wallets.values())
    for (const hold of wallet.holds.values()) holds.set(hold.id, hold);
  return holds;
}

/** The usage rows a batch changed: windows, charges, tokens and events. */
function usageWrite(state: BatchState): UsageWrite {
  const { usage } = state;
  const windows = [...usage.dirtyWindows].flatMap(([customerId, windowIds]) =>
    [...windowIds].map((windowId) => {
      const stored = usage.terms.get(customerId)?.windows.get(windowId);
      invariant(stored !== undefined, `changed window ${customerId} ${windowId} is not in the batch`);
      return {
        customerId,
        windowId,
        stored,
        existed: usage.terms.get(customerId)?.storedWindowIds.has(windowId) ?? false,
      };
    }),
  );
  const tokens = new Map(
    [...usage.terms.values()].flatMap((terms) =>
      [...terms.tokens].map(([id, token]) => [id, token] as const),
    ),
  );
  const pickToken = (id: string) => {
    const token = tokens.get(id);
    invariant(token !== undefined, `changed reset token ${id} is not in the batch`);
    return token;
  };
  return {
    windows,
    charges: usage.charges,
    newTokens: [...usage.newTokens].map(pickToken),
    redeemedTokens: [...usage.dirtyTokens].filter((id) => !usage.newTokens.has(id)).map(pickToken),
    events: usage.events,
  };
}

async function writeState(
  deps: BatchDeps,
  tx: Queryable,
  state: BatchState & { loadedBalances: Map<string, bigint>; loadedCreditsLow: Map<string, boolean> },
  holdKeys: Map<string, string>,
  answered: readonly {
    key: string;
    operation: string;
    requestHash: string;
    answer: BatchDecision | undefined;
  }[],
): Promise<void> {
  const lots = lotIndex(state);
  const holds = holdIndex(state);
  const pick = <T>(index: Map<string, T>, id: string): T => {
    const found = index.get(id);
    invariant(found !== undefined, `changed row ${id} is not in the batch`);
    return found;
  };
  const walletDeltas: { accountId: string; deltaMinor: bigint; creditsLow: boolean | null }[] = [];
  for (const wallet of state.wallets.values()) {
    checkWalletMatchesLots(wallet, "decided");
    const before = state.loadedBalances.get(wallet.accountId) ?? 0n;
    const low = state.usage.terms.get(wallet.customerId)?.creditsLow;
    const lowChanged = low !== undefined && low !== state.loadedCreditsLow.get(wallet.customerId);
    if (wallet.balanceMinor !== before || lowChanged) {
      walletDeltas.push({
        accountId: wallet.accountId,
        deltaMinor: wallet.balanceMinor - before,
        creditsLow: lowChanged ? low : null,
      });
    }
  }
  const usage = usageWrite(state);
  const written = await writeBatch(
    tx,
    {
      transfers: state.transfers,
      newLots: [...state.newLots].map((id) => pick(lots, id)),
      changedLots: [...state.dirtyLots].filter((id) => !state.newLots.has(id)).map((id) => pick(lots, id)),
      newHolds: [...state.newHolds].map((id) => ({
        ...pick(holds, id),
        idempotencyKey: holdKeys.get(id) ?? null,
      })),
      changedHolds: [...state.dirtyHolds]
        .filter((id) => !state.newHolds.has(id))
        .map((id) => pick(holds, id)),
      walletDeltas,
      usage,
      answers: answered.map(({ key, operation, requestHash, answer }) => ({
        key,
        operation,
        requestHash,
        response: encodeJson(answer),
      })),
      nowMs: state.nowMs,
    },
    () => deps.ids.next("ent"),
  );
  // Another transaction committed one of these keys after this batch looked: roll back and run again,
  // and the retry replays that answer.
  if (written.answered !== answered.length) throw new KeyRaceError();
  // A bulk reset deleted a window row after this batch read it: run again on the reset window.
  if (written.windows !== usage.windows.length) throw new WindowRaceError();
  const balances = written.balances;
  for (const wallet of state.wallets.values()) {
    const stored = balances.get(wallet.accountId);
    if (stored === undefined) continue;
    invariant(
      stored === wallet.balanceMinor,
      `wallet ${wallet.accountId}: stored ${stored}, decided ${wallet.balanceMinor}`,
    );
  }
  invariant(balances.size === walletDeltas.length, "a wallet balance update did not land");
}
