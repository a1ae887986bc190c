/**
 * The HTTP API: one Hono app whose routes (one file each, in routes/) parse input with zod, call one
 * engine function, and serialize. Errors leave in one envelope; the OpenAPI 3.1 document is served
 * at /openapi.json and a readable reference at /docs.
 */
import { randomUUID } from "node:crypto";
import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import type { Logger } from "pino";
import { InvariantError, UnavailableError } from "../core/errors.js";
import type { PaymentProvider } from "../core/payments.js";
import { CUSTOMER_TOKEN_PREFIX, type CustomerTokens } from "../engine/customer-tokens.js";
import type { Engine } from "../engine/engine.js";
import type { KeyScope, Keys } from "../engine/keys.js";
import { WEBHOOK_PAYLOAD_BYTES_MAX, type WebhookReader } from "../engine/payment-provider.js";
import type { Webhooks } from "../engine/webhooks.js";
import { isUnavailableError } from "../store/store.js";
import { mountDemoHost } from "./demo-host.js";
import { renderDocsPage } from "./docs-page.js";
import { errorBody, RETRY_AFTER_SECONDS_UNAVAILABLE, statusOf } from "./errors.js";
import { Metrics } from "./metrics.js";
import {
  RATE_LIMIT_CUSTOMER_DEFAULT,
  RATE_LIMIT_KEY_DEFAULT,
  type RateLimit,
  RateLimiter,
  THROTTLE_LIMITS_DEFAULT,
  type ThrottleName,
  Throttles,
  tooManyRequests,
} from "./rate-limit.js";
import { registerRoutes } from "./routes/index.js";
import { PAYMENT_WEBHOOK_PATH } from "./routes/payments-webhook.js";
import { mountWebPages, type WebPages } from "./web-pages.js";

export interface HttpDeps {
  readonly engine: Engine;
  readonly keys: Keys;
  readonly tokens: CustomerTokens;
  readonly webhooks: Webhooks;
  readonly logger: Logger;
  /** Where request metrics go; the engine's batch sizes are fed to the same object by its owner. */
  readonly metrics?: Metrics;
  /** The limits in force; each one left out keeps its default. */
  readonly rateLimits?: Partial<RateLimits>;
  /** Browser origins of the host product allowed to call the API (customer-token widgets). */
  readonly corsOrigins?: readonly string[];
  /**
   * Where the web pages are served: links are `${publicUrl}/gift/{secret}` and `.../invite/{secret}`.
   * A function is asked on each request, for a server that learns its address once listening.
   */
  readonly publicUrl?: string | (() => string);
  /** The built web pages to serve beside the API, if any. */
  readonly web?: WebPages;
  /**
   * Where checkouts are made and how the provider's webhook deliveries are verified: Stripe, or the
   * embedded demo's own payment page. Without it, checkout and the payment webhook answer 503.
   */
  readonly payments?: { readonly provider: PaymentProvider; readonly webhooks: WebhookReader };
  /** With the embedded demo: the in-memory admin key of the demo host (the stand-in product's backend). */
  readonly demoHostKey?: string;
}

/** Per caller (`key`, `customer`), and per named limit on gift claims, invite acceptances and previews. */
export type RateLimits = { readonly key: RateLimit; readonly customer: RateLimit } & Readonly<
  Record<ThrottleName, RateLimit>
>;

export const PUBLIC_URL_DEFAULT = "http://localhost:8787";

/** Who is calling: a server key with its scope, or a customer token acting for one customer. */
export type Principal =
  | { readonly kind: "key"; readonly keyId: string; readonly scope: KeyScope }
  | { readonly kind: "customer"; readonly customerId: string; readonly expiresAtMs: number };

export type AppEnv = {
  Variables: {
    requestId: string;
    principal: Principal | null;
    deps: HttpDeps;
    /** `deps.publicUrl` or its default, without a trailing slash. */
    publicUrl: string;
    throttles: Throttles;
  };
};

export type App = OpenAPIHono<AppEnv>;

