/**
 * Gifting over HTTP in process, on every backend: programs, sending with a server key or the sender's
 * token, the public preview, claiming, revoking, the Gifts page and the review queue; every refusal
 * in the one envelope with nothing changed; who may do what; idempotent retries; claim rate limits
 * per customer and per address; a race of claimers; and `verify` clean after every scenario.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { CustomerGifts, Gift, GiftPreview, Program } from "../../sdk/client.js";
import { backends } from "../support/backends.js";
import { HTTP_START_MS, type HttpWorld, openHttpWorld } from "../support/http.js";
import { counter } from "../support/outcomes.js";

const DAY_MS = 86_400_000;
const LONG_AGO = new Date(HTTP_START_MS - 400 * DAY_MS).toISOString();
const YESTERDAY = new Date(HTTP_START_MS - DAY_MS).toISOString();
const PUBLIC_URL = "https://boon.example";
const CODE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$/;
/** A code whose check character matches, that no gift has. */
const UNKNOWN_CODE = "0000-0000-0000-0";

const PRO_GIFTS = {
  status: "live",
  senders: { plans: ["pro"] },
  period: { unit: "month" },
  allowance: 500,
  giftMin: 50,
  giftMax: 300,
  caps: { sentPerPeriod: 3, receivedPerPeriod: 2, claimedEver: 3 },
  recipients: "anyone",
  claimWindow: "14d",
  credits: { expiresAfter: "90d", priority: 5 },
};

/** For newcomers only: an active customer may not claim these. */
const NEWCOMER_GIFTS = { ...PRO_GIFTS, recipients: "new" };

/** Limits high enough that the scenarios never meet them; the rate-limit suite sets its own. */
const GENEROUS = { perSecond: 1000, burst: 10_000 };

type Options = { key?: string | null; headers?: Record<string, string> };
type Failure = { error: { code: string; message: string; requestId: string } };

const keyed = (key: string) => ({ "idempotency-key": key });
const allowanceOf = (gifts: CustomerGifts) => gifts.allowances.find((line) => line.programId === "pro-gifts");
/** The code with its check character changed: a typo the check character catches. */
const typoOf = (code: string) => `${code.slice(0, -1)}${code.endsWith("0") ? "1" : "0"}`;

/** The requests and answers every gift suite needs, over one world. */
function giftClient(world: () => HttpWorld) {
  const name = counter("cus_gift");
  const api = {
    async customer(plan: string | null, extra: Record<string, unknown> = {}): Promise<string> {
      const id = name();
      const response = await world().call("PUT", `/v1/customers/${id}`, {
        body: { plan, signedUpAt: LONG_AGO, ...extra },
      });
      expect(response.status).toBe(200);
      return id;
    },
    async tokenFor(customerId: string): Promise<string> {
      const minted = await world().call("POST", "/v1/customer-tokens", {
        body: { customerId, ttlSeconds: 3600 },
      });
      expect(minted.status).toBe(200);
      return (minted.body as { token: string }).token;
    },
    send(senderId: string, amount: number, extra: Record<string, unknown> = {}, options: Options = {}) {
      const body = { senderId, amount, source: "allowance", programId: "pro-gifts", ...extra };
      return world().call("POST", "/v1/gifts", { body, ...options });
    },
    async sent(senderId: string, amount: number, extra: Record<string, unknown> = {}): Promise<Gift> {
      const response = await api.send(senderId, amount, extra);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body as Gift;
    },
    claim(code: string, customerId: string, extra: Record<string, unknown> = {}, options: Options = {}) {
      const path = `/v1/gifts/${encodeURIComponent(code)}/claim`;
      return world().call("POST", path, { body: { customerId, ...extra }, ...options });
    },
    preview(code: string, options: Options = { key: null }) {
      return world().call("GET", `/v1/gifts/${encodeURIComponent(code)}`, options);
    },
    async available(customerId: string): Promise<number> {
      const response = await world().call("GET", `/v1/customers/${customerId}/balance`);
      expect(response.status).toBe(200);
      return (response.body as { credits: { available: number } }).credits.available;
    },
    async gifts(customerId: string): Promise<CustomerGifts> {
      const response = await world().call("GET", `/v1/customers/${customerId}/gifts`);
      expect(response.status).toBe(200);
      return response.body as CustomerGifts;
    },
    /** What a refusal must leave as it was: the customers' balances and gifts, and every gift and transfer. */
    async state(...customerIds: string[]) {
      const [counts] = await world().store.query<{ gifts: number; transfers: number }>(
        "SELECT (SELECT count(*)::integer FROM gifts) AS gifts, (SELECT count(*)::integer FROM transfers) AS transfers",
      );
      const customers = [];
      for (const id of customerIds)
        customers.push({ id, available: await api.available(id), gifts: await api.gifts(id) });
      return { counts, customers };
    },
  };
  return api;
}

function expectFailure(response: { status: number; body: unknown }, status: number, code: string): void {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.body).toMatchObject({
    error: { code, message: expect.any(String), requestId: expect.stringMatching(/^req_/) },
  });
}

