/** `verify` must catch each kind of corruption, naming it, and accept a healthy ledger. */
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import type { Store } from "../../src/store/store.js";
import { backends } from "../support/backends.js";
import { expectOk } from "../support/outcomes.js";

async function ledgerWithActivity(store: Store): Promise<{ engine: Engine; holdId: string; lotId: string }> {
  const clock = new ManualClock(Date.UTC(2026, 5, 1));
  const engine = await createEngine({ store, clock });
  await engine.upsertCustomer({ id: "bea" });
  const lot = await engine.grant({
    customerId: "bea",
    amountMinor: 1000,
    kind: "promotional",
    idempotencyKey: "g1",
  });
  await engine.grant({ customerId: "bea", amountMinor: 500, kind: "purchased", idempotencyKey: "g2" });
  const spent = await engine.consume({ customerId: "bea", amountMinor: 1200, idempotencyKey: "c1" });
  const hold = await engine.hold({
    customerId: "bea",
    amountMinor: 100,
    ttlSeconds: 60,
    idempotencyKey: "h1",
  });
  if (!lot.ok || !spent.ok || !hold.ok) throw new Error("setup failed");
  await engine.reverse({ transferId: spent.value.transferId, idempotencyKey: "r1" });
  return { engine, holdId: hold.value.hold.id, lotId: lot.value.lotId };
}

interface GiftActivity {
  readonly claimedId: string;
  readonly revokedId: string;
  readonly pendingId: string;
}

/** A sender with a gift balance, and one gift in each of claimed, revoked and pending. */
async function giftActivity(engine: Engine): Promise<GiftActivity> {
  expectOk(
    await engine.gifts.saveProgram("verify-gifts", {
      status: "live",
      allowance: 1000,
      giftMin: 1,
      giftMax: 500,
    }),
  );
  expectOk(await engine.upsertCustomer({ id: "gil" }));
  expectOk(
    await engine.gifts.fundGiftBalance({
      customerId: "gil",
      amountMinor: 300n,
      reason: null,
      idempotencyKey: "gf1",
    }),
  );
  const send = async (amountMinor: bigint, source: string, idempotencyKey: string) =>
    expectOk(await engine.gifts.send({ senderId: "gil", amountMinor, source, idempotencyKey }));
  const claimed = await send(100n, "allowance", "gs1");
  expectOk(await engine.gifts.claim({ handle: claimed.code, customerId: "bea", idempotencyKey: "gc1" }));
  const revoked = await send(80n, "gift_balance", "gs2");
  expectOk(await engine.gifts.revoke({ giftId: revoked.id, senderId: "gil", idempotencyKey: "gr1" }));
  const pending = await send(60n, "gift_balance", "gs3");
  return { claimedId: claimed.id, revokedId: revoked.id, pendingId: pending.id };
}

/** The names of the checks that found a violation. */
function failedChecks(report: { checks: readonly { name: string; violation: string | null }[] }): string[] {
  return report.checks.filter((check) => check.violation !== null).map((check) => check.name);
}

function violationOf(
  report: { checks: readonly { name: string; violation: string | null }[] },
  name: string,
) {
  return report.checks.find((check) => check.name === name)?.violation;
}

