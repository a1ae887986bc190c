/**
 * The pure gift rules as properties. The state machine: over any sequence of events a settled gift
 * never changes again, a gift leaves escrow at most once and never comes back, and it is claimed only
 * from pending or review. Sending and claiming: `decideSend` and `decideClaim` agree with a small
 * model written here from the rules alone (visibility and status of the program, who may send, amount
 * bounds, caps, allowance arithmetic, gift balance, eligibility by segment with its boundary days,
 * self-claims, expiry, and review when the claimer shares the sender's device or address).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ErrorCode } from "../../src/core/errors.js";
import {
  CLAIM_WINDOW_SECONDS_MAX,
  type GiftProgram,
  PROGRAM_STATUSES,
  RECIPIENT_RULES,
} from "../../src/core/gift-program.js";
import {
  type ClaimFacts,
  decideClaim,
  decideSend,
  GIFT_SOURCES,
  GIFT_STATUSES,
  type GiftEvent,
  type GiftParty,
  type GiftStatus,
  inEscrow,
  nextStatus,
  programVisibleTo,
  type RecipientSegment,
  type SendFacts,
  type Signals,
  segmentOf,
} from "../../src/core/gifts.js";

const RUNS = 500;
const DAY_MS = 86_400_000;
const NOW_MS = Date.UTC(2026, 5, 11, 9, 30);
const EVENTS: readonly GiftEvent[] = ["claim", "flag", "approve", "reject", "revoke", "expire"];
const PLANS = ["free", "pro", "team"] as const;
const COHORTS = ["beta", "staff", "vip"] as const;
const PEOPLE = ["ann", "bob", "cat"] as const;

// ---------------------------------------------------------------------------------------------------
// The state machine

/** The transitions as the design states them, written out independently of the code's table. */
function expectedNext(status: GiftStatus, event: GiftEvent): GiftStatus | null {
  if (status === "pending") {
    if (event === "claim") return "claimed";
    if (event === "flag") return "review";
    if (event === "revoke") return "revoked";
    if (event === "expire") return "expired";
    return null;
  }
  if (status === "review") {
    if (event === "approve") return "claimed";
    if (event === "reject") return "revoked";
    return null;
  }
  return null;
}

const TERMINAL: readonly GiftStatus[] = ["claimed", "expired", "revoked"];

describe("the gift state machine", () => {
  it("follows the stated table for every status and event", () => {
    for (const status of GIFT_STATUSES)
      for (const event of EVENTS)
        expect({ status, event, next: nextStatus(status, event) }).toEqual({
          status,
          event,
          next: expectedNext(status, event),
        });
    expect(GIFT_STATUSES.filter(inEscrow)).toEqual(["pending", "review"]);
  });

  it("never changes a settled gift, leaves escrow at most once, and claims only from pending or review", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...GIFT_STATUSES),
        fc.array(fc.constantFrom(...EVENTS), { maxLength: 40 }),
        (start, events) => {
          let status = start;
          let leftEscrow = 0;
          for (const event of events) {
            const next = nextStatus(status, event);
            if (TERMINAL.includes(status)) expect(next).toBeNull();
            if (next === null) continue;
            expect(next).not.toBe(status);
            if (next === "claimed") expect(["pending", "review"]).toContain(status);
            // Nothing goes back into escrow, and nothing returns to pending.
            if (!inEscrow(status)) expect(inEscrow(next)).toBe(false);
            expect(next).not.toBe("pending");
            if (inEscrow(status) && !inEscrow(next)) leftEscrow += 1;
            status = next;
          }
          expect(leftEscrow).toBeLessThanOrEqual(inEscrow(start) ? 1 : 0);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("reaches every state from pending, and every settled state only once along a path", () => {
    const reachable = new Set<GiftStatus>(["pending"]);
    for (let round = 0; round < GIFT_STATUSES.length; round += 1)
      for (const status of [...reachable])
        for (const event of EVENTS) {
          const next = nextStatus(status, event);
          if (next !== null) reachable.add(next);
        }
    expect([...reachable].sort()).toEqual([...GIFT_STATUSES].sort());
  });
});

// ---------------------------------------------------------------------------------------------------
// Arbitraries

/** `usual` three times in four, so that most cases get past the first refusals. */
const mostly = <T>(usual: T, other: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  fc.oneof({ arbitrary: fc.constant(usual), weight: 3 }, { arbitrary: other, weight: 1 });

const programArb: fc.Arbitrary<GiftProgram> = fc
  .record({
    status: mostly<GiftProgram["status"]>("live", fc.constantFrom(...PROGRAM_STATUSES)),
    visibleTo: fc.subarray([...COHORTS]),
    senderPlans: mostly(null, fc.subarray([...PLANS])),
    senderCohorts: mostly(null, fc.subarray([...COHORTS])),
    unit: fc.constantFrom("day" as const, "week" as const, "month" as const),
    allowanceMinor: fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 1000n })),
    bounds: fc.tuple(fc.bigInt({ min: 1n, max: 500n }), fc.bigInt({ min: 0n, max: 500n })),
    sentPerPeriod: fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 5 })),
    receivedPerPeriod: fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 5 })),
    claimedEver: fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 8 })),
    recipients: fc.constantFrom(...RECIPIENT_RULES),
    newWithinDays: fc.integer({ min: 1, max: 60 }),
    lapsedAfterDays: fc.integer({ min: 1, max: 120 }),
    claimWindowSeconds: fc.integer({ min: 1, max: CLAIM_WINDOW_SECONDS_MAX }),
    creditsExpireAfterSeconds: fc.option(fc.integer({ min: 1, max: 400 * 86_400 })),
    creditsPriority: fc.integer({ min: 0, max: 1000 }),
  })
  .map(({ unit, bounds: [min, spread], ...rest }) => ({
    id: "gifts-p",
    version: 1,
    period: { unit, timeZone: "UTC" },
    giftMinMinor: min,
    giftMaxMinor: min + spread,
    ...rest,
  }));

