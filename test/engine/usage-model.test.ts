/**
 * Model-based test of usage authorization: random sequences of authorizations, credit grants,
 * overflow toggles, clock moves, banked resets, bulk resets and retries of any of these run against
 * the real engine and against a small model written here from the rules alone. The model keeps a log
 * of what each customer was charged and when windows were reset, and works out every window by
 * replaying that log; it keeps the wallet as a list of lots spent in burn-down order. After every step
 * the answer must agree with the model (allowed, who paid, refusal code, window lines, lots drawn,
 * credits left); after every clock move, every few steps, and at the end of each sequence, the usage
 * page and balance of every customer must agree too; after each sequence `verify` must find no
 * violation.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import type { ErrorCode, Outcome } from "../../src/core/errors.js";
import type { WindowLine } from "../../src/core/usage-commands.js";
import {
  type AuthorizeInput,
  createEngine,
  type Engine,
  type GrantInput,
  type GrantResetInput,
  type RedeemResetInput,
  type ResultOf,
} from "../../src/engine/engine.js";
import type { Store } from "../../src/store/store.js";
import type { BulkResetRecord } from "../../src/store/usage-repo.js";
import { backends } from "../support/backends.js";
import { counter, expectOk } from "../support/outcomes.js";

const CUSTOMERS_PER_RUN = 2;
const COMMANDS_MAX = 50;
/** Runs per backend; raise it (MODEL_RUNS=300) to search harder. */
const RUNS = Number(process.env.MODEL_RUNS ?? 40);
/** Generous for the default runs (well under a minute per backend); grows with MODEL_RUNS. */
const TEST_TIMEOUT_MS = 60_000 + RUNS * 3_000;
const START_MS = Date.UTC(2026, 5, 11, 9, 17); // a Thursday morning

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;
/** What a banked reset lives for when its grant names no expiry (the engine's documented default). */
const RESET_TTL_MS_DEFAULT = 30 * DAY_MS;
/** The usage page lists this many charges when asked for no particular page size. */
const CHARGES_PAGE_SIZE = 25;

// ---------------------------------------------------------------------------------------------------
// The plan, written twice: once in the written form the engine reads, once as the model's own table.
// Allowances are small so that sequences of a few dozen steps fill windows often.

const PLAN_SPEC = {
  meters: {
    messages: [
      { window: "5h", kind: "fixed", duration: "5h", allowance: 6 },
      {
        window: "weekly",
        kind: "calendar",
        unit: "week",
        timeZone: "UTC",
        weekStartsOn: "monday",
        allowance: 10,
      },
    ],
    tasks: [{ window: "2h", kind: "rolling", duration: "2h", bucket: "30m", allowance: 4 }],
  },
  actions: {
    message: { costs: { messages: 1 }, creditPriceMinor: 10 },
    task: { costs: { messages: 1, tasks: 1 }, creditPriceMinor: 25 },
    review: { costs: { tasks: 2 }, creditPriceMinor: 40 },
  },
};

type ModelWindow =
  | { readonly id: string; readonly meter: string; readonly allowance: number; readonly kind: "calendar" }
  | {
      readonly id: string;
      readonly meter: string;
      readonly allowance: number;
      readonly kind: "fixed";
      readonly durationMs: number;
    }
  | {
      readonly id: string;
      readonly meter: string;
      readonly allowance: number;
      readonly kind: "rolling";
      readonly durationMs: number;
      readonly bucketMs: number;
    };

const WINDOWS: readonly ModelWindow[] = [
  { id: "messages/5h", meter: "messages", allowance: 6, kind: "fixed", durationMs: 5 * HOUR_MS },
  { id: "messages/weekly", meter: "messages", allowance: 10, kind: "calendar" },
  {
    id: "tasks/2h",
    meter: "tasks",
    allowance: 4,
    kind: "rolling",
    durationMs: 2 * HOUR_MS,
    bucketMs: 30 * MINUTE_MS,
  },
];
const WINDOW_IDS = WINDOWS.map((w) => w.id);

interface ModelAction {
  readonly costs: Readonly<Record<string, number>>;
  readonly priceMinor: number;
}

const ACTIONS: Readonly<Record<string, ModelAction>> = {
  message: { costs: { messages: 1 }, priceMinor: 10 },
  task: { costs: { messages: 1, tasks: 1 }, priceMinor: 25 },
  // Three reviews cost 6 tasks, more than the rolling window ever allows: a request no window can pay.
  review: { costs: { tasks: 2 }, priceMinor: 40 },
};
const ACTION_NAMES = Object.keys(ACTIONS);

function actionOf(name: string): ModelAction {
  const action = ACTIONS[name];
  if (action === undefined) throw new Error(`the model has no action ${name}`);
  return action;
}

// ---------------------------------------------------------------------------------------------------
// The model: plain numbers (amounts stay far below 2^53), mutated in place by each step.

/** What happened to a customer's windows, in order: charges paid by the windows, and resets. */
type LogEntry =
  | { readonly type: "charge"; readonly atMs: number; readonly units: Readonly<Record<string, number>> }
  | { readonly type: "reset"; readonly atMs: number; readonly windowIds: readonly string[] };

type LotKind = "promotional" | "purchased";

