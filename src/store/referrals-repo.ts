/**
 * The SQL of referrals: invites, referrals (attributions) and rewards, and what each program has
 * given against its budget. Writes on one customer go under that customer's wallet lock, as for gifts.
 */
import type { Signals } from "../core/gifts.js";
import type { RewardSide } from "../core/referral-program.js";
import type { ReferralState, RewardState } from "../core/referrals.js";
import { jsonParam } from "./json-param.js";
import type { Queryable } from "./store.js";

const date = (ms: number): Date => new Date(ms);
const msOrNull = (value: Date | null): number | null => (value === null ? null : value.getTime());
const json = <T>(value: unknown): T | null =>
  value === null || value === undefined
    ? null
    : ((typeof value === "string" ? JSON.parse(value) : value) as T);

export interface InviteRecord {
  readonly id: string;
  readonly programId: string;
  readonly referrerId: string;
  readonly code: string;
  readonly secret: string;
  readonly email: string | null;
  readonly emailNormalized: string | null;
  readonly referrerSignals: Signals | null;
  readonly periodStartMs: number;
  readonly createdAtMs: number;
  readonly opens: number;
}

interface InviteRow {
  id: string;
  program_id: string;
  referrer_id: string;
  code: string;
  secret: string;
  email: string | null;
  email_normalized: string | null;
  referrer_signals: unknown;
  period_start: Date;
  created_at: Date;
  opens: number;
}

const inviteFromRow = (row: InviteRow): InviteRecord => ({
  id: row.id,
  programId: row.program_id,
  referrerId: row.referrer_id,
  code: row.code,
  secret: row.secret,
  email: row.email,
  emailNormalized: row.email_normalized,
  referrerSignals: json<Signals>(row.referrer_signals),
  periodStartMs: row.period_start.getTime(),
  createdAtMs: row.created_at.getTime(),
  opens: row.opens,
});

export async function insertInvite(tx: Queryable, invite: InviteRecord): Promise<void> {
  await tx.query(
    `INSERT INTO invites (id, program_id, referrer_id, code, secret, email, email_normalized, referrer_signals,
       period_start, created_at)
     VALUES ($1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text::jsonb,
       $9::timestamptz, $10::timestamptz)`,
    [
      invite.id,
      invite.programId,
      invite.referrerId,
      invite.code,
      invite.secret,
      invite.email,
      invite.emailNormalized,
      invite.referrerSignals === null ? null : jsonParam(invite.referrerSignals),
      date(invite.periodStartMs),
      date(invite.createdAtMs),
    ],
  );
}

/** Invites a referrer has made in a program: ever, and since the start of this period. */
export async function inviteCounts(
  db: Queryable,
  programId: string,
  referrerId: string,
  periodStartMs: number,
): Promise<{ ever: number; thisPeriod: number }> {
  const rows = await db.query<{ ever: number; this_period: number }>(
    `SELECT count(*)::integer AS ever, count(*) FILTER (WHERE created_at >= $3::timestamptz)::integer AS this_period
     FROM invites WHERE program_id = $1::text AND referrer_id = $2::text`,
    [programId, referrerId, date(periodStartMs)],
  );
  return { ever: rows[0]?.ever ?? 0, thisPeriod: rows[0]?.this_period ?? 0 };
}

export async function findInvite(
  db: Queryable,
  handle: { code: string } | { secret: string },
  lock: "lock" | "read" = "read",
): Promise<InviteRecord | null> {
  const [column, value] = "code" in handle ? ["code", handle.code] : ["secret", handle.secret];
  const rows = await db.query<InviteRow>(
    `SELECT * FROM invites WHERE ${column} = $1::text ${lock === "lock" ? "FOR UPDATE" : ""}`,
    [value],
  );
  return rows[0] === undefined ? null : inviteFromRow(rows[0]);
}

/** Count an opening of the invite's landing page (the funnel's "opened"). */
export async function recordInviteOpen(db: Queryable, inviteId: string, nowMs: number): Promise<void> {
  await db.query(
    `UPDATE invites SET opens = opens + 1, first_opened_at = coalesce(first_opened_at, $2::timestamptz)
     WHERE id = $1::text`,
    [inviteId, date(nowMs)],
  );
}

