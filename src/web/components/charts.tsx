/**
 * Small SVG charts for the operator's reports: values over time (stacked areas or lines), bars
 * (optionally against a limit each) and a funnel. Each chart is drawn at the width of its container,
 * so its text stays readable on a phone, is colored by the --boon-chart-1..6 variables, and is one
 * image to assistive technology: `role="img"` with a summary for its name and the numbers in <desc>.
 * The scales and summaries are pure functions, exported for tests.
 */
import { type ReactNode, type RefObject, useEffect, useId, useRef, useState } from "react";
import { Empty } from "./ui.js";

/** How many themed colors there are (`--boon-chart-1` to `--boon-chart-6`); series past that repeat. */
export const CHART_COLORS_COUNT = 6;
/** The width a chart is drawn at before its container is measured (and where there is no layout). */
export const CHART_WIDTH_PX_DEFAULT = 640;
const CHART_WIDTH_PX_MIN = 240;
const FONT_PX = 12;

export function chartColor(index: number): string {
  return `var(--boon-chart-${(index % CHART_COLORS_COUNT) + 1})`;
}

/** A step between ticks: the rough step rounded up to 1, 2 or 5 times a power of ten. */
export function niceStep(roughStep: number): number {
  if (!Number.isFinite(roughStep) || roughStep <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(roughStep));
  for (const multiple of [1, 2, 5]) {
    if (multiple * power >= roughStep) return multiple * power;
  }
  return 10 * power;
}

/**
 * The ticks of a value axis from 0: about `count` nice steps reaching at least `max`. With
 * `integer`, steps are whole (counts and minor units have nothing between 0 and 1).
 */
export function axisTicks(
  max: number,
  options: { readonly count?: number; readonly integer?: boolean } = {},
): number[] {
  const count = options.count ?? 4;
  const top = Number.isFinite(max) && max > 0 ? max : 0;
  let step = niceStep(top > 0 ? top / count : 1 / count);
  if (options.integer === true) step = Math.max(1, Math.round(step));
  const steps = Math.max(1, Math.ceil(top / step - 1e-9));
  return Array.from({ length: steps + 1 }, (_, index) => Number((index * step).toPrecision(12)));
}

/** Maps a value in `domain` to a position in `range`; a zero-width domain maps to the range's start. */
export function linearScale(
  domain: readonly [number, number],
  range: readonly [number, number],
): (value: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  return (value) => (span === 0 ? r0 : r0 + ((value - d0) / span) * (r1 - r0));
}

export interface Series {
  readonly name: string;
  readonly values: readonly number[];
}

/** For each series, its running top at each point: series drawn in order, each on those below it. */
export function stackSeries(series: readonly Series[], length: number): number[][] {
  const base = new Array<number>(length).fill(0);
  return series.map((one) =>
    base.map((below, index) => {
      const top = below + Math.max(0, one.values[index] ?? 0);
      base[index] = top;
      return top;
    }),
  );
}

