/** `GET /v1/invites/{code}`: what an invite's landing page shows. Public: no key is needed. */
import { createRoute, z } from "@hono/zod-openapi";
import { GIFT_HANDLE_LENGTH_MAX } from "../../core/gift-codes.js";
import type { App } from "../app.js";
import { previewThrottled } from "../rate-limit.js";
import { answer, ERROR_RESPONSES, ok200 } from "./common.js";
import { RATE_LIMITED_RESPONSE } from "./gifts-get.js";

export const InviteHandleParam = z.object({
  code: z
    .string()
    .min(1)
    .max(GIFT_HANDLE_LENGTH_MAX)
    .openapi({
      param: { name: "code", in: "path" },
      description:
        "The typed code (any case; dashes and spaces optional; O, I and L read as 0, 1 and 1) or the " +
        "secret from the invite link",
      example: "7KQ2-M9XD-4HTB-R",
    }),
});

export const ReferralRewardTerms = z
  .object({
    type: z.enum(["reset", "credits"]),
    windows: z.array(z.string()).nullable().optional().openapi({
      description: "For a reset: the window ids it restarts; null for every window of the plan",
    }),
    expiresAfter: z
      .string()
      .nullable()
      .openapi({ description: "How long the reward lasts once granted, e.g. 30d; null: never expires" }),
    amount: z.number().int().optional().openapi({ description: "For credits: minor credit units" }),
    priority: z
      .number()
      .int()
      .optional()
      .openapi({ description: "For credits: the lot's burn-down priority" }),
  })
  .openapi("ReferralRewardTerms");

export const InvitePreview = z
  .object({
    programId: z.string(),
    referrerName: z.string().nullable().openapi({ description: "The referrer's display name, if any" }),
    rewards: z.object({
      referrer: ReferralRewardTerms.nullable().openapi({
        description: "What the referrer gets; null: nothing",
      }),
      invitee: ReferralRewardTerms.nullable().openapi({
        description: "What the invitee gets; null: nothing",
      }),
    }),
    closesAt: z.string().nullable().openapi({ description: "When the program closes; null: no end set" }),
  })
  .openapi("InvitePreview");

const { 401: _unauthorized, 403: _forbidden, ...PUBLIC_ERROR_RESPONSES } = ERROR_RESPONSES;

const route = createRoute({
  method: "get",
  path: "/v1/invites/{code}",
  tags: ["referrals"],
  summary: "Preview an invite",
  description:
    "Public: what an invite's landing page shows: who invited (their display name) and what both sides " +
    "get once the invitee performs the qualifying action. Counts as an opening in the program's funnel. " +
    "An unknown code is 404 `not_found`; a code whose check character does not match is a typo, 400 " +
    "`invalid_request`; a program outside its window or ended is 409 `program_closed`. Calls without " +
    "a server key are limited per client address, together with gift previews.",
  request: { params: InviteHandleParam },
  responses: {
    ...ok200(InvitePreview, "The invite as its landing page shows it"),
    ...PUBLIC_ERROR_RESPONSES,
    ...RATE_LIMITED_RESPONSE,
  },
});

export function registerInvitesGet(app: App): void {
  app.openapi(route, async (c) => {
    const limited = previewThrottled(c, "invite previews");
    if (limited !== null) return limited as never;
    const outcome = await c.get("deps").engine.referrals.preview(c.req.valid("param").code);
    return answer(c, outcome) as never;
  });
}