interface ModelLot {
  /** Creation order. One engine (so one id generator) creates every lot, so this is also id order. */
  readonly seq: number;
  readonly id: string;
  readonly customer: number;
  readonly kind: LotKind;
  readonly priority: number;
  remaining: number;
  readonly expiresAtMs: number | null;
  readonly createdAtMs: number;
}

interface Allocation {
  readonly lot: ModelLot;
  readonly amount: number;
}

interface ModelToken {
  readonly seq: number;
  readonly id: string;
  readonly customer: number;
  /** The window ids it restarts, or null for every window of the plan. */
  readonly scope: readonly string[] | null;
  readonly grantedAtMs: number;
  readonly expiresAtMs: number;
  redeemed: boolean;
}

interface ModelCharge {
  readonly action: string;
  readonly quantity: number;
  readonly paidBy: "windows" | "credits";
  readonly creditsMinor: number;
}

interface ModelCustomer {
  overflowAllowed: boolean;
  readonly log: LogEntry[];
  /** Allowed charges, oldest first. */
  readonly charges: ModelCharge[];
  /**
   * Windows the engine keeps a stored row for: any window it charged, found full while in use, or
   * restarted by a banked reset, since the last bulk reset that covered it. A bulk reset reports how
   * many of these it restarted.
   */
  readonly stored: Set<string>;
}

type AuthorizeAnswer = ResultOf<"authorize">;

/** A keyed write as it was first sent, and the answer it got: what every retry must get again. */
type Sent =
  | { readonly method: "authorize"; readonly input: AuthorizeInput; readonly outcome: Outcome<unknown> }
  | { readonly method: "grant"; readonly input: GrantInput; readonly outcome: Outcome<unknown> }
  | { readonly method: "grantReset"; readonly input: GrantResetInput; readonly outcome: Outcome<unknown> }
  | { readonly method: "redeemReset"; readonly input: RedeemResetInput; readonly outcome: Outcome<unknown> };

interface BulkRequest {
  readonly plan?: string | undefined;
  readonly customerIds?: readonly string[] | undefined;
  readonly windows?: readonly string[] | undefined;
  readonly actor: string;
  readonly reason: string;
  readonly idempotencyKey: string;
}

interface Model {
  nowMs: number;
  readonly customers: ModelCustomer[];
  readonly lots: ModelLot[];
  readonly tokens: ModelToken[];
  readonly sent: Sent[];
  readonly bulkResets: { readonly request: BulkRequest; readonly record: BulkResetRecord }[];
  /** Steps since the usage pages were last compared with the model. */
  stepsSinceInspection: number;
}

interface Real {
  readonly engine: Engine;
  readonly clock: ManualClock;
  readonly planId: string;
  readonly customerIds: readonly string[];
  /** An id no customer has, for bulk resets that name someone unknown. */
  readonly strangerId: string;
}

function customerOf(m: Readonly<Model>, customer: number): ModelCustomer {
  const found = m.customers[customer];
  if (found === undefined) throw new Error(`no customer ${customer} in this run`);
  return found;
}

function customerIdOf(r: Real, customer: number): string {
  const id = r.customerIds[customer];
  if (id === undefined) throw new Error(`no customer ${customer} in this run`);
  return id;
}

function pickOf<T>(items: readonly T[], pick: number): T {
  const item = items[pick % items.length];
  if (item === undefined) throw new Error("picked from an empty list; check() should have refused");
  return item;
}

// --- Windows, by replaying the log ------------------------------------------------------------------

interface View {
  readonly used: number;
  readonly resetsAtMs: number | null;
}

const NOTHING_USED: View = { used: 0, resetsAtMs: null };

/** The entries that still count for a window: those after the last reset that covered it. */
function sinceReset(log: readonly LogEntry[], windowId: string): LogEntry[] {
  let from = 0;
  log.forEach((entry, index) => {
    if (entry.type === "reset" && entry.windowIds.includes(windowId)) from = index + 1;
  });
  return log.slice(from);
}

const unitsIn = (entry: LogEntry, windowId: string): number =>
  entry.type === "charge" ? (entry.units[windowId] ?? 0) : 0;

/** A fixed window starts at the first charge after the previous one ended, and lasts its duration. */
function fixedView(
  window: { id: string; durationMs: number },
  log: readonly LogEntry[],
  nowMs: number,
): View {
  let startMs: number | null = null;
  let used = 0;
  for (const entry of sinceReset(log, window.id)) {
    const units = unitsIn(entry, window.id);
    if (units === 0) continue;
    if (startMs === null || entry.atMs >= startMs + window.durationMs) {
      startMs = entry.atMs;
      used = units;
    } else {
      used += units;
    }
  }
  if (startMs === null || nowMs >= startMs + window.durationMs) return NOTHING_USED;
  return { used, resetsAtMs: startMs + window.durationMs };
}

/** Buckets are aligned to the epoch; a charge counts while its bucket is younger than the duration. */
function rollingView(
  window: { id: string; durationMs: number; bucketMs: number },
  log: readonly LogEntry[],
  nowMs: number,
): View {
  let used = 0;
  let oldestMs = Number.POSITIVE_INFINITY;
  for (const entry of sinceReset(log, window.id)) {
    const units = unitsIn(entry, window.id);
    const bucketMs = entry.atMs - (entry.atMs % window.bucketMs);
    if (units === 0 || bucketMs <= nowMs - window.durationMs) continue;
    used += units;
    oldestMs = Math.min(oldestMs, bucketMs);
  }
  return used === 0 ? NOTHING_USED : { used, resetsAtMs: oldestMs + window.durationMs };
}

