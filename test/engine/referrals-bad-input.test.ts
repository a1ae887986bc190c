/**
 * Bad input to referrals, on every backend. Each bad program save or patch, invite, acceptance,
 * product event, reversal, stats or preview request is refused with its typed code and leaves
 * everything as it was: every customer's wallet, lots and banked resets, their rewards, every
 * program's versions, funnel and budget, the review queue, and the rows of the referral and ledger
 * tables. A last group covers programs and rewards the engine could not use: ids, reset scopes,
 * zero durations, grants refused by the ledger. Rows and cases the engine gets wrong today run as
 * expected failures, each with what is wrong.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import type { ErrorCode, Outcome } from "../../src/core/errors.js";
import { checkCharacter } from "../../src/core/gift-codes.js";
import { EMAIL_LENGTH_MAX } from "../../src/core/gifts.js";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import type { InviteView } from "../../src/engine/referrals.js";
import { CUSTOMER_ID_LENGTH_MAX, IDEMPOTENCY_KEY_LENGTH_MAX } from "../../src/engine/validate.js";
import type { RewardRecord } from "../../src/store/referrals-repo.js";
import type { Store } from "../../src/store/store.js";
import { type Backend, backends } from "../support/backends.js";
import { counter, expectOk } from "../support/outcomes.js";

const DAY_MS = 86_400_000;
const JUNE_12_MS = Date.UTC(2026, 5, 12, 9);
const OPENS_AT_MS = Date.UTC(2026, 5, 11);
const CLOSES_AT_MS = Date.UTC(2026, 5, 25);

/** Types a deliberately ill-typed value as what the API declares, to reach the runtime checks. */
const illTyped = <T>(value: unknown): T => value as T;

const PLAN = {
  meters: { messages: [{ window: "5h", kind: "fixed", duration: "5h", allowance: 50 }] },
  actions: { message: { costs: { messages: 1 }, creditPriceMinor: 10 } },
};

const PILOT = {
  status: "live",
  window: { opensAt: new Date(OPENS_AT_MS).toISOString(), closesAt: new Date(CLOSES_AT_MS).toISOString() },
  audience: { plans: ["plus", "pro"] },
  invites: { perReferrer: 3 },
  invitees: { eligibility: "lapsed", lapsedAfterDays: 62 },
  qualifyingEvent: { firstUsage: { action: "message" } },
  rewards: {
    referrer: { type: "reset", expiresAfter: "30d" },
    invitee: { type: "reset", expiresAfter: "30d" },
  },
};

/** Credits to the referrer on the product event `first_message`, within a budget. */
const CREDITS = {
  status: "live",
  invitees: { eligibility: "anyone" },
  qualifyingEvent: { event: "first_message" },
  rewards: { referrer: { type: "credits", amount: 300 } },
  budget: { credits: 1000 },
};

/** The same, held for 30 days before anything is granted. */
const HELD = { ...CREDITS, holdPeriod: "30d" };

/** The customers, invites and rewards every row works on, made once before the rows run. */
interface World {
  readonly engine: Engine;
  readonly clock: ManualClock;
  /** A Pro referrer who has sent the pilot's three invites. */
  readonly full: string;
  /** A Pro referrer who has sent nothing. */
  readonly fresh: string;
  /** A Free customer: not among the pilot's referrers. */
  readonly freebie: string;
  /** Idle for 70 days: eligible for the pilot, not yet referred. */
  readonly lapsed: string;
  /** Idle for 10 days: not eligible. */
  readonly active: string;
  /** Referred in the pilot through the second invite. */
  readonly referred: string;
  /** Referred in the credits program, still waiting for the product event. */
  readonly waiting: string;
  /** The pilot's first (unaccepted) invite. */
  readonly open: InviteView;
  /** The credits program's rewards: one granted, one reversed; and the held program's pending one. */
  readonly granted: RewardRecord;
  readonly reversed: RewardRecord;
  readonly pending: RewardRecord;
  /** A key already used for an invite. */
  readonly usedKey: string;
  readonly customers: readonly string[];
}

interface Row {
  readonly name: string;
  readonly code: ErrorCode;
  readonly run: (world: World) => Promise<Outcome<unknown>>;
  /** What is wrong, for a row the engine gets wrong today: it runs as an expected failure. */
  readonly bug?: string;
}

