/** `POST /v1/customer-tokens`: a short-lived token that lets a browser widget act for one customer. */
import { createRoute, z } from "@hono/zod-openapi";
import { fail as failure, ok } from "../../core/errors.js";
import { CUSTOMER_TOKEN_TTL_SECONDS_MAX } from "../../engine/customer-tokens.js";
import type { App } from "../app.js";
import { answer, ERROR_RESPONSES, ok200, requireScope } from "./common.js";

const TokenRequest = z
  .object({
    customerId: z.string().min(1).max(128),
    ttlSeconds: z.number().int().min(1).max(CUSTOMER_TOKEN_TTL_SECONDS_MAX).optional(),
  })
  .strict()
  .openapi("CustomerTokenRequest");

const TokenAnswer = z.object({ token: z.string(), expiresAt: z.string() }).openapi("CustomerToken");

const route = createRoute({
  method: "post",
  path: "/v1/customer-tokens",
  tags: ["auth"],
  summary: "Mint a customer token",
  description: `Signed, scoped to one customer, valid for ttlSeconds (default 900, at most ${CUSTOMER_TOKEN_TTL_SECONDS_MAX}).`,
  security: [{ bearer: [] }],
  middleware: [requireScope("server")] as const,
  request: { body: { content: { "application/json": { schema: TokenRequest } }, required: true } },
  responses: { ...ok200(TokenAnswer, "The token and when it expires"), ...ERROR_RESPONSES },
});

export function registerCustomerTokens(app: App): void {
  app.openapi(route, async (c) => {
    const { customerId, ttlSeconds } = c.req.valid("json");
    const { engine, tokens } = c.get("deps");
    const customer = await engine.getCustomer(customerId);
    if (!customer.ok) return answer(c, failure("not_found", `no customer ${customerId}`)) as never;
    const minted = tokens.mint(customerId, ttlSeconds, engine.clock.nowMs());
    return answer(c, minted.ok ? ok(minted.value) : minted) as never;
  });
}
