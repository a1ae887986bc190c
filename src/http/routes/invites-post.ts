/** `POST /v1/programs/{programId}/invites`: a referrer's personal invite, a code and a link. */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Outcome } from "../../core/errors.js";
import type { InviteView } from "../../engine/referrals.js";
import type { App, AppEnv } from "../app.js";
import { toWire, type Wire } from "../wire.js";
import { denied, ERROR_RESPONSES, fail, IdempotencyHeader, idempotencyKeyOf, ok200 } from "./common.js";
import { GiftSignals, requireServerOrCustomer } from "./gifts-post.js";
import { ProgramIdParam } from "./programs-post.js";

export const InviteSignals = GiftSignals.openapi("InviteSignals", {
  description:
    "What the host product knows of the person's device and network, hashed. An acceptance sharing " +
    "either with the invite's referrer waits for an operator's review.",
});

export const CreateInviteRequest = z
  .object({
    referrerId: z.string().openapi({ description: "Who invites", example: "cus_42" }),
    email: z.string().nullable().optional().openapi({
      description: "Whom the referrer means the invite for; an acceptance by the same mailbox goes to review",
    }),
    signals: InviteSignals.optional(),
  })
  .strict()
  .openapi("CreateInviteRequest");

export const Invite = z
  .object({
    id: z.string().openapi({ example: "inv_0190f3c2a1b27c3d8e9f0a1b2c3d4e5f" }),
    programId: z.string(),
    referrerId: z.string(),
    code: z.string().openapi({ description: "What a person types, in groups", example: "7KQ2-M9XD-4HTB-R" }),
    url: z.string().openapi({ description: "The invite link to share: the landing page of the web pages" }),
    email: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("Invite");

/** An invite on the wire: the link built from the secret, which never leaves otherwise. */
export function inviteWire(c: Context<AppEnv>, invite: InviteView): Wire {
  const { secret, ...rest } = invite;
  return toWire({ ...rest, url: `${c.get("publicUrl")}/invite/${secret}` });
}

export function answerInvite(c: Context<AppEnv>, outcome: Outcome<InviteView>): Response {
  if (!outcome.ok) return fail(c, outcome.error);
  return c.json(inviteWire(c, outcome.value), 200);
}

const route = createRoute({
  method: "post",
  path: "/v1/programs/{programId}/invites",
  tags: ["referrals"],
  summary: "Create an invite",
  description:
    "A referrer's personal invite to a referral program: a typed `code` and a `url` to share. Refused " +
    "with 404 `not_found` for an unknown customer or program, 409 `program_closed` outside the " +
    "program's window or status, 403 `not_eligible` when the referrer is not in the program's audience, " +
    "409 `cap_exceeded` past the invites a referrer may send (in all, or this period). With an " +
    "`Idempotency-Key`, a retry answers the same invite. A customer token may invite for its own " +
    "customer only.",
  security: [{ bearer: [] }],
  middleware: [requireServerOrCustomer()] as const,
  request: {
    params: ProgramIdParam,
    headers: IdempotencyHeader,
    body: { content: { "application/json": { schema: CreateInviteRequest } }, required: true },
  },
  responses: { ...ok200(Invite, "The invite"), ...ERROR_RESPONSES },
});

export function registerInvitesPost(app: App): void {
  app.openapi(route, async (c) => {
    const { programId } = c.req.valid("param");
    const { referrerId, email, signals } = c.req.valid("json");
    const refused = denied(c, ["server"], referrerId);
    if (refused !== null) return refused as never;
    const outcome = await c.get("deps").engine.referrals.invite({
      programId,
      referrerId,
      email,
      signals,
      idempotencyKey: idempotencyKeyOf(c, c.req.valid("header")),
    });
    return answerInvite(c, outcome) as never;
  });
}