/** A code of the right shape whose check character is off by one: a typo. */
function mistyped(code: string): string {
  const plain = code.replaceAll("-", "");
  const check = plain.slice(-1);
  return `${plain.slice(0, -1)}${check === "0" ? "1" : "0"}`;
}

/** A well-formed code that was never issued. */
const UNISSUED_CODE = `ZZZZZZZZZZZZ${checkCharacter("ZZZZZZZZZZZZ")}`;

const saveRows: Row[] = [
  {
    name: "a program whose window ends before it starts",
    code: "invalid_request",
    run: ({ engine }) =>
      engine.referrals.saveProgram("backwards", {
        ...PILOT,
        window: { opensAt: "2026-06-24T00:00:00Z", closesAt: "2026-06-11T00:00:00Z" },
      }),
  },
  {
    name: "a program with an unknown field",
    code: "invalid_request",
    run: ({ engine }) => engine.referrals.saveProgram("unknown-field", { ...PILOT, prize: "a mug" }),
  },
  {
    name: "a program with an attribution window in words",
    code: "invalid_request",
    run: ({ engine }) => engine.referrals.saveProgram("words", { ...PILOT, attributionWindow: "a month" }),
  },
  {
    name: "a program with a negative hold",
    code: "invalid_request",
    run: ({ engine }) => engine.referrals.saveProgram("negative-hold", { ...PILOT, holdPeriod: "-7d" }),
  },
  {
    name: "a program rewarding in cash",
    code: "invalid_request",
    run: ({ engine }) =>
      engine.referrals.saveProgram("cash", { ...PILOT, rewards: { referrer: { type: "cash", amount: 5 } } }),
  },
  {
    name: "a program rewarding nobody",
    code: "invalid_request",
    run: ({ engine }) => engine.referrals.saveProgram("nobody", { ...PILOT, rewards: {} }),
  },
  {
    name: "a program with a negative budget",
    code: "invalid_request",
    run: ({ engine }) => engine.referrals.saveProgram("in-debt", { ...CREDITS, budget: { credits: -1000 } }),
  },
  {
    name: "a program counting periods in an unknown time zone",
    code: "invalid_request",
    run: ({ engine }) =>
      engine.referrals.saveProgram("mars", {
        ...PILOT,
        invites: { period: { timeZone: "Mars/Olympus_Mons" } },
      }),
  },
  {
    name: "a program with a cap of zero invites",
    code: "invalid_request",
    run: ({ engine }) => engine.referrals.saveProgram("zero-cap", { ...PILOT, invites: { perReferrer: 0 } }),
  },
  {
    name: "a program that is not an object",
    code: "invalid_request",
    run: ({ engine }) => engine.referrals.saveProgram("text", "invite three friends"),
  },
  {
    name: "new terms for the pilot whose window runs backwards",
    code: "invalid_request",
    run: ({ engine }) =>
      engine.referrals.saveProgram("pilot", {
        ...PILOT,
        window: { opensAt: "2026-06-25T00:00:00Z", closesAt: "2026-06-11T00:00:00Z" },
      }),
  },
  {
    name: "a program saved with an empty idempotency key",
    code: "invalid_request",
    run: ({ engine }) => engine.referrals.saveProgram("keyless", PILOT, ""),
  },
];

const patchRows: Row[] = [
  {
    name: "a patch of an unknown program",
    code: "not_found",
    run: ({ engine }) => engine.referrals.patchProgram("no-such-program", { status: "ended" }),
  },
  {
    name: "a patch that is a list",
    code: "invalid_request",
    run: ({ engine }) => engine.referrals.patchProgram("pilot", [{ status: "ended" }]),
  },
  {
    name: "a patch that is null",
    code: "invalid_request",
    run: ({ engine }) => engine.referrals.patchProgram("pilot", null),
  },
  {
    name: "a patch closing the pilot before it opens",
    code: "invalid_request",
    run: ({ engine }) =>
      engine.referrals.patchProgram("pilot", { window: { closesAt: "2026-06-01T00:00:00Z" } }),
  },
  {
    name: "a patch adding an unknown field",
    code: "invalid_request",
    run: ({ engine }) => engine.referrals.patchProgram("pilot", { invites: { perFriend: 2 } }),
  },
  {
    name: "a patch removing both rewards",
    code: "invalid_request",
    run: ({ engine }) =>
      engine.referrals.patchProgram("pilot", { rewards: { referrer: null, invitee: null } }),
  },
  {
    name: "a patch to an unknown status",
    code: "invalid_request",
    run: ({ engine }) => engine.referrals.patchProgram("pilot", { status: "paused" }),
  },
  {
    name: "a patch with a bad duration",
    code: "invalid_request",
    run: ({ engine }) => engine.referrals.patchProgram("credits", { holdPeriod: "7 days" }),
  },
];

