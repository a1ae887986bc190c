/**
 * Authorization end to end through the engine, on every backend: windows charged, credit overflow in
 * burn-down order, refusals that name the window, plan versions kept by past charges, banked resets,
 * bulk resets with their audit record, and the events each records.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import type { Store } from "../../src/store/store.js";
import { backends } from "../support/backends.js";
import { codeOf, counter, expectOk } from "../support/outcomes.js";

const START_MS = Date.UTC(2026, 5, 11, 9); // a Thursday
const HOUR_MS = 3_600_000;

export const PRO_SPEC = {
  lowCreditsMinor: 50,
  meters: {
    messages: [
      { window: "5h", kind: "fixed", duration: "5h", allowance: 3 },
      {
        window: "weekly",
        kind: "calendar",
        unit: "week",
        timeZone: "UTC",
        weekStartsOn: "monday",
        allowance: 5,
      },
    ],
  },
  actions: {
    message: { costs: { messages: 1 }, creditPriceMinor: 10 },
    big_task: { costs: { messages: 2 }, creditPriceMinor: 25 },
  },
};

for (const backend of backends()) {
  describe(`usage on ${backend.name}`, () => {
    let store: Store;
    let engine: Engine;
    const clock = new ManualClock(START_MS);
    const key = counter("usage-key");
    const customerName = counter("usage-customer");

    beforeAll(async () => {
      store = await backend.open();
      engine = await createEngine({ store, clock });
      expectOk(await engine.savePlan("pro", PRO_SPEC));
    });
    afterAll(async () => {
      await store.close();
      await backend.cleanup();
    });

    async function customer(options: { overflow?: boolean; plan?: string | null } = {}): Promise<string> {
      const id = customerName();
      expectOk(
        await engine.upsertCustomer({
          id,
          plan: options.plan === undefined ? "pro" : options.plan,
          overflowAllowed: options.overflow ?? false,
        }),
      );
      return id;
    }

    const authorize = (customerId: string, action = "message", quantity = 1) =>
      engine.authorize({ customerId, action, quantity, idempotencyKey: key() });

    it("charges every window until one is full, then refuses naming it and when it resets", async () => {
      const id = await customer();
      for (let i = 0; i < 3; i += 1) {
        const answer = expectOk(await authorize(id));
        expect(answer).toMatchObject({ allowed: true, paidBy: "windows", planVersion: 1 });
      }
      const refused = expectOk(await authorize(id));
      expect(refused).toMatchObject({
        allowed: false,
        code: "limit_reached",
        blockedWindowId: "messages/5h",
        resetsAtMs: START_MS + 5 * HOUR_MS,
      });
      expect(refused.windows.map((w) => [w.windowId, w.usedUnits, w.limitUnits])).toEqual([
        ["messages/5h", 3n, 3n],
        ["messages/weekly", 3n, 5n],
      ]);
    });

    it("overflows to credits in burn-down order when the customer allows it", async () => {
      const id = await customer({ overflow: true });
      const late = expectOk(
        await engine.grant({ customerId: id, amountMinor: 100, kind: "purchased", idempotencyKey: key() }),
      );
      const early = expectOk(
        await engine.grant({ customerId: id, amountMinor: 15, kind: "promotional", idempotencyKey: key() }),
      );
      for (let i = 0; i < 3; i += 1) expectOk(await authorize(id));
      const paid = expectOk(await authorize(id, "big_task"));
      expect(paid).toMatchObject({ allowed: true, paidBy: "credits", charged: { creditsMinor: 25n } });
      expect(paid.draws.map((d) => [d.lotId, d.amountMinor])).toEqual([
        [early.lotId, 15n],
        [late.lotId, 10n],
      ]);
      expect(paid.credits.availableMinor).toBe(90n);
      const short = expectOk(await authorize(id, "big_task", 4));
      expect(short).toMatchObject({ allowed: false, code: "insufficient_credits" });
    });

    it("keeps the plan version a charge ran under when the plan changes", async () => {
      const id = await customer();
      expectOk(await authorize(id));
      const saved = expectOk(
        await engine.savePlan("pro", {
          ...PRO_SPEC,
          actions: { ...PRO_SPEC.actions, extra: PRO_SPEC.actions.message },
        }),
      );
      expect(saved.plan.version).toBe(2);
      expectOk(await authorize(id));
      const usage = expectOk(await engine.usage(id));
      expect(usage.charges.map((c) => c.planVersion)).toEqual([2, 1]);
      const again = expectOk(await engine.savePlan("pro", saved.plan.spec));
      expect(again).toMatchObject({ created: false, plan: { version: 2 } });
    });

    it("refuses bad usage input with a typed error", async () => {
      const id = await customer();
      expect(codeOf(await authorize(id, "teleport"))).toBe("unknown_action");
      expect(codeOf(await authorize(id, "message", 0))).toBe("invalid_request");
      expect(codeOf(await authorize(id, "message", 1.5))).toBe("invalid_request");
      expect(codeOf(await authorize("nobody"))).toBe("not_found");
      const planless = await customer({ plan: null });
      expect(codeOf(await authorize(planless))).toBe("no_plan");
      const undefinedPlan = await customer({ plan: "gold" });
      expect(codeOf(await authorize(undefinedPlan))).toBe("no_plan");
    });

    it("redeems a banked reset once, restarting the windows it covers", async () => {
      const id = await customer();
      for (let i = 0; i < 3; i += 1) expectOk(await authorize(id));
      const granted = expectOk(
        await engine.grantReset({ customerId: id, windows: ["messages/5h"], idempotencyKey: key() }),
      );
      expect(granted.resets).toEqual({ available: 1, nextExpiresAtMs: START_MS + 30 * 24 * HOUR_MS });
      const redeemKey = key();
      const redeemed = expectOk(await engine.redeemReset({ customerId: id, idempotencyKey: redeemKey }));
      expect(redeemed.windowIds).toEqual(["messages/5h"]);
      expect(redeemed.windows.map((w) => w.usedUnits)).toEqual([0n, 3n]);
      const replay = expectOk(await engine.redeemReset({ customerId: id, idempotencyKey: redeemKey }));
      expect(replay).toEqual(redeemed);
      expect(codeOf(await engine.redeemReset({ customerId: id, idempotencyKey: key() }))).toBe(
        "reset_unavailable",
      );
      expect(expectOk(await authorize(id)).allowed).toBe(true);
    });

    it("skips a banked reset whose windows the plan no longer has, and refuses it by name", async () => {
      const id = await customer({ plan: "lite" });
      const lite = {
        meters: { messages: [{ window: "daily", kind: "fixed", duration: "24h", allowance: 2 }] },
        actions: { message: { costs: { messages: 1 }, creditPriceMinor: 10 } },
      };
      expectOk(await engine.savePlan("lite", lite));
      const old = expectOk(
        await engine.grantReset({ customerId: id, windows: ["messages/daily"], idempotencyKey: key() }),
      );
      const renamed = { ...lite, meters: { messages: [{ ...lite.meters.messages[0], window: "day" }] } };
      expectOk(await engine.savePlan("lite", renamed));
      const byName = await engine.redeemReset({
        customerId: id,
        resetId: old.tokenId,
        idempotencyKey: key(),
      });
      expect(byName).toMatchObject({
        ok: false,
        error: { code: "reset_unavailable", message: expect.stringMatching(/no longer has/) },
      });
      const any = expectOk(await engine.grantReset({ customerId: id, idempotencyKey: key() }));
      const redeemed = expectOk(await engine.redeemReset({ customerId: id, idempotencyKey: key() }));
      expect(redeemed.tokenId).toBe(any.tokenId);
      expect(redeemed.resets.available).toBe(1);
    });

    it("refuses an expired reset", async () => {
      const id = await customer();
      expectOk(
        await engine.grantReset({
          customerId: id,
          expiresAtMs: clock.nowMs() + HOUR_MS,
          idempotencyKey: key(),
        }),
      );
      clock.advanceMs(HOUR_MS);
      expect(codeOf(await engine.redeemReset({ customerId: id, idempotencyKey: key() }))).toBe(
        "reset_unavailable",
      );
      clock.setMs(START_MS);
    });

    it("bulk-resets a list of customers once per key, with an audit record", async () => {
      const a = await customer();
      const b = await customer();
      for (const id of [a, b]) for (let i = 0; i < 3; i += 1) expectOk(await authorize(id));
      const request = {
        customerIds: [a, b, "nobody"],
        actor: "ops@example.com",
        reason: "incident 42",
        idempotencyKey: key(),
      };
      const record = expectOk(await engine.bulkReset(request));
      expect(record).toMatchObject({
        customers: 2,
        windows: 4,
        actor: "ops@example.com",
        reason: "incident 42",
      });
      expect(expectOk(await engine.bulkReset(request))).toEqual(record);
      expect(codeOf(await engine.bulkReset({ ...request, reason: "other" }))).toBe("idempotency_conflict");
      for (const id of [a, b])
        expect(expectOk(await engine.usage(id)).windows.map((w) => w.usedUnits)).toEqual([0n, 0n]);
    });

    it("records limit_reached once per window period and low balance once per crossing", async () => {
      const id = await customer({ overflow: true });
      expectOk(
        await engine.grant({ customerId: id, amountMinor: 100, kind: "promotional", idempotencyKey: key() }),
      );
      for (let i = 0; i < 3; i += 1) expectOk(await authorize(id));
      for (let i = 0; i < 6; i += 1) expectOk(await authorize(id)); // 60 credits: 40 left, below 50
      const rows = await store.query<{ type: string }>(
        "SELECT type FROM events WHERE customer_id = $1 ORDER BY id",
        [id],
      );
      expect(rows.map((row) => row.type)).toEqual(["usage.limit_reached", "credits.low_balance"]);
      expect((await engine.verify()).firstViolation).toBeNull();
    });
  });
}
