/**
 * The engine's values on the wire. The engine speaks in bigint minor units and epoch milliseconds
 * with their units in the names (`amountMinor`, `usedUnits`, `expiresAtMs`); the public API speaks
 * JSON integers and ISO-8601 times (`amount`, `used`, `expiresAt`). One rule converts every answer,
 * so the names can't drift route by route.
 */
export type Wire = null | boolean | number | string | Wire[] | { [key: string]: Wire };

export function toWire(value: unknown): Wire {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return Number(value);
  if (typeof value !== "object") return value as Wire;
  if (Array.isArray(value)) return value.map(toWire);
  const out: { [key: string]: Wire } = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key.endsWith("AtMs")) {
      const name = key.slice(0, -2);
      out[name] = typeof inner === "number" ? new Date(inner).toISOString() : null;
    } else if (key.endsWith("Minor") || key.endsWith("Units")) {
      out[key.slice(0, -5)] = toWire(inner);
    } else if (key === "atMs") {
      out.at = typeof inner === "number" ? new Date(inner).toISOString() : null;
    } else {
      out[key] = toWire(inner);
    }
  }
  return out;
}

/** An ISO-8601 time from a request, in epoch milliseconds; undefined stays undefined. */
export function msOf(iso: string | null | undefined): number | null | undefined {
  if (iso === undefined || iso === null) return iso;
  return Date.parse(iso);
}
