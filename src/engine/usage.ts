/**
 * The usage use cases that do not go through the group-commit batcher: plans (versioned
 * configuration), the usage page a product shows its users, and the operator's bulk reset.
 */
import type { Clock } from "../core/clock.js";
import { fail, type Outcome, ok } from "../core/errors.js";
import type { IdGenerator } from "../core/ids.js";
import { JsonSyntaxError, type JsonValue, parseLocatedJson } from "../core/json-lines.js";
import { PlanSpecError, readPlanFile, readPlanSpec, writePlanSpec } from "../core/plan-spec.js";
import type { Plan } from "../core/usage.js";
import { type ResetsSummary, resetsSummary, type WindowLine, windowLines } from "../core/usage-commands.js";
import type { CustomerTerms, ResetToken } from "../core/usage-state.js";
import { findCustomer } from "../store/customers-repo.js";
import { isRetryableConflict, type Queryable, type Store } from "../store/store.js";
import {
  type BulkResetRecord,
  bulkResetWindows,
  type ChargeLine,
  chargesPage,
  currentPlans,
  customerTokens,
  customerWindows,
  findBulkReset,
  listBulkResets,
  planHistory,
  putPlan,
  type StoredPlan,
} from "../store/usage-repo.js";
import { fingerprint } from "./codec.js";
import { onceByKey } from "./once.js";
import { type BulkResetInput, parseBulkReset } from "./usage-inputs.js";
import { checkCustomerId, checkKey, checkWholeNumber, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX } from "./validate.js";

export const PLAN_FILE_BYTES_MAX = 1024 * 1024;

export interface PlanView {
  readonly id: string;
  readonly version: number;
  readonly createdAtMs: number;
  readonly spec: JsonValue;
}

const planView = (stored: StoredPlan): PlanView => ({
  id: stored.plan.id,
  version: stored.plan.version,
  createdAtMs: stored.createdAtMs,
  spec: writePlanSpec(stored.plan),
});

/** Store one plan's written form as its next version (no new version when nothing changed). */
export async function savePlan(
  store: Store,
  clock: Clock,
  planId: string,
  spec: unknown,
  idempotencyKey?: string,
): Promise<Outcome<{ plan: PlanView; created: boolean }>> {
  let plan: Plan;
  try {
    plan = readPlanSpec(planId, 1, spec as JsonValue);
  } catch (error) {
    if (error instanceof PlanSpecError) return fail("invalid_request", `plan ${planId}: ${error.message}`);
    throw error;
  }
  const nowMs = clock.nowMs();
  const write = async (tx: Queryable) => {
    const saved = await putPlan(tx, plan, nowMs);
    const [stored] = await currentPlans(tx, planId);
    if (stored === undefined) throw new Error(`plan ${planId} vanished after it was saved`);
    return ok({ plan: planView(stored), created: saved.created });
  };
  if (idempotencyKey === undefined) return store.transaction(write);
  const key = checkKey(idempotencyKey);
  if (!key.ok) return key;
  return onceByKey(store, { key: key.value, operation: "save_plan", body: { planId, spec }, nowMs }, write);
}

export interface PlanFileResult {
  readonly plans: readonly { readonly id: string; readonly version: number; readonly created: boolean }[];
}

/**
 * Read a plan file and store every plan in it, all or nothing. An error names the file's line:
 * `plans.json:12: plans.pro.meters.messages[0].duration: must be a duration like "90s", ...`.
 */
export async function loadPlanFile(
  store: Store,
  clock: Clock,
  text: string,
  fileName: string,
): Promise<Outcome<PlanFileResult>> {
  if (Buffer.byteLength(text) > PLAN_FILE_BYTES_MAX)
    return fail("invalid_request", `${fileName}: larger than ${PLAN_FILE_BYTES_MAX} bytes`);
  let plans: Plan[];
  try {
    const located = parseLocatedJson(text);
    try {
      plans = readPlanFile(located.value);
    } catch (error) {
      if (!(error instanceof PlanSpecError)) throw error;
      return fail("invalid_request", `${fileName}:${located.lineOf(error.path)}: ${error.message}`);
    }
  } catch (error) {
    if (error instanceof JsonSyntaxError)
      return fail(
        "invalid_request",
        `${fileName}:${error.line}: ${error.message.replace(/^line \d+: /, "")}`,
      );
    throw error;
  }
  const saved = await store.transaction(async (tx) => {
    const results = [];
    for (const plan of plans) results.push({ id: plan.id, ...(await putPlan(tx, plan, clock.nowMs())) });
    return results;
  });
  return ok({ plans: saved });
}

export async function listPlans(store: Store): Promise<PlanView[]> {
  return (await currentPlans(store)).map(planView);
}

/** Every version of a plan, newest first. */
export async function listPlanVersions(store: Store, planId: string): Promise<Outcome<PlanView[]>> {
  const versions = await planHistory(store, planId);
  return versions.length === 0 ? fail("not_found", `no plan ${planId}`) : ok(versions.map(planView));
}

export const BULK_RESETS_PAGE_MAX = 100;

/** The audit trail of bulk resets, newest first. */
export async function recentBulkResets(store: Store, limit: number): Promise<Outcome<BulkResetRecord[]>> {
  const size = checkWholeNumber(limit, "limit", 1, BULK_RESETS_PAGE_MAX);
  if (!size.ok) return size;
  return ok(await listBulkResets(store, size.value));
}

