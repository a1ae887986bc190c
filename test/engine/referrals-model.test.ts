/**
 * Model-based test of a referral program: random sequences of invites, acceptances, first messages
 * (authorized usage), product events, sweeps, clock moves (onto the window's edges, the ends of
 * holds and attribution windows, the velocity window, invitees' segment changes and midnights) and
 * reversals run against the real engine and against a small model written here from the rules
 * alone. The world is one program with a window, a cap per referrer and per day, a hold, a small
 * budget of credits and of resets, fraud rules; three referrers (one by plan, one outside the
 * audience, one by cohort) and six possible invitees (new, lapsed, about to lapse, active, about to
 * stop being new, and one sharing the first referrer's mailbox). After every step the answer's code
 * must agree with the model, and so must the program's funnel and budget and every customer's
 * credits and banked resets; after each sequence `verify` must find no violation.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import type { ErrorCode, Outcome } from "../../src/core/errors.js";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import type { Store } from "../../src/store/store.js";
import { backends } from "../support/backends.js";
import { counter, expectOk } from "../support/outcomes.js";

/** Runs per backend; raise it (MODEL_RUNS=200) to search harder. */
const RUNS = Number(process.env.MODEL_RUNS ?? 15);
const COMMANDS_MAX = 20;
const TEST_TIMEOUT_MS = 60_000 + RUNS * 4_000;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** Each run lives in a stretch of time of its own, this long, so runs never see each other's rewards. */
const RUN_SPAN_MS = 100 * DAY_MS;
const FIRST_RUN_MS = Date.UTC(2027, 0, 4, 9);

// ---------------------------------------------------------------------------------------------------
// The program, written once for the engine and once as the model's numbers.

const OPENS_AFTER_MS = 30 * MINUTE_MS;
const CLOSES_AFTER_MS = 3 * DAY_MS;
const INVITES_PER_REFERRER = 3;
const INVITES_PER_DAY = 2;
const NEW_WITHIN_DAYS = 30;
const LAPSED_AFTER_DAYS = 62;
const ATTRIBUTION_MS = DAY_MS;
/** The hold a run may have: none, or two hours. */
const HOLDS_MS = [0, 2 * HOUR_MS] as const;
const REFERRER_CREDITS = 100;
const BUDGET_CREDITS = 150;
const BUDGET_RESETS = 2;
const RESET_TTL_MS = 30 * DAY_MS;
const VELOCITY_ACCEPTANCES = 2;
const VELOCITY_WITHIN_MS = HOUR_MS;

type Qualifying = "usage" | "event";
type Status = "live" | "hidden";

interface Opening {
  readonly qualifying: Qualifying;
  readonly status: Status;
  readonly holdMs: number;
  readonly startAtOpening: boolean;
  /** Whether the run starts with one referral made (when the window is open at the start). */
  readonly referred: boolean;
}

function programSpec(startMs: number, { qualifying, status, holdMs }: Opening) {
  return {
    status,
    visibleTo: ["beta"],
    window: {
      opensAt: new Date(startMs + OPENS_AFTER_MS).toISOString(),
      closesAt: new Date(startMs + CLOSES_AFTER_MS).toISOString(),
    },
    audience: { plans: ["pro"], cohorts: ["beta"] },
    invites: {
      perReferrer: INVITES_PER_REFERRER,
      perPeriod: INVITES_PER_DAY,
      period: { unit: "day", timeZone: "UTC" },
    },
    invitees: {
      eligibility: "new_or_lapsed",
      newWithinDays: NEW_WITHIN_DAYS,
      lapsedAfterDays: LAPSED_AFTER_DAYS,
    },
    attributionWindow: "1d",
    qualifyingEvent:
      qualifying === "usage" ? { firstUsage: { action: "message" } } : { event: "first_message" },
    rewards: {
      referrer: { type: "credits", amount: REFERRER_CREDITS },
      invitee: { type: "reset", expiresAfter: "30d" },
    },
    holdPeriod: `${holdMs / 1000}s`,
    budget: { credits: BUDGET_CREDITS, resets: BUDGET_RESETS },
    fraud: {
      disposableDomains: ["mailinator.com"],
      velocity: { acceptances: VELOCITY_ACCEPTANCES, within: "1h" },
    },
  };
}

const PLAN = {
  meters: { messages: [{ window: "5h", kind: "fixed", duration: "5h", allowance: 1000 }] },
  actions: { message: { costs: { messages: 1 }, creditPriceMinor: 10 } },
};

