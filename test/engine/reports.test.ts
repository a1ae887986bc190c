/**
 * The liability and breakage reports against what the engine itself says, on every backend. A
 * property drives random grants (of every grantable kind, some effective later, most expiring),
 * spends, holds, captures, voids, reversals and sweeps over several customers with the clock moving
 * hours at a time, then checks that the liability at every instant it saw, and at every bucket end
 * of a day-bucketed report in a random time zone, equals the sum over every customer of the balance
 * at that instant (each unexpired lot's remaining value), and that the breakage report agrees before
 * and after a sweep with what the ledger booked to breakage. Examples pin gift balances and escrow,
 * a hold across an expiry, the buckets' edges and every refused range.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { LOT_KINDS, type LotKind } from "../../src/core/lots.js";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import { bucketsOf, REPORT_BUCKETS_MAX } from "../../src/engine/report-range.js";
import { bandOf } from "../../src/engine/reports.js";
import type { Store } from "../../src/store/store.js";
import { backends } from "../support/backends.js";
import { codeOf, counter, expectOk } from "../support/outcomes.js";

const START_MS = Date.UTC(2026, 0, 5, 7, 30);
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const ZONES = ["UTC", "Europe/Paris", "America/St_Johns"] as const;
const GRANTABLE = ["purchased", "promotional", "compensation"] as const;

type Step =
  | {
      kind: "grant";
      customer: number;
      amount: number;
      lotKind: (typeof GRANTABLE)[number];
      effectiveInMs: number | null;
      expiresAfterMs: number | null;
    }
  | { kind: "consume"; customer: number; amount: number }
  | { kind: "hold"; customer: number; amount: number; ttlSeconds: number }
  | { kind: "capture"; amount: number }
  | { kind: "void" }
  | { kind: "reverse" }
  | { kind: "sweep" };

const customerArb = fc.integer({ min: 0, max: 2 });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant("grant" as const),
    customer: customerArb,
    amount: fc.integer({ min: 1, max: 500 }),
    lotKind: fc.constantFrom(...GRANTABLE),
    effectiveInMs: fc.option(fc.integer({ min: 1, max: 20 * HOUR_MS }), { nil: null, freq: 4 }),
    expiresAfterMs: fc.option(fc.integer({ min: 1, max: 3 * DAY_MS }), { nil: null, freq: 4 }),
  }),
  fc.record({
    kind: fc.constant("consume" as const),
    customer: customerArb,
    amount: fc.integer({ min: 1, max: 300 }),
  }),
  fc.record({
    kind: fc.constant("hold" as const),
    customer: customerArb,
    amount: fc.integer({ min: 1, max: 300 }),
    ttlSeconds: fc.integer({ min: 60, max: 2 * 86_400 }),
  }),
  fc.record({ kind: fc.constant("capture" as const), amount: fc.integer({ min: 1, max: 300 }) }),
  fc.constant({ kind: "void" as const }),
  fc.constant({ kind: "reverse" as const }),
  fc.constant({ kind: "sweep" as const }),
);

const zero = (): Record<LotKind, bigint> =>
  Object.fromEntries(LOT_KINDS.map((kind) => [kind, 0n])) as Record<LotKind, bigint>;

for (const backend of backends()) {
  describe(`liability and breakage reports on ${backend.name}`, () => {
    let store: Store;
    let engine: Engine;
    let clock: ManualClock;
    const customers: string[] = [];
    const key = counter("report-key");
    const name = counter("rep");

    /** What every customer's balance at the instant says is outstanding: unexpired lots' remaining value. */
    async function outstandingAt(atMs: number): Promise<Record<LotKind, bigint>> {
      const byKind = zero();
      for (const customerId of customers) {
        const view = expectOk(await engine.balance(customerId, { atMs }));
        for (const lot of view.lots) if (lot.status !== "expired") byKind[lot.kind] += lot.remainingMinor;
      }
      return byKind;
    }

    async function liabilityAt(atMs: number) {
      const report = expectOk(await engine.reports.liability({ fromMs: atMs - 1, toMs: atMs }));
      expect(report.points).toHaveLength(1);
      const [point] = report.points;
      return point;
    }

    /** What the ledger's breakage account received: the sum of its entries. */
    async function breakageAccountMinor(): Promise<bigint> {
      const [row] = await store.query<{ total: bigint }>(
        "SELECT coalesce(sum(amount_minor), 0)::bigint AS total FROM entries WHERE account_id = 'sys_breakage'",
      );
      return row?.total ?? 0n;
    }

    async function apply(step: Step, seen: { holds: string[]; transfers: string[] }): Promise<void> {
      const idempotencyKey = key();
      if (step.kind === "grant") {
        const nowMs = clock.nowMs();
        const effectiveAtMs = step.effectiveInMs === null ? null : nowMs + step.effectiveInMs;
        const startsMs = effectiveAtMs ?? nowMs;
        const made = await engine.grant({
          customerId: customers[customers.length - 1 - step.customer] ?? "",
          amountMinor: step.amount,
          kind: step.lotKind,
          effectiveAtMs,
          expiresAtMs: step.expiresAfterMs === null ? null : startsMs + step.expiresAfterMs,
          idempotencyKey,
        });
        if (made.ok) seen.transfers.push(made.value.transferId);
      } else if (step.kind === "consume" || step.kind === "hold") {
        const customerId = customers[customers.length - 1 - step.customer] ?? "";
        if (step.kind === "consume") {
          const spent = await engine.consume({ customerId, amountMinor: step.amount, idempotencyKey });
          if (spent.ok) seen.transfers.push(spent.value.transferId);
        } else {
          const { amount, ttlSeconds } = step;
          const held = await engine.hold({ customerId, amountMinor: amount, ttlSeconds, idempotencyKey });
          if (held.ok) seen.holds.push(held.value.hold.id);
        }
      } else if (step.kind === "capture" || step.kind === "void") {
        const holdId = seen.holds.shift();
        if (holdId === undefined) return;
        if (step.kind === "void") await engine.voidHold({ holdId, idempotencyKey });
        else await engine.capture({ holdId, amountMinor: step.amount, idempotencyKey });
      } else if (step.kind === "reverse") {
        const transferId = seen.transfers.shift();
        if (transferId !== undefined) await engine.reverse({ transferId, idempotencyKey });
      } else {
        await engine.sweep();
      }
    }

    beforeAll(async () => {
      store = await backend.open();
      clock = new ManualClock(START_MS);
      engine = await createEngine({ store, clock });
    });
    afterAll(async () => {
      await store.close();
      await backend.cleanup();
    });

    it("says what every balance at the instant says is outstanding, and books breakage as the ledger does", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(stepArb, fc.integer({ min: 0, max: 14 * HOUR_MS })), {
            minLength: 1,
            maxLength: 18,
          }),
          fc.constantFrom(...ZONES),
          async (steps, timeZone) => {
            const runStartMs = clock.nowMs();
            for (let made = 0; made < 3; made += 1) {
              const id = name();
              expectOk(await engine.upsertCustomer({ id }));
              customers.push(id);
            }
            const seen = { holds: [] as string[], transfers: [] as string[] };
            const instants: number[] = [];
            for (const [step, advanceMs] of steps) {
              await apply(step, seen);
              instants.push(clock.nowMs());
              clock.advanceMs(advanceMs);
            }
            instants.push(clock.nowMs());
            for (const atMs of instants) {
              const point = await liabilityAt(atMs);
              expect(point?.byKind, new Date(atMs).toISOString()).toEqual(await outstandingAt(atMs));
            }
            const series = expectOk(
              await engine.reports.liability({
                fromMs: runStartMs - 1,
                toMs: clock.nowMs(),
                bucket: "day",
                timeZone,
              }),
            );
            expect(series.points[series.points.length - 1]?.atMs).toBe(clock.nowMs());
            for (const point of series.points) expect(point.byKind).toEqual(await outstandingAt(point.atMs));
            await expectBreakageBooked();
            // The next run starts a day later, on a fresh stretch of time.
            clock.advanceMs(DAY_MS);
          },
        ),
        { numRuns: backend.name === "pglite" ? 8 : 15 },
      );
      expect((await engine.verify()).firstViolation).toBeNull();
    });

    /**
     * Over all time, what the report says expired equals, before the sweep, what the sweep then
     * books, and after it, everything the ledger's breakage account ever received.
     */
    async function expectBreakageBooked(): Promise<void> {
      const range = { fromMs: START_MS - 1, toMs: clock.nowMs(), bucket: "week" };
      const before = expectOk(await engine.reports.breakage(range));
      await engine.sweep();
      const after = expectOk(await engine.reports.breakage(range));
      expect(after.expired).toEqual(before.expired);
      expect(after.expired.totalMinor).toBe(await breakageAccountMinor());
      const perBucket = after.points.reduce((sum, point) => sum + point.totalMinor, 0n);
      expect(perBucket).toBe(after.expired.totalMinor);
      const [granted] = await store.query<{ total: bigint }>(
        "SELECT coalesce(sum(amount_minor), 0)::bigint AS total FROM lots",
      );
      expect(after.granted.totalMinor).toBe(granted?.total ?? 0n);
    }
  });

  describe(`report examples on ${backend.name}`, () => {
    let store: Store;
    let engine: Engine;
    let clock: ManualClock;
    const key = counter("example-key");
    const name = counter("ex");

    beforeAll(async () => {
      store = await backend.open();
      clock = new ManualClock(START_MS);
      engine = await createEngine({ store, clock });
    });
    afterAll(async () => {
      await store.close();
      await backend.cleanup();
    });

    async function customer(plan: string | null = null): Promise<string> {
      const id = name();
      expectOk(await engine.upsertCustomer({ id, plan, signedUpAtMs: clock.nowMs() - 400 * DAY_MS }));
      return id;
    }

    it("counts gift balances and escrow beside the lots, and the total stays put as a gift moves", async () => {
      expectOk(
        await engine.gifts.saveProgram("pro-gifts", {
          status: "live",
          senders: { plans: ["pro"] },
          allowance: 0,
          giftMin: 10,
          giftMax: 500,
          recipients: "anyone",
        }),
      );
      const sender = await customer("pro");
      const friend = await customer();
      const funded = await engine.gifts.fundGiftBalance({
        customerId: sender,
        amountMinor: 500n,
        reason: null,
        idempotencyKey: key(),
      });
      expectOk(funded);
      const fundedAtMs = clock.nowMs();
      clock.advanceMs(HOUR_MS);
      const gift = expectOk(
        await engine.gifts.send({
          senderId: sender,
          amountMinor: 200n,
          source: "gift_balance",
          idempotencyKey: key(),
        }),
      );
      const sentAtMs = clock.nowMs();
      clock.advanceMs(HOUR_MS);
      expectOk(await engine.gifts.claim({ handle: gift.code, customerId: friend, idempotencyKey: key() }));
      const claimedAtMs = clock.nowMs();
      const report = expectOk(await engine.reports.liability({ fromMs: fundedAtMs - 1, toMs: claimedAtMs }));
      const at = (atMs: number) => report.points.find((point) => point.atMs === atMs);
      // One day bucket, so ask for the three instants one at a time.
      expect(report.points).toHaveLength(1);
      const points = [];
      for (const atMs of [fundedAtMs, sentAtMs, claimedAtMs]) {
        const one = expectOk(await engine.reports.liability({ fromMs: atMs - 1, toMs: atMs }));
        points.push(one.points[0]);
      }
      expect(at(claimedAtMs)).toEqual(points[2]);
      expect(
        points.map((point) => [point?.giftBalanceMinor, point?.giftEscrowMinor, point?.byKind.gifted]),
      ).toEqual([
        [500n, 0n, 0n],
        [300n, 200n, 0n],
        [300n, 0n, 200n],
      ]);
      expect(points.map((point) => point?.totalMinor)).toEqual([500n, 500n, 500n]);
    });

    it("counts a lot at its expiry as breakage, less what a hold across the expiry captured", async () => {
      const owner = await customer();
      const expiresAtMs = clock.nowMs() + 2 * HOUR_MS;
      expectOk(
        await engine.grant({
          customerId: owner,
          amountMinor: 100,
          kind: "promotional",
          expiresAtMs,
          idempotencyKey: key(),
        }),
      );
      const hold = expectOk(
        await engine.hold({
          customerId: owner,
          amountMinor: 30,
          ttlSeconds: 6 * 3600,
          idempotencyKey: key(),
        }),
      );
      clock.advanceMs(3 * HOUR_MS);
      const range = { fromMs: expiresAtMs - 1, toMs: clock.nowMs() };
      const unbooked = expectOk(await engine.reports.breakage(range));
      expect(unbooked.expired.byKind.promotional).toBe(70n);
      expectOk(await engine.capture({ holdId: hold.hold.id, amountMinor: 10, idempotencyKey: key() }));
      await engine.sweep();
      const booked = expectOk(await engine.reports.breakage(range));
      expect(booked.expired.byKind.promotional).toBe(90n);
      expect(booked.points.map((point) => point.totalMinor)).toEqual([90n]);
      expect(booked.granted.totalMinor).toBe(0n);
      expect(booked.rate).toBeNull();
      const liability = expectOk(
        await engine.reports.liability({ fromMs: expiresAtMs - 2, toMs: expiresAtMs - 1 }),
      );
      expect(liability.points[0]?.byKind.promotional).toBe(100n);
      const atExpiry = expectOk(
        await engine.reports.liability({ fromMs: expiresAtMs - 1, toMs: expiresAtMs }),
      );
      expect(atExpiry.points[0]?.byKind.promotional).toBe(0n);
    });

    it("gives the breakage rate over what the range granted, per kind too", async () => {
      const owner = await customer();
      const fromMs = clock.nowMs();
      clock.advanceMs(1);
      for (const [amount, kind] of [
        [400, "purchased"],
        [100, "compensation"],
      ] as const) {
        expectOk(
          await engine.grant({
            customerId: owner,
            amountMinor: amount,
            kind,
            expiresAtMs: clock.nowMs() + HOUR_MS,
            idempotencyKey: key(),
          }),
        );
      }
      expectOk(await engine.consume({ customerId: owner, amountMinor: 150, idempotencyKey: key() }));
      clock.advanceMs(2 * HOUR_MS);
      const report = expectOk(await engine.reports.breakage({ fromMs, toMs: clock.nowMs() }));
      // Compensation (priority 10) spends before purchased (100): 100 of it, then 50 purchased.
      expect(report.expired.byKind).toMatchObject({ purchased: 350n, compensation: 0n });
      expect(report.granted.totalMinor).toBe(500n);
      expect(report.rate).toBe(0.7);
      expect(report.rateByKind).toMatchObject({ purchased: 0.875, compensation: 0, promotional: null });
    });

    it("reads a `to` later than now as now, and refuses every malformed range", async () => {
      const nowMs = clock.nowMs();
      const clamped = expectOk(await engine.reports.liability({ toMs: nowMs + DAY_MS }));
      expect(clamped.toMs).toBe(nowMs);
      expect(clamped.fromMs).toBe(nowMs - 30 * DAY_MS);
      expect(clamped.bucket).toBe("day");
      expect(clamped.timeZone).toBe("UTC");
      for (const input of [
        { bucket: "month" },
        { bucket: "" },
        { timeZone: "Mars/Olympus" },
        { fromMs: nowMs, toMs: nowMs },
        { fromMs: nowMs + 1 },
        { fromMs: nowMs - 1, toMs: nowMs - 2 },
        { fromMs: 12 },
        { toMs: 12 },
        { fromMs: Number.NaN },
        { fromMs: 1.5 },
        { fromMs: nowMs - (REPORT_BUCKETS_MAX + 1) * DAY_MS },
        { fromMs: nowMs - (REPORT_BUCKETS_MAX + 1) * 7 * DAY_MS, bucket: "week" },
      ]) {
        expect(codeOf(await engine.reports.liability(input)), JSON.stringify(input)).toBe("invalid_request");
        expect(codeOf(await engine.reports.breakage(input)), JSON.stringify(input)).toBe("invalid_request");
      }
      const wide = expectOk(await engine.reports.liability({ fromMs: nowMs - 398 * DAY_MS }));
      expect(wide.points.length).toBeLessThanOrEqual(REPORT_BUCKETS_MAX);
    });
  });
}

