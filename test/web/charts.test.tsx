// @vitest-environment happy-dom
/**
 * The SVG charts: their scales (nice steps, whole ticks for counts and minor units, stacking, bars
 * against their own limits, funnel shares), rows that keep labels and values apart on a phone, the
 * summaries that name each chart for assistive technology, and the empty state instead of a chart.
 */
import { cleanup, render, screen } from "@testing-library/react";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import {
  axisTicks,
  BarChart,
  barShares,
  chartColor,
  FunnelChart,
  funnelSteps,
  layoutRows,
  linearScale,
  niceStep,
  stackSeries,
  summarizeBars,
  summarizeFunnel,
  summarizeTimeSeries,
  TimeChart,
} from "../../src/web/components/charts.js";

afterEach(cleanup);

const credits = (value: number) => (value / 100).toFixed(2);

describe("the scales", () => {
  it("rounds a step up to 1, 2 or 5 times a power of ten", () => {
    expect([0.3, 1, 1.1, 3, 7, 12, 2400, 0].map(niceStep)).toEqual([0.5, 1, 2, 5, 10, 20, 5000, 1]);
  });

  it("reaches the largest value in a few even steps from zero", () => {
    expect(axisTicks(100)).toEqual([0, 50, 100]);
    expect(axisTicks(7600)).toEqual([0, 2000, 4000, 6000, 8000]);
    expect(axisTicks(0.8, { integer: false })).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
  });

  it("has whole ticks only for whole values, even with nothing to show", () => {
    expect(axisTicks(0, { integer: true })).toEqual([0, 1]);
    expect(axisTicks(3, { integer: true })).toEqual([0, 1, 2, 3]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000_000 }), (max) => {
        const ticks = axisTicks(max, { integer: true });
        const top = ticks[ticks.length - 1] ?? 0;
        expect(ticks[0]).toBe(0);
        expect(top).toBeGreaterThanOrEqual(max);
        expect(ticks.every(Number.isInteger)).toBe(true);
        expect(ticks.length).toBeLessThanOrEqual(7);
        const step = ticks[1] ?? 0;
        expect(ticks.every((tick, index) => tick === index * step)).toBe(true);
      }),
    );
  });

  it("maps a domain onto a range, a flat domain onto its start", () => {
    const y = linearScale([0, 100], [200, 0]);
    expect([0, 50, 100].map(y)).toEqual([200, 100, 0]);
    expect(linearScale([5, 5], [10, 20])(5)).toBe(10);
  });

  it("stacks series in order, each on those below it", () => {
    const stacked = stackSeries(
      [
        { name: "a", values: [1, 2, 3] },
        { name: "b", values: [10, -5, 0] },
      ],
      3,
    );
    expect(stacked).toEqual([
      [1, 2, 3],
      [11, 2, 3],
    ]);
  });

  it("draws bars on one scale, or each against its own limit when all have one", () => {
    expect(
      barShares([
        { label: "a", value: 5 },
        { label: "b", value: 10 },
      ]),
    ).toEqual([0.5, 1]);
    expect(
      barShares([
        { label: "a", value: 5, limit: 10 },
        { label: "b", value: 30, limit: 20 },
        { label: "c", value: 0, limit: 0 },
      ]),
    ).toEqual([0.5, 1, 0]);
  });

  it("gives each funnel stage its share of the first and of the one before", () => {
    expect(
      funnelSteps([
        { label: "sent", value: 200 },
        { label: "claimed", value: 50 },
        { label: "used", value: 0 },
        { label: "again", value: 10 },
      ]),
    ).toEqual([
      { label: "sent", value: 200, ofFirst: 1, ofPrevious: null },
      { label: "claimed", value: 50, ofFirst: 0.25, ofPrevious: 0.25 },
      { label: "used", value: 0, ofFirst: 0, ofPrevious: 0 },
      { label: "again", value: 10, ofFirst: 0.05, ofPrevious: null },
    ]);
  });

  it("colors series with the six theme variables, then repeats", () => {
    expect([0, 5, 6].map(chartColor)).toEqual([
      "var(--boon-chart-1)",
      "var(--boon-chart-6)",
      "var(--boon-chart-1)",
    ]);
  });
});

