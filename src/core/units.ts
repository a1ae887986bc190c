import { fail, type Outcome, ok } from "./errors.js";

/**
 * Credits are integers in minor units, held as `bigint` everywhere (never a float). One operation
 * moves at most a trillion minor units: large enough for any real grant, small enough that no sum of
 * a realistic ledger approaches the 64-bit column limit.
 */
export const AMOUNT_MINOR_MAX = 1_000_000_000_000n;

/** Parse an amount from untrusted input: a positive integer no larger than `AMOUNT_MINOR_MAX`. */
export function parseAmountMinor(input: unknown, field = "amount"): Outcome<bigint> {
  let value: bigint;
  if (typeof input === "bigint") {
    value = input;
  } else if (typeof input === "number") {
    if (!Number.isSafeInteger(input))
      return fail("invalid_request", `${field} must be a whole number of minor units, got ${input}`);
    value = BigInt(input);
  } else if (typeof input === "string" && /^-?\d{1,20}$/.test(input.trim())) {
    value = BigInt(input.trim());
  } else {
    return fail(
      "invalid_request",
      `${field} must be a whole number of minor units, got ${JSON.stringify(input)}`,
    );
  }
  if (value <= 0n) return fail("invalid_request", `${field} must be positive, got ${value}`);
  if (value > AMOUNT_MINOR_MAX)
    return fail("invalid_request", `${field} must be at most ${AMOUNT_MINOR_MAX}, got ${value}`);
  return ok(value);
}

export function sumMinor(values: Iterable<bigint>): bigint {
  let total = 0n;
  for (const value of values) total += value;
  return total;
}

export function minMinor(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