/** Monday 00:00 UTC of the week holding `ms`. The epoch fell on a Thursday, three days after a Monday. */
function weekStartMs(ms: number): number {
  const day = Math.floor(ms / DAY_MS);
  return (day - ((day + 3) % 7)) * DAY_MS;
}

function calendarView(window: { id: string }, log: readonly LogEntry[], nowMs: number): View {
  const startMs = weekStartMs(nowMs);
  const used = sinceReset(log, window.id)
    .filter((entry) => entry.atMs >= startMs)
    .reduce((sum, entry) => sum + unitsIn(entry, window.id), 0);
  return used === 0 ? NOTHING_USED : { used, resetsAtMs: startMs + WEEK_MS };
}

function viewOf(window: ModelWindow, log: readonly LogEntry[], nowMs: number): View {
  switch (window.kind) {
    case "fixed":
      return fixedView(window, log, nowMs);
    case "rolling":
      return rollingView(window, log, nowMs);
    case "calendar":
      return calendarView(window, log, nowMs);
  }
}

/** Window lines as the model sees them, in window id order (the engine's order is not part of the rule). */
function modelLines(m: Model, customer: number) {
  const { log } = customerOf(m, customer);
  return WINDOWS.map((window) => {
    const view = viewOf(window, log, m.nowMs);
    return {
      windowId: window.id,
      meter: window.meter,
      kind: window.kind,
      usedUnits: BigInt(view.used),
      limitUnits: BigInt(window.allowance),
      remainingUnits: BigInt(Math.max(0, window.allowance - view.used)),
      resetsAtMs: view.resetsAtMs,
    };
  }).sort((a, b) => a.windowId.localeCompare(b.windowId));
}

function engineLines(lines: readonly WindowLine[]) {
  return lines
    .map(({ windowId, meter, kind, usedUnits, limitUnits, remainingUnits, resetsAtMs }) => ({
      windowId,
      meter,
      kind,
      usedUnits,
      limitUnits,
      remainingUnits,
      resetsAtMs,
    }))
    .sort((a, b) => a.windowId.localeCompare(b.windowId));
}

// --- Credits ----------------------------------------------------------------------------------------

const isLive = (lot: ModelLot, nowMs: number): boolean => lot.expiresAtMs === null || nowMs < lot.expiresAtMs;

/** Burn-down: lower priority, then sooner expiry (never last), then older, then created first. */
function burnDownOrder(a: ModelLot, b: ModelLot): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  const aExpires = a.expiresAtMs ?? Number.POSITIVE_INFINITY;
  const bExpires = b.expiresAtMs ?? Number.POSITIVE_INFINITY;
  if (aExpires !== bExpires) return aExpires < bExpires ? -1 : 1;
  if (a.createdAtMs !== b.createdAtMs) return a.createdAtMs - b.createdAtMs;
  return a.seq - b.seq;
}

function availableOf(m: Model, customer: number): number {
  return m.lots
    .filter((lot) => lot.customer === customer && isLive(lot, m.nowMs))
    .reduce((sum, lot) => sum + lot.remaining, 0);
}

/** The lots and amounts a spend takes, or null when the live credits fall short. */
function drawPlan(m: Model, customer: number, amount: number): Allocation[] | null {
  const candidates = m.lots
    .filter((lot) => lot.customer === customer && isLive(lot, m.nowMs) && lot.remaining > 0)
    .sort(burnDownOrder);
  const taken: Allocation[] = [];
  let left = amount;
  for (const lot of candidates) {
    if (left === 0) break;
    const take = Math.min(lot.remaining, left);
    taken.push({ lot, amount: take });
    left -= take;
  }
  return left === 0 ? taken : null;
}

// --- The usage rule ---------------------------------------------------------------------------------

type Decision =
  | { readonly paidBy: "windows"; readonly charged: Readonly<Record<string, number>> }
  | {
      readonly paidBy: "credits";
      readonly priceMinor: number;
      readonly draws: readonly Allocation[];
      readonly blocked: readonly string[];
      readonly views: ReadonlyMap<string, View>;
    }
  | {
      readonly paidBy: null;
      readonly code: "limit_reached" | "insufficient_credits";
      readonly blocked: readonly string[];
      readonly views: ReadonlyMap<string, View>;
    };

/**
 * Paid whole by the windows when every window of every meter the action costs has room; otherwise
 * whole by credits when overflow is allowed and the credits suffice; otherwise refused.
 */
