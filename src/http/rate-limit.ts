/**
 * Token buckets per caller: each key, and each customer token's customer, gets `burst` requests at
 * once and `perSecond` more every second. In memory, per API node: a limit that protects one node
 * from one caller, not a global quota (that would need a shared store on the hot path).
 */
import type { Clock } from "../core/clock.js";

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