/** An instant some days before now, often exactly on a day boundary or one millisecond off it. */
const agoArb = fc.oneof(
  fc
    .tuple(fc.integer({ min: 0, max: 150 }), fc.constantFrom(-1, 0, 1))
    .map(([days, nudge]) => NOW_MS - days * DAY_MS + nudge),
  fc.integer({ min: NOW_MS - 400 * DAY_MS, max: NOW_MS }),
);

const partyArb: fc.Arbitrary<GiftParty> = fc
  .record({
    id: fc.constantFrom(...PEOPLE),
    plan: fc.option(fc.constantFrom(...PLANS)),
    cohorts: fc.subarray([...COHORTS]),
    signedUpAtMs: agoArb,
    lastActiveAtMs: fc.option(agoArb),
  })
  .map((party) => ({
    ...party,
    // Activity never precedes signing up.
    lastActiveAtMs: party.lastActiveAtMs === null ? null : Math.max(party.lastActiveAtMs, party.signedUpAtMs),
  }));

/** An amount within the program's bounds, on either bound or just past it, or anything. */
const amountFor = (program: GiftProgram): fc.Arbitrary<bigint> =>
  fc.oneof(
    { arbitrary: fc.bigInt({ min: program.giftMinMinor, max: program.giftMaxMinor }), weight: 4 },
    fc.constantFrom(
      program.giftMinMinor - 1n,
      program.giftMinMinor,
      program.giftMaxMinor,
      program.giftMaxMinor + 1n,
    ),
    fc.bigInt({ min: 0n, max: 1200n }),
  );

const signalsArb: fc.Arbitrary<Signals | null> = fc.option(
  fc.record(
    { device: fc.constantFrom("dev-1", "dev-2"), address: fc.constantFrom("ip-1", "ip-2") },
    { requiredKeys: [] },
  ),
);

// ---------------------------------------------------------------------------------------------------
// The model

type Expected<T> = { readonly code: ErrorCode } | ({ readonly code: "ok" } & T);