export interface UsageView {
  readonly customerId: string;
  readonly planId: string | null;
  readonly planVersion: number | null;
  readonly overflowAllowed: boolean;
  readonly windows: readonly WindowLine[];
  readonly resets: ResetsSummary & {
    readonly tokens: readonly {
      readonly id: string;
      readonly scope: readonly string[] | null;
      readonly source: string;
      readonly expiresAtMs: number;
    }[];
  };
  readonly charges: readonly ChargeLine[];
  readonly nextCursor: string | null;
}

/** What a usage page shows: each window's used, limit and resets-at, banked resets, recent charges. */
export async function readUsage(
  store: Store,
  clock: Clock,
  customerId: string,
  options: { limit?: number | undefined; cursor?: string | undefined } = {},
): Promise<Outcome<UsageView>> {
  const id = checkCustomerId(customerId);
  if (!id.ok) return id;
  const size = checkWholeNumber(options.limit ?? PAGE_SIZE_DEFAULT, "limit", 1, PAGE_SIZE_MAX);
  if (!size.ok) return size;
  if (options.cursor !== undefined && !/^chg_[0-9a-f]{32}$/.test(options.cursor))
    return fail("invalid_request", "cursor is not one this API gave");
  const [allowance, charges] = await Promise.all([
    readAllowance(store, clock, customerId),
    chargesPage(store, customerId, options.cursor ?? null, size.value + 1),
  ]);
  if (!allowance.ok) return allowance;
  const page = charges.slice(0, size.value);
  const last = page[page.length - 1];
  return ok({
    ...allowance.value,
    charges: page,
    nextCursor: charges.length > size.value && last !== undefined ? last.id : null,
  });
}

export type AllowanceView = Omit<UsageView, "charges" | "nextCursor">;

/** A customer's plan windows as they stand now, and the banked resets they hold. */
export async function readAllowance(
  store: Store,
  clock: Clock,
  customerId: string,
): Promise<Outcome<AllowanceView>> {
  const customer = await findCustomer(store, customerId);
  if (customer === null) return fail("not_found", `no customer ${customerId}`);
  const nowMs = clock.nowMs();
  const [plans, windows, tokens] = await Promise.all([
    customer.plan === null ? Promise.resolve([]) : currentPlans(store, customer.plan),
    customerWindows(store, customerId),
    customerTokens(store, customerId),
  ]);
  const plan = plans[0]?.plan ?? null;
  const terms: CustomerTerms = {
    customerId,
    planId: customer.plan,
    planVersion: plan?.version ?? null,
    overflowAllowed: customer.overflowAllowed,
    creditsLow: false,
    windows: new Map(windows.map((row) => [row.windowId, row.stored])),
    storedWindowIds: new Set(windows.map((row) => row.windowId)),
    tokens: new Map(tokens.map((token) => [token.id, token])),
  };
  return ok({
    customerId,
    planId: customer.plan,
    planVersion: plan?.version ?? null,
    overflowAllowed: customer.overflowAllowed,
    windows: plan === null ? [] : windowLines(plan, terms, nowMs),
    resets: { ...resetsSummary(tokens, nowMs), tokens: liveTokenViews(tokens, nowMs) },
  });
}

function liveTokenViews(tokens: readonly ResetToken[], nowMs: number) {
  return tokens
    .filter((token) => token.redeemedAtMs === null && nowMs < token.expiresAtMs)
    .map((token) => ({
      id: token.id,
      scope: token.scope,
      source: token.source,
      expiresAtMs: token.expiresAtMs,
    }));
}

const BULK_RESET_ATTEMPTS_MAX = 5;

/**
 * Reset windows for a plan's customers or a list of customers, once per idempotency key: a retry
 * returns the first audit record, the same key with another request is a conflict.
 */
export async function bulkReset(
  store: Store,
  clock: Clock,
  ids: IdGenerator,
  input: BulkResetInput,
): Promise<Outcome<BulkResetRecord>> {
  const parsed = parseBulkReset(input);
  if (!parsed.ok) return parsed;
  const request = parsed.value;
  const requestHash = fingerprint("bulk_reset", { ...request, key: undefined });
  for (let attempt = 1; ; attempt += 1) {
    const earlier = await findBulkReset(store, request.key);
    if (earlier !== null) {
      if (earlier.requestHash !== requestHash)
        return fail(
          "idempotency_conflict",
          `idempotency key ${request.key} was already used for a different request`,
        );
      const { requestHash: _hash, ...record } = earlier;
      return ok(record);
    }
    try {
      const record = await store.transaction((tx) =>
        bulkResetWindows(tx, { ...request, id: ids.next("brs"), requestHash, nowMs: clock.nowMs() }),
      );
      return ok(record);
    } catch (error) {
      // A concurrent run with the same key (unique violation) is answered by the lookup above; a
      // deadlock with a batch holding some of the windows is simply run again.
      const code = (error as { code?: unknown } | null)?.code;
      if ((code !== "23505" && !isRetryableConflict(error)) || attempt >= BULK_RESET_ATTEMPTS_MAX)
        throw error;
    }
  }
}
