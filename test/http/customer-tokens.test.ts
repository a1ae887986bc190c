/** Customer tokens: minted by a server key, signed, short-lived, and acting for one customer only. */

import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCustomerTokens, loadTokenSecret } from "../../src/engine/customer-tokens.js";
import { systemIds } from "../../src/engine/engine.js";
import { createWebhooks } from "../../src/engine/webhooks.js";
import { createApp } from "../../src/http/app.js";
import { RATE_LIMIT_CUSTOMER_DEFAULT } from "../../src/http/rate-limit.js";
import { backends } from "../support/backends.js";
import { type HttpWorld, openHttpWorld } from "../support/http.js";

for (const backend of backends()) {
  describe(`customer tokens on ${backend.name}`, () => {
    let world: HttpWorld;
    beforeAll(async () => {
      world = await openHttpWorld(backend);
      await world.engine.upsertCustomer({ id: "ann" });
    });
    afterAll(async () => {
      await world.close();
      await backend.cleanup();
    });

    const mint = async (body: unknown, key?: string) =>
      world.call("POST", "/v1/customer-tokens", { body, ...(key === undefined ? {} : { key }) });

    it("mints a token that expires when it says", async () => {
      const minted = await mint({ customerId: "ann", ttlSeconds: 60 });
      expect(minted.status).toBe(200);
      expect(minted.body).toEqual({
        token: expect.stringMatching(/^boon_ct_[\w-]+\.[\w-]+$/),
        expiresAt: new Date(world.clock.nowMs() + 60_000).toISOString(),
      });
    });

    it("refuses bad requests and unknown customers", async () => {
      expect((await mint({ customerId: "ann", ttlSeconds: 86_401 })).status).toBe(400);
      expect((await mint({ customerId: "ann", ttlSeconds: 0 })).status).toBe(400);
      expect((await mint({ customerId: "nobody" })).body).toMatchObject({ error: { code: "not_found" } });
    });

    it("cannot be minted by a customer token", async () => {
      const { token } = (await mint({ customerId: "ann" })).body as { token: string };
      const again = await mint({ customerId: "ann" }, token);
      expect(again).toMatchObject({ status: 403, body: { error: { code: "forbidden" } } });
    });

    it("is rate-limited per customer, answering 429 with Retry-After until the bucket refills", async () => {
      await world.engine.upsertCustomer({ id: "cat" });
      const { token } = (await mint({ customerId: "cat", ttlSeconds: 600 })).body as { token: string };
      const send = () => world.call("GET", "/v1/customers/cat/usage", { key: token });
      const statuses: number[] = [];
      for (let i = 0; i < RATE_LIMIT_CUSTOMER_DEFAULT.burst; i += 1) statuses.push((await send()).status);
      expect(statuses).not.toContain(429);
      const limited = await send();
      expect(limited).toMatchObject({ status: 429, body: { error: { code: "rate_limited" } } });
      expect(limited.headers.get("retry-after")).toBe("1");
      // Another customer's token has its own bucket.
      const other = (await mint({ customerId: "ann" })).body as { token: string };
      expect((await world.call("GET", "/v1/customers/ann/usage", { key: other.token })).status).not.toBe(429);
      world.clock.advanceMs(1000);
      expect((await send()).status).not.toBe(429);
    });

    it("answers a browser's preflight from an allowed origin only", async () => {
      const app = createApp({
        engine: world.engine,
        keys: world.keys,
        tokens: createCustomerTokens(await loadTokenSecret(world.store)),
        webhooks: createWebhooks(world.store, world.clock, systemIds()),
        logger: pino({ level: "silent" }),
        corsOrigins: ["https://app.example.com"],
      });
      const preflight = (origin: string) =>
        app.request("/v1/customers/ann/usage", {
          method: "OPTIONS",
          headers: {
            origin,
            "access-control-request-method": "GET",
            "access-control-request-headers": "authorization",
          },
        });
      const allowed = await preflight("https://app.example.com");
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
      const other = await preflight("https://evil.example.com");
      expect(other.headers.get("access-control-allow-origin")).toBeNull();
    });

    it("is refused once expired, when forged, and on server-only routes", async () => {
      const { token } = (await mint({ customerId: "ann", ttlSeconds: 60 })).body as { token: string };
      const usage = { customerId: "ann", action: "message" };
      expect((await world.call("POST", "/v1/usage", { body: usage, key: token })).status).toBe(403);
      const [payload, signature] = token.slice("boon_ct_".length).split(".");
      const forgedPayload = Buffer.from(JSON.stringify({ c: "bob", e: Date.UTC(2100, 0, 1) })).toString(
        "base64url",
      );
      for (const forged of [
        `boon_ct_${forgedPayload}.${signature}`,
        `boon_ct_${payload}.${signature}x`,
        `${token}.x`,
      ]) {
        const response = await world.call("POST", "/v1/usage", { body: usage, key: forged });
        expect(response).toMatchObject({ status: 401, body: { error: { code: "unauthorized" } } });
      }
      world.clock.advanceMs(60_000);
      expect((await world.call("POST", "/v1/usage", { body: usage, key: token })).status).toBe(401);
    });
  });
}
