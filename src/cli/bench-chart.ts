/**
 * The benchmark as a picture: one SVG bar chart, a group per backend and scenario, the naive baseline
 * beside group commit, each bar labeled with its rate, and the ratio above each pair.
 */
import type { BenchReport, BenchRun } from "./bench.js";

const GROUP_WIDTH_PX = 150;
const HEIGHT_PX = 380;
const MARGIN = { top: 56, right: 24, bottom: 64, left: 72 } as const;
const COLORS = { naive: "#9aa4b2", group: "#2f6fde" } as const;

const escapeXml = (text: string): string =>
  text.replace(/[<>&"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[c] ?? c);

function niceCeiling(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(value, 1)));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

function axis(maxOps: number, plotHeight: number, widthPx: number): string[] {
  const lines: string[] = [];
  for (let tick = 0; tick <= 4; tick += 1) {
    const value = (maxOps / 4) * tick;
    const y = MARGIN.top + plotHeight - (value / maxOps) * plotHeight;
    lines.push(
      `<line x1="${MARGIN.left}" x2="${widthPx - MARGIN.right}" y1="${y}" y2="${y}" stroke="#e3e6ea"/>`,
      `<text x="${MARGIN.left - 8}" y="${y + 4}" text-anchor="end" font-size="11" fill="#555">${Math.round(value).toLocaleString("en-US")}</text>`,
    );
  }
  return lines;
}

export function renderBenchChart(report: BenchReport): string {
  const label = (run: BenchRun): string => `${run.backend} ${run.workload} ${run.scenario}`;
  const groups = [...new Set(report.runs.map(label))];
  const widthPx = Math.max(480, MARGIN.left + MARGIN.right + groups.length * GROUP_WIDTH_PX);
  const plotWidth = widthPx - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT_PX - MARGIN.top - MARGIN.bottom;
  const maxOps = niceCeiling(Math.max(...report.runs.map((run) => run.opsPerSec)));
  const slot = plotWidth / Math.max(groups.length, 1);
  const barWidth = Math.min(56, slot / 3);
  const parts = axis(maxOps, plotHeight, widthPx);
  groups.forEach((group, index) => {
    const runs = report.runs.filter((run) => label(run) === group);
    const center = MARGIN.left + slot * index + slot / 2;
    const heights: number[] = [];
    (["naive", "group"] as const).forEach((mode, offset) => {
      const run = runs.find((candidate) => candidate.mode === mode);
      if (run === undefined) return;
      heights.push(bar(parts, run, center + (offset - 1) * barWidth, barWidth, maxOps, plotHeight));
    });
    const naive = runs.find((run) => run.mode === "naive")?.opsPerSec ?? 0;
    const grouped = runs.find((run) => run.mode === "group")?.opsPerSec ?? 0;
    const top = MARGIN.top + plotHeight - Math.max(...heights, 0) - 22;
    if (naive > 0) {
      parts.push(
        `<text x="${center}" y="${top}" text-anchor="middle" font-size="12" font-weight="bold">${(grouped / naive).toFixed(1)}x</text>`,
      );
    }
    parts.push(
      `<text x="${center}" y="${HEIGHT_PX - MARGIN.bottom + 18}" text-anchor="middle" font-size="12">${escapeXml(group)}</text>`,
    );
  });
  const workloads = [...new Set(report.runs.map((run) => run.workload))].join(" and ");
  const title = `Throughput of ${workloads}, ${report.settings.concurrency} requests in flight (ops/s; higher is better)`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${widthPx}" height="${HEIGHT_PX}" font-family="sans-serif" role="img">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${MARGIN.left}" y="24" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    ...parts,
    legend(),
    "</svg>",
  ].join("\n");
}

