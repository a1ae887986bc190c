/** The Prometheus text: request latency by route, batch sizes and the database time of each batch. */
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { createEngine } from "../../src/engine/engine.js";
import { Metrics } from "../../src/http/metrics.js";
import { backends } from "../support/backends.js";

describe("metrics", () => {
  it("counts each batch's size and database time as histograms", () => {
    const metrics = new Metrics();
    metrics.observeBatch(3, 0.004);
    metrics.observeBatch(40, 0.2);
    const text = metrics.render();
    expect(text).toContain("# TYPE boon_batch_duration_seconds histogram");
    expect(text).toMatch(/boon_batch_size_count 2\n/);
    expect(text).toMatch(/boon_batch_size_sum 43\n/);
    expect(text).toMatch(/boon_batch_duration_seconds_count 2\n/);
    expect(text).toMatch(/boon_batch_duration_seconds_sum 0\.204/);
    expect(text).toMatch(/boon_batch_duration_seconds_bucket\{le="\+Inf"\} 2\n/);
  });

  it("is fed by the engine as each batch commits", async () => {
    const [backend] = backends();
    if (backend === undefined) throw new Error("no backend");
    const store = await backend.open();
    try {
      const seen: { size: number; seconds: number }[] = [];
      const engine = await createEngine({
        store,
        clock: new ManualClock(Date.UTC(2026, 5, 11)),
        onBatch: (size, seconds) => seen.push({ size, seconds }),
      });
      await engine.upsertCustomer({ id: "cus_m" });
      await Promise.all(
        [1, 2, 3].map((n) =>
          engine.grant({
            customerId: "cus_m",
            amountMinor: 10,
            kind: "promotional",
            idempotencyKey: `m-${n}`,
          }),
        ),
      );
      expect(seen.reduce((sum, batch) => sum + batch.size, 0)).toBe(3);
      for (const batch of seen) expect(batch.seconds).toBeGreaterThan(0);
    } finally {
      await store.close();
      await backend.cleanup();
    }
  });
});
