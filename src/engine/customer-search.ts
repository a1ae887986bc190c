/**
 * The operator's customer list: search by id prefix, email or display name, filter by plan, one page
 * at a time, each customer with the credits it can spend now.
 */
import type { Clock } from "../core/clock.js";
import { fail, type Outcome, ok } from "../core/errors.js";
import type { LotRecord } from "../core/ledger.js";
import type { LotKind } from "../core/lots.js";
import {
  type CustomerSummary,
  openLotsOf,
  searchCustomers,
  timedOutReservationsOf,
} from "../store/customer-search-repo.js";
import type { Store } from "../store/store.js";
import { summarize } from "./reads.js";
import { checkCustomerId, checkText, checkWholeNumber, PAGE_SIZE_MAX, PLAN_LENGTH_MAX } from "./validate.js";

export const CUSTOMERS_PAGE_SIZE_DEFAULT = 20;
export const CUSTOMER_QUERY_LENGTH_MAX = 200;

export interface CustomerQuery {
  readonly query?: string | undefined;
  readonly plan?: string | undefined;
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

export interface CustomerLine extends CustomerSummary {
  readonly credits: {
    readonly availableMinor: bigint;
    readonly heldMinor: bigint;
    readonly byKind: Readonly<Record<LotKind, bigint>>;
  };
}

export interface CustomerPage {
  readonly data: readonly CustomerLine[];
  readonly nextCursor: string | null;
}

/** The cursor is the page's last id, encoded so that clients treat it as a token, not as an id. */
const cursorOf = (customerId: string): string => Buffer.from(customerId, "utf8").toString("base64url");

function readCursor(cursor: string | undefined): Outcome<string | null> {
  if (cursor === undefined) return ok(null);
  const id = Buffer.from(cursor, "base64url").toString("utf8");
  if (!checkCustomerId(id).ok || cursorOf(id) !== cursor)
    return fail("invalid_request", "cursor is not one this API gave");
  return ok(id);
}

function parseQuery(input: CustomerQuery) {
  const text = checkText(input.query, "query", CUSTOMER_QUERY_LENGTH_MAX);
  if (!text.ok) return text;
  const plan = checkText(input.plan, "plan", PLAN_LENGTH_MAX);
  if (!plan.ok) return plan;
  const limit = checkWholeNumber(input.limit ?? CUSTOMERS_PAGE_SIZE_DEFAULT, "limit", 1, PAGE_SIZE_MAX);
  if (!limit.ok) return limit;
  const afterId = readCursor(input.cursor);
  if (!afterId.ok) return afterId;
  // An empty search box is no search.
  return ok({ text: text.value || null, plan: plan.value, limit: limit.value, afterId: afterId.value });
}

export async function listCustomers(
  store: Store,
  clock: Clock,
  input: CustomerQuery,
): Promise<Outcome<CustomerPage>> {
  const parsed = parseQuery(input);
  if (!parsed.ok) return parsed;
  const { limit } = parsed.value;
  const rows = await searchCustomers(store, { ...parsed.value, limit: limit + 1 });
  const page = rows.slice(0, limit);
  const ids = page.map((row) => row.id);
  const nowMs = clock.nowMs();
  const [lots, timedOut] = await Promise.all([
    openLotsOf(store, ids),
    timedOutReservationsOf(store, ids, nowMs),
  ]);
  const lotsByCustomer = new Map<string, LotRecord[]>(ids.map((id) => [id, []]));
  for (const lot of lots) {
    const released = { ...lot, heldMinor: lot.heldMinor - (timedOut.get(lot.id) ?? 0n) };
    lotsByCustomer.get(lot.customerId)?.push(released);
  }
  const data = page.map((row) => {
    const view = summarize(row.id, nowMs, 0n, lotsByCustomer.get(row.id) ?? []);
    return {
      ...row,
      credits: {
        availableMinor: view.availableMinor,
        heldMinor: view.heldMinor,
        byKind: view.availableByKind,
      },
    };
  });
  const last = page[page.length - 1];
  return ok({ data, nextCursor: rows.length > limit && last !== undefined ? cursorOf(last.id) : null });
}
