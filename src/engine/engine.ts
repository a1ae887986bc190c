/**
 * The ledger's use cases. Every write is validated here, then goes through the group-commit batcher
 * with the client's idempotency key; reads go straight to the store.
 */
import { randomBytes } from "node:crypto";
import type { Clock } from "../core/clock.js";
import { type Failure, fail, type Outcome, ok } from "../core/errors.js";
import { createIdGenerator, type IdGenerator } from "../core/ids.js";
import { type Command, type CommandResult, type Decision, HOLD_TTL_SECONDS_MAX } from "../core/ledger.js";
import { DEFAULT_PRIORITY, type LotSource } from "../core/lots.js";
import { parseAmountMinor } from "../core/units.js";
import {
  type CustomerRecord,
  type CustomerUpsert,
  findCustomer,
  upsertCustomer,
} from "../store/customers-repo.js";
import { currentPolicyVersion } from "../store/ledger-repo.js";
import { customersWithDueWork } from "../store/read-repo.js";
import type { Store } from "../store/store.js";
import { BATCH_SIZE_MAX_DEFAULT, Batcher } from "./batcher.js";
import { fingerprint } from "./codec.js";
import { type LedgerRequest, processBatch } from "./process-batch.js";
import { type BalanceView, type LedgerPage, readBalance, readLedger } from "./reads.js";
import {
  checkAttributes,
  checkCustomerId,
  checkGrantableKind,
  checkId,
  checkKey,
  checkOptionalTimeMs,
  checkPriority,
  checkReason,
  checkText,
  checkWholeNumber,
  DISPLAY_NAME_LENGTH_MAX,
  EMAIL_LENGTH_MAX,
  PLAN_LENGTH_MAX,
} from "./validate.js";
import { type VerifyReport, verifyLedger } from "./verify.js";

export type ResultOf<T extends CommandResult["type"]> = Extract<CommandResult, { type: T }>;

export interface EngineOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly ids?: IdGenerator;
  /** Requests per transaction; 1 turns group commit off (the naive baseline of the benchmark). */
  readonly batchSizeMax?: number;
  /** Batches in flight at once; defaults to 1 on PGlite and 2 on a server. */
  readonly lanes?: number;
  readonly onBatch?: (size: number) => void;
}

type Amount = bigint | number | string;

export interface GrantInput {
  readonly customerId: string;
  readonly amountMinor: Amount;
  readonly kind: string;
  readonly priority?: number | undefined;
  readonly effectiveAtMs?: number | null | undefined;
  readonly expiresAtMs?: number | null | undefined;
  readonly transferable?: boolean | undefined;
  readonly source?: LotSource | undefined;
  readonly reason?: string | null | undefined;
  readonly idempotencyKey: string;
}

export interface ConsumeInput {
  readonly customerId: string;
  readonly amountMinor: Amount;
  readonly reason?: string | null | undefined;
  readonly idempotencyKey: string;
}

export interface HoldInput {
  readonly customerId: string;
  readonly amountMinor: Amount;
  readonly ttlSeconds: number;
  readonly idempotencyKey: string;
}

export interface CaptureInput {
  readonly holdId: string;
  readonly customerId?: string | undefined;
  readonly amountMinor?: Amount | undefined;
  readonly idempotencyKey: string;
}

export interface VoidInput {
  readonly holdId: string;
  readonly customerId?: string | undefined;
  readonly idempotencyKey: string;
}

export interface ReverseInput {
  readonly transferId: string;
  readonly reason?: string | null | undefined;
  readonly idempotencyKey: string;
}

export interface SweepReport {
  readonly customers: number;
  readonly expiredMinor: bigint;
  readonly releasedHolds: number;
}

export const SWEEP_PAGE_SIZE = 500;

export interface Engine {
  readonly store: Store;
  readonly clock: Clock;
  upsertCustomer(input: CustomerUpsert): Promise<Outcome<CustomerRecord>>;
  getCustomer(customerId: string): Promise<Outcome<CustomerRecord>>;
  grant(input: GrantInput): Promise<Outcome<ResultOf<"grant">>>;
  consume(input: ConsumeInput): Promise<Outcome<ResultOf<"consume">>>;
  hold(input: HoldInput): Promise<Outcome<ResultOf<"hold">>>;
  capture(input: CaptureInput): Promise<Outcome<ResultOf<"capture">>>;
  voidHold(input: VoidInput): Promise<Outcome<ResultOf<"void">>>;
  reverse(input: ReverseInput): Promise<Outcome<ResultOf<"reverse">>>;
  /** Book every due expiry and release every timed-out hold, customer by customer. */
  sweep(onProgress?: (done: number) => void): Promise<SweepReport>;
  balance(customerId: string, options?: { atMs?: number | undefined }): Promise<Outcome<BalanceView>>;
  ledger(
    customerId: string,
    options?: { limit?: number | undefined; cursor?: string | undefined },
  ): Promise<Outcome<LedgerPage>>;
  verify(onProgress?: (done: number, total: number, name: string) => void): Promise<VerifyReport>;
  /** Wait for queued and in-flight batches to finish. */
  drain(): Promise<void>;
}

