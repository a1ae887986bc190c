import { afterAll, describe, expect, it } from "vitest";
import { ManualClock } from "../src/core/clock.js";
import { createEngine } from "../src/engine/engine.js";
import { backends } from "./support/backends.js";

for (const backend of backends()) {
  describe(`smoke on ${backend.name}`, () => {
    afterAll(() => backend.cleanup());
    it("grants, consumes, holds, captures and verifies", async () => {
      const store = await backend.open();
      const clock = new ManualClock(Date.UTC(2026, 5, 1));
      const engine = await createEngine({ store, clock });
      await engine.upsertCustomer({ id: "alice" });
      const g = await engine.grant({
        customerId: "alice",
        amountMinor: 100,
        kind: "promotional",
        idempotencyKey: "g1",
        expiresAtMs: clock.nowMs() + 1000,
      });
      const p = await engine.grant({
        customerId: "alice",
        amountMinor: 500,
        kind: "purchased",
        idempotencyKey: "g2",
      });
      expect(g.ok && p.ok).toBe(true);
      const c = await engine.consume({ customerId: "alice", amountMinor: 150, idempotencyKey: "c1" });
      console.log(JSON.stringify(c, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
      const h = await engine.hold({
        customerId: "alice",
        amountMinor: 200,
        ttlSeconds: 60,
        idempotencyKey: "h1",
      });
      if (!h.ok) throw new Error(h.error.message);
      const cap = await engine.capture({ holdId: h.value.hold.id, amountMinor: 50, idempotencyKey: "cap1" });
      expect(cap.ok).toBe(true);
      const again = await engine.consume({ customerId: "alice", amountMinor: 150, idempotencyKey: "c1" });
      expect(again).toEqual(c);
      if (!c.ok) throw new Error("x");
      const r = await engine.reverse({ transferId: c.value.transferId, idempotencyKey: "r1" });
      expect(r.ok).toBe(true);
      clock.advanceMs(5000);
      const s = await engine.sweep();
      console.log(s);
      const b = await engine.balance("alice");
      console.log(JSON.stringify(b, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
      const v = await engine.verify();
      expect(v.firstViolation).toBeNull();
      await store.close();
    });
  });
}
