/** `POST /v1/usage` over HTTP, in process: the happy path, its errors, and who may call it. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type HttpWorld, openHttpWorld } from "../support/http.js";

const PLAN = {
  meters: { messages: [{ window: "5h", kind: "fixed", duration: "5h", allowance: 2 }] },
  actions: { message: { costs: { messages: 1 }, creditPriceMinor: 10 } },
};

for (const backend of backends()) {
  describe(`POST /v1/usage on ${backend.name}`, () => {
    let world: HttpWorld;
    beforeAll(async () => {
      world = await openHttpWorld(backend);
      await world.engine.savePlan("pro", PLAN);
      await world.engine.upsertCustomer({ id: "ann", plan: "pro" });
    });
    afterAll(async () => {
      await world.close();
      await backend.cleanup();
    });

    it("charges the windows, then refuses with limit_reached as an answer", async () => {
      const first = await world.call("POST", "/v1/usage", {
        body: { customerId: "ann", action: "message" },
        headers: { "idempotency-key": "u-1" },
      });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({
        allowed: true,
        paidBy: "windows",
        windows: [{ windowId: "messages/5h", used: 1, limit: 2, remaining: 1 }],
        credits: { available: 0 },
      });
      const replay = await world.call("POST", "/v1/usage", {
        body: { customerId: "ann", action: "message" },
        headers: { "idempotency-key": "u-1" },
      });
      expect(replay.body).toEqual(first.body);
      await world.call("POST", "/v1/usage", { body: { customerId: "ann", action: "message" } });
      const refused = await world.call("POST", "/v1/usage", {
        body: { customerId: "ann", action: "message" },
      });
      expect(refused.status).toBe(200);
      expect(refused.body).toMatchObject({
        allowed: false,
        code: "limit_reached",
        blockedWindowId: "messages/5h",
      });
    });

    it("answers bad input with the error envelope", async () => {
      const cases: [unknown, number, string][] = [
        [{ customerId: "ann", action: "message", quantity: 0 }, 400, "invalid_request"],
        [{ customerId: "ann", action: "message", extra: 1 }, 400, "invalid_request"],
        [{ customerId: "ann", action: "teleport" }, 400, "unknown_action"],
        [{ customerId: "nobody", action: "message" }, 404, "not_found"],
        ["{not json", 400, "invalid_request"],
      ];
      for (const [body, status, code] of cases) {
        const response = await world.call("POST", "/v1/usage", { body });
        expect(response.status, JSON.stringify(body)).toBe(status);
        expect(response.body).toMatchObject({ error: { code, requestId: expect.stringMatching(/^req_/) } });
      }
      const conflict = await world.call("POST", "/v1/usage", {
        body: { customerId: "ann", action: "message", quantity: 2 },
        headers: { "idempotency-key": "u-1" },
      });
      expect(conflict).toMatchObject({ status: 409, body: { error: { code: "idempotency_conflict" } } });
    });

    it("needs a valid key", async () => {
      const body = { customerId: "ann", action: "message" };
      expect((await world.call("POST", "/v1/usage", { body, key: null })).status).toBe(401);
      expect((await world.call("POST", "/v1/usage", { body, key: "boon_sk_wrong" })).status).toBe(401);
      expect((await world.call("POST", "/v1/usage", { body, key: world.adminKey })).status).toBe(200);
    });

    it("serves its OpenAPI document, the reference page and health", async () => {
      const doc = await world.call("GET", "/openapi.json", { key: null });
      expect(doc.body).toMatchObject({
        openapi: "3.1.0",
        paths: { "/v1/usage": { post: expect.anything() } },
      });
      const page = await world.call("GET", "/docs", { key: null });
      expect(page.body).toEqual(expect.stringContaining("/v1/usage"));
      expect((await world.call("GET", "/readyz", { key: null })).body).toEqual({ status: "ok" });
      const metrics = await world.call("GET", "/metrics", { key: null });
      expect(metrics.body).toEqual(
        expect.stringMatching(
          /boon_http_request_duration_seconds_count\{method="POST",route="\/v1\/usage",status="200"\} \d+/,
        ),
      );
    });
  });
}
