/**
 * Gifting's use cases. Each write is one short transaction that locks the customer's wallet row first
 * (the same lock the group-commit batch takes), decides with the pure rules of `core/gifts.ts`, and
 * posts a balanced transfer: into escrow when a gift is sent, out of escrow into a new gifted lot when
 * it is claimed, back to its source when it expires or is revoked. A retry with the same idempotency
 * key replays the first answer.
 */
import { randomBytes } from "node:crypto";
import { SYSTEM_ACCOUNTS } from "../core/accounts.js";
import { calendarPeriodAt } from "../core/calendar.js";
import type { Clock } from "../core/clock.js";
import { fail, type Outcome, ok } from "../core/errors.js";
import { codeFromBytes, formatCode, readGiftHandle, secretFromBytes } from "../core/gift-codes.js";
import {
  GIFT_AMOUNT_MINOR_MAX,
  type GiftProgram,
  readGiftProgram,
  writeGiftProgram,
} from "../core/gift-program.js";
import {
  decideClaim,
  decideSend,
  EMAIL_LENGTH_MAX,
  GIFT_MESSAGE_LENGTH_MAX,
  GIFT_SOURCES,
  GIFT_UNAVAILABLE,
  type GiftParty,
  type GiftSource,
  type GiftStatus,
  nextStatus,
  periodStartMs,
  programVisibleTo,
  SIGNAL_LENGTH_MAX,
  type Signals,
} from "../core/gifts.js";
import type { IdGenerator } from "../core/ids.js";
import { DEFAULT_PRIORITY } from "../core/lots.js";
import {
  allowanceUsage,
  dueGiftIds,
  ensureGiftBalance,
  findGiftByHandle,
  type GiftingReportRow,
  type GiftRecord,
  giftingReport,
  giftSender,
  giftsInReview,
  giftsOf,
  insertGift,
  insertGiftEvent,
  lockGift,
  lockGiftBalance,
  lockGiftByHandle,
  lockParty,
  postGiftTransfer,
  recipientCounts,
  recordAllowanceUse,
  returnAllowance,
  updateGift,
} from "../store/gifts-repo.js";
import { currentPolicyVersion } from "../store/ledger-repo.js";
import { postLedgerTransfer } from "../store/payments-repo.js";
import { isRetryableConflict, type Queryable, type Store } from "../store/store.js";
import { onceByKey } from "./once.js";
import { Programs, type ProgramView, type SavedProgram } from "./programs.js";
import { checkCustomerId, checkKey, checkText } from "./validate.js";

/** Deadlocks with a concurrent batch over the shared system rows are rare; a few tries settle them. */
const GIFT_ATTEMPTS_MAX = 5;
export const GIFT_SWEEP_PAGE = 200;
export const GIFTS_LIST_MAX = 100;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface SendGiftInput {
  readonly senderId: string;
  /** The program to send under; when left out, the one live program the sender can see. */
  readonly programId?: string | undefined;
  readonly amountMinor: bigint;
  readonly source: string;
  readonly message?: string | null | undefined;
  readonly recipientEmail?: string | null | undefined;
  readonly signals?: Signals | undefined;
  readonly idempotencyKey: string;
}

export interface ClaimGiftInput {
  readonly handle: string;
  readonly customerId: string;
  readonly signals?: Signals | undefined;
  readonly idempotencyKey: string;
}

/** A gift as its sender (or an operator) sees it; the code and secret are the sender's to share. */
export type GiftView = Omit<
  GiftRecord,
  "periodStartMs" | "recipientSegment" | "sendTransferId" | "settleTransferId" | "senderSignals"
>;

/** What the claim page shows: nothing that identifies the sender beyond their display name. */
export interface GiftPreview {
  readonly amountMinor: bigint;
  readonly senderName: string | null;
  readonly message: string | null;
  readonly status: "pending";
  readonly expiresAtMs: number;
}

export interface AllowanceLine {
  readonly programId: string;
  readonly allowanceMinor: bigint;
  readonly usedMinor: bigint;
  readonly leftMinor: bigint;
  readonly sentCount: number;
  readonly sentPerPeriod: number | null;
  readonly periodEndsAtMs: number;
}

export interface CustomerGifts {
  readonly customerId: string;
  readonly sent: readonly GiftView[];
  readonly received: readonly GiftView[];
  readonly allowances: readonly AllowanceLine[];
  readonly giftBalanceMinor: bigint;
}

