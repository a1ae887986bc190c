/**
 * Customer tokens: short-lived, signed (HMAC-SHA256), scoped to one customer, for browser widgets
 * that act for exactly that customer. Stateless to check, so any API node can verify one; the signing
 * secret lives in the database (made on first use) so every node shares it.
 *
 * Format: `boon_ct_<payload>.<signature>`, both base64url; the payload is `{"c": customerId, "e":
 * expiresAtMs}`.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { type Outcome, ok } from "../core/errors.js";
import { ensureTokenSecret } from "../store/keys-repo.js";
import type { Store } from "../store/store.js";
import { checkCustomerId, checkWholeNumber } from "./validate.js";

export const CUSTOMER_TOKEN_PREFIX = "boon_ct_";
export const CUSTOMER_TOKEN_TTL_SECONDS_DEFAULT = 900;
export const CUSTOMER_TOKEN_TTL_SECONDS_MAX = 24 * 60 * 60;
export const CUSTOMER_TOKEN_LENGTH_MAX = 600;

export interface CustomerTokens {
  mint(
    customerId: string,
    ttlSeconds: number | undefined,
    nowMs: number,
  ): Outcome<{ token: string; expiresAtMs: number }>;
  /** The customer a token acts for, or null when it is malformed, forged or expired. */
  verify(token: string, nowMs: number): { customerId: string; expiresAtMs: number } | null;
}

/** The shared signing secret: read it, or make it once (the first node to insert wins). */
export async function loadTokenSecret(store: Store): Promise<Buffer> {
  return Buffer.from(await ensureTokenSecret(store, randomBytes(32).toString("base64url")), "base64url");
}

export function createCustomerTokens(secret: Buffer): CustomerTokens {
  const sign = (payload: string): string => createHmac("sha256", secret).update(payload).digest("base64url");
  return {
    mint(customerId, ttlSeconds, nowMs) {
      const id = checkCustomerId(customerId);
      if (!id.ok) return id;
      const ttl = checkWholeNumber(
        ttlSeconds ?? CUSTOMER_TOKEN_TTL_SECONDS_DEFAULT,
        "ttlSeconds",
        1,
        CUSTOMER_TOKEN_TTL_SECONDS_MAX,
      );
      if (!ttl.ok) return ttl;
      const expiresAtMs = nowMs + ttl.value * 1000;
      const payload = Buffer.from(JSON.stringify({ c: id.value, e: expiresAtMs })).toString("base64url");
      return ok({ token: `${CUSTOMER_TOKEN_PREFIX}${payload}.${sign(payload)}`, expiresAtMs });
    },
    verify(token, nowMs) {
      if (!token.startsWith(CUSTOMER_TOKEN_PREFIX) || token.length > CUSTOMER_TOKEN_LENGTH_MAX) return null;
      const [payload, signature, extra] = token.slice(CUSTOMER_TOKEN_PREFIX.length).split(".");
      if (payload === undefined || signature === undefined || extra !== undefined) return null;
      const expected = Buffer.from(sign(payload));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
      const claims = parseClaims(payload);
      if (claims === null || claims.e <= nowMs) return null;
      return { customerId: claims.c, expiresAtMs: claims.e };
    },
  };
}

function parseClaims(payload: string): { c: string; e: number } | null {
  try {
    const value = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
      c?: unknown;
      e?: unknown;
    };
    return typeof value.c === "string" && typeof value.e === "number" ? { c: value.c, e: value.e } : null;
  } catch {
    return null;
  }
}