function useChartWidth(): [RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement | null>(null);
  const [width, setWidth] = useState(CHART_WIDTH_PX_DEFAULT);
  useEffect(() => {
    const element = ref.current;
    if (element === null || typeof ResizeObserver === "undefined") return;
    const measure = () => {
      const measured = Math.floor(element.getBoundingClientRect().width);
      if (measured > 0) setWidth(Math.max(CHART_WIDTH_PX_MIN, measured));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/** The frame every chart shares: the measured box, the labeled image, and what goes under it. */
function ChartFrame(props: {
  readonly summary: string;
  readonly details: string;
  /** The drawing's height, which may depend on its width (rows whose texts wrap on a phone). */
  readonly height: number | ((width: number) => number);
  readonly render: (width: number) => ReactNode;
  readonly below?: ReactNode;
}) {
  const [ref, width] = useChartWidth();
  const id = useId();
  const height = typeof props.height === "number" ? props.height : props.height(width);
  return (
    <figure className="boon-chart" ref={ref}>
      <svg
        role="img"
        aria-label={props.summary}
        aria-describedby={`${id}-desc`}
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        fontSize={FONT_PX}
      >
        <title>{props.summary}</title>
        <desc id={`${id}-desc`}>{props.details}</desc>
        {props.render(width)}
      </svg>
      {props.below}
    </figure>
  );
}

export function Legend(props: { readonly names: readonly string[] }) {
  return (
    <ul className="boon-legend" aria-hidden="true">
      {props.names.map((name, index) => (
        <li key={name}>
          <span className="boon-legend-swatch" style={{ background: chartColor(index) }} />
          {name}
        </li>
      ))}
    </ul>
  );
}

const SWATCH_TEXT = { fill: "var(--boon-text-muted)" } as const;
const GRID_LINE = { stroke: "var(--boon-border)" } as const;

export interface TimeChartProps {
  /** What the chart shows, e.g. "Outstanding credits by kind": the start of its accessible name. */
  readonly label: string;
  /** The points in time (ISO-8601) or period names, oldest first; the series hold one value each. */
  readonly x: readonly string[];
  readonly series: readonly Series[];
  /** Areas stacked on one another (parts of a whole), or lines (separate measures). */
  readonly stacked?: boolean;
  readonly formatValue: (value: number) => string;
  readonly formatX?: (x: string) => string;
  /** Whether the values are whole (counts, minor units): the axis then has whole ticks only. */
  readonly integer?: boolean;
  readonly height?: number;
  readonly empty?: ReactNode;
}

/** A sentence for screen readers: the span and the latest values, with their total when stacked. */
export function summarizeTimeSeries(props: TimeChartProps): string {
  const formatX = props.formatX ?? ((x: string) => x);
  const last = props.x.length - 1;
  const first = props.x[0];
  const lastX = props.x[last];
  if (first === undefined || lastX === undefined) return `${props.label}: no data`;
  const kind = props.stacked === true ? "stacked area chart" : "line chart";
  const span = last === 0 ? `at ${formatX(first)}` : `from ${formatX(first)} to ${formatX(lastX)}`;
  const latest = props.series.map((one) => `${one.name} ${props.formatValue(one.values[last] ?? 0)}`);
  const total = props.series.reduce((sum, one) => sum + (one.values[last] ?? 0), 0);
  const totalText = props.stacked === true ? `; total ${props.formatValue(total)}` : "";
  return `${props.label}, ${kind} ${span}. Latest: ${latest.join(", ")}${totalText}.`;
}

function timeDetails(props: TimeChartProps): string {
  const formatX = props.formatX ?? ((x: string) => x);
  return props.x
    .map(
      (x, index) =>
        `${formatX(x)}: ${props.series.map((one) => `${one.name} ${props.formatValue(one.values[index] ?? 0)}`).join(", ")}`,
    )
    .join(". ");
}

const PAD = { top: 12, right: 12, bottom: 28 } as const;
/** A rough width of a character of the axis font, to leave room for the longest tick label. */
const CHAR_PX = 7.5;

/** Values over time: stacked areas for the parts of a whole, lines for separate measures. */
export function TimeChart(props: TimeChartProps) {
  const height = props.height ?? 240;
  if (props.x.length === 0 || props.series.length === 0)
    return <Empty>{props.empty ?? "No data for this period yet."}</Empty>;
  const count = props.x.length;
  const tops =
    props.stacked === true ? stackSeries(props.series, count) : props.series.map((s) => [...s.values]);
  const max = Math.max(0, ...tops.flat());
  const ticks = axisTicks(max, { integer: props.integer !== false });
  const yOf = linearScale([0, ticks[ticks.length - 1] ?? 1], [height - PAD.bottom, PAD.top]);
  const formatX = props.formatX ?? ((x: string) => x);
  const left = 10 + CHAR_PX * Math.max(...ticks.map((tick) => props.formatValue(tick).length));
  return (
    <ChartFrame
      summary={summarizeTimeSeries(props)}
      details={timeDetails(props)}
      height={height}
      below={<Legend names={props.series.map((one) => one.name)} />}
      render={(width) => {
        const xOf = (index: number) =>
          count === 1
            ? (left + width - PAD.right) / 2
            : linearScale([0, count - 1], [left, width - PAD.right])(index);
        const labelEvery = Math.max(1, Math.ceil(count / Math.max(1, Math.floor((width - left) / 90))));
        return (
          <>
            {ticks.map((tick) => (
              <g key={tick}>
                <line x1={left} x2={width - PAD.right} y1={yOf(tick)} y2={yOf(tick)} style={GRID_LINE} />
                <text x={left - 6} y={yOf(tick)} dy="0.32em" textAnchor="end" style={SWATCH_TEXT}>
                  {props.formatValue(tick)}
                </text>
              </g>
            ))}
            {props.x.map((x, index) =>
              index === count - 1 || (index % labelEvery === 0 && count - 1 - index >= labelEvery / 2) ? (
                <text
                  key={x}
                  x={xOf(index)}
                  y={height - 8}
                  textAnchor={index === count - 1 && count > 1 ? "end" : "middle"}
                  style={SWATCH_TEXT}
                >
                  {formatX(x)}
                </text>
              ) : null,
            )}
            {tops.map((top, seriesIndex) => (
              <SeriesShape
                // biome-ignore lint/suspicious/noArrayIndexKey: a series keeps its place while the chart lives.
                key={seriesIndex}
                top={top}
                below={props.stacked === true ? (tops[seriesIndex - 1] ?? null) : undefined}
                xOf={xOf}
                yOf={yOf}
                color={chartColor(seriesIndex)}
              />
            ))}
          </>
        );
      }}
    />
  );
}

function SeriesShape(props: {
  readonly top: readonly number[];
  /** The series below (stacked areas), null for the bottom one, undefined for a line. */
  readonly below: readonly number[] | null | undefined;
  readonly xOf: (index: number) => number;
  readonly yOf: (value: number) => number;
  readonly color: string;
}) {
  const { top, below, xOf, yOf, color } = props;
  const line = top.map((value, index) => `${xOf(index)},${yOf(value)}`).join(" ");
  const area =
    below === undefined
      ? null
      : `${line} ${top
          .map((_, index) => `${xOf(index)},${yOf(below?.[index] ?? 0)}`)
          .reverse()
          .join(" ")}`;
  return (
    <g>
      {area === null ? null : <polygon points={area} style={{ fill: color, fillOpacity: 0.35 }} />}
      <polyline points={line} style={{ fill: "none", stroke: color, strokeWidth: 2 }} />
      {top.length === 1 ? <circle cx={xOf(0)} cy={yOf(top[0] ?? 0)} r={4} style={{ fill: color }} /> : null}
    </g>
  );
}

/** A rough width of a character of the 12px chart font, to decide when texts need a line each. */
const TEXT_CHAR_PX = 6.8;
const TEXT_LINE_PX = 16;

export interface RowText {
  /** Where the row starts. */
  readonly y: number;
  /** The label as drawn: cut with an ellipsis when it is wider than the chart. */
  readonly label: string;
  /** Where the value's baseline is: beside the label, or on a line of its own under it. */
  readonly valueY: number;
  readonly valueAnchor: "end" | "start";
  /** Where the bar starts. */
  readonly barY: number;
}

/**
 * Rows of a bar-like chart: a label with its value over a bar. When both don't fit on one line
 * (a phone), the value takes a line of its own, so the two never overlap.
 */
export function layoutRows(
  texts: readonly { readonly label: string; readonly value: string }[],
  width: number,
  barPx: number,
): { rows: RowText[]; height: number } {
  const charsMax = Math.max(4, Math.floor(width / TEXT_CHAR_PX));
  let y = 0;
  const rows = texts.map(({ label, value }) => {
    const fits = (label.length + value.length + 2) * TEXT_CHAR_PX <= width;
    const cut = label.length > charsMax ? `${label.slice(0, charsMax - 1)}…` : label;
    const row: RowText = {
      y,
      label: cut,
      valueY: y + (fits ? 14 : 14 + TEXT_LINE_PX),
      valueAnchor: fits ? "end" : "start",
      barY: y + (fits ? 20 : 20 + TEXT_LINE_PX),
    };
    y = row.barY + barPx + 8;
    return row;
  });
  return { rows, height: y };
}

export interface Bar {
  readonly label: string;
  readonly value: number;
  /** When every bar has one, each bar is drawn against its own limit (a share of it) instead of one scale. */
  readonly limit?: number | null;
}

/** Each bar's fill as a share of its track (0 to 1): of its own limit, or of the largest value. */
export function barShares(bars: readonly Bar[]): number[] {
  // A limit of 0 (nobody using a window, say) still puts its bar on the per-limit scale, empty.
  const ownLimits = bars.length > 0 && bars.every((bar) => typeof bar.limit === "number");
  const max = Math.max(0, ...bars.map((bar) => bar.value));
  return bars.map((bar) => {
    const of = ownLimits ? (bar.limit ?? 0) : max;
    return of <= 0 ? 0 : Math.min(1, Math.max(0, bar.value / of));
  });
}

function barText(bar: Bar, formatValue: (value: number) => string): string {
  return typeof bar.limit === "number"
    ? `${formatValue(bar.value)} of ${formatValue(bar.limit)}`
    : formatValue(bar.value);
}

export function summarizeBars(
  label: string,
  bars: readonly Bar[],
  formatValue: (value: number) => string,
): string {
  if (bars.length === 0) return `${label}: no data`;
  return `${label}, bar chart. ${bars.map((bar) => `${bar.label}: ${barText(bar, formatValue)}`).join("; ")}.`;
}

const BAR_PX = 12;

/** Horizontal bars with their labels above them, which keeps long labels readable at any width. */
export function BarChart(props: {
  readonly label: string;
  readonly bars: readonly Bar[];
  readonly formatValue: (value: number) => string;
  readonly empty?: ReactNode;
}) {
  if (props.bars.length === 0) return <Empty>{props.empty ?? "No data yet."}</Empty>;
  const shares = barShares(props.bars);
  const texts = props.bars.map((bar) => ({ label: bar.label, value: barText(bar, props.formatValue) }));
  const summary = summarizeBars(props.label, props.bars, props.formatValue);
  return (
    <ChartFrame
      summary={summary}
      details={summary}
      height={(width) => layoutRows(texts, width, BAR_PX).height}
      render={(width) =>
        layoutRows(texts, width, BAR_PX).rows.map((row, index) => {
          const bar = props.bars[index];
          const share = shares[index] ?? 0;
          const full = typeof bar?.limit === "number" && bar.limit > 0 && bar.value >= bar.limit;
          const color = full ? "var(--boon-bad)" : chartColor(index);
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: labels may repeat; the order is the identity.
            <g key={index}>
              <text x={0} y={row.y + 14} style={{ fill: "var(--boon-text)" }}>
                {row.label}
              </text>
              <text
                x={row.valueAnchor === "end" ? width : 0}
                y={row.valueY}
                textAnchor={row.valueAnchor}
                style={SWATCH_TEXT}
              >
                {texts[index]?.value}
              </text>
              <rect
                x={0}
                y={row.barY}
                width={width}
                height={BAR_PX}
                rx={3}
                style={{ fill: "var(--boon-surface-muted)" }}
              />
              <rect x={0} y={row.barY} width={width * share} height={BAR_PX} rx={3} style={{ fill: color }} />
            </g>
          );
        })
      }
    />
  );
}

export interface FunnelStage {
  readonly label: string;
  readonly value: number;
}

export interface FunnelStep extends FunnelStage {
  /** Of the first stage; null when the first stage is zero. */
  readonly ofFirst: number | null;
  /** Of the stage before; null for the first stage or when the one before is zero. */
  readonly ofPrevious: number | null;
}

export function funnelSteps(stages: readonly FunnelStage[]): FunnelStep[] {
  const first = stages[0]?.value ?? 0;
  return stages.map((stage, index) => {
    const previous = index === 0 ? 0 : (stages[index - 1]?.value ?? 0);
    return {
      ...stage,
      ofFirst: first > 0 ? stage.value / first : null,
      ofPrevious: index === 0 || previous <= 0 ? null : stage.value / previous,
    };
  });
}

function percent(share: number | null): string {
  return share === null ? "—" : `${Math.round(share * 1000) / 10}%`;
}

export function summarizeFunnel(
  label: string,
  stages: readonly FunnelStage[],
  formatValue: (value: number) => string,
): string {
  if (stages.length === 0) return `${label}: no data`;
  const steps = funnelSteps(stages).map((step, index) =>
    index === 0
      ? `${step.label} ${formatValue(step.value)}`
      : `${step.label} ${formatValue(step.value)} (${percent(step.ofPrevious)} of the step before)`,
  );
  return `${label}, funnel. ${steps.join(", ")}.`;
}

const FUNNEL_BAR_PX = 20;

/** Stages narrowing from the first: each bar's width is its share of the largest stage. */
export function FunnelChart(props: {
  readonly label: string;
  readonly stages: readonly FunnelStage[];
  readonly formatValue?: (value: number) => string;
  readonly empty?: ReactNode;
}) {
  const formatValue = props.formatValue ?? ((value: number) => value.toLocaleString("en-US"));
  const steps = funnelSteps(props.stages);
  if (steps.length === 0 || steps.every((step) => step.value === 0))
    return <Empty>{props.empty ?? "Nothing has entered this funnel yet."}</Empty>;
  const max = Math.max(...steps.map((step) => step.value));
  const texts = steps.map((step, index) => ({
    label: step.label,
    value: `${formatValue(step.value)}${index === 0 ? "" : ` · ${percent(step.ofPrevious)} of previous`}`,
  }));
  const summary = summarizeFunnel(props.label, props.stages, formatValue);
  return (
    <ChartFrame
      summary={summary}
      details={summary}
      height={(width) => layoutRows(texts, width, FUNNEL_BAR_PX).height}
      render={(width) =>
        layoutRows(texts, width, FUNNEL_BAR_PX).rows.map((row, index) => {
          const step = steps[index];
          const value = step?.value ?? 0;
          const barWidth = max === 0 ? 0 : Math.max(2, (value / max) * width);
          return (
            <g key={step?.label ?? index}>
              <text x={0} y={row.y + 14} style={{ fill: "var(--boon-text)" }}>
                {row.label}
              </text>
              <text
                x={row.valueAnchor === "end" ? width : 0}
                y={row.valueY}
                textAnchor={row.valueAnchor}
                style={SWATCH_TEXT}
              >
                {texts[index]?.value}
              </text>
              <rect
                x={(width - barWidth) / 2}
                y={row.barY}
                width={barWidth}
                height={FUNNEL_BAR_PX}
                rx={3}
                style={{
                  fill: chartColor(0),
                  fillOpacity: 1 - index * (0.5 / Math.max(1, steps.length - 1)),
                }}
              />
            </g>
          );
        })
      }
    />
  );
}
