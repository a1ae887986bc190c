/**
 * Referral programs' use cases: invites, acceptance (attribution), qualification (the invitee's first
 * authorized usage, found by the sweep, or a named product event), and rewards granted once per side
 * per invitee and program after the hold, within the budget.
 *
 * A reward is granted in two steps that are each safe to repeat: one transaction marks it granted and
 * takes its cost from the budget, then the grant itself (a banked reset, or referral credits) goes
 * through the engine with an idempotency key made from the reward's id. A crash between the two
 * leaves a granted reward with nothing recorded, which the next sweep grants again under the same
 * key: the grant happens once.
 */
import { randomBytes } from "node:crypto";
import type { Clock } from "../core/clock.js";
import { fail, type Outcome, ok } from "../core/errors.js";
import { codeFromBytes, formatCode, readGiftHandle, secretFromBytes } from "../core/gift-codes.js";
import { EMAIL_LENGTH_MAX, type Signals } from "../core/gifts.js";
import type { IdGenerator } from "../core/ids.js";
import type { JsonValue } from "../core/json-lines.js";
import {
  programPhase,
  REWARD_SIDES,
  type ReferralProgram,
  type RewardSpec,
  readReferralProgram,
  writeReferralProgram,
} from "../core/referral-program.js";
import {
  decideAccept,
  decideInvite,
  inviteeSegment,
  invitePeriodStartMs,
  nextRewardState,
  normalizeEmail,
  withinAttribution,
} from "../core/referrals.js";
import { insertGiftEvent, lockParty } from "../store/gifts-repo.js";
import {
  acceptancesSince,
  budgetGiven,
  findInvite,
  firstUsageAt,
  type InviteRecord,
  insertInvite,
  insertReferral,
  insertReward,
  inviteCounts,
  invitesOf,
  lockReferral,
  lockReward,
  OVER_BUDGET_REASON,
  openReferrals,
  openReferralsOf,
  type ReferralFunnel,
  type ReferralRecord,
  type ReferralWeek,
  type RewardRecord,
  recordInviteOpen,
  recordReversal,
  recordRewardGrant,
  referralFunnel,
  referralOf,
  referralsInReview,
  referralsOfCustomer,
  refuseReward,
  revokeResetToken,
  rewardsOf,
  rewardsToSettle,
  setReferralState,
  setRewardState,
  spendBudget,
} from "../store/referrals-repo.js";
import { isRetryableConflict, type Queryable, type Store } from "../store/store.js";
import { checkSignals } from "./gifts.js";
import { onceByKey } from "./once.js";
import { Programs, type ProgramView, type SavedProgram } from "./programs.js";
import { checkCustomerId, checkKey } from "./validate.js";

const ATTEMPTS_MAX = 5;
export const REFERRAL_SWEEP_PAGE = 200;
export const REFERRALS_LIST_MAX = 100;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const EVENT_NAME_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

/** What a reward grants, through the engine's own writes (so the ledger and resets stay one path). */
export interface RewardGrants {
  reset(input: {
    customerId: string;
    windows: readonly string[] | null;
    expiresAtMs: number;
    reason: string;
    idempotencyKey: string;
  }): Promise<Outcome<{ tokenId: string }>>;
  credits(input: {
    customerId: string;
    amountMinor: bigint;
    expiresAtMs: number | null;
    priority: number;
    reason: string;
    idempotencyKey: string;
  }): Promise<Outcome<{ lotId: string }>>;
  /** Take back what is left of a lot. */
  clawback(input: {
    customerId: string;
    lotId: string;
    reason: string;
    idempotencyKey: string;
  }): Promise<Outcome<{ recoveredMinor: bigint }>>;
}

export type InviteView = Omit<
  InviteRecord,
  "emailNormalized" | "referrerSignals" | "periodStartMs" | "opens"
>;

export interface InvitePreview {
  readonly programId: string;
  readonly referrerName: string | null;
  readonly rewards: { readonly referrer: JsonValue; readonly invitee: JsonValue };
  readonly closesAtMs: number | null;
}

