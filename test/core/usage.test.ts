/**
 * The usage decision, checked step by step against the rule it implements, over random plans, rate
 * cards and request streams; and plan validation, one rule at a time.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkPlan, decideUsage, type Plan, windowId } from "../../src/core/usage.js";
import { EMPTY_WINDOW, type WindowSpec, type WindowState, windowAt } from "../../src/core/windows.js";

const HOUR_MS = 3_600_000;
const METERS = ["messages", "cloud_seconds"] as const;

const windowArb: fc.Arbitrary<WindowSpec> = fc.oneof(
  fc.record({
    kind: fc.constant("fixed" as const),
    key: fc.constantFrom("5h", "1h"),
    meter: fc.constantFrom(...METERS),
    allowanceUnits: fc.bigInt({ min: 1n, max: 60n }),
    durationSeconds: fc.constantFrom(3600, 5 * 3600),
  }),
  fc.record({
    kind: fc.constant("rolling" as const),
    key: fc.constant("rolling"),
    meter: fc.constantFrom(...METERS),
    allowanceUnits: fc.bigInt({ min: 1n, max: 60n }),
    durationSeconds: fc.constant(3600),
    bucketSeconds: fc.constant(300),
  }),
  fc.record({
    kind: fc.constant("calendar" as const),
    key: fc.constant("weekly"),
    meter: fc.constantFrom(...METERS),
    allowanceUnits: fc.bigInt({ min: 1n, max: 200n }),
    unit: fc.constant("week" as const),
    timeZone: fc.constantFrom("UTC", "America/Los_Angeles"),
    weekStartsOn: fc.constant(1 as const),
  }),
);

const planArb: fc.Arbitrary<Plan> = fc
  .uniqueArray(windowArb, { minLength: 1, maxLength: 3, selector: (spec) => windowId(spec) })
  .chain((windows) => {
    const meters = [...new Set(windows.map((spec) => spec.meter))];
    const costsArb = fc.record(
      Object.fromEntries(meters.map((meter) => [meter, fc.bigInt({ min: 0n, max: 8n })])),
    );
    return fc.record({
      id: fc.constant("pro"),
      version: fc.constant(1),
      windows: fc.constant(windows),
      rateCard: fc.record({
        local_task: fc.record({ costs: costsArb, creditPriceMinor: fc.bigInt({ min: 0n, max: 50n }) }),
        cloud_task: fc.record({ costs: costsArb, creditPriceMinor: fc.bigInt({ min: 1n, max: 50n }) }),
      }),
      lowCreditsMinor: fc.constant(null),
    });
  });

const requestArb = fc.record({
  action: fc.constantFrom("local_task", "cloud_task"),
  quantity: fc.integer({ min: 1, max: 4 }),
  waitMs: fc.integer({ min: 0, max: 2 * HOUR_MS }),
  overflowAllowed: fc.boolean(),
  availableMinor: fc.bigInt({ min: 0n, max: 200n }),
});

describe("the usage decision", () => {
  it("charges every window when all have room, else overflows to credits, else names the window that frees last", () => {
    fc.assert(
      fc.property(planArb, fc.array(requestArb, { minLength: 1, maxLength: 30 }), (plan, requests) => {
        expect(checkPlan(plan)).toBeNull();
        let nowMs = Date.UTC(2026, 5, 11, 9);
        let states = new Map<string, WindowState>();
        for (const request of requests) {
          nowMs += request.waitMs;
          const before = new Map(
            plan.windows.map((spec) => [
              windowId(spec),
              windowAt(spec, states.get(windowId(spec)) ?? EMPTY_WINDOW, nowMs),
            ]),
          );
          const entry = plan.rateCard[request.action];
          if (entry === undefined) throw new Error("generated plans price every action");
          const need = (spec: WindowSpec) => (entry.costs[spec.meter] ?? 0n) * BigInt(request.quantity);
          const blocked = plan.windows.filter(
            (spec) => need(spec) > 0n && (before.get(windowId(spec))?.remainingUnits ?? 0n) < need(spec),
          );
          const price = entry.creditPriceMinor * BigInt(request.quantity);
          const decision = decideUsage(plan, states, { ...request, nowMs });
          if (blocked.length === 0) {
            if (!decision.ok || decision.paidBy !== "windows")
              throw new Error(
                `expected windows to pay, got ${JSON.stringify(decision, (_k, v) => (typeof v === "bigint" ? `${v}` : v))}`,
              );
            for (const spec of plan.windows) {
              expect(decision.views.get(windowId(spec))?.usedUnits).toBe(
                (before.get(windowId(spec))?.usedUnits ?? 0n) + need(spec),
              );
            }
            states = new Map(decision.states);
          } else if (request.overflowAllowed && request.availableMinor >= price) {
            expect(decision).toMatchObject({ ok: true, paidBy: "credits", creditsMinor: price });
          } else {
            if (decision.ok) throw new Error("expected a refusal");
            expect(decision.error.code).toBe(
              request.overflowAllowed ? "insufficient_credits" : "limit_reached",
            );
            const latest = Math.max(...blocked.map((spec) => before.get(windowId(spec))?.resetsAtMs ?? 0));
            expect(blocked.map((spec) => windowId(spec))).toContain(decision.blockedWindowId);
            expect(decision.resetsAtMs ?? 0).toBe(latest);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("refuses an unknown action and a bad quantity, and says when a request can never fit", () => {
    const plan: Plan = {
      id: "plus",
      version: 1,
      windows: [
        { kind: "fixed", key: "5h", meter: "messages", allowanceUnits: 10n, durationSeconds: 18_000 },
      ],
      rateCard: { message: { costs: { messages: 1n }, creditPriceMinor: 5n } },
      lowCreditsMinor: null,
    };
    const base = { nowMs: Date.UTC(2026, 5, 11), overflowAllowed: true, availableMinor: 100n };
    for (const [action, quantity, code] of [
      ["teleport", 1, "unknown_action"],
      ["message", 0, "invalid_request"],
      ["message", -2, "invalid_request"],
      ["message", 1.5, "invalid_request"],
    ] as const) {
      const decision = decideUsage(plan, new Map(), { ...base, action, quantity });
      expect(decision.ok ? "ok" : decision.error.code).toBe(code);
    }
    const tooBig = decideUsage(plan, new Map(), {
      ...base,
      action: "message",
      quantity: 11,
      overflowAllowed: false,
    });
    expect(tooBig.ok ? "" : tooBig.error.message).toBe(
      "message needs 11 messages but window messages/5h allows 10",
    );
  });
});

describe("plan validation", () => {
  const fixed: WindowSpec = {
    kind: "fixed",
    key: "5h",
    meter: "messages",
    allowanceUnits: 10n,
    durationSeconds: 18_000,
  };
  const plan = (windows: WindowSpec[], costs: Record<string, bigint> = { messages: 1n }): Plan => ({
    id: "pro",
    version: 1,
    windows,
    rateCard: { message: { costs, creditPriceMinor: 1n } },
    lowCreditsMinor: null,
  });

  it("accepts a sound plan and names what is wrong with each unsound one", () => {
    expect(checkPlan(plan([fixed]))).toBeNull();
    const cases: [Plan, RegExp][] = [
      [plan([fixed, { ...fixed, allowanceUnits: 20n }]), /defines window messages\/5h twice/],
      [plan([{ ...fixed, allowanceUnits: 0n }]), /positive allowance/],
      [plan([{ ...fixed, durationSeconds: 0 }]), /duration of 1 to/],
      [plan([{ ...fixed, durationSeconds: 1.5 }]), /duration of 1 to/],
      [
        plan([
          {
            kind: "rolling",
            key: "r",
            meter: "messages",
            allowanceUnits: 5n,
            durationSeconds: 3600,
            bucketSeconds: 7,
          },
        ]),
        /divides its duration/,
      ],
      [
        plan([
          {
            kind: "rolling",
            key: "r",
            meter: "messages",
            allowanceUnits: 5n,
            durationSeconds: 3600,
            bucketSeconds: 1,
          },
        ]),
        /more than 1024 buckets/,
      ],
      [
        plan([
          {
            kind: "calendar",
            key: "w",
            meter: "messages",
            allowanceUnits: 5n,
            unit: "week",
            timeZone: "Nowhere/Land",
            weekStartsOn: 1,
          },
        ]),
        /unknown time zone/,
      ],
      [plan([fixed], { tokens: 1n }), /costs tokens, which has no window/],
      [plan([fixed], { messages: -1n }), /negative cost/],
    ];
    for (const [unsound, message] of cases) {
      const problem = checkPlan(unsound);
      expect(problem?.code).toBe("invalid_request");
      expect(problem?.message).toMatch(message);
    }
  });
});
