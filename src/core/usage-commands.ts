/**
 * The usage commands of a batch: authorize a piece of work (charging the plan's windows or, past
 * them, the wallet's credits in the same batch as any other ledger command), bank a reset token, and
 * redeem one. Pure like the ledger decider: loaded state in, changes recorded on the batch state.
 */
import type { Failure } from "./errors.js";
import { invariant } from "./errors.js";
import type { IdGenerator } from "./ids.js";
import {
  type BatchState,
  type DrawView,
  spendCredits,
  unknownCustomer,
  type Wallet,
  walletAvailableMinor,
  walletFor,
} from "./ledger.js";
import { decideUsage, type Plan, type UsageDecision, windowId } from "./usage.js";
import {
  type CustomerTerms,
  type EventDraft,
  type EventType,
  planKey,
  type ResetSource,
  type ResetToken,
  type StoredWindow,
} from "./usage-state.js";
import { EMPTY_WINDOW, resetWindow, type WindowKind, windowAt } from "./windows.js";

export const RESET_TTL_MS_DEFAULT = 30 * 24 * 60 * 60 * 1000;
export const RESET_TTL_MS_MAX = 366 * 24 * 60 * 60 * 1000;
/** Banked tokens one customer may hold at once: a bound on what a batch loads per customer. */
export const RESET_TOKENS_HELD_MAX = 100;

export type AuthorizeCommand = {
  readonly type: "authorize";
  readonly customerId: string;
  readonly action: string;
  readonly quantity: number;
};
export type GrantResetCommand = {
  readonly type: "grant_reset";
  readonly customerId: string;
  readonly scope: readonly string[] | null;
  readonly expiresAtMs: number | null;
  readonly source: ResetSource;
  readonly reason: string | null;
};
export type RedeemResetCommand = {
  readonly type: "redeem_reset";
  readonly customerId: string;
  /** A particular token, or null for the one that expires soonest. */
  readonly tokenId: string | null;
};
export type UsageCommand = AuthorizeCommand | GrantResetCommand | RedeemResetCommand;

export interface WindowLine {
  readonly windowId: string;
  readonly meter: string;
  readonly window: string;
  readonly kind: WindowKind;
  readonly usedUnits: bigint;
  readonly limitUnits: bigint;
  readonly remainingUnits: bigint;
  readonly resetsAtMs: number | null;
}

export interface ResetsSummary {
  readonly available: number;
  readonly nextExpiresAtMs: number | null;
}

export type UsageResult =
  | {
      readonly type: "authorize";
      readonly allowed: boolean;
      /** Why it was refused: `limit_reached` or `insufficient_credits`; null when allowed. */
      readonly code: "limit_reached" | "insufficient_credits" | null;
      readonly message: string | null;
      readonly chargeId: string | null;
      readonly planId: string;
      readonly planVersion: number;
      readonly paidBy: "windows" | "credits" | null;
      readonly charged: {
        readonly windows: readonly { readonly windowId: string; readonly units: bigint }[];
        readonly creditsMinor: bigint;
      };
      readonly transferId: string | null;
      readonly draws: readonly DrawView[];
      /** The window that must reset before a refused request fits, and when it does. */
      readonly blockedWindowId: string | null;
      readonly resetsAtMs: number | null;
      readonly windows: readonly WindowLine[];
      readonly credits: { readonly availableMinor: bigint };
    }
  | {
      readonly type: "grant_reset";
      readonly tokenId: string;
      readonly expiresAtMs: number;
      readonly resets: ResetsSummary;
    }
  | {
      readonly type: "redeem_reset";
      readonly tokenId: string;
      readonly windowIds: readonly string[];
      readonly windows: readonly WindowLine[];
      readonly resets: ResetsSummary;
    };

export type UsageDecisionResult =
  | { readonly ok: true; readonly result: UsageResult }
  | { readonly ok: false; readonly error: Failure };

const rejected = (code: Failure["code"], message: string): UsageDecisionResult => ({
  ok: false,
  error: { code, message },
});

type Found = { wallet: Wallet; terms: CustomerTerms; plan: Plan };

/** The wallet, terms and current plan of a customer, or the failure that stops a usage command. */
function customerPlan(state: BatchState, customerId: string, ids: IdGenerator): Found | UsageDecisionResult {
  const wallet = walletFor(state, customerId, ids);
  const terms = state.usage.terms.get(customerId);
  if (wallet === null || terms === undefined) return unknownCustomer(customerId) as UsageDecisionResult;
  if (terms.planId === null) return rejected("no_plan", `customer ${customerId} has no plan`);
  if (terms.planVersion === null) {
    return rejected("no_plan", `customer ${customerId} is on plan ${terms.planId}, which is not defined`);
  }
  const plan = state.usage.plans.get(planKey(terms.planId, terms.planVersion));
  invariant(plan !== undefined, `plan ${terms.planId} v${terms.planVersion} was not loaded`);
  return { wallet, terms, plan };
}

