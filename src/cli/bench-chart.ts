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