/** The first instant of the period holding `ms`, in UTC, from date arithmetic alone. */
function modelPeriodStartMs(unit: "day" | "week" | "month", ms: number): number {
  const day = Math.floor(ms / DAY_MS);
  if (unit === "day") return day * DAY_MS;
  // 1970-01-01 was a Thursday: three days after a Monday.
  if (unit === "week") return (day - ((day + 3) % 7)) * DAY_MS;
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

function modelVisible(program: GiftProgram, party: GiftParty): boolean {
  if (program.status === "live") return true;
  return program.status === "hidden" && party.cohorts.some((cohort) => program.visibleTo.includes(cohort));
}

function modelSend(facts: SendFacts): Expected<{ periodStartMs: number; expiresAtMs: number }> {
  const { program, sender, amountMinor } = facts;
  if (!modelVisible(program, sender)) return { code: "program_closed" };
  const anyone = program.senderPlans === null && program.senderCohorts === null;
  const onPlan = sender.plan !== null && (program.senderPlans ?? []).includes(sender.plan);
  const inCohort = sender.cohorts.some((cohort) => (program.senderCohorts ?? []).includes(cohort));
  if (!anyone && !onPlan && !inCohort) return { code: "not_eligible" };
  if (amountMinor < program.giftMinMinor || amountMinor > program.giftMaxMinor)
    return { code: "invalid_request" };
  if (program.sentPerPeriod !== null && facts.sentCount >= program.sentPerPeriod)
    return { code: "cap_exceeded" };
  const available =
    facts.source === "allowance" ? program.allowanceMinor - facts.usedMinor : facts.giftBalanceMinor;
  if (amountMinor > available) return { code: "insufficient_credits" };
  return {
    code: "ok",
    periodStartMs: modelPeriodStartMs(program.period.unit, facts.nowMs),
    expiresAtMs: facts.nowMs + program.claimWindowSeconds * 1000,
  };
}

function modelSegment(program: GiftProgram, party: GiftParty, nowMs: number): RecipientSegment {
  const sinceSignupMs = nowMs - party.signedUpAtMs;
  if (sinceSignupMs <= program.newWithinDays * DAY_MS) return "new";
  const idleMs = nowMs - (party.lastActiveAtMs ?? party.signedUpAtMs);
  return idleMs >= program.lapsedAfterDays * DAY_MS ? "lapsed" : "active";
}

const RULE_ADMITS: Readonly<Record<GiftProgram["recipients"], readonly RecipientSegment[]>> = {
  anyone: ["new", "lapsed", "active"],
  new: ["new"],
  lapsed: ["lapsed"],
  new_or_lapsed: ["new", "lapsed"],
};

function modelClaim(facts: ClaimFacts): Expected<{
  segment: RecipientSegment;
  review: boolean;
  lotExpiresAtMs: number | null;
  lotPriority: number;
}> {
  const { program, recipient, nowMs } = facts;
  if (facts.status !== "pending" || nowMs >= facts.expiresAtMs) return { code: "gift_unavailable" };
  if (recipient.id === facts.senderId) return { code: "gift_self_claim" };
  const segment = modelSegment(program, recipient, nowMs);
  if (!RULE_ADMITS[program.recipients].includes(segment)) return { code: "not_eligible" };
  if (program.receivedPerPeriod !== null && facts.receivedThisPeriod >= program.receivedPerPeriod)
    return { code: "cap_exceeded" };
  if (program.claimedEver !== null && facts.claimedEver >= program.claimedEver)
    return { code: "cap_exceeded" };
  const shared = (name: "device" | "address") =>
    facts.senderSignals?.[name] !== undefined && facts.senderSignals[name] === facts.recipientSignals?.[name];
  return {
    code: "ok",
    segment,
    review: shared("device") || shared("address"),
    lotExpiresAtMs:
      program.creditsExpireAfterSeconds === null ? null : nowMs + program.creditsExpireAfterSeconds * 1000,
    lotPriority: program.creditsPriority,
  };
}

// ---------------------------------------------------------------------------------------------------
// decideSend

const sendFactsArb: fc.Arbitrary<SendFacts> = programArb.chain((program) =>
  fc.record({
    program: fc.constant(program),
    sender: partyArb,
    source: fc.constantFrom(...GIFT_SOURCES),
    amountMinor: amountFor(program),
    usedMinor: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 1000n })),
    sentCount: fc.integer({ min: 0, max: 6 }),
    giftBalanceMinor: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 1200n })),
    nowMs: fc.oneof(
      fc.constant(NOW_MS),
      fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2030, 0, 1) }),
      // Period edges: the first and last millisecond of a UTC month.
      fc.integer({ min: 0, max: 60 }).map((month) => Date.UTC(2025, month, 1)),
      fc.integer({ min: 0, max: 60 }).map((month) => Date.UTC(2025, month, 1) - 1),
    ),
  }),
);

