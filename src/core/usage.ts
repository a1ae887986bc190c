/**
 * Plans, rate cards and the usage decision: may this piece of work run, and who pays for it. Pure:
 * the engine loads window states and the wallet, calls `decideUsage`, and writes what it says (the
 * window charges, or a credit spend through the ledger decider in the same batch).
 *
 * A request is paid whole by one side: by the plan's windows when every window of every meter it
 * costs has room, otherwise by credits when the customer allows overflow and has enough. Splitting
 * one request across both would make its price depend on how full the windows happened to be.
 */

import { isKnownTimeZone } from "./calendar.js";
import { type Failure, fail, type Outcome, ok } from "./errors.js";
import {
  chargeWindow,
  EMPTY_WINDOW,
  type WindowSpec,
  type WindowState,
  type WindowView,
  windowAt,
} from "./windows.js";

/** A rolling window keeps at most this many buckets (its duration over its bucket size). */
export const ROLLING_BUCKETS_MAX = 1024;
export const WINDOW_SECONDS_MAX = 366 * 24 * 60 * 60;
export const USAGE_QUANTITY_MAX = 1_000_000;

export interface RateCardEntry {
  /** Units of each meter one unit of quantity costs. */
  readonly costs: Readonly<Record<string, bigint>>;
  /** What one unit of quantity costs in credits when the windows cannot pay. */
  readonly creditPriceMinor: bigint;
}

export interface Plan {
  readonly id: string;
  readonly version: number;
  readonly windows: readonly WindowSpec[];
  readonly rateCard: Readonly<Record<string, RateCardEntry>>;
  /** Below this many available credits the customer gets `credits.low_balance`; null for never. */
  readonly lowCreditsMinor: bigint | null;
}

export const windowId = (spec: Pick<WindowSpec, "meter" | "key">): string => `${spec.meter}/${spec.key}`;

/** What is wrong with one window on its own, or null. */
export function checkWindow(spec: WindowSpec): string | null {
  if (spec.allowanceUnits <= 0n) return `window ${windowId(spec)} needs a positive allowance`;
  if (spec.kind === "calendar") {
    return isKnownTimeZone(spec.timeZone)
      ? null
      : `window ${windowId(spec)} names an unknown time zone ${spec.timeZone}`;
  }
  if (
    !Number.isInteger(spec.durationSeconds) ||
    spec.durationSeconds < 1 ||
    spec.durationSeconds > WINDOW_SECONDS_MAX
  ) {
    return `window ${windowId(spec)} needs a duration of 1 to ${WINDOW_SECONDS_MAX} seconds`;
  }
  if (spec.kind === "rolling") {
    const { bucketSeconds, durationSeconds } = spec;
    if (!Number.isInteger(bucketSeconds) || bucketSeconds < 1 || durationSeconds % bucketSeconds !== 0) {
      return `window ${windowId(spec)} needs a bucket size that divides its duration`;
    }
    if (durationSeconds / bucketSeconds > ROLLING_BUCKETS_MAX) {
      return `window ${windowId(spec)} would keep more than ${ROLLING_BUCKETS_MAX} buckets`;
    }
  }
  return null;
}

/** Everything wrong with a plan, first problem first; null when it can be used. */
export function checkPlan(plan: Plan): Failure | null {
  const seen = new Set<string>();
  for (const spec of plan.windows) {
    const id = windowId(spec);
    if (seen.has(id))
      return { code: "invalid_request", message: `plan ${plan.id} defines window ${id} twice` };
    seen.add(id);
    const problem = checkWindow(spec);
    if (problem !== null) return { code: "invalid_request", message: `plan ${plan.id}: ${problem}` };
  }
  const meters = new Set(plan.windows.map((spec) => spec.meter));
  for (const [action, entry] of Object.entries(plan.rateCard)) {
    if (entry.creditPriceMinor < 0n)
      return { code: "invalid_request", message: `action ${action} has a negative price` };
    for (const [meter, units] of Object.entries(entry.costs)) {
      if (units < 0n)
        return { code: "invalid_request", message: `action ${action} has a negative cost in ${meter}` };
      if (!meters.has(meter))
        return { code: "invalid_request", message: `action ${action} costs ${meter}, which has no window` };
    }
  }
  return null;
}

