/**
 * The pure referral rules as properties. The reward state machine: over any sequence of events a
 * reversed or canceled reward never changes again, a reward is granted only from pending and at most
 * once, and reversed only from granted. Inviting and accepting: `decideInvite` and `decideAccept`
 * agree with a small model written here from the rules alone (program phases with the window's edges
 * exactly at opensAt and closesAt, hidden programs and their cohorts, audience plans and cohorts, caps
 * per referrer and per period, new, lapsed and active invitees on their boundary days, self-invites,
 * and the review reasons: the same mailbox, a shared device or address, a disposable domain,
 * velocity). `normalizeEmail` keeps one mailbox one string. The written form of a program reads back
 * to the same program, and each invalid program names the path at fault.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ErrorCode } from "../../src/core/errors.js";
import type { Signals } from "../../src/core/gifts.js";
import type { JsonValue } from "../../src/core/json-lines.js";
import { PlanSpecError } from "../../src/core/plan-spec.js";
import {
  INVITEE_RULES,
  type InviteeRule,
  programPhase,
  REFERRAL_STATUSES,
  type ReferralProgram,
  type ReferralStatus,
  readReferralProgram,
  writeReferralProgram,
} from "../../src/core/referral-program.js";
import {
  type AcceptFacts,
  decideAccept,
  decideInvite,
  inviteeSegment,
  invitePeriodStartMs,
  nextRewardState,
  normalizeEmail,
  REWARD_STATES,
  type ReferralParty,
  type RewardEvent,
  type RewardState,
  withinAttribution,
} from "../../src/core/referrals.js";

const RUNS = 500;
const SECOND_MS = 1000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const NOW_MS = Date.UTC(2026, 5, 11, 9, 30);
const EVENTS: readonly RewardEvent[] = ["grant", "flag", "approve", "reject", "cancel", "reverse", "refuse"];
const PLANS = ["free", "plus", "pro"] as const;
const COHORTS = ["beta", "staff", "vip"] as const;
const PEOPLE = ["ann", "bob", "cat"] as const;

// ---------------------------------------------------------------------------------------------------
// The reward state machine

/** The transitions as the design states them, written out independently of the code's table. */
function expectedNext(state: RewardState, event: RewardEvent): RewardState | null {
  if (state === "pending") {
    if (event === "grant") return "granted";
    if (event === "flag") return "review_required";
    if (event === "cancel") return "canceled";
    return null;
  }
  if (state === "review_required") {
    if (event === "approve") return "pending";
    if (event === "reject") return "canceled";
    return null;
  }
  if (state === "granted") {
    if (event === "reverse") return "reversed";
    // The grant itself was refused before anything was made: nothing was paid.
    if (event === "refuse") return "canceled";
    return null;
  }
  return null;
}

const TERMINAL: readonly RewardState[] = ["reversed", "canceled"];