const inviteRows: Row[] = [
  {
    name: "an invite to an unknown program",
    code: "not_found",
    run: ({ engine, fresh }) =>
      engine.referrals.invite({
        programId: "no-such-program",
        referrerId: fresh,
        idempotencyKey: "inv-unknown",
      }),
  },
  {
    name: "an invite from a referrer outside the audience",
    code: "not_eligible",
    run: ({ engine, freebie }) =>
      engine.referrals.invite({ programId: "pilot", referrerId: freebie, idempotencyKey: "inv-freebie" }),
  },
  {
    name: "a fourth invite over a cap of three",
    code: "cap_exceeded",
    run: ({ engine, full }) =>
      engine.referrals.invite({ programId: "pilot", referrerId: full, idempotencyKey: "inv-fourth" }),
  },
  {
    name: "an invite naming something that is not an email",
    code: "invalid_request",
    run: ({ engine, fresh }) =>
      engine.referrals.invite({
        programId: "pilot",
        referrerId: fresh,
        email: "friend at example dot com",
        idempotencyKey: "inv-email",
      }),
  },
  {
    name: "an invite naming an email over the length limit",
    code: "invalid_request",
    run: ({ engine, fresh }) =>
      engine.referrals.invite({
        programId: "pilot",
        referrerId: fresh,
        email: `${"a".repeat(EMAIL_LENGTH_MAX)}@example.com`,
        idempotencyKey: "inv-long-email",
      }),
  },
  {
    name: "an invite with an empty idempotency key",
    code: "invalid_request",
    run: ({ engine, fresh }) =>
      engine.referrals.invite({ programId: "pilot", referrerId: fresh, idempotencyKey: "" }),
  },
  {
    name: "an invite with an idempotency key over the length limit",
    code: "invalid_request",
    run: ({ engine, fresh }) =>
      engine.referrals.invite({
        programId: "pilot",
        referrerId: fresh,
        idempotencyKey: "k".repeat(IDEMPOTENCY_KEY_LENGTH_MAX + 1),
      }),
  },
  {
    name: "an invite from an unknown referrer",
    code: "not_found",
    run: ({ engine }) =>
      engine.referrals.invite({
        programId: "pilot",
        referrerId: "nobody-at-all",
        idempotencyKey: "inv-nobody",
      }),
  },
  {
    name: "an invite from a referrer id over the length limit",
    code: "invalid_request",
    run: ({ engine }) =>
      engine.referrals.invite({
        programId: "pilot",
        referrerId: "r".repeat(CUSTOMER_ID_LENGTH_MAX + 1),
        idempotencyKey: "inv-long-id",
      }),
  },
  {
    name: "an invite reusing a key given to another invite",
    code: "idempotency_conflict",
    run: ({ engine, fresh, usedKey }) =>
      engine.referrals.invite({ programId: "pilot", referrerId: fresh, idempotencyKey: usedKey }),
  },
];

/** Accept the pilot's open invite, at another instant when `atMs` is given. */
function acceptRow(
  name: string,
  code: ErrorCode,
  input: (world: World) => { handle: string; inviteeId: string; idempotencyKey?: string },
  atMs?: number,
): Row {
  return {
    name,
    code,
    run: async (world) => {
      const { handle, inviteeId, idempotencyKey } = input(world);
      if (atMs !== undefined) world.clock.setMs(atMs);
      try {
        return await world.engine.referrals.accept({
          handle,
          inviteeId,
          idempotencyKey: idempotencyKey ?? `accept-${name.replaceAll(/[^a-z0-9]+/g, "-")}`,
        });
      } finally {
        world.clock.setMs(JUNE_12_MS);
      }
    },
  };
}

