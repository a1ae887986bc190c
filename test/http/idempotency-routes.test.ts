/**
 * Idempotency on the writes outside the batch (customers, plans, webhook endpoints), keys in the
 * namespace of who sent them, and the balance's windows and resets, over HTTP in process.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type HttpWorld, openHttpWorld } from "../support/http.js";

const PLAN = {
  meters: { messages: [{ window: "5h", kind: "fixed", duration: "5h", allowance: 3 }] },
  actions: { message: { costs: { messages: 1 }, creditPriceMinor: 10 } },
};

const withAllowance = (allowance: number) => ({
  ...PLAN,
  meters: { messages: [{ ...PLAN.meters.messages[0], allowance }] },
});

for (const backend of backends()) {
  describe(`idempotent writes outside the batch on ${backend.name}`, () => {
    let world: HttpWorld;
    const keyed = (key: string) => ({ "idempotency-key": key });

    beforeAll(async () => {
      world = await openHttpWorld(backend);
      const plan = await world.call("PUT", "/v1/plans/team", { body: PLAN, key: world.adminKey });
      expect(plan.status).toBe(200);
    });
    afterAll(async () => {
      await world.close();
      await backend.cleanup();
    });

    async function tokenFor(customerId: string): Promise<string> {
      const minted = await world.call("POST", "/v1/customer-tokens", { body: { customerId } });
      expect(minted.status).toBe(200);
      return (minted.body as { token: string }).token;
    }

    it("replays a customer PUT's first answer even after another update came between", async () => {
      const first = await world.call("PUT", "/v1/customers/cus_put", {
        body: { email: "first@example.com" },
        headers: keyed("put-1"),
      });
      expect(first.status).toBe(200);
      const other = await world.call("PUT", "/v1/customers/cus_put", {
        body: { email: "second@example.com" },
        headers: keyed("put-2"),
      });
      expect(other.body).toMatchObject({ email: "second@example.com" });
      const retry = await world.call("PUT", "/v1/customers/cus_put", {
        body: { email: "first@example.com" },
        headers: keyed("put-1"),
      });
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual(first.body);
      // The retry changed nothing: the later update stands.
      const stored = await world.call("GET", "/v1/customers/cus_put");
      expect(stored.body).toMatchObject({ email: "second@example.com" });
    });

    it("refuses a customer PUT key reused with another body, and changes nothing", async () => {
      await world.call("PUT", "/v1/customers/cus_reuse", {
        body: { plan: "team" },
        headers: keyed("reuse-1"),
      });
      const reused = await world.call("PUT", "/v1/customers/cus_reuse", {
        body: { plan: null },
        headers: keyed("reuse-1"),
      });
      expect(reused.status).toBe(409);
      expect(reused.body).toMatchObject({ error: { code: "idempotency_conflict" } });
      const stored = await world.call("GET", "/v1/customers/cus_reuse");
      expect(stored.body).toMatchObject({ plan: "team" });
      // A key used for another operation is a conflict too, not that operation's answer.
      const grant = await world.call("POST", "/v1/customers/cus_reuse/grants", {
        body: { amount: 100, kind: "promotional" },
        headers: keyed("reuse-1"),
      });
      expect(grant.status).toBe(409);
    });

    it("answers twenty concurrent PUTs with one key with one answer", async () => {
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          world.call("PUT", "/v1/customers/cus_race", {
            body: { displayName: "Racer" },
            headers: keyed("race-1"),
          }),
        ),
      );
      for (const answer of answers) {
        expect(answer.status).toBe(200);
        expect(answer.body).toEqual(answers[0]?.body);
      }
    });

    it("lets a write without a key through every time, as before", async () => {
      const first = await world.call("PUT", "/v1/customers/cus_nokey", { body: { email: "a@example.com" } });
      const second = await world.call("PUT", "/v1/customers/cus_nokey", { body: { email: "b@example.com" } });
      expect(first.status).toBe(200);
      expect(second.body).toMatchObject({ email: "b@example.com" });
    });

    it("replays a plan PUT by key, and lists the plan's versions newest first", async () => {
      const put = (allowance: number, key: string) =>
        world.call("PUT", "/v1/plans/keyed", {
          body: withAllowance(allowance),
          key: world.adminKey,
          headers: keyed(key),
        });
      const v1 = await put(5, "plan-a");
      const v2 = await put(6, "plan-b");
      expect(v1.body).toMatchObject({ version: 1, created: true });
      expect(v2.body).toMatchObject({ version: 2, created: true });
      // Without the key this would store version 3; with it, the first answer comes back.
      const retry = await put(5, "plan-a");
      expect(retry.body).toEqual(v1.body);
      const conflict = await put(7, "plan-a");
      expect(conflict.status).toBe(409);
      const versions = await world.call("GET", "/v1/plans/keyed/versions", { key: world.adminKey });
      expect(versions.status).toBe(200);
      const data = (versions.body as { data: { version: number; spec: typeof PLAN }[] }).data;
      expect(data.map((plan) => plan.version)).toEqual([2, 1]);
      expect(data[1]?.spec.meters.messages[0]?.allowance).toBe(5);
      const unknown = await world.call("GET", "/v1/plans/nope/versions", { key: world.adminKey });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toMatchObject({ error: { code: "not_found" } });
    });

    it("registers a webhook endpoint once per key, and disables it", async () => {
      const body = { url: "http://127.0.0.1:9/hooks", description: "billing" };
      const add = () =>
        world.call("POST", "/v1/webhooks", { body, key: world.adminKey, headers: keyed("hook-1") });
      const first = await add();
      const retry = await add();
      expect(first.status).toBe(200);
      expect(retry.body).toEqual(first.body);
      const listed = await world.call("GET", "/v1/webhooks", { key: world.adminKey });
      const urls = (listed.body as { data: { url: string }[] }).data.map((endpoint) => endpoint.url);
      expect(urls.filter((url) => url === body.url)).toHaveLength(1);
      const id = (first.body as { id: string }).id;
      const disabled = await world.call("POST", `/v1/webhooks/${id}/disable`, { key: world.adminKey });
      expect(disabled.status).toBe(200);
      expect(disabled.body).toMatchObject({ id, disabledAt: expect.any(String) });
      expect(disabled.body).not.toHaveProperty("secret");
      const again = await world.call("POST", `/v1/webhooks/${id}/disable`, { key: world.adminKey });
      expect(again.body).toEqual(disabled.body);
      const missing = await world.call("POST", "/v1/webhooks/whe_missing/disable", { key: world.adminKey });
      expect(missing.status).toBe(404);
    });

    it("keeps a customer token's keys its own customer's", async () => {
      for (const id of ["cus_ka", "cus_kb"]) {
        await world.call("PUT", `/v1/customers/${id}`, { body: { plan: "team" } });
        const granted = await world.call("POST", `/v1/customers/${id}/resets`, { body: {} });
        expect(granted.status).toBe(200);
      }
      const redeem = async (customerId: string) =>
        world.call("POST", `/v1/customers/${customerId}/resets/redeem`, {
          body: {},
          key: await tokenFor(customerId),
          headers: keyed("shared-key"),
        });
      const a = await redeem("cus_ka");
      const b = await redeem("cus_kb");
      // Same key from two customers: two redemptions, neither a conflict nor the other's answer.
      expect(a.status).toBe(200);
      expect(b.status).toBe(200);
      expect(b.body).not.toEqual(a.body);
      // The same customer retrying replays its answer, whichever token it holds now.
      const retry = await redeem("cus_ka");
      expect(retry.body).toEqual(a.body);
      // A server key's namespace is apart from the customers': the same key is free there.
      const server = await world.call("POST", "/v1/customers/cus_kb/grants", {
        body: { amount: 5, kind: "promotional" },
        headers: keyed("shared-key"),
      });
      expect(server.status).toBe(200);
    });

    it("shows the plan's windows and the banked resets in the balance, and credits only for the past", async () => {
      await world.call("PUT", "/v1/customers/cus_bal", { body: { plan: "team" } });
      await world.call("POST", "/v1/customers/cus_bal/grants", { body: { amount: 40, kind: "promotional" } });
      await world.call("POST", "/v1/customers/cus_bal/resets", { body: {} });
      const used = await world.call("POST", "/v1/usage", {
        body: { customerId: "cus_bal", action: "message" },
      });
      expect(used.body).toMatchObject({ allowed: true });
      const now = await world.call("GET", "/v1/customers/cus_bal/balance");
      expect(now.status).toBe(200);
      expect(now.body).toMatchObject({
        credits: { available: 40 },
        windows: [
          { meter: "messages", window: "5h", used: 1, limit: 3, remaining: 2, resetsAt: expect.any(String) },
        ],
        resets: { available: 1, nextExpiresAt: expect.any(String) },
      });
      const past = new Date(world.clock.nowMs() - 1000).toISOString();
      world.clock.advanceMs(60_000);
      const earlier = await world.call("GET", `/v1/customers/cus_bal/balance?at=${encodeURIComponent(past)}`);
      expect(earlier.status).toBe(200);
      expect(earlier.body).not.toHaveProperty("windows");
      expect(earlier.body).not.toHaveProperty("resets");
      // The customer's own token reads the same windows.
      const own = await world.call("GET", "/v1/customers/cus_bal/balance", {
        key: await tokenFor("cus_bal"),
      });
      expect(own.body).toMatchObject({ windows: [{ used: 1 }], resets: { available: 1 } });
    });
  });
}
