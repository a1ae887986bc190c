/**
 * The SDK against a running server on loopback: its operations match the OpenAPI document, and a
 * retry after a lost answer reuses the idempotency key, so the write lands once.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BoonClient, BoonError, OPERATIONS } from "../../sdk/client.js";
import { backends } from "../support/backends.js";
import { type HttpWorld, openHttpWorld } from "../support/http.js";

/** Routes that are not part of the client: operations, documentation and metrics. */
const NOT_IN_SDK = new Set(["GET /healthz", "GET /readyz"]);

const backend = backends()[0];
if (backend === undefined) throw new Error("no backend");

describe("the SDK", () => {
  let world: HttpWorld;
  let server: ReturnType<typeof serve>;
  let baseUrl = "";

  beforeAll(async () => {
    world = await openHttpWorld(backend);
    await world.engine.savePlan("pro", {
      meters: { messages: [{ window: "5h", kind: "fixed", duration: "5h", allowance: 5 }] },
      actions: { message: { costs: { messages: 1 }, creditPriceMinor: 10 } },
    });
    await world.engine.upsertCustomer({ id: "ann", plan: "pro" });
    await new Promise<void>((resolve) => {
      server = serve({ fetch: world.app.fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) => {
        baseUrl = `http://127.0.0.1:${info.port}`;
        resolve();
      });
    });
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await world.close();
    await backend.cleanup();
  });

  it("offers exactly the operations the OpenAPI document lists", async () => {
    const document = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as {
      paths: Record<string, object>;
    };
    const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const offered = Object.values(OPERATIONS).map((op) => `${op.method} ${op.path}`);
    expect(offered.filter((op) => !documented.includes(op))).toEqual([]);
    expect(documented.filter((op) => !offered.includes(op) && !NOT_IN_SDK.has(op))).toEqual([]);
  });

  it("retries a write whose answer was lost with the same key, so it lands once", async () => {
    let calls = 0;
    const losing: typeof fetch = async (input, init) => {
      calls += 1;
      const response = await fetch(input, init);
      if (calls === 1) throw new TypeError("connection reset after the server answered");
      return response;
    };
    const client = new BoonClient({ baseUrl, apiKey: world.serverKey, fetch: losing, sleep: async () => {} });
    const answer = await client.authorize({ customerId: "ann", action: "message" });
    expect(calls).toBe(2);
    expect(answer).toMatchObject({ allowed: true, windows: [{ used: 1 }] });
    const usage = await world.engine.usage("ann");
    expect(usage.ok && usage.value.charges.length).toBe(1);
  });

  it("throws a typed error carrying the code", async () => {
    const client = new BoonClient({ baseUrl, apiKey: world.serverKey, sleep: async () => {} });
    const error = await client
      .authorize({ customerId: "nobody", action: "message" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BoonError);
    expect(error).toMatchObject({ status: 404, code: "not_found" });
  });
});