function decide(m: Model, customer: number, actionName: string, quantity: number): Decision {
  const action = actionOf(actionName);
  const { log, overflowAllowed } = customerOf(m, customer);
  const views = new Map(WINDOWS.map((window) => [window.id, viewOf(window, log, m.nowMs)]));
  const needs = WINDOWS.flatMap((window) => {
    const units = (action.costs[window.meter] ?? 0) * quantity;
    return units > 0 ? [{ window, units }] : [];
  });
  const blocked = needs
    .filter(({ window, units }) => window.allowance - (views.get(window.id)?.used ?? 0) < units)
    .map(({ window }) => window.id);
  if (blocked.length === 0) {
    return { paidBy: "windows", charged: Object.fromEntries(needs.map((n) => [n.window.id, n.units])) };
  }
  const priceMinor = action.priceMinor * quantity;
  const draws = overflowAllowed ? drawPlan(m, customer, priceMinor) : null;
  if (draws !== null) return { paidBy: "credits", priceMinor, draws, blocked, views };
  return { paidBy: null, code: overflowAllowed ? "insufficient_credits" : "limit_reached", blocked, views };
}

/** What an authorize answer says, in a form the model can predict exactly. */
function authorizeSummary(answer: AuthorizeAnswer) {
  return {
    planVersion: answer.planVersion,
    allowed: answer.allowed,
    code: answer.code,
    paidBy: answer.paidBy,
    hasCharge: answer.chargeId !== null,
    hasTransfer: answer.transferId !== null,
    chargedWindows: [...answer.charged.windows].sort((a, b) => a.windowId.localeCompare(b.windowId)),
    chargedCreditsMinor: answer.charged.creditsMinor,
    draws: answer.draws,
    resetsAtMs: answer.resetsAtMs,
    windows: engineLines(answer.windows),
    availableMinor: answer.credits.availableMinor,
  };
}

/** Apply a decision to the model and say what the answer must be. */
function settleAuthorize(
  m: Model,
  customer: number,
  action: string,
  quantity: number,
  decision: Decision,
): { summary: ReturnType<typeof authorizeSummary>; blockedCandidates: readonly (string | null)[] } {
  const state = customerOf(m, customer);
  let chargedWindows: { windowId: string; units: bigint }[] = [];
  let creditsMinor = 0;
  let draws: { lotId: string; kind: LotKind; amountMinor: bigint }[] = [];
  let resetsAtMs: number | null = null;
  let blockedCandidates: (string | null)[] = [null];
  if (decision.paidBy === "windows") {
    state.log.push({ type: "charge", atMs: m.nowMs, units: decision.charged });
    chargedWindows = Object.entries(decision.charged)
      .map(([windowId, units]) => ({ windowId, units: BigInt(units) }))
      .sort((a, b) => a.windowId.localeCompare(b.windowId));
    for (const windowId of Object.keys(decision.charged)) state.stored.add(windowId);
  } else {
    // A full window in use is noted (once per period) as a reached limit, which stores it; a window
    // asked for more than its whole allowance while unused is a request too big for the plan, and
    // leaves nothing behind.
    for (const windowId of decision.blocked) {
      if ((decision.views.get(windowId)?.used ?? 0) > 0) state.stored.add(windowId);
    }
  }
  if (decision.paidBy === "credits") {
    for (const draw of decision.draws) draw.lot.remaining -= draw.amount;
    creditsMinor = decision.priceMinor;
    draws = decision.draws.map((d) => ({ lotId: d.lot.id, kind: d.lot.kind, amountMinor: BigInt(d.amount) }));
  }
  if (decision.paidBy === null) {
    // The refusal names the blocking window that frees room last; several may tie.
    const resets = decision.blocked.map((id) => decision.views.get(id)?.resetsAtMs ?? null);
    resetsAtMs = resets.reduce<number | null>((a, b) => (b !== null && (a === null || b > a) ? b : a), null);
    blockedCandidates = decision.blocked.filter((_, i) => resets[i] === resetsAtMs);
  } else {
    state.charges.push({ action, quantity, paidBy: decision.paidBy, creditsMinor });
  }
  const allowed = decision.paidBy !== null;
  return {
    summary: {
      planVersion: 1,
      allowed,
      code: decision.paidBy === null ? decision.code : null,
      paidBy: decision.paidBy,
      hasCharge: allowed,
      hasTransfer: decision.paidBy === "credits",
      chargedWindows,
      chargedCreditsMinor: BigInt(creditsMinor),
      draws,
      resetsAtMs,
      windows: modelLines(m, customer),
      availableMinor: BigInt(availableOf(m, customer)),
    },
    blockedCandidates,
  };
}

// --- Banked resets ----------------------------------------------------------------------------------

/** Tokens that can still be redeemed, soonest expiry first, then oldest, then first granted. */
function liveTokens(m: Model, customer: number): ModelToken[] {
  return m.tokens
    .filter((t) => t.customer === customer && !t.redeemed && m.nowMs < t.expiresAtMs)
    .sort((a, b) => a.expiresAtMs - b.expiresAtMs || a.grantedAtMs - b.grantedAtMs || a.seq - b.seq);
}

function resetsSummary(m: Model, customer: number) {
  const live = liveTokens(m, customer);
  return { available: live.length, nextExpiresAtMs: live[0]?.expiresAtMs ?? null };
}

/** Restart windows of a customer: they count nothing charged before now. */
function restart(m: Model, customer: number, windowIds: readonly string[]): void {
  const state = customerOf(m, customer);
  state.log.push({ type: "reset", atMs: m.nowMs, windowIds });
}

// ---------------------------------------------------------------------------------------------------
// Steps: one discriminated union, generated by fast-check and run by one command class.