/** Who is who, relative to the run's start. The model reads the plain facts; the engine the records. */
interface Profile {
  readonly key: string;
  readonly plan: "pro" | "free";
  readonly cohorts: readonly string[];
  readonly email: string | null;
  /** The mailbox behind the email, as a person would say it. */
  readonly mailbox: string | null;
  readonly disposable: boolean;
  readonly signedUpMs: number;
  readonly lastActiveMs: number | null;
}

const PROFILES: readonly Profile[] = [
  // Referrers: by plan, outside the audience, by cohort.
  {
    key: "r0",
    plan: "pro",
    cohorts: [],
    email: "ada.l@gmail.com",
    mailbox: "ada-l-at-gmail",
    disposable: false,
    signedUpMs: -400 * DAY_MS,
    lastActiveMs: -DAY_MS,
  },
  {
    key: "r1",
    plan: "free",
    cohorts: [],
    email: "bob@example.com",
    mailbox: "bob",
    disposable: false,
    signedUpMs: -400 * DAY_MS,
    lastActiveMs: -DAY_MS,
  },
  {
    key: "r2",
    plan: "free",
    cohorts: ["beta"],
    email: null,
    mailbox: null,
    disposable: false,
    signedUpMs: -400 * DAY_MS,
    lastActiveMs: -DAY_MS,
  },
  // Invitees: new; lapsed with a throwaway address; lapsing a day and six hours in; active; new for
  // one more day; lapsed and the first referrer under another spelling.
  {
    key: "i0",
    plan: "free",
    cohorts: [],
    email: "cy@example.com",
    mailbox: "cy",
    disposable: false,
    signedUpMs: -DAY_MS,
    lastActiveMs: null,
  },
  {
    key: "i1",
    plan: "free",
    cohorts: [],
    email: "dee@mailinator.com",
    mailbox: "dee",
    disposable: true,
    signedUpMs: -400 * DAY_MS,
    lastActiveMs: -70 * DAY_MS,
  },
  {
    key: "i2",
    plan: "free",
    cohorts: [],
    email: "eve@example.com",
    mailbox: "eve",
    disposable: false,
    signedUpMs: -400 * DAY_MS,
    lastActiveMs: DAY_MS + 6 * HOUR_MS - LAPSED_AFTER_DAYS * DAY_MS,
  },
  {
    key: "i3",
    plan: "free",
    cohorts: [],
    email: "fay@example.com",
    mailbox: "fay",
    disposable: false,
    signedUpMs: -400 * DAY_MS,
    lastActiveMs: -DAY_MS,
  },
  {
    key: "i4",
    plan: "free",
    cohorts: [],
    email: null,
    mailbox: null,
    disposable: false,
    signedUpMs: DAY_MS - NEW_WITHIN_DAYS * DAY_MS,
    lastActiveMs: null,
  },
  {
    key: "i5",
    plan: "free",
    cohorts: [],
    email: "AdaL+promo@googlemail.com",
    mailbox: "ada-l-at-gmail",
    disposable: false,
    signedUpMs: -400 * DAY_MS,
    lastActiveMs: -100 * DAY_MS,
  },
];
const REFERRERS = 3;
const INVITEES = 6;

function profileOf(customer: number): Profile {
  const profile = PROFILES[customer];
  if (profile === undefined) throw new Error(`no customer ${customer}`);
  return profile;
}

function pickOf<T>(items: readonly T[], pick: number): T {
  const item = items[pick % items.length];
  if (item === undefined) throw new Error("picked from an empty list; check() should have refused");
  return item;
}

// ---------------------------------------------------------------------------------------------------
// The model

interface ModelInvite {
  readonly referrer: number;
  readonly createdAtMs: number;
  readonly code: string;
}

interface ModelReferral {
  readonly id: string;
  readonly invitee: number;
  readonly referrer: number;
  readonly invite: number;
  readonly acceptedAtMs: number;
  state: "accepted" | "review" | "qualified";
}

interface ModelReward {
  /** Creation order; one engine makes every id, so this is also id order. */
  readonly seq: number;
  readonly referral: ModelReferral;
  readonly side: "referrer" | "invitee";
  readonly customer: number;
  readonly dueAtMs: number;
  state: "pending" | "granted" | "canceled" | "reversed";
  grantedAtMs: number | null;
  /** A reversed reset reward's token no longer counts. */
  revoked: boolean;
  /** The engine's id, learned once the engine made it. */
  id: string | null;
}