const acceptRows: Row[] = [
  acceptRow(
    "an acceptance at the instant the pilot closes",
    "program_closed",
    ({ open, lapsed }) => ({ handle: open.code, inviteeId: lapsed }),
    CLOSES_AT_MS,
  ),
  acceptRow(
    "an acceptance a millisecond before the pilot opens",
    "program_closed",
    ({ open, lapsed }) => ({ handle: open.secret, inviteeId: lapsed }),
    OPENS_AT_MS - 1,
  ),
  acceptRow("an acceptance by an invitee neither new nor lapsed", "not_eligible", ({ open, active }) => ({
    handle: open.code,
    inviteeId: active,
  })),
  acceptRow("an acceptance of one's own invite", "referral_self_invite", ({ open, full }) => ({
    handle: open.code,
    inviteeId: full,
  })),
  acceptRow("an acceptance of a code never issued", "not_found", ({ lapsed }) => ({
    handle: UNISSUED_CODE,
    inviteeId: lapsed,
  })),
  acceptRow("an acceptance of a mistyped code", "invalid_request", ({ open, lapsed }) => ({
    handle: mistyped(open.code),
    inviteeId: lapsed,
  })),
  acceptRow("an acceptance of something that is neither code nor link", "not_found", ({ lapsed }) => ({
    handle: "not a code!",
    inviteeId: lapsed,
  })),
  acceptRow("an acceptance by an unknown invitee", "not_found", ({ open }) => ({
    handle: open.code,
    inviteeId: "nobody-at-all",
  })),
  acceptRow("an acceptance with an empty idempotency key", "invalid_request", ({ open, lapsed }) => ({
    handle: open.code,
    inviteeId: lapsed,
    idempotencyKey: "",
  })),
  acceptRow(
    "an acceptance by an invitee referred through another invite",
    "not_eligible",
    ({ open, referred }) => ({
      handle: open.code,
      inviteeId: referred,
    }),
  ),
];

const eventRows: Row[] = [
  ...["", "First Message", "first message", "-first", "e".repeat(65), "first/message"].map(
    (eventName): Row => ({
      name: `a product event named ${JSON.stringify(eventName.length > 20 ? `${eventName.slice(0, 8)}...` : eventName)}`,
      code: "invalid_request",
      run: ({ engine, referred }) => engine.referrals.recordEvent({ customerId: referred, name: eventName }),
    }),
  ),
  {
    name: "a product event with a name that is not text",
    code: "invalid_request",
    run: ({ engine, referred }) =>
      engine.referrals.recordEvent({
        customerId: referred,
        name: illTyped<string>({ name: "first_message" }),
      }),
  },
  {
    name: "a product event for an empty customer id",
    code: "invalid_request",
    run: ({ engine }) => engine.referrals.recordEvent({ customerId: "", name: "first_message" }),
  },
];

const reverseRows: Row[] = [
  {
    name: "a reversal of an unknown reward",
    code: "not_found",
    run: ({ engine }) =>
      engine.referrals.reverseReward({
        rewardId: "rwd_unknown",
        reason: "fraud",
        idempotencyKey: "rev-unknown",
      }),
  },
  {
    name: "a reversal of a reward still in its hold",
    code: "invalid_request",
    run: ({ engine, pending }) =>
      engine.referrals.reverseReward({
        rewardId: pending.id,
        reason: "fraud",
        idempotencyKey: "rev-pending",
      }),
  },
  {
    name: "a second reversal under a new key",
    code: "invalid_request",
    run: ({ engine, reversed }) =>
      engine.referrals.reverseReward({ rewardId: reversed.id, reason: "again", idempotencyKey: "rev-again" }),
  },
  {
    name: "a reversal with an empty reason",
    code: "invalid_request",
    run: ({ engine, granted }) =>
      engine.referrals.reverseReward({ rewardId: granted.id, reason: "", idempotencyKey: "rev-no-reason" }),
  },
  {
    name: "a reversal with a reason over 500 characters",
    code: "invalid_request",
    run: ({ engine, granted }) =>
      engine.referrals.reverseReward({
        rewardId: granted.id,
        reason: "r".repeat(501),
        idempotencyKey: "rev-long-reason",
      }),
  },
  {
    name: "a reversal with a reason that is not text",
    code: "invalid_request",
    run: ({ engine, granted }) =>
      engine.referrals.reverseReward({
        rewardId: granted.id,
        reason: illTyped<string>(42),
        idempotencyKey: "rev-number-reason",
      }),
  },
  {
    name: "a reversal with an empty idempotency key",
    code: "invalid_request",
    run: ({ engine, granted }) =>
      engine.referrals.reverseReward({ rewardId: granted.id, reason: "fraud", idempotencyKey: "" }),
  },
];

