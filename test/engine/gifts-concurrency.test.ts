/**
 * Gifting under concurrency, on every backend: a thousand claims racing on one code, caps and
 * allowances pressed by many requests at once, a revoke racing a claim on the same gift, an operator's
 * approve racing a reject, and the expiry sweep racing claims at the very end of the claim window.
 * Whatever the interleaving, each gift settles once, its value ends in exactly one place, no cap or
 * allowance is exceeded, and `verify` (escrow against open gifts included) passes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import type { Outcome } from "../../src/core/errors.js";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import type { GiftView } from "../../src/engine/gifts.js";
import type { Store } from "../../src/store/store.js";
import { backends } from "../support/backends.js";
import { codeOf, counter, expectOk } from "../support/outcomes.js";

const START_MS = Date.UTC(2026, 5, 11, 9);
const DAY_MS = 86_400_000;
const CLAIM_WINDOW_MS = 14 * DAY_MS;
/** Claimers racing on one code. */
const RACERS = 1000;
/** Customers created at once while setting up. */
const SETUP_CHUNK = 50;
const TEST_TIMEOUT_MS = 120_000;

/** A live program open to every sender, with the caps and allowance a scenario needs. */
function program(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    status: "live",
    period: { unit: "month" },
    allowance: 100_000,
    giftMin: 1,
    giftMax: 10_000,
    recipients: "anyone",
    claimWindow: "14d",
    ...extra,
  };
}

const sum = (amounts: readonly bigint[]): bigint => amounts.reduce((total, amount) => total + amount, 0n);

