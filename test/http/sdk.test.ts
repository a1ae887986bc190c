/**
 * The SDK against a running server on loopback: its operations match the OpenAPI document, its
 * generated types are the ones the served document gives, typed calls work end to end, and a retry
 * after a lost answer reuses the idempotency key, so the write lands once. Type-checking this file
 * (`tsc --noEmit`) is part of the check: the calls below only compile against the generated types.
 */
import { readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { OpenAPI3 } from "openapi-typescript";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { renderSchema, SCHEMA_FILE, SCHEMA_PATH } from "../../scripts/generate-sdk-types.js";
import {
  type Balance,
  BoonClient,
  BoonError,
  type CustomerWithCredits,
  type Lot,
  OPERATIONS,
  type UsageAnswer,
  type WindowLine,
} from "../../sdk/client.js";
import { backends } from "../support/backends.js";
import { type HttpWorld, openHttpWorld } from "../support/http.js";

/**
 * Routes that are not part of the client: operations, documentation and metrics, and the payment
 * provider's webhook, which only the provider calls.
 */
const NOT_IN_SDK = new Set(["GET /healthz", "GET /readyz", "POST /v1/webhooks/payments"]);

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

  it("has generated types identical to what the served document generates", async () => {
    const document = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as OpenAPI3;
    const expected = await renderSchema(document);
    const committed = await readFile(SCHEMA_PATH, "utf8").catch(() => "");
    if (committed === expected) return;
    const committedLines = committed.split("\n");
    const expectedLines = expected.split("\n");
    const line = expectedLines.findIndex((text, index) => committedLines[index] !== text);
    const where = line === -1 ? committedLines.length : line;
    expect.fail(
      `${SCHEMA_FILE} is stale: run \`npm run sdk:generate\` and commit the result. First difference at ` +
        `line ${where + 1}: committed ${JSON.stringify(committedLines[where] ?? "(end of file)")}, ` +
        `generated ${JSON.stringify(expectedLines[where] ?? "(end of file)")}.`,
    );
  });

  it("calls operations typed from the document and reads the answers through their types", async () => {
    const client = new BoonClient({ baseUrl, apiKey: world.serverKey, sleep: async () => {} });
    const params = { customerId: "bea" };
    const saved = await client.call("upsertCustomer", {
      params,
      body: { plan: "pro", email: "bea@example.com", displayName: "Bea" },
    });
    expect(saved).toMatchObject({ id: "bea", plan: "pro", displayName: "Bea" });
    const granted = await client.call("grant", {
      params,
      body: { amount: 500, kind: "promotional", reason: "welcome" },
      idempotencyKey: "sdk-grant-bea",
    });
    expect(granted.type).toBe("grant");
    expect(granted.available).toBe(500);

    const balance = await client.call("balance", { params });
    expectTypeOf(balance).toEqualTypeOf<Balance>();
    const lot: Lot | undefined = balance.lots.find((candidate) => candidate.id === granted.lotId);
    expect(lot).toMatchObject({ kind: "promotional", remaining: 500, status: "active" });
    expect(balance.credits.byKind.promotional).toBe(500);
    const window: WindowLine | undefined = balance.windows?.find((line) => line.meter === "messages");
    expect(window).toMatchObject({ window: "5h", used: 0, limit: 5, remaining: 5 });

    const answer = await client.authorize({ customerId: "bea", action: "message", quantity: 2 });
    expectTypeOf(answer).toEqualTypeOf<UsageAnswer>();
    expect(answer.allowed).toBe(true);
    expect(answer.paidBy).toBe("windows");
    expect(answer.windows.map((line) => `${line.windowId}: ${line.used}/${line.limit}`)).toEqual([
      "messages/5h: 2/5",
    ]);

    const customer = await client.call("getCustomer", { params });
    expectTypeOf(customer).toEqualTypeOf<CustomerWithCredits>();
    expect(customer.credits.available).toBe(balance.credits.available);
    const ledger = await client.call("ledger", { params, query: { limit: 1 } });
    expect(ledger.data.map((entry) => [entry.kind, entry.amount, entry.transferId])).toEqual([
      ["grant", 500, granted.transferId],
    ]);
    expect(ledger.nextCursor).toBeNull();
  });

  it("lists a plan's versions through the typed client", async () => {
    const admin = new BoonClient({ baseUrl, apiKey: world.adminKey, sleep: async () => {} });
    const versions = await admin.call("listPlanVersions", { params: { planId: "pro" } });
    expect(versions.data.map((plan) => [plan.id, plan.version])).toEqual([["pro", 1]]);
    const plans = await admin.call("listPlans");
    expect(plans.data.map((plan) => plan.id)).toContain("pro");
  });

  it("refuses at compile time what the document does not allow, and the server agrees", async () => {
    const client = new BoonClient({ baseUrl, apiKey: world.serverKey, sleep: async () => {} });
    // @ts-expect-error the balance's path names a customer
    await expect(client.call("balance")).rejects.toThrow("missing path parameter customerId");
    const withoutBody = client
      // @ts-expect-error a grant needs its body
      .call("grant", { params: { customerId: "bea" } })
      .catch((error: unknown) => error);
    expect(await withoutBody).toMatchObject({ status: 400, code: "invalid_request" });
    const giftedByHand = client
      .call("grant", {
        params: { customerId: "bea" },
        // @ts-expect-error gifted credits come from a gift, never from a grant
        body: { amount: 5, kind: "gifted" },
      })
      .catch((error: unknown) => error);
    expect(await giftedByHand).toMatchObject({ status: 400, code: "invalid_request" });
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
