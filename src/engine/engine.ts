/**
 * The ledger's use cases. Every write is validated (commands.ts), then goes through the group-commit
 * batcher with the client's idempotency key; reads go straight to the store.
 */
import { randomBytes } from "node:crypto";
import type { BatchDecision, BatchResult } from "../core/batch.js";
import type { Clock } from "../core/clock.js";
import { fail, type Outcome, ok } from "../core/errors.js";
import { createIdGenerator, type IdGenerator } from "../core/ids.js";
import type { Plan } from "../core/usage.js";
import {
  type CustomerRecord,
  type CustomerUpsert,
  findCustomer,
  upsertCustomer,
} from "../store/customers-repo.js";
import { currentPolicyVersion } from "../store/ledger-repo.js";
import { customersWithDueWork } from "../store/read-repo.js";
import type { Queryable, Store } from "../store/store.js";
import type { BulkResetRecord } from "../store/usage-repo.js";
import { BATCH_SIZE_MAX_DEFAULT, Batcher } from "./batcher.js";
import { fingerprint } from "./codec.js";
import {
  type CaptureInput,
  type ConsumeInput,
  checkCustomer,
  type GrantInput,
  type HoldInput,
  type ParsedCommand,
  parseCapture,
  parseConsume,
  parseGrant,
  parseHold,
  parseReverse,
  parseVoid,
  type ReverseInput,
  type VoidInput,
} from "./commands.js";
import { type CustomerPage, type CustomerQuery, listCustomers } from "./customer-search.js";
import { Gifts } from "./gifts.js";
import { Offers } from "./offers.js";
import { onceByKey } from "./once.js";
import { Payments } from "./payments.js";
import { type LedgerRequest, processBatch } from "./process-batch.js";
import { type BalanceView, type LedgerPage, readBalance, readLedger } from "./reads.js";
import { type SweepResult as ReferralSweep, Referrals } from "./referrals.js";
import { Reports } from "./reports.js";
import {
  type AllowanceView,
  bulkReset,
  listPlans,
  listPlanVersions,
  loadPlanFile,
  type PlanFileResult,
  type PlanView,
  readAllowance,
  readUsage,
  recentBulkResets,
  savePlan,
  type UsageView,
} from "./usage.js";
import {
  type AuthorizeInput,
  type BulkResetInput,
  type GrantResetInput,
  parseAuthorize,
  parseGrantReset,
  parseRedeemReset,
  type RedeemResetInput,
} from "./usage-inputs.js";
import { checkKey } from "./validate.js";
import { type VerifyReport, verifyLedger } from "./verify.js";

export type {
  AuthorizeInput,
  BulkResetInput,
  CaptureInput,
  ConsumeInput,
  GrantInput,
  GrantResetInput,
  HoldInput,
  RedeemResetInput,
  ReverseInput,
  VoidInput,
};

export type ResultOf<T extends BatchResult["type"]> = Extract<BatchResult, { type: T }>;

export interface EngineOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly ids?: IdGenerator;
  /** Requests per transaction; 1 turns group commit off (the naive baseline of the benchmark). */
  readonly batchSizeMax?: number;
  /** Batches in flight at once; defaults to 1 on PGlite and 2 on a server. */
  readonly lanes?: number;
  readonly onBatch?: (size: number, seconds: number) => void;
}

export interface SweepReport {
  readonly customers: number;
  readonly expiredMinor: bigint;
  readonly releasedHolds: number;
  /** Gifts whose claim window ended, their value returned to its source. */
  readonly expiredGifts: number;
  /** Referrals qualified by their invitee's first usage, and rewards granted or canceled (budget spent). */
  readonly referrals: ReferralSweep;
  /** Checkouts nobody paid whose sessions stopped taking payment: their purchases ended `expired`. */
  readonly expiredCheckouts: number;
}

export const SWEEP_PAGE_SIZE = 500;

export type BalanceAnswer = BalanceView & Partial<Pick<AllowanceView, "windows" | "resets">>;

