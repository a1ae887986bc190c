/**
 * The ledger's routes over HTTP, in process: customers, grants, balance, ledger, debits, holds and
 * reversals; their happy paths, their errors (each leaving the wallet as it was), and who may call.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCustomerTokens, loadTokenSecret } from "../../src/engine/customer-tokens.js";
import { backends } from "../support/backends.js";
import { type HttpWorld, openHttpWorld } from "../support/http.js";

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/** A field of a JSON answer, for the few tests that need a value (an id) rather than a shape. */
function field(answer: Answer, ...path: string[]): string {
  let value: unknown = answer.body;
  for (const name of path) value = (value as Record<string, unknown> | null)?.[name];
  if (typeof value !== "string") throw new Error(`no ${path.join(".")} in ${JSON.stringify(answer.body)}`);
  return value;
}

const error = (status: number, code: string) => ({
  status,
  body: { error: { code, message: expect.any(String), requestId: expect.stringMatching(/^req_/) } },
});

for (const backend of backends()) {
  describe(`the ledger routes on ${backend.name}`, () => {
    let world: HttpWorld;
    const key = (value: string) => ({ "idempotency-key": value });
    const available = async (customerId: string): Promise<unknown> => {
      const answer = await world.call("GET", `/v1/customers/${customerId}/balance`);
      return (answer.body as { credits?: { available?: unknown } }).credits?.available;
    };

    beforeAll(async () => {
      world = await openHttpWorld(backend);
    });
    afterAll(async () => {
      await world.close();
      await backend.cleanup();
    });

    describe("customers", () => {
      it("creates, updates and reads a customer with its credits", async () => {
        const created = await world.call("PUT", "/v1/customers/ann", {
          body: {
            plan: "pro",
            email: "ann@example.com",
            displayName: "Ann",
            signedUpAt: "2026-06-01T10:00:00Z",
            attributes: { team: "core", seatsMinor: 3 },
            overflowAllowed: true,
          },
        });
        expect(created).toMatchObject({
          status: 200,
          body: {
            id: "ann",
            plan: "pro",
            email: "ann@example.com",
            signedUpAt: "2026-06-01T10:00:00.000Z",
            lastActiveAt: null,
            // The host's own attributes keep their keys, even ones that look like engine names.
            attributes: { team: "core", seatsMinor: 3 },
            overflowAllowed: true,
          },
        });
        expect(created.body).not.toHaveProperty("accountId");
        const updated = await world.call("PUT", "/v1/customers/ann", {
          body: { lastActiveAt: "2026-06-10T08:00:00+02:00", email: null },
        });
        expect(updated.body).toMatchObject({
          plan: "pro",
          email: null,
          lastActiveAt: "2026-06-10T06:00:00.000Z",
        });
        const read = await world.call("GET", "/v1/customers/ann");
        expect(read).toMatchObject({
          status: 200,
          body: {
            id: "ann",
            plan: "pro",
            credits: { available: 0, held: 0, byKind: { purchased: 0, promotional: 0 } },
          },
        });
      });

      it("refuses bad customer input", async () => {
        const cases: [unknown, string][] = [
          ["{not json", "body could not be read"],
          [{ plan: "pro", nickname: "x" }, "nickname"],
          [{ plan: 7 }, "plan"],
          [{ signedUpAt: "yesterday" }, "signedUpAt: must be an ISO-8601 time"],
          [{ signedUpAt: "2026-13-45T00:00:00Z" }, "signedUpAt"],
          [{ overflowAllowed: "yes" }, "overflowAllowed"],
          [{ plan: "p".repeat(65) }, "plan must be text of at most 64 characters"],
          [{ signedUpAt: "1970-01-02T00:00:00Z" }, "signedUpAt must be a time between 2000 and 2200"],
        ];
        for (const [body, message] of cases) {
          const answer = await world.call("PUT", "/v1/customers/zed", { body });
          expect(answer, JSON.stringify(body)).toMatchObject(error(400, "invalid_request"));
          expect(field(answer, "error", "message")).toContain(message);
        }
        expect(await world.call("GET", "/v1/customers/zed")).toMatchObject(error(404, "not_found"));
      });
    });

    describe("grants, debits, balance and ledger", () => {
      beforeAll(async () => {
        await world.call("PUT", "/v1/customers/bob", { body: { plan: "pro" } });
      });

      it("grants, spends in burn-down order, and shows both in the balance and the ledger", async () => {
        const bought = await world.call("POST", "/v1/customers/bob/grants", {
          body: { amount: 500, kind: "purchased", reason: "pack" },
          headers: key("bob-g1"),
        });
        expect(bought).toMatchObject({ status: 200, body: { type: "grant", available: 500 } });
        const promo = await world.call("POST", "/v1/customers/bob/grants", {
          body: { amount: 100, kind: "promotional", expiresAt: "2026-07-01T00:00:00Z" },
          headers: key("bob-g2"),
        });
        expect(promo).toMatchObject({ status: 200, body: { available: 600 } });
        const debit = await world.call("POST", "/v1/customers/bob/debits", {
          body: { amount: 150, reason: "a long task" },
          headers: key("bob-d1"),
        });
        // Promotional credits spend before purchased ones.
        expect(debit).toMatchObject({
          status: 200,
          body: {
            type: "consume",
            amount: 150,
            available: 450,
            draws: [
              { lotId: field(promo, "lotId"), kind: "promotional", amount: 100 },
              { lotId: field(bought, "lotId"), kind: "purchased", amount: 50 },
            ],
          },
        });
        const balance = await world.call("GET", "/v1/customers/bob/balance");
        expect(balance).toMatchObject({
          status: 200,
          body: {
            customerId: "bob",
            posted: 450,
            credits: { available: 450, held: 0, byKind: { purchased: 450, promotional: 0 } },
            lots: [{ id: field(bought, "lotId"), kind: "purchased", amount: 500, remaining: 450 }],
          },
        });
        const ledger = await world.call("GET", "/v1/customers/bob/ledger");
        expect(ledger.status).toBe(200);
        const entries = (ledger.body as { data: { transferId: string; kind: string; amount: number }[] })
          .data;
        expect(entries.map((entry) => [entry.kind, entry.amount])).toEqual([
          ["consume", -50],
          ["consume", -100],
          ["grant", 100],
          ["grant", 500],
        ]);
        expect((ledger.body as { nextCursor: unknown }).nextCursor).toBeNull();
      });

      it("pages the ledger with a cursor and reads a past balance", async () => {
        const first = await world.call("GET", "/v1/customers/bob/ledger?limit=3");
        expect((first.body as { data: unknown[] }).data).toHaveLength(3);
        const cursor = field(first, "nextCursor");
        const second = await world.call("GET", `/v1/customers/bob/ledger?limit=3&cursor=${cursor}`);
        expect(second.body).toMatchObject({ data: [{ kind: "grant", amount: 500 }], nextCursor: null });
        const before = await world.call("GET", "/v1/customers/bob/balance?at=2026-01-01T00:00:00Z");
        expect(before).toMatchObject({ status: 200, body: { at: "2026-01-01T00:00:00.000Z", posted: 0 } });
        expect(await world.call("GET", "/v1/customers/bob/ledger?limit=0")).toMatchObject(
          error(400, "invalid_request"),
        );
        expect(await world.call("GET", "/v1/customers/bob/ledger?limit=ten")).toMatchObject(
          error(400, "invalid_request"),
        );
        expect(await world.call("GET", "/v1/customers/bob/ledger?cursor=nope")).toMatchObject(
          error(400, "invalid_request"),
        );
        expect(await world.call("GET", "/v1/customers/bob/balance?at=soon")).toMatchObject(
          error(400, "invalid_request"),
        );
        expect(await world.call("GET", "/v1/customers/nobody/balance")).toMatchObject(
          error(404, "not_found"),
        );
        expect(await world.call("GET", "/v1/customers/nobody/ledger")).toMatchObject(error(404, "not_found"));
      });

      it("replays a retried write and refuses a reused key with another body", async () => {
        const first = await world.call("POST", "/v1/customers/bob/debits", {
          body: { amount: 10 },
          headers: key("bob-d2"),
        });
        expect(first).toMatchObject({ status: 200, body: { available: 440 } });
        const replay = await world.call("POST", "/v1/customers/bob/debits", {
          body: { amount: 10 },
          headers: key("bob-d2"),
        });
        expect(replay).toEqual({ ...first, headers: replay.headers });
        const conflict = await world.call("POST", "/v1/customers/bob/debits", {
          body: { amount: 11 },
          headers: key("bob-d2"),
        });
        expect(conflict).toMatchObject(error(409, "idempotency_conflict"));
        const grantReplay = await world.call("POST", "/v1/customers/bob/grants", {
          body: { amount: 500, kind: "purchased", reason: "pack" },
          headers: key("bob-g1"),
        });
        expect(grantReplay.body).toMatchObject({ type: "grant", available: 500 });
        expect(await available("bob")).toBe(440);
      });

      it("refuses bad grants and debits and changes nothing", async () => {
        const grants: [unknown, number, string, string][] = [
          ["{not json", 400, "invalid_request", "body could not be read"],
          [{ amount: 5, kind: "purchased", color: "red" }, 400, "invalid_request", "color"],
          [{ amount: "5", kind: "purchased" }, 400, "invalid_request", "amount"],
          [{ amount: 5.5, kind: "purchased" }, 400, "invalid_request", "amount"],
          [{ amount: -5, kind: "purchased" }, 400, "invalid_request", "amount must be positive, got -5"],
          [{ amount: 0, kind: "purchased" }, 400, "invalid_request", "amount must be positive, got 0"],
          [{ amount: 5, kind: "gifted" }, 400, "invalid_request", "kind"],
          [{ amount: 5, kind: "promotional", expiresAt: "next week" }, 400, "invalid_request", "expiresAt"],
          [{ amount: 5, kind: "promotional", priority: 5000 }, 400, "invalid_request", "priority"],
          [{ kind: "purchased" }, 400, "invalid_request", "amount"],
        ];
        for (const [body, status, code, message] of grants) {
          const answer = await world.call("POST", "/v1/customers/bob/grants", { body });
          expect(answer, JSON.stringify(body)).toMatchObject(error(status, code));
          expect(field(answer, "error", "message")).toContain(message);
        }
        const debits: [unknown, number, string, string][] = [
          [{ amount: 2.5 }, 400, "invalid_request", "amount"],
          [{ amount: -1 }, 400, "invalid_request", "amount must be positive"],
          [{ amount: 1, memo: "x" }, 400, "invalid_request", "memo"],
          [{ amount: 441 }, 402, "insufficient_credits", "440 available, 441 requested"],
        ];
        for (const [body, status, code, message] of debits) {
          const answer = await world.call("POST", "/v1/customers/bob/debits", { body });
          expect(answer, JSON.stringify(body)).toMatchObject(error(status, code));
          expect(field(answer, "error", "message")).toContain(message);
        }
        expect(
          await world.call("POST", "/v1/customers/nobody/grants", { body: { amount: 5, kind: "purchased" } }),
        ).toMatchObject(error(404, "not_found"));
        expect(
          await world.call("POST", "/v1/customers/nobody/debits", { body: { amount: 5 } }),
        ).toMatchObject(error(404, "not_found"));
        expect(await available("bob")).toBe(440);
        const ledger = await world.call("GET", "/v1/customers/bob/ledger?limit=100");
        expect((ledger.body as { data: unknown[] }).data).toHaveLength(5);
      });
    });

    describe("holds", () => {
      beforeAll(async () => {
        await world.call("PUT", "/v1/customers/cy", { body: {} });
        await world.call("POST", "/v1/customers/cy/grants", {
          body: { amount: 1000, kind: "compensation" },
          headers: key("cy-g1"),
        });
      });

      it("holds, captures part and releases the rest", async () => {
        const held = await world.call("POST", "/v1/customers/cy/holds", {
          body: { amount: 300, ttlSeconds: 600 },
          headers: key("cy-h1"),
        });
        expect(held).toMatchObject({
          status: 200,
          body: {
            type: "hold",
            hold: {
              customerId: "cy",
              amount: 300,
              captured: 0,
              status: "pending",
              expiresAt: "2026-06-11T09:10:00.000Z",
            },
            available: 700,
          },
        });
        expect(await world.call("GET", "/v1/customers/cy")).toMatchObject({
          body: { credits: { available: 700, held: 300 } },
        });
        const holdId = field(held, "hold", "id");
        const captured = await world.call("POST", `/v1/holds/${holdId}/capture`, {
          body: { amount: 120 },
          headers: key("cy-c1"),
        });
        expect(captured).toMatchObject({
          status: 200,
          body: { type: "capture", hold: { id: holdId, status: "captured", captured: 120 }, available: 880 },
        });
        const replay = await world.call("POST", `/v1/holds/${holdId}/capture`, {
          body: { amount: 120 },
          headers: key("cy-c1"),
        });
        expect(replay.body).toEqual(captured.body);
        expect(await world.call("POST", `/v1/holds/${holdId}/void`)).toMatchObject(
          error(409, "hold_not_pending"),
        );
        expect(await available("cy")).toBe(880);
      });

      it("captures a whole hold with no body, and voids another", async () => {
        const whole = await world.call("POST", "/v1/customers/cy/holds", {
          body: { amount: 80, ttlSeconds: 60 },
        });
        const captured = await world.call("POST", `/v1/holds/${field(whole, "hold", "id")}/capture`);
        expect(captured).toMatchObject({ status: 200, body: { hold: { captured: 80 }, available: 800 } });
        const other = await world.call("POST", "/v1/customers/cy/holds", {
          body: { amount: 200, ttlSeconds: 60 },
        });
        expect(other.body).toMatchObject({ available: 600 });
        const voided = await world.call("POST", `/v1/holds/${field(other, "hold", "id")}/void`, {
          headers: key("cy-v1"),
        });
        expect(voided).toMatchObject({
          status: 200,
          body: { type: "void", hold: { status: "voided" }, available: 800 },
        });
      });

      it("refuses bad holds and captures and changes nothing", async () => {
        const held = await world.call("POST", "/v1/customers/cy/holds", {
          body: { amount: 50, ttlSeconds: 60 },
        });
        const holdId = field(held, "hold", "id");
        const holds: [unknown, number, string, string][] = [
          [{ amount: 10 }, 400, "invalid_request", "ttlSeconds"],
          [{ amount: 10, ttlSeconds: 0 }, 400, "invalid_request", "ttlSeconds"],
          [{ amount: 10, ttlSeconds: 1.5 }, 400, "invalid_request", "ttlSeconds"],
          [{ amount: -10, ttlSeconds: 60 }, 400, "invalid_request", "amount must be positive"],
          [{ amount: 10, ttlSeconds: 60, note: 1 }, 400, "invalid_request", "note"],
          [{ amount: 751, ttlSeconds: 60 }, 402, "insufficient_credits", "750 available, 751 requested"],
        ];
        for (const [body, status, code, message] of holds) {
          const answer = await world.call("POST", "/v1/customers/cy/holds", { body });
          expect(answer, JSON.stringify(body)).toMatchObject(error(status, code));
          expect(field(answer, "error", "message")).toContain(message);
        }
        const captures: [string, unknown, number, string][] = [
          [holdId, { amount: 51 }, 400, "invalid_request"],
          [holdId, { amount: 0.5 }, 400, "invalid_request"],
          [holdId, { all: true }, 400, "invalid_request"],
          ["hld_nope", {}, 400, "invalid_request"],
          [`hld_${"0".repeat(32)}`, {}, 404, "not_found"],
        ];
        for (const [id, body, status, code] of captures) {
          const answer = await world.call("POST", `/v1/holds/${id}/capture`, { body });
          expect(answer, `${id} ${JSON.stringify(body)}`).toMatchObject(error(status, code));
        }
        expect(await world.call("POST", `/v1/holds/hld_${"0".repeat(32)}/void`)).toMatchObject(
          error(404, "not_found"),
        );
        expect(await world.call("GET", "/v1/customers/cy")).toMatchObject({
          body: { credits: { available: 750, held: 50 } },
        });
      });

      it("releases a hold that timed out", async () => {
        const held = await world.call("POST", "/v1/customers/cy/holds", {
          body: { amount: 100, ttlSeconds: 60 },
        });
        expect(held.body).toMatchObject({ available: 650 });
        world.clock.advanceMs(61_000);
        // Both this hold and the 50 left pending above have timed out: 650 + 100 + 50.
        expect(await available("cy")).toBe(800);
        expect(await world.call("POST", `/v1/holds/${field(held, "hold", "id")}/capture`)).toMatchObject({
          status: 409,
        });
      });
    });

    describe("reversals", () => {
      it("reverses a transfer once, by an admin", async () => {
        await world.call("PUT", "/v1/customers/dee", { body: {} });
        const granted = await world.call("POST", "/v1/customers/dee/grants", {
          body: { amount: 250, kind: "promotional" },
        });
        const transferId = field(granted, "transferId");
        const path = `/v1/transfers/${transferId}/reverse`;
        const body = { reason: "granted to the wrong customer" };
        expect(await world.call("POST", path, { body })).toMatchObject(error(403, "forbidden"));
        // The scope is checked before the body, so a server key learns nothing of the input rules.
        expect(await world.call("POST", path, { body: { wrong: 1 } })).toMatchObject(error(403, "forbidden"));
        expect(await world.call("POST", path, { body, key: null })).toMatchObject(error(401, "unauthorized"));
        expect(await available("dee")).toBe(250);
        const reversed = await world.call("POST", path, {
          body,
          key: world.adminKey,
          headers: key("dee-r1"),
        });
        expect(reversed).toMatchObject({
          status: 200,
          body: { type: "reverse", reversesTransferId: transferId },
        });
        const replay = await world.call("POST", path, { body, key: world.adminKey, headers: key("dee-r1") });
        expect(replay.body).toEqual(reversed.body);
        expect(
          await world.call("POST", path, {
            body: { reason: "again" },
            key: world.adminKey,
            headers: key("dee-r1"),
          }),
        ).toMatchObject(error(409, "idempotency_conflict"));
        expect(await world.call("POST", path, { key: world.adminKey })).toMatchObject(
          error(409, "already_reversed"),
        );
        expect(await available("dee")).toBe(0);
        const ledger = await world.call("GET", "/v1/customers/dee/ledger");
        expect(ledger.body).toMatchObject({
          data: [
            { kind: "reverse", amount: -250, reversesTransferId: transferId },
            { kind: "grant", amount: 250 },
          ],
        });
      });

      it("refuses a reversal that would take back spent credits", async () => {
        await world.call("PUT", "/v1/customers/eve", { body: {} });
        const granted = await world.call("POST", "/v1/customers/eve/grants", {
          body: { amount: 100, kind: "purchased" },
        });
        await world.call("POST", "/v1/customers/eve/debits", { body: { amount: 60 } });
        const refused = await world.call("POST", `/v1/transfers/${field(granted, "transferId")}/reverse`, {
          key: world.adminKey,
        });
        expect(refused).toMatchObject(error(402, "insufficient_credits"));
        expect(await available("eve")).toBe(40);
        expect(
          await world.call("POST", `/v1/transfers/txn_${"0".repeat(32)}/reverse`, { key: world.adminKey }),
        ).toMatchObject(error(404, "not_found"));
      });
    });

    describe("who may call", () => {
      it("needs a valid key on every route", async () => {
        const hold = `/v1/holds/hld_${"0".repeat(32)}`;
        const routes: [string, string, unknown][] = [
          ["PUT", "/v1/customers/ann", {}],
          ["GET", "/v1/customers/ann", undefined],
          ["POST", "/v1/customers/ann/grants", { amount: 1, kind: "purchased" }],
          ["GET", "/v1/customers/ann/balance", undefined],
          ["GET", "/v1/customers/ann/ledger", undefined],
          ["POST", "/v1/customers/ann/debits", { amount: 1 }],
          ["POST", "/v1/customers/ann/holds", { amount: 1, ttlSeconds: 60 }],
          ["POST", `${hold}/capture`, {}],
          ["POST", `${hold}/void`, undefined],
          ["POST", `/v1/transfers/txn_${"0".repeat(32)}/reverse`, {}],
        ];
        for (const [method, path, body] of routes) {
          for (const bad of [null, "boon_sk_wrong"]) {
            const answer = await world.call(method, path, { body, key: bad });
            expect(answer, `${method} ${path}`).toMatchObject(error(401, "unauthorized"));
          }
        }
      });

      it("lets a customer token read only its own customer, and write nothing", async () => {
        const tokens = createCustomerTokens(await loadTokenSecret(world.store));
        const minted = tokens.mint("ann", 600, world.clock.nowMs());
        if (!minted.ok) throw new Error(minted.error.message);
        const token = minted.value.token;
        for (const path of ["/v1/customers/ann", "/v1/customers/ann/balance", "/v1/customers/ann/ledger"]) {
          expect((await world.call("GET", path, { key: token })).status, path).toBe(200);
          const other = path.replace("ann", "bob");
          expect(await world.call("GET", other, { key: token }), other).toMatchObject(
            error(403, "forbidden"),
          );
        }
        expect(
          await world.call("POST", "/v1/customers/ann/grants", {
            body: { amount: 1, kind: "purchased" },
            key: token,
          }),
        ).toMatchObject(error(403, "forbidden"));
        expect(await world.call("PUT", "/v1/customers/ann", { body: {}, key: token })).toMatchObject(
          error(403, "forbidden"),
        );
        expect(await available("ann")).toBe(0);
      });
    });

    it("documents every ledger route in the OpenAPI document", async () => {
      const document = await world.call("GET", "/openapi.json");
      expect(document.status).toBe(200);
      const paths = (document.body as { paths: Record<string, Record<string, unknown>> }).paths;
      const expected: [string, string][] = [
        ["/v1/customers/{customerId}", "put"],
        ["/v1/customers/{customerId}", "get"],
        ["/v1/customers/{customerId}/grants", "post"],
        ["/v1/customers/{customerId}/balance", "get"],
        ["/v1/customers/{customerId}/ledger", "get"],
        ["/v1/customers/{customerId}/debits", "post"],
        ["/v1/customers/{customerId}/holds", "post"],
        ["/v1/holds/{holdId}/capture", "post"],
        ["/v1/holds/{holdId}/void", "post"],
        ["/v1/transfers/{transferId}/reverse", "post"],
      ];
      for (const [path, method] of expected) {
        expect(paths[path]?.[method], `${method} ${path}`).toMatchObject({
          responses: { 200: { content: { "application/json": { schema: expect.any(Object) } } } },
        });
      }
    });
  });
}
