/**
 * Reports: charts first (people look, they don't read), small tables under them. Outstanding
 * credits, revenue by currency, breakage, gifting, each referral program's funnel and viral coefficient, and how full
 * the plans' usage windows are.
 */
import { useState } from "react";
import { BarChart, FunnelChart, TimeChart } from "../components/charts.js";
import { Card, type Column, Loaded, PageHeader, Stat, StateBadge, Table } from "../components/ui.js";
import { Credits, useConfig } from "../lib/context.js";
import { formatCount, formatCredits, formatDate, formatPercent } from "../lib/format.js";
import { formatMoney } from "../lib/money.js";
import { useResource } from "../lib/resource.js";
import { SelectField } from "./console-ui.js";
import {
  bandLabel,
  breakageSeries,
  bucketLabel,
  formatSeconds,
  type GiftingReportLine,
  giftingValueFunnel,
  giftStateBars,
  KIND_LABELS,
  kindShares,
  LOT_KINDS,
  liabilitySeries,
  localTimeZone,
  RANGE_DEFAULT,
  RANGE_OPTIONS,
  type RangeQuery,
  type ReferralStats,
  rangeQuery,
  referralFunnel,
  type UsageReport,
  usageBars,
  viralSeries,
  weekStartOf,
} from "./report-model.js";
import {
  hasMovement,
  isRevenueEmpty,
  type RevenueReport,
  type RevenueRow,
  revenueCurrencies,
  revenueRows,
  revenueSeries,
} from "./revenue-model.js";
import { useSession } from "./session.js";

function useCreditsFormat(): (value: number) => string {
  const { displayScale } = useConfig();
  return (value) => formatCredits(Math.round(value), displayScale);
}

const count = (value: number) => formatCount(Math.round(value));

export function ReportsPage() {
  const [rangeId, setRangeId] = useState(RANGE_DEFAULT);
  // The range is fixed when chosen, so reloads and re-renders ask for the same buckets.
  const [range, setRange] = useState(() => rangeQuery(RANGE_DEFAULT, Date.now(), localTimeZone()));
  const choose = (id: string) => {
    setRangeId(id);
    setRange(rangeQuery(id, Date.now(), localTimeZone()));
  };
  return (
    <>
      <PageHeader
        title="Reports"
        subtitle={`Credits, revenue, gifting, referrals and usage. Days and weeks follow ${range.timeZone} time.`}
        actions={
          <SelectField
            label="Period"
            value={rangeId}
            onChange={choose}
            options={RANGE_OPTIONS.map((option) => [option.id, option.label] as const)}
          />
        }
      />
      <div className="boon-stack">
        <LiabilitySection range={range} />
        <RevenueSection range={range} />
        <BreakageSection range={range} />
        <GiftingSection range={range} />
        <ReferralsSection />
        <UsageSection />
      </div>
    </>
  );
}

function LiabilitySection(props: { readonly range: RangeQuery }) {
  const { client } = useSession();
  const credits = useCreditsFormat();
  const report = useResource(
    () => client.call("liabilityReport", { query: props.range }),
    [client, props.range],
  );
  return (
    <Card title="Outstanding credits">
      <Loaded
        resource={report}
        isEmpty={(data) => data.points.length === 0}
        empty="No credits in this period."
      >
        {(data) => {
          const { x, series } = liabilitySeries(data);
          const latest = data.points[data.points.length - 1];
          return (
            <>
              <div className="boon-stats">
                <Stat label="Outstanding now" value={<Credits minor={latest?.total ?? 0} />} />
                <Stat label="In gift balances" value={<Credits minor={latest?.giftBalance ?? 0} />} />
                <Stat
                  label="Gifts waiting to be claimed"
                  value={<Credits minor={latest?.giftEscrow ?? 0} />}
                />
              </div>
              <TimeChart
                label="Outstanding credits by kind"
                x={x}
                series={series}
                stacked
                formatValue={credits}
                formatX={(at) => bucketLabel(at, data.timeZone)}
              />
              <KindTable
                caption="Outstanding credits now, by kind"
                rows={kindShares(latest?.byKind ?? emptyKinds())}
                empty="Nothing outstanding."
              />
            </>
          );
        }}
      </Loaded>
    </Card>
  );
}