describe("rows of labels and values", () => {
  it("keeps the value beside its label when both fit, on a line of its own when not", () => {
    const texts = [{ label: "messages/5h", value: "46 of 225" }];
    const wide = layoutRows(texts, 600, 12);
    expect(wide.rows[0]).toMatchObject({ valueAnchor: "end", valueY: 14, barY: 20 });
    const narrow = layoutRows(
      [{ label: "messages/weekly, resets Nov 30, 2026, 12:00 AM", value: "46 of 1,500" }],
      340,
      12,
    );
    expect(narrow.rows[0]).toMatchObject({ valueAnchor: "start", valueY: 30, barY: 36 });
    expect(narrow.height).toBeGreaterThan(wide.height);
  });

  it("cuts a label wider than the chart, with an ellipsis", () => {
    const [row] = layoutRows([{ label: "x".repeat(200), value: "1" }], 340, 12).rows;
    expect(row?.label.endsWith("…")).toBe(true);
    expect((row?.label.length ?? 0) * 6.8).toBeLessThanOrEqual(340);
  });
});

describe("the summaries", () => {
  it("says the span and the latest values, with their total when stacked", () => {
    const text = summarizeTimeSeries({
      label: "Outstanding credits",
      x: ["Jun 1", "Jun 2"],
      series: [
        { name: "Purchased", values: [100, 250] },
        { name: "Promotional", values: [0, 50] },
      ],
      stacked: true,
      formatValue: credits,
    });
    expect(text).toBe(
      "Outstanding credits, stacked area chart from Jun 1 to Jun 2. Latest: Purchased 2.50, Promotional 0.50; total 3.00.",
    );
  });

  it("names every bar and every stage", () => {
    expect(summarizeBars("Usage", [{ label: "messages/5h", value: 46, limit: 225 }], String)).toBe(
      "Usage, bar chart. messages/5h: 46 of 225.",
    );
    expect(
      summarizeFunnel(
        "Gifts",
        [
          { label: "Sent", value: 4 },
          { label: "Claimed", value: 1 },
        ],
        String,
      ),
    ).toBe("Gifts, funnel. Sent 4, Claimed 1 (25% of the step before).");
  });
});

describe("the charts on a page", () => {
  it("is one image named by its summary, with the numbers in its description", () => {
    render(
      <TimeChart
        label="Outstanding credits by kind"
        x={["Jun 1", "Jun 2", "Jun 3"]}
        series={[{ name: "Purchased", values: [100, 200, 300] }]}
        stacked
        formatValue={credits}
      />,
    );
    const image = screen.getByRole("img", {
      name: /^Outstanding credits by kind, stacked area chart from Jun 1 to Jun 3/,
    });
    const description = document.getElementById(image.getAttribute("aria-describedby") ?? "");
    expect(description?.textContent).toContain("Jun 2: Purchased 2.00");
    expect(image.querySelector("polygon")).not.toBeNull();
    expect(screen.getByText("Purchased", { selector: "li" })).toBeTruthy();
  });

  it("says there is nothing to show instead of drawing empty axes", () => {
    render(<TimeChart label="Breakage" x={[]} series={[]} formatValue={credits} empty="Nothing expired." />);
    expect(screen.getByText("Nothing expired.")).toBeTruthy();
    expect(screen.queryByRole("img")).toBeNull();
    cleanup();
    render(<BarChart label="Usage" bars={[]} formatValue={String} />);
    expect(screen.getByText("No data yet.")).toBeTruthy();
    cleanup();
    render(<FunnelChart label="Gifts" stages={[{ label: "Sent", value: 0 }]} />);
    expect(screen.getByText("Nothing has entered this funnel yet.")).toBeTruthy();
  });

  it("draws a full bar against its limit in the warning color", () => {
    render(
      <BarChart
        label="Usage"
        bars={[
          { label: "messages/5h", value: 225, limit: 225 },
          { label: "messages/weekly", value: 46, limit: 1500 },
        ]}
        formatValue={String}
      />,
    );
    const fills = [...screen.getByRole("img").querySelectorAll("rect")].map((rect) =>
      rect.getAttribute("style"),
    );
    expect(fills.some((style) => style?.includes("--boon-bad"))).toBe(true);
    expect(
      screen.getByRole("img", {
        name: "Usage, bar chart. messages/5h: 225 of 225; messages/weekly: 46 of 1500.",
      }),
    ).toBeTruthy();
  });
});
