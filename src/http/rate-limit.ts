/**
 * Token buckets per caller: each key, and each customer token's customer, gets `burst` requests at
 * once and `perSecond` more every second. In memory, per API node: a limit that protects one node
 * from one caller, not a global quota (that would need a shared store on the hot path).
 */
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import type { Clock } from "../core/clock.js";
import type { AppEnv } from "./app.js";
import { errorBody } from "./errors.js";

export interface RateLimit {
  readonly perSecond: number;
  readonly burst: number;
}

/** Server keys serve a whole product's backend; customer tokens one person's browser. */
export const RATE_LIMIT_KEY_DEFAULT: RateLimit = { perSecond: 2000, burst: 4000 };
export const RATE_LIMIT_CUSTOMER_DEFAULT: RateLimit = { perSecond: 5, burst: 20 };
/** Buckets kept before idle ones are dropped: bounds memory whatever the number of callers. */
export const RATE_BUCKETS_MAX = 100_000;

interface Bucket {
  tokens: number;
  updatedMs: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  constructor(private readonly clock: Clock) {}

  /** Take one request from the caller's bucket: 0 when allowed, else the seconds until one is. */
  take(caller: string, limit: RateLimit): number {
    const nowMs = this.clock.nowMs();
    let bucket = this.buckets.get(caller);
    if (bucket === undefined) {
      if (this.buckets.size >= RATE_BUCKETS_MAX) this.dropFull(nowMs, limit);
      bucket = { tokens: limit.burst, updatedMs: nowMs };
      this.buckets.set(caller, bucket);
    }
    const refilled = ((nowMs - bucket.updatedMs) / 1000) * limit.perSecond;
    bucket.tokens = Math.min(limit.burst, bucket.tokens + Math.max(0, refilled));
    bucket.updatedMs = nowMs;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / limit.perSecond));
  }

  /** Forget callers whose buckets have refilled: they would start full anyway. */
  private dropFull(nowMs: number, limit: RateLimit): void {
    for (const [caller, bucket] of this.buckets) {
      if (bucket.tokens + ((nowMs - bucket.updatedMs) / 1000) * limit.perSecond >= limit.burst)
        this.buckets.delete(caller);
    }
    if (this.buckets.size >= RATE_BUCKETS_MAX) this.buckets.clear();
  }
}

/**
 * Gift claims and invite acceptances are where codes could be guessed, so attempts are counted per
 * claiming customer and per client address on top of the caller's own limit, in token buckets sized
 * per minute; both kinds of code draw on the same buckets. The public previews of gifts and invites
 * have no caller to count, so they are counted per client address, also in one bucket.
 */
export const CLAIM_ATTEMPTS_PER_MINUTE_CUSTOMER = 10;
export const CLAIM_ATTEMPTS_PER_MINUTE_ADDRESS = 30;
export const GIFT_PREVIEWS_PER_MINUTE_ADDRESS = 60;

/** `count` at once, refilled evenly over a minute. */
export const perMinute = (count: number): RateLimit => ({ perSecond: count / 60, burst: count });

export const THROTTLE_NAMES = ["claimCustomer", "claimAddress", "previewAddress"] as const;
export type ThrottleName = (typeof THROTTLE_NAMES)[number];

export const THROTTLE_LIMITS_DEFAULT: Readonly<Record<ThrottleName, RateLimit>> = {
  claimCustomer: perMinute(CLAIM_ATTEMPTS_PER_MINUTE_CUSTOMER),
  claimAddress: perMinute(CLAIM_ATTEMPTS_PER_MINUTE_ADDRESS),
  previewAddress: perMinute(GIFT_PREVIEWS_PER_MINUTE_ADDRESS),
};

/**
 * One limiter per named limit: a limiter forgets idle buckets by its one limit's refill rate, so
 * buckets of different limits in one limiter could be forgotten too early.
 */
export class Throttles {
  private readonly limiters: Readonly<Record<ThrottleName, RateLimiter>>;

  constructor(
    clock: Clock,
    private readonly limits: Readonly<Record<ThrottleName, RateLimit>>,
  ) {
    this.limiters = {
      claimCustomer: new RateLimiter(clock),
      claimAddress: new RateLimiter(clock),
      previewAddress: new RateLimiter(clock),
    };
  }

  /** Take one attempt from `caller`'s bucket of the named limit: 0 when allowed, else seconds to wait. */
  take(name: ThrottleName, caller: string): number {
    return this.limiters[name].take(caller, this.limits[name]);
  }
}

/** The address of a request that came through no socket (in-process `app.request`, as in tests). */
export const CLIENT_ADDRESS_UNKNOWN = "unknown";

/** The peer address of the connection: the client's, or a proxy's when the API sits behind one. */
export function clientAddressOf(c: Context<AppEnv>): string {
  // The Node adapter passes the incoming message as the bindings; `app.request` passes none.
  const bindings = c.env as { incoming?: unknown; server?: { incoming?: unknown } } | undefined;
  if (bindings?.incoming === undefined && bindings?.server?.incoming === undefined)
    return CLIENT_ADDRESS_UNKNOWN;
  return getConnInfo(c).remote.address ?? CLIENT_ADDRESS_UNKNOWN;
}

/** The one 429 answer: `rate_limited` with Retry-After, in whole seconds. */
export function tooManyRequests(c: Context<AppEnv>, waitSeconds: number, what = "requests"): Response {
  c.header("Retry-After", String(waitSeconds));
  const message = `too many ${what}: retry in ${waitSeconds} s`;
  return c.json(errorBody({ code: "rate_limited", message }, c.get("requestId")), 429);
}

/** Take one attempt from each named bucket in turn; the first that is empty refuses the request. */
export function throttled(
  c: Context<AppEnv>,
  what: string,
  checks: readonly (readonly [ThrottleName, string])[],
): Response | null {
  const throttles = c.get("throttles");
  for (const [name, caller] of checks) {
    const waitSeconds = throttles.take(name, caller);
    if (waitSeconds > 0) return tooManyRequests(c, waitSeconds, what);
  }
  return null;
}

/**
 * The limit on the public previews (a gift's claim page, an invite's landing page): per client
 * address, shared by both, except for a server key, which is the host product's backend (one
 * address for all its users, under its own limit).
 */
export function previewThrottled(c: Context<AppEnv>, what: string): Response | null {
  if (c.get("principal")?.kind === "key") return null;
  return throttled(c, what, [["previewAddress", clientAddressOf(c)]]);
}
