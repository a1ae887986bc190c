/**
 * Prometheus metrics in the text exposition format: requests and their latency by route and status,
 * and the sizes of group-commit batches. Small enough to keep by hand: a counter map and fixed-bucket
 * histograms.
 */

/** Latency buckets in seconds: sub-millisecond to a few seconds. */
export const LATENCY_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
export const BATCH_SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];
/** Distinct label sets kept per metric: routes are few, but a bound keeps a bug from growing memory. */
export const LABEL_SETS_MAX = 1000;

class Histogram {
  private readonly series = new Map<string, { counts: number[]; sum: number; count: number }>();
  constructor(private readonly buckets: readonly number[]) {}

  observe(labels: string, value: number): void {
    let entry = this.series.get(labels);
    if (entry === undefined) {
      if (this.series.size >= LABEL_SETS_MAX) return;
      entry = { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(labels, entry);
    }
    this.buckets.forEach((bound, index) => {
      if (value <= bound && entry !== undefined) entry.counts[index] = (entry.counts[index] ?? 0) + 1;
    });
    entry.sum += value;
    entry.count += 1;
  }

  render(name: string, help: string): string[] {
    const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
    for (const [labels, entry] of this.series) {
      const prefix = labels === "" ? "" : `${labels},`;
      this.buckets.forEach((bound, index) => {
        lines.push(`${name}_bucket{${prefix}le="${bound}"} ${entry.counts[index] ?? 0}`);
      });
      lines.push(`${name}_bucket{${prefix}le="+Inf"} ${entry.count}`);
      const braces = labels === "" ? "" : `{${labels}}`;
      lines.push(`${name}_sum${braces} ${entry.sum}`, `${name}_count${braces} ${entry.count}`);
    }
    return lines;
  }
}

const label = (value: string): string => value.replace(/["\\\n]/g, "_");

export class Metrics {
  private readonly requests = new Histogram(LATENCY_BUCKETS_SECONDS);
  private readonly batches = new Histogram(BATCH_SIZE_BUCKETS);
  private readonly batchSeconds = new Histogram(LATENCY_BUCKETS_SECONDS);

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.requests.observe(`method="${label(method)}",route="${label(route)}",status="${status}"`, seconds);
  }

  /** A group-commit batch: its size, and the time its database transaction took. */
  observeBatch(size: number, seconds: number): void {
    this.batches.observe("", size);
    this.batchSeconds.observe("", seconds);
  }

  render(): string {
    return [
      ...this.requests.render(
        "boon_http_request_duration_seconds",
        "HTTP requests by route and status, with their latency.",
      ),
      ...this.batches.render("boon_batch_size", "Requests per group-commit batch."),
      ...this.batchSeconds.render(
        "boon_batch_duration_seconds",
        "Database time per group-commit batch: its transaction, from the first statement to the commit.",
      ),
      "",
    ].join("\n");
  }
}
