/** The database refuses, by itself, what the ledger must never hold: the last line behind the engine. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import type { Store } from "../../src/store/store.js";
import { backends } from "../support/backends.js";

for (const backend of backends()) {
  describe(`database guards on ${backend.name}`, () => {
    let store: Store;
    let engine: Engine;
    let transferId: string;
    let lotId: string;

    beforeAll(async () => {
      store = await backend.open();
      engine = await createEngine({ store, clock: new ManualClock(Date.UTC(2026, 5, 1)) });
      await engine.upsertCustomer({ id: "ann" });
      const granted = await engine.grant({
        customerId: "ann",
        amountMinor: 100,
        kind: "purchased",
        idempotencyKey: "g",
      });
      if (!granted.ok) throw new Error(granted.error.message);
      transferId = granted.value.transferId;
      lotId = granted.value.lotId;
    });
    afterAll(async () => {
      await store.close();
      await backend.cleanup();
    });

    it("refuses to update, delete or truncate posted entries and transfers", async () => {
      await expect(store.query("UPDATE entries SET amount_minor = amount_minor * 2")).rejects.toThrow(
        /immutable/,
      );
      await expect(store.query("DELETE FROM entries")).rejects.toThrow(/immutable/);
      await expect(store.query("TRUNCATE entries")).rejects.toThrow(/immutable/);
      await expect(store.query("UPDATE transfers SET reason = 'edited'")).rejects.toThrow(/immutable/);
      await expect(store.query("DELETE FROM transfers")).rejects.toThrow(/immutable/);
      const entries = await store.query<{ n: bigint }>("SELECT count(*) AS n FROM entries");
      expect(entries[0]?.n).toBe(2n);
    });

    it("refuses entries that do not balance", async () => {
      const insert = store.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO transfers (id, kind, customer_id, created_at) VALUES ('txn_bad', 'consume', 'ann', now())`,
        );
        await tx.query(
          `INSERT INTO entries (id, transfer_id, account_id, customer_id, lot_id, amount_minor, created_at) VALUES
             ('ent_bad1', 'txn_bad', 'sys_consumption', NULL, NULL, 5, now()),
             ('ent_bad2', 'txn_bad', (SELECT id FROM accounts WHERE customer_id = 'ann'), 'ann', $1, -4, now())`,
          [lotId],
        );
      });
      await expect(insert).rejects.toThrow(/does not balance/);
    });

    it("refuses a negative wallet, an over-drawn or over-held lot, and transferable purchased credit", async () => {
      await expect(
        store.query("UPDATE accounts SET balance_minor = -1 WHERE customer_id = 'ann'"),
      ).rejects.toThrow(/check/i);
      await expect(
        store.query("UPDATE lots SET remaining_minor = -1 WHERE id = $1", [lotId]),
      ).rejects.toThrow(/check/i);
      await expect(
        store.query("UPDATE lots SET remaining_minor = 101 WHERE id = $1", [lotId]),
      ).rejects.toThrow(/check/i);
      await expect(store.query("UPDATE lots SET held_minor = 101 WHERE id = $1", [lotId])).rejects.toThrow(
        /check/i,
      );
      await expect(store.query("UPDATE lots SET transferable = true WHERE id = $1", [lotId])).rejects.toThrow(
        /check/i,
      );
    });

    it("allows a transfer to be reversed only once, even below the engine", async () => {
      const first = await engine.reverse({ transferId, idempotencyKey: "r1" });
      expect(first.ok).toBe(true);
      const second = store.query(
        `INSERT INTO transfers (id, kind, customer_id, reverses_transfer_id, created_at)
         VALUES ('txn_again', 'reverse', 'ann', $1, now())`,
        [transferId],
      );
      await expect(second).rejects.toThrow(/unique|duplicate/i);
      expect((await engine.verify()).firstViolation).toBeNull();
    });
  });
}