export interface Engine {
  readonly store: Store;
  readonly clock: Clock;
  /** Gifting: programs, sending, claiming, revoking and expiry. */
  readonly gifts: Gifts;
  /** Referral programs: invites, attribution, qualification and rewards. */
  readonly referrals: Referrals;
  /** What a customer may do now on the Invite a friend and Gifts pages, beside what they did. */
  readonly offers: Offers;
  /** The operator's reports: liability, breakage, usage against limits, referral funnels. */
  readonly reports: Reports;
  /** Bundles and payments: the catalog, checkout, the provider's events, refunds, revenue. */
  readonly payments: Payments;
  /** The operator's customer list: a search, one page at a time, with each customer's credits. */
  listCustomers(query: CustomerQuery): Promise<Outcome<CustomerPage>>;
  /** Create or update a customer; with a key, a retry replays the first answer. */
  upsertCustomer(input: CustomerUpsert, idempotencyKey?: string): Promise<Outcome<CustomerRecord>>;
  getCustomer(customerId: string): Promise<Outcome<CustomerRecord>>;
  grant(input: GrantInput): Promise<Outcome<ResultOf<"grant">>>;
  /** A program's credit reward: kind `referral`, source `program`; never offered to clients directly. */
  grantProgramCredits(input: Omit<GrantInput, "kind" | "source">): Promise<Outcome<ResultOf<"grant">>>;
  consume(input: ConsumeInput): Promise<Outcome<ResultOf<"consume">>>;
  hold(input: HoldInput): Promise<Outcome<ResultOf<"hold">>>;
  capture(input: CaptureInput): Promise<Outcome<ResultOf<"capture">>>;
  voidHold(input: VoidInput): Promise<Outcome<ResultOf<"void">>>;
  reverse(input: ReverseInput): Promise<Outcome<ResultOf<"reverse">>>;
  /** Book every due expiry and release every timed-out hold, customer by customer. */
  sweep(onProgress?: (done: number) => void): Promise<SweepReport>;
  /** Credits and lots; for the present also the plan's windows and the banked resets. */
  balance(customerId: string, options?: { atMs?: number | undefined }): Promise<Outcome<BalanceAnswer>>;
  ledger(
    customerId: string,
    options?: { limit?: number | undefined; cursor?: string | undefined },
  ): Promise<Outcome<LedgerPage>>;
  verify(onProgress?: (done: number, total: number, name: string) => void): Promise<VerifyReport>;
  /** The hot path: may this work run, and who pays for it (the plan's windows, or credits). */
  authorize(input: AuthorizeInput): Promise<Outcome<ResultOf<"authorize">>>;
  grantReset(input: GrantResetInput): Promise<Outcome<ResultOf<"grant_reset">>>;
  redeemReset(input: RedeemResetInput): Promise<Outcome<ResultOf<"redeem_reset">>>;
  bulkReset(input: BulkResetInput): Promise<Outcome<BulkResetRecord>>;
  usage(
    customerId: string,
    options?: { limit?: number | undefined; cursor?: string | undefined },
  ): Promise<Outcome<UsageView>>;
  savePlan(
    planId: string,
    spec: unknown,
    idempotencyKey?: string,
  ): Promise<Outcome<{ plan: PlanView; created: boolean }>>;
  loadPlanFile(text: string, fileName: string): Promise<Outcome<PlanFileResult>>;
  listPlans(): Promise<PlanView[]>;
  planVersions(planId: string): Promise<Outcome<PlanView[]>>;
  bulkResets(limit: number): Promise<Outcome<BulkResetRecord[]>>;
  /** Wait for queued and in-flight batches to finish. */
  drain(): Promise<void>;
}

function asOutcome<T extends BatchResult["type"]>(decision: BatchDecision): Outcome<ResultOf<T>> {
  return decision.ok ? ok(decision.result as ResultOf<T>) : { ok: false, error: decision.error };
}

