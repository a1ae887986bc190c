/**
 * Referrals under concurrency, on every backend, with two engines over one store (two API nodes):
 * qualifying events racing sweeps for one invitee, invites pressing a cap, one referrer's invites
 * accepted at once against the velocity rule, one invitee accepting several invites at once, sweeps
 * racing to spend a small budget, reversals racing each other and the sweep, and a reversal racing
 * the spending of the credits it takes back. Whatever the interleaving, each side of each referral
 * is rewarded once (one reward row, one banked reset or one credit lot), caps and budgets hold, a
 * clawback is booked once and splits the reward exactly with what was spent, and `verify` passes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import type { InviteView } from "../../src/engine/referrals.js";
import type { RewardRecord } from "../../src/store/referrals-repo.js";
import type { Store } from "../../src/store/store.js";
import { backends } from "../support/backends.js";
import { codeOf, counter, expectOk } from "../support/outcomes.js";

const START_MS = Date.UTC(2026, 5, 11, 9);
const DAY_MS = 86_400_000;
/** Concurrent qualifying events and sweeps per invitee in the first race. */
const EVENTS_AT_ONCE = 20;
const SWEEPS_AT_ONCE = 5;
/** Invitees raced one after another, for more interleavings. */
const ROUNDS = 4;
const TEST_TIMEOUT_MS = 120_000;

const PLAN = {
  meters: { messages: [{ window: "5h", kind: "fixed", duration: "5h", allowance: 50 }] },
  actions: { message: { costs: { messages: 1 }, creditPriceMinor: 10 } },
};

/** A live program open to anyone, qualified by the product event `first_message`. */
function program(extra: Record<string, unknown>): Record<string, unknown> {
  return {
    status: "live",
    invitees: { eligibility: "anyone" },
    qualifyingEvent: { event: "first_message" },
    ...extra,
  };
}

const sum = (amounts: readonly bigint[]): bigint => amounts.reduce((total, amount) => total + amount, 0n);