export interface GiftingReport {
  readonly fromMs: number;
  readonly toMs: number;
  readonly programs: readonly (GiftingReportRow & {
    readonly claimRate: number | null;
    readonly newOrLapsedShare: number | null;
    /** Of the claimed value, the share recipients went on to spend. */
    readonly usedShare: number | null;
  })[];
}

export function giftView(gift: GiftRecord): GiftView {
  return {
    id: gift.id,
    programId: gift.programId,
    programVersion: gift.programVersion,
    senderId: gift.senderId,
    source: gift.source,
    amountMinor: gift.amountMinor,
    code: formatCode(gift.code),
    secret: gift.secret,
    message: gift.message,
    recipientEmail: gift.recipientEmail,
    status: gift.status,
    expiresAtMs: gift.expiresAtMs,
    createdAtMs: gift.createdAtMs,
    recipientId: gift.recipientId,
    claimedAtMs: gift.claimedAtMs,
    resolvedAtMs: gift.resolvedAtMs,
    lotId: gift.lotId,
    reviewReason: gift.reviewReason,
  };
}

/** What the recipient sees of a gift they received: no code, secret or the sender's email hint. */
function receivedView(gift: GiftRecord): GiftView {
  return { ...giftView(gift), code: "", secret: "", recipientEmail: null };
}

/** Signals as the host product passes them: text fingerprints of a device and an address. */
export function checkSignals(signals: Signals | null | undefined): Outcome<Signals | null> {
  if (signals === undefined) return ok(null);
  if (typeof signals !== "object" || signals === null || Array.isArray(signals))
    return fail("invalid_request", "signals must be an object with device and address");
  for (const [name, value] of Object.entries(signals)) {
    if (
      value !== undefined &&
      (typeof value !== "string" || value.length === 0 || value.length > SIGNAL_LENGTH_MAX)
    )
      return fail("invalid_request", `signals.${name} must be text of 1 to ${SIGNAL_LENGTH_MAX} characters`);
  }
  return ok({
    ...(signals.device === undefined ? {} : { device: signals.device }),
    ...(signals.address === undefined ? {} : { address: signals.address }),
  });
}

/** How gifting programs are stored and read. */
const GIFT_PROGRAMS = {
  table: "gift_programs",
  name: "gifting",
  read: readGiftProgram,
  write: writeGiftProgram,
} as const;