export async function createEngine(options: EngineOptions): Promise<Engine> {
  const { store, clock } = options;
  const ids = options.ids ?? createIdGenerator(pooledRandomBytes());
  const policyVersion = await currentPolicyVersion(store);
  const plans = new Map<string, Plan>();
  const batcher = new Batcher<LedgerRequest, BatchDecision>(
    (requests) =>
      processBatch(
        { store, nowMs: () => clock.nowMs(), ids, policyVersion: () => policyVersion, plans },
        requests,
      ),
    {
      batchSizeMax: options.batchSizeMax ?? BATCH_SIZE_MAX_DEFAULT,
      lanes: options.lanes ?? (store.kind === "pglite" ? 1 : 2),
      ...(options.onBatch === undefined ? {} : { onBatch: options.onBatch }),
    },
  );

  /** Validated commands go to the batcher, fingerprinted so a reused key can be checked. */
  async function submit<T extends BatchResult["type"]>(
    parsed: Outcome<ParsedCommand>,
  ): Promise<Outcome<ResultOf<T>>> {
    if (!parsed.ok) return parsed;
    const { command, key } = parsed.value;
    return asOutcome<T>(await batcher.submit({ command, key, hash: fingerprint(command.type, command) }));
  }

  const gifts = new Gifts(store, clock, ids);
  const payments = new Payments(store, clock, ids);
  const referrals = new Referrals(store, clock, ids, {
    async reset(input) {
      const { windows, expiresAtMs, ...rest } = input;
      const made = await submit<"grant_reset">(
        parseGrantReset({ ...rest, windows, expiresAtMs, source: "program" }),
      );
      return made.ok ? ok({ tokenId: made.value.tokenId }) : made;
    },
    async credits(input) {
      const made = await submit<"grant">(
        parseGrant({ ...input, kind: "referral", source: "program" }, ["referral"]),
      );
      return made.ok ? ok({ lotId: made.value.lotId }) : made;
    },
    async clawback(input) {
      const { idempotencyKey, ...command } = input;
      const made = await submit<"clawback">(
        ok({ command: { type: "clawback", ...command }, key: idempotencyKey }),
      );
      return made.ok ? ok({ recoveredMinor: made.value.recoveredMinor }) : made;
    },
  });
  const engine: Engine = {
    store,
    clock,
    gifts,
    referrals,
    offers: new Offers(store, clock, gifts, referrals),
    reports: new Reports(store, clock, referrals),
    payments,
    listCustomers: (query) => listCustomers(store, clock, query),
    async upsertCustomer(input, idempotencyKey) {
      const problem = checkCustomer(input);
      if (problem !== null) return { ok: false, error: problem };
      const nowMs = clock.nowMs();
      const write = async (tx: Queryable) => ok(await upsertCustomer(tx, input, ids.next("acc"), nowMs));
      if (idempotencyKey === undefined) return store.transaction(write);
      const key = checkKey(idempotencyKey);
      if (!key.ok) return key;
      return onceByKey(store, { key: key.value, operation: "upsert_customer", body: input, nowMs }, write);
    },
    async getCustomer(customerId) {
      const found = await findCustomer(store, customerId);
      return found === null ? fail("not_found", `no customer ${customerId}`) : ok(found);
    },
    grant: (input) => submit<"grant">(parseGrant(input)),
    grantProgramCredits: (input) =>
      submit<"grant">(parseGrant({ ...input, kind: "referral", source: "program" }, ["referral"])),
    consume: (input) => submit<"consume">(parseConsume(input)),
    hold: (input) => submit<"hold">(parseHold(input)),
    capture: (input) => submit<"capture">(parseCapture(input)),
    voidHold: (input) => submit<"void">(parseVoid(input)),
    reverse: (input) => submit<"reverse">(parseReverse(input)),
    async sweep(onProgress) {
      const ledger = await sweepDue(
        store,
        clock,
        (customerId) => submit<"expire">(ok({ command: { type: "expire", customerId }, key: null })),
        onProgress,
      );
      return {
        ...ledger,
        expiredGifts: await gifts.sweep(),
        referrals: await referrals.sweep(),
        expiredCheckouts: await payments.sweep(),
      };
    },
    async balance(customerId, options) {
      const atMs = options?.atMs;
      // Windows and resets are kept as they stand, not as a history, so a past instant has credits only.
      const present = atMs === undefined || atMs >= clock.nowMs();
      const [credits, allowance] = await Promise.all([
        readBalance(store, clock, customerId, atMs),
        present ? readAllowance(store, clock, customerId) : null,
      ]);
      if (!credits.ok || allowance === null) return credits;
      if (!allowance.ok) return allowance;
      const { windows, resets } = allowance.value;
      return ok({ ...credits.value, windows, resets });
    },
    ledger: (customerId, options) => readLedger(store, customerId, options?.limit, options?.cursor),
    verify: (onProgress) => verifyLedger(store, onProgress),
    authorize: (input) => submit<"authorize">(parseAuthorize(input)),
    grantReset: (input) => submit<"grant_reset">(parseGrantReset(input)),
    redeemReset: (input) => submit<"redeem_reset">(parseRedeemReset(input)),
    bulkReset: (input) => bulkReset(store, clock, ids, input),
    usage: (customerId, options) => readUsage(store, clock, customerId, options),
    savePlan: (planId, spec, idempotencyKey) => savePlan(store, clock, planId, spec, idempotencyKey),
    loadPlanFile: (text, fileName) => loadPlanFile(store, clock, text, fileName),
    listPlans: () => listPlans(store),
    planVersions: (planId) => listPlanVersions(store, planId),
    bulkResets: (limit) => recentBulkResets(store, limit),
    drain: () => batcher.idle(),
  };
  return engine;
}

/** The process's id generator: prefixed UUIDv7 from pooled random bytes. */
export function systemIds(): IdGenerator {
  return createIdGenerator(pooledRandomBytes());
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

async function sweepDue(
  store: Store,
  clock: Clock,
  expire: (customerId: string) => Promise<Outcome<ResultOf<"expire">>>,
  onProgress: ((done: number) => void) | undefined,
): Promise<Omit<SweepReport, "expiredGifts" | "referrals" | "expiredCheckouts">> {
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