function RevenueSection(props: { readonly range: RangeQuery }) {
  const { client } = useSession();
  const report = useResource(
    () => client.call("revenueReport", { query: props.range }),
    [client, props.range],
  );
  return (
    <Card title="Revenue">
      <Loaded
        resource={report}
        isEmpty={isRevenueEmpty}
        empty="No purchases, refunds or disputes in this period, and no purchased credits outstanding."
      >
        {(data) => (
          <>
            <div className="boon-stats">
              <Stat label="Purchases paid" value={formatCount(data.totals.purchases)} />
              <Stat label="Refunds" value={formatCount(data.totals.refundEvents)} />
              <Stat label="Disputes" value={formatCount(data.totals.disputeEvents)} />
            </div>
            <div className="boon-stack">
              {revenueCurrencies(data).map((currency) => (
                <RevenueCurrency key={currency} report={data} currency={currency} />
              ))}
            </div>
            <RevenueTable rows={revenueRows(data)} />
          </>
        )}
      </Loaded>
    </Card>
  );
}

function RevenueCurrency(props: { readonly report: RevenueReport; readonly currency: string }) {
  const { report, currency } = props;
  const money = (value: number) => formatMoney(Math.round(value), currency);
  const { x, series } = revenueSeries(report, currency);
  const code = currency.toUpperCase();
  return (
    <section className="boon-report-part" aria-labelledby={`revenue-${currency}`}>
      <h3 id={`revenue-${currency}`}>{code}</h3>
      <div className="boon-stats">
        <Stat label="Revenue" value={money(report.totals.revenue[currency] ?? 0)} />
        <Stat label="Refunds" value={money(report.totals.refunds[currency] ?? 0)} />
        <Stat label="Disputes" value={money(report.totals.disputes[currency] ?? 0)} />
        <Stat label="Disputes won" value={money(report.totals.reinstated[currency] ?? 0)} />
        <Stat label="Net" value={money(report.totals.net[currency] ?? 0)} />
        <Stat
          label="Deferred revenue"
          value={money(report.deferred.revenue[currency] ?? 0)}
          hint={`Purchased credits not yet used, on ${formatDate(report.deferred.at)}; ${money(report.deferred.gifts.revenue[currency] ?? 0)} of it bought as gifts`}
        />
      </div>
      {hasMovement(report, currency) ? (
        <TimeChart
          label={`Revenue, refunds and disputes in ${code}`}
          x={x}
          series={series}
          formatValue={money}
          formatX={(at) => bucketLabel(at, report.timeZone)}
        />
      ) : (
        <p className="boon-muted">No money moved in {code} in this period.</p>
      )}
    </section>
  );
}

function RevenueTable(props: { readonly rows: readonly RevenueRow[] }) {
  const money = (row: RevenueRow, minor: number) => formatMoney(minor, row.currency);
  const columns: Column<RevenueRow>[] = [
    { header: "Currency", cell: (row) => row.currency.toUpperCase() },
    { header: "Revenue", cell: (row) => money(row, row.revenue), align: "right" },
    { header: "Refunds", cell: (row) => money(row, row.refunds), align: "right" },
    { header: "Disputes", cell: (row) => money(row, row.disputes), align: "right" },
    { header: "Disputes won", cell: (row) => money(row, row.reinstated), align: "right" },
    { header: "Net", cell: (row) => money(row, row.net), align: "right" },
    { header: "Deferred revenue", cell: (row) => money(row, row.deferredRevenue), align: "right" },
    { header: "Of it, bought as gifts", cell: (row) => money(row, row.deferredGiftRevenue), align: "right" },
    {
      header: "Purchased credits unused",
      cell: (row) => <Credits minor={row.deferredCredits} unit={false} />,
      align: "right",
    },
  ];
  return (
    <Table columns={columns} rows={props.rows} rowKey={(row) => row.currency} caption="Revenue by currency" />
  );
}