function bar(
  parts: string[],
  run: BenchRun,
  x: number,
  width: number,
  maxOps: number,
  plotHeight: number,
): number {
  const height = (run.opsPerSec / maxOps) * plotHeight;
  const y = MARGIN.top + plotHeight - height;
  parts.push(
    `<rect x="${x}" y="${y}" width="${width - 4}" height="${height}" fill="${COLORS[run.mode]}"><title>${run.mode}: ${run.opsPerSec} ops/s, p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms</title></rect>`,
    `<text x="${x + (width - 4) / 2}" y="${y - 5}" text-anchor="middle" font-size="10" fill="#333">${run.opsPerSec.toLocaleString("en-US")}</text>`,
  );
  return height;
}

function legend(): string {
  const y = HEIGHT_PX - 22;
  return [
    `<rect x="${MARGIN.left}" y="${y - 10}" width="12" height="12" fill="${COLORS.naive}"/>`,
    `<text x="${MARGIN.left + 18}" y="${y}" font-size="12">one transaction per request (naive)</text>`,
    `<rect x="${MARGIN.left + 250}" y="${y - 10}" width="12" height="12" fill="${COLORS.group}"/>`,
    `<text x="${MARGIN.left + 268}" y="${y}" font-size="12">group commit</text>`,
  ].join("\n");
}

export interface HttpChartBar {
  readonly label: string;
  readonly perSecond: number;
  readonly p99Ms: number;
  readonly kind: "ceiling" | "engine" | "http";
}

const HTTP_COLORS = { ceiling: "#9aa4b2", engine: "#7fa7ef", http: "#2f6fde" } as const;
const HTTP_ROW_PX = 34;
const HTTP_LABEL_PX = 190;
const HTTP_WIDTH_PX = 760;

/**
 * The HTTP benchmark as horizontal bars: the trivial handler's ceiling, the engine alone and Boon over
 * HTTP, with the target (a share of the ceiling) drawn as a line across.
 */
export function renderHttpChart(bars: readonly HttpChartBar[], targetShare: number, title: string): string {
  const ceiling = bars.find((bar) => bar.kind === "ceiling")?.perSecond ?? 1;
  const maxValue = niceCeiling(Math.max(...bars.map((bar) => bar.perSecond), 1));
  const plotLeft = HTTP_LABEL_PX;
  const plotWidth = HTTP_WIDTH_PX - plotLeft - 250;
  const top = 48;
  const heightPx = top + bars.length * HTTP_ROW_PX + 56;
  const x = (value: number) => plotLeft + (value / maxValue) * plotWidth;
  const parts = bars.flatMap((bar, index) => {
    const y = top + index * HTTP_ROW_PX;
    const share = `${Math.round((bar.perSecond / ceiling) * 100)}% of ceiling, p99 ${Math.round(bar.p99Ms)} ms`;
    return [
      `<text x="${plotLeft - 8}" y="${y + 17}" text-anchor="end" font-size="12">${escapeXml(bar.label)}</text>`,
      `<rect x="${plotLeft}" y="${y + 4}" width="${x(bar.perSecond) - plotLeft}" height="20" fill="${HTTP_COLORS[bar.kind]}"><title>${escapeXml(`${bar.label}: ${bar.perSecond}/s, ${share}`)}</title></rect>`,
      `<text x="${x(bar.perSecond) + 6}" y="${y + 18}" font-size="11" fill="#333">${bar.perSecond.toLocaleString("en-US")}/s (${escapeXml(share)})</text>`,
    ];
  });
  const targetX = x(ceiling * targetShare);
  const bottom = top + bars.length * HTTP_ROW_PX;
  parts.push(
    `<line x1="${targetX}" x2="${targetX}" y1="${top - 4}" y2="${bottom + 4}" stroke="#d33" stroke-dasharray="4 3"/>`,
    `<text x="${targetX}" y="${bottom + 20}" text-anchor="middle" font-size="11" fill="#d33">target: ${Math.round(targetShare * 100)}% of the ceiling</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${HTTP_WIDTH_PX}" height="${heightPx}" font-family="sans-serif" role="img">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="16" y="26" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    ...parts,
    "</svg>",
  ].join("\n");
}
