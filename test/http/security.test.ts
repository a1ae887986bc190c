/**
 * The shared security suite: every operation the OpenAPI document lists with a `security`
 * requirement is called without a key, with a malformed key and with an unknown one (all 401), and
 * every admin-only operation with a server key and with a customer token (403), and every customer's
 * operation with a token for another customer (403); none of those calls may change anything in the
 * database. The operations come from the document itself, so a new route
 * is covered the day it is added.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type HttpWorld, openHttpWorld } from "../support/http.js";

/**
 * The operations only an admin key may call. The suite checks both ways: each of these refuses a
 * server key, and any other that refuses one fails the suite until it is listed here.
 */
const ADMIN_ONLY = new Set([
  "PUT /v1/plans/{planId}",
  "GET /v1/plans",
  "GET /v1/plans/{planId}/versions",
  "POST /v1/resets",
  "GET /v1/resets",
  "POST /v1/transfers/{transferId}/reverse",
  "GET /v1/webhooks",
  "POST /v1/webhooks",
  "GET /v1/webhooks/deliveries",
  "POST /v1/webhooks/deliveries/{deliveryId}/redeliver",
  "POST /v1/webhooks/{endpointId}/disable",
  "POST /v1/programs",
  "GET /v1/programs",
  "GET /v1/programs/{programId}",
  "PATCH /v1/programs/{programId}",
  "GET /v1/gifts/review",
  "POST /v1/gifts/{giftId}/review",
  "GET /v1/reports/gifting",
  "GET /v1/programs/{programId}/stats",
  "GET /v1/referrals/review",
  "POST /v1/referrals/{referralId}/review",
  "POST /v1/referral-rewards/{rewardId}/reverse",
  "POST /v1/referral-rewards/{rewardId}/review",
  "GET /v1/customers",
  "GET /v1/reports/liability",
  "GET /v1/reports/breakage",
  "GET /v1/reports/usage",
  "GET /v1/reports/referrals",
  "PUT /v1/bundles/{bundleId}",
  "POST /v1/bundles/{bundleId}/retire",
  "GET /v1/purchases/review",
  "POST /v1/purchases/{purchaseId}/review",
  "GET /v1/reports/revenue",
]);

/**
 * The operations anyone may call: liveness, readiness, what a gift's claim page and an invite's
 * landing page show, and the payment provider's webhook (signed instead). The suite checks both ways:
 * each of these is documented without a security requirement, and any other documented without one
 * fails the suite until it is listed here.
 */
const PUBLIC = new Set([
  "GET /healthz",
  "GET /readyz",
  "GET /v1/gifts/{code}",
  "GET /v1/invites/{code}",
  "POST /v1/webhooks/payments",
]);

/** Placeholder path parameters: well-formed ids of things that don't exist. */
const PLACEHOLDERS: Readonly<Record<string, string>> = {
  customerId: "cus_x",
  holdId: "hld_00000000000000000000000000000000",
  transferId: "txn_00000000000000000000000000000000",
  deliveryId: "dlv_00000000000000000000000000000000",
  planId: "pro",
  endpointId: "whe_00000000000000000000000000000000",
  giftId: "gft_00000000000000000000000000000000",
  programId: "prg_00000000000000000000000000000000",
  referralId: "ref_00000000000000000000000000000000",
  rewardId: "rwd_00000000000000000000000000000000",
  bundleId: "team",
  purchaseId: "pur_00000000000000000000000000000000",
  code: "x",
};

const BAD_KEYS: readonly [string, string | null][] = [
  ["no key", null],
  ["a malformed key", "not a key at all"],
  ["an unknown key", `boon_sk_${"A".repeat(43)}`],
  ["an unknown customer token", "boon_ct_x.y"],
];

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly label: string;
  readonly hasBody: boolean;
}

type OpenApiDocument = {
  paths: Record<string, Record<string, { security?: unknown[]; requestBody?: unknown }>>;
};

function operationsOf(document: OpenApiDocument): { secured: Operation[]; open: string[] } {
  const secured: Operation[] = [];
  const open: string[] = [];
  for (const [template, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const label = `${method.toUpperCase()} ${template}`;
      if (operation.security === undefined || operation.security.length === 0) {
        open.push(label);
        continue;
      }
      const path = template.replaceAll(/\{(\w+)\}/g, (_, name: string) => PLACEHOLDERS[name] ?? "x");
      secured.push({
        method: method.toUpperCase(),
        path,
        label,
        hasBody: operation.requestBody !== undefined,
      });
    }
  }
  return { secured, open };
}