interface Model {
  readonly startMs: number;
  nowMs: number;
  readonly qualifying: Qualifying;
  readonly status: Status;
  readonly holdMs: number;
  readonly invites: ModelInvite[];
  readonly referrals: ModelReferral[];
  readonly rewards: ModelReward[];
  /** Authorized messages per invitee, by instant. */
  readonly messages: number[][];
  creditsGiven: number;
  resetsGiven: number;
}

interface Real {
  readonly engine: Engine;
  readonly clock: ManualClock;
  readonly programId: string;
  readonly customerIds: readonly string[];
  readonly key: () => string;
}

function idOf(r: Real, customer: number): string {
  const id = r.customerIds[customer];
  if (id === undefined) throw new Error(`no customer ${customer} in this run`);
  return id;
}

const inviteeCustomer = (invitee: number): number => REFERRERS + invitee;

function phaseOf(m: Model): "scheduled" | "live" | "hidden" | "ended" {
  if (m.nowMs < m.startMs + OPENS_AFTER_MS) return "scheduled";
  if (m.nowMs >= m.startMs + CLOSES_AFTER_MS) return "ended";
  return m.status;
}

function segmentOf(m: Model, customer: number): "new" | "lapsed" | "active" {
  const profile = profileOf(customer);
  const signedUpAtMs = m.startMs + profile.signedUpMs;
  if (m.nowMs - signedUpAtMs <= NEW_WITHIN_DAYS * DAY_MS) return "new";
  const seenMs = profile.lastActiveMs === null ? signedUpAtMs : m.startMs + profile.lastActiveMs;
  return m.nowMs - seenMs >= LAPSED_AFTER_DAYS * DAY_MS ? "lapsed" : "active";
}

const utcMidnightMs = (ms: number): number => ms - (ms % DAY_MS);

function expectedInvite(m: Model, referrer: number): ErrorCode | "ok" {
  const profile = profileOf(referrer);
  const phase = phaseOf(m);
  const open = phase === "live" || (phase === "hidden" && profile.cohorts.includes("beta"));
  if (!open) return "program_closed";
  if (profile.plan !== "pro" && !profile.cohorts.includes("beta")) return "not_eligible";
  const mine = m.invites.filter((invite) => invite.referrer === referrer);
  if (mine.length >= INVITES_PER_REFERRER) return "cap_exceeded";
  const today = mine.filter((invite) => invite.createdAtMs >= utcMidnightMs(m.nowMs));
  if (today.length >= INVITES_PER_DAY) return "cap_exceeded";
  return "ok";
}

type AcceptExpectation =
  | { readonly code: ErrorCode }
  | { readonly code: "ok"; readonly earlier: ModelReferral }
  | { readonly code: "ok"; readonly state: "accepted" | "review" };

function expectedAccept(m: Model, acceptor: number, inviteIndex: number): AcceptExpectation {
  const invite = pickOf(m.invites, inviteIndex);
  const earlier = m.referrals.find((referral) => inviteeCustomer(referral.invitee) === acceptor);
  if (earlier !== undefined)
    return earlier.invite === inviteIndex ? { code: "ok", earlier } : { code: "not_eligible" };
  const phase = phaseOf(m);
  if (phase !== "live" && phase !== "hidden") return { code: "program_closed" };
  if (acceptor === invite.referrer) return { code: "referral_self_invite" };
  if (segmentOf(m, acceptor) === "active") return { code: "not_eligible" };
  const referrer = profileOf(invite.referrer);
  const invitee = profileOf(acceptor);
  const recent = m.referrals.filter(
    (referral) =>
      referral.referrer === invite.referrer && referral.acceptedAtMs >= m.nowMs - VELOCITY_WITHIN_MS,
  ).length;
  const suspicious =
    (referrer.mailbox !== null && referrer.mailbox === invitee.mailbox) ||
    invitee.disposable ||
    recent + 1 > VELOCITY_ACCEPTANCES;
  return { code: "ok", state: suspicious ? "review" : "accepted" };
}

/** Mark a referral qualified at `atMs` and make its two pending rewards. */
function qualify(m: Model, referral: ModelReferral, atMs: number): void {
  referral.state = "qualified";
  for (const side of ["referrer", "invitee"] as const)
    m.rewards.push({
      seq: m.rewards.length,
      referral,
      side,
      customer: side === "referrer" ? referral.referrer : inviteeCustomer(referral.invitee),
      dueAtMs: atMs + m.holdMs,
      state: "pending",
      grantedAtMs: null,
      revoked: false,
      id: null,
    });
}

const inAttribution = (referral: ModelReferral, atMs: number): boolean =>
  atMs >= referral.acceptedAtMs && atMs < referral.acceptedAtMs + ATTRIBUTION_MS;