const readRows: Row[] = [
  {
    name: "stats of an unknown program",
    code: "not_found",
    run: ({ engine }) => engine.referrals.stats("no-such-program"),
  },
  {
    name: "a preview of a code never issued",
    code: "not_found",
    run: ({ engine }) => engine.referrals.preview(UNISSUED_CODE),
  },
  {
    name: "a preview of a mistyped code",
    code: "invalid_request",
    run: ({ engine, open }) => engine.referrals.preview(mistyped(open.code)),
  },
  {
    name: "a preview of an invite after the pilot closed",
    code: "program_closed",
    run: async ({ engine, clock, open }) => {
      clock.setMs(CLOSES_AT_MS + DAY_MS);
      try {
        return await engine.referrals.preview(open.code);
      } finally {
        clock.setMs(JUNE_12_MS);
      }
    },
  },
];

// Bug: Referrals.recordEvent (src/engine/referrals.ts) takes `atMs` as given (`input.atMs ??
// now`) without checking it is a time, or not later than now. A time that is not a number answers
// ok and does nothing; a time in the future (POST /v1/events takes `at`) qualifies the referral now
// with a qualifiedAt in the future, and its rewards fall due counting from that future instant.
const eventTimeRows: Row[] = [
  ...[Number.NaN, illTyped<number>("yesterday")].map(
    (atMs): Row => ({
      name: `a product event at ${String(atMs)}`,
      code: "invalid_request",
      run: ({ engine, waiting }) =>
        engine.referrals.recordEvent({ customerId: waiting, name: "first_message", atMs }),
    }),
  ),
  {
    name: "a product event dated twenty days ahead",
    code: "invalid_request",
    run: ({ engine, waiting }) =>
      engine.referrals.recordEvent({
        customerId: waiting,
        name: "first_message",
        atMs: JUNE_12_MS + 20 * DAY_MS,
      }),
  },
];

const ROWS: readonly Row[] = [
  ...saveRows,
  ...patchRows,
  ...inviteRows,
  ...acceptRows,
  ...eventRows,
  ...reverseRows,
  ...readRows,
  // Last: the future-dated event, wrongly accepted, qualifies a referral no other row uses.
  ...eventTimeRows,
];

