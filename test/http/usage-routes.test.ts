/**
 * The plan-limit routes beyond `POST /v1/usage`, over HTTP in process: plans and their versions, the
 * usage page, banked and bulk resets, and their errors in the one envelope.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type HttpWorld, openHttpWorld } from "../support/http.js";

const PRO = {
  meters: { messages: [{ window: "5h", kind: "fixed", duration: "5h", allowance: 2 }] },
  actions: { message: { costs: { messages: 1 }, creditPriceMinor: 10 } },
};

const withAllowance = (allowance: number) => ({
  ...PRO,
  meters: { messages: [{ ...PRO.meters.messages[0], allowance }] },
});

const ENVELOPE = {
  error: { code: expect.any(String), message: expect.any(String), requestId: expect.stringMatching(/^req_/) },
};

for (const backend of backends()) {
  describe(`plan-limit routes on ${backend.name}`, () => {
    let world: HttpWorld;
    const admin = () => world.adminKey;

    /** Authorize one message for a customer and answer whether it was allowed. */
    async function message(customerId: string): Promise<boolean> {
      const response = await world.call("POST", "/v1/usage", { body: { customerId, action: "message" } });
      expect(response.status).toBe(200);
      return (response.body as { allowed: boolean }).allowed;
    }

    async function customer(id: string, plan: string | null): Promise<void> {
      const response = await world.call("PUT", `/v1/customers/${id}`, { body: { plan } });
      expect(response.status).toBe(200);
    }

    beforeAll(async () => {
      world = await openHttpWorld(backend);
    });
    afterAll(async () => {
      await world.close();
      await backend.cleanup();
    });

    it("stores a plan as versions: the same spec again changes nothing, a new one is version 2", async () => {
      const first = await world.call("PUT", "/v1/plans/pro", { body: PRO, key: admin() });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({
        id: "pro",
        version: 1,
        created: true,
        createdAt: expect.any(String),
      });
      // The spec comes back in its written form, `creditPriceMinor` and all, so it can be put again.
      expect((first.body as { spec: unknown }).spec).toMatchObject(PRO);
      const again = await world.call("PUT", "/v1/plans/pro", { body: PRO, key: admin() });
      expect(again.body).toMatchObject({ id: "pro", version: 1, created: false });
      const team = await world.call("PUT", "/v1/plans/team", { body: PRO, key: admin() });
      expect(team.body).toMatchObject({ version: 1, created: true });
      const changed = await world.call("PUT", "/v1/plans/team", { body: withAllowance(3), key: admin() });
      expect(changed.body).toMatchObject({ id: "team", version: 2, created: true });
      const list = await world.call("GET", "/v1/plans", { key: admin() });
      expect(list.status).toBe(200);
      const plans = (list.body as { data: { id: string; version: number }[] }).data;
      expect(
        plans.map(({ id, version }) => ({ id, version })).sort((a, b) => a.id.localeCompare(b.id)),
      ).toEqual([
        { id: "pro", version: 1 },
        { id: "team", version: 2 },
      ]);
    });

    it("refuses a bad plan spec with a message naming the path at fault", async () => {
      const broken = { ...PRO, meters: { messages: [{ ...PRO.meters.messages[0], duration: "soon" }] } };
      const response = await world.call("PUT", "/v1/plans/pro", { body: broken, key: admin() });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject(ENVELOPE);
      expect(response.body).toMatchObject({
        error: { code: "invalid_request", message: expect.stringContaining("meters.messages[0].duration") },
      });
      const unknownField = await world.call("PUT", "/v1/plans/pro", {
        body: { ...PRO, colour: "red" },
        key: admin(),
      });
      expect(unknownField.status).toBe(400);
      expect((unknownField.body as { error: { message: string } }).error.message).toContain("colour");
      const notObject = await world.call("PUT", "/v1/plans/pro", { body: [1, 2], key: admin() });
      expect(notObject.status).toBe(400);
      const badId = await world.call("PUT", "/v1/plans/Not%20A%20Plan", { body: PRO, key: admin() });
      expect(badId.status).toBe(400);
      // Nothing was stored by the refusals.
      const list = await world.call("GET", "/v1/plans", { key: admin() });
      expect(
        (list.body as { data: { id: string; version: number }[] }).data.find((p) => p.id === "pro"),
      ).toMatchObject({ version: 1 });
    });

    it("banks a reset, refuses to redeem one that isn't there, and restarts the windows", async () => {
      await customer("ann", "pro");
      const none = await world.call("POST", "/v1/customers/ann/resets/redeem");
      expect(none.status).toBe(409);
      expect(none.body).toMatchObject({ error: { code: "reset_unavailable" } });
      expect(await message("ann")).toBe(true);
      expect(await message("ann")).toBe(true);
      expect(await message("ann")).toBe(false);
      const granted = await world.call("POST", "/v1/customers/ann/resets", {
        body: { windows: ["messages/5h"], reason: "a reward", source: "program" },
        headers: { "idempotency-key": "grant-ann-1" },
      });
      expect(granted.status).toBe(200);
      expect(granted.body).toMatchObject({
        type: "grant_reset",
        resetId: expect.stringMatching(/^rst_/),
        expiresAt: expect.any(String),
        resets: { available: 1 },
      });
      const page = await world.call("GET", "/v1/customers/ann/usage");
      expect(page.body).toMatchObject({
        planId: "pro",
        windows: [{ windowId: "messages/5h", used: 2, limit: 2, remaining: 0 }],
        resets: { available: 1, tokens: [{ windows: ["messages/5h"], source: "program" }] },
      });
      const { resetId } = granted.body as { resetId: string };
      const redeemed = await world.call("POST", "/v1/customers/ann/resets/redeem", { body: { resetId } });
      expect(redeemed.status).toBe(200);
      expect(redeemed.body).toMatchObject({
        type: "redeem_reset",
        resetId,
        windowIds: ["messages/5h"],
        windows: [{ windowId: "messages/5h", used: 0, remaining: 2 }],
        resets: { available: 0 },
      });
      expect(await message("ann")).toBe(true);
      const spent = await world.call("POST", "/v1/customers/ann/resets/redeem", { body: {} });
      expect(spent).toMatchObject({ status: 409, body: { error: { code: "reset_unavailable" } } });
    });

    it("lets a customer token redeem its own resets only", async () => {
      await customer("dan", "pro");
      await world.call("POST", "/v1/customers/dan/resets", { body: {} });
      const minted = await world.call("POST", "/v1/customer-tokens", {
        body: { customerId: "dan", ttlSeconds: 600 },
      });
      expect(minted.status).toBe(200);
      const { token } = minted.body as { token: string };
      const other = await world.call("POST", "/v1/customers/ann/resets/redeem", { key: token });
      expect(other).toMatchObject({ status: 403, body: { error: { code: "forbidden" } } });
      const grant = await world.call("POST", "/v1/customers/dan/resets", { body: {}, key: token });
      expect(grant).toMatchObject({ status: 403, body: { error: { code: "forbidden" } } });
      const own = await world.call("POST", "/v1/customers/dan/resets/redeem", { key: token });
      expect(own.status).toBe(200);
      const usage = await world.call("GET", "/v1/customers/dan/usage", { key: token });
      expect(usage).toMatchObject({ status: 200, body: { customerId: "dan", resets: { available: 0 } } });
    });

    it("resets a plan's windows in bulk, once per key, with an audit record", async () => {
      await customer("bob", "pro");
      await customer("cat", "pro");
      for (const id of ["bob", "cat"]) {
        await message(id);
        await message(id);
        expect(await message(id)).toBe(false);
      }
      const body = { plan: "pro", reason: "incident 42", actor: "Ann Ops" };
      const headers = { "idempotency-key": "bulk-1" };
      const first = await world.call("POST", "/v1/resets", { body, headers, key: admin() });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({
        id: expect.stringMatching(/^brs_/),
        planId: "pro",
        customerIds: null,
        windowIds: null,
        reason: "incident 42",
        actor: expect.stringMatching(/^Ann Ops \(key_/),
        customers: 4,
        createdAt: expect.any(String),
      });
      expect((first.body as { windows: number }).windows).toBeGreaterThanOrEqual(2);
      expect(await message("bob")).toBe(true);
      expect(await message("cat")).toBe(true);
      const replay = await world.call("POST", "/v1/resets", { body, headers, key: admin() });
      expect(replay).toMatchObject({ status: 200, body: first.body as object });
      // The replay restarted nothing: cat's message above still counts.
      const cat = await world.call("GET", "/v1/customers/cat/usage");
      expect(cat.body).toMatchObject({ windows: [{ used: 1 }] });
      const conflict = await world.call("POST", "/v1/resets", {
        body: { ...body, reason: "another" },
        headers,
        key: admin(),
      });
      expect(conflict).toMatchObject({ status: 409, body: { error: { code: "idempotency_conflict" } } });
      const audit = await world.call("GET", "/v1/resets?limit=10", { key: admin() });
      expect(audit.status).toBe(200);
      expect((audit.body as { data: unknown[] }).data).toEqual([first.body]);
      const listed = await world.call("POST", "/v1/resets", {
        body: { customerIds: ["bob"], windows: ["messages/5h"], reason: "goodwill" },
        key: admin(),
      });
      expect(listed.body).toMatchObject({
        customerIds: ["bob"],
        windowIds: ["messages/5h"],
        customers: 1,
        windows: 1,
        actor: expect.stringMatching(/^key_/),
      });
      const after = await world.call("GET", "/v1/resets", { key: admin() });
      expect((after.body as { data: { id: string }[] }).data.map((record) => record.id)).toEqual([
        (listed.body as { id: string }).id,
        (first.body as { id: string }).id,
      ]);
    });

    it("refuses bad bulk resets with the envelope", async () => {
      const cases: [unknown, string][] = [
        [{ plan: "pro", customerIds: ["bob"], reason: "both" }, "not both"],
        [{ reason: "neither" }, "not both"],
        [{ plan: "pro" }, "reason"],
        [{ plan: "pro", reason: "  " }, "reason"],
        [{ plan: "pro", reason: "x", windows: ["five hours"] }, "window"],
        [{ plan: "pro", reason: "x", extra: true }, "extra"],
      ];
      for (const [body, words] of cases) {
        const response = await world.call("POST", "/v1/resets", { body, key: admin() });
        expect(response.status, JSON.stringify(body)).toBe(400);
        expect(response.body).toMatchObject({
          error: { code: "invalid_request", message: expect.stringContaining(words) },
        });
      }
      const badLimit = await world.call("GET", "/v1/resets?limit=1000", { key: admin() });
      expect(badLimit).toMatchObject({ status: 400, body: { error: { code: "invalid_request" } } });
    });

    it("answers no_plan for a customer without a plan, and not_found for an unknown one", async () => {
      await customer("eve", null);
      const authorize = await world.call("POST", "/v1/usage", {
        body: { customerId: "eve", action: "message" },
      });
      expect(authorize.status).toBe(422);
      expect(authorize.body).toMatchObject({
        error: { code: "no_plan", message: expect.stringContaining("eve") },
      });
      // A reset may be banked before the customer has a plan (a reward given at signup), but it can't
      // be redeemed while there are no windows to restart.
      const grant = await world.call("POST", "/v1/customers/eve/resets", { body: {} });
      expect(grant.status).toBe(200);
      const redeem = await world.call("POST", "/v1/customers/eve/resets/redeem");
      expect(redeem).toMatchObject({ status: 422, body: { error: { code: "no_plan" } } });
      const usage = await world.call("GET", "/v1/customers/eve/usage");
      expect(usage.body).toMatchObject({ planId: null, windows: [], charges: [] });
      const unknown = await world.call("GET", "/v1/customers/nobody/usage");
      expect(unknown).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
      const badExpiry = await world.call("POST", "/v1/customers/ann/resets", {
        body: { expiresAt: "tomorrow" },
      });
      expect(badExpiry).toMatchObject({
        status: 400,
        body: { error: { code: "invalid_request", message: expect.stringContaining("expiresAt") } },
      });
      const badCursor = await world.call("GET", "/v1/customers/ann/usage?cursor=nope");
      expect(badCursor).toMatchObject({ status: 400, body: { error: { code: "invalid_request" } } });
    });

    it("shows the charges newest first, each with the plan version it was made under, a page at a time", async () => {
      await customer("fay", "team");
      expect(await message("fay")).toBe(true);
      const v3 = await world.call("PUT", "/v1/plans/team", { body: withAllowance(5), key: admin() });
      expect(v3.body).toMatchObject({ version: 3 });
      expect(await message("fay")).toBe(true);
      expect(await message("fay")).toBe(true);
      const page = await world.call("GET", "/v1/customers/fay/usage?limit=2");
      expect(page.status).toBe(200);
      const body = page.body as {
        planVersion: number;
        windows: { limit: number; used: number }[];
        charges: { id: string; planVersion: number; windows: unknown; credits: number; paidBy: string }[];
        nextCursor: string | null;
      };
      expect(body.planVersion).toBe(3);
      expect(body.windows).toMatchObject([{ limit: 5, used: 3 }]);
      expect(body.charges.map((charge) => charge.planVersion)).toEqual([3, 3]);
      expect(body.charges[0]).toMatchObject({
        action: "message",
        quantity: 1,
        paidBy: "windows",
        windows: [{ windowId: "messages/5h", units: 1 }],
        credits: 0,
      });
      expect(body.nextCursor).toBe(body.charges[1]?.id);
      const rest = await world.call("GET", `/v1/customers/fay/usage?limit=2&cursor=${body.nextCursor}`);
      const next = rest.body as typeof body;
      expect(next.charges.map((charge) => charge.planVersion)).toEqual([2]);
      expect(next.nextCursor).toBeNull();
      const ids = [...body.charges, ...next.charges].map((charge) => charge.id);
      expect(ids).toEqual([...ids].sort().reverse());
    });
  });
}