export interface ReferralStats {
  readonly programId: string;
  readonly phase: string;
  readonly funnel: ReferralFunnel;
  readonly budget: {
    readonly creditsMinor: bigint | null;
    readonly resets: number | null;
    readonly givenCreditsMinor: bigint;
    readonly givenResets: number;
    readonly exhausted: boolean;
  };
  readonly costPerAcquired: { readonly creditsMinor: number | null; readonly resets: number | null };
  readonly viralCoefficient: number | null;
  readonly weeks: readonly (ReferralWeek & {
    readonly invitesPerReferrer: number | null;
    readonly acceptedToQualified: number | null;
    readonly viralCoefficient: number | null;
  })[];
}

export interface SweepResult {
  readonly qualified: number;
  readonly granted: number;
  readonly canceled: number;
}

const inviteView = (invite: InviteRecord): InviteView => ({
  id: invite.id,
  programId: invite.programId,
  referrerId: invite.referrerId,
  code: formatCode(invite.code),
  secret: invite.secret,
  email: invite.email,
  createdAtMs: invite.createdAtMs,
});

/** How referral programs are stored and read. */
const REFERRAL_PROGRAMS = {
  table: "referral_programs",
  name: "referral",
  read: readReferralProgram,
  write: writeReferralProgram,
} as const;

