/**
 * The demo host: a stand-in for the backend of the product that embeds Boon (an AI coding
 * assistant), so the demo pages can act as its customers. A real host signs its users in and calls
 * Boon's API with its server key; this one lets anyone act as any demo customer (ids starting
 * `demo-`), and calls the public API in process with a key that lives only in memory. It is served
 * only with the embedded demo.
 */
import { randomBytes } from "node:crypto";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import type { PaymentProvider } from "../core/payments.js";
import { DEMO_SESSION_PREFIX, type DemoProvider } from "../engine/payment-provider.js";
import type { PurchaseView } from "../engine/payments.js";
import type { App, AppEnv } from "./app.js";
import { errorBody } from "./errors.js";
import { PAYMENT_WEBHOOK_PATH, SIGNATURE_HEADER } from "./routes/payments-webhook.js";

export const DEMO_CUSTOMER_PREFIX = "demo-";
/** How long a demo sign-in lasts; the page asks for a fresh token when it runs out. */
export const DEMO_SESSION_TTL_SECONDS = 3600;
/**
 * What "Add credits" gives in the demo until bundles are sold: promotional credits, labeled as a
 * demo top-up, so no revenue report ever counts them.
 */
export const DEMO_TOP_UP_MINOR = 1000;
const DEMO_TOP_UP_EXPIRY_DAYS = 30;
const DISPLAY_NAME_LENGTH_MAX = 40;
const DEMO_BODY_BYTES_MAX = 4096;

/**
 * A demo customer's id: the prefix, then letters, digits, `_` or `-` only. The id goes into the
 * paths of calls made with an admin key, so nothing that a path could read as a separator, a dot
 * segment, a query or an escape may get through.
 */
const DEMO_CUSTOMER_ID = /^demo-[A-Za-z0-9_-]{1,95}$/;
const CustomerBody = z
  .object({ customerId: z.string().regex(DEMO_CUSTOMER_ID, "must be a demo customer's id (demo-...)") })
  .strict();
const NewCustomerBody = z
  .object({ displayName: z.string().trim().min(1).max(DISPLAY_NAME_LENGTH_MAX) })
  .strict();

/** A slug for a new demo customer's id and example email: letters and digits only. */
export function slugOf(displayName: string): string {
  const slug = displayName
    .normalize("NFKD")
    // Accents come apart from their letters under NFKD; dropping the marks keeps "José" as "jose".
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, 20)
    .replace(/^-+|-+$/g, "");
  return slug === "" ? "friend" : slug;
}

/** A session of the demo's payment page: the prefix, then 16 random bytes in hex. */
const DEMO_SESSION_ID = new RegExp(`^${DEMO_SESSION_PREFIX}[0-9a-f]{32}$`);

function isDemoProvider(provider: PaymentProvider | undefined): provider is DemoProvider {
  return provider?.kind === "demo" && typeof (provider as Partial<DemoProvider>).completion === "function";
}

