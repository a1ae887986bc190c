/**
 * Gifting end to end through the engine, on every backend: programs as versions, sending into escrow
 * from the allowance or the gift balance, preview and claim, the one answer for every unusable code,
 * revoking and expiry returning value to its source, caps, eligibility, review of look-alike claims,
 * and `verify` clean after every scenario.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import type { Store } from "../../src/store/store.js";
import { backends } from "../support/backends.js";
import { codeOf, counter, expectOk } from "../support/outcomes.js";

const START_MS = Date.UTC(2026, 5, 11, 9);
const DAY_MS = 86_400_000;

export const PRO_GIFTS = {
  status: "live",
  senders: { plans: ["pro"] },
  period: { unit: "month" },
  allowance: 500,
  giftMin: 50,
  giftMax: 300,
  caps: { sentPerPeriod: 3, receivedPerPeriod: 2, claimedEver: 3 },
  recipients: "anyone",
  claimWindow: "14d",
  credits: { expiresAfter: "90d", priority: 5 },
};

for (const backend of backends()) {
  describe(`gifting on ${backend.name}`, () => {
    let store: Store;
    let engine: Engine;
    let clock: ManualClock;
    const key = counter("gift-key");
    const name = counter("cus");

    async function customer(plan: string | null, extra: Record<string, unknown> = {}): Promise<string> {
      const id = name();
      expectOk(
        await engine.upsertCustomer({ id, plan, signedUpAtMs: clock.nowMs() - 400 * DAY_MS, ...extra }),
      );
      return id;
    }

    const send = (senderId: string, amount: number, extra: Record<string, unknown> = {}) =>
      engine.gifts.send({
        senderId,
        amountMinor: BigInt(amount),
        source: "allowance",
        idempotencyKey: key(),
        ...extra,
      });

    const claim = (handle: string, customerId: string, extra: Record<string, unknown> = {}) =>
      engine.gifts.claim({ handle, customerId, idempotencyKey: key(), ...extra });

    async function available(customerId: string): Promise<bigint> {
      return expectOk(await engine.balance(customerId)).availableMinor;
    }

    async function expectVerified(): Promise<void> {
      const report = await engine.verify();
      expect(report.checks.filter((check) => check.violation !== null)).toEqual([]);
    }

    beforeAll(async () => {
      store = await backend.open();
      clock = new ManualClock(START_MS);
      engine = await createEngine({ store, clock });
      expectOk(await engine.gifts.saveProgram("pro-gifts", PRO_GIFTS));
    });
    afterAll(async () => {
      await store.close();
      await backend.cleanup();
    });
    beforeEach(async () => {
      await expectVerified();
    });

    it("stores a program as versions, and an unchanged one as no new version", async () => {
      const again = expectOk(await engine.gifts.saveProgram("pro-gifts", PRO_GIFTS));
      expect(again).toMatchObject({ created: false, program: { version: 1 } });
      const [listed] = await engine.gifts.listPrograms();
      expect(listed?.spec).toMatchObject({ allowance: 500, giftMin: 50, claimWindow: "14d" });
      const bad = await engine.gifts.saveProgram("bad", { ...PRO_GIFTS, giftMin: 400 });
      expect(codeOf(bad)).toBe("invalid_request");
      expect(bad.ok ? "" : bad.error.message).toContain("giftMax");
    });

    it("sends into escrow, previews, and claims into a new gifted lot", async () => {
      const sender = await customer("pro", { displayName: "Ada" });
      const friend = await customer(null);
      const gift = expectOk(await send(sender, 200, { message: "build something <b>great</b>" }));
      expect(gift).toMatchObject({ status: "pending", amountMinor: 200n, source: "allowance" });
      expect(gift.code).toMatch(
        /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$/,
      );
      expect(gift.secret).toMatch(/^[A-Za-z0-9_-]{22}$/);
      const preview = expectOk(await engine.gifts.preview(gift.code.toLowerCase()));
      expect(preview).toMatchObject({
        amountMinor: 200n,
        senderName: "Ada",
        message: "build something <b>great</b>",
      });
      const claimed = expectOk(await claim(gift.secret, friend));
      expect(claimed).toMatchObject({ status: "claimed", recipientId: friend, code: "", secret: "" });
      expect(await available(friend)).toBe(200n);
      const lots = expectOk(await engine.balance(friend)).lots;
      expect(lots[0]).toMatchObject({ kind: "gifted", priority: 5, transferable: false });
      expect(lots[0]?.expiresAtMs).toBe(START_MS + 90 * DAY_MS);
      await expectVerified();
    });

    it("gives the one same answer for every code that can't be claimed", async () => {
      const sender = await customer("pro");
      const friend = await customer(null);
      const other = await customer(null);
      const claimed = expectOk(await send(sender, 50));
      expectOk(await claim(claimed.code, friend));
      const revoked = expectOk(await send(sender, 50));
      expectOk(await engine.gifts.revoke({ giftId: revoked.id, senderId: sender, idempotencyKey: key() }));
      const unknown = "0000-0000-0000-0";
      for (const handle of [claimed.code, revoked.code, unknown, "AAAAAAAAAAAAAAAAAAAAAA"]) {
        expect(codeOf(await claim(handle, other))).toBe("gift_unavailable");
        expect(codeOf(await engine.gifts.preview(handle))).toBe("gift_unavailable");
      }
      // A typo is told apart: the check character catches it before any lookup.
      const typo = `${claimed.code.slice(0, -1)}${claimed.code.endsWith("0") ? "1" : "0"}`;
      expect(codeOf(await claim(typo, other))).toBe("invalid_request");
    });

    it("refuses self-claims, purchased sources, amounts out of bounds and senders off the program", async () => {
      const sender = await customer("pro");
      const free = await customer("free");
      const gift = expectOk(await send(sender, 100));
      expect(codeOf(await claim(gift.code, sender))).toBe("gift_self_claim");
      expect(codeOf(await send(sender, 100, { source: "purchased" }))).toBe("not_transferable");
      expect(codeOf(await send(sender, 49))).toBe("invalid_request");
      expect(codeOf(await send(sender, 301))).toBe("invalid_request");
      expect(codeOf(await send(free, 100))).toBe("not_eligible");
      expect(codeOf(await send(sender, 100, { message: "x".repeat(281) }))).toBe("invalid_request");
      await expectVerified();
    });

    it("draws on the allowance per month and gives a revoked gift's value back to its month", async () => {
      const sender = await customer("pro");
      const first = expectOk(await send(sender, 300));
      expect(codeOf(await send(sender, 201))).toBe("insufficient_credits");
      expectOk(await engine.gifts.revoke({ giftId: first.id, senderId: sender, idempotencyKey: key() }));
      const gifts = expectOk(await engine.gifts.ofCustomer(sender));
      expect(gifts.allowances).toEqual([
        expect.objectContaining({
          programId: "pro-gifts",
          allowanceMinor: 500n,
          usedMinor: 0n,
          leftMinor: 500n,
          sentCount: 1,
        }),
      ]);
      expect(gifts.sent.map((gift) => gift.status)).toEqual(["revoked"]);
      // Three sent this month is the cap, revoked ones included.
      expectOk(await send(sender, 50));
      expectOk(await send(sender, 50));
      expect(codeOf(await send(sender, 50))).toBe("cap_exceeded");
      await expectVerified();
    });

    it("expires an unclaimed gift at the end of its window, by the sweep and on read", async () => {
      const sender = await customer("pro");
      const friend = await customer(null);
      const swept = expectOk(await send(sender, 100));
      const read = expectOk(await send(sender, 100));
      clock.advanceMs(14 * DAY_MS);
      expect(codeOf(await engine.gifts.preview(read.code))).toBe("gift_unavailable");
      expect((await engine.sweep()).expiredGifts).toBeGreaterThanOrEqual(1);
      expect(codeOf(await claim(swept.code, friend))).toBe("gift_unavailable");
      const sent = expectOk(await engine.gifts.ofCustomer(sender)).sent;
      expect(sent.map((gift) => gift.status)).toEqual(["expired", "expired"]);
      await expectVerified();
    });

    it("caps what one recipient receives", async () => {
      const senders = [await customer("pro"), await customer("pro"), await customer("pro")];
      const friend = await customer(null);
      const gifts = [];
      for (const sender of senders) gifts.push(expectOk(await send(sender, 50)));
      expectOk(await claim(gifts[0]?.code ?? "", friend));
      expectOk(await claim(gifts[1]?.code ?? "", friend));
      expect(codeOf(await claim(gifts[2]?.code ?? "", friend))).toBe("cap_exceeded");
      await expectVerified();
    });

    it("holds a claim that shares the sender's device for review, then settles it", async () => {
      const sender = await customer("pro");
      const twin = await customer(null);
      const gift = expectOk(await send(sender, 100, { signals: { device: "dev-1" } }));
      const held = expectOk(await claim(gift.code, twin, { signals: { device: "dev-1" } }));
      expect(held.status).toBe("review");
      expect(await available(twin)).toBe(0n);
      expect((await engine.gifts.inReview()).map((g) => g.id)).toContain(gift.id);
      const approved = expectOk(
        await engine.gifts.review({ giftId: gift.id, decision: "approve", idempotencyKey: key() }),
      );
      expect(approved.status).toBe("claimed");
      expect(await available(twin)).toBe(100n);
      const other = expectOk(await send(sender, 100, { signals: { address: "ip-1" } }));
      expectOk(await claim(other.code, twin, { signals: { address: "ip-1" } }));
      const rejected = expectOk(
        await engine.gifts.review({ giftId: other.id, decision: "reject", idempotencyKey: key() }),
      );
      expect(rejected.status).toBe("revoked");
      await expectVerified();
    });

    it("sends from a gift balance and returns a revoked gift there", async () => {
      const buyer = await customer("pro");
      expectOk(
        await engine.gifts.fundGiftBalance({
          customerId: buyer,
          amountMinor: 250n,
          reason: null,
          idempotencyKey: key(),
        }),
      );
      expect(codeOf(await send(buyer, 300, { source: "gift_balance" }))).toBe("insufficient_credits");
      const gift = expectOk(await send(buyer, 250, { source: "gift_balance" }));
      expect(expectOk(await engine.gifts.ofCustomer(buyer)).giftBalanceMinor).toBe(0n);
      expect(codeOf(await send(buyer, 50, { source: "gift_balance" }))).toBe("insufficient_credits");
      expectOk(await engine.gifts.revoke({ giftId: gift.id, senderId: buyer, idempotencyKey: key() }));
      expect(expectOk(await engine.gifts.ofCustomer(buyer)).giftBalanceMinor).toBe(250n);
      await expectVerified();
    });

    it("claims a code exactly once when fifty claimers race", async () => {
      const sender = await customer("pro");
      const gift = expectOk(await send(sender, 100));
      const claimers = [];
      for (let i = 0; i < 50; i += 1) claimers.push(await customer(null));
      const outcomes = await Promise.all(claimers.map((id) => claim(gift.code, id)));
      const codes = outcomes.map(codeOf);
      expect(codes.filter((code) => code === "ok")).toHaveLength(1);
      expect(codes.filter((code) => code !== "ok").every((code) => code === "gift_unavailable")).toBe(true);
      await expectVerified();
    });

    it("reports a program's gifts by state, claim rate, recipients and use", async () => {
      const program = { ...PRO_GIFTS, caps: {}, senders: {} };
      expectOk(await engine.gifts.saveProgram("report-gifts", program));
      const sender = await customer("pro");
      const newcomer = name();
      expectOk(await engine.upsertCustomer({ id: newcomer, plan: null, signedUpAtMs: clock.nowMs() }));
      const sendIn = (amount: number) => send(sender, amount, { programId: "report-gifts" });
      const claimed = expectOk(await sendIn(100));
      const revoked = expectOk(await sendIn(60));
      expectOk(await sendIn(50));
      clock.advanceMs(3_600_000);
      expectOk(await claim(claimed.code, newcomer));
      expectOk(await engine.consume({ customerId: newcomer, amountMinor: 30n, idempotencyKey: key() }));
      expectOk(await engine.gifts.revoke({ giftId: revoked.id, senderId: sender, idempotencyKey: key() }));
      clock.advanceMs(14 * DAY_MS);
      await engine.sweep();
      const report = expectOk(await engine.gifts.report());
      const row = report.programs.find((line) => line.programId === "report-gifts");
      expect(row).toMatchObject({
        sent: 3,
        claimed: 1,
        revoked: 1,
        expired: 1,
        pending: 0,
        sentMinor: 210n,
        claimedMinor: 100n,
        revokedMinor: 60n,
        expiredMinor: 50n,
        claimSecondsMedian: 3600,
        recipientsNew: 1,
        usedMinor: 30n,
        usedShare: 0.3,
        newOrLapsedShare: 1,
      });
      expect(row?.claimRate).toBeCloseTo(1 / 3);
      expect(codeOf(await engine.gifts.report({ fromMs: 10, toMs: 5 }))).toBe("invalid_request");
      // Ending a program is a patch; sending under it is then refused.
      const ended = expectOk(
        await engine.gifts.patchProgram("report-gifts", { status: "ended", caps: null }),
      );
      expect(ended).toMatchObject({
        created: true,
        program: { version: 2, spec: { status: "ended", giftMin: 50 } },
      });
      expect(codeOf(await sendIn(100))).toBe("program_closed");
      await expectVerified();
    });

    it("writes gift.created, gift.claimed, gift.revoked and gift.expired to the outbox", async () => {
      const sender = await customer("pro");
      const friend = await customer(null);
      const claimed = expectOk(await send(sender, 50));
      expectOk(await claim(claimed.code, friend));
      const revoked = expectOk(await send(sender, 50));
      expectOk(await engine.gifts.revoke({ giftId: revoked.id, senderId: sender, idempotencyKey: key() }));
      const expired = expectOk(await send(sender, 50));
      clock.advanceMs(15 * DAY_MS);
      expect(await engine.gifts.expire(expired.id)).toBe(true);
      expect(await engine.gifts.expire(expired.id)).toBe(false);
      const rows = await store.query<{ type: string; gift_id: string; recipient_id: string | null }>(
        `SELECT type, payload ->> 'giftId' AS gift_id, payload ->> 'recipientId' AS recipient_id
         FROM events WHERE customer_id = $1::text ORDER BY id`,
        [sender],
      );
      expect(rows).toEqual([
        { type: "gift.created", gift_id: claimed.id, recipient_id: null },
        { type: "gift.claimed", gift_id: claimed.id, recipient_id: friend },
        { type: "gift.created", gift_id: revoked.id, recipient_id: null },
        { type: "gift.revoked", gift_id: revoked.id, recipient_id: null },
        { type: "gift.created", gift_id: expired.id, recipient_id: null },
        { type: "gift.expired", gift_id: expired.id, recipient_id: null },
      ]);
      await expectVerified();
    });

    it("replays a retried send and claim by key", async () => {
      const sender = await customer("pro");
      const friend = await customer(null);
      const request = {
        senderId: sender,
        amountMinor: 60n,
        source: "allowance",
        idempotencyKey: "send-once",
      };
      const first = expectOk(await engine.gifts.send(request));
      const again = expectOk(await engine.gifts.send(request));
      expect(again).toEqual(first);
      expect(codeOf(await engine.gifts.send({ ...request, amountMinor: 70n }))).toBe("idempotency_conflict");
      const claimRequest = { handle: first.code, customerId: friend, idempotencyKey: "claim-once" };
      expect(expectOk(await engine.gifts.claim(claimRequest))).toEqual(
        expectOk(await engine.gifts.claim(claimRequest)),
      );
      // The same code typed another way is the same request.
      const retyped = { ...claimRequest, handle: first.code.toLowerCase().replaceAll("-", " ") };
      expect(expectOk(await engine.gifts.claim(retyped))).toEqual(
        expectOk(await engine.gifts.claim(claimRequest)),
      );
      expect(await available(friend)).toBe(60n);
      await expectVerified();
    });
  });
}