async function openWorld(backend: Backend): Promise<{ store: Store; world: World }> {
  const store = await backend.open();
  const clock = new ManualClock(JUNE_12_MS);
  const engine = await createEngine({ store, clock });
  const key = counter("bad-ref-key");
  for (const plan of ["free", "pro"]) expectOk(await engine.savePlan(plan, PLAN));
  expectOk(await engine.referrals.saveProgram("pilot", PILOT));
  expectOk(await engine.referrals.saveProgram("credits", CREDITS));
  expectOk(await engine.referrals.saveProgram("held", HELD));
  const customer = async (id: string, plan: string, idleDays: number) => {
    expectOk(
      await engine.upsertCustomer({
        id,
        plan,
        signedUpAtMs: JUNE_12_MS - 400 * DAY_MS,
        lastActiveAtMs: JUNE_12_MS - idleDays * DAY_MS,
      }),
    );
    return id;
  };
  const full = await customer("full", "pro", 1);
  const fresh = await customer("fresh", "pro", 1);
  const freebie = await customer("freebie", "free", 1);
  const lapsed = await customer("lapsed", "free", 70);
  const active = await customer("active", "free", 10);
  const referred = await customer("referred", "free", 80);
  const usedKey = "used-invite-key";
  const open = expectOk(
    await engine.referrals.invite({ programId: "pilot", referrerId: full, idempotencyKey: usedKey }),
  );
  const second = expectOk(
    await engine.referrals.invite({ programId: "pilot", referrerId: full, idempotencyKey: key() }),
  );
  expectOk(await engine.referrals.invite({ programId: "pilot", referrerId: full, idempotencyKey: key() }));
  expectOk(
    await engine.referrals.accept({ handle: second.code, inviteeId: referred, idempotencyKey: key() }),
  );

  // The credits program: one reward granted, one granted then reversed; the held one: one pending.
  const giver = await customer("giver", "pro", 1);
  const holder = await customer("holder", "pro", 1);
  const friends = [await customer("friend-1", "free", 1), await customer("friend-2", "free", 1)];
  const friendOfHolder = await customer("friend-3", "free", 1);
  const qualify = async (programId: string, referrerId: string, inviteeId: string) => {
    const sent = expectOk(await engine.referrals.invite({ programId, referrerId, idempotencyKey: key() }));
    expectOk(await engine.referrals.accept({ handle: sent.code, inviteeId, idempotencyKey: key() }));
    expect(
      expectOk(await engine.referrals.recordEvent({ customerId: inviteeId, name: "first_message" })),
    ).toEqual({
      qualified: 1,
    });
  };
  for (const friend of friends) await qualify("credits", giver, friend);
  await qualify("held", holder, friendOfHolder);
  expect((await engine.sweep()).referrals).toMatchObject({ granted: 2, canceled: 0 });
  const waiting = await customer("waiting", "free", 1);
  const waitingInvite = expectOk(
    await engine.referrals.invite({ programId: "credits", referrerId: giver, idempotencyKey: key() }),
  );
  expectOk(
    await engine.referrals.accept({ handle: waitingInvite.code, inviteeId: waiting, idempotencyKey: key() }),
  );
  const [granted, toReverse] = await engine.referrals.rewardsOf(giver);
  const [pending] = await engine.referrals.rewardsOf(holder);
  if (granted === undefined || toReverse === undefined || pending === undefined)
    throw new Error("the world's rewards are missing");
  const reversed = expectOk(
    await engine.referrals.reverseReward({
      rewardId: toReverse.id,
      reason: "refunded",
      idempotencyKey: key(),
    }),
  );
  return {
    store,
    world: {
      engine,
      clock,
      full,
      fresh,
      freebie,
      lapsed,
      active,
      referred,
      waiting,
      open,
      granted,
      reversed,
      pending,
      usedKey,
      customers: [
        full,
        fresh,
        freebie,
        lapsed,
        active,
        referred,
        waiting,
        giver,
        holder,
        ...friends,
        friendOfHolder,
      ],
    },
  };
}