export type UsageDecision =
  | {
      readonly ok: true;
      readonly paidBy: "windows";
      readonly states: ReadonlyMap<string, WindowState>;
      readonly charged: readonly { readonly windowId: string; readonly units: bigint }[];
      readonly views: ReadonlyMap<string, WindowView>;
    }
  | {
      readonly ok: true;
      readonly paidBy: "credits";
      readonly creditsMinor: bigint;
      readonly views: ReadonlyMap<string, WindowView>;
      /** The windows that lacked room, so credits paid. */
      readonly blocked: readonly string[];
    }
  | {
      readonly ok: false;
      readonly error: Failure;
      readonly blockedWindowId: string | null;
      readonly resetsAtMs: number | null;
      /** Every window that lacked room (empty for bad input). */
      readonly blocked: readonly string[];
    };

export interface UsageInput {
  readonly action: string;
  readonly quantity: number;
  readonly nowMs: number;
  readonly overflowAllowed: boolean;
  /** Credits the customer can spend now (live lots minus holds). */
  readonly availableMinor: bigint;
}

function costOf(plan: Plan, input: UsageInput): Outcome<RateCardEntry> {
  if (!Number.isSafeInteger(input.quantity) || input.quantity < 1 || input.quantity > USAGE_QUANTITY_MAX) {
    return fail("invalid_request", `quantity must be a whole number from 1 to ${USAGE_QUANTITY_MAX}`);
  }
  // Own properties only: an action named like an Object method must not find the inherited one.
  const entry = Object.hasOwn(plan.rateCard, input.action) ? plan.rateCard[input.action] : undefined;
  if (entry === undefined) {
    const known = Object.keys(plan.rateCard).sort().join(", ");
    return fail("unknown_action", `plan ${plan.id} has no action ${input.action} (it has: ${known})`);
  }
  return ok(entry);
}

export function decideUsage(
  plan: Plan,
  states: ReadonlyMap<string, WindowState>,
  input: UsageInput,
): UsageDecision {
  const entry = costOf(plan, input);
  if (!entry.ok)
    return { ok: false, error: entry.error, blockedWindowId: null, resetsAtMs: null, blocked: [] };
  const quantity = BigInt(input.quantity);
  const views = new Map(
    plan.windows.map((spec) => [
      windowId(spec),
      windowAt(spec, states.get(windowId(spec)) ?? EMPTY_WINDOW, input.nowMs),
    ]),
  );
  const needs = plan.windows.flatMap((spec) => {
    const costs = entry.value.costs;
    const units = (Object.hasOwn(costs, spec.meter) ? (costs[spec.meter] ?? 0n) : 0n) * quantity;
    return units > 0n ? [{ spec, units }] : [];
  });
  const blocked = needs.filter(
    ({ spec, units }) => (views.get(windowId(spec))?.remainingUnits ?? 0n) < units,
  );
  if (blocked.length === 0) {
    const next = new Map(states);
    for (const { spec, units } of needs) {
      next.set(
        windowId(spec),
        chargeWindow(spec, states.get(windowId(spec)) ?? EMPTY_WINDOW, input.nowMs, units),
      );
    }
    const charged = needs.map(({ spec, units }) => ({ windowId: windowId(spec), units }));
    const after = new Map(
      plan.windows.map((spec) => [
        windowId(spec),
        windowAt(spec, next.get(windowId(spec)) ?? EMPTY_WINDOW, input.nowMs),
      ]),
    );
    return { ok: true, paidBy: "windows", states: next, charged, views: after };
  }
  const blockedIds = blocked.map(({ spec }) => windowId(spec));
  const creditsMinor = entry.value.creditPriceMinor * quantity;
  if (input.overflowAllowed && input.availableMinor >= creditsMinor) {
    return { ok: true, paidBy: "credits", creditsMinor, views, blocked: blockedIds };
  }
  // The request fits again only once every blocking window has reset: name the one that resets last.
  const last = blocked.reduce((a, b) =>
    (views.get(windowId(b.spec))?.resetsAtMs ?? 0) > (views.get(windowId(a.spec))?.resetsAtMs ?? 0) ? b : a,
  );
  const lastId = windowId(last.spec);
  const resetsAtMs = views.get(lastId)?.resetsAtMs ?? null;
  if (input.overflowAllowed) {
    return {
      ok: false,
      error: {
        code: "insufficient_credits",
        message: `${input.availableMinor} available, ${creditsMinor} requested`,
      },
      blockedWindowId: lastId,
      resetsAtMs,
      blocked: blockedIds,
    };
  }
  const message =
    last.units > last.spec.allowanceUnits
      ? `${input.action} needs ${last.units} ${last.spec.meter} but window ${lastId} allows ${last.spec.allowanceUnits}`
      : `window ${lastId} is full${resetsAtMs === null ? "" : ` until ${new Date(resetsAtMs).toISOString()}`}`;
  return {
    ok: false,
    error: { code: "limit_reached", message },
    blockedWindowId: lastId,
    resetsAtMs,
    blocked: blockedIds,
  };
}