function emptyKinds() {
  return { purchased: 0, promotional: 0, gifted: 0, referral: 0, compensation: 0 };
}

function KindTable(props: {
  readonly caption: string;
  readonly rows: ReturnType<typeof kindShares>;
  readonly empty: string;
}) {
  if (props.rows.length === 0) return <p className="boon-muted">{props.empty}</p>;
  const columns: Column<(typeof props.rows)[number]>[] = [
    { header: "Kind", cell: (row) => KIND_LABELS[row.kind] },
    { header: "Credits", cell: (row) => <Credits minor={row.amount} unit={false} />, align: "right" },
    { header: "Share", cell: (row) => formatPercent(row.share), align: "right" },
  ];
  return <Table columns={columns} rows={props.rows} rowKey={(row) => row.kind} caption={props.caption} />;
}

function BreakageSection(props: { readonly range: RangeQuery }) {
  const { client } = useSession();
  const credits = useCreditsFormat();
  const report = useResource(
    () => client.call("breakageReport", { query: props.range }),
    [client, props.range],
  );
  return (
    <Card title="Breakage: credits that expired unused">
      <Loaded resource={report} isEmpty={(data) => data.points.length === 0} empty="No data for this period.">
        {(data) => {
          const { x, series } = breakageSeries(data);
          const rows = LOT_KINDS.filter(
            (kind) => data.granted.byKind[kind] !== 0 || data.expired.byKind[kind] !== 0,
          );
          const columns: Column<(typeof rows)[number]>[] = [
            { header: "Kind", cell: (kind) => KIND_LABELS[kind] },
            {
              header: "Granted",
              cell: (kind) => <Credits minor={data.granted.byKind[kind]} unit={false} />,
              align: "right",
            },
            {
              header: "Expired unused",
              cell: (kind) => <Credits minor={data.expired.byKind[kind]} unit={false} />,
              align: "right",
            },
            { header: "Rate", cell: (kind) => formatPercent(data.rateByKind[kind]), align: "right" },
          ];
          return (
            <>
              <div className="boon-stats">
                <Stat label="Expired unused" value={<Credits minor={data.expired.total} />} />
                <Stat label="Granted" value={<Credits minor={data.granted.total} />} />
                <Stat
                  label="Breakage rate"
                  value={formatPercent(data.rate)}
                  hint="Expired over granted in the period"
                />
              </div>
              {data.expired.total === 0 ? (
                <p className="boon-muted">Nothing expired unused in this period.</p>
              ) : (
                <TimeChart
                  label="Credits expired unused by kind"
                  x={x}
                  series={series}
                  stacked
                  formatValue={credits}
                  formatX={(at) => bucketLabel(at, data.timeZone)}
                />
              )}
              {rows.length === 0 ? (
                <p className="boon-muted">Nothing was granted or expired in this period.</p>
              ) : (
                <Table columns={columns} rows={rows} rowKey={(kind) => kind} caption="Breakage by kind" />
              )}
            </>
          );
        }}
      </Loaded>
    </Card>
  );
}

function GiftingSection(props: { readonly range: RangeQuery }) {
  const { client } = useSession();
  const report = useResource(
    () => client.call("giftingReport", { query: { from: props.range.from, to: props.range.to } }),
    [client, props.range],
  );
  return (
    <Card title="Gifting">
      <Loaded
        resource={report}
        isEmpty={(data) => data.programs.length === 0}
        empty="No gifting programs have sent gifts in this period."
      >
        {(data) => (
          <>
            <div className="boon-grid">
              {data.programs.map((line) => (
                <GiftingProgram key={line.programId} line={line} />
              ))}
            </div>
            <GiftingTable lines={data.programs} />
          </>
        )}
      </Loaded>
    </Card>
  );
}