export function mountDemoHost(app: App, hostKey: string): void {
  app.use(
    "/demo/api/*",
    bodyLimit({
      maxSize: DEMO_BODY_BYTES_MAX,
      onError: (c) =>
        c.json(
          errorBody(
            { code: "invalid_request", message: `body larger than ${DEMO_BODY_BYTES_MAX} bytes` },
            c.get("requestId"),
          ),
          413,
        ),
    }),
  );
  const call = (
    path: string,
    init: { method: string; body?: unknown; idempotencyKey?: string | undefined },
  ) => {
    const headers: Record<string, string> = { authorization: `Bearer ${hostKey}` };
    if (init.body !== undefined) headers["content-type"] = "application/json";
    if (init.idempotencyKey !== undefined) headers["idempotency-key"] = init.idempotencyKey;
    return app.request(path, {
      method: init.method,
      headers,
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  };
  const parse = async <T>(schema: z.ZodType<T>, request: Request): Promise<T | string> => {
    const parsed = schema.safeParse(await request.json().catch(() => undefined));
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    return `${issue?.path.join(".") || "body"}: ${issue?.message ?? "is invalid"}`;
  };
  const refuse = (requestId: string, message: string) =>
    Response.json(errorBody({ code: "invalid_request", message }, requestId), { status: 400 });

  app.get("/demo/api/customers", async (c) => {
    const listed = await call(`/v1/customers?query=${DEMO_CUSTOMER_PREFIX}&limit=100`, { method: "GET" });
    if (!listed.ok) return listed;
    // The search also matches an email or a display name that contains the prefix: keep demo ids only.
    const page = (await listed.json()) as { data: { id: string }[]; nextCursor: string | null };
    return c.json({
      ...page,
      data: page.data.filter((customer) => customer.id.startsWith(DEMO_CUSTOMER_PREFIX)),
    });
  });
  app.post("/demo/api/customers", async (c) => {
    const body = await parse(NewCustomerBody, c.req.raw);
    if (typeof body === "string") return refuse(c.get("requestId"), body);
    const slug = slugOf(body.displayName);
    const id = `${DEMO_CUSTOMER_PREFIX}${slug}-${randomBytes(3).toString("hex")}`;
    const nowIso = new Date(c.get("deps").engine.clock.nowMs()).toISOString();
    return call(`/v1/customers/${id}`, {
      method: "PUT",
      body: { plan: "free", displayName: body.displayName, email: `${slug}@example.com`, signedUpAt: nowIso },
    });
  });
  app.post("/demo/api/session", async (c) => {
    const body = await parse(CustomerBody, c.req.raw);
    if (typeof body === "string") return refuse(c.get("requestId"), body);
    return call("/v1/customer-tokens", {
      method: "POST",
      body: { customerId: body.customerId, ttlSeconds: DEMO_SESSION_TTL_SECONDS },
    });
  });
  app.post("/demo/api/messages", async (c) => {
    const body = await parse(CustomerBody, c.req.raw);
    if (typeof body === "string") return refuse(c.get("requestId"), body);
    return call("/v1/usage", {
      method: "POST",
      body: { customerId: body.customerId, action: "message", quantity: 1 },
      idempotencyKey: c.req.header("idempotency-key"),
    });
  });
  app.post("/demo/api/invites/:code/accept", async (c) => {
    const body = await parse(CustomerBody, c.req.raw);
    if (typeof body === "string") return refuse(c.get("requestId"), body);
    return call(`/v1/invites/${encodeURIComponent(c.req.param("code"))}/accept`, {
      method: "POST",
      body: { customerId: body.customerId },
      idempotencyKey: c.req.header("idempotency-key"),
    });
  });
  app.post("/demo/api/top-up", async (c) => {
    const body = await parse(CustomerBody, c.req.raw);
    if (typeof body === "string") return refuse(c.get("requestId"), body);
    const expiresAtMs = c.get("deps").engine.clock.nowMs() + DEMO_TOP_UP_EXPIRY_DAYS * 86_400_000;
    const customerPath = `/v1/customers/${encodeURIComponent(body.customerId)}`;
    // The PUT below would make a customer that does not exist yet: a top-up is for existing ones.
    const found = await call(customerPath, { method: "GET" });
    if (!found.ok) return found;
    // Buying credits means wanting to spend them past the plan's limits: overflow is switched on.
    const enabled = await call(customerPath, { method: "PUT", body: { overflowAllowed: true } });
    if (!enabled.ok) return enabled;
    return call(`${customerPath}/grants`, {
      method: "POST",
      body: {
        amount: DEMO_TOP_UP_MINOR,
        kind: "promotional",
        expiresAt: new Date(expiresAtMs).toISOString(),
        reason: "Demo top-up (no payment)",
      },
      idempotencyKey: c.req.header("idempotency-key"),
    });
  });
  mountDemoPayments(app, call);
}

/**
 * The demo's payment page: what it shows for a session, and "paying", which builds the signed
 * `checkout.session.completed` delivery Stripe would send and posts it to the payment webhook in
 * process, so a demo purchase is granted by the same path as a real one.
 */
/** A call to the public API in process, with the demo host's key. */
type HostCall = (
  path: string,
  init: { method: string; body?: unknown; idempotencyKey?: string | undefined },
) => Response | Promise<Response>;

/** A pending checkout whose session is past its time reads as expired before the sweep ends it. */
function demoStatus(purchase: PurchaseView, nowMs: number): PurchaseView["state"] {
  return purchase.state === "pending" && nowMs >= purchase.checkoutExpiresAtMs ? "expired" : purchase.state;
}

function mountDemoPayments(app: App, call: HostCall): void {
  const notFound = (requestId: string, sessionId: string) =>
    Response.json(
      errorBody({ code: "not_found", message: `no demo checkout session ${sessionId}` }, requestId),
      { status: 404 },
    );
  /** The demo provider and the session's purchase, or the answer that there is none. */
  const sessionOf = async (
    c: Context<AppEnv>,
    sessionId: string,
  ): Promise<{ provider: DemoProvider; purchase: PurchaseView } | Response> => {
    const provider = c.get("deps").payments?.provider;
    if (!isDemoProvider(provider) || !DEMO_SESSION_ID.test(sessionId))
      return notFound(c.get("requestId"), sessionId);
    const purchase = await c.get("deps").engine.payments.purchaseBySession(sessionId);
    if (!purchase.ok) return notFound(c.get("requestId"), sessionId);
    return { provider, purchase: purchase.value };
  };

  app.get("/demo/api/checkout/:sessionId", async (c) => {
    const found = await sessionOf(c, c.req.param("sessionId"));
    if (found instanceof Response) return found;
    const { purchase } = found;
    const bundle = await c.get("deps").engine.payments.getBundle(purchase.bundleId);
    return c.json({
      demo: true,
      sessionId: purchase.sessionId,
      purchaseId: purchase.id,
      customerId: purchase.customerId,
      bundleId: purchase.bundleId,
      bundleName: bundle.ok ? bundle.value.name : purchase.bundleId,
      credits: Number(purchase.creditsMinor),
      bonusCredits: Number(purchase.bonusMinor),
      price: Number(purchase.priceMinor),
      currency: purchase.currency,
      asGift: purchase.asGift,
      status: demoStatus(purchase, c.get("deps").engine.clock.nowMs()),
      expiresAt: new Date(purchase.checkoutExpiresAtMs).toISOString(),
    });
  });
  app.post("/demo/api/pay/:sessionId", async (c) => {
    const found = await sessionOf(c, c.req.param("sessionId"));
    if (found instanceof Response) return found;
    const { provider, purchase } = found;
    // A session past its time takes no payment, as Stripe's doesn't: the customer starts again.
    if (demoStatus(purchase, c.get("deps").engine.clock.nowMs()) === "expired")
      return Response.json(
        errorBody(
          {
            code: "invalid_request",
            message: "this checkout expired and nothing was charged; start a new one from Buy credits",
          },
          c.get("requestId"),
        ),
        { status: 400 },
      );
    const delivery = provider.completion({
      sessionId: c.req.param("sessionId"),
      purchaseId: purchase.id,
      customerId: purchase.customerId,
      bundleId: purchase.bundleId,
      asGift: purchase.asGift,
      amountTotalMinor: purchase.priceMinor,
      currency: purchase.currency,
    });
    const answer = await app.request(PAYMENT_WEBHOOK_PATH, {
      method: "POST",
      headers: { "content-type": "application/json", [SIGNATURE_HEADER]: delivery.signatureHeader },
      body: delivery.payload,
    });
    // Buying credits means wanting to spend them past the plan's limits: the demo host switches
    // overflow on for a buyer of credits for themselves, as it does for a top-up.
    if (answer.ok && !purchase.asGift)
      await call(`/v1/customers/${encodeURIComponent(purchase.customerId)}`, {
        method: "PUT",
        body: { overflowAllowed: true },
      });
    return answer;
  });
}