export function windowLines(plan: Plan, terms: CustomerTerms, nowMs: number): WindowLine[] {
  return plan.windows.map((spec) => {
    const id = windowId(spec);
    const view = windowAt(spec, terms.windows.get(id)?.state ?? EMPTY_WINDOW, nowMs);
    return {
      windowId: id,
      meter: spec.meter,
      window: spec.key,
      kind: spec.kind,
      usedUnits: view.usedUnits,
      limitUnits: view.limitUnits,
      remainingUnits: view.remainingUnits,
      resetsAtMs: view.resetsAtMs,
    };
  });
}

function setWindow(state: BatchState, terms: CustomerTerms, id: string, stored: StoredWindow): void {
  terms.windows.set(id, stored);
  let dirty = state.usage.dirtyWindows.get(terms.customerId);
  if (dirty === undefined) {
    dirty = new Set();
    state.usage.dirtyWindows.set(terms.customerId, dirty);
  }
  dirty.add(id);
}

function record(
  state: BatchState,
  ids: IdGenerator,
  customerId: string,
  type: EventType,
  payload: EventDraft["payload"],
): void {
  state.usage.events.push({ id: ids.next("evt"), customerId, type, payload, createdAtMs: state.nowMs });
}

const isoOrNull = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/**
 * Record `usage.limit_reached` for each window that lacked room, once per window period: a customer
 * hammering a full window makes one event, not one per refused request.
 */
function noteLimits(
  state: BatchState,
  ids: IdGenerator,
  found: Found,
  blocked: readonly string[],
  outcome: "refused" | "paid_by_credits",
  action: string,
): void {
  for (const line of windowLines(found.plan, found.terms, state.nowMs)) {
    if (!blocked.includes(line.windowId)) continue;
    const stored = found.terms.windows.get(line.windowId) ?? { state: EMPTY_WINDOW, notifiedForMs: null };
    // An unused window that still lacks room was asked for more than its whole allowance: that is a
    // request too big for the plan, not a limit the customer reached.
    if (line.resetsAtMs === null || stored.notifiedForMs === line.resetsAtMs) continue;
    setWindow(state, found.terms, line.windowId, { ...stored, notifiedForMs: line.resetsAtMs });
    record(state, ids, found.terms.customerId, "usage.limit_reached", {
      customerId: found.terms.customerId,
      windowId: line.windowId,
      usedUnits: line.usedUnits.toString(),
      limitUnits: line.limitUnits.toString(),
      resetsAt: isoOrNull(line.resetsAtMs),
      action,
      outcome,
    });
  }
}

export function decideAuthorize(
  state: BatchState,
  command: AuthorizeCommand,
  key: string | null,
  ids: IdGenerator,
): UsageDecisionResult {
  const found = customerPlan(state, command.customerId, ids);
  if ("ok" in found) return found;
  const { wallet, terms, plan } = found;
  const states = new Map([...terms.windows].map(([id, stored]) => [id, stored.state]));
  const usage = decideUsage(plan, states, {
    action: command.action,
    quantity: command.quantity,
    nowMs: state.nowMs,
    overflowAllowed: terms.overflowAllowed,
    availableMinor: walletAvailableMinor(wallet, state.nowMs),
  });
  const base = { type: "authorize" as const, planId: plan.id, planVersion: plan.version };
  if (!usage.ok) {
    if (usage.error.code !== "limit_reached" && usage.error.code !== "insufficient_credits") return usage;
    noteLimits(state, ids, found, usage.blocked, "refused", command.action);
    return answer(state, found, {
      ...base,
      allowed: false,
      code: usage.error.code,
      message: usage.error.message,
      blockedWindowId: usage.blockedWindowId,
      resetsAtMs: usage.resetsAtMs,
    });
  }
  const paid = pay(state, ids, found, usage, command, key);
  const charged = usage.paidBy === "windows" ? usage.charged : [];
  const chargeId = ids.next("chg");
  state.usage.charges.push({
    id: chargeId,
    customerId: terms.customerId,
    planId: plan.id,
    planVersion: plan.version,
    action: command.action,
    quantity: command.quantity,
    paidBy: usage.paidBy,
    windowUnits: charged,
    creditsMinor: paid.creditsMinor,
    transferId: paid.transferId,
    idempotencyKey: key,
    createdAtMs: state.nowMs,
  });
  return answer(state, found, {
    ...base,
    allowed: true,
    chargeId,
    paidBy: usage.paidBy,
    charged: { windows: charged, creditsMinor: paid.creditsMinor },
    transferId: paid.transferId,
    draws: paid.draws,
  });
}