for (const backend of backends()) {
  describe(`security of every route on ${backend.name}`, () => {
    let world: HttpWorld;
    let operations: Operation[];
    let open: string[];
    let customerToken: string;
    let otherCustomerToken: string;

    /** Every table's rows, as one text per table: what "nothing changed" is checked against. */
    async function snapshot(): Promise<Record<string, string>> {
      const tables = await world.store.query<{ name: string }>(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
      );
      const out: Record<string, string> = {};
      for (const { name } of tables) {
        const [row] = await world.store.query<{ rows: string | null }>(
          `SELECT string_agg(t::text, E'\\n' ORDER BY t::text) AS rows FROM "${name}" t`,
        );
        out[name] = row?.rows ?? "";
      }
      return out;
    }

    async function mintToken(customerId: string): Promise<string> {
      const minted = await world.call("POST", "/v1/customer-tokens", {
        body: { customerId, ttlSeconds: 600 },
      });
      expect(minted.status).toBe(200);
      return (minted.body as { token: string }).token;
    }

    const send = (operation: Operation, key: string | null) =>
      world.call(operation.method, operation.path, {
        key,
        ...(operation.hasBody ? { body: {} } : {}),
      });

    beforeAll(async () => {
      // One customer token calls every admin route in turn: more than a browser's burst allows.
      world = await openHttpWorld(backend, { rateLimits: { customer: { perSecond: 1000, burst: 10_000 } } });
      await world.engine.savePlan("pro", {
        meters: { messages: [{ window: "5h", kind: "fixed", duration: "5h", allowance: 2 }] },
        actions: { message: { costs: { messages: 1 } } },
      });
      await world.engine.upsertCustomer({ id: "cus_x", plan: "pro" });
      await world.engine.upsertCustomer({ id: "cus_y", plan: "pro" });
      customerToken = await mintToken("cus_x");
      otherCustomerToken = await mintToken("cus_y");
      const document = await world.call("GET", "/openapi.json", { key: null });
      expect(document.status).toBe(200);
      ({ secured: operations, open } = operationsOf(document.body as OpenApiDocument));
    });
    afterAll(async () => {
      await world.close();
      await backend.cleanup();
    });

    it("finds the secured operations in the OpenAPI document, the admin-only ones among them", () => {
      expect(operations.length).toBeGreaterThan(10);
      const labels = new Set(operations.map((operation) => operation.label));
      for (const label of ["POST /v1/usage", "PUT /v1/plans/{planId}", "POST /v1/resets"])
        expect(labels).toContain(label);
      // A listed operation that the document lacks is a stale list, or a route that lost its security.
      for (const label of ADMIN_ONLY) expect(labels, label).toContain(label);
      expect([...open].sort()).toEqual([...PUBLIC].sort());
    });

    it("answers 401 unauthorized before reading the request, whatever the route", async () => {
      const before = await snapshot();
      for (const operation of operations) {
        for (const [what, key] of BAD_KEYS) {
          const response = await send(operation, key);
          expect(response.status, `${operation.label} with ${what}`).toBe(401);
          expect(response.body, `${operation.label} with ${what}`).toMatchObject({
            error: {
              code: "unauthorized",
              message: expect.any(String),
              requestId: expect.stringMatching(/^req_/),
            },
          });
        }
      }
      expect(await snapshot()).toEqual(before);
    });

    it("answers 403 forbidden to a server key or a customer token on admin routes, changing nothing", async () => {
      const before = await snapshot();
      for (const operation of operations.filter((candidate) => ADMIN_ONLY.has(candidate.label))) {
        for (const [what, key] of [
          ["a server key", world.serverKey],
          ["a customer token", customerToken],
        ] as const) {
          const response = await send(operation, key);
          expect(response.status, `${operation.label} with ${what}`).toBe(403);
          expect(response.body).toMatchObject({ error: { code: "forbidden" } });
        }
      }
      expect(await snapshot()).toEqual(before);
    });

    it("answers 403 forbidden to a customer token on another customer's routes, changing nothing", async () => {
      const before = await snapshot();
      const customerRoutes = operations.filter((operation) => operation.label.includes("{customerId}"));
      expect(customerRoutes.length).toBeGreaterThan(3);
      for (const operation of customerRoutes) {
        const response = await send(operation, otherCustomerToken);
        expect(response.status, operation.label).toBe(403);
        expect(response.body).toMatchObject({ error: { code: "forbidden" } });
      }
      expect(await snapshot()).toEqual(before);
    });

    it("lets a server key past the scope check of every other route", async () => {
      // These calls may change data (an empty body can be a valid request); nothing is compared after.
      for (const operation of operations.filter((candidate) => !ADMIN_ONLY.has(candidate.label))) {
        const response = await send(operation, world.serverKey);
        expect([401, 403], `${operation.label}: ${JSON.stringify(response.body)}`).not.toContain(
          response.status,
        );
      }
    });

    it("lets an admin key past the scope check of every route", async () => {
      for (const operation of operations) {
        const response = await send(operation, world.adminKey);
        expect([401, 403], `${operation.label}: ${JSON.stringify(response.body)}`).not.toContain(
          response.status,
        );
      }
    });
  });
}
