/**
 * A local stand-in for the part of Stripe's API that Boon calls, speaking Stripe's own protocol:
 * form-encoded requests with bracketed keys (`line_items[0][price_data][currency]=usd`), bearer
 * secret keys, `Idempotency-Key` replays (same key and body: the first answer again, marked
 * `Idempotent-Replayed`; same key, other body: Stripe's `idempotency_error`), and errors in Stripe's
 * JSON envelope. Tests point the `stripe` library at it with the library's host, port and protocol
 * options, so nothing ever reaches the internet.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
  /** The form body decoded into nested objects and arrays, values as the strings that were sent. */
  readonly form: FormValue;
}

export type FormValue = string | FormValue[] | { [key: string]: FormValue };

/** A scripted answer for the next request, instead of the normal one. */
export interface ScriptedFailure {
  readonly status: number;
  readonly error: StripeErrorBody;
  /** Sent as `Stripe-Should-Retry`, which the library obeys over its own rules. */
  readonly shouldRetry?: boolean;
}

export interface StripeErrorBody {
  readonly type: string;
  readonly message: string;
  readonly code?: string;
  readonly param?: string;
}

export interface StripeStandIn {
  readonly host: string;
  readonly port: number;
  readonly protocol: "http";
  readonly secretKey: string;
  readonly requests: RecordedRequest[];
  /** Every session created, in order (replays are not counted twice). */
  readonly sessions: Record<string, unknown>[];
  /** Every refund created, in order (replays are not counted twice). */
  readonly refunds: Record<string, unknown>[];
  /** Answer the next requests with these failures, in order, then normally again. */
  failNext(...failures: ScriptedFailure[]): void;
  close(): Promise<void>;
}

export const STAND_IN_SECRET_KEY = "sk_test_standin_4eC39HqLyjWDarjtT1zdp7dc";
const SESSION_TTL_SECONDS = 24 * 60 * 60;
/** Stripe's bounds on a session's `expires_at`: 30 minutes to 24 hours after it is made. */
const SESSION_TTL_SECONDS_MIN = 30 * 60;

export async function startStripeStandIn(options: { nowMs?: () => number } = {}): Promise<StripeStandIn> {
  const nowMs = options.nowMs ?? (() => Date.now());
  const requests: RecordedRequest[] = [];
  const sessions: Record<string, unknown>[] = [];
  const refunds: Record<string, unknown>[] = [];
  /** What each payment intent has had refunded: Stripe refuses to refund more than was paid. */
  const refundedByIntent = new Map<string, number>();
  const script: ScriptedFailure[] = [];
  const idempotent = new Map<string, { rawBody: string; answer: Reply }>();
  let nextId = 0;
  const newId = (prefix: string): string => {
    nextId += 1;
    return `${prefix}_a1${String(nextId).padStart(22, "0")}`;
  };

  const route = (request: RecordedRequest): Reply => {
    if (request.method === "POST" && request.path === "/v1/checkout/sessions") {
      const problem = missingParam(request.form);
      if (problem !== null) return reply(400, errorBody({ type: "invalid_request_error", ...problem }));
      const createdSeconds = Math.floor(nowMs() / 1000);
      const expiry = expiryProblem(request.form, createdSeconds);
      if (expiry !== null) return reply(400, errorBody({ type: "invalid_request_error", ...expiry }));
      const session = sessionFrom(request.form, newId, createdSeconds);
      sessions.push(session);
      return reply(200, session);
    }
    if (request.method === "POST" && request.path === "/v1/refunds") {
      const intent = text(field(request.form, "payment_intent"));
      if (intent === null)
        return reply(
          400,
          errorBody({
            type: "invalid_request_error",
            message: "Missing required param: payment_intent.",
            code: "parameter_missing",
            param: "payment_intent",
          }),
        );
      if (refundedByIntent.has(intent))
        return reply(
          400,
          errorBody({
            type: "invalid_request_error",
            message: `Charge for payment intent ${intent} has already been refunded.`,
            code: "charge_already_refunded",
          }),
        );
      refundedByIntent.set(intent, 1);
      const refund = {
        id: newId("re"),
        object: "refund",
        created: Math.floor(nowMs() / 1000),
        payment_intent: intent,
        metadata: field(request.form, "metadata") ?? {},
        status: "succeeded",
      };
      refunds.push(refund);
      return reply(200, refund);
    }
    const message = `Unrecognized request URL (${request.method}: ${request.path}).`;
    return reply(404, errorBody({ type: "invalid_request_error", message }));
  };

  /** Stripe's order: authentication, then the idempotency record, then the request itself. */
  const respond = (request: RecordedRequest): Reply => {
    if (request.headers.authorization !== `Bearer ${STAND_IN_SECRET_KEY}`)
      return reply(401, errorBody({ type: "invalid_request_error", message: "Invalid API Key provided." }));
    const failure = script.shift();
    if (failure !== undefined) {
      const retry =
        failure.shouldRetry === undefined ? {} : { "stripe-should-retry": String(failure.shouldRetry) };
      return reply(failure.status, errorBody(failure.error), retry);
    }
    const key = request.headers["idempotency-key"];
    if (typeof key !== "string") return route(request);
    const earlier = idempotent.get(key);
    if (earlier === undefined) {
      const answer = route(request);
      // Stripe keeps the answer under the key unless the request failed on its side.
      if (answer.status < 500) idempotent.set(key, { rawBody: request.rawBody, answer });
      return answer;
    }
    if (earlier.rawBody !== request.rawBody)
      return reply(400, errorBody({ type: "idempotency_error", message: idempotencyMismatch(key) }));
    return reply(earlier.answer.status, earlier.answer.body, { "idempotent-replayed": "true" });
  };

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      const path = (request.url ?? "/").split("?")[0] ?? "/";
      const recorded = { method: request.method ?? "GET", path, headers: request.headers, rawBody };
      const recordedRequest = { ...recorded, form: decodeForm(rawBody) };
      requests.push(recordedRequest);
      const answer = respond(recordedRequest);
      response.writeHead(answer.status, {
        "content-type": "application/json",
        "request-id": `req_standin${String(requests.length).padStart(6, "0")}`,
        ...answer.headers,
      });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: "127.0.0.1",
    port,
    protocol: "http",
    secretKey: STAND_IN_SECRET_KEY,
    requests,
    sessions,
    refunds,
    failNext: (...failures) => {
      script.push(...failures);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
}

function reply(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, body, headers };
}