export class Gifts {
  private readonly programs: Programs<GiftProgram>;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly randomSource: (size: number) => Uint8Array = (size) => randomBytes(size),
  ) {
    this.programs = new Programs(store, clock, GIFT_PROGRAMS);
  }

  /** Store a program's terms as its next version (none when nothing changed). */
  saveProgram(programId: string, spec: unknown, idempotencyKey?: string): Promise<SavedProgram> {
    return this.programs.save(programId, spec, idempotencyKey);
  }

  /**
   * Change some of a program's terms (a JSON merge patch) as its next version. Opening or ending a
   * program is `{"status": "live"}`.
   */
  patchProgram(programId: string, patch: unknown, idempotencyKey?: string): Promise<SavedProgram> {
    return this.programs.patch(programId, patch, idempotencyKey);
  }

  program(programId: string): Promise<Outcome<ProgramView>> {
    return this.programs.get(programId);
  }

  listPrograms(): Promise<ProgramView[]> {
    return this.programs.list();
  }

  async send(input: SendGiftInput): Promise<Outcome<GiftView>> {
    const parsed = this.parseSend(input);
    if (!parsed.ok) return parsed;
    const { key, signals, ...request } = parsed.value;
    const nowMs = this.clock.nowMs();
    const body = { ...input, amountMinor: input.amountMinor.toString(), idempotencyKey: undefined };
    return this.retrying(() =>
      onceByKey(this.store, { key, operation: "send_gift", body, nowMs }, (tx) =>
        this.sendIn(tx, { ...request, signals, key, nowMs }),
      ),
    );
  }

  private parseSend(input: SendGiftInput) {
    const sender = checkCustomerId(input.senderId);
    if (!sender.ok) return sender;
    const key = checkKey(input.idempotencyKey);
    if (!key.ok) return key;
    if (!(GIFT_SOURCES as readonly string[]).includes(input.source))
      return fail(
        input.source === "purchased" || input.source === "wallet" ? "not_transferable" : "invalid_request",
        input.source === "purchased" || input.source === "wallet"
          ? "purchased credits can't be given; send from the gift allowance or the gift balance"
          : `source must be one of ${GIFT_SOURCES.join(", ")}`,
      );
    if (typeof input.amountMinor !== "bigint" || input.amountMinor <= 0n)
      return fail("invalid_request", "amount must be a whole number above 0");
    const message = checkText(input.message ?? undefined, "message", GIFT_MESSAGE_LENGTH_MAX);
    if (!message.ok) return message;
    const email = input.recipientEmail ?? null;
    if (email !== null && (email.length > EMAIL_LENGTH_MAX || !EMAIL_PATTERN.test(email)))
      return fail("invalid_request", "recipientEmail must be an email address");
    const signals = checkSignals(input.signals);
    if (!signals.ok) return signals;
    return ok({
      senderId: sender.value,
      programId: input.programId ?? null,
      amountMinor: input.amountMinor,
      source: input.source as GiftSource,
      message: message.value,
      recipientEmail: email,
      signals: signals.value,
      key: key.value,
    });
  }

  private async sendIn(
    tx: Queryable,
    request: {
      senderId: string;
      programId: string | null;
      amountMinor: bigint;
      source: GiftSource;
      message: string | null;
      recipientEmail: string | null;
      signals: Signals | null;
      key: string;
      nowMs: number;
    },
  ): Promise<Outcome<GiftView>> {
    const sender = await lockParty(tx, request.senderId);
    if (sender === null) return fail("not_found", `no customer ${request.senderId}`);
    const program = await this.programFor(tx, sender, request.programId);
    if (!program.ok) return program;
    const period = periodStartMs(program.value, request.nowMs);
    const usage = await allowanceUsage(tx, sender.id, program.value.id, period);
    const giftBalance = request.source === "gift_balance" ? await lockGiftBalance(tx, sender.id) : null;
    const decision = decideSend({
      program: program.value,
      sender,
      source: request.source,
      amountMinor: request.amountMinor,
      usedMinor: usage.usedMinor,
      sentCount: usage.sentCount,
      giftBalanceMinor: giftBalance?.balanceMinor ?? 0n,
      nowMs: request.nowMs,
    });
    if (!decision.ok) return decision;
    const from = giftBalance?.accountId ?? SYSTEM_ACCOUNTS.promotions;
    const transferId = this.ids.next("txn");
    await postGiftTransfer(tx, {
      id: transferId,
      kind: "gift_send",
      customerId: sender.id,
      reason: null,
      idempotencyKey: request.key,
      from,
      to: { accountId: SYSTEM_ACCOUNTS.giftEscrow, customerId: null, lotId: null },
      amountMinor: request.amountMinor,
      entryIds: [this.ids.next("ent"), this.ids.next("ent")],
      lot: null,
      nowMs: request.nowMs,
    });
    const gift: GiftRecord = {
      id: this.ids.next("gft"),
      programId: program.value.id,
      programVersion: program.value.version,
      senderId: sender.id,
      source: request.source,
      amountMinor: request.amountMinor,
      code: codeFromBytes(this.randomSource(8)),
      secret: secretFromBytes(this.randomSource(16)),
      message: request.message,
      recipientEmail: request.recipientEmail,
      status: "pending",
      periodStartMs: decision.periodStartMs,
      expiresAtMs: decision.expiresAtMs,
      createdAtMs: request.nowMs,
      recipientId: null,
      recipientSegment: null,
      claimedAtMs: null,
      resolvedAtMs: null,
      lotId: null,
      sendTransferId: transferId,
      settleTransferId: null,
      senderSignals: request.signals,
      reviewReason: null,
    };
    await insertGift(tx, gift);
    await recordAllowanceUse(tx, {
      senderId: sender.id,
      programId: gift.programId,
      periodStartMs: gift.periodStartMs,
      allowanceMinor: request.source === "allowance" ? request.amountMinor : 0n,
    });
    await this.event(tx, gift, "gift.created", request.nowMs);
    return ok(giftView(gift));
  }

  /** The named program, or the one live program the sender can see when none is named. */
  private async programFor(
    db: Queryable,
    sender: GiftParty,
    programId: string | null,
  ): Promise<Outcome<GiftProgram>> {
    const programs =
      programId === null
        ? await this.programs.all(db)
        : [await this.programs.current(db, programId)].filter((found) => found !== null);
    if (programId !== null) {
      const [program] = programs;
      return program === undefined ? fail("not_found", `no gifting program ${programId}`) : ok(program);
    }
    const open = programs.filter((program) => programVisibleTo(program, sender));
    const [only] = open;
    if (only === undefined) return fail("program_closed", `no gifting program is open to ${sender.id}`);
    if (open.length > 1)
      return fail(
        "invalid_request",
        `several gifting programs are open: name one (${open.map((p) => p.id).join(", ")})`,
      );
    return ok(only);
  }

  /** What the claim page shows. Every code that can't be claimed gets the one same answer. */
  async preview(handleText: string): Promise<Outcome<GiftPreview>> {
    const handle = readGiftHandle(handleText);
    if (handle.kind === "mistyped")
      return fail("invalid_request", "this code has a typo: check each character and try again");
    if (handle.kind === "malformed") return { ok: false, error: GIFT_UNAVAILABLE };
    const found = await findGiftByHandle(this.store, handle);
    if (found === null || found.status !== "pending") return { ok: false, error: GIFT_UNAVAILABLE };
    if (this.clock.nowMs() >= found.expiresAtMs) {
      await this.expire(found.id);
      return { ok: false, error: GIFT_UNAVAILABLE };
    }
    return ok({
      amountMinor: found.amountMinor,
      senderName: found.senderName,
      message: found.message,
      status: "pending",
      expiresAtMs: found.expiresAtMs,
    });
  }

  async claim(input: ClaimGiftInput): Promise<Outcome<GiftView>> {
    const handle = readGiftHandle(input.handle);
    if (handle.kind === "mistyped")
      return fail("invalid_request", "this code has a typo: check each character and try again");
    const customer = checkCustomerId(input.customerId);
    if (!customer.ok) return customer;
    const key = checkKey(input.idempotencyKey);
    if (!key.ok) return key;
    const signals = checkSignals(input.signals);
    if (!signals.ok) return signals;
    if (handle.kind === "malformed") return { ok: false, error: GIFT_UNAVAILABLE };
    const nowMs = this.clock.nowMs();
    // The handle as read, so a retry that types the code in another case or without dashes replays.
    const body = { handle, customerId: input.customerId, signals: input.signals ?? null };
    return this.retrying(() =>
      onceByKey(this.store, { key: key.value, operation: "claim_gift", body, nowMs }, (tx) =>
        this.claimIn(tx, handle, customer.value, signals.value, key.value, nowMs),
      ),
    );
  }

  private async claimIn(
    tx: Queryable,
    handle: { code: string } | { secret: string },
    customerId: string,
    signals: Signals | null,
    key: string,
    nowMs: number,
  ): Promise<Outcome<GiftView>> {
    // The recipient's wallet first, then the gift: the lock order of every other write.
    const recipient = await lockParty(tx, customerId);
    if (recipient === null) return fail("not_found", `no customer ${customerId}`);
    const gift = await lockGiftByHandle(tx, handle);
    if (gift === null) return { ok: false, error: GIFT_UNAVAILABLE };
    const program = await this.programOf(tx, gift);
    const counts = await recipientCounts(tx, recipient.id, gift.programId, periodStartMs(program, nowMs));
    const decision = decideClaim({
      program,
      status: gift.status,
      expiresAtMs: gift.expiresAtMs,
      senderId: gift.senderId,
      senderSignals: gift.senderSignals,
      recipient,
      recipientSignals: signals,
      receivedThisPeriod: counts.thisPeriod,
      claimedEver: counts.ever,
      nowMs,
    });
    if (!decision.ok) return decision;
    const claimed = { recipientId: recipient.id, recipientSegment: decision.segment, claimedAtMs: nowMs };
    if (decision.reviewReason !== null) {
      const held = await updateGift(tx, {
        ...this.settlementOf(gift),
        ...claimed,
        status: "review",
        reviewReason: decision.reviewReason,
      });
      return ok(receivedView(held));
    }
    const settled = await this.deliver(tx, gift, recipient.accountId, recipient.id, decision, key, nowMs);
    const done = await updateGift(tx, { ...settled, ...claimed });
    await this.event(tx, done, "gift.claimed", nowMs);
    return ok(receivedView(done));
  }

  /** Move the escrowed value into a new gifted lot in the recipient's wallet. */
  private async deliver(
    tx: Queryable,
    gift: GiftRecord,
    accountId: string,
    recipientId: string,
    lot: { lotExpiresAtMs: number | null; lotPriority: number },
    key: string | null,
    nowMs: number,
  ) {
    const lotId = this.ids.next("lot");
    const transferId = this.ids.next("txn");
    await postGiftTransfer(tx, {
      id: transferId,
      kind: "gift_claim",
      customerId: recipientId,
      reason: `gift ${gift.id}`,
      idempotencyKey: key,
      from: SYSTEM_ACCOUNTS.giftEscrow,
      to: { accountId, customerId: recipientId, lotId },
      amountMinor: gift.amountMinor,
      entryIds: [this.ids.next("ent"), this.ids.next("ent")],
      lot: {
        id: lotId,
        customerId: recipientId,
        accountId,
        amountMinor: gift.amountMinor,
        priority: lot.lotPriority,
        expiresAtMs: lot.lotExpiresAtMs,
        policyVersion: await currentPolicyVersion(tx),
        reason: `gift ${gift.id}`,
      },
      nowMs,
    });
    return {
      ...this.settlementOf(gift),
      status: "claimed" as const,
      lotId,
      settleTransferId: transferId,
      resolvedAtMs: nowMs,
    };
  }

  /** The sender takes back an unclaimed gift; its value returns to its source. */
  async revoke(input: {
    giftId: string;
    senderId: string | null;
    idempotencyKey: string;
  }): Promise<Outcome<GiftView>> {
    const key = checkKey(input.idempotencyKey);
    if (!key.ok) return key;
    const nowMs = this.clock.nowMs();
    const body = { giftId: input.giftId, senderId: input.senderId };
    return this.retrying(() =>
      onceByKey(this.store, { key: key.value, operation: "revoke_gift", body, nowMs }, async (tx) => {
        const gift = await this.lockOwnGift(tx, input.giftId, input.senderId);
        if (!gift.ok) return gift;
        if (gift.value.status !== "pending" || nowMs >= gift.value.expiresAtMs)
          return fail(
            "invalid_request",
            `gift ${input.giftId} is ${this.statusAt(gift.value, nowMs)}, not pending`,
          );
        return ok(giftView(await this.giveBack(tx, gift.value, "revoke", key.value, nowMs)));
      }),
    );
  }

  /** An operator settles a claim held for review: approve delivers it, reject returns the value. */
  async review(input: {
    giftId: string;
    decision: "approve" | "reject";
    idempotencyKey: string;
  }): Promise<Outcome<GiftView>> {
    if (input.decision !== "approve" && input.decision !== "reject")
      return fail("invalid_request", "decision must be approve or reject");
    const key = checkKey(input.idempotencyKey);
    if (!key.ok) return key;
    const nowMs = this.clock.nowMs();
    const body = { giftId: input.giftId, decision: input.decision };
    return this.retrying(() =>
      onceByKey(this.store, { key: key.value, operation: "review_gift", body, nowMs }, async (tx) => {
        // The sender's wallet first, then the gift: a rejected gift's bought value returns into it.
        const sender = await giftSender(tx, input.giftId);
        if (sender !== null) await lockParty(tx, sender);
        const peek = await lockGift(tx, input.giftId);
        if (peek === null) return fail("not_found", `no gift ${input.giftId}`);
        if (peek.status !== "review" || peek.recipientId === null)
          return fail("invalid_request", `gift ${input.giftId} is ${peek.status}, not in review`);
        if (input.decision === "reject")
          return ok(giftView(await this.giveBack(tx, peek, "reject", key.value, nowMs)));
        // Lock order: the recipient's wallet, then the gift again (already ours in this transaction).
        const recipient = await lockParty(tx, peek.recipientId);
        if (recipient === null) throw new Error(`recipient ${peek.recipientId} of gift ${peek.id} vanished`);
        const program = await this.programOf(tx, peek);
        const lot = {
          lotExpiresAtMs:
            program.creditsExpireAfterSeconds === null
              ? null
              : nowMs + program.creditsExpireAfterSeconds * 1000,
          lotPriority: program.creditsPriority,
        };
        const settled = await this.deliver(
          tx,
          peek,
          recipient.accountId,
          recipient.id,
          lot,
          key.value,
          nowMs,
        );
        const done = await updateGift(tx, { ...settled, reviewReason: peek.reviewReason });
        await this.event(tx, done, "gift.claimed", nowMs);
        return ok(giftView(done));
      }),
    );
  }

  /** Expire every pending gift whose claim window has ended; the answer is how many. */
  async sweep(onProgress?: (done: number) => void): Promise<number> {
    let expired = 0;
    for (;;) {
      const due = await dueGiftIds(this.store, this.clock.nowMs(), GIFT_SWEEP_PAGE);
      for (const id of due) if (await this.expire(id)) expired += 1;
      onProgress?.(expired);
      if (due.length < GIFT_SWEEP_PAGE) return expired;
    }
  }

  /** Expire one gift if it is still pending past its window; true when this call expired it. */
  async expire(giftId: string): Promise<boolean> {
    return this.retrying(() =>
      this.store.transaction(async (tx) => {
        // The sender's wallet first, then the gift: a gift bought with a gift balance returns into it.
        const sender = await giftSender(tx, giftId);
        if (sender !== null) await lockParty(tx, sender);
        const gift = await lockGift(tx, giftId);
        const nowMs = this.clock.nowMs();
        if (gift === null || gift.status !== "pending" || nowMs < gift.expiresAtMs) return false;
        await this.giveBack(tx, gift, "expire", null, nowMs);
        return true;
      }),
    );
  }

  /**
   * Return escrowed value to its source: the allowance period, or the sender's gift balance. A bought
   * gift that nobody claimed (it expired, or its claim was rejected) returns instead to the buyer's
   * wallet as a purchased lot that never expires: purchased value never turns into breakage, and the
   * buyer can use it without acting. A revoke is the sender taking the gift back to give again, so
   * it goes back to the gift balance, which never expires either.
   */
  private async giveBack(
    tx: Queryable,
    gift: GiftRecord,
    event: "revoke" | "expire" | "reject",
    key: string | null,
    nowMs: number,
  ): Promise<GiftRecord> {
    const status = nextStatus(gift.status, event);
    if (status === null) throw new Error(`gift ${gift.id} can't ${event} from ${gift.status}`);
    const transferId = this.ids.next("txn");
    if (gift.source === "gift_balance" && event !== "revoke") {
      await this.returnAsPurchased(tx, gift, transferId, status, key, nowMs);
      return this.settleReturn(tx, gift, status, transferId, nowMs);
    }
    const to =
      gift.source === "allowance"
        ? SYSTEM_ACCOUNTS.promotions
        : (await ensureGiftBalance(tx, gift.senderId, this.ids.next("gba"), nowMs)).accountId;
    await postGiftTransfer(tx, {
      id: transferId,
      kind: "gift_return",
      customerId: gift.senderId,
      reason: `gift ${gift.id} ${status}`,
      idempotencyKey: key,
      from: SYSTEM_ACCOUNTS.giftEscrow,
      to: { accountId: to, customerId: null, lotId: null },
      amountMinor: gift.amountMinor,
      entryIds: [this.ids.next("ent"), this.ids.next("ent")],
      lot: null,
      nowMs,
    });
    if (gift.source === "allowance") await returnAllowance(tx, gift);
    return this.settleReturn(tx, gift, status, transferId, nowMs);
  }

  /** Move an unclaimed bought gift's value from escrow into a new purchased lot of its buyer. */
  private async returnAsPurchased(
    tx: Queryable,
    gift: GiftRecord,
    transferId: string,
    status: string,
    key: string | null,
    nowMs: number,
  ): Promise<void> {
    const buyer = await lockParty(tx, gift.senderId);
    if (buyer === null) throw new Error(`sender ${gift.senderId} of gift ${gift.id} has no wallet`);
    const lotId = this.ids.next("lot");
    const reason = `gift ${gift.id} ${status}`;
    await postLedgerTransfer(tx, {
      id: transferId,
      kind: "gift_return",
      customerId: buyer.id,
      reason,
      idempotencyKey: key,
      legs: [
        {
          entryId: this.ids.next("ent"),
          accountId: SYSTEM_ACCOUNTS.giftEscrow,
          customerId: null,
          lotId: null,
          amountMinor: -gift.amountMinor,
        },
        {
          entryId: this.ids.next("ent"),
          accountId: buyer.accountId,
          customerId: buyer.id,
          lotId,
          amountMinor: gift.amountMinor,
        },
      ],
      lots: [
        {
          id: lotId,
          customerId: buyer.id,
          accountId: buyer.accountId,
          kind: "purchased",
          source: "purchase",
          amountMinor: gift.amountMinor,
          priority: DEFAULT_PRIORITY.purchased,
          expiresAtMs: null,
          policyVersion: await currentPolicyVersion(tx),
          reason,
        },
      ],
      nowMs,
    });
  }

  private async settleReturn(
    tx: Queryable,
    gift: GiftRecord,
    status: GiftStatus,
    transferId: string,
    nowMs: number,
  ): Promise<GiftRecord> {
    const done = await updateGift(tx, {
      ...this.settlementOf(gift),
      status,
      resolvedAtMs: nowMs,
      settleTransferId: transferId,
    });
    await this.event(tx, done, status === "expired" ? "gift.expired" : "gift.revoked", nowMs);
    return done;
  }

  /** A customer's sent and received gifts, and what each open program's allowance has left. */
  async ofCustomer(customerId: string, limit = GIFTS_LIST_MAX): Promise<Outcome<CustomerGifts>> {
    const id = checkCustomerId(customerId);
    if (!id.ok) return id;
    const size = Math.min(Math.max(1, Math.trunc(limit)), GIFTS_LIST_MAX);
    const party = await lockParty(this.store, customerId, "read");
    if (party === null) return fail("not_found", `no customer ${customerId}`);
    const nowMs = this.clock.nowMs();
    // Expiry on read: a gift past its window is settled before it is shown.
    for (const gift of await giftsOf(this.store, customerId, "sent", size))
      if (gift.status === "pending" && nowMs >= gift.expiresAtMs) await this.expire(gift.id);
    const [sent, received, programs, balance] = await Promise.all([
      giftsOf(this.store, customerId, "sent", size),
      giftsOf(this.store, customerId, "received", size),
      this.programs.all(this.store),
      lockGiftBalance(this.store, customerId, "read"),
    ]);
    const allowances: AllowanceLine[] = [];
    for (const row of programs) {
      const program = row;
      if (!programVisibleTo(program, party)) continue;
      allowances.push(await this.allowanceLine(program, customerId, nowMs));
    }
    return ok({
      customerId,
      sent: sent.map(giftView),
      received: received.map(receivedView),
      allowances,
      giftBalanceMinor: balance?.balanceMinor ?? 0n,
    });
  }

  private async allowanceLine(
    program: GiftProgram,
    customerId: string,
    nowMs: number,
  ): Promise<AllowanceLine> {
    const start = periodStartMs(program, nowMs);
    const usage = await allowanceUsage(this.store, customerId, program.id, start);
    const left = program.allowanceMinor - usage.usedMinor;
    return {
      programId: program.id,
      allowanceMinor: program.allowanceMinor,
      usedMinor: usage.usedMinor,
      leftMinor: left > 0n ? left : 0n,
      sentCount: usage.sentCount,
      sentPerPeriod: program.sentPerPeriod,
      periodEndsAtMs: calendarPeriodAt(nowMs, program.period.unit, program.period.timeZone).endMs,
    };
  }

  /**
   * The operator's gifting report per program over gifts sent in [from, to): counts and value by
   * state, the claim rate (claimed over settled: claimed, expired or revoked; pending gifts have not
   * had their chance yet), time to claim, who the recipients were, and what they did with the value.
   */
  async report(
    range: { fromMs?: number | undefined; toMs?: number | undefined } = {},
  ): Promise<Outcome<GiftingReport>> {
    const toMs = range.toMs ?? this.clock.nowMs() + 1;
    const fromMs = range.fromMs ?? 0;
    if (!Number.isSafeInteger(fromMs) || !Number.isSafeInteger(toMs) || fromMs >= toMs)
      return fail("invalid_request", "from must be earlier than to");
    const rows = await giftingReport(this.store, fromMs, toMs);
    const programs = rows.map((row) => {
      const settled = row.claimed + row.expired + row.revoked;
      const recipients = row.recipientsNew + row.recipientsLapsed + row.recipientsActive;
      return {
        ...row,
        claimRate: settled === 0 ? null : row.claimed / settled,
        newOrLapsedShare: recipients === 0 ? null : (row.recipientsNew + row.recipientsLapsed) / recipients,
        usedShare:
          row.claimedMinor === 0n ? null : Number((row.usedMinor * 10_000n) / row.claimedMinor) / 10_000,
      };
    });
    return ok({ fromMs, toMs, programs });
  }

  async inReview(limit = GIFTS_LIST_MAX): Promise<GiftView[]> {
    return (await giftsInReview(this.store, Math.min(limit, GIFTS_LIST_MAX))).map(giftView);
  }

  /** Value bought to be given (a gift bundle): from sales into the customer's gift balance. */
  async fundGiftBalance(input: {
    customerId: string;
    amountMinor: bigint;
    reason: string | null;
    idempotencyKey: string;
  }): Promise<Outcome<{ giftBalanceMinor: bigint }>> {
    const key = checkKey(input.idempotencyKey);
    if (!key.ok) return key;
    const customer = checkCustomerId(input.customerId);
    if (!customer.ok) return customer;
    if (
      typeof input.amountMinor !== "bigint" ||
      input.amountMinor <= 0n ||
      input.amountMinor > GIFT_AMOUNT_MINOR_MAX
    )
      return fail("invalid_request", `amount must be a whole number from 1 to ${GIFT_AMOUNT_MINOR_MAX}`);
    const nowMs = this.clock.nowMs();
    const body = { ...input, amountMinor: input.amountMinor.toString(), idempotencyKey: undefined };
    return this.retrying(() =>
      onceByKey(this.store, { key: key.value, operation: "fund_gift_balance", body, nowMs }, async (tx) => {
        const party = await lockParty(tx, input.customerId);
        if (party === null) return fail("not_found", `no customer ${input.customerId}`);
        const balance = await ensureGiftBalance(tx, party.id, this.ids.next("gba"), nowMs);
        await postGiftTransfer(tx, {
          id: this.ids.next("txn"),
          kind: "gift_fund",
          customerId: party.id,
          reason: input.reason ?? "gift balance",
          idempotencyKey: key.value,
          from: SYSTEM_ACCOUNTS.sales,
          to: { accountId: balance.accountId, customerId: null, lotId: null },
          amountMinor: input.amountMinor,
          entryIds: [this.ids.next("ent"), this.ids.next("ent")],
          lot: null,
          nowMs,
        });
        return ok({ giftBalanceMinor: balance.balanceMinor + input.amountMinor });
      }),
    );
  }

  private async lockOwnGift(
    tx: Queryable,
    giftId: string,
    senderId: string | null,
  ): Promise<Outcome<GiftRecord>> {
    // Peek without a lock to learn the sender, lock the sender's wallet, then lock the gift.
    const owner = await giftSender(tx, giftId);
    if (owner === null || (senderId !== null && owner !== senderId))
      return fail("not_found", `no gift ${giftId} sent by ${senderId ?? "anyone"}`);
    await lockParty(tx, owner);
    const gift = await lockGift(tx, giftId);
    if (gift === null) return fail("not_found", `no gift ${giftId}`);
    return ok(gift);
  }

  private statusAt(gift: GiftRecord, nowMs: number): string {
    return gift.status === "pending" && nowMs >= gift.expiresAtMs ? "expired" : gift.status;
  }

  private async programOf(db: Queryable, gift: GiftRecord): Promise<GiftProgram> {
    return this.programs.version(db, gift.programId, gift.programVersion);
  }

  private settlementOf(gift: GiftRecord) {
    return {
      id: gift.id,
      status: gift.status,
      recipientId: gift.recipientId,
      recipientSegment: gift.recipientSegment,
      claimedAtMs: gift.claimedAtMs,
      resolvedAtMs: gift.resolvedAtMs,
      lotId: gift.lotId,
      settleTransferId: gift.settleTransferId,
      reviewReason: gift.reviewReason,
    };
  }

  private async event(
    tx: Queryable,
    gift: GiftRecord,
    type: "gift.created" | "gift.claimed" | "gift.expired" | "gift.revoked",
    nowMs: number,
  ) {
    await insertGiftEvent(tx, {
      id: this.ids.next("evt"),
      customerId: gift.senderId,
      type,
      payload: {
        giftId: gift.id,
        programId: gift.programId,
        senderId: gift.senderId,
        recipientId: gift.recipientId,
        amount: gift.amountMinor.toString(),
        source: gift.source,
        status: gift.status,
        expiresAt: new Date(gift.expiresAtMs).toISOString(),
      },
      createdAtMs: nowMs,
    });
  }

  private async retrying<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await work();
      } catch (error) {
        if (!isRetryableConflict(error) || attempt >= GIFT_ATTEMPTS_MAX) throw error;
      }
    }
  }
}