/** Charge the windows the decision charged, or spend its price in credits as one consume transfer. */
function pay(
  state: BatchState,
  ids: IdGenerator,
  found: Found,
  usage: Extract<UsageDecision, { ok: true }>,
  command: AuthorizeCommand,
  key: string | null,
): { transferId: string | null; draws: readonly DrawView[]; creditsMinor: bigint } {
  if (usage.paidBy === "windows") {
    for (const [id, windowState] of usage.states) {
      const stored = found.terms.windows.get(id);
      if (stored?.state === windowState) continue;
      setWindow(state, found.terms, id, { state: windowState, notifiedForMs: stored?.notifiedForMs ?? null });
    }
    return { transferId: null, draws: [], creditsMinor: 0n };
  }
  noteLimits(state, ids, found, usage.blocked, "paid_by_credits", command.action);
  const reason = `usage: ${command.action} x${command.quantity}`;
  const spent = spendCredits(state, found.wallet, usage.creditsMinor, { key, reason }, ids);
  invariant(spent !== null, "credits that decideUsage counted could not be spent");
  return { ...spent, creditsMinor: usage.creditsMinor };
}

type AuthorizeResult = Extract<UsageResult, { type: "authorize" }>;

function answer(
  state: BatchState,
  found: Found,
  fields: Partial<AuthorizeResult> & Pick<AuthorizeResult, "type" | "allowed" | "planId" | "planVersion">,
): UsageDecisionResult {
  return {
    ok: true,
    result: {
      code: null,
      message: null,
      chargeId: null,
      paidBy: null,
      charged: { windows: [], creditsMinor: 0n },
      transferId: null,
      draws: [],
      blockedWindowId: null,
      resetsAtMs: null,
      ...fields,
      windows: windowLines(found.plan, found.terms, state.nowMs),
      credits: { availableMinor: walletAvailableMinor(found.wallet, state.nowMs) },
    },
  };
}

