/**
 * The operator's reports: credits outstanding over time (the liability), credits that expired unused
 * (breakage), how full the plans' current usage windows are, and every referral program's funnel.
 * Each is read from what the ledger, the usage store and the programs already record.
 */
import type { Clock } from "../core/clock.js";
import { invariant, type Outcome, ok } from "../core/errors.js";
import { LOT_KINDS, type LotKind } from "../core/lots.js";
import { type Plan, windowId } from "../core/usage.js";
import { type WindowKind, windowAt } from "../core/windows.js";
import {
  customersPerPlan,
  expiredByBucket,
  grantedByBucket,
  type HoldingKind,
  type KindInBucket,
  outstandingSpans,
  planWindowsPage,
} from "../store/reports-repo.js";
import type { Store } from "../store/store.js";
import { currentPlans } from "../store/usage-repo.js";
import type { ReferralStats, Referrals } from "./referrals.js";
import { type ReportBucketUnit, type ReportRangeInput, readReportRange } from "./report-range.js";

export type KindAmounts = Readonly<Record<LotKind, bigint>>;

interface RangeView {
  readonly fromMs: number;
  readonly toMs: number;
  readonly bucket: ReportBucketUnit;
  readonly timeZone: string;
}

export interface LiabilityPoint {
  readonly atMs: number;
  /** What the wallets' lots hold, unexpired and unspent (held credits included), by kind. */
  readonly byKind: KindAmounts;
  /** Credits bought to be given, not yet sent. */
  readonly giftBalanceMinor: bigint;
  /** Gifts sent and not yet claimed, expired or revoked. */
  readonly giftEscrowMinor: bigint;
  readonly totalMinor: bigint;
}

export interface LiabilityReport extends RangeView {
  readonly points: readonly LiabilityPoint[];
}

export interface BreakagePoint {
  readonly startsAtMs: number;
  readonly endsAtMs: number;
  readonly byKind: KindAmounts;
  readonly totalMinor: bigint;
}

export interface BreakageReport extends RangeView {
  readonly points: readonly BreakagePoint[];
  readonly expired: { readonly byKind: KindAmounts; readonly totalMinor: bigint };
  readonly granted: { readonly byKind: KindAmounts; readonly totalMinor: bigint };
  /** Expired over granted in the range; null when nothing was granted. */
  readonly rate: number | null;
  readonly rateByKind: Readonly<Record<LotKind, number | null>>;
}

/** The used share of a window's limit: four quarter bands below the limit, and the limit reached. */
export const USAGE_BANDS = [
  { fromPercent: 0, toPercent: 25 },
  { fromPercent: 25, toPercent: 50 },
  { fromPercent: 50, toPercent: 75 },
  { fromPercent: 75, toPercent: 100 },
  { fromPercent: 100, toPercent: 100 },
] as const;

export interface UsageWindowReport {
  readonly windowId: string;
  readonly meter: string;
  readonly window: string;
  readonly kind: WindowKind;
  readonly limitUnits: bigint;
  /** Customers of the plan with anything used in this window now. */
  readonly customersWithUsage: number;
  readonly atLimit: number;
  /** Customers with usage by used share of the limit, in the bands of `USAGE_BANDS`. */
  readonly bands: readonly { fromPercent: number; toPercent: number; customers: number }[];
}

export interface UsageReport {
  readonly atMs: number;
  readonly plans: readonly {
    readonly planId: string;
    readonly planVersion: number;
    readonly customers: number;
    readonly windows: readonly UsageWindowReport[];
  }[];
}

export interface ReferralsReport {
  readonly programs: readonly { programId: string; status: string; stats: ReferralStats }[];
}

/** Stored windows read per query while tallying a plan's usage: bounds the memory of one report. */
export const USAGE_REPORT_PAGE_ROWS = 1000;
/** Rates carry six decimals: computed on integers, then divided once. */
const RATE_SCALE = 1_000_000n;

const zeroByKind = (): Record<LotKind, bigint> =>
  Object.fromEntries(LOT_KINDS.map((kind) => [kind, 0n])) as Record<LotKind, bigint>;

const sumOf = (byKind: KindAmounts): bigint => LOT_KINDS.reduce((sum, kind) => sum + byKind[kind], 0n);

