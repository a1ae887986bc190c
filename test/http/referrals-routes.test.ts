/**
 * Referral programs over HTTP in process, on every backend: the reference pilot (Plus and Pro
 * customers invite up to three friends idle for 62 days; a first message banks one reset for each
 * side) before, during and after its window with the injected clock; a program qualified by a product
 * event through `POST /v1/events`; the review queue; reversals; stats; every refusal the issue names
 * in the one envelope with nothing changed; who may do what; idempotent retries; the preview's rate
 * limit; and `verify` clean after every scenario.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type {
  CustomerReferrals,
  Invite,
  InvitePreview,
  Program,
  Referral,
  ReferralReward,
  ReferralStats,
} from "../../sdk/client.js";
import { backends } from "../support/backends.js";
import { type HttpWorld, openHttpWorld } from "../support/http.js";
import { counter } from "../support/outcomes.js";

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const JUNE_10_NOON_MS = Date.UTC(2026, 5, 10, 12);
const JUNE_12_MS = Date.UTC(2026, 5, 12, 9);
const JUNE_20_MS = Date.UTC(2026, 5, 20, 9);
const JUNE_25_MS = Date.UTC(2026, 5, 25, 0);
const PUBLIC_URL = "https://boon.example";
const CODE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$/;
/** A code whose check character matches, that no invite has. */
const UNKNOWN_CODE = "0000-0000-0000-0";

/** The reference pilot, exactly as the issue states it. */
const PILOT = {
  status: "live",
  window: { opensAt: "2026-06-11T00:00:00Z", closesAt: "2026-06-25T00:00:00Z" },
  audience: { plans: ["plus", "pro"] },
  invites: { perReferrer: 3 },
  invitees: { eligibility: "lapsed", lapsedAfterDays: 62 },
  qualifyingEvent: { firstUsage: { action: "message" } },
  rewards: {
    referrer: { type: "reset", expiresAfter: "30d" },
    invitee: { type: "reset", expiresAfter: "30d" },
  },
};

/** Qualified by a product event; credits for the referrer, a reset for the invitee. */
const FIRST_MESSAGE = {
  status: "live",
  invitees: { eligibility: "anyone" },
  qualifyingEvent: { event: "first_message" },
  rewards: {
    referrer: { type: "credits", amount: 300, expiresAfter: "90d", priority: 20 },
    invitee: { type: "reset" },
  },
};

const REVIEWED = {
  status: "live",
  invitees: { eligibility: "anyone" },
  qualifyingEvent: { event: "first_message" },
  rewards: { invitee: { type: "reset" } },
};

const GIFTING = {
  status: "live",
  allowance: 500,
  giftMin: 50,
  giftMax: 300,
  claimWindow: "14d",
};

const PLAN = {
  meters: { messages: [{ window: "5h", kind: "fixed", duration: "5h", allowance: 50 }] },
  actions: { message: { costs: { messages: 1 }, creditPriceMinor: 10 } },
};

/** Limits high enough that the scenarios never meet them; the rate-limit suite sets its own. */
const GENEROUS = { perSecond: 1000, burst: 10_000 };

type Options = { key?: string | null; headers?: Record<string, string> };
type Response = { status: number; body: unknown; headers: Headers };
type Failure = { error: { code: string; message: string; requestId: string } };

const keyed = (key: string) => ({ "idempotency-key": key });
/** The code with its check character changed: a typo the check character catches. */
const typoOf = (code: string) => `${code.slice(0, -1)}${code.endsWith("0") ? "1" : "0"}`;
const iso = (ms: number) => new Date(ms).toISOString();

function expectFailure(response: Response, status: number, code: string): void {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.body).toMatchObject({
    error: { code, message: expect.any(String), requestId: expect.stringMatching(/^req_/) },
  });
}

const messageOf = (response: Response | undefined): string =>
  (response?.body as Failure | undefined)?.error.message ?? "";

async function expectVerified(world: HttpWorld): Promise<void> {
  const report = await world.engine.verify();
  expect(report.checks.filter((check) => check.violation !== null)).toEqual([]);
}