export interface ReferralRecord {
  readonly id: string;
  readonly programId: string;
  readonly programVersion: number;
  readonly inviteId: string;
  readonly referrerId: string;
  readonly inviteeId: string;
  readonly state: ReferralState;
  readonly segment: "new" | "lapsed" | "active";
  readonly acceptedAtMs: number;
  readonly qualifiedAtMs: number | null;
  readonly reviewReason: string | null;
}

interface ReferralRow {
  id: string;
  program_id: string;
  program_version: number;
  invite_id: string;
  referrer_id: string;
  invitee_id: string;
  state: ReferralState;
  segment: "new" | "lapsed" | "active";
  accepted_at: Date;
  qualified_at: Date | null;
  review_reason: string | null;
}

const referralFromRow = (row: ReferralRow): ReferralRecord => ({
  id: row.id,
  programId: row.program_id,
  programVersion: row.program_version,
  inviteId: row.invite_id,
  referrerId: row.referrer_id,
  inviteeId: row.invitee_id,
  state: row.state,
  segment: row.segment,
  acceptedAtMs: row.accepted_at.getTime(),
  qualifiedAtMs: msOrNull(row.qualified_at),
  reviewReason: row.review_reason,
});

const REFERRAL_COLUMNS = `id, program_id, program_version, invite_id, referrer_id, invitee_id, state, segment,
  accepted_at, qualified_at, review_reason`;

export async function insertReferral(
  tx: Queryable,
  referral: ReferralRecord,
  signals: Signals | null,
): Promise<void> {
  await tx.query(
    `INSERT INTO referrals (id, program_id, program_version, invite_id, referrer_id, invitee_id, state, segment,
       accepted_at, review_reason, invitee_signals)
     VALUES ($1::text, $2::text, $3::integer, $4::text, $5::text, $6::text, $7::text, $8::text, $9::timestamptz,
       $10::text, $11::text::jsonb)`,
    [
      referral.id,
      referral.programId,
      referral.programVersion,
      referral.inviteId,
      referral.referrerId,
      referral.inviteeId,
      referral.state,
      referral.segment,
      date(referral.acceptedAtMs),
      referral.reviewReason,
      signals === null ? null : jsonParam(signals),
    ],
  );
}

export async function referralOf(
  db: Queryable,
  programId: string,
  inviteeId: string,
  lock: "lock" | "read" = "read",
): Promise<ReferralRecord | null> {
  const rows = await db.query<ReferralRow>(
    `SELECT ${REFERRAL_COLUMNS} FROM referrals WHERE program_id = $1::text AND invitee_id = $2::text
     ${lock === "lock" ? "FOR UPDATE" : ""}`,
    [programId, inviteeId],
  );
  return rows[0] === undefined ? null : referralFromRow(rows[0]);
}

export async function lockReferral(tx: Queryable, referralId: string): Promise<ReferralRecord | null> {
  const rows = await tx.query<ReferralRow>(
    `SELECT ${REFERRAL_COLUMNS} FROM referrals WHERE id = $1::text FOR UPDATE`,
    [referralId],
  );
  return rows[0] === undefined ? null : referralFromRow(rows[0]);
}

/** A customer's referrals still waiting for their qualifying action. */
export async function openReferralsOf(db: Queryable, inviteeId: string): Promise<ReferralRecord[]> {
  const rows = await db.query<ReferralRow>(
    `SELECT ${REFERRAL_COLUMNS} FROM referrals WHERE invitee_id = $1::text AND state = 'accepted' ORDER BY id`,
    [inviteeId],
  );
  return rows.map(referralFromRow);
}

/** Referrals waiting for their qualifying action, oldest first, after `afterId`. */
export async function openReferrals(
  db: Queryable,
  afterId: string | null,
  limit: number,
): Promise<ReferralRecord[]> {
  const rows = await db.query<ReferralRow>(
    `SELECT ${REFERRAL_COLUMNS} FROM referrals WHERE state = 'accepted' AND ($1::text IS NULL OR id > $1::text)
     ORDER BY id LIMIT $2::integer`,
    [afterId, limit],
  );
  return rows.map(referralFromRow);
}

