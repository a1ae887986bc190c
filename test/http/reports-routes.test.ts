/**
 * The operator's reports over HTTP in process, on every backend: liability and breakage over a few
 * days of grants, spends and an expiry, in day and week buckets, in another time zone and over the
 * default range; usage against the limits of three kinds of window as customers use them, as time
 * passes and as a customer changes plan; every referral program's stats in one answer; every
 * malformed range refused in the one envelope, and any query at all answered without a 500; and admin
 * keys only.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  BreakageReport,
  LiabilityReport,
  ReferralStats,
  ReferralsReport,
  UsageReport,
} from "../../sdk/client.js";
import { backends } from "../support/backends.js";
import { HTTP_START_MS, type HttpWorld, openHttpWorld } from "../support/http.js";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const GENEROUS = { perSecond: 1000, burst: 10_000 };
const REPORTS = ["liability", "breakage", "usage", "referrals"] as const;

const PRO = {
  meters: {
    messages: [
      { window: "5h", kind: "fixed", duration: "5h", allowance: 4 },
      { window: "week", kind: "calendar", unit: "week", allowance: 10 },
    ],
    tasks: [{ window: "1h", kind: "rolling", duration: "1h", bucket: "10m", allowance: 8 }],
  },
  actions: {
    message: { costs: { messages: 1 }, creditPriceMinor: 10 },
    task: { costs: { tasks: 1 }, creditPriceMinor: 10 },
  },
};
const FREE = {
  meters: { messages: [{ window: "day", kind: "calendar", unit: "day", allowance: 2 }] },
  actions: { message: { costs: { messages: 1 }, creditPriceMinor: 10 } },
};

type Response = { status: number; body: unknown };

function expectFailure(response: Response, status: number, code: string): void {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.body).toMatchObject({
    error: { code, message: expect.any(String), requestId: expect.stringMatching(/^req_/) },
  });
}

const kinds = (amounts: Partial<Record<string, number>>) => ({
  purchased: 0,
  promotional: 0,
  gifted: 0,
  referral: 0,
  compensation: 0,
  ...amounts,
});

for (const backend of backends()) {
  describe(`report routes on ${backend.name}`, () => {
    let world: HttpWorld;
    const admin = () => ({ key: world.adminKey });

    async function report<T>(path: string): Promise<T> {
      const response = await world.call("GET", path, admin());
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body as T;
    }

    async function customer(id: string, plan: string | null): Promise<void> {
      const saved = await world.call("PUT", `/v1/customers/${id}`, { body: { plan } });
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    }

    async function use(customerId: string, action: string, quantity: number): Promise<void> {
      const response = await world.call("POST", "/v1/usage", { body: { customerId, action, quantity } });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(response.body).toMatchObject({ allowed: true });
    }

    beforeAll(async () => {
      world = await openHttpWorld(backend, { rateLimits: { customer: GENEROUS } });
      for (const [plan, spec] of [
        ["pro", PRO],
        ["free", FREE],
      ] as const) {
        const saved = await world.call("PUT", `/v1/plans/${plan}`, { body: spec, ...admin() });
        expect(saved.status, JSON.stringify(saved.body)).toBe(200);
      }
    });
    afterAll(async () => {
      await world.close();
      await backend.cleanup();
    });

    describe("liability and breakage", () => {
      beforeAll(async () => {
        // June 11, 09:00: 1000 purchased for good, 300 promotional for two days; 100 spent an hour later.
        await customer("ledger-1", null);
        for (const body of [
          { amount: 1000, kind: "purchased" },
          { amount: 300, kind: "promotional", expiresAt: new Date(HTTP_START_MS + 2 * DAY_MS).toISOString() },
        ]) {
          const granted = await world.call("POST", "/v1/customers/ledger-1/grants", { body });
          expect(granted.status, JSON.stringify(granted.body)).toBe(200);
        }
        world.clock.advanceMs(HOUR_MS);
        const spent = await world.call("POST", "/v1/customers/ledger-1/debits", { body: { amount: 100 } });
        expect(spent.status, JSON.stringify(spent.body)).toBe(200);
        world.clock.setMs(HTTP_START_MS + 3 * DAY_MS);
      });

      it("gives what was outstanding at each day's end, by kind, the expiry dropping out at its instant", async () => {
        const body = await report<LiabilityReport>(
          "/v1/reports/liability?from=2026-06-11T00:00:00Z&to=2026-06-14T09:00:00Z",
        );
        expect(body).toEqual({
          from: "2026-06-11T00:00:00.000Z",
          to: "2026-06-14T09:00:00.000Z",
          bucket: "day",
          timeZone: "UTC",
          points: [
            { at: "2026-06-12T00:00:00.000Z", total: 1200, purchased: 1000, promotional: 200 },
            { at: "2026-06-13T00:00:00.000Z", total: 1200, purchased: 1000, promotional: 200 },
            { at: "2026-06-14T00:00:00.000Z", total: 1000, purchased: 1000, promotional: 0 },
            { at: "2026-06-14T09:00:00.000Z", total: 1000, purchased: 1000, promotional: 0 },
          ].map(({ at, total, purchased, promotional }) => ({
            at,
            byKind: kinds({ purchased, promotional }),
            giftBalance: 0,
            giftEscrow: 0,
            total,
          })),
        });
        const instants = await report<LiabilityReport>(
          "/v1/reports/liability?from=2026-06-13T08:59:59.999Z&to=2026-06-13T09:00:00Z",
        );
        expect(instants.points.map((point) => point.total)).toEqual([1000]);
        const justBefore = await report<LiabilityReport>(
          "/v1/reports/liability?from=2026-06-13T08:59:59.998Z&to=2026-06-13T08:59:59.999Z",
        );
        expect(justBefore.points.map((point) => point.total)).toEqual([1200]);
      });

      it("buckets by the calendar of a time zone, by week, and over the last 30 days by default", async () => {
        const tokyo = await report<LiabilityReport>(
          "/v1/reports/liability?from=2026-06-11T00:00:00Z&to=2026-06-14T09:00:00Z&timeZone=Asia/Tokyo",
        );
        expect(tokyo.points.map((point) => [point.at, point.total])).toEqual([
          ["2026-06-11T15:00:00.000Z", 1200],
          ["2026-06-12T15:00:00.000Z", 1200],
          ["2026-06-13T15:00:00.000Z", 1000],
          ["2026-06-14T09:00:00.000Z", 1000],
        ]);
        const weekly = await report<LiabilityReport>(
          "/v1/reports/liability?from=2026-06-01T00:00:00Z&to=2026-06-14T09:00:00Z&bucket=week",
        );
        // June 1, 2026 is a Monday.
        expect(weekly.points.map((point) => [point.at, point.total])).toEqual([
          ["2026-06-08T00:00:00.000Z", 0],
          ["2026-06-14T09:00:00.000Z", 1000],
        ]);
        const byDefault = await report<LiabilityReport>("/v1/reports/liability");
        expect(byDefault.to).toBe("2026-06-14T09:00:00.000Z");
        expect(byDefault.from).toBe("2026-05-15T09:00:00.000Z");
        expect(byDefault.points).toHaveLength(31);
        expect(byDefault.points.at(-1)).toMatchObject({ at: byDefault.to, total: 1000 });
        const later = await report<LiabilityReport>("/v1/reports/liability?to=2099-01-01T00:00:00Z");
        expect(later.to).toBe(byDefault.to);
      });

      it("gives what expired unused per bucket, the totals and the breakage rate", async () => {
        const daily = await report<BreakageReport>(
          "/v1/reports/breakage?from=2026-06-11T00:00:00Z&to=2026-06-14T09:00:00Z",
        );
        expect(daily.points.map((point) => [point.startsAt, point.endsAt, point.byKind.promotional])).toEqual(
          [
            ["2026-06-11T00:00:00.000Z", "2026-06-12T00:00:00.000Z", 0],
            ["2026-06-12T00:00:00.000Z", "2026-06-13T00:00:00.000Z", 0],
            ["2026-06-13T00:00:00.000Z", "2026-06-14T00:00:00.000Z", 200],
            ["2026-06-14T00:00:00.000Z", "2026-06-14T09:00:00.000Z", 0],
          ],
        );
        const weekly = await report<BreakageReport>(
          "/v1/reports/breakage?from=2026-06-11T00:00:00Z&to=2026-06-14T09:00:00Z&bucket=week",
        );
        expect(weekly).toEqual({
          from: "2026-06-11T00:00:00.000Z",
          to: "2026-06-14T09:00:00.000Z",
          bucket: "week",
          timeZone: "UTC",
          points: [
            {
              startsAt: "2026-06-11T00:00:00.000Z",
              endsAt: "2026-06-14T09:00:00.000Z",
              byKind: kinds({ promotional: 200 }),
              total: 200,
            },
          ],
          expired: { byKind: kinds({ promotional: 200 }), total: 200 },
          granted: { byKind: kinds({ purchased: 1000, promotional: 300 }), total: 1300 },
          rate: 0.153846,
          rateByKind: {
            purchased: 0,
            promotional: 0.666666,
            gifted: null,
            referral: null,
            compensation: null,
          },
        });
        // Booking the expiry changes nothing the report says.
        await world.engine.sweep();
        const swept = await report<BreakageReport>(
          "/v1/reports/breakage?from=2026-06-11T00:00:00Z&to=2026-06-14T09:00:00Z&bucket=week",
        );
        expect(swept).toEqual(weekly);
      });

      it("refuses every malformed range in the one envelope, naming the problem", async () => {
        for (const report of ["liability", "breakage"]) {
          for (const query of [
            "bucket=month",
            "bucket=",
            "from=yesterday",
            "from=2026-13-01T00:00:00Z",
            "to=12",
            "from=2026-06-14T09:00:00Z&to=2026-06-14T09:00:00Z",
            "from=2026-06-14T10:00:00Z",
            "from=2026-06-10T00:00:00Z&to=2026-06-09T00:00:00Z",
            "from=1990-01-01T00:00:00Z",
            "from=2025-01-01T00:00:00Z",
            "from=2010-01-01T00:00:00Z&bucket=week",
            "timeZone=Nowhere/City",
            `timeZone=${"x".repeat(65)}`,
            "timeZone=",
          ]) {
            const response = await world.call("GET", `/v1/reports/${report}?${query}`, admin());
            expectFailure(response, 400, "invalid_request");
          }
          const tooLong = await world.call("GET", `/v1/reports/${report}?from=2025-01-01T00:00:00Z`, admin());
          expect((tooLong.body as { error: { message: string } }).error.message).toMatch(
            /more than 400 day buckets: narrow the range or use bucket=week/,
          );
        }
      });
    });

    describe("usage against limits", () => {
      it("counts, per plan and window, who used anything, who reached the limit, and how full the rest are", async () => {
        for (const [id, plan] of [
          ["pro-1", "pro"],
          ["pro-2", "pro"],
          ["pro-3", "pro"],
          ["pro-4", "pro"],
          ["pro-5", "pro"],
          ["free-1", "free"],
          ["free-2", "free"],
        ] as const)
          await customer(id, plan);
        await use("pro-1", "message", 1);
        await use("pro-2", "message", 2);
        await use("pro-3", "message", 4);
        await use("pro-5", "task", 3);
        await use("free-1", "message", 2);
        const body = await report<UsageReport>("/v1/reports/usage");
        const bands = (...customers: number[]) =>
          [
            [0, 25],
            [25, 50],
            [50, 75],
            [75, 100],
            [100, 100],
          ].map(([fromPercent, toPercent], index) => ({
            fromPercent,
            toPercent,
            customers: customers[index],
          }));
        expect(body).toEqual({
          at: new Date(world.clock.nowMs()).toISOString(),
          plans: [
            {
              planId: "free",
              planVersion: 1,
              customers: 2,
              windows: [
                {
                  windowId: "messages/day",
                  meter: "messages",
                  window: "day",
                  kind: "calendar",
                  limit: 2,
                  customersWithUsage: 1,
                  atLimit: 1,
                  bands: bands(0, 0, 0, 0, 1),
                },
              ],
            },
            {
              planId: "pro",
              planVersion: 1,
              customers: 5,
              windows: [
                {
                  windowId: "messages/5h",
                  meter: "messages",
                  window: "5h",
                  kind: "fixed",
                  limit: 4,
                  customersWithUsage: 3,
                  atLimit: 1,
                  bands: bands(0, 1, 1, 0, 1),
                },
                {
                  windowId: "messages/week",
                  meter: "messages",
                  window: "week",
                  kind: "calendar",
                  limit: 10,
                  customersWithUsage: 3,
                  atLimit: 0,
                  bands: bands(2, 1, 0, 0, 0),
                },
                {
                  windowId: "tasks/1h",
                  meter: "tasks",
                  window: "1h",
                  kind: "rolling",
                  limit: 8,
                  customersWithUsage: 1,
                  atLimit: 0,
                  bands: bands(0, 1, 0, 0, 0),
                },
              ],
            },
          ],
        });
      });

      it("counts a window that restarted as unused, and a customer under its current plan only", async () => {
        world.clock.advanceMs(5 * HOUR_MS);
        const moved = await world.call("PUT", "/v1/customers/pro-2", { body: { plan: "free" } });
        expect(moved.status).toBe(200);
        const body = await report<UsageReport>("/v1/reports/usage");
        const pro = body.plans.find((plan) => plan.planId === "pro");
        expect(pro?.customers).toBe(4);
        expect(
          pro?.windows.map((window) => [window.windowId, window.customersWithUsage, window.atLimit]),
        ).toEqual([
          ["messages/5h", 0, 0],
          ["messages/week", 2, 0],
          ["tasks/1h", 0, 0],
        ]);
        const free = body.plans.find((plan) => plan.planId === "free");
        expect(free?.customers).toBe(3);
        expect(free?.windows[0]?.customersWithUsage).toBe(1);
      });
    });

    describe("referral programs", () => {
      it("lists every referral program with its status and the stats its own route gives", async () => {
        const programs = [
          [
            "ref-a",
            { status: "live", invitees: { eligibility: "anyone" }, rewards: { invitee: { type: "reset" } } },
          ],
          ["ref-b", { status: "draft", rewards: { referrer: { type: "credits", amount: 100 } } }],
        ] as const;
        for (const [id, terms] of programs) {
          const saved = await world.call("POST", "/v1/programs", {
            body: { id, type: "referral", terms },
            ...admin(),
          });
          expect(saved.status, JSON.stringify(saved.body)).toBe(200);
        }
        const gifting = { status: "live", allowance: 100, giftMax: 100 };
        const savedGifting = await world.call("POST", "/v1/programs", {
          body: { id: "gifts-x", type: "gifting", terms: gifting },
          ...admin(),
        });
        expect(savedGifting.status).toBe(200);
        await customer("referrer-1", "pro");
        const invited = await world.call("POST", "/v1/programs/ref-a/invites", {
          body: { referrerId: "referrer-1" },
        });
        expect(invited.status, JSON.stringify(invited.body)).toBe(200);
        const body = await report<ReferralsReport>("/v1/reports/referrals");
        expect(body.programs.map((program) => [program.programId, program.status])).toEqual([
          ["ref-a", "live"],
          ["ref-b", "draft"],
        ]);
        for (const program of body.programs)
          expect(program.stats).toEqual(
            await report<ReferralStats>(`/v1/programs/${program.programId}/stats`),
          );
        expect(body.programs[0]?.stats.funnel).toMatchObject({ invitesCreated: 1, referrers: 1 });
      });
    });

    it("answers any query of the console's routes with 200 or a 400 invalid_request, never anything else", async () => {
      const PATHS = ["/v1/customers", ...REPORTS.map((name) => `/v1/reports/${name}`)];
      const NAMES = ["from", "to", "bucket", "timeZone", "query", "plan", "limit", "cursor"] as const;
      const value = fc.oneof(
        fc.string(),
        fc.string({ unit: "grapheme" }),
        fc.integer().map(String),
        fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
        fc.constantFrom("day", "week", "UTC", "Europe/Paris", ""),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...PATHS),
          fc.dictionary(fc.constantFrom(...NAMES), value),
          async (path, params) => {
            const url = `${path}?${new URLSearchParams(params).toString()}`;
            const response = await world.call("GET", url, admin());
            if (response.status !== 200) expectFailure(response, 400, "invalid_request");
          },
        ),
        { numRuns: 150 },
      );
    });

    it("answers admin keys only", async () => {
      const minted = await world.call("POST", "/v1/customer-tokens", {
        body: { customerId: "pro-1", ttlSeconds: 60 },
      });
      const token = (minted.body as { token: string }).token;
      for (const name of REPORTS) {
        expectFailure(await world.call("GET", `/v1/reports/${name}`), 403, "forbidden");
        expectFailure(await world.call("GET", `/v1/reports/${name}`, { key: token }), 403, "forbidden");
        expectFailure(await world.call("GET", `/v1/reports/${name}`, { key: null }), 401, "unauthorized");
      }
    });
  });
}
