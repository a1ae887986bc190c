/**
 * The demo host (the stand-in product's backend under /demo/api), in process on every backend, with
 * its in-memory admin key wired as `boon start` wires it: it acts only for `demo-` customers, mints
 * their tokens, meters their messages once per idempotency key, makes new free-plan customers, tops
 * up with promotional credits and switches overflow on, accepts invites for them; bad or oversized
 * bodies get a clear 4xx with nothing changed; and without its key, none of it exists.
 */
import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Balance, Customer, CustomerReferrals, UsageAnswer } from "../../sdk/client.js";
import { seedDemo } from "../../src/cli/demo.js";
import { KEY_SECRET_PREFIX } from "../../src/engine/keys.js";
import { DEMO_SESSION_TTL_SECONDS, DEMO_TOP_UP_MINOR, slugOf } from "../../src/http/demo-host.js";
import { backends } from "../support/backends.js";
import { HTTP_START_MS, type HttpWorld, openHttpWorld } from "../support/http.js";

const DAY_MS = 86_400_000;
/** Made like the key `boon start` makes for its demo host: fresh, and held in memory only. */
const DEMO_HOST_KEY = `${KEY_SECRET_PREFIX}${randomBytes(32).toString("base64url")}`;
const GENEROUS = { perSecond: 1000, burst: 10_000 };
/** The free plan's 5-hour window, from plans/demo.json. */
const FREE_MESSAGES_5H = 10;
const FREE_MESSAGE_PRICE_MINOR = 10;
const DEMO_BODY_BYTES_MAX = 4096;
const POST_ROUTES = [
  "/demo/api/customers",
  "/demo/api/session",
  "/demo/api/messages",
  "/demo/api/top-up",
  "/demo/api/invites/ABCD/accept",
] as const;

type Failure = { error: { code: string; message: string; requestId: string } };

describe("slugOf", () => {
  it("keeps lowercase letters and digits, joined by single dashes", () => {
    expect(slugOf("Ada Lovelace")).toBe("ada-lovelace");
    expect(slugOf("  Zoë   O'Brien!! ")).toBe("zoe-o-brien");
    expect(slugOf("Agent 007")).toBe("agent-007");
    expect(slugOf("José Díaz")).toBe("jose-diaz");
    expect(slugOf("Ünïcødé")).toBe("unic-de");
    expect(slugOf("Ｆｕｌｌ")).toBe("full");
  });

  it("falls back to 'friend' when nothing is left, and stays short", () => {
    expect(slugOf("")).toBe("friend");
    expect(slugOf("!!!")).toBe("friend");
    expect(slugOf("李雷")).toBe("friend");
    expect(slugOf("a".repeat(40))).toBe("a".repeat(20));
  });

  it("never gives a character that needs escaping in a path or an address, nor a dash at an end", () => {
    for (const name of ["../../v1/plans", "a/b?c#d", "x%2Fy", "<script>", "a b\tc\nd", "---", "-a-"]) {
      expect(slugOf(name), name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
    expect(slugOf(`${"a".repeat(19)} b`)).toBe("a".repeat(19));
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 60 }), (name) => {
        const slug = slugOf(name);
        expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(slug.length).toBeLessThanOrEqual(20);
      }),
    );
  });
});