const rateOf = (partMinor: bigint, wholeMinor: bigint): number | null =>
  wholeMinor === 0n ? null : Number((partMinor * RATE_SCALE) / wholeMinor) / Number(RATE_SCALE);

export class Reports {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly referralPrograms: Referrals,
  ) {}

  /**
   * What is outstanding at each bucket's end: the unexpired, unspent value of every lot (as the
   * balance at that instant counts it), the gift balances and the gifts in escrow. Computed from the
   * entries, so a past instant reads as it stood then, whatever happened since.
   */
  async liability(input: ReportRangeInput = {}): Promise<Outcome<LiabilityReport>> {
    const range = readReportRange(input, this.clock.nowMs());
    if (!range.ok) return range;
    const { buckets, ...view } = range.value;
    const pointsMs = buckets.map((bucket) => bucket.endMs);
    const series = accumulate(await outstandingSpans(this.store, pointsMs), pointsMs.length);
    const at = (kind: HoldingKind, index: number): bigint => series.get(kind)?.[index] ?? 0n;
    const points = pointsMs.map((atMs, index) => {
      const byKind = Object.fromEntries(LOT_KINDS.map((kind) => [kind, at(kind, index)])) as KindAmounts;
      const giftBalanceMinor = at("giftBalance", index);
      const giftEscrowMinor = at("giftEscrow", index);
      return {
        atMs,
        byKind,
        giftBalanceMinor,
        giftEscrowMinor,
        totalMinor: sumOf(byKind) + giftBalanceMinor + giftEscrowMinor,
      };
    });
    return ok({ ...view, points });
  }

  /**
   * What expired unused in each bucket, by kind, counted at each lot's expiry; the totals over the
   * range; and the breakage rate: what expired in the range over what was granted in it.
   */
  async breakage(input: ReportRangeInput = {}): Promise<Outcome<BreakageReport>> {
    const nowMs = this.clock.nowMs();
    const range = readReportRange(input, nowMs);
    if (!range.ok) return range;
    const { buckets, ...view } = range.value;
    const endsMs = buckets.map((bucket) => bucket.endMs);
    const [expired, granted] = await Promise.all([
      expiredByBucket(this.store, view.fromMs, endsMs, nowMs),
      grantedByBucket(this.store, view.fromMs, endsMs),
    ]);
    const expiredByBucketIndex = byBucket(expired, buckets.length);
    const points = buckets.map((bucket, index) => {
      const byKind = expiredByBucketIndex[index] ?? zeroByKind();
      return { startsAtMs: bucket.startMs, endsAtMs: bucket.endMs, byKind, totalMinor: sumOf(byKind) };
    });
    const expiredTotal = totalByKind(expired);
    const grantedTotal = totalByKind(granted);
    const expiredMinor = sumOf(expiredTotal);
    const grantedMinor = sumOf(grantedTotal);
    return ok({
      ...view,
      points,
      expired: { byKind: expiredTotal, totalMinor: expiredMinor },
      granted: { byKind: grantedTotal, totalMinor: grantedMinor },
      rate: rateOf(expiredMinor, grantedMinor),
      rateByKind: Object.fromEntries(
        LOT_KINDS.map((kind) => [kind, rateOf(expiredTotal[kind], grantedTotal[kind])]),
      ) as Record<LotKind, number | null>,
    });
  }

  /**
   * For every plan and each of its windows as they stand now: how many of the plan's customers used
   * anything, how many reached the limit, and how full the windows of those with usage are.
   */
  async usage(): Promise<UsageReport> {
    const atMs = this.clock.nowMs();
    const [plans, customers] = await Promise.all([currentPlans(this.store), customersPerPlan(this.store)]);
    const lines = [];
    for (const { plan } of plans) {
      lines.push({
        planId: plan.id,
        planVersion: plan.version,
        customers: customers.get(plan.id) ?? 0,
        windows: await this.planUsage(plan, atMs),
      });
    }
    return { atMs, plans: lines };
  }

  private async planUsage(plan: Plan, atMs: number): Promise<UsageWindowReport[]> {
    const specs = new Map(plan.windows.map((spec) => [windowId(spec), spec]));
    const tallies = new Map(plan.windows.map((spec) => [windowId(spec), [0, 0, 0, 0, 0]]));
    let after: { customerId: string; windowId: string } | null = null;
    for (;;) {
      const rows = await planWindowsPage(this.store, plan.id, after, USAGE_REPORT_PAGE_ROWS);
      for (const row of rows) {
        const spec = specs.get(row.windowId);
        const tally = tallies.get(row.windowId);
        // A window the plan no longer has (the plan changed since) counts for nothing.
        if (spec === undefined || tally === undefined) continue;
        const band = bandOf(windowAt(spec, row.state, atMs).usedUnits, spec.allowanceUnits);
        if (band !== null) tally[band] = (tally[band] ?? 0) + 1;
      }
      const last = rows[rows.length - 1];
      if (rows.length < USAGE_REPORT_PAGE_ROWS || last === undefined) break;
      after = { customerId: last.customerId, windowId: last.windowId };
    }
    return plan.windows.map((spec) => {
      const tally = tallies.get(windowId(spec)) ?? [];
      return {
        windowId: windowId(spec),
        meter: spec.meter,
        window: spec.key,
        kind: spec.kind,
        limitUnits: spec.allowanceUnits,
        customersWithUsage: tally.reduce((sum, count) => sum + count, 0),
        atLimit: tally[USAGE_BANDS.length - 1] ?? 0,
        bands: USAGE_BANDS.map((band, index) => ({ ...band, customers: tally[index] ?? 0 })),
      };
    });
  }

  /** Every referral program with its status and stats (the funnel and the weekly cohorts). */
  async referrals(): Promise<ReferralsReport> {
    const programs = [];
    for (const view of await this.referralPrograms.listPrograms()) {
      const stats = await this.referralPrograms.stats(view.id);
      // A program is never deleted; a miss can only be a program id that changed kind, which the
      // program store refuses, so there is nothing to show rather than anything to fail.
      if (!stats.ok) continue;
      const status = typeof view.spec.status === "string" ? view.spec.status : "draft";
      programs.push({ programId: view.id, status, stats: stats.value });
    }
    return { programs };
  }
}