type Action =
  | {
      readonly type: "authorize";
      readonly customer: number;
      readonly action: string;
      readonly quantity: number;
    }
  /** Send an earlier keyed write again: the same body, or (for authorize and grant) a changed one. */
  | { readonly type: "retry"; readonly pick: number; readonly sameBody: boolean }
  | {
      readonly type: "grant";
      readonly customer: number;
      readonly kind: LotKind;
      readonly amount: number;
      readonly priority: number | undefined;
      readonly expiresInMs: number | null;
    }
  | { readonly type: "toggleOverflow"; readonly customer: number }
  | { readonly type: "advance"; readonly ms: number }
  /** Move to just before, exactly onto, or just past an instant where a window or a lot changes. */
  | { readonly type: "advanceToEdge"; readonly pick: number; readonly nudgeMs: number }
  | {
      readonly type: "grantReset";
      readonly customer: number;
      readonly scope: string | null;
      readonly expiresInMs: number | null;
    }
  /** Redeem the soonest-expiring reset, or name one of the run's tokens (perhaps another's, or spent). */
  | { readonly type: "redeem"; readonly customer: number; readonly pick: number | null }
  | {
      readonly type: "bulkReset";
      readonly byPlan: boolean;
      readonly listed: readonly number[];
      readonly withStranger: boolean;
      readonly windows: readonly string[] | null;
    }
  | { readonly type: "retryBulk"; readonly pick: number }
  | { readonly type: "inspect" };

// The first customer is picked most, so its windows see long histories; the second mostly serves to
// show that bulk resets and named tokens keep to the customers they name.
const customerArb = fc.constantFrom(0, 0, 0, 1);

const authorizeArb = fc.record({
  type: fc.constant("authorize" as const),
  customer: customerArb,
  action: fc.constantFrom(...ACTION_NAMES),
  quantity: fc.integer({ min: 1, max: 3 }),
});
const retryArb = fc.record({
  type: fc.constant("retry" as const),
  pick: fc.nat(),
  sameBody: fc.constantFrom(true, true, true, false),
});
const grantArb = fc.oneof(
  fc.record({
    type: fc.constant("grant" as const),
    customer: customerArb,
    kind: fc.constant<LotKind>("promotional"),
    amount: fc.integer({ min: 5, max: 120 }),
    priority: fc.constantFrom(undefined, undefined, 5, 150),
    expiresInMs: fc.option(fc.integer({ min: 10 * MINUTE_MS, max: 3 * DAY_MS }), { nil: null }),
  }),
  fc.record({
    type: fc.constant("grant" as const),
    customer: customerArb,
    kind: fc.constant<LotKind>("purchased"),
    amount: fc.integer({ min: 5, max: 120 }),
    priority: fc.constant(undefined),
    expiresInMs: fc.constant(null),
  }),
);
const advanceArb = fc.record({
  type: fc.constant("advance" as const),
  ms: fc.oneof(
    fc.integer({ min: 1, max: 90 }).map((minutes) => minutes * MINUTE_MS),
    fc.integer({ min: 1 * 60, max: 12 * 60 }).map((minutes) => minutes * MINUTE_MS),
    fc.integer({ min: 1, max: 4 * 24 }).map((hours) => hours * HOUR_MS),
  ),
});
const grantResetArb = fc.record({
  type: fc.constant("grantReset" as const),
  customer: customerArb,
  scope: fc.option(fc.constantFrom(...WINDOW_IDS), { nil: null }),
  expiresInMs: fc.option(fc.integer({ min: 10 * MINUTE_MS, max: 4 * DAY_MS }), { nil: null }),
});
const bulkResetArb = fc.record({
  type: fc.constant("bulkReset" as const),
  byPlan: fc.boolean(),
  listed: fc.subarray([0, 1], { minLength: 1 }),
  withStranger: fc.boolean(),
  windows: fc.option(fc.subarray(WINDOW_IDS, { minLength: 1 }), { nil: null }),
});

// Authorizations are listed most often so windows fill up and overflow to credits; the other steps
// keep changing what they face, and come up often enough to meet full windows.
const actionArbs: fc.Arbitrary<Action>[] = [
  ...Array.from({ length: 8 }, () => authorizeArb),
  retryArb,
  retryArb,
  grantArb,
  grantArb,
  fc.record({ type: fc.constant("toggleOverflow" as const), customer: customerArb }),
  advanceArb,
  advanceArb,
  fc.record({
    type: fc.constant("advanceToEdge" as const),
    pick: fc.nat(),
    nudgeMs: fc.constantFrom(-1, 0, 0, 1),
  }),
  grantResetArb,
  grantResetArb,
  fc.record({
    type: fc.constant("redeem" as const),
    customer: customerArb,
    pick: fc.option(fc.nat(), { nil: null, freq: 3 }),
  }),
  bulkResetArb,
  fc.record({ type: fc.constant("retryBulk" as const), pick: fc.nat() }),
  fc.constant({ type: "inspect" as const }),
];

const nextKey = counter("usage-model-key");

function expectCode(outcome: Outcome<unknown>, code: ErrorCode): void {
  expect(outcome.ok ? "ok" : outcome.error.code).toBe(code);
  if (!outcome.ok) expect(outcome.error.message).not.toBe("");
}