for (const backend of backends()) {
  describe(`bad referral input on ${backend.name}`, () => {
    let store: Store;
    let world: World;

    /** Everything a refused request must leave as it was. */
    async function snapshot(): Promise<unknown> {
      const { engine } = world;
      const customers = [];
      for (const id of world.customers) {
        const balance = expectOk(await engine.balance(id));
        const usage = expectOk(await engine.usage(id));
        customers.push({
          id,
          postedMinor: balance.postedMinor,
          availableMinor: balance.availableMinor,
          lots: balance.lots.map((lot) => [lot.id, lot.remainingMinor, lot.expiresAtMs]),
          resets: usage.resets,
          rewards: await engine.referrals.rewardsOf(id),
        });
      }
      const programs = await engine.referrals.listPrograms();
      const stats = [];
      for (const program of programs) {
        const { funnel, budget, weeks } = expectOk(await engine.referrals.stats(program.id));
        stats.push({ id: program.id, funnel, budget, weeks });
      }
      const [rows] = await store.query<Record<string, string>>(
        `SELECT (SELECT count(*) FROM invites)::text AS invites, (SELECT sum(opens) FROM invites)::text AS opens,
           (SELECT count(*) FROM referrals)::text AS referrals, (SELECT count(*) FROM referral_rewards)::text AS rewards,
           (SELECT count(*) FROM referral_programs)::text AS program_versions,
           (SELECT count(*) FROM events)::text AS events, (SELECT count(*) FROM transfers)::text AS transfers,
           (SELECT count(*) FROM reset_tokens)::text AS reset_tokens`,
      );
      const referrals = await store.query<Record<string, unknown>>(
        "SELECT id, state, invitee_id, qualified_at FROM referrals ORDER BY id",
      );
      const verified = await engine.verify();
      return {
        customers,
        programs: programs.map((p) => [p.id, p.version, p.spec]),
        stats,
        rows,
        referrals,
        inReview: (await engine.referrals.inReview()).map((r) => r.id),
        violations: verified.checks.filter((check) => check.violation !== null),
      };
    }

    beforeAll(async () => {
      ({ store, world } = await openWorld(backend));
    });
    afterAll(async () => {
      await store.close();
      await backend.cleanup();
    });

    it("covers at least twenty-five bad inputs, each named once", () => {
      expect(ROWS.length).toBeGreaterThanOrEqual(25);
      expect(new Set(ROWS.map((row) => row.name)).size).toBe(ROWS.length);
    });

    it("starts from a world that verifies, with a reward in each state the rows need", async () => {
      expect(await snapshot()).toMatchObject({ violations: [], inReview: [] });
      expect([world.granted.state, world.reversed.state, world.pending.state]).toEqual([
        "granted",
        "reversed",
        "pending",
      ]);
      expect(world.reversed).toMatchObject({ recoveredMinor: 300n, unrecoveredMinor: 0n });
    });

    for (const row of ROWS) {
      const title = `refuses ${row.name} with ${row.code} and changes nothing`;
      (row.bug === undefined ? it : it.fails)(
        row.bug === undefined ? title : `${title} (fails today: ${row.bug})`,
        async () => {
          // Compared with the state just before, so that a row which wrongly changes something fails alone.
          const expected = await snapshot();
          let outcome: Outcome<unknown>;
          try {
            outcome = await row.run(world);
          } catch (error) {
            throw new Error(`${row.name}: threw instead of answering ${row.code}: ${String(error)}`);
          }
          expect(outcome.ok ? "ok" : outcome.error.code).toBe(row.code);
          expect(await snapshot()).toEqual(expected);
        },
      );
    }

    it("answers a retried bad request the same way, still changing nothing", async () => {
      const expected = await snapshot();
      const again = () =>
        world.engine.referrals.invite({
          programId: "pilot",
          referrerId: world.full,
          idempotencyKey: "inv-fourth",
        });
      const [first, second] = [await again(), await again()];
      expect(second).toEqual(first);
      expect(first.ok ? "ok" : first.error.code).toBe("cap_exceeded");
      expect(await snapshot()).toEqual(expected);
    });
  });

  describe(`programs and rewards the engine can't use, on ${backend.name}`, () => {
    const clockMs = JUNE_12_MS;
    const stores: Store[] = [];
    let shared: { engine: Engine; key: () => string } | null = null;

    /** A store of its own, for a case that leaves its store in a state the next case must not see. */
    async function own(): Promise<{ engine: Engine; key: () => string }> {
      const store = await backend.open();
      stores.push(store);
      const engine = await createEngine({ store, clock: new ManualClock(clockMs) });
      expectOk(await engine.savePlan("pro", PLAN));
      for (const id of ["ann", "bob", "cat", "dan"])
        expectOk(await engine.upsertCustomer({ id, plan: "pro", signedUpAtMs: clockMs - 400 * DAY_MS }));
      return { engine, key: counter(`bug-key-${stores.length}`) };
    }

    /** One store for the cases that leave it usable enough for the next. */
    async function common(): Promise<{ engine: Engine; key: () => string }> {
      shared ??= await own();
      return shared;
    }

    afterAll(async () => {
      for (const store of stores) await store.close();
      await backend.cleanup();
    });

    const eventProgram = (rewards: Record<string, unknown>) => ({
      status: "live",
      invitees: { eligibility: "anyone" },
      qualifyingEvent: { event: "first_message" },
      rewards,
    });

    async function qualify(
      engine: Engine,
      key: () => string,
      programId: string,
      referrerId: string,
      inviteeId: string,
    ) {
      const sent = expectOk(await engine.referrals.invite({ programId, referrerId, idempotencyKey: key() }));
      expectOk(await engine.referrals.accept({ handle: sent.code, inviteeId, idempotencyKey: key() }));
      expectOk(await engine.referrals.recordEvent({ customerId: inviteeId, name: "first_message" }));
    }

    // The engine checks the program id itself, not only the table's CHECK constraint.
    it("refuses a program id that is not one with invalid_request", async () => {
      const { engine } = await common();
      for (const id of ["Bad Id", "a.b", "x".repeat(65), ""]) {
        const saved = await engine.referrals.saveProgram(id, eventProgram({ referrer: { type: "reset" } }));
        expect(saved.ok ? "ok" : saved.error.code).toBe("invalid_request");
      }
    });

    // A reset reward's scope names plan windows as the grant does, `meter/window` ...
    it("accepts a reset reward scoped to a plan window, messages/5h", async () => {
      const { engine } = await common();
      const saved = await engine.referrals.saveProgram(
        "scoped-plan-window",
        eventProgram({ referrer: { type: "reset", windows: ["messages/5h"] } }),
      );
      expect(saved.ok ? "ok" : saved.error.code).toBe("ok");
    });

    // ... and a scope like "5h", which no grant could use, is refused when the program is saved.
    it("refuses a reset reward scoped to something that is not a window id", async () => {
      const { engine } = await common();
      const saved = await engine.referrals.saveProgram(
        "scoped-no-window",
        eventProgram({ referrer: { type: "reset", windows: ["5h"] } }),
      );
      expect(saved.ok ? "ok" : saved.error.code).toBe("invalid_request");
    });

    // A zero attribution window is refused when the program is saved, so nothing unreadable is stored.
    it("keeps a program saved with a zero attribution window readable", async () => {
      const { engine, key } = await common();
      const saved = await engine.referrals.saveProgram("instant", {
        ...eventProgram({ referrer: { type: "reset" } }),
        attributionWindow: "0s",
      });
      if (saved.ok) {
        await engine.referrals.listPrograms();
        await engine.referrals.invite({ programId: "instant", referrerId: "ann", idempotencyKey: key() });
      } else {
        expect(saved.error.code).toBe("invalid_request");
      }
    });

    // A reward whose grant is refused is canceled with the reason and its cost returned to the
    // budget; the sweep goes on to everyone else's rewards.
    it("keeps granting other programs' rewards when one reward's grant is refused", async () => {
      const { engine, key } = await own();
      expectOk(
        await engine.referrals.saveProgram(
          "scoped",
          eventProgram({ referrer: { type: "reset", windows: ["messages/nope"] } }),
        ),
      );
      expectOk(await engine.referrals.saveProgram("healthy", eventProgram({ referrer: { type: "reset" } })));
      await qualify(engine, key, "scoped", "ann", "bob");
      await qualify(engine, key, "healthy", "cat", "dan");
      const first = await engine.sweep().catch((error: unknown) => error);
      const second = await engine.sweep().catch((error: unknown) => error);
      expect({ first: first instanceof Error, second: second instanceof Error }).toEqual({
        first: false,
        second: false,
      });
      expect((await engine.referrals.rewardsOf("cat")).map((r) => r.state)).toEqual(["granted"]);
    });

    // The same when the referrer already holds the most banked resets a customer may hold (100).
    it("keeps sweeping when a reset reward meets the cap on banked resets", async () => {
      const { engine, key } = await own();
      const made = await Promise.all(
        Array.from({ length: 100 }, () => engine.grantReset({ customerId: "ann", idempotencyKey: key() })),
      );
      expect(made.filter((outcome) => outcome.ok)).toHaveLength(100);
      expectOk(await engine.referrals.saveProgram("resets", eventProgram({ referrer: { type: "reset" } })));
      await qualify(engine, key, "resets", "ann", "bob");
      const swept = await engine.sweep().catch((error: unknown) => error);
      expect(swept instanceof Error ? swept.message : "swept").toBe("swept");
    });

    // A refused grant is canceled and its cost returned: the budget is not called exhausted for it.
    it("does not call a budget exhausted because a grant was refused", async () => {
      const { engine, key } = await own();
      await Promise.all(
        Array.from({ length: 100 }, () => engine.grantReset({ customerId: "ann", idempotencyKey: key() })),
      );
      expectOk(
        await engine.referrals.saveProgram("roomy", {
          ...eventProgram({ referrer: { type: "reset" } }),
          budget: { resets: 5 },
        }),
      );
      await qualify(engine, key, "roomy", "ann", "bob");
      expect((await engine.sweep()).referrals).toMatchObject({ granted: 0, canceled: 1 });
      const [refused] = await engine.referrals.rewardsOf("ann");
      expect(refused).toMatchObject({ state: "canceled", reason: expect.stringContaining("refused") });
      const { budget } = expectOk(await engine.referrals.stats("roomy"));
      expect(budget).toMatchObject({ resets: 5, givenResets: 0, exhausted: false });
    });
  });
}
