/** Small helpers the engine suites share for reading outcomes and making distinct names. */
import type { ErrorCode, Outcome } from "../../src/core/errors.js";

/** A source of distinct names: `prefix-1`, `prefix-2`, ... */
export function counter(prefix: string): () => string {
  let count = 0;
  return () => {
    count += 1;
    return `${prefix}-${count}`;
  };
}

export function expectOk<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new Error(`expected success, got ${outcome.error.code}: ${outcome.error.message}`);
  return outcome.value;
}

export const codeOf = (outcome: Outcome<unknown>): ErrorCode | "ok" =>
  outcome.ok ? "ok" : outcome.error.code;