async function runAuthorize(m: Model, r: Real, customer: number, action: string, quantity: number) {
  const input = { customerId: customerIdOf(r, customer), action, quantity, idempotencyKey: nextKey() };
  const outcome = await r.engine.authorize(input);
  m.sent.push({ method: "authorize", input, outcome });
  const expected = settleAuthorize(m, customer, action, quantity, decide(m, customer, action, quantity));
  const answer = expectOk(outcome);
  expect(authorizeSummary(answer)).toEqual(expected.summary);
  expect(answer.planId).toBe(r.planId);
  expect(expected.blockedCandidates).toContain(answer.blockedWindowId);
  expect(answer.message === null).toBe(answer.allowed);
}

function resend(r: Real, sent: Sent): Promise<Outcome<unknown>> {
  switch (sent.method) {
    case "authorize":
      return r.engine.authorize(sent.input);
    case "grant":
      return r.engine.grant(sent.input);
    case "grantReset":
      return r.engine.grantReset(sent.input);
    case "redeemReset":
      return r.engine.redeemReset(sent.input);
  }
}

/** The same key with another body: a different quantity to authorize, or amount to grant. */
function changedBody(sent: Sent): Sent | null {
  switch (sent.method) {
    case "authorize":
      return { ...sent, input: { ...sent.input, quantity: ((sent.input.quantity ?? 1) % 3) + 1 } };
    case "grant":
      return { ...sent, input: { ...sent.input, amountMinor: Number(sent.input.amountMinor) + 1 } };
    default:
      return null;
  }
}

/**
 * A retry returns the first answer, refusals included, however much has changed since, and changes
 * nothing (the next steps and inspections check that); the same key with another body is refused.
 */
async function runRetry(m: Model, r: Real, pick: number, sameBody: boolean): Promise<void> {
  const first = pickOf(m.sent, pick);
  const changed = sameBody ? null : changedBody(first);
  if (changed === null) expect(await resend(r, first)).toEqual(first.outcome);
  else expectCode(await resend(r, changed), "idempotency_conflict");
}

async function runGrant(m: Model, r: Real, a: Extract<Action, { type: "grant" }>): Promise<void> {
  const expiresAtMs = a.expiresInMs === null ? null : m.nowMs + a.expiresInMs;
  const input = {
    customerId: customerIdOf(r, a.customer),
    amountMinor: a.amount,
    kind: a.kind,
    priority: a.priority,
    expiresAtMs,
    idempotencyKey: nextKey(),
  };
  const outcome = await r.engine.grant(input);
  m.sent.push({ method: "grant", input, outcome });
  const value = expectOk(outcome);
  m.lots.push({
    seq: m.lots.length,
    id: value.lotId,
    customer: a.customer,
    kind: a.kind,
    priority: a.priority ?? (a.kind === "purchased" ? 100 : 10),
    remaining: a.amount,
    expiresAtMs,
    createdAtMs: m.nowMs,
  });
  expect(value.availableMinor).toBe(BigInt(availableOf(m, a.customer)));
}

async function runToggleOverflow(m: Model, r: Real, customer: number): Promise<void> {
  const state = customerOf(m, customer);
  state.overflowAllowed = !state.overflowAllowed;
  const record = expectOk(
    await r.engine.upsertCustomer({ id: customerIdOf(r, customer), overflowAllowed: state.overflowAllowed }),
  );
  // Fields left out of an update keep their values: the customer stays on the run's plan.
  expect({ plan: record.plan, overflowAllowed: record.overflowAllowed }).toEqual({
    plan: r.planId,
    overflowAllowed: state.overflowAllowed,
  });
}

async function runGrantReset(m: Model, r: Real, a: Extract<Action, { type: "grantReset" }>): Promise<void> {
  const requestedMs = a.expiresInMs === null ? null : m.nowMs + a.expiresInMs;
  const input = {
    customerId: customerIdOf(r, a.customer),
    windows: a.scope === null ? undefined : [a.scope],
    expiresAtMs: requestedMs,
    idempotencyKey: nextKey(),
  };
  const outcome = await r.engine.grantReset(input);
  m.sent.push({ method: "grantReset", input, outcome });
  const value = expectOk(outcome);
  const expiresAtMs = requestedMs ?? m.nowMs + RESET_TTL_MS_DEFAULT;
  m.tokens.push({
    seq: m.tokens.length,
    id: value.tokenId,
    customer: a.customer,
    scope: a.scope === null ? null : [a.scope],
    grantedAtMs: m.nowMs,
    expiresAtMs,
    redeemed: false,
  });
  expect({ expiresAtMs: value.expiresAtMs, resets: value.resets }).toEqual({
    expiresAtMs,
    resets: resetsSummary(m, a.customer),
  });
}

