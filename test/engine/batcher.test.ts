/** Group commit's queue on its own: batching, isolation of a failing request, and idle. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { UnavailableError } from "../../src/core/errors.js";
import { Batcher } from "../../src/engine/batcher.js";

/** A run function that records its batches and answers each request with its double. */
function recorder(poison: ReadonlySet<number> = new Set()) {
  const batches: number[][] = [];
  const run = async (requests: number[]) => {
    batches.push([...requests]);
    await Promise.resolve();
    if (requests.some((request) => poison.has(request))) throw new Error("poisoned batch");
    return requests.map((request) => request * 2);
  };
  return { batches, run };
}

describe("batcher", () => {
  it("answers every request with its own result, in batches no larger than the limit", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 64 }),
        async (count, limit) => {
          const { batches, run } = recorder();
          const batcher = new Batcher(run, { batchSizeMax: limit, lanes: 1 });
          const requests = Array.from({ length: count }, (_, index) => index);
          const results = await Promise.all(requests.map((request) => batcher.submit(request)));
          expect(results).toEqual(requests.map((request) => request * 2));
          expect(batches.every((batch) => batch.length <= limit)).toBe(true);
          expect(batches.flat().sort((a, b) => a - b)).toEqual(requests);
        },
      ),
      { numRuns: 50 },
    );
  });

  it("coalesces requests submitted together into one batch", async () => {
    const { batches, run } = recorder();
    const batcher = new Batcher(run, { batchSizeMax: 512, lanes: 1 });
    await Promise.all([1, 2, 3, 4, 5].map((request) => batcher.submit(request)));
    expect(batches).toEqual([[1, 2, 3, 4, 5]]);
  });

  it("retries a failed batch one request at a time, so only the bad request fails", async () => {
    const { batches, run } = recorder(new Set([3]));
    const batcher = new Batcher(run, { batchSizeMax: 512, lanes: 1 });
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map((request) => batcher.submit(request)));
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "rejected",
      "fulfilled",
    ]);
    expect(outcomes[0]).toEqual({ status: "fulfilled", value: 2 });
    expect(batches).toEqual([[1, 2, 3, 4], [1], [2], [3], [4]]);
  });

  it("fails the whole batch at once when the database is unavailable, without retrying each", async () => {
    const batches: number[][] = [];
    const batcher = new Batcher(
      async (requests: number[]) => {
        batches.push(requests);
        throw new UnavailableError("down");
      },
      { batchSizeMax: 512, lanes: 1 },
    );
    const outcomes = await Promise.allSettled([1, 2, 3].map((request) => batcher.submit(request)));
    expect(outcomes.every((outcome) => outcome.status === "rejected")).toBe(true);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it("keeps no more batches in flight than it has lanes, and reports idle once all are answered", async () => {
    let inFlight = 0;
    let most = 0;
    const batcher = new Batcher(
      async (requests: number[]) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        // Yield to the event loop so other lanes get the chance to start meanwhile.
        await new Promise((resolve) => setImmediate(resolve));
        inFlight -= 1;
        return requests;
      },
      { batchSizeMax: 1, lanes: 2 },
    );
    expect(await Promise.all([1, 2, 3, 4, 5].map((request) => batcher.submit(request)))).toEqual([
      1, 2, 3, 4, 5,
    ]);
    await batcher.idle();
    expect(inFlight).toBe(0);
    expect(most).toBe(2);
  });

  it("refuses a batch size or lane count below one", () => {
    const { run } = recorder();
    expect(() => new Batcher(run, { batchSizeMax: 0, lanes: 1 })).toThrow(RangeError);
    expect(() => new Batcher(run, { batchSizeMax: 1, lanes: 0 })).toThrow(RangeError);
  });
});
