/**
 * Secret server keys for the HTTP API: created with a scope (`admin` or `server`), shown once, stored
 * as a SHA-256 hash (a key is 32 random bytes, so a fast hash is enough: there is nothing to guess),
 * revoked for good. An operator-provided `BOON_ADMIN_KEY` is accepted too, compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Clock } from "../core/clock.js";
import { fail, type Outcome, ok } from "../core/errors.js";
import type { IdGenerator } from "../core/ids.js";
import {
  type ApiKeyRecord,
  findKeyByHash,
  insertKey,
  KEY_SCOPES,
  type KeyScope,
  listKeys,
  revokeKey,
} from "../store/keys-repo.js";
import type { Store } from "../store/store.js";
import { checkText } from "./validate.js";

export const KEY_SECRET_PREFIX = "boon_sk_";
export const KEY_SECRET_LENGTH_MAX = 200;
export const KEY_NAME_LENGTH_MAX = 100;
/**
 * How long a key's lookup is remembered. Every request presents a key; reading it from the database
 * each time would put a query in front of every batch. The price: a revoked key keeps working on a
 * node for up to this long (revoking on the node that revokes takes effect at once).
 */
export const KEY_CACHE_TTL_MS = 5000;
export const KEY_CACHE_ENTRIES_MAX = 10_000;

export type { ApiKeyRecord, KeyScope };

/** In-memory admin keys are named `mem_` and the first 12 hex digits of their SHA-256: 48 bits, ample to tell a few apart. */
export const MEMORY_KEY_ID_PREFIX = "mem_";
const MEMORY_KEY_ID_HEX_DIGITS = 12;

const hashOf = (secret: string): string => createHash("sha256").update(secret).digest("hex");

export interface Keys {
  create(input: { name: string; scope: string }): Promise<Outcome<{ key: ApiKeyRecord; secret: string }>>;
  list(): Promise<ApiKeyRecord[]>;
  revoke(id: string): Promise<Outcome<ApiKeyRecord>>;
  /** The scope a presented secret grants, or null for an unknown, revoked or malformed one. */
  authenticate(secret: string): Promise<{ keyId: string; scope: KeyScope } | null>;
}

/**
 * `adminSecrets` are admin keys held in memory only: `BOON_ADMIN_KEY` for automation, and the demo
 * host's own key, made fresh at each start. Empty or missing ones are ignored.
 */
export function createKeys(
  store: Store,
  clock: Clock,
  ids: IdGenerator,
  adminSecrets: readonly (string | undefined)[] = [],
): Keys {
  const admins = adminSecrets
    .filter((secret): secret is string => secret !== undefined && secret !== "")
    .map((secret) => Buffer.from(hashOf(secret)));
  const cache = new Map<string, { found: { keyId: string; scope: KeyScope } | null; untilMs: number }>();
  return {
    async create(input) {
      const name = checkText(input.name, "name", KEY_NAME_LENGTH_MAX);
      if (!name.ok) return name;
      if (name.value === null || name.value.trim() === "") return fail("invalid_request", "name is required");
      if (!KEY_SCOPES.includes(input.scope as KeyScope))
        return fail("invalid_request", `scope must be one of ${KEY_SCOPES.join(", ")}`);
      const secret = `${KEY_SECRET_PREFIX}${randomBytes(32).toString("base64url")}`;
      const key = await insertKey(store, {
        id: ids.next("key"),
        name: name.value,
        scope: input.scope as KeyScope,
        secretHash: hashOf(secret),
        nowMs: clock.nowMs(),
      });
      return ok({ key, secret });
    },
    list: () => listKeys(store),
    async revoke(id) {
      const revoked = await revokeKey(store, id, clock.nowMs());
      cache.clear();
      return revoked === null ? fail("not_found", `no key ${id}`) : ok(revoked);
    },
    async authenticate(secret) {
      if (secret.length === 0 || secret.length > KEY_SECRET_LENGTH_MAX) return null;
      const hash = hashOf(secret);
      const presented = Buffer.from(hash);
      // Each in-memory key gets an id of its own (from its hash, never the secret), so two of them
      // (the operator's and the demo host's) keep separate rate-limit buckets and audit names.
      if (admins.some((admin) => timingSafeEqual(presented, admin)))
        return { keyId: `${MEMORY_KEY_ID_PREFIX}${hash.slice(0, MEMORY_KEY_ID_HEX_DIGITS)}`, scope: "admin" };
      if (!secret.startsWith(KEY_SECRET_PREFIX)) return null;
      const nowMs = clock.nowMs();
      const cached = cache.get(hash);
      if (cached !== undefined && cached.untilMs > nowMs) return cached.found;
      const row = await findKeyByHash(store, hash);
      const found = row === null ? null : { keyId: row.id, scope: row.scope };
      if (cache.size >= KEY_CACHE_ENTRIES_MAX) cache.clear();
      cache.set(hash, { found, untilMs: nowMs + KEY_CACHE_TTL_MS });
      return found;
    },
  };
}