export async function referralsInReview(db: Queryable, limit: number): Promise<ReferralRecord[]> {
  const rows = await db.query<ReferralRow>(
    `SELECT ${REFERRAL_COLUMNS} FROM referrals WHERE state = 'review' ORDER BY id LIMIT $1::integer`,
    [limit],
  );
  return rows.map(referralFromRow);
}

/** Acceptances of a referrer's invites in a program since an instant (the velocity check). */
export async function acceptancesSince(
  db: Queryable,
  programId: string,
  referrerId: string,
  sinceMs: number,
): Promise<number> {
  const rows = await db.query<{ count: number }>(
    `SELECT count(*)::integer AS count FROM referrals
     WHERE program_id = $1::text AND referrer_id = $2::text AND accepted_at >= $3::timestamptz`,
    [programId, referrerId, date(sinceMs)],
  );
  return rows[0]?.count ?? 0;
}

export async function setReferralState(
  tx: Queryable,
  referralId: string,
  state: ReferralState,
  qualifiedAtMs: number | null,
): Promise<void> {
  await tx.query(
    "UPDATE referrals SET state = $2::text, qualified_at = $3::timestamptz WHERE id = $1::text",
    [referralId, state, qualifiedAtMs === null ? null : date(qualifiedAtMs)],
  );
}

/** The instant of a customer's first authorized usage in [fromMs, toMs), of one action or any. */
export async function firstUsageAt(
  db: Queryable,
  customerId: string,
  action: string | null,
  fromMs: number,
  toMs: number,
): Promise<number | null> {
  const rows = await db.query<{ at: Date | null }>(
    `SELECT min(created_at) AS at FROM usage_charges
     WHERE customer_id = $1::text AND ($2::text IS NULL OR action = $2::text)
       AND created_at >= $3::timestamptz AND created_at < $4::timestamptz`,
    [customerId, action, date(fromMs), date(toMs)],
  );
  return rows[0]?.at?.getTime() ?? null;
}

export interface RewardRecord {
  readonly id: string;
  readonly referralId: string;
  readonly programId: string;
  readonly inviteeId: string;
  readonly side: RewardSide;
  readonly customerId: string;
  readonly state: RewardState;
  readonly kind: "reset" | "credits";
  readonly amountMinor: bigint | null;
  readonly dueAtMs: number;
  readonly createdAtMs: number;
  readonly grantedAtMs: number | null;
  readonly resolvedAtMs: number | null;
  readonly resetTokenId: string | null;
  readonly lotId: string | null;
  /** For a reversed reward: what was taken back, and what had already been used (credits or resets). */
  readonly recoveredMinor: bigint | null;
  readonly unrecoveredMinor: bigint | null;
  readonly reason: string | null;
}

interface RewardRow {
  id: string;
  referral_id: string;
  program_id: string;
  invitee_id: string;
  side: RewardSide;
  customer_id: string;
  state: RewardState;
  kind: "reset" | "credits";
  amount_minor: string | null;
  due_at: Date;
  created_at: Date;
  granted_at: Date | null;
  resolved_at: Date | null;
  reset_token_id: string | null;
  lot_id: string | null;
  reversal_minor: string | null;
  unrecovered_minor: string | null;
  reason: string | null;
}

const REWARD_COLUMNS = `id, referral_id, program_id, invitee_id, side, customer_id, state, kind,
  amount_minor::text, due_at, created_at, granted_at, resolved_at, reset_token_id, lot_id,
  reversal_minor::text, unrecovered_minor::text, reason`;

const rewardFromRow = (row: RewardRow): RewardRecord => ({
  id: row.id,
  referralId: row.referral_id,
  programId: row.program_id,
  inviteeId: row.invitee_id,
  side: row.side,
  customerId: row.customer_id,
  state: row.state,
  kind: row.kind,
  amountMinor: row.amount_minor === null ? null : BigInt(row.amount_minor),
  dueAtMs: row.due_at.getTime(),
  createdAtMs: row.created_at.getTime(),
  grantedAtMs: msOrNull(row.granted_at),
  resolvedAtMs: msOrNull(row.resolved_at),
  resetTokenId: row.reset_token_id,
  lotId: row.lot_id,
  recoveredMinor: row.reversal_minor === null ? null : BigInt(row.reversal_minor),
  unrecoveredMinor: row.unrecovered_minor === null ? null : BigInt(row.unrecovered_minor),
  reason: row.reason,
});