function GiftingProgram(props: { readonly line: GiftingReportLine }) {
  const credits = useCreditsFormat();
  const { line } = props;
  return (
    <section className="boon-report-part" aria-labelledby={`gifting-${line.programId}`}>
      <h3 id={`gifting-${line.programId}`} className="boon-mono">
        {line.programId}
      </h3>
      <FunnelChart
        label={`${line.programId}: gifted credits`}
        stages={giftingValueFunnel(line)}
        formatValue={credits}
      />
      <BarChart label={`${line.programId}: gifts by state`} bars={giftStateBars(line)} formatValue={count} />
    </section>
  );
}

function GiftingTable(props: { readonly lines: readonly GiftingReportLine[] }) {
  const columns: Column<GiftingReportLine>[] = [
    { header: "Program", cell: (line) => <span className="boon-mono">{line.programId}</span> },
    { header: "Gifts sent", cell: (line) => formatCount(line.sent), align: "right" },
    { header: "Value sent", cell: (line) => <Credits minor={line.sentValue} unit={false} />, align: "right" },
    { header: "Claim rate", cell: (line) => formatPercent(line.claimRate), align: "right" },
    {
      header: "Median time to claim",
      cell: (line) => formatSeconds(line.claimSecondsMedian),
      align: "right",
    },
    {
      header: "New or lapsed recipients",
      cell: (line) => formatPercent(line.newOrLapsedShare),
      align: "right",
    },
    { header: "Claimed value used", cell: (line) => formatPercent(line.usedShare), align: "right" },
  ];
  return (
    <Table
      columns={columns}
      rows={props.lines}
      rowKey={(line) => line.programId}
      caption="Gifting by program"
    />
  );
}

function ReferralsSection() {
  const { client } = useSession();
  const report = useResource(() => client.call("referralsReport"), [client]);
  return (
    <Card title="Referral programs">
      <Loaded
        resource={report}
        isEmpty={(data) => data.programs.length === 0}
        empty="No referral programs yet."
      >
        {(data) => (
          <div className="boon-stack">
            {data.programs.map((program) => (
              <ReferralProgram key={program.programId} stats={program.stats} />
            ))}
          </div>
        )}
      </Loaded>
    </Card>
  );
}

function ReferralProgram(props: { readonly stats: ReferralStats }) {
  const { stats } = props;
  const { x, series } = viralSeries(stats);
  const weeks = stats.weeks;
  const columns: Column<(typeof weeks)[number]>[] = [
    { header: "Cohort week", cell: (week) => formatDate(weekStartOf(week)) },
    { header: "Referrers", cell: (week) => formatCount(week.referrers), align: "right" },
    { header: "Invites", cell: (week) => formatCount(week.invites), align: "right" },
    { header: "Accepted", cell: (week) => formatCount(week.accepted), align: "right" },
    { header: "Qualified", cell: (week) => formatCount(week.qualified), align: "right" },
    { header: "Viral coefficient", cell: (week) => ratio(week.viralCoefficient), align: "right" },
  ];
  return (
    <section className="boon-report-part" aria-labelledby={`referral-${stats.programId}`}>
      <div className="boon-row">
        <h3 id={`referral-${stats.programId}`} className="boon-mono">
          {stats.programId}
        </h3>
        <StateBadge state={stats.phase} />
      </div>
      <div className="boon-stats">
        <Stat
          label="Viral coefficient"
          value={ratio(stats.viralCoefficient)}
          hint="Invites per referrer × qualified per accepted"
        />
        <Stat label="In review" value={formatCount(stats.funnel.inReview)} />
        <Stat label="Rewards granted" value={formatCount(stats.funnel.rewardsGranted)} />
        <Stat label="Budget" value={budgetText(stats)} />
      </div>
      <div className="boon-grid">
        <FunnelChart
          label={`${stats.programId}: referral funnel`}
          stages={referralFunnel(stats)}
          formatValue={count}
        />
        <TimeChart
          label={`${stats.programId}: viral coefficient by weekly cohort`}
          x={x}
          series={series}
          formatValue={(value) => value.toFixed(2)}
          integer={false}
          formatX={(week) => formatDate(week).replace(/, \d{4}$/, "")}
          height={200}
          empty="No cohorts yet: nobody has been invited."
        />
      </div>
      {weeks.length === 0 ? null : (
        <Table
          columns={columns}
          rows={weeks}
          rowKey={(week) => weekStartOf(week) ?? ""}
          caption={`${stats.programId} by weekly cohort`}
        />
      )}
    </section>
  );
}