describe("decideSend", () => {
  it("agrees with the model on every answer", () => {
    fc.assert(
      fc.property(sendFactsArb, (facts) => {
        const decision = decideSend(facts);
        const actual = decision.ok
          ? { code: "ok", periodStartMs: decision.periodStartMs, expiresAtMs: decision.expiresAtMs }
          : { code: decision.error.code };
        expect(actual).toEqual(modelSend(facts));
      }),
      { numRuns: RUNS * 4 },
    );
  });

  it("says how much of the allowance is left, never below zero", () => {
    fc.assert(
      fc.property(sendFactsArb, (facts) => {
        const decision = decideSend({ ...facts, source: "allowance" });
        if (decision.ok || decision.error.code !== "insufficient_credits") return;
        const left = facts.program.allowanceMinor - facts.usedMinor;
        expect(decision.error.message).toBe(
          `${left > 0n ? left : 0n} of the gift allowance left this ${facts.program.period.unit}, ${facts.amountMinor} requested`,
        );
      }),
      { numRuns: RUNS },
    );
  });

  it("sends exactly what the allowance allows, to the last unit", () => {
    fc.assert(
      fc.property(programArb, partyArb, fc.bigInt({ min: 0n, max: 1000n }), (program, sender, used) => {
        const open: GiftProgram = {
          ...program,
          status: "live",
          senderPlans: null,
          senderCohorts: null,
          sentPerPeriod: null,
          giftMinMinor: 1n,
          giftMaxMinor: 2000n,
        };
        const left = open.allowanceMinor - used;
        const facts = {
          program: open,
          sender,
          source: "allowance" as const,
          usedMinor: used,
          sentCount: 0,
          giftBalanceMinor: 0n,
          nowMs: NOW_MS,
        };
        if (left >= 1n) expect(decideSend({ ...facts, amountMinor: left }).ok).toBe(true);
        const over = decideSend({ ...facts, amountMinor: (left > 0n ? left : 0n) + 1n });
        expect(over.ok ? "ok" : over.error.code).toBe("insufficient_credits");
      }),
      { numRuns: RUNS },
    );
  });

  it("closes draft and ended programs to everyone, and hidden ones to all but their cohorts", () => {
    fc.assert(
      fc.property(programArb, partyArb, (program, party) => {
        const visible = programVisibleTo(program, party);
        if (program.status === "live") expect(visible).toBe(true);
        if (program.status === "draft" || program.status === "ended") expect(visible).toBe(false);
        if (program.status === "hidden")
          expect(visible).toBe(program.visibleTo.some((cohort) => party.cohorts.includes(cohort)));
      }),
      { numRuns: RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// decideClaim

const claimFactsArb: fc.Arbitrary<ClaimFacts> = fc
  .record({
    program: programArb,
    status: mostly<GiftStatus>("pending", fc.constantFrom(...GIFT_STATUSES)),
    expiresInMs: fc.oneof(
      { arbitrary: fc.integer({ min: 1, max: 14 * DAY_MS }), weight: 8 },
      fc.constantFrom(-1, 0, 1),
      fc.integer({ min: -DAY_MS, max: 0 }),
    ),
    senderId: mostly("dan", fc.constantFrom(...PEOPLE)),
    senderSignals: signalsArb,
    recipient: partyArb,
    recipientSignals: signalsArb,
    receivedThisPeriod: fc.integer({ min: 0, max: 4 }),
    extraEver: fc.integer({ min: 0, max: 4 }),
  })
  .map(({ expiresInMs, extraEver, ...facts }) => ({
    ...facts,
    expiresAtMs: NOW_MS + expiresInMs,
    // What was claimed this period was claimed ever.
    claimedEver: facts.receivedThisPeriod + extraEver,
    nowMs: NOW_MS,
  }));

describe("decideClaim", () => {
  it("agrees with the model on every answer", () => {
    fc.assert(
      fc.property(claimFactsArb, (facts) => {
        const decision = decideClaim(facts);
        const actual = decision.ok
          ? {
              code: "ok",
              segment: decision.segment,
              review: decision.reviewReason !== null,
              lotExpiresAtMs: decision.lotExpiresAtMs,
              lotPriority: decision.lotPriority,
            }
          : { code: decision.error.code };
        expect(actual).toEqual(modelClaim(facts));
      }),
      { numRuns: RUNS * 4 },
    );
  });

  it("gives the one same answer for every gift that is not claimable", () => {
    fc.assert(
      fc.property(claimFactsArb, (facts) => {
        const decision = decideClaim(facts);
        if (facts.status === "pending" && NOW_MS < facts.expiresAtMs) return;
        expect(decision.ok).toBe(false);
        if (!decision.ok) expect(decision.error.code).toBe("gift_unavailable");
      }),
      { numRuns: RUNS },
    );
  });

  it("segments at the boundary days: new through the last millisecond, lapsed from the first", () => {
    fc.assert(
      fc.property(programArb, partyArb, (program, party) => {
        const newEdgeMs = NOW_MS - program.newWithinDays * DAY_MS;
        expect(segmentOf(program, { ...party, signedUpAtMs: newEdgeMs }, NOW_MS)).toBe("new");
        const old = { ...party, signedUpAtMs: newEdgeMs - 1 };
        const lapsedEdgeMs = NOW_MS - program.lapsedAfterDays * DAY_MS;
        // Activity can't precede signing up; the rules are checked where both are possible.
        if (lapsedEdgeMs >= old.signedUpAtMs) {
          expect(segmentOf(program, { ...old, lastActiveAtMs: lapsedEdgeMs }, NOW_MS)).toBe("lapsed");
          expect(segmentOf(program, { ...old, lastActiveAtMs: lapsedEdgeMs + 1 }, NOW_MS)).toBe("active");
        }
        // A customer never active is idle since signing up.
        const neverActive = segmentOf(program, { ...old, lastActiveAtMs: null }, NOW_MS);
        expect(neverActive).toBe(old.signedUpAtMs <= lapsedEdgeMs ? "lapsed" : "active");
      }),
      { numRuns: RUNS },
    );
  });

  it("holds a claim for review exactly when the claimer shares the sender's device or address", () => {
    const base = (senderSignals: Signals | null, recipientSignals: Signals | null): ClaimFacts => ({
      program: {
        id: "p",
        version: 1,
        status: "live",
        visibleTo: [],
        senderPlans: null,
        senderCohorts: null,
        period: { unit: "month", timeZone: "UTC" },
        allowanceMinor: 100n,
        giftMinMinor: 1n,
        giftMaxMinor: 100n,
        sentPerPeriod: null,
        receivedPerPeriod: null,
        claimedEver: null,
        recipients: "anyone",
        newWithinDays: 30,
        lapsedAfterDays: 62,
        claimWindowSeconds: 86_400,
        creditsExpireAfterSeconds: null,
        creditsPriority: 10,
      },
      status: "pending",
      expiresAtMs: NOW_MS + 1,
      senderId: "ann",
      senderSignals,
      recipient: { id: "bob", plan: null, cohorts: [], signedUpAtMs: NOW_MS, lastActiveAtMs: null },
      recipientSignals,
      receivedThisPeriod: 0,
      claimedEver: 0,
      nowMs: NOW_MS,
    });
    const reviewOf = (sender: Signals | null, recipient: Signals | null): string | null => {
      const decision = decideClaim(base(sender, recipient));
      if (!decision.ok) throw new Error(decision.error.code);
      return decision.reviewReason;
    };
    expect(reviewOf({ device: "d" }, { device: "d" })).toMatch(/device/);
    expect(reviewOf({ address: "a" }, { address: "a", device: "x" })).toMatch(/address/);
    expect(reviewOf({ device: "d" }, { device: "e" })).toBeNull();
    expect(reviewOf({ device: "d" }, null)).toBeNull();
    expect(reviewOf(null, { device: "d" })).toBeNull();
    expect(reviewOf({}, {})).toBeNull();
    expect(reviewOf({ device: "d" }, { address: "d" })).toBeNull();
  });
});