export const BODY_BYTES_MAX = 256 * 1024;
export const API_VERSION = "1.0.0";

export function createApp(deps: HttpDeps): App {
  const app: App = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const issue = result.error.issues[0];
      const where = issue === undefined || issue.path.length === 0 ? "body" : issue.path.join(".");
      const message = `${where}: ${issue?.message ?? "is invalid"}`;
      return c.json(errorBody({ code: "invalid_request", message }, c.get("requestId")), 400);
    },
  });
  const metrics = deps.metrics ?? new Metrics();
  const limiter = new RateLimiter(deps.engine.clock);
  const limits: RateLimits = {
    key: RATE_LIMIT_KEY_DEFAULT,
    customer: RATE_LIMIT_CUSTOMER_DEFAULT,
    ...THROTTLE_LIMITS_DEFAULT,
    ...deps.rateLimits,
  };
  const throttles = new Throttles(deps.engine.clock, limits);
  const configuredUrl = deps.publicUrl ?? PUBLIC_URL_DEFAULT;
  const fixedUrl = typeof configuredUrl === "string" ? publicUrlOf(configuredUrl) : null;
  const publicUrl = (): string =>
    fixedUrl ?? publicUrlOf(typeof configuredUrl === "string" ? configuredUrl : configuredUrl());
  app.use("*", async (c, next) => {
    const startedMs = performance.now();
    c.set("requestId", `req_${randomUUID().replaceAll("-", "")}`);
    c.set("deps", deps);
    c.set("principal", null);
    c.set("publicUrl", publicUrl());
    c.set("throttles", throttles);
    await next();
    c.header("X-Request-Id", c.get("requestId"));
    // The route's pattern, not the path, so customer ids don't become label values.
    metrics.observeRequest(
      c.req.method,
      c.req.routePath,
      c.res.status,
      (performance.now() - startedMs) / 1000,
    );
  });
  app.get("/metrics", (c) => c.text(metrics.render(), 200, { "content-type": "text/plain; version=0.0.4" }));
  if (deps.corsOrigins !== undefined && deps.corsOrigins.length > 0) {
    // Before authentication: a browser's preflight carries no Authorization header.
    app.use(
      "/v1/*",
      cors({
        origin: [...deps.corsOrigins],
        allowHeaders: ["Authorization", "Content-Type", "Idempotency-Key"],
        allowMethods: ["GET", "POST", "PUT", "PATCH", "OPTIONS"],
        exposeHeaders: ["Retry-After", "X-Request-Id"],
        maxAge: 600,
      }),
    );
  }
  const apiBodyLimit = bodyLimitOf(BODY_BYTES_MAX);
  // The provider's events are read whole for their signature, with the provider reader's own bound.
  const webhookBodyLimit = bodyLimitOf(WEBHOOK_PAYLOAD_BYTES_MAX);
  app.use("/v1/*", (c, next) =>
    c.req.path === PAYMENT_WEBHOOK_PATH ? webhookBodyLimit(c, next) : apiBodyLimit(c, next),
  );
  app.use("/v1/*", async (c, next) => {
    const header = c.req.header("Authorization");
    const secret = header?.startsWith("Bearer ") ? header.slice("Bearer ".length).trim() : null;
    const principal = secret === null ? null : await authenticate(deps, secret);
    c.set("principal", principal);
    // Authentication comes before anything reads the request, so a caller without a valid key learns
    // nothing about the route's input rules.
    if (principal === null && !isPublic(c.req.method, c.req.path)) {
      const message = secret === null ? "a Bearer key is required" : "the key is unknown or revoked";
      return c.json(errorBody({ code: "unauthorized", message }, c.get("requestId")), 401);
    }
    if (principal !== null) {
      const waitSeconds =
        principal.kind === "key"
          ? limiter.take(`key:${principal.keyId}`, limits.key)
          : limiter.take(`customer:${principal.customerId}`, limits.customer);
      if (waitSeconds > 0) return tooManyRequests(c, waitSeconds);
    }
    await next();
  });
  registerRoutes(app);
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Boon API",
      version: API_VERSION,
      description: "The credit economy engine's public HTTP API.",
    },
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  app.get("/docs", (c) =>
    c.html(
      renderDocsPage(
        app.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "Boon API", version: API_VERSION } }),
      ),
    ),
  );
  if (deps.demoHostKey !== undefined) mountDemoHost(app, deps.demoHostKey);
  if (deps.web !== undefined) mountWebPages(app, deps.web);
  app.notFound((c) =>
    c.json(
      errorBody({ code: "not_found", message: `no route ${c.req.method} ${c.req.path}` }, c.get("requestId")),
      404,
    ),
  );
  app.onError((error, c) => {
    const requestId = c.get("requestId") ?? "req_unknown";
    if (error instanceof UnavailableError || isUnavailableError(error)) {
      c.header("Retry-After", String(RETRY_AFTER_SECONDS_UNAVAILABLE));
      return c.json(
        errorBody({ code: "unavailable", message: "the database is unavailable; retry" }, requestId),
        503,
      );
    }
    // Hono's validators raise these for bodies they cannot read (malformed JSON, a wrong content type).
    if (error instanceof HTTPException && error.status < 500) {
      const message = `body could not be read: ${error.message || "malformed"}`;
      return c.json(errorBody({ code: "invalid_request", message }, requestId), 400);
    }
    const level = error instanceof InvariantError ? "broken invariant" : "unexpected error";
    deps.logger.error({ err: error, requestId }, level);
    return c.json(errorBody({ code: "internal", message: "internal error" }, requestId), 500);
  });
  return app;
}

