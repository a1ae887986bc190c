/**
 * The reference referral pilot end to end through the engine, with an injected clock before, during
 * and after its window, on every backend: Plus and Pro customers invite up to three friends who have
 * not used the product in 62 days; once an invitee sends a first message, both sides get one banked
 * reset valid for 30 days. Also: credits rewards after a hold, a budget that runs out visibly, a
 * named product event as the qualifying action, and acceptances held for review.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import type { Store } from "../../src/store/store.js";
import { backends } from "../support/backends.js";
import { codeOf, counter, expectOk } from "../support/outcomes.js";

const DAY_MS = 86_400_000;
const JUNE_10_MS = Date.UTC(2026, 5, 10, 12);

export const PILOT = {
  status: "live",
  window: { opensAt: "2026-06-11T00:00:00Z", closesAt: "2026-06-25T00:00:00Z" },
  audience: { plans: ["plus", "pro"] },
  invites: { perReferrer: 3 },
  invitees: { eligibility: "lapsed", lapsedAfterDays: 62 },
  qualifyingEvent: { firstUsage: { action: "message" } },
  rewards: {
    referrer: { type: "reset", expiresAfter: "30d" },
    invitee: { type: "reset", expiresAfter: "30d" },
  },
};

const PLAN = {
  meters: { messages: [{ window: "5h", kind: "fixed", duration: "5h", allowance: 50 }] },
  actions: { message: { costs: { messages: 1 }, creditPriceMinor: 10 } },
};

for (const backend of backends()) {
  describe(`the referral pilot on ${backend.name}`, () => {
    let store: Store;
    let engine: Engine;
    let clock: ManualClock;
    const key = counter("ref-key");
    const name = counter("cus");

    /** A customer on a plan; `idleDays` since their last activity (signed up a year before). */
    async function customer(plan: string, idleDays: number, extra: Record<string, unknown> = {}) {
      const id = name();
      const nowMs = clock.nowMs();
      expectOk(
        await engine.upsertCustomer({
          id,
          plan,
          signedUpAtMs: nowMs - 365 * DAY_MS,
          lastActiveAtMs: nowMs - idleDays * DAY_MS,
          ...extra,
        }),
      );
      return id;
    }

    const invite = (programId: string, referrerId: string, extra: Record<string, unknown> = {}) =>
      engine.referrals.invite({ programId, referrerId, idempotencyKey: key(), ...extra });
    const accept = (handle: string, inviteeId: string, extra: Record<string, unknown> = {}) =>
      engine.referrals.accept({ handle, inviteeId, idempotencyKey: key(), ...extra });
    const message = (customerId: string) =>
      engine.authorize({ customerId, action: "message", idempotencyKey: key() });

    async function banked(
      customerId: string,
    ): Promise<{ available: number; nextExpiresAtMs: number | null }> {
      return expectOk(await engine.usage(customerId)).resets;
    }

    async function expectVerified(): Promise<void> {
      const report = await engine.verify();
      expect(report.checks.filter((check) => check.violation !== null)).toEqual([]);
    }

    beforeAll(async () => {
      store = await backend.open();
      clock = new ManualClock(JUNE_10_MS);
      engine = await createEngine({ store, clock });
      for (const plan of ["free", "plus", "pro"]) expectOk(await engine.savePlan(plan, PLAN));
      expectOk(await engine.referrals.saveProgram("pilot", PILOT));
    });
    afterAll(async () => {
      await store.close();
      await backend.cleanup();
    });

    it("refuses invites before the window opens", async () => {
      const early = await customer("pro", 1);
      expect(codeOf(await invite("pilot", early))).toBe("program_closed");
    });

    it("runs the pilot: three invites, lapsed invitees, first message, one reset each for 30 days", async () => {
      clock.setMs(Date.UTC(2026, 5, 12, 9));
      const referrer = await customer("pro", 1);
      const free = await customer("free", 1);
      expect(codeOf(await invite("pilot", free))).toBe("not_eligible");
      const invites = [];
      for (let i = 0; i < 3; i += 1) invites.push(expectOk(await invite("pilot", referrer)));
      expect(codeOf(await invite("pilot", referrer))).toBe("cap_exceeded");
      const [first, second, third] = invites;
      if (first === undefined || second === undefined || third === undefined) throw new Error("no invites");

      const preview = expectOk(await engine.referrals.preview(first.code));
      expect(preview.rewards).toEqual({
        referrer: { type: "reset", windows: null, expiresAfter: "30d" },
        invitee: { type: "reset", windows: null, expiresAfter: "30d" },
      });

      const lapsed = await customer("free", 70);
      const active = await customer("free", 10);
      expect(codeOf(await accept(second.code, active))).toBe("not_eligible");
      expect(codeOf(await accept(third.code, referrer))).toBe("referral_self_invite");
      const referral = expectOk(await accept(first.code, lapsed));
      expect(referral).toMatchObject({ state: "accepted", segment: "lapsed", referrerId: referrer });
      // The first accepted invite wins: another invite can't attribute the same invitee.
      expect(codeOf(await accept(second.code, lapsed))).toBe("not_eligible");

      // Nothing until the first message.
      expect((await engine.sweep()).referrals.qualified).toBe(0);
      clock.advanceMs(3_600_000);
      expect(expectOk(await message(lapsed)).allowed).toBe(true);
      const swept = await engine.sweep();
      expect(swept.referrals).toMatchObject({ qualified: 1, granted: 2 });
      const grantedAtMs = clock.nowMs();
      for (const side of [referrer, lapsed])
        expect(await banked(side)).toMatchObject({
          available: 1,
          nextExpiresAtMs: grantedAtMs + 30 * DAY_MS,
        });

      // Exactly once: more messages and sweeps give nothing more.
      expectOk(await message(lapsed));
      expect((await engine.sweep()).referrals).toMatchObject({ qualified: 0, granted: 0 });
      expect((await banked(referrer)).available).toBe(1);
      await expectVerified();
    });

    it("closes by itself when the window ends", async () => {
      clock.setMs(Date.UTC(2026, 5, 20, 9));
      const referrer = await customer("plus", 1);
      const late = expectOk(await invite("pilot", referrer));
      clock.setMs(Date.UTC(2026, 5, 25, 0));
      const invitee = await customer("free", 90);
      expect(codeOf(await accept(late.code, invitee))).toBe("program_closed");
      expect(codeOf(await invite("pilot", referrer))).toBe("program_closed");
      expect(codeOf(await engine.referrals.preview(late.code))).toBe("program_closed");
    });

    it("grants credits after the hold, and cancels visibly once the budget is spent", async () => {
      const program = {
        status: "live",
        invitees: { eligibility: "anyone" },
        qualifyingEvent: { event: "first_message" },
        rewards: { referrer: { type: "credits", amount: 300, expiresAfter: "90d", priority: 20 } },
        holdPeriod: "7d",
        budget: { credits: 500 },
      };
      expectOk(await engine.referrals.saveProgram("credits", program));
      const referrer = await customer("pro", 1);
      const invitees = [await customer("free", 1), await customer("free", 1)];
      for (const invitee of invitees) {
        const sent = expectOk(await invite("credits", referrer));
        expectOk(await accept(sent.secret, invitee));
        expect(
          expectOk(await engine.referrals.recordEvent({ customerId: invitee, name: "first_message" })),
        ).toEqual({
          qualified: 1,
        });
      }
      // Still in the hold.
      expect((await engine.sweep()).referrals).toMatchObject({ granted: 0 });
      clock.advanceMs(7 * DAY_MS);
      expect((await engine.sweep()).referrals).toMatchObject({ granted: 1, canceled: 1 });
      const rewards = await engine.referrals.rewardsOf(referrer);
      expect(rewards.map((reward) => reward.state).sort()).toEqual(["canceled", "granted"]);
      expect(rewards.find((reward) => reward.state === "canceled")?.reason).toContain("budget");
      const lots = expectOk(await engine.balance(referrer)).lots;
      expect(lots).toEqual([expect.objectContaining({ kind: "referral", amountMinor: 300n, priority: 20 })]);
      await expectVerified();
    });

    it("holds a look-alike acceptance for review, and attributes it once approved", async () => {
      const program = {
        status: "live",
        invitees: { eligibility: "anyone" },
        qualifyingEvent: { event: "first_message" },
        rewards: { invitee: { type: "reset" } },
        fraud: { disposableDomains: ["mailinator.com"] },
      };
      expectOk(await engine.referrals.saveProgram("review", program));
      const referrer = await customer("pro", 1, { email: "Ada.Lovelace+x@gmail.com" });
      const twin = await customer("free", 1, { email: "adalovelace@googlemail.com" });
      const throwaway = await customer("free", 1, { email: "someone@mailinator.com" });
      const first = expectOk(await accept(expectOk(await invite("review", referrer)).code, twin));
      expect(first).toMatchObject({ state: "review", reviewReason: expect.stringContaining("email") });
      const second = expectOk(await accept(expectOk(await invite("review", referrer)).code, throwaway));
      expect(second.reviewReason).toContain("mailinator.com");
      expect((await engine.referrals.inReview()).map((r) => r.id)).toEqual([first.id, second.id]);
      // In review, the qualifying event does not count yet.
      expect(
        expectOk(await engine.referrals.recordEvent({ customerId: twin, name: "first_message" })).qualified,
      ).toBe(0);
      const approval = { referralId: first.id, decision: "approve" as const, idempotencyKey: "approve-1" };
      const approved = expectOk(await engine.referrals.review(approval));
      // A retried decision with its key replays the first answer.
      expect(expectOk(await engine.referrals.review(approval))).toEqual(approved);
      expect(codeOf(await engine.referrals.review({ ...approval, decision: "reject" }))).toBe(
        "idempotency_conflict",
      );
      expectOk(await engine.referrals.review({ referralId: second.id, decision: "reject" }));
      const event = { customerId: twin, name: "first_message", idempotencyKey: "event-1" };
      expect(expectOk(await engine.referrals.recordEvent(event)).qualified).toBe(1);
      expect(expectOk(await engine.referrals.recordEvent(event)).qualified).toBe(1);
      expect(
        expectOk(await engine.referrals.recordEvent({ customerId: twin, name: "first_message" })).qualified,
      ).toBe(0);
      expect(
        expectOk(await engine.referrals.recordEvent({ customerId: throwaway, name: "first_message" }))
          .qualified,
      ).toBe(0);
      await engine.sweep();
      expect((await banked(twin)).available).toBe(1);
      await expectVerified();
    });

    it("reverses rewards: an unredeemed reset expires, credits left are taken back, the rest recorded", async () => {
      const program = {
        status: "live",
        invitees: { eligibility: "anyone" },
        qualifyingEvent: { event: "first_message" },
        rewards: {
          referrer: { type: "credits", amount: 200 },
          invitee: { type: "reset" },
        },
      };
      expectOk(await engine.referrals.saveProgram("reversible", program));
      const referrer = await customer("pro", 1);
      const invitee = await customer("free", 1);
      expectOk(await accept(expectOk(await invite("reversible", referrer)).code, invitee));
      expectOk(await engine.referrals.recordEvent({ customerId: invitee, name: "first_message" }));
      await engine.sweep();
      expectOk(await engine.consume({ customerId: referrer, amountMinor: 50n, idempotencyKey: key() }));
      clock.advanceMs(60_000);
      const [credits] = await engine.referrals.rewardsOf(referrer);
      const [reset] = await engine.referrals.rewardsOf(invitee);
      if (credits === undefined || reset === undefined) throw new Error("no rewards");
      const reversal = { rewardId: credits.id, reason: "the invitee was refunded", idempotencyKey: "rev-1" };
      const reversed = expectOk(await engine.referrals.reverseReward(reversal));
      expect(reversed).toMatchObject({ state: "reversed", recoveredMinor: 150n, unrecoveredMinor: 50n });
      expect(expectOk(await engine.referrals.reverseReward(reversal))).toEqual(reversed);
      expect(expectOk(await engine.balance(referrer)).availableMinor).toBe(0n);
      const token = expectOk(
        await engine.referrals.reverseReward({ rewardId: reset.id, reason: "fraud", idempotencyKey: key() }),
      );
      expect(token).toMatchObject({ recoveredMinor: 1n, unrecoveredMinor: 0n });
      expect((await banked(invitee)).available).toBe(0);
      expect(
        codeOf(
          await engine.referrals.reverseReward({
            rewardId: reset.id,
            reason: "again",
            idempotencyKey: key(),
          }),
        ),
      ).toBe("invalid_request");
      await expectVerified();
    });

    it("counts the funnel, the budget, the cost per acquired customer and the viral coefficient", async () => {
      const program = {
        status: "live",
        invitees: { eligibility: "anyone" },
        qualifyingEvent: { event: "first_message" },
        rewards: { referrer: { type: "credits", amount: 100 } },
        budget: { credits: 1000 },
      };
      expectOk(await engine.referrals.saveProgram("funnel", program));
      const referrers = [await customer("pro", 1), await customer("pro", 1)];
      const invites = [];
      for (const referrer of referrers)
        for (let i = 0; i < 2; i += 1) invites.push(expectOk(await invite("funnel", referrer)));
      // Three opened, two accepted, one qualified.
      for (const sent of invites.slice(0, 3)) expectOk(await engine.referrals.preview(sent.code));
      const invitees = [await customer("free", 1), await customer("free", 1)];
      expectOk(await accept(invites[0]?.code ?? "", invitees[0] ?? ""));
      expectOk(await accept(invites[2]?.code ?? "", invitees[1] ?? ""));
      expectOk(await engine.referrals.recordEvent({ customerId: invitees[0] ?? "", name: "first_message" }));
      await engine.sweep();
      const stats = expectOk(await engine.referrals.stats("funnel"));
      expect(stats.funnel).toMatchObject({
        invitesCreated: 4,
        invitesOpened: 3,
        referrers: 2,
        accepted: 2,
        qualified: 1,
        rewarded: 1,
        rewardsGranted: 1,
      });
      expect(stats.budget).toMatchObject({ creditsMinor: 1000n, givenCreditsMinor: 100n, exhausted: false });
      expect(stats.costPerAcquired.creditsMinor).toBe(100);
      // Two invites per referrer, half of the acceptances qualified.
      expect(stats.viralCoefficient).toBe(1);
      expect(stats.weeks).toEqual([
        expect.objectContaining({ invites: 4, referrers: 2, viralCoefficient: 1 }),
      ]);
      expect(codeOf(await engine.referrals.stats("nope"))).toBe("not_found");
    });

    it("lets an operator hold a pending reward for review, then approve or reject it", async () => {
      const program = {
        status: "live",
        invitees: { eligibility: "anyone" },
        qualifyingEvent: { event: "first_message" },
        rewards: { referrer: { type: "reset" }, invitee: { type: "reset" } },
        holdPeriod: "1d",
      };
      expectOk(await engine.referrals.saveProgram("held", program));
      const referrer = await customer("pro", 1);
      const invitee = await customer("free", 1);
      expectOk(await accept(expectOk(await invite("held", referrer)).code, invitee));
      expectOk(await engine.referrals.recordEvent({ customerId: invitee, name: "first_message" }));
      const [mine] = await engine.referrals.rewardsOf(referrer);
      const [theirs] = await engine.referrals.rewardsOf(invitee);
      if (mine === undefined || theirs === undefined) throw new Error("no rewards");
      const held = expectOk(
        await engine.referrals.reviewReward({ rewardId: mine.id, action: "hold", reason: "check" }),
      );
      expect(held.state).toBe("review_required");
      expectOk(await engine.referrals.reviewReward({ rewardId: theirs.id, action: "hold" }));
      clock.advanceMs(2 * 86_400_000);
      // Held rewards wait, whatever their due time.
      expect((await engine.sweep()).referrals.granted).toBe(0);
      expectOk(await engine.referrals.reviewReward({ rewardId: mine.id, action: "approve" }));
      expectOk(
        await engine.referrals.reviewReward({ rewardId: theirs.id, action: "reject", reason: "fraud" }),
      );
      expect(codeOf(await engine.referrals.reviewReward({ rewardId: theirs.id, action: "approve" }))).toBe(
        "invalid_request",
      );
      expect((await engine.sweep()).referrals.granted).toBe(1);
      expect((await banked(referrer)).available).toBe(1);
      expect((await banked(invitee)).available).toBe(0);
      await expectVerified();
    });

    it("keeps one id space for gifting and referral programs", async () => {
      const taken = await engine.gifts.saveProgram("pilot", { status: "draft", giftMax: 10 });
      expect(codeOf(taken)).toBe("invalid_request");
    });

    it("refuses a program whose window ends before it starts, and one that rewards nobody", async () => {
      const backwards = {
        ...PILOT,
        window: { opensAt: "2026-06-24T00:00:00Z", closesAt: "2026-06-11T00:00:00Z" },
      };
      const refused = await engine.referrals.saveProgram("backwards", backwards);
      expect(codeOf(refused)).toBe("invalid_request");
      expect(refused.ok ? "" : refused.error.message).toContain("window.closesAt");
      expect(codeOf(await engine.referrals.saveProgram("nobody", { ...PILOT, rewards: {} }))).toBe(
        "invalid_request",
      );
    });
  });
}
