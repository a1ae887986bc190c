/**
 * What the "Invite a friend" and Gifts pages are told a customer may do now, over HTTP in process, on
 * every backend: the referral programs open to the customer (live, or a hidden pilot of one of their
 * cohorts, in its window, with the customer in its audience) with each side's reward as configured
 * and the invites the caps leave, as invites are made and weeks and windows pass; the gifting
 * programs they may send under with the bounds a gift form checks; the offers agreeing with what the
 * writes then accept or refuse; and a customer token reading its own offers only.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CustomerGifts, CustomerReferrals, GiftOffer, ReferralOffer } from "../../sdk/client.js";
import { backends } from "../support/backends.js";
import { HTTP_START_MS, type HttpWorld, openHttpWorld } from "../support/http.js";

const DAY_MS = 86_400_000;
const GENEROUS = { perSecond: 1000, burst: 10_000 };
const PLAN = {
  meters: { messages: [{ window: "5h", kind: "fixed", duration: "5h", allowance: 50 }] },
  actions: { message: { costs: { messages: 1 }, creditPriceMinor: 10 } },
};

const CREDITS_REWARD = { type: "credits", amount: 300, expiresAfter: "90d", priority: 20 };
const RESET_REWARD = { type: "reset", windows: ["messages/5h"], expiresAfter: "30d" };

/** Referral programs, by id: what each is and who may invite in it. */
const REFERRAL_PROGRAMS: Readonly<Record<string, object>> = {
  // Pro customers, three invites each, June 10 to 25.
  open: {
    status: "live",
    window: { opensAt: "2026-06-10T00:00:00Z", closesAt: "2026-06-25T00:00:00Z" },
    audience: { plans: ["pro"] },
    invites: { perReferrer: 3 },
    invitees: { eligibility: "lapsed" },
    rewards: { referrer: CREDITS_REWARD, invitee: RESET_REWARD },
  },
  // A hidden pilot for the beta cohort: five invites in all, two a week.
  pilot: {
    status: "hidden",
    visibleTo: ["beta"],
    invites: { perReferrer: 5, perPeriod: 2, period: { unit: "week" } },
    invitees: { eligibility: "anyone" },
    rewards: { invitee: RESET_REWARD },
  },
  // Anyone in the beta cohort, without caps.
  uncapped: {
    status: "live",
    audience: { cohorts: ["beta"] },
    invitees: { eligibility: "anyone" },
    rewards: { referrer: CREDITS_REWARD },
  },
  later: { status: "live", window: { opensAt: "2026-07-01T00:00:00Z" }, rewards: { invitee: RESET_REWARD } },
  over: { status: "live", window: { closesAt: "2026-06-01T00:00:00Z" }, rewards: { invitee: RESET_REWARD } },
  "plus-only": { status: "live", audience: { plans: ["plus"] }, rewards: { invitee: RESET_REWARD } },
  unreleased: { status: "draft", rewards: { invitee: RESET_REWARD } },
  "beta-hidden-plus": {
    status: "hidden",
    visibleTo: ["beta"],
    audience: { plans: ["plus"] },
    rewards: { invitee: RESET_REWARD },
  },
};

const GIFTING_PROGRAMS: Readonly<Record<string, object>> = {
  "pro-gifts": {
    status: "live",
    senders: { plans: ["pro"] },
    allowance: 500,
    giftMin: 50,
    giftMax: 300,
    caps: { sentPerPeriod: 3 },
    recipients: "anyone",
    claimWindow: "14d",
  },
  "beta-gifts": {
    status: "hidden",
    visibleTo: ["beta"],
    allowance: 0,
    giftMin: 10,
    giftMax: 1000,
    recipients: "new_or_lapsed",
    claimWindow: "7d",
  },
  "plus-gifts": { status: "live", senders: { plans: ["plus"] }, allowance: 100, giftMax: 100 },
  "closed-gifts": { status: "ended", allowance: 100, giftMax: 100 },
};

