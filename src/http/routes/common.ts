/** What every route shares: the error schema, the scope check, the idempotency key, the answer. */
import { createHash, randomUUID } from "node:crypto";
import { z } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import type { Failure, Outcome } from "../../core/errors.js";
import type { KeyScope } from "../../engine/keys.js";
import type { AppEnv } from "../app.js";
import { errorBody, statusOf } from "../errors.js";
import { toWire } from "../wire.js";

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "insufficient_credits" }),
      message: z.string().openapi({ example: "300 available, 500 requested" }),
      requestId: z.string(),
    }),
  })
  .openapi("Error");

const json = (schema: z.ZodType, description: string) => ({
  content: { "application/json": { schema } },
  description,
});

/**
 * The error responses every authenticated route can give. The body limit and the rate limits run
 * before any route (in app.ts), and an unexpected error is answered in one place, so 413, 429 and 500
 * belong to every route, not only to those that add their own reasons.
 */
export const ERROR_RESPONSES = {
  400: json(ErrorSchema, "Invalid request"),
  401: json(ErrorSchema, "Missing or unknown key"),
  403: json(ErrorSchema, "The key's scope does not allow this route"),
  404: json(ErrorSchema, "Not found"),
  409: json(ErrorSchema, "Conflict with the current state, or an idempotency key reused for another request"),
  413: json(ErrorSchema, "invalid_request: the request body is larger than the API accepts"),
  429: json(
    ErrorSchema,
    "rate_limited: too many requests for this key or customer token; retry after Retry-After seconds",
  ),
  500: json(ErrorSchema, "internal: an unexpected error, logged with the request id"),
  503: json(ErrorSchema, "The database is unavailable: retry after Retry-After seconds"),
} as const;

export const ok200 = (schema: z.ZodType, description: string) => ({ 200: json(schema, description) });

export const IDEMPOTENCY_KEY_LENGTH_MAX = 255;

export const IdempotencyHeader = z.object({
  "idempotency-key": z
    .string()
    .min(1)
    .max(IDEMPOTENCY_KEY_LENGTH_MAX)
    .optional()
    .openapi({ description: "Makes the write safe to retry: the same key and body return the first answer" }),
});

export const CustomerIdParam = z.object({
  customerId: z
    .string()
    .min(1)
    .max(128)
    .openapi({ param: { name: "customerId", in: "path" }, example: "cus_42" }),
});

/**
 * Who may call: the key scopes allowed, checked before any work (admin keys may do what server keys
 * may), and, when `customerId` is given, also a customer token acting for exactly that customer.
 */
export function denied(
  c: Context<AppEnv>,
  scopes: readonly KeyScope[],
  customerId?: string,
): Response | null {
  const principal = c.get("principal");
  if (principal === null) return fail(c, { code: "unauthorized", message: "a valid Bearer key is required" });
  if (principal.kind === "customer") {
    if (customerId === undefined)
      return fail(c, { code: "forbidden", message: "a customer token cannot use this route" });
    if (principal.customerId !== customerId)
      return fail(c, { code: "forbidden", message: "this token acts for another customer" });
    return null;
  }
  if (principal.scope === "admin" || scopes.includes(principal.scope)) return null;
  return fail(c, { code: "forbidden", message: `this route needs a ${scopes.join(" or ")} key` });
}

export function fail(c: Context<AppEnv>, failure: Failure): Response {
  // The status is one of the statuses the OpenAPI document lists for errors.
  return c.json(errorBody(failure, c.get("requestId")), statusOf(failure.code));
}

type KeyHeader = { "idempotency-key"?: string | undefined };

/**
 * The client's idempotency key in its namespace. Server and admin keys act for the one host product
 * and share its namespace, so a retry may come through a rotated key. A customer token's keys are its
 * customer's own: a browser can neither replay nor block another customer's write by guessing a key.
 */
export function clientKeyOf(c: Context<AppEnv>, header: KeyHeader): string | undefined {
  const key = header["idempotency-key"];
  const principal = c.get("principal");
  if (key === undefined || principal?.kind !== "customer") return key;
  const scoped = createHash("sha256").update(principal.customerId).update("\u0000").update(key);
  return `cus-${scoped.digest("base64url")}`;
}

/** The client's key, or a fresh one: a write without a key still runs, it just can't be retried safely. */
export function idempotencyKeyOf(c: Context<AppEnv>, header: KeyHeader): string {
  return clientKeyOf(c, header) ?? `http-${randomUUID()}`;
}

export function answer<T>(c: Context<AppEnv>, outcome: Outcome<T>, status: 200 | 201 = 200): Response {
  if (!outcome.ok) return fail(c, outcome.error);
  return c.json(toWire(outcome.value), status);
}

/**
 * The scope check as route middleware, for `createRoute({ middleware: [requireScope("admin")] })`:
 * it runs before the request is validated, so a key without the scope learns nothing of the input
 * rules. (Authentication itself runs earlier still, for every /v1 route, in app.ts.)
 */
export function requireScope(...scopes: KeyScope[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const refused = denied(c, scopes);
    if (refused !== null) return refused;
    await next();
  };
}
