/** `verify` must catch each kind of corruption, naming it, and accept a healthy ledger. */
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import type { Store } from "../../src/store/store.js";
import { backends } from "../support/backends.js";

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
  });
}