function firstFailure(...outcomes: Outcome<unknown>[]): Failure | null {
  for (const outcome of outcomes) if (!outcome.ok) return outcome.error;
  return null;
}

function asOutcome<T extends CommandResult["type"]>(decision: Decision): Outcome<ResultOf<T>> {
  return decision.ok ? ok(decision.result as ResultOf<T>) : { ok: false, error: decision.error };
}

export async function createEngine(options: EngineOptions): Promise<Engine> {
  const { store, clock } = options;
  const ids = options.ids ?? createIdGenerator(pooledRandomBytes());
  const policyVersion = await currentPolicyVersion(store);
  const batcher = new Batcher<LedgerRequest, Decision>(
    (requests) =>
      processBatch({ store, nowMs: () => clock.nowMs(), ids, policyVersion: () => policyVersion }, requests),
    {
      batchSizeMax: options.batchSizeMax ?? BATCH_SIZE_MAX_DEFAULT,
      lanes: options.lanes ?? (store.kind === "pglite" ? 1 : 2),
      ...(options.onBatch === undefined ? {} : { onBatch: options.onBatch }),
    },
  );

  async function submit<T extends CommandResult["type"]>(
    command: Command,
    key: string | null,
    input: unknown,
  ): Promise<Outcome<ResultOf<T>>> {
    const hash = fingerprint(command.type, input);
    return asOutcome<T>(await batcher.submit({ command, key, hash }));
  }

  const engine: Engine = {
    store,
    clock,
    async upsertCustomer(input) {
      const problem = firstFailure(
        checkCustomerId(input.id),
        checkText(input.plan, "plan", PLAN_LENGTH_MAX),
        checkText(input.email, "email", EMAIL_LENGTH_MAX),
        checkText(input.displayName, "displayName", DISPLAY_NAME_LENGTH_MAX),
        checkOptionalTimeMs(input.signedUpAtMs, "signedUpAt"),
        checkOptionalTimeMs(input.lastActiveAtMs, "lastActiveAt"),
        checkAttributes(input.attributes),
      );
      if (problem !== null) return { ok: false, error: problem };
      const record = await store.transaction((tx) =>
        upsertCustomer(tx, input, ids.next("acc"), clock.nowMs()),
      );
      return ok(record);
    },
    async getCustomer(customerId) {
      const found = await findCustomer(store, customerId);
      return found === null ? fail("not_found", `no customer ${customerId}`) : ok(found);
    },
    async grant(input) {
      const amount = parseAmountMinor(input.amountMinor);
      const kind = checkGrantableKind(input.kind);
      const key = checkKey(input.idempotencyKey);
      const effective = checkOptionalTimeMs(input.effectiveAtMs, "effectiveAt");
      const expires = checkOptionalTimeMs(input.expiresAtMs, "expiresAt");
      const reason = checkReason(input.reason);
      const problem = firstFailure(
        checkCustomerId(input.customerId),
        amount,
        kind,
        key,
        effective,
        expires,
        reason,
      );
      if (
        problem !== null ||
        !amount.ok ||
        !kind.ok ||
        !key.ok ||
        !effective.ok ||
        !expires.ok ||
        !reason.ok
      ) {
        return { ok: false, error: problem ?? { code: "internal", message: "unreachable" } };
      }
      const priority = checkPriority(input.priority, DEFAULT_PRIORITY[kind.value]);
      if (!priority.ok) return priority;
      const transferable = input.transferable ?? false;
      if (kind.value === "purchased" && transferable) {
        return fail("not_transferable", "purchased credits are never transferable");
      }
      if (expires.value !== null && effective.value !== null && expires.value <= effective.value) {
        return fail("invalid_request", "expiresAt must be later than now and than effectiveAt");
      }
      const command: Command = {
        type: "grant",
        customerId: input.customerId,
        amountMinor: amount.value,
        kind: kind.value,
        priority: priority.value,
        effectiveAtMs: effective.value,
        expiresAtMs: expires.value,
        transferable,
        source: input.source ?? (kind.value === "purchased" ? "purchase" : "operator"),
        reason: reason.value,
      };
      return submit<"grant">(command, key.value, { ...command, effectiveAtMs: input.effectiveAtMs ?? null });
    },
    async consume(input) {
      const amount = parseAmountMinor(input.amountMinor);
      const key = checkKey(input.idempotencyKey);
      const reason = checkReason(input.reason);
      const problem = firstFailure(checkCustomerId(input.customerId), amount, key, reason);
      if (problem !== null || !amount.ok || !key.ok || !reason.ok)
        return { ok: false, error: problem ?? unreachable };
      const command: Command = {
        type: "consume",
        customerId: input.customerId,
        amountMinor: amount.value,
        reason: reason.value,
      };
      return submit<"consume">(command, key.value, command);
    },
    async hold(input) {
      const amount = parseAmountMinor(input.amountMinor);
      const key = checkKey(input.idempotencyKey);
      const ttl = checkWholeNumber(input.ttlSeconds, "ttlSeconds", 1, HOLD_TTL_SECONDS_MAX);
      const problem = firstFailure(checkCustomerId(input.customerId), amount, key, ttl);
      if (problem !== null || !amount.ok || !key.ok || !ttl.ok)
        return { ok: false, error: problem ?? unreachable };
      const command: Command = {
        type: "hold",
        customerId: input.customerId,
        amountMinor: amount.value,
        ttlSeconds: ttl.value,
      };
      return submit<"hold">(command, key.value, command);
    },
    async capture(input) {
      const amount = input.amountMinor === undefined ? ok(null) : parseAmountMinor(input.amountMinor);
      const key = checkKey(input.idempotencyKey);
      const customer = input.customerId === undefined ? ok(null) : checkCustomerId(input.customerId);
      const problem = firstFailure(checkId(input.holdId, "hld", "holdId"), amount, key, customer);
      if (problem !== null || !amount.ok || !key.ok || !customer.ok)
        return { ok: false, error: problem ?? unreachable };
      const command: Command = {
        type: "capture",
        holdId: input.holdId,
        customerId: customer.value,
        amountMinor: amount.value,
      };
      return submit<"capture">(command, key.value, command);
    },
    async voidHold(input) {
      const key = checkKey(input.idempotencyKey);
      const customer = input.customerId === undefined ? ok(null) : checkCustomerId(input.customerId);
      const problem = firstFailure(checkId(input.holdId, "hld", "holdId"), key, customer);
      if (problem !== null || !key.ok || !customer.ok) return { ok: false, error: problem ?? unreachable };
      const command: Command = { type: "void", holdId: input.holdId, customerId: customer.value };
      return submit<"void">(command, key.value, command);
    },
    async reverse(input) {
      const key = checkKey(input.idempotencyKey);
      const reason = checkReason(input.reason);
      const problem = firstFailure(checkId(input.transferId, "txn", "transferId"), key, reason);
      if (problem !== null || !key.ok || !reason.ok) return { ok: false, error: problem ?? unreachable };
      const command: Command = { type: "reverse", transferId: input.transferId, reason: reason.value };
      return submit<"reverse">(command, key.value, command);
    },
    async sweep(onProgress) {
      return sweepDue(
        store,
        clock,
        (customerId) => submit<"expire">({ type: "expire", customerId }, null, null),
        onProgress,
      );
    },
    balance: (customerId, options) => readBalance(store, clock, customerId, options?.atMs),
    ledger: (customerId, options) => readLedger(store, customerId, options?.limit, options?.cursor),
    verify: (onProgress) => verifyLedger(store, onProgress),
    drain: () => batcher.idle(),
  };
  return engine;
}