for (const backend of backends()) {
  describe(`demo host on ${backend.name}`, () => {
    let world: HttpWorld;
    const admin = () => ({ key: world.adminKey });

    /** A call from the demo pages: no key, JSON in and out. */
    const demo = (path: string, body?: unknown, headers: Record<string, string> = {}) =>
      world.call(body === undefined ? "GET" : "POST", path, {
        key: null,
        headers,
        ...(body === undefined ? {} : { body }),
      });

    /** Everything about the customers a demo call could change, as the operator reads it. */
    async function snapshot(): Promise<string> {
      const listed = await world.call("GET", "/v1/customers?limit=100", admin());
      expect(listed.status).toBe(200);
      const ids = (listed.body as { data: { id: string }[] }).data.map((customer) => customer.id);
      const details = await Promise.all(
        ids.map(async (id) => {
          const [customer, balance] = await Promise.all([
            world.call("GET", `/v1/customers/${id}`, admin()),
            world.call("GET", `/v1/customers/${id}/balance`, admin()),
          ]);
          const { updatedAt: _updated, ...rest } = customer.body as Customer;
          return { customer: rest, balance: balance.body };
        }),
      );
      return JSON.stringify(details);
    }

    async function newDemoCustomer(displayName: string): Promise<Customer> {
      const created = await demo("/demo/api/customers", { displayName });
      expect(created.status, JSON.stringify(created.body)).toBe(200);
      return created.body as Customer;
    }

    async function message(customerId: string, key: string): Promise<UsageAnswer> {
      const sent = await demo("/demo/api/messages", { customerId }, { "idempotency-key": key });
      expect(sent.status, JSON.stringify(sent.body)).toBe(200);
      return sent.body as UsageAnswer;
    }

    async function balanceOf(customerId: string): Promise<Balance> {
      const read = await world.call("GET", `/v1/customers/${customerId}/balance`, admin());
      expect(read.status).toBe(200);
      return read.body as Balance;
    }

    async function usedIn5h(customerId: string): Promise<number> {
      const window = (await balanceOf(customerId)).windows?.find((line) => line.window === "5h");
      return window?.used ?? 0;
    }

    beforeAll(async () => {
      world = await openHttpWorld(backend, {
        demoHostKey: DEMO_HOST_KEY,
        rateLimits: { key: GENEROUS, customer: GENEROUS },
      });
      expect(await seedDemo(world.engine)).toBe(true);
      const real = await world.call("PUT", "/v1/customers/cus_real", {
        body: { plan: "free", displayName: "Not a demo-customer", email: "demo-fan@example.com" },
      });
      expect(real.status).toBe(200);
    });
    afterAll(async () => {
      await world.close();
      await backend.cleanup();
    });
    afterEach(async () => {
      const report = await world.engine.verify();
      expect(report.checks.filter((check) => check.violation !== null)).toEqual([]);
    });

    describe("customers", () => {
      it("lists the demo customers, and no other customer even when its name or email says demo-", async () => {
        const listed = await demo("/demo/api/customers");
        expect(listed.status).toBe(200);
        const ids = (listed.body as { data: { id: string }[] }).data.map((customer) => customer.id);
        expect(ids).toEqual(expect.arrayContaining(["demo-ada", "demo-grace", "demo-linus"]));
        expect(ids.every((id) => id.startsWith("demo-"))).toBe(true);
      });

      it("makes a new demo customer on the free plan, signed up now", async () => {
        const created = await newDemoCustomer("  Zoë Friend ");
        expect(created.id).toMatch(/^demo-zoe-friend-[0-9a-f]{6}$/);
        expect(created).toMatchObject({
          plan: "free",
          displayName: "Zoë Friend",
          email: "zoe-friend@example.com",
          signedUpAt: new Date(HTTP_START_MS).toISOString(),
          overflowAllowed: false,
        });
        const read = await world.call("GET", `/v1/customers/${created.id}`, admin());
        expect(read.body).toMatchObject({ id: created.id, plan: "free" });
        const listed = await demo("/demo/api/customers");
        expect((listed.body as { data: { id: string }[] }).data.map((customer) => customer.id)).toContain(
          created.id,
        );
        const again = await newDemoCustomer("Zoë Friend");
        expect(again.id).not.toBe(created.id);
      });

      it("refuses a missing, blank, long or odd name, making no customer", async () => {
        const before = await snapshot();
        for (const body of [
          {},
          { displayName: "" },
          { displayName: "   " },
          { displayName: "x".repeat(41) },
          { displayName: 5 },
          { displayName: null },
          { displayName: "Eve", plan: "pro" },
          [],
          "Eve",
        ]) {
          const refused = await demo("/demo/api/customers", body);
          expect(refused.status, JSON.stringify(body)).toBe(400);
          expect((refused.body as Failure).error.code).toBe("invalid_request");
        }
        expect(await snapshot()).toBe(before);
      });
    });

    describe("session", () => {
      it("mints a token for a demo customer that acts for that customer only", async () => {
        const minted = await demo("/demo/api/session", { customerId: "demo-ada" });
        expect(minted.status).toBe(200);
        const { token, expiresAt } = minted.body as { token: string; expiresAt: string };
        expect(Date.parse(expiresAt)).toBe(HTTP_START_MS + DEMO_SESSION_TTL_SECONDS * 1000);
        const own = await world.call("GET", "/v1/customers/demo-ada/balance", { key: token });
        expect(own.status).toBe(200);
        const other = await world.call("GET", "/v1/customers/demo-grace/balance", { key: token });
        expect(other.status).toBe(403);
        const admin = await world.call("GET", "/v1/customers", { key: token });
        expect(admin.status).toBe(403);
      });

      it("refuses a customer that is not a demo customer with 400 invalid_request, changing nothing", async () => {
        const before = await snapshot();
        for (const customerId of ["cus_real", "Demo-ada", "xdemo-ada", " demo-ada", ""]) {
          const refused = await demo("/demo/api/session", { customerId });
          expect(refused.status, customerId).toBe(400);
          const { error } = refused.body as Failure;
          expect(error.code).toBe("invalid_request");
          expect(error.message).toMatch(/^customerId: /);
        }
        expect(await snapshot()).toBe(before);
      });

      it("answers a demo id that nobody has with not_found", async () => {
        const refused = await demo("/demo/api/session", { customerId: "demo-nobody" });
        expect(refused.status).toBe(404);
        expect((refused.body as Failure).error.code).toBe("not_found");
      });
    });

    describe("messages", () => {
      it("charges one message per idempotency key: a retry replays the first answer", async () => {
        const { id } = await newDemoCustomer("Mia");
        const first = await message(id, "msg-1");
        expect(first).toMatchObject({ allowed: true, paidBy: "windows" });
        expect(await usedIn5h(id)).toBe(1);
        const retry = await message(id, "msg-1");
        expect(retry).toEqual(first);
        expect(await usedIn5h(id)).toBe(1);
        const second = await message(id, "msg-2");
        expect(second.chargeId).not.toBe(first.chargeId);
        expect(await usedIn5h(id)).toBe(2);
      });

      it("answers a spent window with the refusal and when it resets", async () => {
        const { id } = await newDemoCustomer("Noor");
        for (let index = 0; index < FREE_MESSAGES_5H; index += 1)
          expect((await message(id, `noor-${index}`)).allowed).toBe(true);
        const refused = await message(id, "noor-over");
        expect(refused).toMatchObject({ allowed: false, code: "limit_reached", chargeId: null });
        expect(Date.parse(refused.resetsAt ?? "")).toBe(HTTP_START_MS + 5 * 3_600_000);
        expect(await usedIn5h(id)).toBe(FREE_MESSAGES_5H);
      });

      it("refuses a customer that is not a demo customer, charging nothing", async () => {
        const before = await snapshot();
        const refused = await demo(
          "/demo/api/messages",
          { customerId: "cus_real" },
          { "idempotency-key": "x-1" },
        );
        expect(refused.status).toBe(400);
        expect((refused.body as Failure).error.code).toBe("invalid_request");
        expect(await usedIn5h("cus_real")).toBe(0);
        expect(await snapshot()).toBe(before);
      });
    });

    describe("top-up", () => {
      it("switches overflow on and grants promotional credits once per key, which then pay past the plan", async () => {
        const { id } = await newDemoCustomer("Omar");
        for (let index = 0; index < FREE_MESSAGES_5H; index += 1) await message(id, `omar-${index}`);
        expect((await message(id, "omar-before")).allowed).toBe(false);

        const topped = await demo("/demo/api/top-up", { customerId: id }, { "idempotency-key": "top-1" });
        expect(topped.status, JSON.stringify(topped.body)).toBe(200);
        expect(topped.body).toMatchObject({ available: DEMO_TOP_UP_MINOR });
        const retry = await demo("/demo/api/top-up", { customerId: id }, { "idempotency-key": "top-1" });
        expect(retry.body).toEqual(topped.body);

        const customer = await world.call("GET", `/v1/customers/${id}`, admin());
        expect(customer.body).toMatchObject({ overflowAllowed: true, plan: "free" });
        const balance = await balanceOf(id);
        expect(balance.credits.available).toBe(DEMO_TOP_UP_MINOR);
        expect(balance.lots).toEqual([
          expect.objectContaining({
            kind: "promotional",
            amount: DEMO_TOP_UP_MINOR,
            expiresAt: new Date(HTTP_START_MS + 30 * DAY_MS).toISOString(),
          }),
        ]);

        const paid = await message(id, "omar-after");
        expect(paid).toMatchObject({
          allowed: true,
          paidBy: "credits",
          charged: { credits: FREE_MESSAGE_PRICE_MINOR },
        });
        expect((await balanceOf(id)).credits.available).toBe(DEMO_TOP_UP_MINOR - FREE_MESSAGE_PRICE_MINOR);
      });

      it("refuses a customer that is not a demo customer, granting nothing", async () => {
        const before = await snapshot();
        const refused = await demo(
          "/demo/api/top-up",
          { customerId: "cus_real" },
          { "idempotency-key": "t-x" },
        );
        expect(refused.status).toBe(400);
        expect(await snapshot()).toBe(before);
      });

      it("can't be steered to another customer through the path", async () => {
        const before = await snapshot();
        for (const customerId of [
          "demo-x/../../customers/cus_real",
          "demo-x/../cus_real",
          "demo-ada/grants",
          "demo-ada?x=1",
          "demo-ada#x",
          "demo-%2e%2e",
        ]) {
          const refused = await demo(
            "/demo/api/top-up",
            { customerId },
            { "idempotency-key": `t-${customerId}` },
          );
          expect(refused.status, customerId).toBe(400);
        }
        expect(await snapshot()).toBe(before);
      });

      it("answers a demo id that nobody has with not_found, making no customer", async () => {
        const before = await snapshot();
        const refused = await demo(
          "/demo/api/top-up",
          { customerId: "demo-ghost" },
          { "idempotency-key": "t-g" },
        );
        expect(refused.status).toBe(404);
        expect((refused.body as Failure).error.code).toBe("not_found");
        expect(await snapshot()).toBe(before);
      });
    });

    describe("invites", () => {
      it("accepts an invite for a new demo customer, once per key", async () => {
        const referrals = await world.call("GET", "/v1/customers/demo-grace/referrals", admin());
        const code = (referrals.body as CustomerReferrals).invites[0]?.code ?? "";
        expect(code).not.toBe("");
        const { id } = await newDemoCustomer("Pia");
        const path = `/demo/api/invites/${encodeURIComponent(code)}/accept`;
        const accepted = await demo(path, { customerId: id }, { "idempotency-key": `accept-${id}` });
        expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
        expect(accepted.body).toMatchObject({ inviteeId: id, referrerId: "demo-grace", state: "accepted" });
        const retry = await demo(path, { customerId: id }, { "idempotency-key": `accept-${id}` });
        expect(retry.body).toEqual(accepted.body);
      });

      it("refuses a customer that is not a demo customer", async () => {
        const before = await snapshot();
        const refused = await demo("/demo/api/invites/ABCD/accept", { customerId: "cus_real" });
        expect(refused.status).toBe(400);
        expect(await snapshot()).toBe(before);
      });
    });

    describe("bad bodies", () => {
      it("answers malformed JSON with 400 invalid_request, changing nothing", async () => {
        const before = await snapshot();
        for (const path of POST_ROUTES) {
          for (const text of ["{not json", "", "null", '"demo-ada"', "[]"]) {
            const refused = await world.call("POST", path, {
              key: null,
              body: text,
              headers: { "content-type": "application/json" },
            });
            expect(refused.status, `${path} ${text}`).toBe(400);
            const { error } = refused.body as Failure;
            expect(error.code).toBe("invalid_request");
            expect(error.message).toMatch(/^body: /);
            expect(error.requestId).toMatch(/^req_/);
          }
        }
        expect(await snapshot()).toBe(before);
      });

      it("answers a body over the limit with 413 in the error envelope, changing nothing", async () => {
        const before = await snapshot();
        const huge = JSON.stringify({ customerId: "demo-ada", padding: "x".repeat(DEMO_BODY_BYTES_MAX) });
        for (const path of POST_ROUTES) {
          const refused = await world.call("POST", path, { key: null, body: huge });
          expect(refused.status, path).toBe(413);
          const { error } = refused.body as Failure;
          expect(error.code).toBe("invalid_request");
          expect(error.message).toContain(String(DEMO_BODY_BYTES_MAX));
        }
        expect(await snapshot()).toBe(before);
      });

      it("answers an unknown demo path or method with a JSON 404", async () => {
        for (const [method, path] of [
          ["GET", "/demo/api/unknown"],
          ["GET", "/demo/api/session"],
          ["PUT", "/demo/api/customers"],
        ] as const) {
          const response = await world.call(method, path, { key: null });
          expect(response.status, `${method} ${path}`).toBe(404);
          expect((response.body as Failure).error.code).toBe("not_found");
        }
      });
    });

    describe("its key", () => {
      it("is an admin key of the API while the demo host is on", async () => {
        const listed = await world.call("GET", "/v1/customers?limit=1", { key: DEMO_HOST_KEY });
        expect(listed.status).toBe(200);
      });
    });
  });

  describe(`without the demo host on ${backend.name}`, () => {
    let world: HttpWorld;
    beforeAll(async () => {
      world = await openHttpWorld(backend);
      await seedDemo(world.engine);
    });
    afterAll(async () => {
      await world.close();
      await backend.cleanup();
    });

    it("answers every /demo/api path with a JSON 404", async () => {
      const before = await world.call("GET", "/v1/customers/demo-ada/balance");
      for (const path of ["/demo/api/customers", ...POST_ROUTES]) {
        for (const method of ["GET", "POST"] as const) {
          const body = method === "POST" ? { customerId: "demo-ada", displayName: "Eve" } : undefined;
          const response = await world.call(method, path, {
            key: null,
            ...(body === undefined ? {} : { body }),
          });
          expect(response.status, `${method} ${path}`).toBe(404);
          expect((response.body as Failure).error.code).toBe("not_found");
        }
      }
      const after = await world.call("GET", "/v1/customers/demo-ada/balance");
      expect(after.body).toEqual(before.body);
    });

    it("does not accept a demo host key", async () => {
      const refused = await world.call("GET", "/v1/customers", { key: DEMO_HOST_KEY });
      expect(refused.status).toBe(401);
    });
  });
}