for (const backend of backends()) {
  describe(`offers on ${backend.name}`, () => {
    let world: HttpWorld;
    const admin = () => ({ key: world.adminKey });

    async function customer(id: string, plan: string, cohorts: string[] = []): Promise<void> {
      const saved = await world.call("PUT", `/v1/customers/${id}`, {
        body: { plan, signedUpAt: "2025-01-01T00:00:00Z", attributes: { cohorts } },
      });
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    }

    async function referralOffers(customerId: string, key?: string): Promise<readonly ReferralOffer[]> {
      const response = await world.call(
        "GET",
        `/v1/customers/${customerId}/referrals`,
        key === undefined ? {} : { key },
      );
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return (response.body as CustomerReferrals).offers;
    }

    async function giftsPage(customerId: string): Promise<CustomerGifts> {
      const response = await world.call("GET", `/v1/customers/${customerId}/gifts`);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body as CustomerGifts;
    }

    const invite = (programId: string, referrerId: string) =>
      world.call("POST", `/v1/programs/${programId}/invites`, { body: { referrerId } });

    async function invited(programId: string, referrerId: string): Promise<void> {
      const response = await invite(programId, referrerId);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
    }

    const left = (offers: readonly ReferralOffer[]) =>
      offers.map((offer) => [offer.programId, offer.invitesUsed, offer.invitesLeft]);

    beforeAll(async () => {
      world = await openHttpWorld(backend, { rateLimits: { customer: GENEROUS } });
      const plan = await world.call("PUT", "/v1/plans/pro", { body: PLAN, ...admin() });
      expect(plan.status, JSON.stringify(plan.body)).toBe(200);
      for (const [type, programs] of [
        ["referral", REFERRAL_PROGRAMS],
        ["gifting", GIFTING_PROGRAMS],
      ] as const) {
        for (const [id, terms] of Object.entries(programs)) {
          const saved = await world.call("POST", "/v1/programs", { body: { id, type, terms }, ...admin() });
          expect(saved.status, `${id}: ${JSON.stringify(saved.body)}`).toBe(200);
        }
      }
      await customer("alice", "pro", ["beta"]);
      await customer("bob", "pro");
      await customer("carl", "free");
    });
    afterAll(async () => {
      await world.close();
      await backend.cleanup();
    });

    describe("the Invite a friend page", () => {
      it("offers the programs open to each customer, with the rewards as configured and the caps", async () => {
        const offers = await referralOffers("alice");
        expect(offers).toEqual([
          {
            programId: "open",
            endsAt: "2026-06-25T00:00:00.000Z",
            rewards: { referrer: CREDITS_REWARD, invitee: RESET_REWARD },
            invitees: "lapsed",
            invitesPerReferrer: 3,
            invitesPerPeriod: null,
            invitesUsed: 0,
            invitesLeft: 3,
          },
          {
            programId: "pilot",
            endsAt: null,
            rewards: { referrer: null, invitee: RESET_REWARD },
            invitees: "anyone",
            invitesPerReferrer: 5,
            invitesPerPeriod: 2,
            invitesUsed: 0,
            invitesLeft: 2,
          },
          {
            programId: "uncapped",
            endsAt: null,
            rewards: { referrer: CREDITS_REWARD, invitee: null },
            invitees: "anyone",
            invitesPerReferrer: null,
            invitesPerPeriod: null,
            invitesUsed: 0,
            invitesLeft: null,
          },
        ]);
        expect((await referralOffers("bob")).map((offer) => offer.programId)).toEqual(["open"]);
        expect(await referralOffers("carl")).toEqual([]);
      });

      it("counts the invites made against both caps, and keeps a program whose caps are used up", async () => {
        await invited("open", "alice");
        await invited("open", "alice");
        await invited("pilot", "alice");
        expect(left(await referralOffers("alice"))).toEqual([
          ["open", 2, 1],
          ["pilot", 1, 1],
          ["uncapped", 0, null],
        ]);
        await invited("open", "alice");
        await invited("pilot", "alice");
        expect(left(await referralOffers("alice"))).toEqual([
          ["open", 3, 0],
          ["pilot", 2, 0],
          ["uncapped", 0, null],
        ]);
        expect((await invite("open", "alice")).status).toBe(409);
        expect((await invite("pilot", "alice")).status).toBe(409);
        // June 16 is in the next week: the pilot's weekly cap starts again, its overall one does not.
        world.clock.setMs(HTTP_START_MS + 5 * DAY_MS);
        expect(left(await referralOffers("alice"))).toEqual([
          ["open", 3, 0],
          ["pilot", 2, 2],
          ["uncapped", 0, null],
        ]);
      });

      it("offers exactly what an invite is then accepted for", async () => {
        for (const customerId of ["alice", "bob", "carl"]) {
          const offered = new Map(
            (await referralOffers(customerId)).map((offer) => [offer.programId, offer]),
          );
          for (const programId of Object.keys(REFERRAL_PROGRAMS)) {
            const offer = offered.get(programId);
            const response = await invite(programId, customerId);
            const accepted = offer !== undefined && offer.invitesLeft !== 0;
            expect(
              response.status === 200,
              `${customerId} in ${programId}: ${JSON.stringify(response.body)}`,
            ).toBe(accepted);
          }
        }
      });

      it("stops offering a program once its window closes", async () => {
        world.clock.setMs(Date.UTC(2026, 5, 25));
        expect((await referralOffers("alice")).map((offer) => offer.programId)).toEqual([
          "pilot",
          "uncapped",
        ]);
        expect(await referralOffers("bob")).toEqual([]);
      });

      it("lets a customer token read its own offers, and no one else's", async () => {
        const minted = await world.call("POST", "/v1/customer-tokens", {
          body: { customerId: "alice", ttlSeconds: 600 },
        });
        const token = (minted.body as { token: string }).token;
        expect((await referralOffers("alice", token)).map((offer) => offer.programId)).toEqual([
          "pilot",
          "uncapped",
        ]);
        const other = await world.call("GET", "/v1/customers/bob/referrals", { key: token });
        expect(other.status).toBe(403);
        expect(other.body).toMatchObject({ error: { code: "forbidden" } });
      });
    });

    describe("the Gifts page", () => {
      it("offers the gifting programs each customer may send under, with a gift's bounds", async () => {
        const page = await giftsPage("alice");
        const offers: readonly GiftOffer[] = page.offers;
        expect(offers).toEqual([
          {
            programId: "beta-gifts",
            giftMin: 10,
            giftMax: 1000,
            allowanceLeft: 0,
            giftsLeft: null,
            periodEndsAt: "2026-07-01T00:00:00.000Z",
            recipients: "new_or_lapsed",
            claimWindowSeconds: 7 * 86_400,
          },
          {
            programId: "pro-gifts",
            giftMin: 50,
            giftMax: 300,
            allowanceLeft: 500,
            giftsLeft: 3,
            periodEndsAt: "2026-07-01T00:00:00.000Z",
            recipients: "anyone",
            claimWindowSeconds: 14 * 86_400,
          },
        ]);
        const bob = await giftsPage("bob");
        expect(bob.offers.map((offer) => offer.programId)).toEqual(["pro-gifts"]);
        // Bob sees the Plus program's allowance line, but may not send under it.
        expect(bob.allowances.map((line) => line.programId)).toContain("plus-gifts");
        const carl = await giftsPage("carl");
        expect(carl.offers).toEqual([]);
      });

      it("takes what was sent off the allowance and the gifts left, as the send route then holds to", async () => {
        const sent = await world.call("POST", "/v1/gifts", {
          body: { senderId: "bob", programId: "pro-gifts", amount: 120, source: "allowance" },
        });
        expect(sent.status, JSON.stringify(sent.body)).toBe(200);
        const [offer] = (await giftsPage("bob")).offers;
        expect(offer).toMatchObject({ programId: "pro-gifts", allowanceLeft: 380, giftsLeft: 2 });
        const tooMuch = await world.call("POST", "/v1/gifts", {
          body: {
            senderId: "bob",
            programId: "pro-gifts",
            amount: (offer?.giftMax ?? 0) + 1,
            source: "allowance",
          },
        });
        expect(tooMuch.status).toBe(400);
        const refused = await world.call("POST", "/v1/gifts", {
          body: { senderId: "bob", programId: "plus-gifts", amount: 50, source: "allowance" },
        });
        expect(refused.body).toMatchObject({ error: { code: "not_eligible" } });
      });
    });
  });
}