/**
 * Routes under /v1 that need no key: what a gift's claim page shows (but not the review queue beside
 * it), what an invite's landing page shows, and the payment provider's webhook (its signature is its
 * credential, checked by the route).
 */
const PUBLIC_ROUTES: readonly RegExp[] = [
  /^GET \/v1\/gifts\/(?!review$)[^/]+$/,
  /^GET \/v1\/invites\/[^/]+$/,
  /^POST \/v1\/webhooks\/payments$/,
];

/**
 * A body limit of `maxBytes`. A declared length is checked from the header alone. Reading
 * `c.req.raw.body`, as the streaming check does, makes the Node adapter build a full web Request with
 * a stream and an abort signal for every request: a tenth of the server's time on the hot path.
 * Chunked bodies still stream.
 */
function bodyLimitOf(maxBytes: number): MiddlewareHandler<AppEnv> {
  const tooLarge = (c: Context<AppEnv>) =>
    c.json(
      errorBody(
        { code: "invalid_request", message: `body larger than ${maxBytes} bytes` },
        c.get("requestId"),
      ),
      413,
    );
  const streamed = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return async (c, next) => {
    const declared = c.req.header("content-length");
    if (declared === undefined || c.req.header("transfer-encoding") !== undefined) return streamed(c, next);
    if (Number(declared) > maxBytes) return tooLarge(c);
    await next();
  };
}

/** The public address of the web pages, checked once at startup. */
function publicUrlOf(text: string): string {
  if (!URL.canParse(text) || !/^https?:$/.test(new URL(text).protocol))
    throw new Error(`the public URL must be an http or https URL, not "${text}"`);
  return text.replace(/\/+$/, "");
}

function isPublic(method: string, path: string): boolean {
  return PUBLIC_ROUTES.some((pattern) => pattern.test(`${method} ${path}`));
}

async function authenticate(deps: HttpDeps, secret: string): Promise<Principal | null> {
  if (secret.startsWith(CUSTOMER_TOKEN_PREFIX)) {
    const claims = deps.tokens.verify(secret, deps.engine.clock.nowMs());
    return claims === null ? null : { kind: "customer", ...claims };
  }
  const found = await deps.keys.authenticate(secret);
  return found === null ? null : { kind: "key", keyId: found.keyId, scope: found.scope };
}

export { statusOf };