async function runRedeem(m: Model, r: Real, customer: number, pick: number | null): Promise<void> {
  const named = pick === null || m.tokens.length === 0 ? null : pickOf(m.tokens, pick);
  const input = { customerId: customerIdOf(r, customer), resetId: named?.id, idempotencyKey: nextKey() };
  const outcome = await r.engine.redeemReset(input);
  m.sent.push({ method: "redeemReset", input, outcome });
  const live = liveTokens(m, customer);
  // A named token of another customer, or one spent or expired, is as good as none.
  const token = named === null ? live[0] : live.find((t) => t === named);
  if (token === undefined) return expectCode(outcome, "reset_unavailable");
  const value = expectOk(outcome);
  token.redeemed = true;
  const covered = token.scope ?? WINDOW_IDS;
  restart(m, customer, covered);
  for (const windowId of covered) customerOf(m, customer).stored.add(windowId);
  expect({
    tokenId: value.tokenId,
    windowIds: [...value.windowIds].sort(),
    windows: engineLines(value.windows),
    resets: value.resets,
  }).toEqual({
    tokenId: token.id,
    windowIds: [...covered].sort(),
    windows: modelLines(m, customer),
    resets: resetsSummary(m, customer),
  });
  for (const line of value.windows) if (covered.includes(line.windowId)) expect(line.usedUnits).toBe(0n);
}

async function runBulkReset(m: Model, r: Real, a: Extract<Action, { type: "bulkReset" }>): Promise<void> {
  const listedIds = a.listed.map((customer) => customerIdOf(r, customer));
  const customerIds = a.withStranger ? [...listedIds, r.strangerId] : listedIds;
  const request: BulkRequest = {
    plan: a.byPlan ? r.planId : undefined,
    customerIds: a.byPlan ? undefined : customerIds,
    windows: a.windows ?? undefined,
    actor: "ops@example.com",
    reason: "model incident",
    idempotencyKey: nextKey(),
  };
  const record = expectOk(await r.engine.bulkReset(request));
  m.bulkResets.push({ request, record });
  const inScope = a.byPlan ? m.customers.map((_, customer) => customer) : a.listed;
  const windowIds = a.windows ?? WINDOW_IDS;
  let restarted = 0;
  for (const customer of inScope) {
    const { stored } = customerOf(m, customer);
    for (const windowId of windowIds) if (stored.delete(windowId)) restarted += 1;
    restart(m, customer, windowIds);
  }
  expect(record).toMatchObject({
    actor: "ops@example.com",
    reason: "model incident",
    planId: a.byPlan ? r.planId : null,
    customerIds: a.byPlan ? null : [...customerIds].sort(),
    windowIds: a.windows === null ? null : [...a.windows].sort(),
    customers: inScope.length,
    windows: restarted,
    createdAtMs: m.nowMs,
  });
}

/** A bulk reset sent again with its key returns the first record and restarts nothing. */
async function runRetryBulk(m: Model, r: Real, pick: number): Promise<void> {
  const first = pickOf(m.bulkResets, pick);
  expect(await r.engine.bulkReset(first.request)).toEqual({ ok: true, value: first.record });
}

/** Instants where something changes: window ends, buckets leaving, the week's end, lot and reset expiries. */
function edges(m: Model): number[] {
  const instants = new Set<number>([weekStartMs(m.nowMs) + WEEK_MS]);
  for (const { log } of m.customers) {
    for (const window of WINDOWS) {
      const { resetsAtMs } = viewOf(window, log, m.nowMs);
      if (resetsAtMs !== null) instants.add(resetsAtMs);
      if (window.kind !== "rolling") continue;
      for (const entry of log) {
        if (unitsIn(entry, window.id) > 0)
          instants.add(entry.atMs - (entry.atMs % window.bucketMs) + window.durationMs);
      }
    }
  }
  for (const lot of m.lots) if (lot.expiresAtMs !== null) instants.add(lot.expiresAtMs);
  for (const token of m.tokens) instants.add(token.expiresAtMs);
  return [...instants].filter((ms) => ms > m.nowMs + 1).sort((a, b) => a - b);
}

/**
 * Move the clock, then look at once: the instant a move lands on (a window's end, a lot's expiry) is
 * the one most worth checking, and the next step may move on from it.
 */
async function advance(m: Model, r: Real, ms: number): Promise<void> {
  m.nowMs += ms;
  r.clock.advanceMs(ms);
  await inspect(m, r);
}

/** The usage page and balance of every customer of the run, compared with the model. */
async function inspect(m: Model, r: Real): Promise<void> {
  m.stepsSinceInspection = 0;
  for (const [customer, state] of m.customers.entries()) {
    const customerId = customerIdOf(r, customer);
    const usage = expectOk(await r.engine.usage(customerId));
    const balance = expectOk(await r.engine.balance(customerId));
    const live = liveTokens(m, customer);
    expect({
      customer,
      planId: usage.planId,
      planVersion: usage.planVersion,
      overflowAllowed: usage.overflowAllowed,
      windows: engineLines(usage.windows),
      resets: { available: usage.resets.available, nextExpiresAtMs: usage.resets.nextExpiresAtMs },
      tokens: usage.resets.tokens.map((t) => ({ id: t.id, scope: t.scope, expiresAtMs: t.expiresAtMs })),
      charges: usage.charges.map((c) => ({
        action: c.action,
        quantity: c.quantity,
        paidBy: c.paidBy,
        creditsMinor: c.creditsMinor,
      })),
      availableMinor: balance.availableMinor,
    }).toEqual({
      customer,
      planId: r.planId,
      planVersion: 1,
      overflowAllowed: state.overflowAllowed,
      windows: modelLines(m, customer),
      resets: resetsSummary(m, customer),
      tokens: live.map((t) => ({ id: t.id, scope: t.scope, expiresAtMs: t.expiresAtMs })),
      charges: state.charges
        .slice(-CHARGES_PAGE_SIZE)
        .reverse()
        .map((c) => ({ ...c, creditsMinor: BigInt(c.creditsMinor) })),
      availableMinor: BigInt(availableOf(m, customer)),
    });
  }
}