/** The requests and answers every referral suite needs, over one world. */
function referralClient(world: () => HttpWorld) {
  const name = counter("cus_ref");
  const admin = () => ({ key: world().adminKey });
  const api = {
    /** A customer on a plan, signed up a year ago, last active `idleDays` ago. */
    async customer(plan: string | null, idleDays: number, extra: Record<string, unknown> = {}) {
      const id = name();
      const nowMs = world().clock.nowMs();
      const response = await world().call("PUT", `/v1/customers/${id}`, {
        body: {
          plan,
          signedUpAt: iso(nowMs - 365 * DAY_MS),
          lastActiveAt: iso(nowMs - idleDays * DAY_MS),
          ...extra,
        },
      });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return id;
    },
    async tokenFor(customerId: string): Promise<string> {
      const minted = await world().call("POST", "/v1/customer-tokens", {
        body: { customerId, ttlSeconds: 3600 },
      });
      expect(minted.status).toBe(200);
      return (minted.body as { token: string }).token;
    },
    saveProgram(id: string, terms: object, options: Options = admin()) {
      return world().call("POST", "/v1/programs", { body: { id, type: "referral", terms }, ...options });
    },
    invite(
      programId: string,
      referrerId: string,
      extra: Record<string, unknown> = {},
      options: Options = {},
    ) {
      const body = { referrerId, ...extra };
      return world().call("POST", `/v1/programs/${programId}/invites`, { body, ...options });
    },
    async invited(
      programId: string,
      referrerId: string,
      extra: Record<string, unknown> = {},
    ): Promise<Invite> {
      const response = await api.invite(programId, referrerId, extra);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body as Invite;
    },
    preview(handle: string, options: Options = { key: null }) {
      return world().call("GET", `/v1/invites/${encodeURIComponent(handle)}`, options);
    },
    accept(handle: string, customerId: string, extra: Record<string, unknown> = {}, options: Options = {}) {
      const path = `/v1/invites/${encodeURIComponent(handle)}/accept`;
      return world().call("POST", path, { body: { customerId, ...extra }, ...options });
    },
    async accepted(
      handle: string,
      customerId: string,
      extra: Record<string, unknown> = {},
    ): Promise<Referral> {
      const response = await api.accept(handle, customerId, extra);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body as Referral;
    },
    event(customerId: string, eventName: string, extra: Record<string, unknown> = {}, options: Options = {}) {
      return world().call("POST", "/v1/events", {
        body: { customerId, name: eventName, ...extra },
        ...options,
      });
    },
    async message(customerId: string): Promise<void> {
      const response = await world().call("POST", "/v1/usage", { body: { customerId, action: "message" } });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ allowed: true });
    },
    async resets(customerId: string): Promise<{ available: number; nextExpiresAt: string | null }> {
      const response = await world().call("GET", `/v1/customers/${customerId}/usage`);
      expect(response.status).toBe(200);
      const { available, nextExpiresAt } = (
        response.body as { resets: { available: number; nextExpiresAt: string | null } }
      ).resets;
      return { available, nextExpiresAt };
    },
    async available(customerId: string): Promise<number> {
      const response = await world().call("GET", `/v1/customers/${customerId}/balance`);
      expect(response.status).toBe(200);
      return (response.body as { credits: { available: number } }).credits.available;
    },
    async rewards(customerId: string, options: Options = {}): Promise<readonly ReferralReward[]> {
      const response = await world().call("GET", `/v1/customers/${customerId}/referrals`, options);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return (response.body as CustomerReferrals).rewards;
    },
    async stats(programId: string): Promise<ReferralStats> {
      const response = await world().call("GET", `/v1/programs/${programId}/stats`, admin());
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body as ReferralStats;
    },
    /**
     * What a refusal must leave as it was: every referral row (invites without their open counts,
     * which a preview moves), every program version, the ledger, and the customers' rewards and resets.
     */
    async state(...customerIds: string[]) {
      const [rows] = await world().store.query<Record<string, string | null>>(
        `SELECT
           (SELECT string_agg(id || ':' || program_id || ':' || referrer_id, ',' ORDER BY id) FROM invites) AS invites,
           (SELECT string_agg(id || ':' || state, ',' ORDER BY id) FROM referrals) AS referrals,
           (SELECT string_agg(id || ':' || state, ',' ORDER BY id) FROM referral_rewards) AS rewards,
           (SELECT string_agg(id || ':' || version, ',' ORDER BY id, version) FROM referral_programs) AS programs,
           (SELECT string_agg(id || ':' || version, ',' ORDER BY id, version) FROM gift_programs) AS gifting,
           (SELECT count(*)::text FROM transfers) AS transfers,
           (SELECT count(*)::text FROM reset_tokens) AS resets`,
      );
      const customers = [];
      for (const id of customerIds)
        customers.push({ id, rewards: await api.rewards(id), resets: await api.resets(id) });
      return { rows, customers };
    },
  };
  return api;
}

