/**
 * Idempotency for the writes that do not go through the group-commit batch (customers, plans, webhook
 * endpoints): the write and the record of its answer commit in one transaction, so a retry with the
 * same key and body replays the first answer, and the same key with another body is a conflict.
 */
import { fail, type Outcome } from "../core/errors.js";
import { insertIdempotencyRecord, loadIdempotencyRecords } from "../store/ledger-repo.js";
import type { Queryable, Store } from "../store/store.js";
import { decodeJson, encodeJson, fingerprint } from "./codec.js";

/** Two attempts suffice: the second always finds the record the racing transaction committed. */
const ONCE_ATTEMPTS_MAX = 3;

/** Raised inside the transaction to roll it back when a concurrent one took the key first. */
class KeyTakenError extends Error {}

export interface OnceRequest {
  readonly key: string;
  readonly operation: string;
  /** The request as the client gave it, for the fingerprint. */
  readonly body: unknown;
  readonly nowMs: number;
}

/** Whether a write with this key was already recorded (its answer is then replayed). */
export async function hasIdempotencyRecord(db: Queryable, key: string): Promise<boolean> {
  const [earlier] = await loadIdempotencyRecords(db, [key]);
  return earlier !== undefined;
}

export async function onceByKey<T>(
  store: Store,
  request: OnceRequest,
  work: (tx: Queryable) => Promise<Outcome<T>>,
): Promise<Outcome<T>> {
  const requestHash = fingerprint(request.operation, request.body);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await store.transaction(async (tx) => {
        const [earlier] = await loadIdempotencyRecords(tx, [request.key]);
        if (earlier !== undefined) {
          if (earlier.operation !== request.operation || earlier.requestHash !== requestHash)
            return fail(
              "idempotency_conflict",
              `idempotency key ${request.key} was already used for a different request`,
            );
          return decodeJson(earlier.response) as Outcome<T>;
        }
        const outcome = await work(tx);
        const record = { key: request.key, operation: request.operation, requestHash };
        if (!(await insertIdempotencyRecord(tx, { ...record, response: encodeJson(outcome) }, request.nowMs)))
          throw new KeyTakenError();
        return outcome;
      });
    } catch (error) {
      if (!(error instanceof KeyTakenError) || attempt >= ONCE_ATTEMPTS_MAX) throw error;
    }
  }
}
