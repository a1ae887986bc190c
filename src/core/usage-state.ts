/**
 * The usage side of a batch's state: each customer's plan terms, window states and banked reset
 * tokens as loaded, and what the batch changed (windows, tokens, charges, events). Plain data; the
 * rules live in usage-commands.ts and the write in the store.
 */
import type { Plan } from "./usage.js";
import type { WindowState } from "./windows.js";

export interface StoredWindow {
  state: WindowState;
  /** The resets-at of the period `usage.limit_reached` was last recorded for. */
  notifiedForMs: number | null;
}

export const RESET_SOURCES = ["operator", "program", "purchase"] as const;
export type ResetSource = (typeof RESET_SOURCES)[number];

export interface ResetToken {
  readonly id: string;
  readonly customerId: string;
  /** Window ids (`meter/key`) the token restarts; null restarts every window of the plan. */
  readonly scope: readonly string[] | null;
  readonly source: ResetSource;
  readonly reason: string | null;
  readonly grantedAtMs: number;
  readonly expiresAtMs: number;
  redeemedAtMs: number | null;
  readonly idempotencyKey: string | null;
}

/** What the batch knows about one customer beyond its wallet. */
export interface CustomerTerms {
  readonly customerId: string;
  readonly planId: string | null;
  /** The current version of the customer's plan; null when the plan is not defined. */
  readonly planVersion: number | null;
  readonly overflowAllowed: boolean;
  creditsLow: boolean;
  /** Loaded only for customers with a usage or reset command in the batch. */
  readonly windows: Map<string, StoredWindow>;
  /** The windows that had a stored row when the batch read them (a reset deletes the row). */
  readonly storedWindowIds: Set<string>;
  readonly tokens: Map<string, ResetToken>;
}

export interface UsageCharge {
  readonly id: string;
  readonly customerId: string;
  readonly planId: string;
  readonly planVersion: number;
  readonly action: string;
  readonly quantity: number;
  readonly paidBy: "windows" | "credits";
  readonly windowUnits: readonly { readonly windowId: string; readonly units: bigint }[];
  readonly creditsMinor: bigint;
  readonly transferId: string | null;
  readonly idempotencyKey: string | null;
  readonly createdAtMs: number;
}

export const EVENT_TYPES = [
  "usage.limit_reached",
  "credits.low_balance",
  "gift.created",
  "gift.claimed",
  "gift.expired",
  "gift.revoked",
  "referral.accepted",
  "referral.qualified",
  "referral.rewarded",
  "referral.reversed",
  "purchase.completed",
  "purchase.refunded",
  "purchase.disputed",
  "purchase.expired",
  "purchase.failed",
  "purchase.dispute_closed",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface EventDraft {
  readonly id: string;
  readonly customerId: string | null;
  readonly type: EventType;
  /** JSON-ready: amounts as decimal strings, times as ISO strings. */
  readonly payload: Readonly<Record<string, string | number | boolean | null>>;
  readonly createdAtMs: number;
}

export interface UsageBatch {
  readonly terms: Map<string, CustomerTerms>;
  /** Plan definitions by `planKey(id, version)`. */
  readonly plans: Map<string, Plan>;
  /** `customerId` then window id, for each window a command changed. */
  readonly dirtyWindows: Map<string, Set<string>>;
  readonly dirtyTerms: Set<string>;
  readonly newTokens: Set<string>;
  readonly dirtyTokens: Set<string>;
  readonly charges: UsageCharge[];
  readonly events: EventDraft[];
}

export const planKey = (id: string, version: number): string => `${id}@${version}`;

export function createUsageBatch(): UsageBatch {
  return {
    terms: new Map(),
    plans: new Map(),
    dirtyWindows: new Map(),
    dirtyTerms: new Set(),
    newTokens: new Set(),
    dirtyTokens: new Set(),
    charges: [],
    events: [],
  };
}