/** Random bytes drawn from a pool refilled 4 KiB at a time: one system call per ~500 ids, not per id. */
function pooledRandomBytes(): (size: number) => Uint8Array {
  const POOL_BYTES = 4096;
  let pool = randomBytes(POOL_BYTES);
  let offset = 0;
  return (size) => {
    if (offset + size > POOL_BYTES) {
      pool = randomBytes(POOL_BYTES);
      offset = 0;
    }
    offset += size;
    return pool.subarray(offset - size, offset);
  };
}

const unreachable: Failure = { code: "internal", message: "validation failed without a reason" };

async function sweepDue(
  store: Store,
  clock: Clock,
  expire: (customerId: string) => Promise<Outcome<ResultOf<"expire">>>,
  onProgress: ((done: number) => void) | undefined,
): Promise<SweepReport> {
  const atMs = clock.nowMs();
  let after: string | null = null;
  let customers = 0;
  let expiredMinor = 0n;
  let releasedHolds = 0;
  for (;;) {
    const page = await customersWithDueWork(store, atMs, after, SWEEP_PAGE_SIZE);
    if (page.length === 0) break;
    const results = await Promise.all(page.map(expire));
    for (const result of results) {
      if (!result.ok) continue;
      customers += 1;
      expiredMinor += result.value.expiredMinor;
      releasedHolds += result.value.releasedHolds;
    }
    onProgress?.(customers);
    after = page[page.length - 1] ?? null;
  }
  return { customers, expiredMinor, releasedHolds };
}