function idempotencyMismatch(key: string): string {
  return (
    "Keys for idempotent requests can only be used with the same parameters they were first used with. " +
    `Try using a key other than '${key}' if you meant to execute a different request.`
  );
}

function errorBody(error: StripeErrorBody): { error: Record<string, string> } {
  return {
    error: {
      ...error,
      doc_url: `https://stripe.com/docs/error-codes${error.code === undefined ? "" : `/${error.code}`}`,
      request_log_url: "https://dashboard.stripe.com/test/logs/req_standin",
    },
  };
}

function missingParam(form: FormValue): { message: string; code: string; param: string } | null {
  for (const param of ["mode", "line_items"]) {
    if (field(form, param) === undefined)
      return { message: `Missing required param: ${param}.`, code: "parameter_missing", param };
  }
  return null;
}

/** Stripe refuses an `expires_at` under 30 minutes or over 24 hours from now. */
function expiryProblem(form: FormValue, nowSeconds: number): { message: string; param: string } | null {
  const raw = text(field(form, "expires_at"));
  if (raw === null) return null;
  const seconds = Number(raw) - nowSeconds;
  if (seconds >= SESSION_TTL_SECONDS_MIN && seconds <= SESSION_TTL_SECONDS) return null;
  return {
    message:
      "The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.",
    param: "expires_at",
  };
}

function sessionFrom(
  form: FormValue,
  newId: (prefix: string) => string,
  createdSeconds: number,
): Record<string, unknown> {
  const id = newId("cs_test");
  const lines = field(form, "line_items");
  const lineList = Array.isArray(lines) ? lines : [];
  let amount = 0;
  let currency: string | null = null;
  for (const line of lineList) {
    const quantity = Number(text(field(line, "quantity")) ?? "1");
    const priceData = field(line, "price_data");
    amount += Number(text(field(priceData, "unit_amount")) ?? "0") * quantity;
    currency = text(field(priceData, "currency")) ?? currency;
  }
  return {
    id,
    object: "checkout.session",
    amount_subtotal: amount,
    amount_total: amount,
    cancel_url: text(field(form, "cancel_url")),
    client_reference_id: text(field(form, "client_reference_id")),
    created: createdSeconds,
    currency,
    customer: null,
    customer_details: null,
    customer_email: null,
    expires_at: Number(text(field(form, "expires_at")) ?? createdSeconds + SESSION_TTL_SECONDS),
    livemode: false,
    metadata: field(form, "metadata") ?? {},
    mode: text(field(form, "mode")),
    payment_intent: null,
    payment_method_types: ["card"],
    payment_status: "unpaid",
    status: "open",
    success_url: text(field(form, "success_url")),
    ui_mode: "hosted",
    url: `https://checkout.stripe.com/c/pay/${id}#fidkdWxOYHwnPyd1blpxYHZxWjA0`,
  };
}

function field(value: FormValue | undefined, key: string): FormValue | undefined {
  if (value === undefined || typeof value === "string" || Array.isArray(value)) return undefined;
  return value[key];
}

function text(value: FormValue | undefined): string | null {
  return typeof value === "string" ? value : null;
}

/** `a[b][0][c]=v&...` into `{a: {b: [{c: "v"}]}}`, as Stripe reads the form its library sends. */
export function decodeForm(body: string): FormValue {
  const root: Record<string, FormValue> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.split(/\[|\]\[|\]$/).filter((part, index) => index === 0 || part !== "");
    let node: Record<string, FormValue> = root;
    path.forEach((part, index) => {
      if (index === path.length - 1) {
        node[part] = value;
        return;
      }
      const child = node[part];
      const next: Record<string, FormValue> =
        child !== undefined && typeof child === "object" && !Array.isArray(child) ? child : {};
      node[part] = next;
      node = next;
    });
  }
  return toArrays(root);
}

/** Objects keyed 0..n-1 become arrays, as in Stripe's indexed form encoding. */
function toArrays(value: FormValue): FormValue {
  if (typeof value === "string" || Array.isArray(value)) return value;
  const entries = Object.entries(value).map(([key, child]) => [key, toArrays(child)] as const);
  const indexed = entries.length > 0 && entries.every(([key], index) => key === String(index));
  if (indexed) return entries.map(([, child]) => child);
  return Object.fromEntries(entries);
}
