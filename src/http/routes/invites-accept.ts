/** `POST /v1/invites/{code}/accept`: attribute a customer to an invite's referrer (server). */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Signals } from "../../core/gifts.js";
import { REFERRAL_STATES } from "../../core/referrals.js";
import type { App, AppEnv } from "../app.js";
import { type ThrottleName, throttled } from "../rate-limit.js";
import {
  answer,
  ERROR_RESPONSES,
  IdempotencyHeader,
  idempotencyKeyOf,
  ok200,
  requireScope,
} from "./common.js";
import { RATE_LIMITED_RESPONSE } from "./gifts-get.js";
import { InviteHandleParam } from "./invites-get.js";
import { InviteSignals } from "./invites-post.js";

export const AcceptInviteRequest = z
  .object({
    customerId: z
      .string()
      .openapi({ description: "The invitee: the customer who accepts", example: "cus_7" }),
    signals: InviteSignals.optional(),
  })
  .strict()
  .openapi("AcceptInviteRequest");

export const Referral = z
  .object({
    id: z.string().openapi({ example: "ref_0190f3c2a1b27c3d8e9f0a1b2c3d4e5f" }),
    programId: z.string(),
    programVersion: z.number().int().openapi({ description: "The program version it was accepted under" }),
    inviteId: z.string(),
    referrerId: z.string(),
    inviteeId: z.string(),
    state: z.enum(REFERRAL_STATES).openapi({
      description:
        "`accepted` until the invitee performs the qualifying action (`qualified`); `review` while an " +
        "operator decides on a look-alike acceptance, `rejected` if they refuse it",
    }),
    segment: z
      .enum(["new", "lapsed", "active"])
      .openapi({ description: "What the invitee was when accepting" }),
    acceptedAt: z.string(),
    qualifiedAt: z.string().nullable(),
    reviewReason: z.string().nullable().openapi({ description: "Why the acceptance waits for review" }),
  })
  .openapi("Referral");

const route = createRoute({
  method: "post",
  path: "/v1/invites/{code}/accept",
  tags: ["referrals"],
  summary: "Accept an invite",
  description:
    "Attributes the customer to the invite's referrer: the first accepted invite wins, once per invitee " +
    "and program (accepting the same invite again answers the same referral). The referral is " +
    "`accepted`, or `review` when it looks like a self-invite or abuse (same email, device or " +
    "address, a disposable email domain, too many acceptances for one referrer): an operator then " +
    "approves or rejects it. Refused with 404 `not_found` for an unknown code or customer, 400 " +
    "`invalid_request` for a mistyped code, 409 `program_closed` outside the program's window, 403 " +
    "`referral_self_invite` for the referrer, 403 `not_eligible` for an invitee the program does not " +
    "take (not new or lapsed, or already referred). Attempts are limited per invitee and per the " +
    "address the host reports in `signals.address`, together with gift claims.",
  security: [{ bearer: [] }],
  middleware: [requireScope("server")] as const,
  request: {
    params: InviteHandleParam,
    headers: IdempotencyHeader,
    body: { content: { "application/json": { schema: AcceptInviteRequest } }, required: true },
  },
  responses: {
    ...ok200(Referral, "The referral"),
    ...ERROR_RESPONSES,
    ...RATE_LIMITED_RESPONSE,
  },
});

/**
 * Codes could be guessed here as at a gift claim, so attempts count against the same buckets: per
 * invitee, and per the address the host product reports (its own connection is shared by all its users).
 */
function acceptLimited(
  c: Context<AppEnv>,
  customerId: string,
  signals: Signals | undefined,
): Response | null {
  const checks: [ThrottleName, string][] = [];
  if (signals?.address !== undefined) checks.push(["claimAddress", `reported:${signals.address}`]);
  checks.push(["claimCustomer", customerId]);
  return throttled(c, "invite acceptances", checks);
}

export function registerInvitesAccept(app: App): void {
  app.openapi(route, async (c) => {
    const { code } = c.req.valid("param");
    const { customerId, signals } = c.req.valid("json");
    const limited = acceptLimited(c, customerId, signals);
    if (limited !== null) return limited as never;
    const outcome = await c.get("deps").engine.referrals.accept({
      handle: code,
      inviteeId: customerId,
      signals,
      idempotencyKey: idempotencyKeyOf(c, c.req.valid("header")),
    });
    return answer(c, outcome) as never;
  });
}