export class Referrals {
  private readonly programs: Programs<ReferralProgram>;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly grants: RewardGrants,
    private readonly randomSource: (size: number) => Uint8Array = (size) => randomBytes(size),
  ) {
    this.programs = new Programs(store, clock, REFERRAL_PROGRAMS);
  }

  saveProgram(programId: string, spec: unknown, idempotencyKey?: string): Promise<SavedProgram> {
    return this.programs.save(programId, spec, idempotencyKey);
  }

  /** A JSON merge patch of the terms, merged under the program's lock into its next version. */
  patchProgram(programId: string, patch: unknown, idempotencyKey?: string): Promise<SavedProgram> {
    return this.programs.patch(programId, patch, idempotencyKey);
  }

  program(programId: string): Promise<Outcome<ProgramView>> {
    return this.programs.get(programId);
  }

  listPrograms(): Promise<ProgramView[]> {
    return this.programs.list();
  }

  private currentProgram(db: Queryable, programId: string): Promise<ReferralProgram | null> {
    return this.programs.current(db, programId);
  }

  /** A referrer's invite: a code and a link, within the program's caps. */
  async invite(input: {
    programId: string;
    referrerId: string;
    email?: string | null | undefined;
    signals?: Signals | undefined;
    idempotencyKey: string;
  }): Promise<Outcome<InviteView>> {
    const referrerId = checkCustomerId(input.referrerId);
    if (!referrerId.ok) return referrerId;
    const key = checkKey(input.idempotencyKey);
    if (!key.ok) return key;
    const email = input.email ?? null;
    if (
      email !== null &&
      (typeof email !== "string" || email.length > EMAIL_LENGTH_MAX || !EMAIL_PATTERN.test(email))
    )
      return fail("invalid_request", "email must be an email address");
    const signals = checkSignals(input.signals);
    if (!signals.ok) return signals;
    const nowMs = this.clock.nowMs();
    const body = { ...input, idempotencyKey: undefined };
    return this.retrying(() =>
      onceByKey(this.store, { key: key.value, operation: "invite", body, nowMs }, async (tx) => {
        const referrer = await lockParty(tx, input.referrerId);
        if (referrer === null) return fail("not_found", `no customer ${input.referrerId}`);
        const program = await this.currentProgram(tx, input.programId);
        if (program === null) return fail("not_found", `no referral program ${input.programId}`);
        const periodStartMs = invitePeriodStartMs(program, nowMs);
        const counts = await inviteCounts(tx, program.id, referrer.id, periodStartMs);
        const decision = decideInvite(program, referrer, counts, nowMs);
        if (!decision.ok) return decision;
        const invite: InviteRecord = {
          id: this.ids.next("inv"),
          programId: program.id,
          referrerId: referrer.id,
          code: codeFromBytes(this.randomSource(8)),
          secret: secretFromBytes(this.randomSource(16)),
          email,
          emailNormalized: email === null ? null : normalizeEmail(email),
          referrerSignals: signals.value,
          periodStartMs,
          createdAtMs: nowMs,
          opens: 0,
        };
        await insertInvite(tx, invite);
        return ok(inviteView(invite));
      }),
    );
  }

  /** The invite landing page's data: who invited and what both sides get. Counts as an opening. */
  async preview(handleText: string): Promise<Outcome<InvitePreview>> {
    const handle = readGiftHandle(handleText);
    if (handle.kind === "mistyped")
      return fail("invalid_request", "this code has a typo: check each character");
    if (handle.kind === "malformed") return fail("not_found", "no such invite");
    const invite = await findInvite(this.store, handle);
    if (invite === null) return fail("not_found", "no such invite");
    const program = await this.currentProgram(this.store, invite.programId);
    const nowMs = this.clock.nowMs();
    if (program === null || !["live", "hidden"].includes(programPhase(program, nowMs)))
      return fail("program_closed", "this referral program is closed");
    await recordInviteOpen(this.store, invite.id, nowMs);
    const referrer = await lockParty(this.store, invite.referrerId, "read");
    const spec = writeReferralProgram(program);
    const rewards = spec.rewards as { referrer: JsonValue; invitee: JsonValue };
    return ok({
      programId: program.id,
      referrerName: referrer?.displayName ?? null,
      rewards,
      closesAtMs: program.closesAtMs,
    });
  }

  /** Attribute the invitee to the invite's referrer: the first accepted invite wins, once per program. */
  async accept(input: {
    handle: string;
    inviteeId: string;
    signals?: Signals | undefined;
    idempotencyKey: string;
  }): Promise<Outcome<ReferralRecord>> {
    const handle = readGiftHandle(input.handle);
    if (handle.kind === "mistyped")
      return fail("invalid_request", "this code has a typo: check each character");
    if (handle.kind === "malformed") return fail("not_found", "no such invite");
    const inviteeId = checkCustomerId(input.inviteeId);
    if (!inviteeId.ok) return inviteeId;
    const key = checkKey(input.idempotencyKey);
    if (!key.ok) return key;
    const signals = checkSignals(input.signals);
    if (!signals.ok) return signals;
    const nowMs = this.clock.nowMs();
    const body = { handle, inviteeId: input.inviteeId, signals: signals.value };
    return this.retrying(() =>
      onceByKey(this.store, { key: key.value, operation: "accept_invite", body, nowMs }, (tx) =>
        this.acceptIn(tx, handle, input.inviteeId, signals.value, nowMs),
      ),
    );
  }

  private async acceptIn(
    tx: Queryable,
    handle: { code: string } | { secret: string },
    inviteeId: string,
    signals: Signals | null,
    nowMs: number,
  ): Promise<Outcome<ReferralRecord>> {
    // An invite's referrer never changes, so it is read first; then both wallets are locked in id
    // order: the invitee's serializes their acceptances, the referrer's the velocity count.
    const invite = await findInvite(tx, handle);
    if (invite === null) return fail("not_found", "no such invite");
    const parties = new Map<string, Awaited<ReturnType<typeof lockParty>>>();
    for (const id of [...new Set([inviteeId, invite.referrerId])].sort())
      parties.set(id, await lockParty(tx, id));
    const invitee = parties.get(inviteeId) ?? null;
    if (invitee === null) return fail("not_found", `no customer ${inviteeId}`);
    const earlier = await referralOf(tx, invite.programId, invitee.id);
    if (earlier !== null)
      return earlier.inviteId === invite.id
        ? ok(earlier)
        : fail("not_eligible", `${invitee.id} was already referred in program ${invite.programId}`);
    const program = await this.currentProgram(tx, invite.programId);
    const referrer = parties.get(invite.referrerId) ?? null;
    if (program === null || referrer === null) return fail("not_found", "no such invite");
    const recent = await acceptancesSince(
      tx,
      program.id,
      referrer.id,
      nowMs - program.velocityWithinSeconds * 1000,
    );
    const decision = decideAccept({
      program,
      referrer,
      invitee,
      inviteEmail: invite.email,
      referrerSignals: invite.referrerSignals,
      inviteeSignals: signals,
      recentAcceptances: recent,
      nowMs,
    });
    if (!decision.ok) return decision;
    const referral: ReferralRecord = {
      id: this.ids.next("ref"),
      programId: program.id,
      programVersion: program.version,
      inviteId: invite.id,
      referrerId: referrer.id,
      inviteeId: invitee.id,
      state: decision.reviewReason === null ? "accepted" : "review",
      segment: inviteeSegment(program, invitee, nowMs),
      acceptedAtMs: nowMs,
      qualifiedAtMs: null,
      reviewReason: decision.reviewReason,
    };
    await insertReferral(tx, referral, signals);
    await this.event(tx, referral, "referral.accepted", nowMs, {});
    return ok(referral);
  }

  /** A product event (`first_message`, ...): qualifies the customer's referrals that wait for it. */
  async recordEvent(input: {
    customerId: string;
    name: string;
    atMs?: number | undefined;
    idempotencyKey?: string | undefined;
  }): Promise<Outcome<{ qualified: number }>> {
    const customer = checkCustomerId(input.customerId);
    if (!customer.ok) return customer;
    if (typeof input.name !== "string" || !EVENT_NAME_PATTERN.test(input.name))
      return fail("invalid_request", "name must be an event name such as first_message");
    const nowMs = this.clock.nowMs();
    const atMs = input.atMs ?? nowMs;
    if (!Number.isSafeInteger(atMs) || atMs < 0 || atMs > nowMs)
      return fail("invalid_request", "at must be a time no later than now");
    const qualifyAll = async (tx: Queryable) => {
      let qualified = 0;
      for (const referral of await openReferralsOf(tx, input.customerId)) {
        const program = await this.programOf(tx, referral);
        const wanted = program.qualifyingEvent;
        if (wanted.kind !== "event" || wanted.name !== input.name) continue;
        if (await this.qualifyIn(tx, referral.id, atMs)) qualified += 1;
      }
      return ok({ qualified });
    };
    if (input.idempotencyKey === undefined) return this.retrying(() => this.store.transaction(qualifyAll));
    const key = checkKey(input.idempotencyKey);
    if (!key.ok) return key;
    const body = { customerId: input.customerId, name: input.name, atMs };
    return this.retrying(() =>
      onceByKey(this.store, { key: key.value, operation: "record_event", body, nowMs }, qualifyAll),
    );
  }

  /** Qualify first usages, grant rewards whose hold has ended, finish grants a crash interrupted. */
  async sweep(): Promise<SweepResult> {
    let qualified = 0;
    let after: string | null = null;
    for (;;) {
      const page = await openReferrals(this.store, after, REFERRAL_SWEEP_PAGE);
      for (const referral of page) if (await this.qualifyByUsage(referral)) qualified += 1;
      if (page.length < REFERRAL_SWEEP_PAGE) break;
      after = page[page.length - 1]?.id ?? null;
    }
    let granted = 0;
    let canceled = 0;
    for (;;) {
      const due = await rewardsToSettle(this.store, this.clock.nowMs(), REFERRAL_SWEEP_PAGE);
      for (const rewardId of due) {
        const result = await this.settleReward(rewardId);
        if (result === "granted") granted += 1;
        if (result === "canceled") canceled += 1;
      }
      if (due.length < REFERRAL_SWEEP_PAGE) break;
    }
    return { qualified, granted, canceled };
  }

  private async qualifyByUsage(referral: ReferralRecord): Promise<boolean> {
    const program = await this.programOf(this.store, referral);
    if (program.qualifyingEvent.kind !== "first_usage") return false;
    const untilMs = Math.min(
      referral.acceptedAtMs + program.attributionSeconds * 1000,
      this.clock.nowMs() + 1,
    );
    const atMs = await firstUsageAt(
      this.store,
      referral.inviteeId,
      program.qualifyingEvent.action,
      referral.acceptedAtMs,
      untilMs,
    );
    return atMs !== null && (await this.qualify(referral.id, atMs));
  }

  private async qualify(referralId: string, atMs: number): Promise<boolean> {
    return this.retrying(() => this.store.transaction((tx) => this.qualifyIn(tx, referralId, atMs)));
  }

  /** Mark a referral qualified at `atMs` and create one pending reward per rewarded side. */
  private async qualifyIn(tx: Queryable, referralId: string, atMs: number): Promise<boolean> {
    const referral = await lockReferral(tx, referralId);
    if (referral === null || referral.state !== "accepted") return false;
    const program = await this.programOf(tx, referral);
    if (!withinAttribution(program, referral.acceptedAtMs, atMs)) return false;
    await setReferralState(tx, referral.id, "qualified", atMs);
    const nowMs = this.clock.nowMs();
    const dueAtMs = atMs + program.holdSeconds * 1000;
    for (const side of REWARD_SIDES) {
      const spec = program.rewards[side];
      if (spec !== null) await insertReward(tx, this.rewardFor(referral, side, spec, dueAtMs, nowMs));
    }
    await this.event(tx, referral, "referral.qualified", nowMs, {
      qualifiedAt: new Date(atMs).toISOString(),
    });
    return true;
  }

  private rewardFor(
    referral: ReferralRecord,
    side: "referrer" | "invitee",
    spec: RewardSpec,
    dueAtMs: number,
    nowMs: number,
  ): RewardRecord {
    return {
      id: this.ids.next("rwd"),
      referralId: referral.id,
      programId: referral.programId,
      inviteeId: referral.inviteeId,
      side,
      customerId: side === "referrer" ? referral.referrerId : referral.inviteeId,
      state: "pending",
      kind: spec.type,
      amountMinor: spec.type === "credits" ? spec.amountMinor : null,
      dueAtMs,
      createdAtMs: nowMs,
      grantedAtMs: null,
      resolvedAtMs: null,
      resetTokenId: null,
      lotId: null,
      recoveredMinor: null,
      unrecoveredMinor: null,
      reason: null,
    };
  }

  /** Grant a due reward within the budget, or cancel it when the budget is spent. */
  private async settleReward(rewardId: string): Promise<"granted" | "canceled" | "skipped"> {
    const nowMs = this.clock.nowMs();
    const step = await this.retrying(() =>
      this.store.transaction(async (tx) => {
        const reward = await lockReward(tx, rewardId);
        if (reward === null) return { result: "skipped" as const, reward: null, program: null };
        const referral = await lockReferral(tx, reward.referralId);
        if (referral === null) throw new Error(`reward ${reward.id} names an unknown referral`);
        const program = await this.programOf(tx, referral);
        if (reward.state === "reversed") return { result: "reversed" as const, reward, program };
        if (reward.state === "granted") return { result: "granted" as const, reward, program };
        if (reward.state !== "pending" || reward.dueAtMs > nowMs)
          return { result: "skipped" as const, reward: null, program: null };
        const cost = { creditsMinor: reward.amountMinor ?? 0n, resets: reward.kind === "reset" ? 1 : 0 };
        const budget = { creditsMinor: program.budgetCreditsMinor, resets: program.budgetResets };
        if (!(await spendBudget(tx, program.id, cost, budget))) {
          await setRewardState(tx, reward.id, {
            state: "canceled",
            resolvedAtMs: nowMs,
            reason: OVER_BUDGET_REASON,
          });
          return { result: "canceled" as const, reward: null, program: null };
        }
        await setRewardState(tx, reward.id, { state: "granted", grantedAtMs: nowMs });
        return { result: "granted" as const, reward: { ...reward, grantedAtMs: nowMs }, program };
      }),
    );
    if (step.reward === null || step.program === null) return step.result;
    if (step.result === "reversed") {
      await this.finishReversal(step.reward);
      return "skipped";
    }
    return this.grant(step.reward, step.program);
  }

  /** Make what a granted reward gives, once: the key is the reward's, and the expiry counts from the grant. */
  private async grant(
    reward: RewardRecord,
    program: ReferralProgram,
  ): Promise<"granted" | "canceled" | "skipped"> {
    const made = await this.make(reward, program);
    if (!made.ok) return this.refuse(reward, program, made.error.message);
    // Only the sweep that records the grant announces it: racing sweeps replay the same grant.
    return this.retrying(() =>
      this.store.transaction(async (tx) => {
        if (!(await recordRewardGrant(tx, reward.id, made.value))) return "skipped";
        const referral = await lockReferral(tx, reward.referralId);
        if (referral !== null)
          await this.event(tx, referral, "referral.rewarded", this.clock.nowMs(), {
            side: reward.side,
            rewardId: reward.id,
          });
        return "granted";
      }),
    );
  }

  /** The reset or the credits, made once under a key from the reward's id; expiry counts from the grant. */
  private async make(
    reward: RewardRecord,
    program: ReferralProgram,
  ): Promise<Outcome<{ resetTokenId: string | null; lotId: string | null }>> {
    const spec = program.rewards[reward.side];
    if (spec === null)
      throw new Error(`reward ${reward.id} has no terms in program ${program.id} v${program.version}`);
    const grantedAtMs = reward.grantedAtMs ?? this.clock.nowMs();
    const reason = `referral ${reward.referralId} (${reward.side})`;
    const idempotencyKey = `referral-reward-${reward.id}`;
    const { customerId } = reward;
    if (spec.type === "reset") {
      const expiresAtMs = grantedAtMs + spec.expiresAfterSeconds * 1000;
      const made = await this.grants.reset({
        customerId,
        windows: spec.windows,
        expiresAtMs,
        reason,
        idempotencyKey,
      });
      return made.ok ? ok({ resetTokenId: made.value.tokenId, lotId: null }) : made;
    }
    const made = await this.grants.credits({
      customerId,
      amountMinor: spec.amountMinor,
      expiresAtMs: spec.expiresAfterSeconds === null ? null : grantedAtMs + spec.expiresAfterSeconds * 1000,
      priority: spec.priority,
      reason,
      idempotencyKey,
    });
    return made.ok ? ok({ resetTokenId: null, lotId: made.value.lotId }) : made;
  }

  /**
   * The grant was refused (the customer holds the most banked resets allowed, say): the reward is
   * canceled with the reason, and its cost goes back to the budget, so one refusal never stops the
   * sweep from settling everyone else's rewards.
   */
  private async refuse(
    reward: RewardRecord,
    program: ReferralProgram,
    message: string,
  ): Promise<"canceled" | "skipped"> {
    return this.retrying(() =>
      this.store.transaction(async (tx) => {
        const current = await lockReward(tx, reward.id);
        if (current === null || current.resetTokenId !== null || current.lotId !== null) return "skipped";
        if (nextRewardState(current.state, "refuse") === null) return "skipped";
        await refuseReward(tx, reward.id, `the grant was refused: ${message}`, this.clock.nowMs());
        const cost = { creditsMinor: -(reward.amountMinor ?? 0n), resets: reward.kind === "reset" ? -1 : 0 };
        await spendBudget(tx, program.id, cost, { creditsMinor: null, resets: null });
        return "canceled";
      }),
    );
  }

  /**
   * Reverse a granted reward (the invitee was fraudulent, or refunded): an unredeemed reset is
   * expired now, and what is left of a credit lot is taken back; what was already used is recorded.
   */
  async reverseReward(input: {
    rewardId: string;
    reason: string;
    idempotencyKey: string;
  }): Promise<Outcome<RewardRecord>> {
    const key = checkKey(input.idempotencyKey);
    if (!key.ok) return key;
    if (typeof input.reason !== "string" || input.reason.length === 0 || input.reason.length > 500)
      return fail("invalid_request", "reason must be text of 1 to 500 characters");
    const nowMs = this.clock.nowMs();
    const body = { rewardId: input.rewardId, reason: input.reason };
    const marked = await this.retrying(() =>
      onceByKey(this.store, { key: key.value, operation: "reverse_reward", body, nowMs }, (tx) =>
        this.markReversed(tx, input.rewardId, input.reason, nowMs),
      ),
    );
    if (!marked.ok) return marked;
    return ok(await this.finishReversal(marked.value));
  }

  private async markReversed(
    tx: Queryable,
    rewardId: string,
    reason: string,
    nowMs: number,
  ): Promise<Outcome<RewardRecord>> {
    const reward = await lockReward(tx, rewardId);
    if (reward === null) return fail("not_found", `no reward ${rewardId}`);
    if (reward.state !== "granted" || (reward.resetTokenId === null && reward.lotId === null))
      return fail("invalid_request", `reward ${rewardId} is ${reward.state}, not granted`);
    await setRewardState(tx, reward.id, { state: "reversed", resolvedAtMs: nowMs, reason });
    if (reward.kind === "reset" && reward.resetTokenId !== null) {
      // The wallet lock first: every batch that could redeem the token holds it.
      await lockParty(tx, reward.customerId);
      const recovered = await revokeResetToken(tx, reward.resetTokenId, nowMs);
      await recordReversal(tx, reward.id, {
        recoveredMinor: recovered ? 1n : 0n,
        unrecoveredMinor: recovered ? 0n : 1n,
      });
    }
    const referral = await lockReferral(tx, reward.referralId);
    if (referral !== null)
      await this.event(tx, referral, "referral.reversed", nowMs, {
        side: reward.side,
        rewardId: reward.id,
        reason,
      });
    return ok({ ...reward, state: "reversed" });
  }

  /** Take back what is left of a reversed credit reward, once (the clawback's key is the reward's). */
  private async finishReversal(reward: RewardRecord): Promise<RewardRecord> {
    if (reward.kind === "credits" && reward.lotId !== null) {
      const [current] = await rewardsOf(this.store, { rewardId: reward.id });
      if (current?.recoveredMinor === null) {
        const taken = await this.grants.clawback({
          customerId: reward.customerId,
          lotId: reward.lotId,
          reason: `referral reward ${reward.id} reversed`,
          idempotencyKey: `referral-clawback-${reward.id}`,
        });
        if (!taken.ok)
          throw new Error(`reward ${reward.id} could not be clawed back: ${taken.error.message}`);
        const amountMinor = reward.amountMinor ?? 0n;
        await recordReversal(this.store, reward.id, {
          recoveredMinor: taken.value.recoveredMinor,
          unrecoveredMinor: amountMinor - taken.value.recoveredMinor,
        });
      }
    }
    const [done] = await rewardsOf(this.store, { rewardId: reward.id });
    if (done === undefined) throw new Error(`reward ${reward.id} vanished`);
    return done;
  }

  /**
   * A program's funnel (invites created and opened, acceptances, qualified, rewarded), what it has
   * given against its budget, the cost per acquired customer (a qualified invitee), and by weekly
   * cohort of invites the viral coefficient: invites per referrer times the share of acceptances
   * that qualified.
   */
  async stats(programId: string): Promise<Outcome<ReferralStats>> {
    const program = await this.currentProgram(this.store, programId);
    if (program === null) return fail("not_found", `no referral program ${programId}`);
    const [{ funnel, weeks }, given] = await Promise.all([
      referralFunnel(this.store, programId),
      budgetGiven(this.store, programId),
    ]);
    const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);
    return ok({
      programId,
      phase: programPhase(program, this.clock.nowMs()),
      funnel,
      budget: {
        creditsMinor: program.budgetCreditsMinor,
        resets: program.budgetResets,
        givenCreditsMinor: given.creditsMinor,
        givenResets: given.resets,
        exhausted:
          funnel.rewardsOverBudget > 0 ||
          (program.budgetCreditsMinor !== null && given.creditsMinor >= program.budgetCreditsMinor) ||
          (program.budgetResets !== null && given.resets >= program.budgetResets),
      },
      costPerAcquired: {
        creditsMinor: funnel.qualified === 0 ? null : Number(given.creditsMinor) / funnel.qualified,
        resets: ratio(given.resets, funnel.qualified),
      },
      viralCoefficient: (() => {
        const perReferrer = ratio(funnel.invitesCreated, funnel.referrers);
        const conversion = ratio(funnel.qualified, funnel.accepted);
        return perReferrer === null || conversion === null ? null : perReferrer * conversion;
      })(),
      weeks: weeks.map((week) => {
        const perReferrer = ratio(week.invites, week.referrers);
        const conversion = ratio(week.qualified, week.accepted);
        return {
          ...week,
          invitesPerReferrer: perReferrer,
          acceptedToQualified: conversion,
          viralCoefficient: perReferrer === null || conversion === null ? null : perReferrer * conversion,
        };
      }),
    });
  }

  /**
   * An operator holds a pending reward for review (`review_required`): the sweep leaves it alone
   * until it is approved (back to pending, granted when due) or rejected (canceled).
   */
  async reviewReward(input: {
    rewardId: string;
    action: "hold" | "approve" | "reject";
    reason?: string | undefined;
  }): Promise<Outcome<RewardRecord>> {
    const event = { hold: "flag", approve: "approve", reject: "reject" } as const;
    if (!(input.action in event)) return fail("invalid_request", "action must be hold, approve or reject");
    if (input.reason !== undefined && (typeof input.reason !== "string" || input.reason.length > 500))
      return fail("invalid_request", "reason must be text of at most 500 characters");
    const nowMs = this.clock.nowMs();
    return this.retrying(() =>
      this.store.transaction(async (tx) => {
        const reward = await lockReward(tx, input.rewardId);
        if (reward === null) return fail("not_found", `no reward ${input.rewardId}`);
        const state = nextRewardState(reward.state, event[input.action]);
        if (state === null)
          return fail(
            "invalid_request",
            `reward ${reward.id} is ${reward.state}: it can't be ${input.action === "hold" ? "held" : `${input.action}d`}`,
          );
        await setRewardState(tx, reward.id, {
          state,
          resolvedAtMs: state === "canceled" ? nowMs : null,
          reason: input.reason ?? null,
        });
        return ok({ ...reward, state, ...(input.reason === undefined ? {} : { reason: input.reason }) });
      }),
    );
  }

  /** An operator settles an acceptance held for review: approve attributes it, reject drops it. */
  async review(input: {
    referralId: string;
    decision: "approve" | "reject";
    idempotencyKey?: string | undefined;
  }): Promise<Outcome<ReferralRecord>> {
    if (input.decision !== "approve" && input.decision !== "reject")
      return fail("invalid_request", "decision must be approve or reject");
    const settle = async (tx: Queryable): Promise<Outcome<ReferralRecord>> => {
      const referral = await lockReferral(tx, input.referralId);
      if (referral === null) return fail("not_found", `no referral ${input.referralId}`);
      if (referral.state !== "review")
        return fail("invalid_request", `referral ${input.referralId} is ${referral.state}, not in review`);
      const state = input.decision === "approve" ? "accepted" : "rejected";
      await setReferralState(tx, referral.id, state, null);
      return ok({ ...referral, state });
    };
    if (input.idempotencyKey === undefined) return this.retrying(() => this.store.transaction(settle));
    const key = checkKey(input.idempotencyKey);
    if (!key.ok) return key;
    const nowMs = this.clock.nowMs();
    const body = { referralId: input.referralId, decision: input.decision };
    return this.retrying(() =>
      onceByKey(this.store, { key: key.value, operation: "review_referral", body, nowMs }, settle),
    );
  }

  async inReview(limit = REFERRALS_LIST_MAX): Promise<ReferralRecord[]> {
    return referralsInReview(this.store, Math.min(limit, REFERRALS_LIST_MAX));
  }

  /** A customer's invites (as referrer), referrals (either side) and rewards, newest first. */
  async ofCustomer(customerId: string): Promise<
    Outcome<{
      invites: InviteView[];
      referrals: ReferralRecord[];
      rewards: RewardRecord[];
    }>
  > {
    const id = checkCustomerId(customerId);
    if (!id.ok) return id;
    const [invites, referrals, rewards] = await Promise.all([
      invitesOf(this.store, customerId, REFERRALS_LIST_MAX),
      referralsOfCustomer(this.store, customerId, REFERRALS_LIST_MAX),
      rewardsOf(this.store, { customerId }),
    ]);
    return ok({ invites: invites.map(inviteView), referrals, rewards });
  }

  async rewardsOf(customerId: string): Promise<RewardRecord[]> {
    return rewardsOf(this.store, { customerId });
  }

  async referralOf(programId: string, inviteeId: string): Promise<ReferralRecord | null> {
    return referralOf(this.store, programId, inviteeId);
  }

  private programOf(db: Queryable, referral: ReferralRecord): Promise<ReferralProgram> {
    return this.programs.version(db, referral.programId, referral.programVersion);
  }

  private async event(
    tx: Queryable,
    referral: ReferralRecord,
    type: "referral.accepted" | "referral.qualified" | "referral.rewarded" | "referral.reversed",
    nowMs: number,
    extra: Readonly<Record<string, string>>,
  ): Promise<void> {
    await insertGiftEvent(tx, {
      id: this.ids.next("evt"),
      customerId: referral.referrerId,
      type,
      payload: {
        referralId: referral.id,
        programId: referral.programId,
        referrerId: referral.referrerId,
        inviteeId: referral.inviteeId,
        ...extra,
      },
      createdAtMs: nowMs,
    });
  }

  private async retrying<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await work();
      } catch (error) {
        if (!isRetryableConflict(error) || attempt >= ATTEMPTS_MAX) throw error;
      }
    }
  }
}