/** Tokens that can still be redeemed, soonest expiry first (then oldest, then id). */
export function liveTokens(tokens: Iterable<ResetToken>, nowMs: number): ResetToken[] {
  return [...tokens]
    .filter((token) => token.redeemedAtMs === null && nowMs < token.expiresAtMs)
    .sort(
      (a, b) =>
        a.expiresAtMs - b.expiresAtMs ||
        a.grantedAtMs - b.grantedAtMs ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
}

export function resetsSummary(tokens: Iterable<ResetToken>, nowMs: number): ResetsSummary {
  const live = liveTokens(tokens, nowMs);
  return { available: live.length, nextExpiresAtMs: live[0]?.expiresAtMs ?? null };
}

export function decideGrantReset(
  state: BatchState,
  command: GrantResetCommand,
  key: string | null,
  ids: IdGenerator,
): UsageDecisionResult {
  const expiresAtMs = command.expiresAtMs ?? state.nowMs + RESET_TTL_MS_DEFAULT;
  if (expiresAtMs <= state.nowMs) return rejected("invalid_request", "expiresAt must be later than now");
  if (expiresAtMs > state.nowMs + RESET_TTL_MS_MAX) {
    return rejected("invalid_request", `expiresAt must be within ${RESET_TTL_MS_MAX / 86_400_000} days`);
  }
  const wallet = walletFor(state, command.customerId, ids);
  const terms = state.usage.terms.get(command.customerId);
  if (wallet === null || terms === undefined)
    return unknownCustomer(command.customerId) as UsageDecisionResult;
  const problem = checkScope(state, terms, command.scope);
  if (problem !== null) return problem;
  if (liveTokens(terms.tokens.values(), state.nowMs).length >= RESET_TOKENS_HELD_MAX) {
    return rejected(
      "cap_exceeded",
      `customer ${terms.customerId} already holds ${RESET_TOKENS_HELD_MAX} resets`,
    );
  }
  const token: ResetToken = {
    id: ids.next("rst"),
    customerId: terms.customerId,
    scope: command.scope,
    source: command.source,
    reason: command.reason,
    grantedAtMs: state.nowMs,
    expiresAtMs,
    redeemedAtMs: null,
    idempotencyKey: key,
  };
  terms.tokens.set(token.id, token);
  state.usage.newTokens.add(token.id);
  return {
    ok: true,
    result: {
      type: "grant_reset",
      tokenId: token.id,
      expiresAtMs,
      resets: resetsSummary(terms.tokens.values(), state.nowMs),
    },
  };
}

/** A scope must name windows of the customer's plan, when it has one; every window is always fine. */
function checkScope(
  state: BatchState,
  terms: CustomerTerms,
  scope: readonly string[] | null,
): UsageDecisionResult | null {
  if (scope === null || terms.planId === null || terms.planVersion === null) return null;
  const plan = state.usage.plans.get(planKey(terms.planId, terms.planVersion));
  invariant(plan !== undefined, `plan ${terms.planId} v${terms.planVersion} was not loaded`);
  const known = new Set(plan.windows.map(windowId));
  const unknown = scope.filter((id) => !known.has(id));
  if (unknown.length === 0) return null;
  return rejected(
    "invalid_request",
    `plan ${plan.id} has no window ${unknown.join(", ")} (it has: ${[...known].join(", ")})`,
  );
}

export function decideRedeemReset(
  state: BatchState,
  command: RedeemResetCommand,
  ids: IdGenerator,
): UsageDecisionResult {
  const found = customerPlan(state, command.customerId, ids);
  if ("ok" in found) return found;
  const { terms, plan } = found;
  // A token whose windows the plan no longer has (the plan changed after it was granted) would
  // restart nothing: it is skipped when the customer lets Boon choose, refused when named.
  const coveredBy = (token: ResetToken) =>
    plan.windows.filter((spec) => token.scope === null || token.scope.includes(windowId(spec)));
  const usable = liveTokens(terms.tokens.values(), state.nowMs).filter((t) => coveredBy(t).length > 0);
  const token = command.tokenId === null ? usable[0] : usable.find((t) => t.id === command.tokenId);
  if (token === undefined)
    return rejected("reset_unavailable", whyUnavailable(terms, plan, command.tokenId, state.nowMs));
  token.redeemedAtMs = state.nowMs;
  state.usage.dirtyTokens.add(token.id);
  const covered = coveredBy(token);
  for (const spec of covered) {
    setWindow(state, terms, windowId(spec), { state: resetWindow(spec, state.nowMs), notifiedForMs: null });
  }
  return {
    ok: true,
    result: {
      type: "redeem_reset",
      tokenId: token.id,
      windowIds: covered.map(windowId),
      windows: windowLines(plan, terms, state.nowMs),
      resets: resetsSummary(terms.tokens.values(), state.nowMs),
    },
  };
}

function whyUnavailable(terms: CustomerTerms, plan: Plan, tokenId: string | null, nowMs: number): string {
  if (tokenId === null) return `customer ${terms.customerId} has no banked reset for plan ${plan.id}`;
  const named = terms.tokens.get(tokenId);
  if (named === undefined) return `customer ${terms.customerId} has no reset ${tokenId}`;
  if (named.redeemedAtMs !== null) return `reset ${named.id} was already redeemed`;
  if (named.expiresAtMs <= nowMs)
    return `reset ${named.id} expired at ${new Date(named.expiresAtMs).toISOString()}`;
  return `reset ${named.id} covers ${named.scope?.join(", ")}, which plan ${plan.id} no longer has`;
}

/**
 * Record `credits.low_balance` when a wallet's available credits fall below its plan's threshold, once
 * per crossing: the flag is cleared when the wallet climbs back to the threshold. A new wallet starts
 * flagged low, so a customer who never held that much is never told it is running out.
 */
export function checkLowCredits(state: BatchState, ids: IdGenerator): void {
  for (const customerId of state.touched) {
    const terms = state.usage.terms.get(customerId);
    const wallet = state.wallets.get(customerId);
    if (terms === undefined || wallet === undefined || terms.planVersion === null || terms.planId === null)
      continue;
    const plan = state.usage.plans.get(planKey(terms.planId, terms.planVersion));
    if (plan === undefined || plan.lowCreditsMinor === null) continue;
    const availableMinor = walletAvailableMinor(wallet, state.nowMs);
    const low = availableMinor < plan.lowCreditsMinor;
    if (low === terms.creditsLow) continue;
    terms.creditsLow = low;
    state.usage.dirtyTerms.add(customerId);
    if (!low) continue;
    record(state, ids, customerId, "credits.low_balance", {
      customerId,
      availableMinor: availableMinor.toString(),
      thresholdMinor: plan.lowCreditsMinor.toString(),
    });
  }
  state.touched.clear();
}
