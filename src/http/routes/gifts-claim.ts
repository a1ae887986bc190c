/** `POST /v1/gifts/{code}/claim`: claim a gift into a customer's wallet. */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Signals } from "../../core/gifts.js";
import type { App, AppEnv } from "../app.js";
import { clientAddressOf, type ThrottleName, throttled } from "../rate-limit.js";
import { denied, ERROR_RESPONSES, IdempotencyHeader, idempotencyKeyOf, ok200 } from "./common.js";
import { GiftHandleParam, RATE_LIMITED_RESPONSE } from "./gifts-get.js";
import { answerGift, Gift, GiftSignals, requireServerOrCustomer } from "./gifts-post.js";

export const ClaimGiftRequest = z
  .object({
    customerId: z.string().openapi({ description: "Who claims: the gifted lot goes into this wallet" }),
    signals: GiftSignals.optional(),
  })
  .strict()
  .openapi("ClaimGiftRequest");

const route = createRoute({
  method: "post",
  path: "/v1/gifts/{code}/claim",
  tags: ["gifts"],
  summary: "Claim a gift",
  description:
    "Moves the gift's value out of escrow into a new gifted lot in the customer's wallet (`lotId`), at " +
    "most once. `status` is `claimed`, or `review` when the claimer shares a device or address with " +
    "the sender: an operator then approves or rejects. Refused with 404 `gift_unavailable` for every " +
    "code that can't be claimed, 400 `invalid_request` for a mistyped code, 403 `gift_self_claim` " +
    "for the sender, 403 `not_eligible` when the program's recipient rule excludes the customer, 409 " +
    "`cap_exceeded` past the gifts one customer may receive. Attempts are limited per claiming customer " +
    "and per client address (for a server key, the `signals.address` it passes), answering 429 " +
    "`rate_limited` with Retry-After. A customer token may claim into its own customer's wallet only.",
  security: [{ bearer: [] }],
  middleware: [requireServerOrCustomer()] as const,
  request: {
    params: GiftHandleParam,
    headers: IdempotencyHeader,
    body: { content: { "application/json": { schema: ClaimGiftRequest } }, required: true },
  },
  responses: {
    ...ok200(Gift, "The gift as its recipient sees it"),
    ...ERROR_RESPONSES,
    ...RATE_LIMITED_RESPONSE,
  },
});

/**
 * The claim's rate limits. A customer token comes from the person's browser, so its address is the
 * connection's; a server key's connection is the host product's backend, shared by all its users, so
 * the address counted is the one the host reports in `signals.address`, when it reports one.
 */
function claimLimited(c: Context<AppEnv>, customerId: string, signals: Signals | undefined): Response | null {
  const checks: [ThrottleName, string][] = [];
  if (c.get("principal")?.kind === "customer") checks.push(["claimAddress", `peer:${clientAddressOf(c)}`]);
  else if (signals?.address !== undefined) checks.push(["claimAddress", `reported:${signals.address}`]);
  checks.push(["claimCustomer", customerId]);
  return throttled(c, "claim attempts", checks);
}

export function registerGiftsClaim(app: App): void {
  app.openapi(route, async (c) => {
    const { code } = c.req.valid("param");
    const { customerId, signals } = c.req.valid("json");
    const refused = denied(c, ["server"], customerId) ?? claimLimited(c, customerId, signals);
    if (refused !== null) return refused as never;
    const outcome = await c.get("deps").engine.gifts.claim({
      handle: code,
      customerId,
      signals,
      idempotencyKey: idempotencyKeyOf(c, c.req.valid("header")),
    });
    return answerGift(c, outcome) as never;
  });
}