function ratio(value: number | null): string {
  return value === null ? "—" : value.toFixed(2);
}

function BudgetCredits(props: { readonly stats: ReferralStats }) {
  const { budget } = props.stats;
  return budget.credits === null ? (
    <>
      <Credits minor={budget.givenCredits} /> given, no limit
    </>
  ) : (
    <>
      <Credits minor={budget.givenCredits} unit={false} /> of <Credits minor={budget.credits} />
    </>
  );
}

function budgetText(stats: ReferralStats) {
  const { budget } = stats;
  const resets =
    budget.resets === null
      ? `${formatCount(budget.givenResets)} resets`
      : `${formatCount(budget.givenResets)} of ${formatCount(budget.resets)} resets`;
  return (
    <span className="boon-budget">
      <BudgetCredits stats={stats} />
      <span>{resets}</span>
      {budget.exhausted ? <StateBadge state="exhausted" /> : null}
    </span>
  );
}

function UsageSection() {
  const { client } = useSession();
  const report = useResource(() => client.call("usageReport"), [client]);
  return (
    <Card title="Usage against limits">
      <Loaded resource={report} isEmpty={(data) => data.plans.length === 0} empty="No plans yet.">
        {(data) => (
          <div className="boon-stack">
            {data.plans.map((plan) => (
              <UsagePlan key={plan.planId} plan={plan} />
            ))}
          </div>
        )}
      </Loaded>
    </Card>
  );
}

function UsagePlan(props: { readonly plan: UsageReport["plans"][number] }) {
  const { plan } = props;
  const bands = plan.windows[0]?.bands ?? [];
  const columns: Column<(typeof plan.windows)[number]>[] = [
    { header: "Window", cell: (window) => <span className="boon-mono">{window.windowId}</span> },
    { header: "Using it", cell: (window) => formatCount(window.customersWithUsage), align: "right" },
    ...bands.map(
      (band, index): Column<(typeof plan.windows)[number]> => ({
        header: bandLabel(band),
        cell: (window) => formatCount(window.bands[index]?.customers ?? 0),
        align: "right",
      }),
    ),
  ];
  return (
    <section className="boon-report-part" aria-labelledby={`usage-${plan.planId}`}>
      <h3 id={`usage-${plan.planId}`}>
        Plan <span className="boon-mono">{plan.planId}</span>{" "}
        <span className="boon-hint">
          v{plan.planVersion}, {formatCount(plan.customers)} {plan.customers === 1 ? "customer" : "customers"}
        </span>
      </h3>
      <BarChart
        label={`Plan ${plan.planId}: customers at the limit, of those using each window`}
        bars={usageBars(plan)}
        formatValue={count}
        empty="This plan has no windows."
      />
      {plan.windows.length === 0 ? null : (
        <Table
          columns={columns}
          rows={plan.windows}
          rowKey={(window) => window.windowId}
          caption={`Plan ${plan.planId} by window`}
        />
      )}
    </section>
  );
}