/**
 * The band of a window's use: null when nothing is used, 4 at or past the limit (a plan lowered
 * since), else the quarter of the limit used, on integers so no rounding moves a customer.
 */
export function bandOf(usedUnits: bigint, limitUnits: bigint): number | null {
  if (usedUnits <= 0n) return null;
  if (usedUnits >= limitUnits) return USAGE_BANDS.length - 1;
  return Number((usedUnits * 4n) / limitUnits);
}

/** Per holding, the value outstanding at each point: spans added where they start, taken off where they end. */
function accumulate(
  spans: readonly { kind: HoldingKind; firstPoint: number; endPoint: number | null; amountMinor: bigint }[],
  points: number,
): Map<HoldingKind, bigint[]> {
  const deltas = new Map<HoldingKind, bigint[]>();
  for (const span of spans) {
    const endPoint = span.endPoint ?? points;
    invariant(
      span.firstPoint >= 0 && endPoint <= points,
      `a span of ${span.kind} falls outside the report's ${points} points`,
    );
    if (span.firstPoint >= endPoint) continue;
    let delta = deltas.get(span.kind);
    if (delta === undefined) {
      delta = Array.from({ length: points + 1 }, () => 0n);
      deltas.set(span.kind, delta);
    }
    delta[span.firstPoint] = (delta[span.firstPoint] ?? 0n) + span.amountMinor;
    delta[endPoint] = (delta[endPoint] ?? 0n) - span.amountMinor;
  }
  const series = new Map<HoldingKind, bigint[]>();
  for (const [kind, delta] of deltas) {
    let running = 0n;
    series.set(
      kind,
      delta.slice(0, points).map((change) => {
        running += change;
        return running;
      }),
    );
  }
  return series;
}

function byBucket(rows: readonly KindInBucket[], buckets: number): Record<LotKind, bigint>[] {
  const out = Array.from({ length: buckets }, zeroByKind);
  for (const row of rows) {
    const line = out[row.bucket];
    invariant(line !== undefined, `an amount of ${row.kind} falls outside the report's ${buckets} buckets`);
    line[row.kind] += row.amountMinor;
  }
  return out;
}

function totalByKind(rows: readonly KindInBucket[]): KindAmounts {
  const total = zeroByKind();
  for (const row of rows) total[row.kind] += row.amountMinor;
  return total;
}