/** A sweep: qualify first messages (usage programs), then settle due rewards in order, within budget. */
function sweepModel(m: Model): { qualified: number; granted: number; canceled: number } {
  let qualified = 0;
  if (m.qualifying === "usage")
    for (const referral of m.referrals) {
      if (referral.state !== "accepted") continue;
      const messages = m.messages[referral.invitee] ?? [];
      const first = messages.filter((atMs) => inAttribution(referral, atMs)).sort((a, b) => a - b)[0];
      if (first === undefined) continue;
      qualify(m, referral, first);
      qualified += 1;
    }
  const due = m.rewards
    .filter((reward) => reward.state === "pending" && reward.dueAtMs <= m.nowMs)
    .sort((a, b) => a.dueAtMs - b.dueAtMs || a.seq - b.seq);
  let granted = 0;
  let canceled = 0;
  for (const reward of due) {
    const fits =
      reward.side === "referrer"
        ? m.creditsGiven + REFERRER_CREDITS <= BUDGET_CREDITS
        : m.resetsGiven + 1 <= BUDGET_RESETS;
    if (!fits) {
      reward.state = "canceled";
      canceled += 1;
      continue;
    }
    if (reward.side === "referrer") m.creditsGiven += REFERRER_CREDITS;
    else m.resetsGiven += 1;
    reward.state = "granted";
    reward.grantedAtMs = m.nowMs;
    granted += 1;
  }
  return { qualified, granted, canceled };
}

/** Credits and live banked resets each customer should hold. */
function holdings(m: Model, customer: number): { creditsMinor: bigint; resets: number } {
  let credits = 0;
  let resets = 0;
  for (const reward of m.rewards) {
    if (reward.customer !== customer || reward.state !== "granted") continue;
    if (reward.side === "referrer") credits += REFERRER_CREDITS;
    else if (reward.grantedAtMs !== null && m.nowMs < reward.grantedAtMs + RESET_TTL_MS) resets += 1;
  }
  return { creditsMinor: BigInt(credits), resets };
}

function expectedFunnel(m: Model) {
  const referrals = (...states: string[]) => m.referrals.filter((r) => states.includes(r.state)).length;
  const rewards = (state: string) => m.rewards.filter((r) => r.state === state).length;
  return {
    invitesCreated: m.invites.length,
    accepted: referrals("accepted", "qualified"),
    inReview: referrals("review"),
    qualified: referrals("qualified"),
    rewardsGranted: rewards("granted"),
    rewardsPending: rewards("pending"),
    rewardsCanceled: rewards("canceled"),
    rewardsReversed: rewards("reversed"),
  };
}