/** Create a reward unless this side of this invitee already has one in the program (the unique key). */
export async function insertReward(tx: Queryable, reward: RewardRecord): Promise<boolean> {
  const rows = await tx.query(
    `INSERT INTO referral_rewards (id, referral_id, program_id, invitee_id, side, customer_id, state, kind,
       amount_minor, due_at, created_at, reason)
     VALUES ($1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text, $9::bigint,
       $10::timestamptz, $11::timestamptz, $12::text)
     ON CONFLICT (program_id, invitee_id, side) DO NOTHING RETURNING 1`,
    [
      reward.id,
      reward.referralId,
      reward.programId,
      reward.inviteeId,
      reward.side,
      reward.customerId,
      reward.state,
      reward.kind,
      reward.amountMinor?.toString() ?? null,
      date(reward.dueAtMs),
      date(reward.createdAtMs),
      reward.reason,
    ],
  );
  return rows.length === 1;
}

export async function lockReward(tx: Queryable, rewardId: string): Promise<RewardRecord | null> {
  const rows = await tx.query<RewardRow>(
    `SELECT ${REWARD_COLUMNS} FROM referral_rewards WHERE id = $1::text FOR UPDATE`,
    [rewardId],
  );
  return rows[0] === undefined ? null : rewardFromRow(rows[0]);
}

/** Rewards whose hold has ended, and granted rewards whose grant has not been recorded yet. */
export async function rewardsToSettle(db: Queryable, nowMs: number, limit: number): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `SELECT id FROM referral_rewards
     WHERE (state = 'pending' AND due_at <= $1::timestamptz)
        OR (state = 'granted' AND reset_token_id IS NULL AND lot_id IS NULL)
        OR (state = 'reversed' AND reversal_minor IS NULL)
     ORDER BY due_at, id LIMIT $2::integer`,
    [date(nowMs), limit],
  );
  return rows.map((row) => row.id);
}

export async function rewardsOf(
  db: Queryable,
  filter: { customerId?: string; referralId?: string; rewardId?: string },
): Promise<RewardRecord[]> {
  const rows = await db.query<RewardRow>(
    `SELECT ${REWARD_COLUMNS} FROM referral_rewards
     WHERE ($1::text IS NULL OR customer_id = $1::text) AND ($2::text IS NULL OR referral_id = $2::text)
       AND ($3::text IS NULL OR id = $3::text) ORDER BY id`,
    [filter.customerId ?? null, filter.referralId ?? null, filter.rewardId ?? null],
  );
  return rows.map(rewardFromRow);
}

export async function setRewardState(
  tx: Queryable,
  rewardId: string,
  change: {
    state: RewardState;
    grantedAtMs?: number | null;
    resolvedAtMs?: number | null;
    reason?: string | null;
  },
): Promise<void> {
  await tx.query(
    `UPDATE referral_rewards SET state = $2::text, granted_at = coalesce($3::timestamptz, granted_at),
       resolved_at = coalesce($4::timestamptz, resolved_at), reason = coalesce($5::text, reason)
     WHERE id = $1::text`,
    [
      rewardId,
      change.state,
      change.grantedAtMs === undefined || change.grantedAtMs === null ? null : date(change.grantedAtMs),
      change.resolvedAtMs === undefined || change.resolvedAtMs === null ? null : date(change.resolvedAtMs),
      change.reason ?? null,
    ],
  );
}