for (const backend of backends()) {
  describe(`referral routes on ${backend.name}`, () => {
    let world: HttpWorld;
    const api = referralClient(() => world);
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
      for (const plan of ["free", "plus", "pro"]) {
        const saved = await world.call("PUT", `/v1/plans/${plan}`, { body: PLAN, ...admin() });
        expect(saved.status, JSON.stringify(saved.body)).toBe(200);
      }
      world.clock.setMs(JUNE_10_NOON_MS);
      expect((await api.saveProgram("pilot", PILOT)).status).toBe(200);
    });
    afterAll(async () => {
      await world.close();
      await backend.cleanup();
    });
    afterEach(async () => {
      await expectVerified(world);
    });

    describe("the reference pilot, before, during and after its window", () => {
      it("refuses invites before the window opens, changing nothing", async () => {
        world.clock.setMs(JUNE_10_NOON_MS);
        const early = await api.customer("pro", 1);
        const before = await api.state(early);
        expectFailure(await api.invite("pilot", early), 409, "program_closed");
        expect(await api.state(early)).toEqual(before);
      });

      it("runs the pilot: three invites, a lapsed invitee, a first message, one banked reset each for 30 days", async () => {
        world.clock.setMs(JUNE_12_MS);
        const referrer = await api.customer("pro", 1, { displayName: "Ada" });
        const invites = [];
        for (let i = 0; i < 3; i += 1)
          invites.push(await api.invited("pilot", referrer, { email: `friend${i}@example.com` }));
        const [first, second, third] = invites;
        if (first === undefined || second === undefined || third === undefined) throw new Error("no invites");
        expect(first).toMatchObject({
          id: expect.stringMatching(/^inv_/),
          programId: "pilot",
          referrerId: referrer,
          email: "friend0@example.com",
          createdAt: iso(JUNE_12_MS),
        });
        expect(first.code).toMatch(CODE_PATTERN);
        expect(first.url).toMatch(/^https:\/\/boon\.example\/invite\/[A-Za-z0-9_-]{22}$/);
        // Engine names never leak onto the wire, nor the secret apart from the link.
        expect(Object.keys(first).filter((key) => /Minor$|AtMs$|^secret$/.test(key))).toEqual([]);

        // The landing page, without a key, by code in any spelling or by the link's secret.
        const expected: InvitePreview = {
          programId: "pilot",
          referrerName: "Ada",
          rewards: {
            referrer: { type: "reset", windows: null, expiresAfter: "30d" },
            invitee: { type: "reset", windows: null, expiresAfter: "30d" },
          },
          closesAt: "2026-06-25T00:00:00.000Z",
        };
        const secret = first.url.slice(first.url.lastIndexOf("/") + 1);
        for (const handle of [first.code, first.code.toLowerCase().replaceAll("-", ""), secret]) {
          const preview = await api.preview(handle);
          expect(preview.status, JSON.stringify(preview.body)).toBe(200);
          expect(preview.body).toEqual(expected);
        }

        const lapsed = await api.customer("free", 70);
        const referral = await api.accepted(first.code, lapsed);
        expect(referral).toMatchObject({
          id: expect.stringMatching(/^ref_/),
          programId: "pilot",
          programVersion: 1,
          inviteId: first.id,
          referrerId: referrer,
          inviteeId: lapsed,
          state: "accepted",
          segment: "lapsed",
          acceptedAt: iso(JUNE_12_MS),
          qualifiedAt: null,
          reviewReason: null,
        });

        // Nothing until the first message.
        expect((await world.engine.sweep()).referrals).toMatchObject({ qualified: 0, granted: 0 });
        expect(await api.resets(lapsed)).toEqual({ available: 0, nextExpiresAt: null });
        world.clock.advanceMs(HOUR_MS);
        await api.message(lapsed);
        expect((await world.engine.sweep()).referrals).toMatchObject({ qualified: 1, granted: 2 });
        const expiresAt = iso(JUNE_12_MS + HOUR_MS + 30 * DAY_MS);
        for (const side of [referrer, lapsed]) {
          expect(await api.resets(side)).toEqual({ available: 1, nextExpiresAt: expiresAt });
          const rewards = await api.rewards(side);
          expect(rewards).toEqual([
            expect.objectContaining({
              referralId: referral.id,
              programId: "pilot",
              customerId: side,
              side: side === referrer ? "referrer" : "invitee",
              state: "granted",
              kind: "reset",
              amount: null,
              grantedAt: iso(JUNE_12_MS + HOUR_MS),
              resetTokenId: expect.any(String),
              lotId: null,
            }),
          ]);
        }
        // The invitee's own widget reads the same, through its customer token.
        expect(await api.rewards(lapsed, { key: await api.tokenFor(lapsed) })).toEqual(
          await api.rewards(lapsed),
        );
        // The referrer's page lists their invites with their links, and the referral from both sides.
        const mine = (await world.call("GET", `/v1/customers/${referrer}/referrals`)).body as {
          invites: { id: string; url: string; code: string }[];
          referrals: { id: string; inviteeId: string; state: string }[];
        };
        expect(mine.invites).toHaveLength(3);
        expect(mine.invites.map((sent) => sent.url)).toEqual(
          expect.arrayContaining([expect.stringMatching(/\/invite\/[A-Za-z0-9_-]{22}$/)]),
        );
        expect(mine.referrals).toEqual([
          expect.objectContaining({ id: referral.id, inviteeId: lapsed, state: "qualified" }),
        ]);
        const theirs = (await world.call("GET", `/v1/customers/${lapsed}/referrals`)).body as {
          invites: unknown[];
          referrals: { id: string }[];
        };
        expect(theirs.invites).toEqual([]);
        expect(theirs.referrals.map((item) => item.id)).toEqual([referral.id]);

        // Exactly once: more messages and sweeps give nothing more.
        await api.message(lapsed);
        expect((await world.engine.sweep()).referrals).toMatchObject({ qualified: 0, granted: 0 });
        expect((await api.resets(referrer)).available).toBe(1);

        const stats = await api.stats("pilot");
        expect(stats).toMatchObject({
          programId: "pilot",
          phase: "live",
          funnel: { invitesCreated: 3, invitesOpened: 1, accepted: 1, qualified: 1, rewarded: 1 },
          budget: { givenResets: 2, exhausted: false },
        });
        // Weekly cohorts carry their start as an ISO instant, as the document says.
        expect(stats.weeks[0]?.weekStartAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:00:00\.000Z$/);
        expect(stats.weeks[0]).not.toHaveProperty("weekStartMs");
      });

      it("refuses what the issue names, each in the one envelope, changing nothing", async () => {
        world.clock.setMs(JUNE_12_MS + 2 * HOUR_MS);
        const referrer = await api.customer("plus", 1);
        const free = await api.customer("free", 1);
        const active = await api.customer("free", 10);
        const lapsed = await api.customer("free", 90);
        const invites = [];
        for (let i = 0; i < 3; i += 1) invites.push(await api.invited("pilot", referrer));
        const [first, second] = invites;
        if (first === undefined || second === undefined) throw new Error("no invites");
        const before = await api.state(referrer, free, active, lapsed);

        // An ineligible referrer (not on Plus or Pro), and a fourth invite over a cap of three.
        const notEligible = await api.invite("pilot", free);
        expectFailure(notEligible, 403, "not_eligible");
        expect(messageOf(notEligible)).toContain(free);
        const fourth = await api.invite("pilot", referrer);
        expectFailure(fourth, 409, "cap_exceeded");
        expect(messageOf(fourth)).toContain("3 of 3");
        // An invitee who is not new or lapsed, and a self-invite.
        const activeRefused = await api.accept(first.code, active);
        expectFailure(activeRefused, 403, "not_eligible");
        expect(messageOf(activeRefused)).toContain("active");
        expectFailure(await api.accept(second.code, referrer), 403, "referral_self_invite");
        // Codes: unknown, mistyped, over-long; unknown customers and programs.
        expectFailure(await api.accept(UNKNOWN_CODE, lapsed), 404, "not_found");
        expectFailure(await api.accept(typoOf(first.code), lapsed), 400, "invalid_request");
        expectFailure(await api.preview(typoOf(first.code)), 400, "invalid_request");
        expectFailure(await api.preview(UNKNOWN_CODE), 404, "not_found");
        expectFailure(await api.preview("A".repeat(65)), 400, "invalid_request");
        expectFailure(await api.accept(first.code, "cus_nobody"), 404, "not_found");
        expectFailure(await api.invite("pilot", "cus_nobody"), 404, "not_found");
        expectFailure(await api.invite("nope", referrer), 404, "not_found");
        expect(await api.state(referrer, free, active, lapsed)).toEqual(before);

        // The first accepted invite wins: another can't attribute the same invitee.
        const won = await api.accepted(first.code, lapsed);
        const after = await api.state(referrer, lapsed);
        const again = await api.accept(second.code, lapsed);
        expectFailure(again, 403, "not_eligible");
        expect(messageOf(again)).toContain("already referred");
        // Accepting the same invite again answers the same referral.
        expect(await api.accepted(first.code, lapsed)).toEqual(won);
        expect(await api.state(referrer, lapsed)).toEqual(after);
      });

      it("closes by itself when the window ends: no acceptance, invite or preview after", async () => {
        world.clock.setMs(JUNE_20_MS);
        const referrer = await api.customer("plus", 1);
        const late = await api.invited("pilot", referrer);
        world.clock.setMs(JUNE_25_MS);
        const invitee = await api.customer("free", 90);
        const before = await api.state(referrer, invitee);
        const closed = await api.accept(late.code, invitee);
        expectFailure(closed, 409, "program_closed");
        expect(messageOf(closed)).toContain("closed");
        expectFailure(await api.invite("pilot", referrer), 409, "program_closed");
        expectFailure(await api.preview(late.code), 409, "program_closed");
        expect(await api.state(referrer, invitee)).toEqual(before);
        expect((await api.stats("pilot")).phase).toBe("ended");
      });
    });

    describe("programs of both kinds", () => {
      it("creates, lists, reads and patches referral programs beside gifting ones", async () => {
        const created = await api.saveProgram("spring-referrals", { ...FIRST_MESSAGE, status: "draft" });
        expect(created.status, JSON.stringify(created.body)).toBe(200);
        expect(created.body).toMatchObject({
          id: "spring-referrals",
          type: "referral",
          version: 1,
          created: true,
          terms: {
            status: "draft",
            attributionWindow: "30d",
            holdPeriod: "0s",
            qualifyingEvent: { event: "first_message" },
            rewards: { invitee: { type: "reset", windows: null, expiresAfter: "30d" } },
          },
        });
        const again = await api.saveProgram("spring-referrals", { ...FIRST_MESSAGE, status: "draft" });
        expect(again.body).toMatchObject({ version: 1, created: false });
        const gifting = await world.call("POST", "/v1/programs", {
          body: { id: "spring-gifts", type: "gifting", terms: GIFTING },
          ...admin(),
        });
        expect(gifting.status, JSON.stringify(gifting.body)).toBe(200);

        const patched = await world.call("PATCH", "/v1/programs/spring-referrals", {
          body: { status: "live", invites: { perReferrer: 5 } },
          ...admin(),
        });
        expect(patched.status, JSON.stringify(patched.body)).toBe(200);
        expect(patched.body).toMatchObject({
          type: "referral",
          version: 2,
          created: true,
          terms: { status: "live", invites: { perReferrer: 5 }, qualifyingEvent: { event: "first_message" } },
        });
        const giftPatched = await world.call("PATCH", "/v1/programs/spring-gifts", {
          body: { giftMax: 250 },
          ...admin(),
        });
        expect(giftPatched.body).toMatchObject({ type: "gifting", version: 2, terms: { giftMax: 250 } });

        const one = await world.call("GET", "/v1/programs/spring-referrals", admin());
        expect(one.status).toBe(200);
        expect(one.body).toEqual({ ...(patched.body as object), created: undefined });
        const list = await world.call("GET", "/v1/programs", admin());
        expect(list.status).toBe(200);
        const programs = (list.body as { data: Program[] }).data;
        expect(programs.map((program) => [program.id, program.type, program.version])).toEqual(
          expect.arrayContaining([
            ["pilot", "referral", 1],
            ["spring-gifts", "gifting", 2],
            ["spring-referrals", "referral", 2],
          ]),
        );
        const ids = programs.map((program) => program.id);
        expect(ids).toEqual([...ids].sort());
      });

      it("refuses a program whose window ends before it starts, and bad terms, changing nothing", async () => {
        const before = await api.state();
        const backwards = {
          ...PILOT,
          window: { opensAt: "2026-06-24T00:00:00Z", closesAt: "2026-06-11T00:00:00Z" },
        };
        const refusals = [
          await api.saveProgram("backwards", backwards),
          await api.saveProgram("nobody", { ...PILOT, rewards: {} }),
          await api.saveProgram("colour", { ...PILOT, colour: "red" }),
          await api.saveProgram("Not An Id", PILOT),
          await world.call("PATCH", "/v1/programs/pilot", {
            body: { window: { closesAt: "2026-06-01T00:00:00Z" } },
            ...admin(),
          }),
        ];
        for (const response of refusals) expectFailure(response, 400, "invalid_request");
        expect(messageOf(refusals[0])).toContain("window.closesAt");
        expect(messageOf(refusals[2])).toContain("colour");
        expect(messageOf(refusals[3])).toContain("id: must be 1 to 64");
        expect(messageOf(refusals[4])).toContain("window.closesAt");
        expectFailure(await world.call("GET", "/v1/programs/backwards", admin()), 404, "not_found");
        expectFailure(
          await world.call("PATCH", "/v1/programs/nope", { body: { status: "live" }, ...admin() }),
          404,
          "not_found",
        );
        expect(await api.state()).toEqual(before);
        expect((await world.call("GET", "/v1/programs/pilot", admin())).body).toMatchObject({ version: 1 });
      });

      // Ids are one space across kinds, so `PATCH` and `GET` by id name one program.
      it("refuses a referral program with a gifting program's id, and the reverse", async () => {
        const gifting = await world.call("POST", "/v1/programs", {
          body: { id: "twin-gifts", type: "gifting", terms: GIFTING },
          ...admin(),
        });
        expect(gifting.status).toBe(200);
        expectFailure(await api.saveProgram("twin-gifts", FIRST_MESSAGE), 400, "invalid_request");
        expect((await api.saveProgram("twin-referrals", FIRST_MESSAGE)).status).toBe(200);
        const reverse = await world.call("POST", "/v1/programs", {
          body: { id: "twin-referrals", type: "gifting", terms: GIFTING },
          ...admin(),
        });
        expectFailure(reverse, 400, "invalid_request");
        expect(messageOf(reverse)).toContain("twin-referrals");
        const twin = await world.call("GET", "/v1/programs/twin-gifts", admin());
        expect(twin.body).toMatchObject({ type: "gifting", version: 1 });
      });

      // The route refuses a malformed id before the engine sees it; the engine refuses it too, so a
      // caller past the HTTP layer (the CLI) gets `invalid_request` rather than a constraint error.
      it("refuses a malformed referral program id in the engine itself", async () => {
        const saved = await world.engine.referrals.saveProgram("Not An Id", FIRST_MESSAGE);
        expect(saved.ok ? "ok" : saved.error.code).toBe("invalid_request");
      });

      it("has stats for referral programs only", async () => {
        expectFailure(await world.call("GET", "/v1/programs/spring-gifts/stats", admin()), 404, "not_found");
        expectFailure(await world.call("GET", "/v1/programs/nope/stats", admin()), 404, "not_found");
      });
    });

    describe("a program qualified by a product event", () => {
      it("qualifies on POST /v1/events, grants credits and a reset, and reverses the credits", async () => {
        expect((await api.saveProgram("first-message", FIRST_MESSAGE)).status).toBe(200);
        const referrer = await api.customer("pro", 1);
        const invitee = await api.customer("free", 1);
        // The referrer's own widget invites, through its customer token.
        const token = await api.tokenFor(referrer);
        const fromWidget = await api.invite("first-message", referrer, {}, { key: token });
        expect(fromWidget.status, JSON.stringify(fromWidget.body)).toBe(200);
        const invite = fromWidget.body as Invite;
        const referral = await api.accepted(invite.code, invitee);

        // Another event, and another customer's, qualify nothing.
        expect((await api.event(invitee, "other_event")).body).toEqual({ qualified: 0 });
        expect((await api.event(referrer, "first_message")).body).toEqual({ qualified: 0 });
        const qualified = await api.event(invitee, "first_message", { at: iso(world.clock.nowMs()) });
        expect(qualified.status, JSON.stringify(qualified.body)).toBe(200);
        expect(qualified.body).toEqual({ qualified: 1 });
        // Sent again, it changes nothing.
        expect((await api.event(invitee, "first_message")).body).toEqual({ qualified: 0 });
        expect((await world.engine.sweep()).referrals).toMatchObject({ qualified: 0, granted: 2 });

        expect(await api.available(referrer)).toBe(300);
        expect((await api.resets(invitee)).available).toBe(1);
        const [credits] = await api.rewards(referrer);
        expect(credits).toMatchObject({
          referralId: referral.id,
          side: "referrer",
          state: "granted",
          kind: "credits",
          amount: 300,
          lotId: expect.stringMatching(/^lot_/),
          resetTokenId: null,
        });
        expect((await api.stats("first-message")).budget).toMatchObject({
          givenCredits: 300,
          givenResets: 1,
        });

        // Reversed: the unspent credits come back, once.
        const reverse = (reason: string, key: string) =>
          world.call("POST", `/v1/referral-rewards/${credits?.id}/reverse`, {
            body: { reason },
            ...admin(),
            headers: keyed(key),
          });
        const reversed = await reverse("invitee refunded", "reverse-1");
        expect(reversed.status, JSON.stringify(reversed.body)).toBe(200);
        expect(reversed.body).toMatchObject({
          id: credits?.id,
          state: "reversed",
          recovered: 300,
          unrecovered: 0,
          reason: "invitee refunded",
        });
        expect(await api.available(referrer)).toBe(0);
        expect((await reverse("invitee refunded", "reverse-1")).body).toEqual(reversed.body);
        const before = await api.state(referrer, invitee);
        expectFailure(await reverse("something else", "reverse-1"), 409, "idempotency_conflict");
        expectFailure(await reverse("invitee refunded", "reverse-2"), 400, "invalid_request");
        expectFailure(await reverse("", "reverse-3"), 400, "invalid_request");
        expectFailure(
          await world.call("POST", "/v1/referral-rewards/rwd_00000000000000000000000000000000/reverse", {
            body: { reason: "x" },
            ...admin(),
          }),
          404,
          "not_found",
        );
        expect(await api.state(referrer, invitee)).toEqual(before);
        expect((await api.stats("first-message")).funnel).toMatchObject({ rewardsReversed: 1 });
      });

      it("holds a pending reward for review over HTTP, then approves or rejects it", async () => {
        const held = { ...FIRST_MESSAGE, holdPeriod: "1d" };
        expect((await api.saveProgram("held-rewards", held)).status).toBe(200);
        const referrer = await api.customer("pro", 1);
        const invitee = await api.customer("free", 1);
        const invite = (await api.invite("held-rewards", referrer)).body as Invite;
        await api.accepted(invite.code, invitee);
        expect((await api.event(invitee, "first_message")).body).toEqual({ qualified: 1 });
        const [mine] = await api.rewards(referrer);
        const [theirs] = await api.rewards(invitee);
        const review = (rewardId: string | undefined, body: unknown, key = world.adminKey) =>
          world.call("POST", `/v1/referral-rewards/${rewardId}/review`, { body, key });
        const hold = await review(mine?.id, { action: "hold", reason: "check the invitee" });
        expect(hold.status, JSON.stringify(hold.body)).toBe(200);
        expect(hold.body).toMatchObject({ state: "review_required", reason: "check the invitee" });
        expect((await review(theirs?.id, { action: "hold" })).status).toBe(200);
        expectFailure(await review(theirs?.id, { action: "hold" }), 400, "invalid_request");
        expectFailure(await review(theirs?.id, { action: "maybe" }), 400, "invalid_request");
        expectFailure(await review(theirs?.id, { action: "approve" }, world.serverKey), 403, "forbidden");
        world.clock.advanceMs(2 * 86_400_000);
        expect((await world.engine.sweep()).referrals.granted).toBe(0);
        expect((await review(mine?.id, { action: "approve" })).body).toMatchObject({ state: "pending" });
        expect((await review(theirs?.id, { action: "reject" })).body).toMatchObject({ state: "canceled" });
        expect((await world.engine.sweep()).referrals.granted).toBe(1);
        expect(await api.available(referrer)).toBe(300);
        expect((await api.resets(invitee)).available).toBe(0);
        await expectVerified(world);
      });

      it("refuses malformed events and bodies, changing nothing", async () => {
        const referrer = await api.customer("pro", 1);
        const invitee = await api.customer("free", 1);
        const invite = await api.invited("first-message", referrer);
        const before = await api.state(referrer, invitee);
        const refusals = [
          await api.event(invitee, "First Message"),
          await api.event(invitee, "x".repeat(65)),
          await api.event(invitee, "first_message", { at: "yesterday" }),
          await api.event(invitee, "first_message", { colour: "red" }),
          await world.call("POST", "/v1/events", { body: { customerId: invitee } }),
          await api.invite("first-message", referrer, { colour: "red" }),
          await api.invite("first-message", referrer, { email: "not an email" }),
          await api.invite("first-message", referrer, { signals: { device: "d", colour: "red" } }),
          await api.accept(invite.code, invitee, { colour: "red" }),
          await world.call("POST", `/v1/invites/${invite.code}/accept`, { body: "{not json" }),
          await world.call("GET", "/v1/referrals/review?limit=0", admin()),
          await world.call("POST", "/v1/referrals/ref_00000000000000000000000000000000/review", {
            body: { decision: "maybe" },
            ...admin(),
          }),
        ];
        for (const response of refusals) expectFailure(response, 400, "invalid_request");
        expect(messageOf(refusals[3])).toContain("colour");
        expect(await api.state(referrer, invitee)).toEqual(before);
      });
    });

    describe("the review queue", () => {
      it("holds a look-alike acceptance for review, lists it for an admin, and settles it both ways", async () => {
        expect((await api.saveProgram("reviewed", REVIEWED)).status).toBe(200);
        const referrer = await api.customer("pro", 1);
        const twin = await api.customer("free", 1);
        const other = await api.customer("free", 1);
        const first = await api.invited("reviewed", referrer, { signals: { device: "dev-1" } });
        const second = await api.invited("reviewed", referrer, { signals: { address: "ip-1" } });
        const held = await api.accepted(first.code, twin, { signals: { device: "dev-1" } });
        expect(held).toMatchObject({ state: "review", reviewReason: expect.stringContaining("device") });
        const rejected = await api.accepted(second.code, other, { signals: { address: "ip-1" } });
        expect(rejected.reviewReason).toContain("address");

        const queue = await world.call("GET", "/v1/referrals/review", admin());
        expect(queue.status).toBe(200);
        const ids = (queue.body as { data: Referral[] }).data.map((referral) => referral.id);
        expect(ids).toEqual(expect.arrayContaining([held.id, rejected.id]));
        // In review, the qualifying event does not count yet.
        expect((await api.event(twin, "first_message")).body).toEqual({ qualified: 0 });

        const review = (referralId: string, decision: string) =>
          world.call("POST", `/v1/referrals/${referralId}/review`, { body: { decision }, ...admin() });
        const approved = await review(held.id, "approve");
        expect(approved.status, JSON.stringify(approved.body)).toBe(200);
        expect(approved.body).toMatchObject({ id: held.id, state: "accepted" });
        expect((await review(rejected.id, "reject")).body).toMatchObject({ state: "rejected" });
        const after = await world.call("GET", "/v1/referrals/review?limit=100", admin());
        const left = (after.body as { data: Referral[] }).data.map((referral) => referral.id);
        expect(left).not.toContain(held.id);
        expect(left).not.toContain(rejected.id);

        // Settled is final.
        const before = await api.state(referrer, twin, other);
        expectFailure(await review(held.id, "reject"), 400, "invalid_request");
        expectFailure(await review("ref_00000000000000000000000000000000", "approve"), 404, "not_found");
        expect(await api.state(referrer, twin, other)).toEqual(before);

        expect((await api.event(twin, "first_message")).body).toEqual({ qualified: 1 });
        expect((await api.event(other, "first_message")).body).toEqual({ qualified: 0 });
        await world.engine.sweep();
        expect((await api.resets(twin)).available).toBe(1);
        expect((await api.resets(other)).available).toBe(0);
      });
    });

    describe("security", () => {
      it("keeps a customer token to its own customer's invites and rewards, and off acceptance", async () => {
        const ann = await api.customer("pro", 1);
        const bob = await api.customer("pro", 1);
        const friend = await api.customer("free", 1);
        const invite = await api.invited("first-message", ann);
        const bobToken = await api.tokenFor(bob);
        const friendToken = await api.tokenFor(friend);
        const before = await api.state(ann, bob, friend);
        // Invite for another customer, read another's rewards.
        expectFailure(await api.invite("first-message", ann, {}, { key: bobToken }), 403, "forbidden");
        expectFailure(
          await world.call("GET", `/v1/customers/${ann}/referrals`, { key: bobToken }),
          403,
          "forbidden",
        );
        // Acceptance is the host's backend's: not even the invitee's own token.
        expectFailure(await api.accept(invite.code, friend, {}, { key: friendToken }), 403, "forbidden");
        expectFailure(await api.event(friend, "first_message", {}, { key: friendToken }), 403, "forbidden");
        // Nor any operator's route.
        for (const [method, path] of [
          ["GET", "/v1/referrals/review"],
          ["GET", "/v1/programs/first-message/stats"],
        ] as const)
          expectFailure(await world.call(method, path, { key: bobToken }), 403, "forbidden");
        expectFailure(await api.saveProgram("sneaky", FIRST_MESSAGE, { key: bobToken }), 403, "forbidden");
        expect(await api.state(ann, bob, friend)).toEqual(before);
      });

      it("keeps programs, stats, the review queue and reversals to admin keys", async () => {
        const before = await api.state();
        const server = { key: world.serverKey };
        expectFailure(await api.saveProgram("sneaky", FIRST_MESSAGE, server), 403, "forbidden");
        expectFailure(
          await world.call("PATCH", "/v1/programs/pilot", { body: { status: "ended" }, ...server }),
          403,
          "forbidden",
        );
        expectFailure(await world.call("GET", "/v1/programs/pilot/stats", server), 403, "forbidden");
        expectFailure(await world.call("GET", "/v1/referrals/review", server), 403, "forbidden");
        expectFailure(
          await world.call("POST", "/v1/referrals/ref_00000000000000000000000000000000/review", {
            body: { decision: "approve" },
            ...server,
          }),
          403,
          "forbidden",
        );
        expectFailure(
          await world.call("POST", "/v1/referral-rewards/rwd_00000000000000000000000000000000/reverse", {
            body: { reason: "x" },
            ...server,
          }),
          403,
          "forbidden",
        );
        expect(await api.state()).toEqual(before);
      });

      it("needs a key for everything but the preview", async () => {
        const referrer = await api.customer("pro", 1);
        const invite = await api.invited("first-message", referrer);
        const before = await api.state(referrer);
        const anonymous = { key: null };
        expectFailure(await api.invite("first-message", referrer, {}, anonymous), 401, "unauthorized");
        expectFailure(await api.accept(invite.code, referrer, {}, anonymous), 401, "unauthorized");
        expectFailure(await api.event(referrer, "first_message", {}, anonymous), 401, "unauthorized");
        expectFailure(
          await world.call("GET", `/v1/customers/${referrer}/referrals`, anonymous),
          401,
          "unauthorized",
        );
        expect(await api.state(referrer)).toEqual(before);
        expect((await api.preview(invite.code)).status).toBe(200);
      });
    });

    describe("idempotency", () => {
      it("replays a retried invite with its code, and refuses the key with another body", async () => {
        const referrer = await api.customer("pro", 1);
        const first = await api.invite("first-message", referrer, {}, { headers: keyed("invite-once") });
        expect(first.status).toBe(200);
        const again = await api.invite("first-message", referrer, {}, { headers: keyed("invite-once") });
        expect(again.status).toBe(200);
        expect(again.body).toEqual(first.body);
        const before = await api.state(referrer);
        expectFailure(
          await api.invite(
            "first-message",
            referrer,
            { email: "x@example.com" },
            { headers: keyed("invite-once") },
          ),
          409,
          "idempotency_conflict",
        );
        expect(await api.state(referrer)).toEqual(before);
        // A token's keys are its customer's own: the same key from the referrer's token is a new invite.
        const token = await api.tokenFor(referrer);
        const fromToken = await api.invite(
          "first-message",
          referrer,
          {},
          { key: token, headers: keyed("invite-once") },
        );
        expect((fromToken.body as Invite).code).not.toBe((first.body as Invite).code);
        const retried = await api.invite(
          "first-message",
          referrer,
          {},
          { key: token, headers: keyed("invite-once") },
        );
        expect(retried.body).toEqual(fromToken.body);
      });

      it("replays a retried acceptance, and refuses the key with another body", async () => {
        const referrer = await api.customer("pro", 1);
        const invitee = await api.customer("free", 1);
        const other = await api.customer("free", 1);
        const invite = await api.invited("first-message", referrer);
        const accept = (customerId: string) =>
          api.accept(invite.code, customerId, {}, { headers: keyed("accept-once") });
        const first = await accept(invitee);
        expect(first.status).toBe(200);
        expect((await accept(invitee)).body).toEqual(first.body);
        const before = await api.state(referrer, invitee, other);
        expectFailure(await accept(other), 409, "idempotency_conflict");
        expect(await api.state(referrer, invitee, other)).toEqual(before);
      });

      it("replays a referral program created with a key, and refuses the key for another kind", async () => {
        const body = { id: "keyed-referrals", type: "referral", terms: FIRST_MESSAGE };
        const first = await world.call("POST", "/v1/programs", {
          body,
          ...admin(),
          headers: keyed("prg-ref-1"),
        });
        expect(first.body).toMatchObject({ type: "referral", version: 1, created: true });
        const again = await world.call("POST", "/v1/programs", {
          body,
          ...admin(),
          headers: keyed("prg-ref-1"),
        });
        expect(again.body).toEqual(first.body);
        const before = await api.state();
        const asGifting = { id: "keyed-referrals", type: "gifting", terms: GIFTING };
        expectFailure(
          await world.call("POST", "/v1/programs", {
            body: asGifting,
            ...admin(),
            headers: keyed("prg-ref-1"),
          }),
          409,
          "idempotency_conflict",
        );
        expect(await api.state()).toEqual(before);
      });
    });
  });

  describe(`invite preview rate limits on ${backend.name}`, () => {
    let world: HttpWorld;
    const api = referralClient(() => world);

    beforeAll(async () => {
      world = await openHttpWorld(backend, {
        rateLimits: { previewAddress: { perSecond: 3 / 60, burst: 3 } },
      });
      expect((await world.call("PUT", "/v1/plans/pro", { body: PLAN, key: world.adminKey })).status).toBe(
        200,
      );
      expect((await api.saveProgram("first-message", FIRST_MESSAGE, { key: world.adminKey })).status).toBe(
        200,
      );
    });
    afterAll(async () => {
      await world.close();
      await backend.cleanup();
    });

    it("limits anonymous previews per client address, with gift previews, but not a server key's", async () => {
      const referrer = await api.customer("pro", 1);
      const invite = await api.invited("first-message", referrer);
      expect(invite.url).toMatch(/^http:\/\/localhost:8787\/invite\/[A-Za-z0-9_-]{22}$/);
      expect((await api.preview(invite.code)).status).toBe(200);
      expectFailure(await api.preview(UNKNOWN_CODE), 404, "not_found");
      expectFailure(
        await world.call("GET", `/v1/gifts/${UNKNOWN_CODE}`, { key: null }),
        404,
        "gift_unavailable",
      );
      const limited = await api.preview(invite.code);
      expectFailure(limited, 429, "rate_limited");
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect((await api.preview(invite.code, { key: world.serverKey })).status).toBe(200);
      world.clock.advanceMs(60_000);
      expect((await api.preview(invite.code)).status).toBe(200);
      await expectVerified(world);
    });
  });
}