for (const backend of backends()) {
  describe(`referrals under concurrency on ${backend.name}`, () => {
    let store: Store;
    let engine: Engine;
    let other: Engine;
    const clock = new ManualClock(START_MS);
    const key = counter(`ref-race-key-${backend.name}`);
    const name = counter("ref-race");

    beforeAll(async () => {
      store = await backend.open();
      engine = await createEngine({ store, clock });
      other = await createEngine({ store, clock });
      expectOk(await engine.savePlan("pro", PLAN));
    });
    afterAll(async () => {
      await store.close();
      await backend.cleanup();
    });

    /** Every other call goes to the second engine. */
    const either = (index: number): Engine => (index % 2 === 0 ? engine : other);

    async function customers(count: number): Promise<string[]> {
      const ids = Array.from({ length: count }, () => name());
      const nowMs = clock.nowMs();
      await Promise.all(
        ids.map(async (id) =>
          expectOk(await engine.upsertCustomer({ id, plan: "pro", signedUpAtMs: nowMs - 400 * DAY_MS })),
        ),
      );
      return ids;
    }

    async function saveProgram(extra: Record<string, unknown>): Promise<string> {
      const id = `race-${name()}`;
      expectOk(await engine.referrals.saveProgram(id, program(extra)));
      return id;
    }

    const invite = (programId: string, referrerId: string, on: Engine = engine) =>
      on.referrals.invite({ programId, referrerId, idempotencyKey: key() });
    const accept = (handle: string, inviteeId: string, on: Engine = engine) =>
      on.referrals.accept({ handle, inviteeId, idempotencyKey: key() });

    /** Refer `inviteeId` through a fresh invite of `referrerId`. */
    async function refer(programId: string, referrerId: string, inviteeId: string): Promise<void> {
      const sent = expectOk(await invite(programId, referrerId));
      expect(expectOk(await accept(sent.code, inviteeId)).state).toBe("accepted");
    }

    async function count(sql: string, params: readonly string[]): Promise<number> {
      const [row] = await store.query<{ n: number }>(sql, params);
      return Number(row?.n ?? -1);
    }

    const resetTokens = (customerId: string) =>
      count("SELECT count(*)::integer AS n FROM reset_tokens WHERE customer_id = $1::text", [customerId]);
    const referralLots = (customerId: string) =>
      count("SELECT count(*)::integer AS n FROM lots WHERE customer_id = $1::text AND kind = 'referral'", [
        customerId,
      ]);
    const events = (type: string, field: string, value: string) =>
      count(
        "SELECT count(*)::integer AS n FROM events WHERE type = $1::text AND payload ->> $2::text = $3::text",
        [type, field, value],
      );

    async function rewardsIn(programId: string, customerId: string): Promise<RewardRecord[]> {
      return (await engine.referrals.rewardsOf(customerId)).filter(
        (reward) => reward.programId === programId,
      );
    }

    async function expectVerified(): Promise<void> {
      const report = await engine.verify();
      expect(report.checks.filter((check) => check.violation !== null)).toEqual([]);
    }

    /** The first race: many qualifying events and sweeps for each invitee at once. */
    async function raceEventsAndSweeps(programId: string) {
      const pairs = [];
      let sweptGranted = 0;
      for (let round = 0; round < ROUNDS; round += 1) {
        const [referrer = "", invitee = ""] = await customers(2);
        await refer(programId, referrer, invitee);
        const recorded = Array.from({ length: EVENTS_AT_ONCE }, (_, index) =>
          either(index).referrals.recordEvent({ customerId: invitee, name: "first_message" }),
        );
        const swept = Array.from({ length: SWEEPS_AT_ONCE }, (_, index) => either(index + 1).sweep());
        const [answers, sweeps] = await Promise.all([Promise.all(recorded), Promise.all(swept)]);
        expect(sum(answers.map((answer) => BigInt(expectOk(answer).qualified)))).toBe(1n);
        sweptGranted += sweeps.reduce((total, report) => total + report.referrals.granted, 0);
        pairs.push({ referrer, invitee });
      }
      // Whatever a racing sweep left half done, the next one finishes.
      await engine.sweep();
      return { pairs, sweptGranted };
    }

    it(
      "rewards each side once when qualifying events race sweeps for one invitee",
      async () => {
        const programId = await saveProgram({
          rewards: {
            referrer: { type: "reset", expiresAfter: "30d" },
            invitee: { type: "credits", amount: 250 },
          },
        });
        const { pairs } = await raceEventsAndSweeps(programId);
        for (const { referrer, invitee } of pairs) {
          const referrerRewards = await rewardsIn(programId, referrer);
          const inviteeRewards = await rewardsIn(programId, invitee);
          expect(referrerRewards.map((r) => [r.side, r.state, r.inviteeId])).toEqual([
            ["referrer", "granted", invitee],
          ]);
          expect(inviteeRewards.map((r) => [r.side, r.state])).toEqual([["invitee", "granted"]]);
          expect(await resetTokens(referrer)).toBe(1);
          expect(expectOk(await engine.usage(referrer)).resets.available).toBe(1);
          expect(await referralLots(invitee)).toBe(1);
          expect(await resetTokens(invitee)).toBe(0);
          expect(expectOk(await engine.balance(invitee)).availableMinor).toBe(250n);
          const referral = await engine.referrals.referralOf(programId, invitee);
          expect(referral?.state).toBe("qualified");
          expect(await events("referral.qualified", "referralId", referral?.id ?? "")).toBe(1);
        }
        const stats = expectOk(await engine.referrals.stats(programId));
        expect(stats.funnel).toMatchObject({
          qualified: ROUNDS,
          rewardsGranted: 2 * ROUNDS,
          rewarded: ROUNDS,
        });
        expect(stats.budget).toMatchObject({ givenResets: ROUNDS, givenCreditsMinor: 250n * BigInt(ROUNDS) });
        await expectVerified();
      },
      TEST_TIMEOUT_MS,
    );

    // A sweep that finds a reward already granted by a racing sweep replays the grant (same key)
    // but records, announces and counts it only if it is the first to record it.
    it(
      "announces each granted reward once and counts it in one sweep's report",
      async () => {
        const programId = await saveProgram({
          rewards: { referrer: { type: "reset" }, invitee: { type: "credits", amount: 100 } },
        });
        const { pairs, sweptGranted } = await raceEventsAndSweeps(programId);
        const rewarded: number[] = [];
        for (const { referrer, invitee } of pairs)
          for (const reward of [
            ...(await rewardsIn(programId, referrer)),
            ...(await rewardsIn(programId, invitee)),
          ])
            rewarded.push(await events("referral.rewarded", "rewardId", reward.id));
        expect({ rewarded, sweptGranted }).toEqual({
          rewarded: rewarded.map(() => 1),
          sweptGranted: 2 * ROUNDS,
        });
      },
      TEST_TIMEOUT_MS,
    );

    it("lets twenty invites at once over a cap of three make exactly three", async () => {
      const programId = await saveProgram({
        invites: { perReferrer: 3 },
        rewards: { referrer: { type: "reset" } },
      });
      const [referrer = ""] = await customers(1);
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, index) => invite(programId, referrer, either(index))),
      );
      const codes = outcomes.map(codeOf);
      expect(codes.filter((code) => code === "ok")).toHaveLength(3);
      expect(codes.filter((code) => code === "cap_exceeded")).toHaveLength(17);
      expect(expectOk(await engine.referrals.stats(programId)).funnel.invitesCreated).toBe(3);
      expect(codeOf(await invite(programId, referrer))).toBe("cap_exceeded");
    });

    it("lets twenty invites at once over a cap of two a day make two today and two tomorrow", async () => {
      const programId = await saveProgram({
        invites: { perReferrer: 10, perPeriod: 2, period: { unit: "day", timeZone: "UTC" } },
        rewards: { referrer: { type: "reset" } },
      });
      const [referrer = ""] = await customers(1);
      const burst = async () =>
        (
          await Promise.all(
            Array.from({ length: 20 }, (_, index) => invite(programId, referrer, either(index))),
          )
        ).map(codeOf);
      const today = await burst();
      clock.advanceMs(DAY_MS);
      const tomorrow = await burst();
      for (const codes of [today, tomorrow]) {
        expect(codes.filter((code) => code === "ok")).toHaveLength(2);
        expect(codes.filter((code) => code === "cap_exceeded")).toHaveLength(18);
      }
      expect(expectOk(await engine.referrals.stats(programId)).funnel.invitesCreated).toBe(4);
    });

    // An acceptance locks the referrer's wallet too, so concurrent acceptances of one referrer's
    // invites each count the ones before them: past the velocity limit, they are held for review.
    it("holds for review every acceptance past the velocity limit when one referrer's invites are accepted at once", async () => {
      const programId = await saveProgram({
        rewards: { invitee: { type: "reset" } },
        fraud: { velocity: { acceptances: 2, within: "1h" } },
      });
      const [referrer = ""] = await customers(1);
      const invitees = await customers(10);
      const sent: InviteView[] = [];
      for (const _ of invitees) sent.push(expectOk(await invite(programId, referrer)));
      const outcomes = await Promise.all(
        invitees.map((invitee, index) => accept(sent[index]?.code ?? "", invitee, either(index))),
      );
      const states = outcomes.map((outcome) => expectOk(outcome).state).sort();
      // Two acceptances within the hour pass; every one after them waits for an operator.
      expect(states).toEqual([...Array(2).fill("accepted"), ...Array(8).fill("review")]);
      expect(expectOk(await engine.referrals.stats(programId)).funnel).toMatchObject({
        accepted: 2,
        inReview: 8,
      });
    });

    it("attributes an invitee accepting three invites at once to exactly one referrer", async () => {
      const programId = await saveProgram({ rewards: { invitee: { type: "reset" } } });
      const referrers = await customers(3);
      const invitees = await customers(10);
      const invites: InviteView[][] = [];
      for (const referrer of referrers) {
        const mine: InviteView[] = [];
        for (let index = 0; index < invitees.length; index += 1)
          mine.push(expectOk(await invite(programId, referrer)));
        invites.push(mine);
      }
      const attempts = invitees.flatMap((invitee, index) =>
        invites.map((mine, side) => {
          const sent = mine[index];
          if (sent === undefined) throw new Error("an invite is missing");
          // The code for some, the link's secret for others, on either engine.
          const handle = (index + side) % 2 === 0 ? sent.code : sent.secret;
          return { invitee, sent, outcome: accept(handle, invitee, either(index + side)) };
        }),
      );
      const settled = await Promise.all(
        attempts.map(async (attempt) => ({ ...attempt, code: codeOf(await attempt.outcome) })),
      );
      for (const invitee of invitees) {
        const mine = settled.filter((attempt) => attempt.invitee === invitee);
        const winners = mine.filter((attempt) => attempt.code === "ok");
        expect(winners).toHaveLength(1);
        expect(mine.filter((attempt) => attempt.code !== "ok").map((attempt) => attempt.code)).toEqual([
          "not_eligible",
          "not_eligible",
        ]);
        const referral = await engine.referrals.referralOf(programId, invitee);
        expect(referral).toMatchObject({
          inviteId: winners[0]?.sent.id,
          referrerId: winners[0]?.sent.referrerId,
        });
      }
      const funnel = expectOk(await engine.referrals.stats(programId)).funnel;
      expect(funnel).toMatchObject({ accepted: invitees.length, inReview: 0 });
      const [{ n } = { n: -1 }] = await store.query<{ n: number }>(
        "SELECT count(*)::integer AS n FROM referrals WHERE program_id = $1::text",
        [programId],
      );
      expect(n).toBe(invitees.length);
    });

    it(
      "spends a budget of 1000 on exactly three rewards of 300 when sweeps race, canceling the rest",
      async () => {
        const programId = await saveProgram({
          rewards: { invitee: { type: "credits", amount: 300 } },
          holdPeriod: "1d",
          budget: { credits: 1000 },
        });
        const [referrer = ""] = await customers(1);
        const invitees = await customers(10);
        for (const invitee of invitees) {
          await refer(programId, referrer, invitee);
          expectOk(await engine.referrals.recordEvent({ customerId: invitee, name: "first_message" }));
        }
        // Still in the hold: nothing is settled.
        expect((await engine.sweep()).referrals).toMatchObject({ granted: 0, canceled: 0 });
        clock.advanceMs(DAY_MS);
        const sweeps = await Promise.all(
          Array.from({ length: SWEEPS_AT_ONCE }, (_, index) => either(index).sweep()),
        );
        const canceled = sweeps.reduce((total, report) => total + report.referrals.canceled, 0);
        expect(canceled).toBe(7);
        await engine.sweep();
        const rewards = (await Promise.all(invitees.map((invitee) => rewardsIn(programId, invitee)))).flat();
        expect(rewards).toHaveLength(10);
        const granted = rewards.filter((reward) => reward.state === "granted");
        const refused = rewards.filter((reward) => reward.state === "canceled");
        expect(granted).toHaveLength(3);
        expect(refused).toHaveLength(7);
        for (const reward of refused) expect(reward.reason).toContain("budget");
        const balances = await Promise.all(
          invitees.map(async (invitee) => expectOk(await engine.balance(invitee)).availableMinor),
        );
        expect(sum(balances)).toBe(900n);
        expect(balances.filter((balance) => balance === 300n)).toHaveLength(3);
        const lots = await Promise.all(invitees.map(referralLots));
        expect(lots.reduce((total, n) => total + n, 0)).toBe(3);
        const stats = expectOk(await engine.referrals.stats(programId));
        expect(stats.budget).toMatchObject({ creditsMinor: 1000n, givenCreditsMinor: 900n, exhausted: true });
        expect(stats.funnel).toMatchObject({ rewardsGranted: 3, rewardsCanceled: 7, rewardsPending: 0 });
        await expectVerified();
      },
      TEST_TIMEOUT_MS,
    );

    it(
      "splits a credit reward exactly between spending and the clawback when they race",
      async () => {
        const programId = await saveProgram({ rewards: { referrer: { type: "credits", amount: 200 } } });
        for (let round = 0; round < ROUNDS; round += 1) {
          const [referrer = "", invitee = ""] = await customers(2);
          await refer(programId, referrer, invitee);
          expectOk(await engine.referrals.recordEvent({ customerId: invitee, name: "first_message" }));
          await engine.sweep();
          clock.advanceMs(60_000);
          const [reward] = await rewardsIn(programId, referrer);
          if (reward === undefined) throw new Error("no reward");
          // Six spends of 40 (240 asked, 200 held) race the reversal, on both engines.
          const spends = Array.from({ length: 6 }, (_, index) =>
            either(index).consume({ customerId: referrer, amountMinor: 40n, idempotencyKey: key() }),
          );
          const reversal = either(round).referrals.reverseReward({
            rewardId: reward.id,
            reason: "the invitee was refunded",
            idempotencyKey: key(),
          });
          const [spent, reversed] = await Promise.all([Promise.all(spends), reversal]);
          expect(spent.filter((outcome) => !outcome.ok).map(codeOf)).toEqual(
            spent.filter((outcome) => !outcome.ok).map(() => "insufficient_credits"),
          );
          const spentMinor = BigInt(spent.filter((outcome) => outcome.ok).length) * 40n;
          const { recoveredMinor, unrecoveredMinor } = expectOk(reversed);
          expect({ recovered: recoveredMinor, unrecovered: unrecoveredMinor }).toEqual({
            recovered: 200n - spentMinor,
            unrecovered: spentMinor,
          });
          const balance = expectOk(await engine.balance(referrer));
          expect({ posted: balance.postedMinor, available: balance.availableMinor }).toEqual({
            posted: 0n,
            available: 0n,
          });
        }
        await expectVerified();
      },
      TEST_TIMEOUT_MS,
    );

    it(
      "reverses a reward once when reversals race each other and the sweep, booking one clawback",
      async () => {
        const programId = await saveProgram({
          rewards: { referrer: { type: "credits", amount: 200 }, invitee: { type: "reset" } },
        });
        for (let round = 0; round < ROUNDS; round += 1) {
          const [referrer = "", invitee = ""] = await customers(2);
          await refer(programId, referrer, invitee);
          expectOk(await engine.referrals.recordEvent({ customerId: invitee, name: "first_message" }));
          await engine.sweep();
          // The referrer spends 50 of the 200 before the reversal.
          expectOk(await engine.consume({ customerId: referrer, amountMinor: 50n, idempotencyKey: key() }));
          clock.advanceMs(60_000);
          const [credits] = await rewardsIn(programId, referrer);
          const [reset] = await rewardsIn(programId, invitee);
          if (credits === undefined || reset === undefined) throw new Error("no rewards");
          const reverse = (rewardId: string, index: number) =>
            either(index).referrals.reverseReward({
              rewardId,
              reason: "the invitee was refunded",
              idempotencyKey: key(),
            });
          const [creditAnswers, resetAnswers] = await Promise.all([
            Promise.all([reverse(credits.id, round), reverse(credits.id, round + 1)]),
            Promise.all([reverse(reset.id, round + 1), reverse(reset.id, round)]),
            engine.sweep(),
            other.sweep(),
          ]);
          for (const answers of [creditAnswers, resetAnswers])
            expect(answers.map(codeOf).sort()).toEqual(["invalid_request", "ok"]);
          const reversedCredits = creditAnswers.find((answer) => answer.ok);
          expect(reversedCredits?.ok === true && reversedCredits.value).toMatchObject({
            state: "reversed",
            recoveredMinor: 150n,
            unrecoveredMinor: 50n,
          });
          const reversedReset = resetAnswers.find((answer) => answer.ok);
          expect(reversedReset?.ok === true && reversedReset.value).toMatchObject({
            state: "reversed",
            recoveredMinor: 1n,
            unrecoveredMinor: 0n,
          });
          await engine.sweep();
          expect(
            await count(
              "SELECT count(*)::integer AS n FROM transfers WHERE customer_id = $1::text AND kind = 'clawback'",
              [referrer],
            ),
          ).toBe(1);
          const balance = expectOk(await engine.balance(referrer));
          expect({ posted: balance.postedMinor, available: balance.availableMinor }).toEqual({
            posted: 0n,
            available: 0n,
          });
          expect(expectOk(await engine.usage(invitee)).resets.available).toBe(0);
          expect((await rewardsIn(programId, referrer)).map((r) => [r.state, r.recoveredMinor])).toEqual([
            ["reversed", 150n],
          ]);
          expect(await events("referral.reversed", "rewardId", credits.id)).toBe(1);
        }
        expect(expectOk(await engine.referrals.stats(programId)).funnel.rewardsReversed).toBe(2 * ROUNDS);
        await expectVerified();
      },
      TEST_TIMEOUT_MS,
    );
  });
}