describe("the reward state machine", () => {
  it("follows the stated table for every state and event", () => {
    for (const state of REWARD_STATES)
      for (const event of EVENTS)
        expect({ state, event, next: nextRewardState(state, event) }).toEqual({
          state,
          event,
          next: expectedNext(state, event),
        });
  });

  it("never leaves a terminal state, grants only from pending and once, reverses only from granted", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...REWARD_STATES),
        fc.array(fc.constantFrom(...EVENTS), { maxLength: 60 }),
        (start, events) => {
          let state = start;
          let grants = 0;
          let reversals = 0;
          for (const event of events) {
            const next = nextRewardState(state, event);
            if (TERMINAL.includes(state)) expect(next).toBeNull();
            if (next === null) continue;
            expect(next).not.toBe(state);
            if (next === "granted") {
              expect(state).toBe("pending");
              grants += 1;
            }
            if (next === "reversed") {
              expect(state).toBe("granted");
              reversals += 1;
            }
            // A granted reward is never paid again: it is reversed, or its grant was refused.
            if (state === "granted") expect(["reversed", "canceled"]).toContain(next);
            state = next;
          }
          const paidBefore = start === "granted" || start === "reversed" ? 1 : 0;
          expect(paidBefore + grants).toBeLessThanOrEqual(1);
          expect(reversals).toBeLessThanOrEqual(start === "granted" ? 1 : grants);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("reaches every state from pending", () => {
    const reachable = new Set<RewardState>(["pending"]);
    for (let round = 0; round < REWARD_STATES.length; round += 1)
      for (const state of [...reachable])
        for (const event of EVENTS) {
          const next = nextRewardState(state, event);
          if (next !== null) reachable.add(next);
        }
    expect([...reachable].sort()).toEqual([...REWARD_STATES].sort());
  });
});

// ---------------------------------------------------------------------------------------------------
// Programs, parties and the model of inviting and accepting

/** The reference pilot, read: every field a decision looks at has a plain value to override. */
const BASE_PROGRAM: ReferralProgram = readReferralProgram("pilot", 1, {
  status: "live",
  rewards: { referrer: { type: "reset" }, invitee: { type: "reset" } },
});

/** `usual` three times in four, so that most cases get past the first refusals. */
const mostly = <T>(usual: T, other: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  fc.oneof({ arbitrary: fc.constant(usual), weight: 3 }, { arbitrary: other, weight: 1 });

/** An offset from now that lands on an edge (exactly, one millisecond either side) or far from it. */
const edgeOffsetArb = fc.constantFrom(-DAY_MS, -1, 0, 1, DAY_MS);

const windowArb = fc
  .record({
    opens: fc.option(edgeOffsetArb, { nil: null }),
    closes: fc.option(edgeOffsetArb, { nil: null }),
  })
  .filter(({ opens, closes }) => opens === null || closes === null || closes > opens)
  .map(({ opens, closes }) => ({
    opensAtMs: opens === null ? null : NOW_MS + opens,
    closesAtMs: closes === null ? null : NOW_MS + closes,
  }));

const programArb: fc.Arbitrary<ReferralProgram> = fc
  .record({
    status: mostly<ReferralStatus>("live", fc.constantFrom(...REFERRAL_STATUSES)),
    visibleTo: fc.subarray([...COHORTS]),
    window: windowArb,
    audiencePlans: mostly<readonly string[] | null>(null, fc.subarray([...PLANS])),
    audienceCohorts: mostly<readonly string[] | null>(null, fc.subarray([...COHORTS])),
    invitesPerReferrer: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
    invitesPerPeriod: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
    invitees: fc.constantFrom(...INVITEE_RULES),
    newWithinDays: fc.integer({ min: 1, max: 60 }),
    lapsedAfterDays: fc.integer({ min: 1, max: 120 }),
    disposableDomains: fc.subarray(["mailinator.com", "example.com"]),
    velocityAcceptances: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
  })
  .map(({ window, ...rest }) => ({ ...BASE_PROGRAM, ...rest, ...window }));

/**
 * An email as a mailbox and a spelling of it. The model knows the mailbox (user and domain, written
 * plainly); the code sees only the spelling: case changed, a `+tag`, and for Gmail dots in the user
 * part or the googlemail.com domain.
 */
interface Email {
  readonly mailbox: string;
  readonly domain: string;
  readonly spelled: string;
}

const USERS = ["ada", "adal", "bob"] as const;
const DOMAINS = ["gmail.com", "example.com", "mailinator.com"] as const;

const emailArb: fc.Arbitrary<Email> = fc
  .record({
    user: fc.constantFrom(...USERS),
    domain: fc.constantFrom(...DOMAINS),
    dotAt: fc.option(fc.integer({ min: 1, max: 2 }), { nil: null }),
    tag: fc.option(fc.constantFrom("x", "boon", "a.b"), { nil: null }),
    upper: fc.boolean(),
    googlemail: fc.boolean(),
  })
  .map(({ user, domain, dotAt, tag, upper, googlemail }) => {
    const gmail = domain === "gmail.com";
    // Dots only where Gmail ignores them: elsewhere `ada.l` and `adal` are two mailboxes.
    const local = gmail && dotAt !== null ? `${user.slice(0, dotAt)}.${user.slice(dotAt)}` : user;
    const written = gmail && googlemail ? "googlemail.com" : domain;
    const text = `${local}${tag === null ? "" : `+${tag}`}@${written}`;
    return { mailbox: `${user}@${domain}`, domain: written, spelled: upper ? text.toUpperCase() : text };
  });

interface Party {
  readonly party: ReferralParty;
  readonly email: Email | null;
}

const partyArb = (program: ReferralProgram): fc.Arbitrary<Party> =>
  fc
    .record({
      id: fc.constantFrom(...PEOPLE),
      plan: fc.option(fc.constantFrom(...PLANS), { nil: null }),
      cohorts: fc.subarray([...COHORTS]),
      email: fc.option(emailArb, { nil: null }),
      // Signed up exactly at the end of "new", one millisecond either side, or long before.
      signedUp: fc.constantFrom(-1, 0, 1, 400 * DAY_MS),
      // Last active exactly at the start of "lapsed", one millisecond either side, never, or recently.
      lastActive: fc.constantFrom<number | null>(-1, 0, 1, null, -(program.lapsedAfterDays - 1) * DAY_MS),
    })
    .map(({ id, plan, cohorts, email, signedUp, lastActive }) => ({
      email,
      party: {
        id,
        plan,
        cohorts,
        email: email?.spelled ?? null,
        signedUpAtMs: NOW_MS - program.newWithinDays * DAY_MS - signedUp,
        lastActiveAtMs: lastActive === null ? null : NOW_MS - program.lapsedAfterDays * DAY_MS - lastActive,
      },
    }));

const signalsArb: fc.Arbitrary<Signals | null> = fc.option(
  fc.record(
    { device: fc.constantFrom("d1", "d2"), address: fc.constantFrom("a1", "a2") },
    { requiredKeys: [] },
  ),
  { nil: null },
);

type Phase = "draft" | "scheduled" | "hidden" | "live" | "ended";

function modelPhase(program: ReferralProgram, nowMs: number): Phase {
  if (program.status === "draft" || program.status === "ended") return program.status;
  if (program.opensAtMs !== null && nowMs < program.opensAtMs) return "scheduled";
  if (program.closesAtMs !== null && nowMs >= program.closesAtMs) return "ended";
  return program.status;
}

const shares = (a: readonly string[], b: readonly string[]): boolean => a.some((x) => b.includes(x));

function modelInvite(
  program: ReferralProgram,
  referrer: ReferralParty,
  counts: { ever: number; thisPeriod: number },
): ErrorCode | "ok" {
  const phase = modelPhase(program, NOW_MS);
  const open = phase === "live" || (phase === "hidden" && shares(program.visibleTo, referrer.cohorts));
  if (!open) return "program_closed";
  const { audiencePlans: plans, audienceCohorts: cohorts } = program;
  const everyone = plans === null && cohorts === null;
  const byPlan = plans !== null && referrer.plan !== null && plans.includes(referrer.plan);
  const byCohort = cohorts !== null && shares(cohorts, referrer.cohorts);
  if (!everyone && !byPlan && !byCohort) return "not_eligible";
  if (program.invitesPerReferrer !== null && counts.ever >= program.invitesPerReferrer) return "cap_exceeded";
  if (program.invitesPerPeriod !== null && counts.thisPeriod >= program.invitesPerPeriod)
    return "cap_exceeded";
  return "ok";
}

function modelSegment(program: ReferralProgram, invitee: ReferralParty): "new" | "lapsed" | "active" {
  if (NOW_MS - invitee.signedUpAtMs <= program.newWithinDays * DAY_MS) return "new";
  const seenMs = invitee.lastActiveAtMs ?? invitee.signedUpAtMs;
  return NOW_MS - seenMs >= program.lapsedAfterDays * DAY_MS ? "lapsed" : "active";
}

const ELIGIBLE: Readonly<Record<InviteeRule, readonly string[]>> = {
  new: ["new"],
  lapsed: ["lapsed"],
  new_or_lapsed: ["new", "lapsed"],
  anyone: ["new", "lapsed", "active"],
};

/** How each review reason reads, so a reason given can be matched to one the model expects. */
const REASON_TEXT = {
  sameEmail: /email is the referrer's/,
  device: /device/,
  address: /address/,
  disposable: /disposable/,
  velocity: /acceptances/,
} as const;
type ReasonKind = keyof typeof REASON_TEXT;

interface AcceptCase {
  readonly program: ReferralProgram;
  readonly referrer: Party;
  readonly invitee: Party;
  readonly inviteEmail: Email | null;
  readonly referrerSignals: Signals | null;
  readonly inviteeSignals: Signals | null;
  readonly recentAcceptances: number;
}

function modelReasons(c: AcceptCase): ReasonKind[] {
  const reasons: ReasonKind[] = [];
  if (
    c.referrer.email !== null &&
    c.invitee.email !== null &&
    c.referrer.email.mailbox === c.invitee.email.mailbox
  )
    reasons.push("sameEmail");
  const sent = c.referrerSignals;
  const claimed = c.inviteeSignals;
  if (sent?.device !== undefined && claimed?.device === sent.device) reasons.push("device");
  if (sent?.address !== undefined && claimed?.address === sent.address) reasons.push("address");
  const domain = (c.invitee.email ?? c.inviteEmail)?.domain;
  if (domain !== undefined && c.program.disposableDomains.includes(domain)) reasons.push("disposable");
  if (c.program.velocityAcceptances !== null && c.recentAcceptances + 1 > c.program.velocityAcceptances)
    reasons.push("velocity");
  return reasons;
}

function modelAccept(c: AcceptCase): ErrorCode | "ok" {
  const phase = modelPhase(c.program, NOW_MS);
  if (phase !== "live" && phase !== "hidden") return "program_closed";
  if (c.invitee.party.id === c.referrer.party.id) return "referral_self_invite";
  if (!ELIGIBLE[c.program.invitees].includes(modelSegment(c.program, c.invitee.party))) return "not_eligible";
  return "ok";
}

const acceptCaseArb: fc.Arbitrary<AcceptCase> = programArb.chain((program) =>
  fc.record({
    program: fc.constant(program),
    referrer: partyArb(program),
    invitee: partyArb(program),
    inviteEmail: fc.option(emailArb, { nil: null }),
    referrerSignals: signalsArb,
    inviteeSignals: signalsArb,
    recentAcceptances: fc.integer({ min: 0, max: 4 }),
  }),
);

function factsOf(c: AcceptCase): AcceptFacts {
  return {
    program: c.program,
    referrer: c.referrer.party,
    invitee: c.invitee.party,
    inviteEmail: c.inviteEmail?.spelled ?? null,
    referrerSignals: c.referrerSignals,
    inviteeSignals: c.inviteeSignals,
    recentAcceptances: c.recentAcceptances,
    nowMs: NOW_MS,
  };
}

describe("program phases", () => {
  const windowed = { ...BASE_PROGRAM, opensAtMs: NOW_MS, closesAtMs: NOW_MS + DAY_MS };

  it("opens exactly at opensAt and closes exactly at closesAt", () => {
    for (const status of ["live", "hidden"] as const) {
      const program = { ...windowed, status };
      expect(programPhase(program, NOW_MS - 1)).toBe("scheduled");
      expect(programPhase(program, NOW_MS)).toBe(status);
      expect(programPhase(program, NOW_MS + DAY_MS - 1)).toBe(status);
      expect(programPhase(program, NOW_MS + DAY_MS)).toBe("ended");
    }
  });

  it("keeps a draft a draft and an ended program ended, whatever the window", () => {
    for (const status of ["draft", "ended"] as const)
      for (const atMs of [NOW_MS - 1, NOW_MS, NOW_MS + DAY_MS])
        expect(programPhase({ ...windowed, status }, atMs)).toBe(status);
  });

  it("agrees with the model at every instant near the edges", () => {
    fc.assert(
      fc.property(programArb, edgeOffsetArb, (program, offset) => {
        expect(programPhase(program, NOW_MS + offset)).toBe(modelPhase(program, NOW_MS + offset));
      }),
      { numRuns: RUNS },
    );
  });
});

describe("decideInvite", () => {
  it("agrees with the model: phase, hidden cohorts, audience, caps per referrer and per period", () => {
    fc.assert(
      fc.property(
        programArb.chain((program) =>
          fc.tuple(fc.constant(program), partyArb(program), fc.nat({ max: 5 }), fc.nat({ max: 5 })),
        ),
        ([program, referrer, ever, thisPeriod]) => {
          const counts = { ever: Math.max(ever, thisPeriod), thisPeriod };
          const decision = decideInvite(program, referrer.party, counts, NOW_MS);
          expect(decision.ok ? "ok" : decision.error.code).toBe(modelInvite(program, referrer.party, counts));
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  it("lets a hidden pilot's cohort invite and nobody else", () => {
    const hidden = { ...BASE_PROGRAM, status: "hidden" as const, visibleTo: ["beta"] };
    const party = (cohorts: string[]): ReferralParty => ({
      id: "ann",
      plan: "pro",
      cohorts,
      email: null,
      signedUpAtMs: NOW_MS - 400 * DAY_MS,
      lastActiveAtMs: NOW_MS,
    });
    const code = (cohorts: string[]) => {
      const decision = decideInvite(hidden, party(cohorts), { ever: 0, thisPeriod: 0 }, NOW_MS);
      return decision.ok ? "ok" : decision.error.code;
    };
    expect(code(["beta"])).toBe("ok");
    expect(code(["staff", "beta"])).toBe("ok");
    expect(code(["staff"])).toBe("program_closed");
    expect(code([])).toBe("program_closed");
  });

  it("counts a fourth invite over a cap of three, and the per-period cap apart from it", () => {
    const capped = { ...BASE_PROGRAM, invitesPerReferrer: 3, invitesPerPeriod: 2 };
    const referrer: ReferralParty = {
      id: "ann",
      plan: "pro",
      cohorts: [],
      email: null,
      signedUpAtMs: NOW_MS - 400 * DAY_MS,
      lastActiveAtMs: NOW_MS,
    };
    const code = (ever: number, thisPeriod: number) => {
      const decision = decideInvite(capped, referrer, { ever, thisPeriod }, NOW_MS);
      return decision.ok ? "ok" : decision.error.code;
    };
    expect(code(2, 1)).toBe("ok");
    expect(code(3, 0)).toBe("cap_exceeded");
    expect(code(2, 2)).toBe("cap_exceeded");
  });
});

describe("invitee segments", () => {
  it("agrees with the model on both sides of each boundary day", () => {
    fc.assert(
      fc.property(
        programArb.chain((program) => fc.tuple(fc.constant(program), partyArb(program))),
        ([program, invitee]) => {
          expect(inviteeSegment(program, invitee.party, NOW_MS)).toBe(modelSegment(program, invitee.party));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("is new through the last day, lapsed from the first idle day on", () => {
    const program = { ...BASE_PROGRAM, newWithinDays: 30, lapsedAfterDays: 62 };
    const at = (signedUpDaysAgo: number, lastActiveDaysAgo: number | null, extraMs = 0) => {
      const invitee: ReferralParty = {
        id: "bob",
        plan: null,
        cohorts: [],
        email: null,
        signedUpAtMs: NOW_MS - signedUpDaysAgo * DAY_MS - extraMs,
        lastActiveAtMs: lastActiveDaysAgo === null ? null : NOW_MS - lastActiveDaysAgo * DAY_MS - extraMs,
      };
      return inviteeSegment(program, invitee, NOW_MS);
    };
    expect(at(30, null)).toBe("new");
    expect(at(30, null, 1)).toBe("active");
    expect(at(400, 62)).toBe("lapsed");
    expect(at(400, 62, -1)).toBe("active");
    // Never active since signing up: idle since the signup.
    expect(at(62, null)).toBe("lapsed");
  });
});

describe("decideAccept", () => {
  it("agrees with the model: phase, self-invites, eligibility and every review reason", () => {
    fc.assert(
      fc.property(acceptCaseArb, (c) => {
        const decision = decideAccept(factsOf(c));
        const expected = modelAccept(c);
        expect(decision.ok ? "ok" : decision.error.code).toBe(expected);
        if (!decision.ok) return;
        const reasons = modelReasons(c);
        if (reasons.length === 0) expect(decision.reviewReason).toBeNull();
        else
          expect({
            reason: decision.reviewReason,
            matches: reasons.some((kind) => REASON_TEXT[kind].test(decision.reviewReason ?? "")),
          }).toEqual({ reason: decision.reviewReason, matches: true });
      }),
      { numRuns: RUNS * 4 },
    );
  });

  it("refuses a self-invite whatever else is true, once the program is open", () => {
    fc.assert(
      fc.property(acceptCaseArb, (c) => {
        const self = { ...c, invitee: c.referrer };
        const decision = decideAccept(factsOf(self));
        const open = ["live", "hidden"].includes(modelPhase(c.program, NOW_MS));
        expect(decision.ok ? "ok" : decision.error.code).toBe(
          open ? "referral_self_invite" : "program_closed",
        );
      }),
      { numRuns: RUNS },
    );
  });

  it("flags the same person behind two spellings of one Gmail address", () => {
    const person = (id: string, email: string): ReferralParty => ({
      id,
      plan: "pro",
      cohorts: [],
      email,
      signedUpAtMs: NOW_MS - DAY_MS,
      lastActiveAtMs: null,
    });
    const decision = decideAccept({
      program: { ...BASE_PROGRAM, invitees: "anyone" },
      referrer: person("ann", "Ada.L+boon@GMail.com"),
      invitee: person("bob", "adal@googlemail.com"),
      inviteEmail: null,
      referrerSignals: null,
      inviteeSignals: null,
      recentAcceptances: 0,
      nowMs: NOW_MS,
    });
    expect(decision).toEqual({ ok: true, reviewReason: expect.stringMatching(REASON_TEXT.sameEmail) });
  });
});

describe("attribution and invite periods", () => {
  it("counts a qualifying action from the acceptance up to, not including, the end of attribution", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 90 * 86_400 }),
        fc.integer({ min: -2, max: 2 }),
        fc.boolean(),
        (attributionSeconds, nudgeMs, atEnd) => {
          const program = { ...BASE_PROGRAM, attributionSeconds };
          const endMs = NOW_MS + attributionSeconds * SECOND_MS;
          const atMs = (atEnd ? endMs : NOW_MS) + nudgeMs;
          expect(withinAttribution(program, NOW_MS, atMs)).toBe(atMs >= NOW_MS && atMs < endMs);
        },
      ),
      { numRuns: RUNS },
    );
  });

  /** Zones with one offset all year, so the start of a local period is plain arithmetic. */
  const FIXED_ZONES: readonly { zone: string; offsetMs: number }[] = [
    { zone: "UTC", offsetMs: 0 },
    { zone: "Asia/Kolkata", offsetMs: 5.5 * HOUR_MS },
    // POSIX style: Etc/GMT+5 is five hours behind UTC.
    { zone: "Etc/GMT+5", offsetMs: -5 * HOUR_MS },
  ];

  function modelPeriodStartMs(unit: "day" | "week" | "month", offsetMs: number, atMs: number): number {
    const local = new Date(atMs + offsetMs);
    const dayStartMs = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
    if (unit === "day") return dayStartMs - offsetMs;
    if (unit === "month") return Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - offsetMs;
    const sinceMonday = (local.getUTCDay() + 6) % 7;
    return dayStartMs - sinceMonday * DAY_MS - offsetMs;
  }

  it("starts the per-period cap's period at the local midnight, Monday or first of the month", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FIXED_ZONES),
        fc.constantFrom("day" as const, "week" as const, "month" as const),
        fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 0, 1) }),
        fc.constantFrom(null, -1, 0, 1),
        ({ zone, offsetMs }, unit, sampleMs, nudgeMs) => {
          // Mostly exactly at, or next to, a period's start, where an off-by-one would show.
          const atMs = nudgeMs === null ? sampleMs : modelPeriodStartMs(unit, offsetMs, sampleMs) + nudgeMs;
          const program = { ...BASE_PROGRAM, period: { unit, timeZone: zone } };
          expect(invitePeriodStartMs(program, atMs)).toBe(modelPeriodStartMs(unit, offsetMs, atMs));
        },
      ),
      { numRuns: RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// normalizeEmail

const asciiLocalArb = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,11}$/);
const tagArb = fc.stringMatching(/^[A-Za-z0-9.+_-]{0,8}$/);
const domainArb = fc.constantFrom("gmail.com", "googlemail.com", "GMail.com", "example.com", "Proton.me");

describe("normalizeEmail", () => {
  it("is idempotent on any text", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.emailAddress()), (text) => {
        expect(normalizeEmail(normalizeEmail(text))).toBe(normalizeEmail(text));
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it("ignores case, a +tag, surrounding spaces, and for Gmail dots and googlemail.com", () => {
    fc.assert(
      fc.property(asciiLocalArb, tagArb, domainArb, fc.boolean(), (local, tag, domain, upper) => {
        const user = local.replaceAll("+", "");
        const plain = normalizeEmail(`${user}@${domain}`);
        const spelled = `  ${user}+${tag}@${domain} `;
        expect(normalizeEmail(upper ? spelled.toUpperCase() : spelled.toLowerCase())).toBe(plain);
        const gmail = ["gmail.com", "googlemail.com"].includes(domain.toLowerCase());
        const undotted = `${user.replaceAll(".", "")}@${domain}`;
        if (gmail) {
          expect(normalizeEmail(undotted)).toBe(plain);
          expect(plain).toBe(`${user.toLowerCase().replaceAll(".", "")}@gmail.com`);
        } else {
          expect(plain).toBe(`${user.toLowerCase()}@${domain.toLowerCase()}`);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("keeps two mailboxes apart: dots count outside Gmail, and different users differ", () => {
    expect(normalizeEmail("ada.l@example.com")).not.toBe(normalizeEmail("adal@example.com"));
    expect(normalizeEmail("ada.l@gmail.com")).toBe(normalizeEmail("adal@gmail.com"));
    expect(normalizeEmail("ada@gmail.com")).not.toBe(normalizeEmail("ada@example.com"));
    fc.assert(
      fc.property(emailArb, emailArb, (a, b) => {
        expect(normalizeEmail(a.spelled) === normalizeEmail(b.spelled)).toBe(a.mailbox === b.mailbox);
      }),
      { numRuns: RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// The written form of a program

const nameArb = fc.stringMatching(/^[a-z0-9][a-z0-9_.-]{0,10}$/);
const namesArb = fc.array(nameArb, { maxLength: 4 });
const nullable = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(arb, { nil: null });

/** A positive duration up to `maxSeconds`, in any unit that writes it. */
const durationArb = (maxSeconds: number): fc.Arbitrary<string> =>
  fc
    .constantFrom(["s", 1], ["m", 60], ["h", 3600], ["d", 86_400])
    .chain(([unit, size]) =>
      fc
        .integer({ min: 1, max: Math.min(99_999_999, Math.floor(maxSeconds / (size as number))) })
        .map((count) => `${count}${unit}`),
    );

const LONG_SECONDS = 3650 * 86_400;
const RESET_SECONDS = 366 * 86_400;
const isoArb = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }).map((ms) => {
  const iso = new Date(ms).toISOString();
  return ms % 2 === 0 ? iso : iso.replace(/\.\d{3}Z$/, "Z");
});

const rewardArb: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.record(
    {
      type: fc.constant("reset"),
      windows: nullable(
        fc.array(
          fc.tuple(nameArb, nameArb).map(([meter, window]) => `${meter}/${window}`),
          { minLength: 1, maxLength: 3 },
        ),
      ),
      expiresAfter: durationArb(RESET_SECONDS),
    },
    { requiredKeys: ["type"] },
  ),
  fc.record(
    {
      type: fc.constant("credits"),
      amount: fc.integer({ min: 1, max: 1_000_000_000_000 }),
      expiresAfter: nullable(durationArb(LONG_SECONDS)),
      priority: fc.integer({ min: 0, max: 1000 }),
    },
    { requiredKeys: ["type", "amount"] },
  ),
);

const rewardsArb: fc.Arbitrary<JsonValue> = fc
  .record({ referrer: nullable(rewardArb), invitee: nullable(rewardArb) }, { requiredKeys: [] })
  .filter((sides) => (sides.referrer ?? null) !== null || (sides.invitee ?? null) !== null);

const countArb = nullable(fc.integer({ min: 1, max: 10_000 }));
const daysArb = fc.integer({ min: 1, max: 3650 });

/** Valid written programs: every field present or left to its default, the window in order. */
const writtenArb: fc.Arbitrary<JsonValue> = fc.record(
  {
    status: fc.constantFrom(...REFERRAL_STATUSES),
    visibleTo: namesArb,
    window: fc
      .tuple(nullable(isoArb), nullable(isoArb))
      .filter(
        ([opens, closes]) => opens === null || closes === null || Date.parse(closes) > Date.parse(opens),
      )
      .map(([opensAt, closesAt]) => ({ opensAt, closesAt })),
    audience: fc.record({ plans: nullable(namesArb), cohorts: nullable(namesArb) }, { requiredKeys: [] }),
    invites: fc.record(
      {
        perReferrer: countArb,
        perPeriod: countArb,
        period: fc.record(
          {
            unit: fc.constantFrom("day", "week", "month"),
            timeZone: fc.constantFrom("UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata"),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: [] },
    ),
    invitees: fc.record(
      { eligibility: fc.constantFrom(...INVITEE_RULES), newWithinDays: daysArb, lapsedAfterDays: daysArb },
      { requiredKeys: [] },
    ),
    attributionWindow: nullable(durationArb(LONG_SECONDS)),
    qualifyingEvent: fc.oneof(
      fc.constant({ firstUsage: {} }),
      nameArb.map((action) => ({ firstUsage: { action } })),
      nameArb.map((event) => ({ event })),
    ),
    rewards: rewardsArb,
    holdPeriod: fc.oneof(fc.constant("0s"), durationArb(LONG_SECONDS), fc.constant(null)),
    budget: fc.record(
      {
        credits: nullable(fc.integer({ min: 0, max: 1_000_000_000_000 })),
        resets: nullable(fc.integer({ min: 0, max: 1_000_000_000 })),
      },
      { requiredKeys: [] },
    ),
    fraud: fc.record(
      {
        disposableDomains: fc.array(fc.constantFrom("mailinator.com", "trash-mail.io", "10minute.email")),
        velocity: fc.record(
          { acceptances: countArb, within: nullable(durationArb(LONG_SECONDS)) },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ["rewards"] },
);

describe("the written form of a program", () => {
  it("reads back to the same program: read(write(read(x))) equals read(x), through JSON too", () => {
    fc.assert(
      fc.property(writtenArb, (written) => {
        const program = readReferralProgram("prog", 3, written);
        const rewritten = writeReferralProgram(program);
        const stored = JSON.parse(JSON.stringify(rewritten)) as JsonValue;
        expect(readReferralProgram("prog", 3, stored)).toEqual(program);
        expect(writeReferralProgram(readReferralProgram("prog", 3, stored))).toEqual(rewritten);
      }),
      { numRuns: RUNS * 2 },
    );
  });

  // Zero is a duration only where nothing makes sense (no hold); elsewhere "0s" is refused, so every
  // stored program reads back ("0d", what zero would be written as, does not read).
  it("refuses zero durations except the hold, which reads back", () => {
    for (const extra of [
      { attributionWindow: "0s" },
      { fraud: { velocity: { within: "0s" } } },
      { rewards: { referrer: { type: "credits", amount: 5, expiresAfter: "0s" } } },
    ] as Record<string, JsonValue>[])
      expect(() =>
        readReferralProgram("prog", 1, { rewards: { invitee: { type: "reset" } }, ...extra }),
      ).toThrow(/must be a duration/);
    const held = readReferralProgram("prog", 1, {
      rewards: { invitee: { type: "reset" } },
      holdPeriod: "0s",
    });
    expect(readReferralProgram("prog", 1, writeReferralProgram(held))).toEqual(held);
  });

  it("spells out every default", () => {
    const written = writeReferralProgram(
      readReferralProgram("p", 1, { rewards: { referrer: { type: "reset" } } }),
    );
    expect(written).toEqual({
      status: "draft",
      visibleTo: [],
      window: { opensAt: null, closesAt: null },
      audience: { plans: null, cohorts: null },
      invites: { perReferrer: null, perPeriod: null, period: { unit: "month", timeZone: "UTC" } },
      invitees: { eligibility: "new_or_lapsed", newWithinDays: 30, lapsedAfterDays: 62 },
      attributionWindow: "30d",
      qualifyingEvent: { firstUsage: {} },
      rewards: { referrer: { type: "reset", windows: null, expiresAfter: "30d" }, invitee: null },
      holdPeriod: "0s",
      budget: { credits: null, resets: null },
      fraud: { disposableDomains: [], velocity: { acceptances: null, within: "1h" } },
    });
  });

  const PILOT: { readonly [key: string]: JsonValue } = {
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
  const CREDITS = { type: "credits", amount: 100 };

  const INVALID: readonly [string, JsonValue, string][] = [
    ["not an object", [], ""],
    ["an unknown field", { ...PILOT, colour: "red" }, "colour"],
    ["an unknown status", { ...PILOT, status: "paused" }, "status"],
    ["a cohort name in capitals", { ...PILOT, visibleTo: ["Beta"] }, "visibleTo[0]"],
    [
      "a window ending before it starts",
      { ...PILOT, window: { opensAt: "2026-06-24T00:00:00Z", closesAt: "2026-06-11T00:00:00Z" } },
      "window.closesAt",
    ],
    [
      "a window ending as it starts",
      { ...PILOT, window: { opensAt: "2026-06-11T00:00:00Z", closesAt: "2026-06-11T00:00:00Z" } },
      "window.closesAt",
    ],
    ["a window opening on no date", { ...PILOT, window: { opensAt: "June 11" } }, "window.opensAt"],
    [
      "a window closing at a number",
      { ...PILOT, window: { closesAt: 1_781_000_000_000 } },
      "window.closesAt",
    ],
    ["an unknown window field", { ...PILOT, window: { start: "2026-06-11T00:00:00Z" } }, "window.start"],
    ["a plan list that is a string", { ...PILOT, audience: { plans: "plus" } }, "audience.plans"],
    ["a plan name in capitals", { ...PILOT, audience: { plans: ["plus", "Pro"] } }, "audience.plans[1]"],
    ["a cap of zero", { ...PILOT, invites: { perReferrer: 0 } }, "invites.perReferrer"],
    ["a cap past the limit", { ...PILOT, invites: { perReferrer: 10_001 } }, "invites.perReferrer"],
    ["a fractional period cap", { ...PILOT, invites: { perPeriod: 2.5 } }, "invites.perPeriod"],
    ["a period of a year", { ...PILOT, invites: { period: { unit: "year" } } }, "invites.period.unit"],
    [
      "an unknown time zone",
      { ...PILOT, invites: { period: { timeZone: "Mars/Olympus_Mons" } } },
      "invites.period.timeZone",
    ],
    ["an unknown eligibility", { ...PILOT, invitees: { eligibility: "everyone" } }, "invitees.eligibility"],
    ["lapsed after zero days", { ...PILOT, invitees: { lapsedAfterDays: 0 } }, "invitees.lapsedAfterDays"],
    [
      "new within ten years and a day",
      { ...PILOT, invitees: { newWithinDays: 3651 } },
      "invitees.newWithinDays",
    ],
    ["an attribution window in words", { ...PILOT, attributionWindow: "30 days" }, "attributionWindow"],
    ["an attribution window past ten years", { ...PILOT, attributionWindow: "3651d" }, "attributionWindow"],
    ["a qualifying event naming nothing", { ...PILOT, qualifyingEvent: {} }, "qualifyingEvent"],
    [
      "a qualifying event naming both",
      { ...PILOT, qualifyingEvent: { firstUsage: {}, event: "first_message" } },
      "qualifyingEvent",
    ],
    [
      "an event name with spaces",
      { ...PILOT, qualifyingEvent: { event: "First Message" } },
      "qualifyingEvent.event",
    ],
    [
      "an action that is a number",
      { ...PILOT, qualifyingEvent: { firstUsage: { action: 3 } } },
      "qualifyingEvent.firstUsage.action",
    ],
    ["rewards for nobody", { ...PILOT, rewards: {} }, "rewards"],
    ["rewards for nobody, spelled out", { ...PILOT, rewards: { referrer: null, invitee: null } }, "rewards"],
    ["a reward for a third side", { ...PILOT, rewards: { friend: CREDITS } }, "rewards.friend"],
    ["a reward paid in cash", { ...PILOT, rewards: { referrer: { type: "cash" } } }, "rewards.referrer.type"],
    ["a reward with no type", { ...PILOT, rewards: { referrer: { amount: 5 } } }, "rewards.referrer.type"],
    [
      "a reset with an amount",
      { ...PILOT, rewards: { referrer: { type: "reset", amount: 5 } } },
      "rewards.referrer",
    ],
    [
      "a reset lasting over a year",
      { ...PILOT, rewards: { invitee: { type: "reset", expiresAfter: "367d" } } },
      "rewards.invitee.expiresAfter",
    ],
    [
      "a reset that never expires",
      { ...PILOT, rewards: { invitee: { type: "reset", expiresAfter: null } } },
      "rewards.invitee.expiresAfter",
    ],
    [
      "a reset scoped to a bare window name",
      { ...PILOT, rewards: { invitee: { type: "reset", windows: ["5h"] } } },
      "rewards.invitee.windows[0]",
    ],
    [
      "a reset scoped to no window at all",
      { ...PILOT, rewards: { invitee: { type: "reset", windows: "messages/5h" } } },
      "rewards.invitee.windows",
    ],
    ["an attribution window of zero", { ...PILOT, attributionWindow: "0s" }, "attributionWindow"],
    [
      "credits of no amount",
      { ...PILOT, rewards: { referrer: { type: "credits" } } },
      "rewards.referrer.amount",
    ],
    [
      "credits of zero",
      { ...PILOT, rewards: { referrer: { type: "credits", amount: 0 } } },
      "rewards.referrer.amount",
    ],
    [
      "credits scoped to windows",
      { ...PILOT, rewards: { referrer: { ...CREDITS, windows: ["messages/5h"] } } },
      "rewards.referrer.windows",
    ],
    [
      "credits of an impossible priority",
      { ...PILOT, rewards: { referrer: { ...CREDITS, priority: 5000 } } },
      "rewards.referrer.priority",
    ],
    [
      "credits expiring after a negative time",
      { ...PILOT, rewards: { referrer: { ...CREDITS, expiresAfter: "-1d" } } },
      "rewards.referrer.expiresAfter",
    ],
    ["a negative hold", { ...PILOT, holdPeriod: "-1d" }, "holdPeriod"],
    ["a negative budget", { ...PILOT, budget: { credits: -1 } }, "budget.credits"],
    ["a fractional reset budget", { ...PILOT, budget: { resets: 1.5 } }, "budget.resets"],
    ["a budget in an unknown unit", { ...PILOT, budget: { dollars: 5 } }, "budget.dollars"],
    [
      "a disposable domain in capitals",
      { ...PILOT, fraud: { disposableDomains: ["Mailinator.com"] } },
      "fraud.disposableDomains[0]",
    ],
    [
      "a velocity of zero acceptances",
      { ...PILOT, fraud: { velocity: { acceptances: 0 } } },
      "fraud.velocity.acceptances",
    ],
    [
      "a velocity window in words",
      { ...PILOT, fraud: { velocity: { within: "an hour" } } },
      "fraud.velocity.within",
    ],
  ];

  it.each(INVALID)("refuses %s, naming the path", (_, written, path) => {
    expect(readReferralProgram("pilot", 1, PILOT)).toMatchObject({ status: "live" });
    let thrown: unknown = null;
    try {
      readReferralProgram("pilot", 1, written);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PlanSpecError);
    expect((thrown as PlanSpecError).path).toBe(path);
  });
});