for (const backend of backends()) {
  describe(`verify on ${backend.name}`, () => {
    let store: Store;
    let engine: Engine;
    let holdId: string;
    let lotId: string;

    beforeEach(async () => {
      store = await backend.open();
      ({ engine, holdId, lotId } = await ledgerWithActivity(store));
    });
    afterAll(() => backend.cleanup());

    it("accepts a healthy ledger and counts it", async () => {
      const report = await engine.verify();
      expect(report.ok).toBe(true);
      expect(report.firstViolation).toBeNull();
      expect(report.counts.transfers).toBe(4n);
      expect(report.checks.every((check) => check.violation === null)).toBe(true);
      await store.close();
    });

    it("names a wallet whose stored balance drifted from its entries", async () => {
      await store.query("UPDATE accounts SET balance_minor = balance_minor + 7 WHERE customer_id = 'bea'");
      const report = await engine.verify();
      expect(report.ok).toBe(false);
      expect(report.firstViolation).toMatch(
        /^wallet_balance_matches_entries: wallet acc_\w+ stores \d+ but its entries sum to \d+/,
      );
      await store.close();
    });

    it("names a lot whose remaining drifted from its entries", async () => {
      await store.transaction(async (tx) => {
        await tx.query("UPDATE lots SET remaining_minor = remaining_minor - 1 WHERE id = $1", [lotId]);
        await tx.query("UPDATE accounts SET balance_minor = balance_minor - 1 WHERE customer_id = 'bea'");
      });
      const report = await engine.verify();
      expect(report.firstViolation).toMatch(/^wallet_balance_matches_entries|^lot_remaining_matches_entries/);
      const failed = report.checks.filter((check) => check.violation !== null).map((check) => check.name);
      expect(failed).toContain("lot_remaining_matches_entries");
      await store.close();
    });

    it("names a reservation no pending hold accounts for", async () => {
      await store.query("UPDATE holds SET status = 'voided', resolved_at = now() WHERE id = $1", [holdId]);
      const report = await engine.verify();
      expect(report.firstViolation).toMatch(
        /^held_matches_pending_holds: lot lot_\w+ has held 100 but pending holds reserve 0/,
      );
      await store.close();
    });

    it("names an unbalanced transfer even when the guards were switched off", async () => {
      await store.transaction(async (tx) => {
        await tx.query("ALTER TABLE entries DISABLE TRIGGER USER");
        await tx.query(
          "UPDATE entries SET amount_minor = amount_minor + 1 WHERE id = (SELECT min(id) FROM entries WHERE account_id = 'sys_consumption')",
        );
        await tx.query("ALTER TABLE entries ENABLE TRIGGER USER");
      });
      const report = await engine.verify();
      expect(report.firstViolation).toMatch(/^transfers_balance: transfer txn_\w+ sums to 1 over 3 entries/);
      expect(report.checks.find((check) => check.name === "ledger_zero_sum")?.violation).toBe(
        "all entries sum to 1",
      );
      await store.close();
    });

    describe("with gifts", () => {
      let gifts: GiftActivity;

      beforeEach(async () => {
        gifts = await giftActivity(engine);
      });

      it("accepts a healthy ledger with gifts in every state", async () => {
        const report = await engine.verify();
        expect(failedChecks(report)).toEqual([]);
        await store.close();
      });

      it("names a gift balance whose stored balance drifted from its entries", async () => {
        await store.query(
          "UPDATE accounts SET balance_minor = balance_minor + 5 WHERE kind = 'gift_balance'",
        );
        const report = await engine.verify();
        expect(failedChecks(report)).toEqual(["gift_balances_match_entries"]);
        expect(report.firstViolation).toMatch(
          /^gift_balances_match_entries: gift balance gba_\w+ holds 245 but its entries sum to 240$/,
        );
        await store.close();
      });

      it("names a gift balance that went negative, even with entries to match", async () => {
        await store.transaction(async (tx) => {
          await tx.query("ALTER TABLE accounts DROP CONSTRAINT accounts_gift_balance_not_negative");
          await tx.query(
            `INSERT INTO transfers (id, kind, customer_id, reason, created_at)
             VALUES ('txn_overdraw', 'gift_fund', 'gil', 'corrupt', now())`,
          );
          await tx.query(
            `INSERT INTO entries (id, transfer_id, account_id, amount_minor, created_at)
             SELECT 'ent_overdraw_1', 'txn_overdraw', id, -1000, now() FROM accounts WHERE kind = 'gift_balance'
             UNION ALL SELECT 'ent_overdraw_2', 'txn_overdraw', 'sys_sales', 1000, now()`,
          );
          await tx.query(
            "UPDATE accounts SET balance_minor = balance_minor - 1000 WHERE kind = 'gift_balance'",
          );
        });
        const report = await engine.verify();
        expect(failedChecks(report)).toEqual(["gift_balances_match_entries"]);
        expect(violationOf(report, "gift_balances_match_entries")).toMatch(
          /^gift balance gba_\w+ holds -760 but its entries sum to -760$/,
        );
        await store.close();
      });

      it("names escrow holding value for a gift whose row vanished", async () => {
        await store.query("DELETE FROM gifts WHERE id = $1", [gifts.pendingId]);
        const report = await engine.verify();
        expect(failedChecks(report)).toEqual(["gift_escrow_matches_open_gifts"]);
        expect(report.firstViolation).toBe(
          "gift_escrow_matches_open_gifts: gift escrow holds 60 but open gifts are worth 0",
        );
        await store.close();
      });

      it("names value moved into escrow that no gift accounts for", async () => {
        await store.transaction(async (tx) => {
          await tx.query(
            `INSERT INTO transfers (id, kind, customer_id, reason, created_at)
             VALUES ('txn_stray', 'gift_send', 'gil', 'corrupt', now())`,
          );
          await tx.query(
            `INSERT INTO entries (id, transfer_id, account_id, amount_minor, created_at) VALUES
               ('ent_stray_1', 'txn_stray', 'sys_promotions', -9, now()),
               ('ent_stray_2', 'txn_stray', 'sys_gift_escrow', 9, now())`,
          );
        });
        const report = await engine.verify();
        expect(failedChecks(report)).toEqual(["gift_escrow_matches_open_gifts"]);
        expect(violationOf(report, "gift_escrow_matches_open_gifts")).toBe(
          "gift escrow holds 69 but open gifts are worth 60",
        );
        await store.close();
      });

      it("names a claimed gift whose amount no longer matches what moved", async () => {
        await store.query("UPDATE gifts SET amount_minor = amount_minor + 1 WHERE id = $1", [
          gifts.claimedId,
        ]);
        const report = await engine.verify();
        expect(failedChecks(report)).toEqual(["gifts_settled_once"]);
        expect(report.firstViolation).toBe(
          `gifts_settled_once: gift ${gifts.claimedId} (claimed) does not match its transfers`,
        );
        await store.close();
      });

      it("names a claimed gift whose lot went to someone other than its recipient", async () => {
        expectOk(await engine.upsertCustomer({ id: "ivy" }));
        await store.query("UPDATE gifts SET recipient_id = 'ivy' WHERE id = $1", [gifts.claimedId]);
        const report = await engine.verify();
        expect(failedChecks(report)).toEqual(["gifts_settled_once"]);
        expect(violationOf(report, "gifts_settled_once")).toBe(
          `gift ${gifts.claimedId} (claimed) does not match its transfers`,
        );
        await store.close();
      });

      it("names a gift whose value never went into escrow", async () => {
        // Point the pending gift at the gift balance's funding, a transfer that never touched escrow.
        await store.query(
          `UPDATE gifts SET send_transfer_id = (SELECT id FROM transfers WHERE kind = 'gift_fund')
           WHERE id = $1`,
          [gifts.pendingId],
        );
        const report = await engine.verify();
        expect(failedChecks(report)).toEqual(["gifts_settled_once"]);
        expect(violationOf(report, "gifts_settled_once")).toBe(
          `gift ${gifts.pendingId} (pending) does not match its transfers`,
        );
        await store.close();
      });
    });
  });
}
