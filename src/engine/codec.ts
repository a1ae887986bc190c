/**
 * Stored answers and request fingerprints are JSON; amounts are bigints. Bigints are tagged on the way
 * in (`{"$bigint": "123"}`) and revived on the way out, so a replayed answer is the same value the
 * first caller saw.
 */
import { createHash } from "node:crypto";

export function encodeJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner) =>
    typeof inner === "bigint" ? { $bigint: inner.toString() } : inner,
  );
}

function revive(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revive);
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && keys[0] === "$bigint" && typeof record.$bigint === "string")
    return BigInt(record.$bigint);
  // fromEntries defines own properties, so a key named "__proto__" stays data and never a prototype.
  return Object.fromEntries(keys.map((key) => [key, revive(record[key])]));
}

/** Revive a value a JSON column returned (already parsed by the driver) or a JSON string. */
export function decodeJson(value: unknown): unknown {
  return revive(typeof value === "string" ? JSON.parse(value) : value);
}

/** A stable fingerprint: the same request always hashes the same, whatever its key order. */
export function fingerprint(operation: string, value: unknown): string {
  return createHash("sha256")
    .update(operation)
    .update("\u0000")
    .update(encodeJson(sortKeys(value)))
    .digest("hex");
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, sortKeys(record[key])]),
  );
}
