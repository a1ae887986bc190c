/**
 * `GET /v1/customers` in process, on every backend: the search (an id prefix, an email or display
 * name in any case, the plan), pages by id that neither repeat nor skip a customer when others are
 * added between them, each customer's credits as `GET /v1/customers/{id}` gives them, every malformed
 * query refused in the one envelope, and admin keys only.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CustomerList, CustomerListItem, CustomerWithCredits } from "../../sdk/client.js";
import { backends } from "../support/backends.js";
import { type HttpWorld, openHttpWorld } from "../support/http.js";

type Response = { status: number; body: unknown };

function expectFailure(response: Response, status: number, code: string): void {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.body).toMatchObject({
    error: { code, message: expect.any(String), requestId: expect.stringMatching(/^req_/) },
  });
}

/**
 * The people of the suite: ids chosen so that prefixes, emails and names overlap in telling ways, and
 * in lower case, so that they sort the same in the byte order of C and in the common locales.
 */
const PEOPLE = [
  { id: "ada", plan: "pro", email: "Ada.Lovelace@Example.com", displayName: "Ada Lovelace" },
  { id: "adam", plan: "free", email: "adam@example.org", displayName: "Adam Smith" },
  { id: "alan", plan: "pro", email: "alan@turing.example", displayName: "Alan Turing" },
  { id: "bea", plan: "pro", email: null, displayName: "Béatrice 100%_sure" },
  { id: "cus_007", plan: null, email: "bond@mi6.example", displayName: null },
  { id: "grace", plan: "free", email: "grace@navy.example", displayName: "Grace Hopper" },
  { id: "zed", plan: "pro", email: "zed@example.com", displayName: "ADA's fan" },
] as const;

