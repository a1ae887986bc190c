import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createIdGenerator, ID_PREFIXES, type IdPrefix, isId, type RandomBytes } from "../../src/core/ids.js";

const START_MS = Date.UTC(2026, 5, 1);
const ID_SHAPE = /^[a-z]{3}_[0-9a-f]{32}$/;

/** A small deterministic byte source, so that a failing case replays exactly. */
function seededBytes(seed: number): RandomBytes {
  let state = seed >>> 0 || 1;
  return (size) =>
    Uint8Array.from({ length: size }, () => {
      state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
      return state >>> 24;
    });
}

/** A clock that follows a script of moves: forward, standing still, or backwards. */
function scriptedClock(movesMs: readonly number[]): () => number {
  let nowMs = START_MS;
  let index = 0;
  return () => {
    nowMs += movesMs[index % movesMs.length] ?? 0;
    index += 1;
    return nowMs;
  };
}

const prefixArb = fc.constantFrom(...ID_PREFIXES);
const movesArb = fc.array(
  fc.oneof(fc.constant(0), fc.integer({ min: -5_000, max: -1 }), fc.integer({ min: 1, max: 5_000 })),
  { minLength: 1, maxLength: 30 },
);

describe("createIdGenerator", () => {
  it("makes strictly increasing, well-formed ids whatever the clock does", () => {
    fc.assert(
      fc.property(
        movesArb,
        fc.integer(),
        fc.array(prefixArb, { minLength: 2, maxLength: 200 }),
        (moves, seed, prefixes) => {
          const ids = createIdGenerator(seededBytes(seed), scriptedClock(moves));
          let last = "";
          for (const prefix of prefixes) {
            const id = ids.next(prefix);
            expect(id).toMatch(ID_SHAPE);
            expect(id.startsWith(`${prefix}_`)).toBe(true);
            expect(isId(id, prefix)).toBe(true);
            // Compare without the prefix: ids of one kind sort by their body.
            const body = id.slice(4);
            expect(body > last).toBe(true);
            last = body;
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("stays increasing past 4096 ids in one frozen millisecond, and after the clock catches up", () => {
    const frozen = { nowMs: START_MS };
    const ids = createIdGenerator(seededBytes(7), () => frozen.nowMs);
    let last = "";
    for (let i = 0; i < 10_000; i += 1) {
      if (i === 9_000) frozen.nowMs += 1;
      const id = ids.next("txn");
      expect(isId(id, "txn")).toBe(true);
      expect(id > last).toBe(true);
      last = id;
    }
  });

  it("stays increasing when the clock jumps back by a day", () => {
    const clock = { nowMs: START_MS };
    const ids = createIdGenerator(seededBytes(3), () => clock.nowMs);
    const before = ids.next("lot");
    clock.nowMs -= 86_400_000;
    const after = ids.next("lot");
    expect(after > before).toBe(true);
  });

  it("carries the millisecond in its first 48 bits, as UUIDv7 version 7 with the RFC 9562 variant", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2200, 0, 1) }),
        fc.integer(),
        (ms, seed) => {
          const id = createIdGenerator(seededBytes(seed), () => ms).next("hld");
          const hex = id.slice(4);
          expect(Number.parseInt(hex.slice(0, 12), 16)).toBe(ms);
          expect(hex[12]).toBe("7");
          expect("89ab").toContain(hex[16]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("sorts ids by time across generators: a later millisecond always sorts after", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: START_MS, max: START_MS + 1e9 }),
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer(),
        fc.integer(),
        (ms, gapMs, seedA, seedB) => {
          const early = createIdGenerator(seededBytes(seedA), () => ms).next("txn");
          const late = createIdGenerator(seededBytes(seedB), () => ms + gapMs).next("txn");
          expect(late > early).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("isId", () => {
  it("accepts an id only with its own prefix", () => {
    fc.assert(
      fc.property(prefixArb, prefixArb, fc.integer(), (made, asked, seed) => {
        const id = createIdGenerator(seededBytes(seed)).next(made);
        expect(isId(id, asked)).toBe(made === asked);
      }),
      { numRuns: 200 },
    );
  });

  it("rejects ids with a wrong length, upper case, foreign characters or no separator", () => {
    const id = createIdGenerator(seededBytes(1), () => START_MS).next("acc");
    const prefix: IdPrefix = "acc";
    for (const bad of [
      id.slice(0, -1),
      `${id}0`,
      id.toUpperCase(),
      `acc_${id.slice(4).toUpperCase()}`,
      id.replace("_", "-"),
      id.replace("_", ""),
      `${id.slice(0, -1)}g`,
      ` ${id}`,
      `${id}\n`,
      "",
    ])
      expect(isId(bad, prefix)).toBe(false);
  });
});
