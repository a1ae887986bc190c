/**
 * The reports' answers as what the charts draw: series over time, funnel stages and bars. Pure, so
 * the shapes are tested without a page; amounts stay in minor units until a chart formats them.
 */
import type { Schema } from "../../../sdk/client.js";
import type { Bar, FunnelStage, Series } from "../components/charts.js";

export type LiabilityReport = Schema<"LiabilityReport">;
export type BreakageReport = Schema<"BreakageReport">;
export type GiftingReportLine = Schema<"GiftingReportLine">;
export type ReferralStats = Schema<"ReferralStats">;
export type UsageReport = Schema<"UsageReport">;
export type KindAmounts = Schema<"KindAmounts">;

export const LOT_KINDS = ["purchased", "promotional", "gifted", "referral", "compensation"] as const;
export type LotKind = (typeof LOT_KINDS)[number];

export const KIND_LABELS: Readonly<Record<LotKind, string>> = {
  purchased: "Purchased",
  promotional: "Promotional",
  gifted: "Gifted",
  referral: "Referral",
  compensation: "Compensation",
};

export interface RangeOption {
  readonly id: string;
  readonly label: string;
  readonly days: number;
  readonly bucket: "day" | "week";
}

export const RANGE_OPTIONS: readonly RangeOption[] = [
  { id: "7d", label: "Last 7 days, by day", days: 7, bucket: "day" },
  { id: "30d", label: "Last 30 days, by day", days: 30, bucket: "day" },
  { id: "90d", label: "Last 90 days, by week", days: 90, bucket: "week" },
  { id: "365d", label: "Last 12 months, by week", days: 365, bucket: "week" },
];

export const RANGE_DEFAULT = "30d";

export interface RangeQuery {
  readonly from: string;
  readonly to: string;
  readonly bucket: "day" | "week";
  readonly timeZone: string;
}

/** The query for a range ending now, in buckets of the operator's own calendar. */
export function rangeQuery(optionId: string, nowMs: number, timeZone: string): RangeQuery {
  const option = RANGE_OPTIONS.find((candidate) => candidate.id === optionId) ?? RANGE_OPTIONS[1];
  const days = option?.days ?? 30;
  return {
    from: new Date(nowMs - days * 86_400_000).toISOString(),
    to: new Date(nowMs).toISOString(),
    bucket: option?.bucket ?? "day",
    timeZone,
  };
}

/** The operator's time zone, for buckets that match their days; UTC where the runtime can't say. */
export function localTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * A bucket's name from the instant it ends at: the day (or the week's first day) it covers, in the
 * report's zone. A bucket covers (start, end], so the instant just before its end names the day.
 */
export function bucketLabel(endIso: string, timeZone: string): string {
  let format = dayFormats.get(timeZone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone });
    } catch {
      format = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
    }
    dayFormats.set(timeZone, format);
  }
  return format.format(new Date(Date.parse(endIso) - 1));
}

export interface TimeSeries {
  readonly x: string[];
  readonly series: Series[];
}

export const GIFTS_SERIES = "Gifts (balance and escrow)";

/** Outstanding credits: one stacked area per kind, plus gift balances and escrow together. */
export function liabilitySeries(report: LiabilityReport): TimeSeries {
  const points = report.points;
  return {
    x: points.map((point) => point.at),
    series: [
      ...LOT_KINDS.map((kind) => ({
        name: KIND_LABELS[kind],
        values: points.map((point) => point.byKind[kind]),
      })),
      { name: GIFTS_SERIES, values: points.map((point) => point.giftBalance + point.giftEscrow) },
    ],
  };
}

/** What expired unused, per bucket and kind. */
export function breakageSeries(report: BreakageReport): TimeSeries {
  const points = report.points;
  return {
    x: points.map((point) => point.endsAt),
    series: LOT_KINDS.map((kind) => ({
      name: KIND_LABELS[kind],
      values: points.map((point) => point.byKind[kind]),
    })),
  };
}

/** The kinds with something in them, with their share of the total; the others are left out. */
export function kindShares(byKind: KindAmounts): { kind: LotKind; amount: number; share: number | null }[] {
  const total = LOT_KINDS.reduce((sum, kind) => sum + byKind[kind], 0);
  return LOT_KINDS.filter((kind) => byKind[kind] !== 0).map((kind) => ({
    kind,
    amount: byKind[kind],
    share: total === 0 ? null : byKind[kind] / total,
  }));
}

/** Where gifted value goes: sent, claimed by a friend, then spent by them. */
export function giftingValueFunnel(line: GiftingReportLine): FunnelStage[] {
  return [
    { label: "Sent", value: line.sentValue },
    { label: "Claimed", value: line.claimedValue },
    { label: "Used by the recipient", value: line.usedValue },
  ];
}

export function giftStateBars(line: GiftingReportLine): Bar[] {
  return [
    { label: "Waiting to be claimed", value: line.pending },
    { label: "In review", value: line.review },
    { label: "Claimed", value: line.claimed },
    { label: "Expired", value: line.expired },
    { label: "Revoked", value: line.revoked },
  ];
}

export function referralFunnel(stats: ReferralStats): FunnelStage[] {
  const funnel = stats.funnel;
  return [
    { label: "Invites made", value: funnel.invitesCreated },
    { label: "Invites opened", value: funnel.invitesOpened },
    { label: "Accepted", value: funnel.accepted },
    { label: "Qualified", value: funnel.qualified },
    { label: "Rewarded", value: funnel.rewarded },
  ];
}

/**
 * The viral coefficient of each weekly cohort. A week without acceptances has none: it is drawn as 0
 * (nobody it brought in), and the table under the chart says "—".
 */
export function viralSeries(stats: ReferralStats): TimeSeries {
  const weeks = stats.weeks.filter((week) => weekStartOf(week) !== null);
  return {
    x: weeks.map((week) => weekStartOf(week) ?? ""),
    series: [{ name: "Viral coefficient", values: weeks.map((week) => week.viralCoefficient ?? 0) }],
  };
}

type ReferralWeek = ReferralStats["weeks"][number];

/** When a weekly cohort starts, as an ISO instant. */
export function weekStartOf(week: ReferralWeek): string | null {
  return typeof week.weekStartAt === "string" ? week.weekStartAt : null;
}

/** Per window of a plan: the customers at the limit, of those who used anything. */
export function usageBars(plan: UsageReport["plans"][number]): Bar[] {
  return plan.windows.map((window) => ({
    label: `${window.windowId} (limit ${window.limit.toLocaleString("en-US")})`,
    value: window.atLimit,
    limit: window.customersWithUsage,
  }));
}

/** A band of a window's used share, as a column header: `0–25%`, `At the limit`. */
export function bandLabel(band: { fromPercent: number; toPercent: number }): string {
  return band.fromPercent === band.toPercent ? "At the limit" : `${band.fromPercent}–${band.toPercent}%`;
}

/** A duration in seconds as the largest whole unit or two: `3d 4h`, `5h 10m`, `42s`. */
export function formatSeconds(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "—";
  const whole = Math.round(seconds);
  const days = Math.floor(whole / 86_400);
  const hours = Math.floor((whole % 86_400) / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${minutes}m`;
  if (minutes > 0) return `${minutes}m`;
  return `${whole}s`;
}