const messageOf = (response: { body: unknown } | undefined): string =>
  (response?.body as Failure | undefined)?.error.message ?? "";

async function expectVerified(world: HttpWorld): Promise<void> {
  const report = await world.engine.verify();
  expect(report.checks.filter((check) => check.violation !== null)).toEqual([]);
}

for (const backend of backends()) {
  describe(`gift routes on ${backend.name}`, () => {
    let world: HttpWorld;
    const api = giftClient(() => world);
    const admin = () => ({ key: world.adminKey });

    beforeAll(async () => {
      world = await openHttpWorld(backend, {
        publicUrl: `${PUBLIC_URL}/`,
        rateLimits: {
          customer: GENEROUS,
          claimCustomer: GENEROUS,
          claimAddress: GENEROUS,
          previewAddress: GENEROUS,
        },
      });
      const created = await world.call("POST", "/v1/programs", {
        body: { id: "pro-gifts", type: "gifting", terms: PRO_GIFTS },
        ...admin(),
      });
      expect(created.status).toBe(200);
    });
    afterAll(async () => {
      await world.close();
      await backend.cleanup();
    });
    afterEach(async () => {
      await expectVerified(world);
    });

    describe("happy paths", () => {
      it("creates, patches, lists and reads programs as versions", async () => {
        const terms = { ...PRO_GIFTS, status: "draft" };
        const first = await world.call("POST", "/v1/programs", {
          body: { id: "spring", type: "gifting", terms },
          ...admin(),
        });
        expect(first.status).toBe(200);
        expect(first.body).toMatchObject({
          id: "spring",
          type: "gifting",
          version: 1,
          created: true,
          createdAt: new Date(HTTP_START_MS).toISOString(),
          terms: { ...terms, newWithinDays: 30, lapsedAfterDays: 62, visibleTo: [] },
        });
        const again = await world.call("POST", "/v1/programs", {
          body: { id: "spring", type: "gifting", terms },
          ...admin(),
        });
        expect(again.body).toMatchObject({ version: 1, created: false });
        // A merge patch: objects merge, null removes a field (its default applies), the rest stays.
        const patched = await world.app.request("/v1/programs/spring", {
          method: "PATCH",
          headers: {
            authorization: `Bearer ${world.adminKey}`,
            "content-type": "application/merge-patch+json",
          },
          body: JSON.stringify({ giftMax: 250, caps: { sentPerPeriod: 5 }, newWithinDays: null }),
        });
        expect(patched.status).toBe(200);
        const v2 = (await patched.json()) as Program & { created: boolean };
        expect(v2).toMatchObject({ version: 2, created: true });
        expect(v2.terms).toMatchObject({
          giftMax: 250,
          giftMin: 50,
          caps: { sentPerPeriod: 5, receivedPerPeriod: 2, claimedEver: 3 },
          newWithinDays: 30,
        });
        const ended = await world.call("PATCH", "/v1/programs/spring", {
          body: { status: "ended" },
          ...admin(),
        });
        expect(ended.body).toMatchObject({ version: 3, terms: { status: "ended", giftMax: 250 } });
        const one = await world.call("GET", "/v1/programs/spring", admin());
        expect(one.status).toBe(200);
        expect(one.body).toEqual({ ...(ended.body as object), created: undefined });
        const list = await world.call("GET", "/v1/programs", admin());
        expect(list.status).toBe(200);
        const programs = (list.body as { data: Program[] }).data;
        expect(programs.map((program) => [program.id, program.version])).toEqual(
          expect.arrayContaining([
            ["pro-gifts", 1],
            ["spring", 3],
          ]),
        );
      });

      it("sends with a server key: a code, a link on the public URL, an expiry and the message as written", async () => {
        const sender = await api.customer("pro", { displayName: "Ada" });
        const before = await api.gifts(sender);
        const response = await api.send(sender, 200, { message: "build something <b>great</b> & ship" });
        expect(response.status).toBe(200);
        const gift = response.body as Gift;
        expect(gift).toMatchObject({
          id: expect.stringMatching(/^gft_/),
          programId: "pro-gifts",
          senderId: sender,
          source: "allowance",
          amount: 200,
          status: "pending",
          message: "build something <b>great</b> & ship",
          expiresAt: new Date(HTTP_START_MS + 14 * DAY_MS).toISOString(),
          recipientId: null,
          lotId: null,
        });
        expect(gift.code).toMatch(CODE_PATTERN);
        expect(gift.url).toMatch(/^https:\/\/boon\.example\/gift\/[A-Za-z0-9_-]{22}$/);
        // Engine names never leak onto the wire, nor the secret apart from the link.
        expect(Object.keys(gift).filter((key) => /Minor$|AtMs$|^secret$/.test(key))).toEqual([]);
        const after = await api.gifts(sender);
        expect(after.sent.map((sent) => sent.id)).toEqual([gift.id, ...before.sent.map((sent) => sent.id)]);
        expect(allowanceOf(after)).toMatchObject({
          allowance: 500,
          used: 200,
          left: 300,
          sentCount: 1,
        });
      });

      it("sends with the sender's own customer token", async () => {
        const sender = await api.customer("pro");
        const token = await api.tokenFor(sender);
        const response = await api.send(sender, 100, {}, { key: token });
        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({ senderId: sender, amount: 100, status: "pending" });
        expect((await api.gifts(sender)).sent).toHaveLength(1);
      });

      it("previews a gift without a key, by code in any spelling or by link secret", async () => {
        const sender = await api.customer("pro", { displayName: "Ada" });
        const gift = await api.sent(sender, 150, { message: "<script>alert(1)</script>" });
        const expected: GiftPreview = {
          amount: 150,
          senderName: "Ada",
          message: "<script>alert(1)</script>",
          status: "pending",
          expiresAt: new Date(HTTP_START_MS + 14 * DAY_MS).toISOString(),
        };
        const code = gift.code ?? "";
        const secret = (gift.url ?? "").split("/").pop() ?? "";
        for (const handle of [code, code.toLowerCase(), code.replaceAll("-", ""), secret]) {
          const response = await api.preview(handle);
          expect(response.status, handle).toBe(200);
          expect(response.body).toEqual(expected);
        }
        // A key, if sent, is fine too; an unknown one is no worse than none.
        expect((await api.preview(code, { key: world.serverKey })).body).toEqual(expected);
        expect((await api.preview(code, { key: await api.tokenFor(sender) })).body).toEqual(expected);
        expect((await api.preview(code, { key: "boon_ct_x.y" })).body).toEqual(expected);
      });

      it("claims with the recipient's token into a new gifted lot, once", async () => {
        const sender = await api.customer("pro");
        const friend = await api.customer(null);
        const gift = await api.sent(sender, 200);
        const response = await api.claim(gift.code ?? "", friend, {}, { key: await api.tokenFor(friend) });
        expect(response.status).toBe(200);
        const claimed = response.body as Gift;
        expect(claimed).toMatchObject({
          id: gift.id,
          status: "claimed",
          recipientId: friend,
          amount: 200,
          code: null,
          url: null,
          recipientEmail: null,
          lotId: expect.stringMatching(/^lot_/),
          claimedAt: new Date(HTTP_START_MS).toISOString(),
        });
        expect(await api.available(friend)).toBe(200);
        const balance = await world.call("GET", `/v1/customers/${friend}/balance`);
        expect((balance.body as { lots: unknown[] }).lots).toEqual([
          expect.objectContaining({ id: claimed.lotId, kind: "gifted", priority: 5, transferable: false }),
        ]);
        // The recipient's ledger shows the claim by its own kind, one the document lists.
        const ledger = await world.call("GET", `/v1/customers/${friend}/ledger`);
        const [entry] = (ledger.body as { data: { kind: string; amount: number }[] }).data;
        expect(entry).toMatchObject({ kind: "gift_claim", amount: 200 });
        const document = (await world.call("GET", "/openapi.json")).body as {
          components: { schemas: { LedgerEntry: { properties: { kind: { enum: string[] } } } } };
        };
        expect(document.components.schemas.LedgerEntry.properties.kind.enum).toContain("gift_claim");
        expectFailure(await api.preview(gift.code ?? ""), 404, "gift_unavailable");
        const other = await api.customer(null);
        expectFailure(await api.claim(gift.code ?? "", other), 404, "gift_unavailable");
        expect(await api.available(other)).toBe(0);
      });

      it("revokes: the sender's token its own gift, a server key any; the allowance comes back", async () => {
        const sender = await api.customer("pro");
        const mine = await api.sent(sender, 300);
        const theirs = await api.sent(sender, 200);
        expect(allowanceOf(await api.gifts(sender))).toMatchObject({ left: 0 });
        const token = await api.tokenFor(sender);
        const revoked = await world.call("POST", `/v1/gifts/${mine.id}/revoke`, { key: token });
        expect(revoked.status).toBe(200);
        expect(revoked.body).toMatchObject({
          id: mine.id,
          status: "revoked",
          resolvedAt: expect.any(String),
        });
        const byServer = await world.call("POST", `/v1/gifts/${theirs.id}/revoke`);
        expect(byServer.body).toMatchObject({ id: theirs.id, status: "revoked" });
        const gifts = await api.gifts(sender);
        expect(gifts.sent.map((gift) => gift.status)).toEqual(["revoked", "revoked"]);
        expect(allowanceOf(gifts)).toMatchObject({
          used: 0,
          left: 500,
          sentCount: 2,
        });
        expectFailure(await api.preview(mine.code ?? ""), 404, "gift_unavailable");
        // Revoked is final: a second revoke changes nothing.
        const before = await api.state(sender);
        expectFailure(await world.call("POST", `/v1/gifts/${mine.id}/revoke`), 400, "invalid_request");
        expect(await api.state(sender)).toEqual(before);
      });

      it("shows a customer's Gifts page: sent with links, received without, the allowance and gift balance", async () => {
        const sender = await api.customer("pro");
        const friend = await api.customer(null);
        const gift = await api.sent(sender, 120, { recipientEmail: "friend@example.com" });
        expect((await api.claim(gift.code ?? "", friend)).status).toBe(200);
        const token = await api.tokenFor(friend);
        const page = await world.call("GET", `/v1/customers/${friend}/gifts`, { key: token });
        expect(page.status).toBe(200);
        expect(page.body).toMatchObject({
          customerId: friend,
          sent: [],
          received: [{ id: gift.id, status: "claimed", code: null, url: null, recipientEmail: null }],
          giftBalance: 0,
        });
        const senderPage = await api.gifts(sender);
        expect(senderPage.sent).toEqual([
          expect.objectContaining({
            id: gift.id,
            code: gift.code,
            url: gift.url,
            recipientEmail: "friend@example.com",
            recipientId: friend,
          }),
        ]);
        expect(senderPage.allowances).toContainEqual({
          programId: "pro-gifts",
          allowance: 500,
          used: 120,
          left: 380,
          sentCount: 1,
          sentPerPeriod: 3,
          periodEndsAt: new Date(Date.UTC(2026, 6, 1)).toISOString(),
        });
        const limited = await world.call("GET", `/v1/customers/${sender}/gifts?limit=0`);
        expectFailure(limited, 400, "invalid_request");
      });

      it("holds a look-alike claim for review, lists it for an admin, and settles it both ways", async () => {
        const sender = await api.customer("pro");
        const twin = await api.customer(null);
        const approved = await api.sent(sender, 100, { signals: { device: "dev-1" } });
        const held = await api.claim(approved.code ?? "", twin, { signals: { device: "dev-1" } });
        expect(held.body).toMatchObject({
          status: "review",
          reviewReason: expect.stringContaining("device"),
        });
        expect(await api.available(twin)).toBe(0);
        // The claimer is not told which signal matched.
        const rejected = await api.sent(sender, 100, { signals: { address: "ip-1" } });
        const token = await api.tokenFor(twin);
        const heldForToken = await api.claim(
          rejected.code ?? "",
          twin,
          { signals: { address: "ip-1" } },
          { key: token },
        );
        expect(heldForToken.body).toMatchObject({ status: "review", reviewReason: null });
        const queue = await world.call("GET", "/v1/gifts/review", admin());
        expect(queue.status).toBe(200);
        const inReview = (queue.body as { data: Gift[] }).data;
        expect(inReview.map((gift) => gift.id)).toEqual(expect.arrayContaining([approved.id, rejected.id]));
        expect(inReview.find((gift) => gift.id === approved.id)?.reviewReason).toContain("device");
        const approve = await world.call("POST", `/v1/gifts/${approved.id}/review`, {
          body: { decision: "approve" },
          ...admin(),
        });
        expect(approve.body).toMatchObject({ status: "claimed", lotId: expect.stringMatching(/^lot_/) });
        expect(await api.available(twin)).toBe(100);
        const reject = await world.call("POST", `/v1/gifts/${rejected.id}/review`, {
          body: { decision: "reject" },
          ...admin(),
        });
        expect(reject.body).toMatchObject({ status: "revoked" });
        expect(await api.available(twin)).toBe(100);
        const after = await world.call("GET", "/v1/gifts/review?limit=100", admin());
        const ids = (after.body as { data: Gift[] }).data.map((gift) => gift.id);
        expect(ids).not.toContain(approved.id);
        expect(ids).not.toContain(rejected.id);
        // Settled is final.
        const before = await api.state(sender, twin);
        const again = await world.call("POST", `/v1/gifts/${approved.id}/review`, {
          body: { decision: "reject" },
          ...admin(),
        });
        expectFailure(again, 400, "invalid_request");
        expect(await api.state(sender, twin)).toEqual(before);
      });
    });

    describe("errors, each changing nothing", () => {
      it("refuses amounts outside the program's bounds and malformed amounts", async () => {
        const sender = await api.customer("pro");
        const before = await api.state(sender);
        for (const amount of [49, 301, 0, -50, 1.5]) {
          const response = await api.send(sender, amount);
          expectFailure(response, 400, "invalid_request");
        }
        expect((await api.send(sender, 301)).body).toMatchObject({
          error: { message: expect.stringContaining("50 to 300") },
        });
        expectFailure(await api.send(sender, "100" as unknown as number), 400, "invalid_request");
        expect(await api.state(sender)).toEqual(before);
      });

      it("refuses purchased credits with not_transferable, and unknown sources", async () => {
        const sender = await api.customer("pro");
        const before = await api.state(sender);
        expectFailure(await api.send(sender, 100, { source: "purchased" }), 422, "not_transferable");
        expectFailure(await api.send(sender, 100, { source: "wallet" }), 422, "not_transferable");
        expectFailure(await api.send(sender, 100, { source: "bogus" }), 400, "invalid_request");
        expect(await api.state(sender)).toEqual(before);
      });

      it("refuses more than the allowance left, past the gifts per period, and senders off the program", async () => {
        const sender = await api.customer("pro");
        const free = await api.customer("free");
        await api.sent(sender, 300);
        let before = await api.state(sender, free);
        expectFailure(await api.send(sender, 201), 402, "insufficient_credits");
        expectFailure(await api.send(sender, 100, { source: "gift_balance" }), 402, "insufficient_credits");
        expectFailure(await api.send(free, 100), 403, "not_eligible");
        expectFailure(await api.send(sender, 100, { programId: "nope" }), 404, "not_found");
        expectFailure(await api.send("cus_nobody", 100), 404, "not_found");
        expect(await api.state(sender, free)).toEqual(before);
        await api.sent(sender, 100);
        await api.sent(sender, 100);
        before = await api.state(sender);
        expectFailure(await api.send(sender, 50), 409, "cap_exceeded");
        expect(await api.state(sender)).toEqual(before);
      });

      it("refuses an over-long message and a bad recipient email", async () => {
        const sender = await api.customer("pro");
        const before = await api.state(sender);
        expectFailure(await api.send(sender, 100, { message: "x".repeat(281) }), 400, "invalid_request");
        expectFailure(
          await api.send(sender, 100, { recipientEmail: "not an email" }),
          400,
          "invalid_request",
        );
        expectFailure(await api.send(sender, 100, { signals: { device: "" } }), 400, "invalid_request");
        expect(await api.state(sender)).toEqual(before);
        expect((await api.send(sender, 100, { message: "x".repeat(280) })).status).toBe(200);
      });

      it("tells a mistyped code apart (400) from every code that can't be claimed (404)", async () => {
        const sender = await api.customer("pro");
        const friend = await api.customer(null);
        const gift = await api.sent(sender, 100);
        const before = await api.state(sender, friend);
        const typo = typoOf(gift.code ?? "");
        expectFailure(await api.claim(typo, friend), 400, "invalid_request");
        expectFailure(await api.preview(typo), 400, "invalid_request");
        for (const handle of [UNKNOWN_CODE, "x", "AAAAAAAAAAAAAAAAAAAAAA"]) {
          expectFailure(await api.claim(handle, friend), 404, "gift_unavailable");
          expectFailure(await api.preview(handle), 404, "gift_unavailable");
        }
        expectFailure(await api.preview("A".repeat(65)), 400, "invalid_request");
        expect(await api.state(sender, friend)).toEqual(before);
      });

      it("refuses a self-claim, an ineligible recipient and a capped recipient", async () => {
        const newcomers = await world.call("POST", "/v1/programs", {
          body: { id: "newcomers", type: "gifting", terms: NEWCOMER_GIFTS },
          ...admin(),
        });
        expect(newcomers.status).toBe(200);
        const sender = await api.customer("pro");
        const active = await api.customer(null, { lastActiveAt: YESTERDAY });
        const gift = await api.sent(sender, 100);
        const forNewcomers = await api.sent(sender, 100, { programId: "newcomers" });
        let before = await api.state(sender, active);
        expectFailure(await api.claim(gift.code ?? "", sender), 403, "gift_self_claim");
        expectFailure(await api.claim(forNewcomers.code ?? "", active), 403, "not_eligible");
        expect(await api.state(sender, active)).toEqual(before);
        // A newcomer may claim it.
        const newcomer = await api.customer(null, { signedUpAt: YESTERDAY });
        expect((await api.claim(forNewcomers.code ?? "", newcomer)).body).toMatchObject({
          status: "claimed",
        });
        // Two gifts of a program per month per recipient.
        const friend = await api.customer(null);
        const senders = [sender, await api.customer("pro"), await api.customer("pro")];
        const gifts = [gift, await api.sent(senders[1] ?? "", 50), await api.sent(senders[2] ?? "", 50)];
        for (const claimed of gifts.slice(0, 2))
          expect((await api.claim(claimed.code ?? "", friend)).status).toBe(200);
        before = await api.state(friend, ...senders);
        expectFailure(await api.claim(gifts[2]?.code ?? "", friend), 409, "cap_exceeded");
        expect(await api.state(friend, ...senders)).toEqual(before);
      });

      it("answers 404 to a revoke of someone else's gift, as to an unknown one", async () => {
        const sender = await api.customer("pro");
        const other = await api.customer("pro");
        const gift = await api.sent(sender, 100);
        const before = await api.state(sender, other);
        const token = await api.tokenFor(other);
        const theirs = await world.call("POST", `/v1/gifts/${gift.id}/revoke`, { key: token });
        const unknown = await world.call("POST", "/v1/gifts/gft_00000000000000000000000000000000/revoke", {
          key: token,
        });
        expectFailure(theirs, 404, "not_found");
        expectFailure(unknown, 404, "not_found");
        expect(messageOf(theirs)).not.toContain(sender);
        expect(await api.state(sender, other)).toEqual(before);
      });

      it("refuses unknown fields and malformed bodies on every gift write", async () => {
        const sender = await api.customer("pro");
        const friend = await api.customer(null);
        const gift = await api.sent(sender, 100);
        const before = await api.state(sender, friend);
        const code = encodeURIComponent(gift.code ?? "");
        const refusals = [
          await api.send(sender, 100, { colour: "red" }),
          await api.send(sender, 100, { signals: { device: "d", colour: "red" } }),
          await world.call("POST", "/v1/gifts", { body: { senderId: sender, amount: 100 } }),
          await world.call("POST", `/v1/gifts/${code}/claim`, {
            body: { customerId: friend, colour: "red" },
          }),
          await world.call("POST", `/v1/gifts/${code}/claim`, { body: "{not json" }),
          await world.call("POST", `/v1/gifts/${gift.id}/review`, {
            body: { decision: "maybe" },
            ...admin(),
          }),
          await world.call("POST", "/v1/programs", {
            body: { id: "x", type: "referral", terms: PRO_GIFTS },
            ...admin(),
          }),
          await world.call("POST", "/v1/programs", {
            body: { id: "x", type: "gifting", terms: PRO_GIFTS, colour: "red" },
            ...admin(),
          }),
          await world.call("POST", "/v1/programs", {
            body: { id: "x", type: "gifting", terms: { ...PRO_GIFTS, colour: "red" } },
            ...admin(),
          }),
          await world.call("POST", "/v1/programs", {
            body: { id: "Not An Id", type: "gifting", terms: PRO_GIFTS },
            ...admin(),
          }),
          await world.call("PATCH", "/v1/programs/pro-gifts", { body: [1, 2], ...admin() }),
          await world.call("PATCH", "/v1/programs/pro-gifts", { body: { giftMin: 400 }, ...admin() }),
        ];
        for (const response of refusals) expectFailure(response, 400, "invalid_request");
        expect(messageOf(refusals[0])).toContain("colour");
        expect(messageOf(refusals[11])).toContain("giftMax");
        expectFailure(
          await world.call("PATCH", "/v1/programs/nope", { body: { status: "live" }, ...admin() }),
          404,
          "not_found",
        );
        expect(await api.state(sender, friend)).toEqual(before);
        const program = await world.call("GET", "/v1/programs/pro-gifts", admin());
        expect(program.body).toMatchObject({ version: 1 });
      });
    });

    describe("security", () => {
      it("keeps a customer token to its own customer's gifts", async () => {
        const ann = await api.customer("pro");
        const bob = await api.customer("pro");
        const gift = await api.sent(ann, 100);
        const bobToken = await api.tokenFor(bob);
        const before = await api.state(ann, bob);
        // Send from another's allowance, claim into another's wallet, revoke another's gift.
        expectFailure(await api.send(ann, 100, {}, { key: bobToken }), 403, "forbidden");
        expectFailure(await api.claim(gift.code ?? "", ann, {}, { key: bobToken }), 403, "forbidden");
        expectFailure(
          await world.call("POST", `/v1/gifts/${gift.id}/revoke`, { key: bobToken }),
          404,
          "not_found",
        );
        expectFailure(
          await world.call("GET", `/v1/customers/${ann}/gifts`, { key: bobToken }),
          403,
          "forbidden",
        );
        // Nor any operator's route.
        expectFailure(await world.call("GET", "/v1/gifts/review", { key: bobToken }), 403, "forbidden");
        expectFailure(await world.call("GET", "/v1/programs", { key: bobToken }), 403, "forbidden");
        expectFailure(
          await world.call("POST", `/v1/gifts/${gift.id}/review`, {
            body: { decision: "reject" },
            key: bobToken,
          }),
          403,
          "forbidden",
        );
        expect(await api.state(ann, bob)).toEqual(before);
      });

      it("keeps programs and the review queue to admin keys", async () => {
        const before = await api.state();
        const server = { key: world.serverKey };
        const body = { id: "sneaky", type: "gifting", terms: PRO_GIFTS };
        expectFailure(await world.call("POST", "/v1/programs", { body, ...server }), 403, "forbidden");
        expectFailure(
          await world.call("PATCH", "/v1/programs/pro-gifts", { body: { allowance: 10 ** 9 }, ...server }),
          403,
          "forbidden",
        );
        expectFailure(await world.call("GET", "/v1/programs/pro-gifts", server), 403, "forbidden");
        expectFailure(await world.call("GET", "/v1/gifts/review", server), 403, "forbidden");
        expectFailure(await world.call("GET", "/v1/gifts/review", { key: null }), 401, "unauthorized");
        expect(await api.state()).toEqual(before);
        expectFailure(await world.call("GET", "/v1/programs/sneaky", admin()), 404, "not_found");
      });
    });

    describe("idempotency", () => {
      it("replays a retried send with its code, and refuses the key with another body", async () => {
        const sender = await api.customer("pro");
        const first = await api.send(sender, 60, {}, { headers: keyed("send-once") });
        expect(first.status).toBe(200);
        const again = await api.send(sender, 60, {}, { headers: keyed("send-once") });
        expect(again.status).toBe(200);
        expect(again.body).toEqual(first.body);
        const before = await api.state(sender);
        expectFailure(
          await api.send(sender, 70, {}, { headers: keyed("send-once") }),
          409,
          "idempotency_conflict",
        );
        expect(await api.state(sender)).toEqual(before);
        expect(before.customers[0]?.gifts.sent).toHaveLength(1);
        // A token's keys are its customer's own: the same key from the sender's token is a new send.
        const token = await api.tokenFor(sender);
        const fromToken = await api.send(sender, 60, {}, { key: token, headers: keyed("send-once") });
        expect((fromToken.body as Gift).id).not.toBe((first.body as Gift).id);
        const retried = await api.send(sender, 60, {}, { key: token, headers: keyed("send-once") });
        expect(retried.body).toEqual(fromToken.body);
      });

      it("replays a retried claim and revoke without moving value twice", async () => {
        const sender = await api.customer("pro");
        const friend = await api.customer(null);
        const gift = await api.sent(sender, 80);
        const claim = () => api.claim(gift.code ?? "", friend, {}, { headers: keyed("claim-once") });
        const first = await claim();
        expect(first.status).toBe(200);
        expect((await claim()).body).toEqual(first.body);
        expect(await api.available(friend)).toBe(80);
        const other = await api.sent(sender, 80);
        const revoke = () =>
          world.call("POST", `/v1/gifts/${other.id}/revoke`, { headers: keyed("revoke-once") });
        const revoked = await revoke();
        expect(revoked.status).toBe(200);
        expect((await revoke()).body).toEqual(revoked.body);
        expect(allowanceOf(await api.gifts(sender))).toMatchObject({ used: 80, left: 420 });
      });

      it("replays a program created with a key, and refuses the key with other terms", async () => {
        const body = { id: "keyed", type: "gifting", terms: PRO_GIFTS };
        const first = await world.call("POST", "/v1/programs", { body, ...admin(), headers: keyed("prg-1") });
        expect(first.body).toMatchObject({ version: 1, created: true });
        const again = await world.call("POST", "/v1/programs", { body, ...admin(), headers: keyed("prg-1") });
        expect(again.body).toEqual(first.body);
        const other = { ...body, terms: { ...PRO_GIFTS, giftMax: 200 } };
        const conflict = await world.call("POST", "/v1/programs", {
          body: other,
          ...admin(),
          headers: keyed("prg-1"),
        });
        expectFailure(conflict, 409, "idempotency_conflict");
        expect((await world.call("GET", "/v1/programs/keyed", admin())).body).toMatchObject({ version: 1 });
      });

      // The idempotency record is keyed on the patch, and the merge runs inside it: a retry replays the
      // first answer even when another change came between.
      it("replays a retried PATCH even after another change came between", async () => {
        const body = { id: "patched", type: "gifting", terms: { ...PRO_GIFTS, status: "draft" } };
        expect((await world.call("POST", "/v1/programs", { body, ...admin() })).status).toBe(200);
        const patch = (terms: object, key: string) =>
          world.call("PATCH", "/v1/programs/patched", { body: terms, ...admin(), headers: keyed(key) });
        const first = await patch({ giftMax: 250 }, "patch-1");
        expect(first.body).toMatchObject({ version: 2 });
        expect((await patch({ allowance: 600 }, "patch-2")).body).toMatchObject({ version: 3 });
        const retry = await patch({ giftMax: 250 }, "patch-1");
        expect(retry.status).toBe(200);
        expect(retry.body).toEqual(first.body);
      });
    });

    it("lets exactly one of a hundred concurrent claimers have a code", async () => {
      const sender = await api.customer("pro");
      const gift = await api.sent(sender, 100);
      const claimers = await Promise.all(Array.from({ length: 100 }, () => api.customer(null)));
      const responses = await Promise.all(claimers.map((id) => api.claim(gift.code ?? "", id)));
      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      for (const response of responses.filter((candidate) => candidate.status !== 200))
        expectFailure(response, 404, "gift_unavailable");
      const winner = (responses.find((response) => response.status === 200)?.body as Gift | undefined)
        ?.recipientId;
      const balances = await Promise.all(claimers.map((id) => api.available(id)));
      expect(balances.reduce((sum, value) => sum + value, 0)).toBe(100);
      expect(await api.available(winner ?? "")).toBe(100);
      expect((await api.gifts(sender)).sent).toEqual([expect.objectContaining({ status: "claimed" })]);
    });
  });

  describe(`gift claim rate limits on ${backend.name}`, () => {
    let world: HttpWorld;
    const api = giftClient(() => world);
    const MINUTE_MS = 60_000;

    beforeAll(async () => {
      world = await openHttpWorld(backend, {
        rateLimits: {
          claimCustomer: { perSecond: 2 / 60, burst: 2 },
          claimAddress: { perSecond: 4 / 60, burst: 4 },
          previewAddress: { perSecond: 3 / 60, burst: 3 },
        },
      });
      await world.call("POST", "/v1/programs", {
        body: { id: "pro-gifts", type: "gifting", terms: PRO_GIFTS },
        key: world.adminKey,
      });
    });
    afterAll(async () => {
      await world.close();
      await backend.cleanup();
    });
    afterEach(async () => {
      await expectVerified(world);
      // Every bucket full again for the next scenario.
      world.clock.advanceMs(MINUTE_MS);
    });

    function expectLimited(response: { status: number; body: unknown; headers: Headers }): void {
      expectFailure(response, 429, "rate_limited");
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    }

    it("limits claim attempts per customer, whoever calls, and refills with time", async () => {
      const sender = await api.customer("pro");
      const ann = await api.customer(null);
      const bob = await api.customer(null);
      const gift = await api.sent(sender, 100);
      expect(gift.url).toMatch(/^http:\/\/localhost:8787\/gift\/[A-Za-z0-9_-]{22}$/);
      expectFailure(await api.claim(UNKNOWN_CODE, ann), 404, "gift_unavailable");
      expectFailure(await api.claim(typoOf(gift.code ?? ""), ann), 400, "invalid_request");
      const before = await api.state(sender, ann);
      // Even the right code: the attempts are spent.
      const limited = await api.claim(gift.code ?? "", ann);
      expectLimited(limited);
      expect(Number(limited.headers.get("retry-after"))).toBe(30);
      expectLimited(await api.claim(gift.code ?? "", ann, {}, { key: await api.tokenFor(ann) }));
      expect(await api.state(sender, ann)).toEqual(before);
      // Another customer is not held back by Ann's attempts.
      expectFailure(await api.claim(UNKNOWN_CODE, bob), 404, "gift_unavailable");
      world.clock.advanceMs(30_000);
      expect((await api.claim(gift.code ?? "", ann)).body).toMatchObject({ status: "claimed" });
    });

    it("limits claim attempts per client address across customers", async () => {
      const sender = await api.customer("pro");
      const gift = await api.sent(sender, 100);
      const claimers = [];
      for (let i = 0; i < 5; i += 1) {
        const id = await api.customer(null);
        claimers.push({ id, token: await api.tokenFor(id) });
      }
      // Through customer tokens: every in-process request shares one peer address.
      for (const { id, token } of claimers.slice(0, 4))
        expectFailure(await api.claim(UNKNOWN_CODE, id, {}, { key: token }), 404, "gift_unavailable");
      const last = claimers[4] ?? { id: "", token: "" };
      const before = await api.state(sender, last.id);
      expectLimited(await api.claim(gift.code ?? "", last.id, {}, { key: last.token }));
      expect(await api.state(sender, last.id)).toEqual(before);
      // A server key's connection is the host's backend: the address it reports is what counts.
      const reported = (address: string, id: string) => api.claim(UNKNOWN_CODE, id, { signals: { address } });
      for (const { id } of claimers.slice(0, 4)) expect((await reported("ip-a", id)).status).toBe(404);
      expectLimited(await reported("ip-a", last.id));
      expect((await reported("ip-b", last.id)).status).toBe(404);
      // Without a reported address, only the customer's own limit applies to a server key.
      expect((await api.claim(gift.code ?? "", last.id)).body).toMatchObject({ status: "claimed" });
    });

    it("limits anonymous previews per client address, but not a server key's", async () => {
      for (let i = 0; i < 3; i += 1) expectFailure(await api.preview(UNKNOWN_CODE), 404, "gift_unavailable");
      expectLimited(await api.preview(UNKNOWN_CODE));
      expectFailure(await api.preview(UNKNOWN_CODE, { key: world.serverKey }), 404, "gift_unavailable");
    });

    it("counts a real connection's peer address", async () => {
      const sender = await api.customer("pro");
      const gift = await api.sent(sender, 100);
      const claimer = await api.customer(null);
      const token = await api.tokenFor(claimer);
      // In process, the address bucket is spent; over a socket, the peer is 127.0.0.1 with its own.
      for (let i = 0; i < 4; i += 1) await api.preview(UNKNOWN_CODE);
      let baseUrl = "";
      const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
        const started = serve(
          { fetch: world.app.fetch, port: 0, hostname: "127.0.0.1" },
          (info: AddressInfo) => {
            baseUrl = `http://127.0.0.1:${info.port}`;
            resolve(started);
          },
        );
      });
      try {
        const preview = (handle: string) => fetch(`${baseUrl}/v1/gifts/${handle}`);
        expect((await preview(gift.code ?? "")).status).toBe(200);
        expect((await preview(UNKNOWN_CODE)).status).toBe(404);
        expect((await preview(UNKNOWN_CODE)).status).toBe(404);
        const limited = await preview(UNKNOWN_CODE);
        expect(limited.status).toBe(429);
        expect(limited.headers.get("retry-after")).not.toBeNull();
        const claimed = await fetch(`${baseUrl}/v1/gifts/${gift.code ?? ""}/claim`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ customerId: claimer }),
        });
        expect(claimed.status).toBe(200);
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });
  });
}