/** The instants where something changes: the clock is moved onto them, or a millisecond either side. */
function edges(m: Model): number[] {
  const instants = new Set<number>([
    m.startMs + OPENS_AFTER_MS,
    m.startMs + CLOSES_AFTER_MS,
    utcMidnightMs(m.nowMs) + DAY_MS,
  ]);
  for (const profile of PROFILES) {
    instants.add(m.startMs + profile.signedUpMs + NEW_WITHIN_DAYS * DAY_MS);
    const seenMs = m.startMs + (profile.lastActiveMs ?? profile.signedUpMs);
    instants.add(seenMs + LAPSED_AFTER_DAYS * DAY_MS);
  }
  for (const referral of m.referrals) {
    instants.add(referral.acceptedAtMs + ATTRIBUTION_MS);
    instants.add(referral.acceptedAtMs + VELOCITY_WITHIN_MS);
  }
  for (const reward of m.rewards) if (reward.state === "pending") instants.add(reward.dueAtMs);
  // Beyond the last reward of the last possible referral nothing changes any more.
  const lastMs = m.startMs + CLOSES_AFTER_MS + ATTRIBUTION_MS + m.holdMs;
  return [...instants].filter((atMs) => atMs > m.nowMs && atMs <= lastMs).sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------------------------------
// Steps

/**
 * An invitee by number; or, so that flows get somewhere, one still waiting to qualify (else any
 * referred one), or one not referred yet; `otherwise` when there is none such.
 */
/** Invitees most likely to be attributed first, so that a small pick finds one. */
const UNREFERRED_ORDER = [0, 4, 2, 5, 1, 3];

type Who =
  | { readonly invitee: number }
  | { readonly referred: number; readonly otherwise: number }
  | { readonly unreferred: number; readonly otherwise: number };

function inviteeOf(m: Model, who: Who): number {
  if ("invitee" in who) return who.invitee;
  if ("referred" in who) {
    const waiting = m.referrals.filter((referral) => referral.state === "accepted");
    const pool = waiting.length > 0 ? waiting : m.referrals;
    return pool.length === 0 ? who.otherwise : pickOf(pool, who.referred).invitee;
  }
  const pool = UNREFERRED_ORDER.filter(
    (invitee) => !m.referrals.some((referral) => referral.invitee === invitee),
  );
  return pool.length === 0 ? who.otherwise : pickOf(pool, who.unreferred);
}

type Action =
  | { readonly type: "invite"; readonly referrer: number }
  /** An invite and, if it is made, its acceptance at once: the two steps most flows start with. */
  | { readonly type: "refer"; readonly referrer: number; readonly who: Who }
  | { readonly type: "accept"; readonly who: Who | "self"; readonly pick: number }
  | { readonly type: "message"; readonly who: Who }
  | { readonly type: "event"; readonly who: Who; readonly name: string }
  | { readonly type: "sweep" }
  | { readonly type: "advance"; readonly ms: number }
  | { readonly type: "edge"; readonly pick: number; readonly nudgeMs: number }
  | { readonly type: "reverse"; readonly pick: number };

const codeOf = (outcome: Outcome<unknown>): ErrorCode | "ok" => (outcome.ok ? "ok" : outcome.error.code);

async function runInvite(m: Model, r: Real, referrer: number): Promise<void> {
  const expected = expectedInvite(m, referrer);
  const outcome = await r.engine.referrals.invite({
    programId: r.programId,
    referrerId: idOf(r, referrer),
    idempotencyKey: r.key(),
  });
  expect(codeOf(outcome)).toBe(expected);
  if (outcome.ok) m.invites.push({ referrer, createdAtMs: m.nowMs, code: outcome.value.code });
}

async function runAccept(m: Model, r: Real, who: Who | "self", pick: number): Promise<void> {
  const inviteIndex = pick % m.invites.length;
  const invite = pickOf(m.invites, inviteIndex);
  const acceptor = who === "self" ? invite.referrer : inviteeCustomer(inviteeOf(m, who));
  const expected = expectedAccept(m, acceptor, inviteIndex);
  const outcome = await r.engine.referrals.accept({
    handle: invite.code,
    inviteeId: idOf(r, acceptor),
    idempotencyKey: r.key(),
  });
  expect(codeOf(outcome)).toBe(expected.code);
  if (!outcome.ok) return;
  if ("earlier" in expected) {
    expect(outcome.value.id).toBe(expected.earlier.id);
    return;
  }
  if (!("state" in expected)) throw new Error("an accepted referral without a state");
  expect(outcome.value).toMatchObject({ state: expected.state, referrerId: idOf(r, invite.referrer) });
  m.referrals.push({
    id: outcome.value.id,
    invitee: acceptor - REFERRERS,
    referrer: invite.referrer,
    invite: inviteIndex,
    acceptedAtMs: m.nowMs,
    state: expected.state,
  });
}

/**
 * The invitee sends a message: the engine authorizes it, and where the program waits for a product
 * event the product reports `first_message` too, as a product would.
 */
async function runMessage(m: Model, r: Real, invitee: number): Promise<void> {
  const outcome = await r.engine.authorize({
    customerId: idOf(r, inviteeCustomer(invitee)),
    action: "message",
    idempotencyKey: r.key(),
  });
  expect(expectOk(outcome).allowed).toBe(true);
  m.messages[invitee]?.push(m.nowMs);
  if (m.qualifying === "event") await runEvent(m, r, invitee, "first_message");
}

async function runEvent(m: Model, r: Real, invitee: number, name: string): Promise<void> {
  let expected = 0;
  if (m.qualifying === "event" && name === "first_message")
    for (const referral of m.referrals)
      if (referral.invitee === invitee && referral.state === "accepted" && inAttribution(referral, m.nowMs)) {
        qualify(m, referral, m.nowMs);
        expected += 1;
      }
  const outcome = await r.engine.referrals.recordEvent({
    customerId: idOf(r, inviteeCustomer(invitee)),
    name,
  });
  expect(expectOk(outcome)).toEqual({ qualified: expected });
}

async function runSweep(m: Model, r: Real): Promise<void> {
  const expected = sweepModel(m);
  expect((await r.engine.sweep()).referrals).toEqual(expected);
}

async function runReverse(m: Model, r: Real, pick: number): Promise<void> {
  const reward = pickOf(m.rewards, pick);
  if (reward.id === null) throw new Error(`reward ${reward.seq} has no engine id`);
  // A reset reversed in the very millisecond it was granted stays redeemable for that millisecond
  // (a bug, kept below as an expected failure); the model steps past it so as to check the rest.
  if (reward.grantedAtMs === m.nowMs) await moveClock(m, r, 1);
  const outcome = await r.engine.referrals.reverseReward({
    rewardId: reward.id,
    reason: "the invitee was refunded",
    idempotencyKey: r.key(),
  });
  if (reward.state !== "granted") {
    expect(codeOf(outcome)).toBe("invalid_request");
    return;
  }
  const live =
    reward.side === "invitee" && reward.grantedAtMs !== null && m.nowMs < reward.grantedAtMs + RESET_TTL_MS;
  const recovered = reward.side === "referrer" ? BigInt(REFERRER_CREDITS) : live ? 1n : 0n;
  const whole = reward.side === "referrer" ? BigInt(REFERRER_CREDITS) : 1n;
  expect(expectOk(outcome)).toMatchObject({
    state: "reversed",
    recoveredMinor: recovered,
    unrecoveredMinor: whole - recovered,
  });
  reward.state = "reversed";
  reward.revoked = true;
}

async function moveClock(m: Model, r: Real, ms: number): Promise<void> {
  const step = Math.max(0, ms);
  m.nowMs += step;
  r.clock.advanceMs(step);
}

/** Learn the engine's ids of rewards the model made, matched by referral and side. */
async function learnRewardIds(m: Model, r: Real): Promise<void> {
  const unknown = m.rewards.filter((reward) => reward.id === null);
  if (unknown.length === 0) return;
  for (const customer of new Set(unknown.map((reward) => reward.customer))) {
    const found = await r.engine.referrals.rewardsOf(idOf(r, customer));
    for (const reward of unknown.filter((candidate) => candidate.customer === customer)) {
      const match = found.find(
        (candidate) => candidate.referralId === reward.referral.id && candidate.side === reward.side,
      );
      reward.id = match?.id ?? null;
    }
  }
}

/** The program's funnel and budget, and every customer's credits and banked resets, against the model. */
async function compare(m: Model, r: Real): Promise<void> {
  await learnRewardIds(m, r);
  const stats = expectOk(await r.engine.referrals.stats(r.programId));
  expect({
    funnel: stats.funnel,
    given: [stats.budget.givenCreditsMinor, stats.budget.givenResets],
  }).toMatchObject({
    funnel: expectedFunnel(m),
    given: [BigInt(m.creditsGiven), m.resetsGiven],
  });
  const actual = [];
  const expected = [];
  for (let customer = 0; customer < PROFILES.length; customer += 1) {
    const id = idOf(r, customer);
    const balance = expectOk(await r.engine.balance(id));
    const usage = expectOk(await r.engine.usage(id));
    actual.push({ customer, creditsMinor: balance.availableMinor, resets: usage.resets.available });
    expected.push({ customer, ...holdings(m, customer) });
  }
  expect(actual).toEqual(expected);
  expect(m.rewards.filter((reward) => reward.id === null).map((reward) => reward.seq)).toEqual([]);
}

async function runAction(m: Model, r: Real, a: Action): Promise<void> {
  switch (a.type) {
    case "invite":
      return runInvite(m, r, a.referrer);
    case "refer": {
      const before = m.invites.length;
      await runInvite(m, r, a.referrer);
      if (m.invites.length > before) await runAccept(m, r, a.who, before);
      return;
    }
    case "accept":
      return runAccept(m, r, a.who, a.pick);
    case "message":
      return runMessage(m, r, inviteeOf(m, a.who));
    case "event":
      return runEvent(m, r, inviteeOf(m, a.who), a.name);
    case "sweep":
      return runSweep(m, r);
    case "advance":
      return moveClock(m, r, a.ms);
    case "edge": {
      const upcoming = edges(m);
      if (upcoming.length === 0) return;
      return moveClock(m, r, pickOf(upcoming, a.pick) + a.nudgeMs - m.nowMs);
    }
    case "reverse":
      return runReverse(m, r, a.pick);
  }
}

class Step implements fc.AsyncCommand<Model, Real> {
  constructor(readonly action: Action) {}

  check(m: Readonly<Model>): boolean {
    if (this.action.type === "accept") return m.invites.length > 0;
    if (this.action.type === "reverse") return m.rewards.length > 0;
    return true;
  }

  async run(m: Model, r: Real): Promise<void> {
    await runAction(m, r, this.action);
    await compare(m, r);
  }

  toString(): string {
    return JSON.stringify(this.action);
  }
}

/** Invitees who can be attributed come up more often than the active one and the suspicious ones. */
const inviteeArb = fc.oneof(
  { arbitrary: fc.constantFrom(0, 2, 4), weight: 3 },
  { arbitrary: fc.constantFrom(1, 3, 5), weight: 1 },
);
/** Mostly the first of a list (the likeliest invitee, the nearest edge), sometimes any. */
const nearArb = fc.oneof(
  { arbitrary: fc.constant(0), weight: 3 },
  { arbitrary: fc.nat({ max: 20 }), weight: 2 },
);

const whoArb: fc.Arbitrary<Who> = fc.oneof(
  { arbitrary: inviteeArb.map((invitee): Who => ({ invitee })), weight: 1 },
  {
    arbitrary: fc.record({ referred: fc.nat({ max: 20 }), otherwise: inviteeArb }),
    weight: 3,
  },
);
const unreferredArb: fc.Arbitrary<Who> = fc.record({
  unreferred: nearArb,
  otherwise: inviteeArb,
});

/** The referrer outside the audience comes up least. */
const referrerArb = fc.oneof(
  { arbitrary: fc.constant(0), weight: 3 },
  { arbitrary: fc.constant(2), weight: 2 },
  { arbitrary: fc.constant(1), weight: 1 },
);

const actionArbs: fc.Arbitrary<Action>[] = [
  referrerArb.map((referrer): Action => ({ type: "invite", referrer })),
  fc
    .record({ referrer: referrerArb, who: unreferredArb })
    .map(({ referrer, who }): Action => ({ type: "refer", referrer, who })),
  fc
    .record({
      who: fc.oneof(
        { arbitrary: unreferredArb, weight: 4 },
        { arbitrary: inviteeArb.map((invitee): Who => ({ invitee })), weight: 2 },
        { arbitrary: fc.constant("self" as const), weight: 1 },
      ),
      pick: fc.nat({ max: 20 }),
    })
    .map(({ who, pick }): Action => ({ type: "accept", who, pick })),
  whoArb.map((who): Action => ({ type: "message", who })),
  fc
    .record({ who: whoArb, name: fc.constantFrom("first_message", "first_message", "opened_settings") })
    .map(({ who, name }): Action => ({ type: "event", who, name })),
  fc.constant<Action>({ type: "sweep" }),
  fc
    .constantFrom(1, 30 * MINUTE_MS, HOUR_MS, 2 * HOUR_MS, 2 * HOUR_MS, 6 * HOUR_MS, DAY_MS)
    .map((ms): Action => ({ type: "advance", ms })),
  fc
    .record({ pick: nearArb, nudgeMs: fc.constantFrom(-1, 0, 0, 1) })
    .map(({ pick, nudgeMs }): Action => ({ type: "edge", pick, nudgeMs })),
  fc.nat({ max: 20 }).map((pick): Action => ({ type: "reverse", pick })),
];

/** Inviting, accepting, messages and sweeps drive everything else, so they come up more often. */
const WEIGHTS = [2, 3, 3, 5, 1, 4, 3, 3, 3];

const stepsArb = fc.commands(
  actionArbs.flatMap((arb, index) =>
    Array.from({ length: WEIGHTS[index] ?? 1 }, () => arb.map((action) => new Step(action))),
  ),
  { maxCommands: COMMANDS_MAX, size: "max" },
);

const openingArb: fc.Arbitrary<Opening> = fc.record({
  qualifying: fc.constantFrom<Qualifying>("usage", "event"),
  holdMs: fc.constantFrom(...HOLDS_MS),
  startAtOpening: fc.oneof(
    { arbitrary: fc.constant(true), weight: 3 },
    { arbitrary: fc.constant(false), weight: 1 },
  ),
  status: fc.oneof(
    { arbitrary: fc.constant<Status>("live"), weight: 4 },
    { arbitrary: fc.constant<Status>("hidden"), weight: 1 },
  ),
  referred: fc.oneof(
    { arbitrary: fc.constant(true), weight: 2 },
    { arbitrary: fc.constant(false), weight: 1 },
  ),
});

for (const backend of backends()) {
  describe(`referral model on ${backend.name}`, () => {
    let store: Store;
    let engine: Engine;
    const clock = new ManualClock(FIRST_RUN_MS);
    const key = counter(`ref-model-key-${backend.name}`);
    let runSeq = 0;

    beforeAll(async () => {
      store = await backend.open();
      engine = await createEngine({ store, clock });
      for (const plan of ["free", "pro"]) expectOk(await engine.savePlan(plan, PLAN));
    });
    afterAll(async () => {
      await store.close();
      await backend.cleanup();
    });

    // One store serves every run. Each run gets a program and customers of its own and a stretch of
    // time of its own; at its end the clock passes every hold and attribution window and a sweep
    // settles what is left, so a later run's sweeps find nothing of it.
    async function setup(opening: Opening): Promise<{ model: Model; real: Real }> {
      runSeq += 1;
      const startMs = FIRST_RUN_MS + runSeq * RUN_SPAN_MS;
      clock.setMs(startMs);
      const programId = `model-${runSeq}`;
      expectOk(await engine.referrals.saveProgram(programId, programSpec(startMs, opening)));
      const customerIds = PROFILES.map((profile) => `ref-model-${runSeq}-${profile.key}`);
      for (const [index, profile] of PROFILES.entries())
        expectOk(
          await engine.upsertCustomer({
            id: customerIds[index] ?? "",
            plan: profile.plan,
            email: profile.email,
            attributes: { cohorts: profile.cohorts },
            signedUpAtMs: startMs + profile.signedUpMs,
            lastActiveAtMs: profile.lastActiveMs === null ? null : startMs + profile.lastActiveMs,
          }),
        );
      // Most runs start exactly as the window opens, the others half an hour before.
      if (opening.startAtOpening) clock.setMs(startMs + OPENS_AFTER_MS);
      const model: Model = {
        startMs,
        nowMs: clock.nowMs(),
        qualifying: opening.qualifying,
        holdMs: opening.holdMs,
        status: opening.status,
        invites: [],
        referrals: [],
        rewards: [],
        messages: Array.from({ length: INVITEES }, () => []),
        creditsGiven: 0,
        resetsGiven: 0,
      };
      const real: Real = { engine, clock, programId, customerIds, key };
      // Most runs begin with the first referral made, through the same checked steps, so that the
      // commands that follow reach qualification, rewards and reversals within a few steps.
      if (opening.referred && opening.startAtOpening) {
        await runInvite(model, real, opening.status === "hidden" ? 2 : 0);
        await runAccept(model, real, { invitee: 0 }, 0);
      }
      return { model, real };
    }

    it(
      "agrees with the model after every step and verifies clean",
      async () => {
        await fc.assert(
          fc.asyncProperty(openingArb, stepsArb, async (opening, steps) => {
            const runs: { model: Model; real: Real }[] = [];
            try {
              await fc.asyncModelRun(async () => {
                runs.push(await setup(opening));
                return pickOf(runs, runs.length - 1);
              }, steps);
              const { model, real } = pickOf(runs, runs.length - 1);
              await compare(model, real);
              expect((await engine.verify()).firstViolation).toBeNull();
            } finally {
              clock.setMs(FIRST_RUN_MS + runSeq * RUN_SPAN_MS + RUN_SPAN_MS / 2);
              await engine.sweep();
            }
          }),
          { numRuns: RUNS },
        );
      },
      TEST_TIMEOUT_MS,
    );

    // Found by the model (shrunk: invite, accept, first message, sweep, reverse the invitee's reset,
    // with no hold and no clock move between the grant and the reversal): a reset revoked in the
    // millisecond it was granted must not stay live.
    it("takes back a reset reversed in the very millisecond it was granted", async () => {
      const { model, real } = await setup({
        qualifying: "event",
        status: "live",
        holdMs: 0,
        startAtOpening: true,
        referred: true,
      });
      try {
        await runMessage(model, real, 0);
        await runSweep(model, real);
        await learnRewardIds(model, real);
        const reset = model.rewards.find((reward) => reward.side === "invitee");
        expect(reset).toMatchObject({ state: "granted", grantedAtMs: model.nowMs });
        const reversed = await engine.referrals.reverseReward({
          rewardId: reset?.id ?? "",
          reason: "the invitee was refunded",
          idempotencyKey: key(),
        });
        expect(expectOk(reversed)).toMatchObject({ state: "reversed", recoveredMinor: 1n });
        const invitee = idOf(real, inviteeCustomer(0));
        expect(expectOk(await engine.usage(invitee)).resets.available).toBe(0);
        expect(codeOf(await engine.redeemReset({ customerId: invitee, idempotencyKey: key() }))).not.toBe(
          "ok",
        );
      } finally {
        clock.setMs(FIRST_RUN_MS + runSeq * RUN_SPAN_MS + RUN_SPAN_MS / 2);
        await engine.sweep();
      }
    });
  });
}