/** Record what a grant made, once: false when another sweep recorded it first. */
export async function recordRewardGrant(
  db: Queryable,
  rewardId: string,
  made: { resetTokenId: string | null; lotId: string | null },
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE referral_rewards SET reset_token_id = $2::text, lot_id = $3::text
     WHERE id = $1::text AND reset_token_id IS NULL AND lot_id IS NULL RETURNING 1`,
    [rewardId, made.resetTokenId, made.lotId],
  );
  return rows.length === 1;
}

/**
 * Take a reward's cost from the program's budget, in one guarded statement: false (and nothing taken)
 * when it would go past the budget. A null budget is no limit.
 */
export async function spendBudget(
  tx: Queryable,
  programId: string,
  cost: { creditsMinor: bigint; resets: number },
  budget: { creditsMinor: bigint | null; resets: number | null },
): Promise<boolean> {
  await tx.query(
    "INSERT INTO referral_budgets (program_id) VALUES ($1::text) ON CONFLICT (program_id) DO NOTHING",
    [programId],
  );
  const rows = await tx.query(
    `UPDATE referral_budgets
     SET credits_given_minor = credits_given_minor + $2::bigint, resets_given = resets_given + $3::integer
     WHERE program_id = $1::text
       AND ($4::bigint IS NULL OR credits_given_minor + $2::bigint <= $4::bigint)
       AND ($5::integer IS NULL OR resets_given + $3::integer <= $5::integer)
     RETURNING 1`,
    [
      programId,
      cost.creditsMinor.toString(),
      cost.resets,
      budget.creditsMinor?.toString() ?? null,
      budget.resets,
    ],
  );
  return rows.length === 1;
}

export async function budgetGiven(
  db: Queryable,
  programId: string,
): Promise<{ creditsMinor: bigint; resets: number }> {
  const rows = await db.query<{ credits: string; resets: number }>(
    "SELECT credits_given_minor::text AS credits, resets_given AS resets FROM referral_budgets WHERE program_id = $1::text",
    [programId],
  );
  return { creditsMinor: BigInt(rows[0]?.credits ?? 0), resets: rows[0]?.resets ?? 0 };
}

/** What a reversal recovered of a reward, and what had already been used. */
export async function recordReversal(
  db: Queryable,
  rewardId: string,
  amounts: { recoveredMinor: bigint; unrecoveredMinor: bigint },
): Promise<void> {
  await db.query(
    "UPDATE referral_rewards SET reversal_minor = $2::bigint, unrecovered_minor = $3::bigint WHERE id = $1::text",
    [rewardId, amounts.recoveredMinor.toString(), amounts.unrecoveredMinor.toString()],
  );
}

/**
 * Expire a banked reset now if it was not redeemed (the caller holds the customer's wallet lock, as
 * every batch that could redeem it does); false when it was already redeemed or had expired.
 */
export async function revokeResetToken(tx: Queryable, tokenId: string, nowMs: number): Promise<boolean> {
  const rows = await tx.query(
    `UPDATE reset_tokens SET expires_at = $2::timestamptz
     WHERE id = $1::text AND redeemed_at IS NULL AND expires_at > $2::timestamptz RETURNING 1`,
    [tokenId, new Date(nowMs)],
  );
  return rows.length === 1;
}

/** The reason a reward the budget could no longer pay for is canceled with. */
export const OVER_BUDGET_REASON = "the program's budget is spent";

export interface ReferralFunnel {
  readonly invitesCreated: number;
  readonly invitesOpened: number;
  readonly referrers: number;
  readonly accepted: number;
  readonly inReview: number;
  readonly rejected: number;
  readonly qualified: number;
  readonly rewarded: number;
  readonly rewardsGranted: number;
  readonly rewardsPending: number;
  readonly rewardsCanceled: number;
  /** Of the canceled rewards, those the budget could no longer pay for. */
  readonly rewardsOverBudget: number;
  readonly rewardsReversed: number;
}

export interface ReferralWeek {
  readonly weekStartAtMs: number;
  readonly referrers: number;
  readonly invites: number;
  readonly accepted: number;
  readonly qualified: number;
}

/** A program's funnel, and its invites by the week they were made (the weekly cohorts). */
export async function referralFunnel(
  db: Queryable,
  programId: string,
): Promise<{ funnel: ReferralFunnel; weeks: ReferralWeek[] }> {
  const [totals] = await db.query<Record<string, number>>(
    `SELECT
       (SELECT count(*) FROM invites WHERE program_id = $1::text)::integer AS invites_created,
       (SELECT count(*) FROM invites WHERE program_id = $1::text AND opens > 0)::integer AS invites_opened,
       (SELECT count(DISTINCT referrer_id) FROM invites WHERE program_id = $1::text)::integer AS referrers,
       (SELECT count(*) FROM referrals WHERE program_id = $1::text AND state IN ('accepted', 'qualified'))::integer AS accepted,
       (SELECT count(*) FROM referrals WHERE program_id = $1::text AND state = 'review')::integer AS in_review,
       (SELECT count(*) FROM referrals WHERE program_id = $1::text AND state = 'rejected')::integer AS rejected,
       (SELECT count(*) FROM referrals WHERE program_id = $1::text AND state = 'qualified')::integer AS qualified,
       (SELECT count(DISTINCT referral_id) FROM referral_rewards
          WHERE program_id = $1::text AND state IN ('granted', 'reversed'))::integer AS rewarded,
       (SELECT count(*) FROM referral_rewards WHERE program_id = $1::text AND state = 'granted')::integer AS granted,
       (SELECT count(*) FROM referral_rewards WHERE program_id = $1::text AND state IN ('pending', 'review_required'))::integer AS pending,
       (SELECT count(*) FROM referral_rewards WHERE program_id = $1::text AND state = 'canceled')::integer AS canceled,
       (SELECT count(*) FROM referral_rewards
          WHERE program_id = $1::text AND state = 'canceled' AND reason = $2::text)::integer AS over_budget,
       (SELECT count(*) FROM referral_rewards WHERE program_id = $1::text AND state = 'reversed')::integer AS reversed`,
    [programId, OVER_BUDGET_REASON],
  );
  const weeks = await db.query<{
    week: Date;
    referrers: number;
    invites: number;
    accepted: number;
    qualified: number;
  }>(
    `SELECT date_trunc('week', i.created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS week,
       count(DISTINCT i.referrer_id)::integer AS referrers, count(DISTINCT i.id)::integer AS invites,
       count(r.id) FILTER (WHERE r.state IN ('accepted', 'qualified'))::integer AS accepted,
       count(r.id) FILTER (WHERE r.state = 'qualified')::integer AS qualified
     FROM invites i LEFT JOIN referrals r ON r.invite_id = i.id
     WHERE i.program_id = $1::text GROUP BY 1 ORDER BY 1`,
    [programId],
  );
  const n = (name: string): number => Number(totals?.[name] ?? 0);
  return {
    funnel: {
      invitesCreated: n("invites_created"),
      invitesOpened: n("invites_opened"),
      referrers: n("referrers"),
      accepted: n("accepted"),
      inReview: n("in_review"),
      rejected: n("rejected"),
      qualified: n("qualified"),
      rewarded: n("rewarded"),
      rewardsGranted: n("granted"),
      rewardsPending: n("pending"),
      rewardsCanceled: n("canceled"),
      rewardsOverBudget: n("over_budget"),
      rewardsReversed: n("reversed"),
    },
    weeks: weeks.map((row) => ({
      weekStartAtMs: row.week.getTime(),
      referrers: row.referrers,
      invites: row.invites,
      accepted: row.accepted,
      qualified: row.qualified,
    })),
  };
}

/** A granted reward whose grant was refused before anything was made: canceled, with the reason. */
export async function refuseReward(
  tx: Queryable,
  rewardId: string,
  reason: string,
  nowMs: number,
): Promise<void> {
  await tx.query(
    `UPDATE referral_rewards SET state = 'canceled', granted_at = NULL, resolved_at = $3::timestamptz,
       reason = $2::text
     WHERE id = $1::text`,
    [rewardId, reason, new Date(nowMs)],
  );
}

/** A referrer's invites, newest first. */
export async function invitesOf(db: Queryable, referrerId: string, limit: number): Promise<InviteRecord[]> {
  const rows = await db.query<InviteRow>(
    "SELECT * FROM invites WHERE referrer_id = $1::text ORDER BY id DESC LIMIT $2::integer",
    [referrerId, limit],
  );
  return rows.map(inviteFromRow);
}

/** A customer's referrals, as referrer or as invitee, newest first. */
export async function referralsOfCustomer(
  db: Queryable,
  customerId: string,
  limit: number,
): Promise<ReferralRecord[]> {
  const rows = await db.query<ReferralRow>(
    `SELECT ${REFERRAL_COLUMNS} FROM referrals WHERE referrer_id = $1::text OR invitee_id = $1::text
     ORDER BY id DESC LIMIT $2::integer`,
    [customerId, limit],
  );
  return rows.map(referralFromRow);
}