for (const backend of backends()) {
  describe(`gifting under concurrency on ${backend.name}`, () => {
    let store: Store;
    let engine: Engine;
    const clock = new ManualClock(START_MS);
    const key = counter(`gift-race-key-${backend.name}`);
    const name = counter("race");

    beforeAll(async () => {
      store = await backend.open();
      engine = await createEngine({ store, clock });
    });
    afterAll(async () => {
      await store.close();
      await backend.cleanup();
    });

    async function customers(count: number): Promise<string[]> {
      const ids = Array.from({ length: count }, () => name());
      for (let start = 0; start < ids.length; start += SETUP_CHUNK)
        await Promise.all(
          ids
            .slice(start, start + SETUP_CHUNK)
            .map(async (id) => expectOk(await engine.upsertCustomer({ id }))),
        );
      return ids;
    }

    async function saveProgram(extra: Record<string, unknown> = {}): Promise<string> {
      const id = `race-${name()}`;
      expectOk(await engine.gifts.saveProgram(id, program(extra)));
      return id;
    }

    const send = (programId: string, senderId: string, amount: bigint, source = "allowance") =>
      engine.gifts.send({ senderId, programId, amountMinor: amount, source, idempotencyKey: key() });

    const claim = (handle: string, customerId: string, on: Engine = engine) =>
      on.gifts.claim({ handle, customerId, idempotencyKey: key() });

    async function fund(customerId: string, amount: bigint): Promise<void> {
      expectOk(
        await engine.gifts.fundGiftBalance({
          customerId,
          amountMinor: amount,
          reason: null,
          idempotencyKey: key(),
        }),
      );
    }

    async function available(customerId: string): Promise<bigint> {
      return expectOk(await engine.balance(customerId)).availableMinor;
    }

    async function expectVerified(): Promise<void> {
      const report = await engine.verify();
      expect(report.checks.filter((check) => check.violation !== null)).toEqual([]);
    }

    async function statusOf(senderId: string): Promise<Map<string, GiftView>> {
      const sent = expectOk(await engine.gifts.ofCustomer(senderId)).sent;
      return new Map(sent.map((gift) => [gift.id, gift]));
    }

    async function allowanceOf(senderId: string, programId: string) {
      const page = expectOk(await engine.gifts.ofCustomer(senderId));
      const line = page.allowances.find((candidate) => candidate.programId === programId);
      if (line === undefined) throw new Error(`no allowance line for ${programId}`);
      return { ...line, giftBalanceMinor: page.giftBalanceMinor };
    }

    it(
      `lets exactly one of ${RACERS} claims racing on one code win`,
      async () => {
        const programId = await saveProgram();
        const [sender = ""] = await customers(1);
        const gift = expectOk(await send(programId, sender, 100n));
        const claimers = await customers(RACERS);
        // Half of them use the code (in either case), half the link's secret.
        const handles = [gift.code, gift.code.toLowerCase(), gift.secret];
        const outcomes = await Promise.all(
          claimers.map((claimer, index) => claim(handles[index % handles.length] ?? "", claimer)),
        );
        const codes = outcomes.map(codeOf);
        const winners = claimers.filter((_, index) => codes[index] === "ok");
        expect(winners).toHaveLength(1);
        expect(codes.filter((code) => code !== "ok" && code !== "gift_unavailable")).toEqual([]);
        const [winner = ""] = winners;
        const settled = (await statusOf(sender)).get(gift.id);
        expect(settled).toMatchObject({ status: "claimed", recipientId: winner, amountMinor: 100n });
        expect(await available(winner)).toBe(100n);
        // Every loser's wallet is untouched.
        const losers = claimers.filter((id) => id !== winner).slice(0, 50);
        for (const loser of losers) expect(await available(loser)).toBe(0n);
        expect(expectOk(await engine.gifts.ofCustomer(winner)).received.map((g) => g.id)).toEqual([gift.id]);
        await expectVerified();
      },
      TEST_TIMEOUT_MS,
    );

    it("lets one recipient claiming ten gifts at once receive exactly three", async () => {
      const programId = await saveProgram({ caps: { receivedPerPeriod: 3 } });
      const senders = await customers(10);
      const [recipient = ""] = await customers(1);
      const gifts = [];
      for (const sender of senders) gifts.push(expectOk(await send(programId, sender, 25n)));
      const outcomes = await Promise.all(gifts.map((gift) => claim(gift.code, recipient)));
      const codes = outcomes.map(codeOf);
      expect(codes.filter((code) => code === "ok")).toHaveLength(3);
      expect(codes.filter((code) => code === "cap_exceeded")).toHaveLength(7);
      expect(await available(recipient)).toBe(75n);
      expect(expectOk(await engine.gifts.ofCustomer(recipient)).received).toHaveLength(3);
      await expectVerified();
    });

    it("lets one sender sending twelve gifts at once send exactly four", async () => {
      const programId = await saveProgram({ allowance: 1000, caps: { sentPerPeriod: 4 } });
      const [sender = ""] = await customers(1);
      const outcomes = await Promise.all(Array.from({ length: 12 }, () => send(programId, sender, 10n)));
      const codes = outcomes.map(codeOf);
      expect(codes.filter((code) => code === "ok")).toHaveLength(4);
      expect(codes.filter((code) => code === "cap_exceeded")).toHaveLength(8);
      expect(await allowanceOf(sender, programId)).toMatchObject({ usedMinor: 40n, sentCount: 4 });
      expect((await statusOf(sender)).size).toBe(4);
      await expectVerified();
    });

    for (const source of ["allowance", "gift_balance"] as const) {
      it(`never sends more than the ${source} holds when sends at once ask for more`, async () => {
        const programId = await saveProgram({ allowance: source === "allowance" ? 500 : 0 });
        const [sender = ""] = await customers(1);
        if (source === "gift_balance") await fund(sender, 500n);
        // Twenty sends asking for 1,560 in all, against 500.
        const amounts = Array.from({ length: 20 }, (_, index) => BigInt(30 + ((index * 37) % 100)));
        const outcomes = await Promise.all(amounts.map((amount) => send(programId, sender, amount, source)));
        const sent = amounts.filter((_, index) => outcomes[index]?.ok === true);
        const refused = amounts.filter((_, index) => outcomes[index]?.ok !== true);
        expect(outcomes.filter((o) => !o.ok && o.error.code !== "insufficient_credits")).toEqual([]);
        const totalSent = sum(sent);
        expect(totalSent).toBeLessThanOrEqual(500n);
        // What was used only grows, so each refused amount was more than is left at the end.
        for (const amount of refused) expect(amount).toBeGreaterThan(500n - totalSent);
        const line = await allowanceOf(sender, programId);
        if (source === "allowance") expect(line.usedMinor).toBe(totalSent);
        else expect(line.giftBalanceMinor).toBe(500n - totalSent);
        expect(line.sentCount).toBe(sent.length);
        await expectVerified();
      });
    }

    it("settles a gift once when its revoke races its claim, the value in exactly one place", async () => {
      const programId = await saveProgram();
      const [sender = ""] = await customers(1);
      await fund(sender, 10_000n);
      const gifts: GiftView[] = [];
      for (let index = 0; index < 30; index += 1) {
        const source = index % 2 === 0 ? "allowance" : "gift_balance";
        gifts.push(expectOk(await send(programId, sender, BigInt(10 + index), source)));
      }
      const recipients = await customers(gifts.length);
      const before = await allowanceOf(sender, programId);
      const races = gifts.flatMap((gift, index) => {
        const recipient = recipients[index] ?? "";
        const claimIt = () => claim(gift.secret, recipient);
        const revokeIt = () =>
          engine.gifts.revoke({ giftId: gift.id, senderId: sender, idempotencyKey: key() });
        // Alternate which request goes first.
        return index % 2 === 0 ? [claimIt(), revokeIt()] : [revokeIt(), claimIt()];
      });
      const outcomes: Outcome<GiftView>[] = await Promise.all(races);
      const settled = await statusOf(sender);
      let claimedFromAllowance = 0n;
      let revokedFromBalance = 0n;
      for (const [index, gift] of gifts.entries()) {
        const [first, second] = [outcomes[2 * index], outcomes[2 * index + 1]];
        const [claimed, revoked] = index % 2 === 0 ? [first, second] : [second, first];
        const claimCode = claimed === undefined ? "missing" : codeOf(claimed);
        const revokeCode = revoked === undefined ? "missing" : codeOf(revoked);
        const status = settled.get(gift.id)?.status;
        const recipient = recipients[index] ?? "";
        if (claimCode === "ok") {
          expect({ revokeCode, status }).toEqual({ revokeCode: "invalid_request", status: "claimed" });
          expect(await available(recipient)).toBe(gift.amountMinor);
          if (gift.source === "allowance") claimedFromAllowance += gift.amountMinor;
        } else {
          expect({ claimCode, revokeCode, status }).toEqual({
            claimCode: "gift_unavailable",
            revokeCode: "ok",
            status: "revoked",
          });
          expect(await available(recipient)).toBe(0n);
          if (gift.source === "gift_balance") revokedFromBalance += gift.amountMinor;
        }
      }
      const after = await allowanceOf(sender, programId);
      const allowanceSent = sum(gifts.filter((g) => g.source === "allowance").map((g) => g.amountMinor));
      // Revoked allowance gifts gave their value back; claimed ones keep it used.
      expect(before.usedMinor).toBe(allowanceSent);
      expect(after.usedMinor).toBe(claimedFromAllowance);
      expect(after.giftBalanceMinor).toBe(before.giftBalanceMinor + revokedFromBalance);
      await expectVerified();
    });

    it("settles a claim held for review once when an approve races a reject", async () => {
      const programId = await saveProgram();
      const [sender = ""] = await customers(1);
      const recipients = await customers(20);
      const held: GiftView[] = [];
      for (const recipient of recipients) {
        const gift = expectOk(
          await engine.gifts.send({
            senderId: sender,
            programId,
            amountMinor: 40n,
            source: "allowance",
            signals: { device: "shared" },
            idempotencyKey: key(),
          }),
        );
        const claimed = await engine.gifts.claim({
          handle: gift.code,
          customerId: recipient,
          signals: { device: "shared" },
          idempotencyKey: key(),
        });
        expect(expectOk(claimed).status).toBe("review");
        held.push(gift);
      }
      const outcomes = await Promise.all(
        held.flatMap((gift, index) => {
          const decide = (decision: "approve" | "reject") =>
            engine.gifts.review({ giftId: gift.id, decision, idempotencyKey: key() });
          // Alternate which decision is sent first; the answers stay in the order approve, reject.
          if (index % 2 === 0) return [decide("approve"), decide("reject")];
          const reject = decide("reject");
          return [decide("approve"), reject];
        }),
      );
      const settled = await statusOf(sender);
      let approved = 0n;
      for (const [index, gift] of held.entries()) {
        const [approve, reject] = [outcomes[2 * index], outcomes[2 * index + 1]];
        const codes = [approve, reject].map((o) => (o === undefined ? "missing" : codeOf(o)));
        expect(codes.filter((code) => code === "ok")).toHaveLength(1);
        expect(codes.filter((code) => code === "invalid_request")).toHaveLength(1);
        const status = settled.get(gift.id)?.status;
        expect(status).toBe(codes[0] === "ok" ? "claimed" : "revoked");
        expect(await available(recipients[index] ?? "")).toBe(status === "claimed" ? 40n : 0n);
        if (status === "claimed") approved += 40n;
      }
      expect((await allowanceOf(sender, programId)).usedMinor).toBe(approved);
      expect(await engine.gifts.inReview()).toEqual([]);
      await expectVerified();
    });

    it("settles each gift once when the sweep races claims at the end of the claim window", async () => {
      // Past every earlier gift's window, so that the sweeps below meet this scenario's gifts only.
      clock.advanceMs(CLAIM_WINDOW_MS);
      await engine.sweep();
      // A one-day window, so that the window ends in the month the allowance was drawn in.
      const programId = await saveProgram({ claimWindow: "1d" });
      const [sender = ""] = await customers(1);
      const gifts: GiftView[] = [];
      for (let index = 0; index < 40; index += 1)
        gifts.push(expectOk(await send(programId, sender, BigInt(5 + index))));
      const recipients = await customers(gifts.length);
      const endMs = clock.nowMs() + DAY_MS;
      expect(new Date(endMs).getUTCMonth()).toBe(new Date(clock.nowMs()).getUTCMonth());
      for (const gift of gifts) expect(gift.expiresAtMs).toBe(endMs);
      // Two engines on the one store: one whose clock reads the last millisecond of the window, one
      // whose clock reads its end, so requests of both kinds can be in flight at once.
      const lastMs = new ManualClock(endMs - 1);
      const early = await createEngine({ store, clock: lastMs });
      clock.setMs(endMs);
      const inTime = gifts.slice(0, 30);
      const late = gifts.slice(30);
      // The sweep over every gift, and for each gift in time its claim and its own expiry (the sweep's
      // unit of work), the one or the other sent first.
      const sweep = engine.sweep();
      const races = inTime.map(async (gift, index) => {
        const claimIt = () => claim(gift.code, recipients[index] ?? "", early);
        const expireIt = () => engine.gifts.expire(gift.id);
        if (index % 2 === 0) return Promise.all([claimIt(), expireIt()]);
        const [expired, claimed] = await Promise.all([expireIt(), claimIt()]);
        return [claimed, expired] as const;
      });
      const [inTimeRaces, lateOutcomes, previews, report] = await Promise.all([
        Promise.all(races),
        Promise.all(late.map((gift, index) => claim(gift.code, recipients[30 + index] ?? "", engine))),
        Promise.all(late.map((gift) => engine.gifts.preview(gift.secret))),
        sweep,
      ]);
      // A claim made at the end of the window is refused, whatever else is running.
      expect(lateOutcomes.map(codeOf)).toEqual(late.map(() => "gift_unavailable"));
      expect(previews.map(codeOf)).toEqual(late.map(() => "gift_unavailable"));
      const settled = await statusOf(sender);
      let claimedMinor = 0n;
      let claimedCount = 0;
      let expiredOne = 0;
      for (const [index, gift] of inTime.entries()) {
        const [claimed, expired] = inTimeRaces[index] ?? [];
        const code = claimed === undefined ? "missing" : codeOf(claimed);
        const status = settled.get(gift.id)?.status;
        expect({ code, expired, status }).toEqual(
          code === "ok"
            ? { code, expired: false, status: "claimed" }
            : { code: "gift_unavailable", expired, status: "expired" },
        );
        if (expired === true) expiredOne += 1;
        expect(await available(recipients[index] ?? "")).toBe(code === "ok" ? gift.amountMinor : 0n);
        if (code === "ok") {
          claimedMinor += gift.amountMinor;
          claimedCount += 1;
        }
      }
      for (const gift of late) expect(settled.get(gift.id)?.status).toBe("expired");
      // The sweep and the single expiries settled what no claim took, except what a preview expired first.
      expect(report.expiredGifts + expiredOne).toBeLessThanOrEqual(gifts.length - claimedCount);
      expect(report.expiredGifts + expiredOne).toBeGreaterThanOrEqual(inTime.length - claimedCount);
      expect((await engine.sweep()).expiredGifts).toBe(0);
      expect((await allowanceOf(sender, programId)).usedMinor).toBe(claimedMinor);
      await expectVerified();
    });
  });
}
