/** `POST /v1/gifts`: send a gift from the sender's gift allowance or gift balance into escrow. */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import type { Outcome } from "../../core/errors.js";
import { GIFT_MESSAGE_LENGTH_MAX, GIFT_SOURCES, GIFT_STATUSES, SIGNAL_LENGTH_MAX } from "../../core/gifts.js";
import type { GiftView } from "../../engine/gifts.js";
import type { App, AppEnv } from "../app.js";
import { toWire, type Wire } from "../wire.js";
import {
  denied,
  ERROR_RESPONSES,
  ErrorSchema,
  fail,
  IdempotencyHeader,
  idempotencyKeyOf,
  ok200,
} from "./common.js";
import { INSUFFICIENT_CREDITS_RESPONSE } from "./debits-post.js";

/** Longer than any source name; the engine names the sources it accepts. */
export const GIFT_SOURCE_LENGTH_MAX = 64;
export const PROGRAM_ID_LENGTH_MAX = 64;

const MESSAGE_DESCRIPTION =
  "Plain text, returned exactly as the sender wrote it (at most " +
  `${GIFT_MESSAGE_LENGTH_MAX} characters). It is not HTML: render it escaped, as text, never as markup.`;

export const NOT_TRANSFERABLE_RESPONSE = {
  422: {
    content: { "application/json": { schema: ErrorSchema } },
    description: "not_transferable: purchased credits can't be given",
  },
} as const;

export const GiftSignals = z
  .object({
    device: z.string().optional().openapi({ description: "A hash of the caller's device fingerprint" }),
    address: z.string().optional().openapi({ description: "A hash of the caller's network address" }),
  })
  .strict()
  .openapi("GiftSignals", {
    description:
      `What the host product knows of the person's device and network, hashed (1 to ${SIGNAL_LENGTH_MAX} ` +
      "characters each). A claim sharing either with the gift's sender waits for an operator's review.",
  });

export const SendGiftRequest = z
  .object({
    senderId: z.string().openapi({ example: "cus_42" }),
    // Ranges are the engine's to check, so its messages (with the program's bounds) reach the client.
    amount: z.number().int().openapi({ description: "Minor credit units, within the program's bounds" }),
    source: z
      .string()
      .max(GIFT_SOURCE_LENGTH_MAX)
      .openapi({
        description:
          "`allowance` (the platform's gift allowance this period) or `gift_balance` (credits bought to be " +
          "given); purchased credits are refused with `not_transferable`",
        example: "allowance",
      }),
    programId: z.string().max(PROGRAM_ID_LENGTH_MAX).optional().openapi({
      description: "The gifting program; the one program open to the sender when left out",
    }),
    message: z.string().nullable().optional().openapi({ description: MESSAGE_DESCRIPTION }),
    recipientEmail: z
      .string()
      .nullable()
      .optional()
      .openapi({ description: "Whom the sender means the gift for: a hint shown to the sender only" }),
    signals: GiftSignals.optional(),
  })
  .strict()
  .openapi("SendGiftRequest");

export const Gift = z
  .object({
    id: z.string(),
    programId: z.string(),
    programVersion: z.number().int(),
    senderId: z.string(),
    source: z.enum(GIFT_SOURCES),
    amount: z.number().int(),
    code: z.string().nullable().openapi({
      description:
        "What a person types, in groups (`7KQ2-M9XD-4HTB-R`); null in a gift as its recipient sees it",
    }),
    url: z.string().nullable().openapi({
      description: "The claim link to share; null in a gift as its recipient sees it",
    }),
    message: z.string().nullable().openapi({ description: MESSAGE_DESCRIPTION }),
    recipientEmail: z.string().nullable(),
    status: z.enum(GIFT_STATUSES).openapi({
      description:
        "`pending` until claimed (`claimed`), held for an operator (`review`), taken back (`revoked`) or " +
        "past its claim window (`expired`)",
    }),
    expiresAt: z.string().openapi({ description: "The end of the claim window" }),
    createdAt: z.string(),
    recipientId: z.string().nullable(),
    claimedAt: z.string().nullable(),
    resolvedAt: z.string().nullable(),
    lotId: z.string().nullable().openapi({ description: "The gifted lot in the recipient's wallet" }),
    reviewReason: z.string().nullable().openapi({
      description: "Why a claim waits for review; shown to server and admin keys only",
    }),
  })
  .openapi("Gift");

/**
 * A gift on the wire: the link built from the secret, and a handle the recipient's view leaves empty
 * as null. Why a claim waits for review stays with the operator: a claimer told which signal matched
 * would know what to change.
 */
export function giftWire(c: Context<AppEnv>, gift: GiftView): Wire {
  const { secret, code, reviewReason, ...rest } = gift;
  return toWire({
    ...rest,
    code: code === "" ? null : code,
    url: secret === "" ? null : `${c.get("publicUrl")}/gift/${secret}`,
    reviewReason: c.get("principal")?.kind === "customer" ? null : reviewReason,
  });
}

export function answerGift(c: Context<AppEnv>, outcome: Outcome<GiftView>): Response {
  if (!outcome.ok) return fail(c, outcome.error);
  return c.json(giftWire(c, outcome.value), 200);
}

/**
 * A server key, or any customer token: the route then checks that the token acts for the customer the
 * body names. Keys of other scopes are refused before the body is read.
 */
export function requireServerOrCustomer(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.get("principal")?.kind !== "customer") {
      const refused = denied(c, ["server"]);
      if (refused !== null) return refused;
    }
    await next();
  };
}

const route = createRoute({
  method: "post",
  path: "/v1/gifts",
  tags: ["gifts"],
  summary: "Send a gift",
  description:
    "Moves `amount` from the sender's gift allowance or gift balance into escrow and answers the gift " +
    "with its typed `code` and its claim `url`, both the sender's to share. Unclaimed by `expiresAt`, or " +
    "revoked, its value returns to its source. Refused with `program_closed` when no program is open to " +
    "the sender, `not_eligible` when the sender is not among its senders, `cap_exceeded` past the " +
    "gifts per period, `insufficient_credits` past the allowance or gift balance, `not_transferable` " +
    "for purchased credits. A customer token may send from its own customer's allowance only.",
  security: [{ bearer: [] }],
  middleware: [requireServerOrCustomer()] as const,
  request: {
    headers: IdempotencyHeader,
    body: { content: { "application/json": { schema: SendGiftRequest } }, required: true },
  },
  responses: {
    ...ok200(Gift, "The gift, pending in escrow"),
    ...ERROR_RESPONSES,
    ...INSUFFICIENT_CREDITS_RESPONSE,
    ...NOT_TRANSFERABLE_RESPONSE,
  },
});

export function registerGiftsPost(app: App): void {
  app.openapi(route, async (c) => {
    const { amount, ...body } = c.req.valid("json");
    const refused = denied(c, ["server"], body.senderId);
    if (refused !== null) return refused as never;
    const outcome = await c.get("deps").engine.gifts.send({
      ...body,
      amountMinor: BigInt(amount),
      idempotencyKey: idempotencyKeyOf(c, c.req.valid("header")),
    });
    return answerGift(c, outcome) as never;
  });
}