async function runAction(m: Model, r: Real, a: Action): Promise<void> {
  switch (a.type) {
    case "authorize":
      return runAuthorize(m, r, a.customer, a.action, a.quantity);
    case "retry":
      return runRetry(m, r, a.pick, a.sameBody);
    case "grant":
      return runGrant(m, r, a);
    case "toggleOverflow":
      return runToggleOverflow(m, r, a.customer);
    case "advance":
      return advance(m, r, a.ms);
    case "advanceToEdge": {
      const upcoming = edges(m);
      return advance(m, r, upcoming.length === 0 ? 0 : pickOf(upcoming, a.pick) + a.nudgeMs - m.nowMs);
    }
    case "grantReset":
      return runGrantReset(m, r, a);
    case "redeem":
      return runRedeem(m, r, a.customer, a.pick);
    case "bulkReset":
      return runBulkReset(m, r, a);
    case "retryBulk":
      return runRetryBulk(m, r, a.pick);
    case "inspect":
      return inspect(m, r);
  }
}

/** Usage pages are compared at least this often, besides the steps that ask for it. */
const INSPECT_EVERY_STEPS = 5;

class Step implements fc.AsyncCommand<Model, Real> {
  constructor(readonly action: Action) {}

  check(m: Readonly<Model>): boolean {
    if (this.action.type === "retry") return m.sent.length > 0;
    if (this.action.type === "retryBulk") return m.bulkResets.length > 0;
    return true;
  }

  async run(m: Model, r: Real): Promise<void> {
    await runAction(m, r, this.action);
    m.stepsSinceInspection += 1;
    if (m.stepsSinceInspection >= INSPECT_EVERY_STEPS) await inspect(m, r);
  }

  toString(): string {
    return JSON.stringify(this.action);
  }
}

const stepsArb = fc.commands(
  actionArbs.map((arb) => arb.map((action) => new Step(action))),
  { maxCommands: COMMANDS_MAX, size: "max" },
);

// Each customer starts with overflow allowed or not, and perhaps some credit to overflow into.
const openingArb = fc.array(
  fc.record({ overflowAllowed: fc.boolean(), creditsMinor: fc.option(fc.integer({ min: 10, max: 300 })) }),
  { minLength: CUSTOMERS_PER_RUN, maxLength: CUSTOMERS_PER_RUN },
);
type Opening = { readonly overflowAllowed: boolean; readonly creditsMinor: number | null }[];

for (const backend of backends()) {
  describe(`usage model on ${backend.name}`, () => {
    let store: Store;
    let engine: Engine;
    const clock = new ManualClock(START_MS);
    let runSeq = 0;

    beforeAll(async () => {
      store = await backend.open();
      engine = await createEngine({ store, clock });
    });
    afterAll(async () => {
      await store.close();
      await backend.cleanup();
    });

    // One store serves every run; each run gets a plan and customers of its own, so a bulk reset of
    // the plan reaches this run's customers only, and runs never see each other.
    async function setup(opening: Opening): Promise<{ model: Model; real: Real }> {
      runSeq += 1;
      const planId = `usage-model-${runSeq}`;
      expect(expectOk(await engine.savePlan(planId, PLAN_SPEC)).plan.version).toBe(1);
      const customerIds = opening.map((_, i) => `usage-model-${runSeq}-${i}`);
      const model: Model = {
        nowMs: clock.nowMs(),
        customers: [],
        lots: [],
        tokens: [],
        sent: [],
        bulkResets: [],
        stepsSinceInspection: 0,
      };
      const real: Real = { engine, clock, planId, customerIds, strangerId: `usage-model-${runSeq}-nobody` };
      for (const [customer, { overflowAllowed, creditsMinor }] of opening.entries()) {
        const id = customerIdOf(real, customer);
        expectOk(await engine.upsertCustomer({ id, plan: planId, overflowAllowed }));
        model.customers.push({ overflowAllowed, log: [], charges: [], stored: new Set() });
        if (creditsMinor === null) continue;
        await runGrant(model, real, {
          type: "grant",
          customer,
          kind: "purchased",
          amount: creditsMinor,
          priority: undefined,
          expiresInMs: null,
        });
      }
      return { model, real };
    }

    it(
      "agrees with the model after every step and verifies clean",
      async () => {
        await fc.assert(
          fc.asyncProperty(openingArb, stepsArb, async (opening, steps) => {
            const runs: { model: Model; real: Real }[] = [];
            await fc.asyncModelRun(async () => {
              runs.push(await setup(opening));
              return pickOf(runs, runs.length - 1);
            }, steps);
            const { model, real } = pickOf(runs, runs.length - 1);
            await inspect(model, real);
            expect((await engine.verify()).firstViolation).toBeNull();
          }),
          { numRuns: RUNS },
        );
      },
      TEST_TIMEOUT_MS,
    );
  });
}