for (const backend of backends()) {
  describe(`the customer list on ${backend.name}`, () => {
    let world: HttpWorld;
    const admin = () => ({ key: world.adminKey });

    async function list(query: string): Promise<CustomerList> {
      const response = await world.call("GET", `/v1/customers${query}`, admin());
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body as CustomerList;
    }

    const ids = (page: CustomerList): string[] => page.data.map((customer) => customer.id);

    /** Every page of a search, following nextCursor to the end. */
    async function everyPage(query: string, limit: number): Promise<CustomerListItem[]> {
      const all: CustomerListItem[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 50; pages += 1) {
        const separator = query === "" ? "?" : "&";
        const after: string = cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`;
        const page = await list(`${query}${separator}limit=${limit}${after}`.replace(/^&/, "?"));
        expect(page.data.length).toBeLessThanOrEqual(limit);
        all.push(...page.data);
        cursor = page.nextCursor;
        if (cursor === null) return all;
      }
      throw new Error("the pages never ended");
    }

    beforeAll(async () => {
      world = await openHttpWorld(backend);
      for (const { id, ...fields } of PEOPLE) {
        const saved = await world.call("PUT", `/v1/customers/${encodeURIComponent(id)}`, {
          body: { ...fields, signedUpAt: "2026-01-02T03:04:05Z", lastActiveAt: "2026-06-01T00:00:00Z" },
        });
        expect(saved.status, JSON.stringify(saved.body)).toBe(200);
      }
      const grants = [
        ["ada", 500, "purchased"],
        ["ada", 120, "promotional"],
        ["grace", 75, "compensation"],
      ] as const;
      for (const [customerId, amount, kind] of grants) {
        const granted = await world.call("POST", `/v1/customers/${customerId}/grants`, {
          body: { amount, kind, reason: "test" },
        });
        expect(granted.status, JSON.stringify(granted.body)).toBe(200);
      }
    });
    afterAll(async () => {
      await world.close();
      await backend.cleanup();
    });

    it("lists everyone by id, each with the fields of the customer and its credits", async () => {
      const page = await list("");
      expect(ids(page)).toEqual(PEOPLE.map((person) => person.id).sort());
      expect(page.nextCursor).toBeNull();
      const ada = page.data.find((customer) => customer.id === "ada");
      expect(ada).toEqual({
        id: "ada",
        plan: "pro",
        email: "Ada.Lovelace@Example.com",
        displayName: "Ada Lovelace",
        signedUpAt: "2026-01-02T03:04:05.000Z",
        lastActiveAt: "2026-06-01T00:00:00.000Z",
        credits: {
          available: 620,
          held: 0,
          byKind: { purchased: 500, promotional: 120, gifted: 0, referral: 0, compensation: 0 },
        },
      });
      for (const customer of page.data) {
        const one = await world.call("GET", `/v1/customers/${encodeURIComponent(customer.id)}`);
        expect(customer.credits, customer.id).toEqual((one.body as CustomerWithCredits).credits);
      }
    });

    it("finds by id prefix (as written), and by email or display name in any case", async () => {
      expect(ids(await list("?query=ad"))).toEqual(["ada", "adam", "zed"]);
      expect(ids(await list("?query=ada"))).toEqual(["ada", "adam", "zed"]);
      expect(ids(await list("?query=cus_"))).toEqual(["cus_007"]);
      // Ids are matched as written: only emails and names are matched in any case.
      expect(ids(await list("?query=CUS_"))).toEqual([]);
      expect(ids(await list("?query=EXAMPLE.COM"))).toEqual(["ada", "zed"]);
      expect(ids(await list("?query=turing"))).toEqual(["alan"]);
      expect(ids(await list("?query=B%C3%89ATRICE"))).toEqual(["bea"]);
      // What a person types is matched literally: % and _ are not wildcards.
      expect(ids(await list("?query=100%25_"))).toEqual(["bea"]);
      expect(ids(await list("?query=%25"))).toEqual(["bea"]);
      expect(ids(await list("?query=a_a"))).toEqual([]);
      expect(ids(await list("?query=nobody"))).toEqual([]);
      expect(ids(await list("?query="))).toHaveLength(PEOPLE.length);
    });

    it("filters by plan, alone and with a search", async () => {
      expect(ids(await list("?plan=pro"))).toEqual(["ada", "alan", "bea", "zed"]);
      expect(ids(await list("?plan=free&query=a"))).toEqual(["adam", "grace"]);
      expect(ids(await list("?plan=enterprise"))).toEqual([]);
    });

    it("pages by id: every customer once, in order, whatever the page size", async () => {
      const everyone = PEOPLE.map((person) => person.id).sort();
      for (const limit of [1, 2, 3, 6, 7, 100]) {
        expect(
          (await everyPage("", limit)).map((customer) => customer.id),
          `limit ${limit}`,
        ).toEqual(everyone);
      }
      expect((await everyPage("?plan=pro", 2)).map((customer) => customer.id)).toEqual([
        "ada",
        "alan",
        "bea",
        "zed",
      ]);
      const first = await list("?limit=3");
      expect(first.data).toHaveLength(3);
      expect(first.nextCursor).toEqual(expect.any(String));
      const last = await list(`?limit=7`);
      expect(last.nextCursor).toBeNull();
    });

    it("neither repeats nor skips anyone when customers are added between pages", async () => {
      const first = await list("?limit=2");
      expect(ids(first)).toEqual(["ada", "adam"]);
      // One before the cursor, one after it: only the later one shows on the next pages.
      for (const id of ["aaa", "zz-late"]) {
        expect((await world.call("PUT", `/v1/customers/${id}`, { body: { plan: "free" } })).status).toBe(200);
      }
      const rest: string[] = [];
      let cursor = first.nextCursor;
      while (cursor !== null) {
        const page = await list(`?limit=2&cursor=${encodeURIComponent(cursor)}`);
        rest.push(...ids(page));
        cursor = page.nextCursor;
      }
      expect(rest).toEqual(["alan", "bea", "cus_007", "grace", "zed", "zz-late"]);
    });

    it("counts a hold that timed out as released, as the customer's own page does", async () => {
      const held = await world.call("POST", "/v1/customers/grace/holds", {
        body: { amount: 50, ttlSeconds: 60 },
      });
      expect(held.status, JSON.stringify(held.body)).toBe(200);
      const [during] = (await list("?query=grace")).data;
      expect(during?.credits).toMatchObject({ available: 25, held: 50 });
      world.clock.advanceMs(61_000);
      const [after] = (await list("?query=grace")).data;
      expect(after?.credits).toMatchObject({ available: 75, held: 0 });
      const own = await world.call("GET", "/v1/customers/grace");
      expect(after?.credits).toEqual((own.body as CustomerWithCredits).credits);
    });

    it("refuses malformed queries in the one envelope", async () => {
      const forged = Buffer.from("no such \u0000 id").toString("base64url");
      for (const query of [
        "?limit=0",
        "?limit=101",
        "?limit=abc",
        "?limit=2.5",
        "?limit=",
        "?cursor=",
        "?cursor=%25%25%25",
        `?cursor=${forged}`,
        `?cursor=${"A".repeat(300)}`,
        `?cursor=${Buffer.from("x".repeat(129)).toString("base64url")}`,
        `?query=${"q".repeat(201)}`,
        "?query=a%00b",
        "?plan=",
        `?plan=${"p".repeat(65)}`,
      ]) {
        const response = await world.call("GET", `/v1/customers${query}`, admin());
        expectFailure(response, 400, "invalid_request");
      }
    });

    it("answers admin keys only", async () => {
      expectFailure(await world.call("GET", "/v1/customers"), 403, "forbidden");
      const minted = await world.call("POST", "/v1/customer-tokens", {
        body: { customerId: "ada", ttlSeconds: 60 },
      });
      const token = (minted.body as { token: string }).token;
      expectFailure(await world.call("GET", "/v1/customers", { key: token }), 403, "forbidden");
      expectFailure(await world.call("GET", "/v1/customers", { key: null }), 401, "unauthorized");
    });
  });
}