describe("report buckets", () => {
  it("follow the calendar of the zone, cut to the range, each ending where the next starts", () => {
    const fromMs = Date.UTC(2026, 2, 27, 15);
    const toMs = Date.UTC(2026, 2, 31, 3);
    const paris = bucketsOf(fromMs, toMs, "day", "Europe/Paris") ?? [];
    expect(paris.map((bucket) => new Date(bucket.endMs).toISOString())).toEqual([
      "2026-03-27T23:00:00.000Z",
      "2026-03-28T23:00:00.000Z",
      // The night clocks go forward: a day of 23 hours.
      "2026-03-29T22:00:00.000Z",
      "2026-03-30T22:00:00.000Z",
      "2026-03-31T03:00:00.000Z",
    ]);
    expect(paris[0]?.startMs).toBe(fromMs);
    for (const [index, bucket] of paris.entries())
      if (index > 0) expect(bucket.startMs).toBe(paris[index - 1]?.endMs);
    const weeks = bucketsOf(Date.UTC(2026, 5, 1), Date.UTC(2026, 5, 16), "week", "UTC") ?? [];
    // June 1, 2026 is a Monday: a bucket starting on a boundary is a whole week.
    expect(weeks.map((bucket) => new Date(bucket.endMs).toISOString().slice(0, 10))).toEqual([
      "2026-06-08",
      "2026-06-15",
      "2026-06-16",
    ]);
    expect(bucketsOf(0, REPORT_BUCKETS_MAX * DAY_MS, "day", "UTC")).toHaveLength(REPORT_BUCKETS_MAX);
    expect(bucketsOf(0, REPORT_BUCKETS_MAX * DAY_MS + 1, "day", "UTC")).toBeNull();
  });

  it("puts a window's use in quarter bands of its limit on integers, the limit its own band", () => {
    expect([0n, 1n, 24n, 25n, 49n, 50n, 74n, 75n, 99n, 100n, 130n].map((used) => bandOf(used, 100n))).toEqual(
      [null, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4],
    );
    expect([1n, 2n, 3n].map((used) => bandOf(used, 3n))).toEqual([1, 2, 4]);
  });
});
