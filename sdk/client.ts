/**
 * The typed client for Boon's HTTP API. Every write carries an idempotency key (one the caller gives,
 * or a fresh one), and a retry of a failed attempt (a dropped connection, `503 unavailable`,
 * `429 rate_limited`) reuses that key, so a retry can never apply twice. The operations are a table
 * of method and path that a test checks against the server's OpenAPI document, so the two can't
 * drift apart.
 */

export interface BoonClientOptions {
  readonly baseUrl: string;
  /** A server or admin key, or a customer token. */
  readonly apiKey: string;
  /** Attempts after the first, for failures that are safe to retry. */
  readonly retries?: number;
  readonly fetch?: typeof fetch;
  /** Waits between attempts, for tests; real waits by default. */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface BoonErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly requestId: string };
}

export class BoonError extends Error {
  override readonly name = "BoonError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null,
  ) {
    super(`${code}: ${message}`);
  }
}

export const RETRIES_DEFAULT = 3;
export const RETRY_DELAY_MS_BASE = 200;
export const RETRY_DELAY_MS_MAX = 5000;

/** Every operation the client offers: its HTTP method and path template. */
export const OPERATIONS = {
  upsertCustomer: { method: "PUT", path: "/v1/customers/{customerId}" },
  getCustomer: { method: "GET", path: "/v1/customers/{customerId}" },
  grant: { method: "POST", path: "/v1/customers/{customerId}/grants" },
  balance: { method: "GET", path: "/v1/customers/{customerId}/balance" },
  ledger: { method: "GET", path: "/v1/customers/{customerId}/ledger" },
  debit: { method: "POST", path: "/v1/customers/{customerId}/debits" },
  hold: { method: "POST", path: "/v1/customers/{customerId}/holds" },
  captureHold: { method: "POST", path: "/v1/holds/{holdId}/capture" },
  voidHold: { method: "POST", path: "/v1/holds/{holdId}/void" },
  reverseTransfer: { method: "POST", path: "/v1/transfers/{transferId}/reverse" },
  authorize: { method: "POST", path: "/v1/usage" },
  putPlan: { method: "PUT", path: "/v1/plans/{planId}" },
  listPlans: { method: "GET", path: "/v1/plans" },
  usage: { method: "GET", path: "/v1/customers/{customerId}/usage" },
  grantReset: { method: "POST", path: "/v1/customers/{customerId}/resets" },
  redeemReset: { method: "POST", path: "/v1/customers/{customerId}/resets/redeem" },
  bulkReset: { method: "POST", path: "/v1/resets" },
  listBulkResets: { method: "GET", path: "/v1/resets" },
  createCustomerToken: { method: "POST", path: "/v1/customer-tokens" },
  addWebhook: { method: "POST", path: "/v1/webhooks" },
  listWebhooks: { method: "GET", path: "/v1/webhooks" },
  webhookDeliveries: { method: "GET", path: "/v1/webhooks/deliveries" },
  redeliverWebhook: { method: "POST", path: "/v1/webhooks/deliveries/{deliveryId}/redeliver" },
} as const;

export type OperationName = keyof typeof OPERATIONS;

export interface CallOptions {
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  readonly body?: unknown;
  /** For writes: the key that makes retries safe; a fresh one when left out. */
  readonly idempotencyKey?: string;
}

const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

export class BoonClient {
  private readonly retries: number;
  private readonly fetcher: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: BoonClientOptions) {
    this.retries = options.retries ?? RETRIES_DEFAULT;
    this.fetcher = options.fetch ?? fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Call one operation by name; resolves to the decoded JSON answer or throws `BoonError`. */
  async call<T = unknown>(name: OperationName, options: CallOptions = {}): Promise<T> {
    const operation = OPERATIONS[name];
    const url = this.urlOf(operation.path, options);
    const write = operation.method !== "GET";
    const key = write ? (options.idempotencyKey ?? crypto.randomUUID()) : undefined;
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.apiKey}` };
    if (options.body !== undefined) headers["content-type"] = "application/json";
    if (key !== undefined) headers["idempotency-key"] = key;
    for (let attempt = 0; ; attempt += 1) {
      let response: Response;
      try {
        response = await this.fetcher(url, {
          method: operation.method,
          headers,
          ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        });
      } catch (error) {
        if (attempt >= this.retries) throw error;
        await this.sleep(backoffMs(attempt, null));
        continue;
      }
      if (RETRYABLE_STATUSES.has(response.status) && attempt < this.retries) {
        await this.sleep(backoffMs(attempt, response.headers.get("retry-after")));
        continue;
      }
      const text = await response.text();
      const body: unknown = text === "" ? null : JSON.parse(text);
      if (response.ok) return body as T;
      const failure = (body as Partial<BoonErrorBody> | null)?.error;
      throw new BoonError(
        response.status,
        failure?.code ?? "internal",
        failure?.message ?? text,
        failure?.requestId ?? null,
      );
    }
  }

  authorize(body: { customerId: string; action: string; quantity?: number }, idempotencyKey?: string) {
    return this.call<UsageAnswer>("authorize", {
      body,
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    });
  }

  createCustomerToken(body: { customerId: string; ttlSeconds?: number }) {
    return this.call<{ token: string; expiresAt: string }>("createCustomerToken", { body });
  }

  private urlOf(template: string, options: CallOptions): string {
    const path = template.replace(/\{(\w+)\}/g, (_match, name: string) => {
      const value = options.params?.[name];
      if (value === undefined) throw new Error(`missing path parameter ${name}`);
      return encodeURIComponent(value);
    });
    const query = Object.entries(options.query ?? {}).filter(([, value]) => value !== undefined);
    const search =
      query.length === 0
        ? ""
        : `?${new URLSearchParams(query.map(([k, v]): [string, string] => [k, String(v)])).toString()}`;
    return `${this.options.baseUrl.replace(/\/$/, "")}${path}${search}`;
  }
}

/** Exponential backoff with full jitter, or what the server's Retry-After asks for. */
function backoffMs(attempt: number, retryAfter: string | null): number {
  const asked = retryAfter === null ? Number.NaN : Number(retryAfter) * 1000;
  if (Number.isFinite(asked) && asked >= 0) return Math.min(asked, RETRY_DELAY_MS_MAX);
  return Math.random() * Math.min(RETRY_DELAY_MS_MAX, RETRY_DELAY_MS_BASE * 2 ** attempt);
}

export interface WindowLine {
  readonly windowId: string;
  readonly meter: string;
  readonly window: string;
  readonly kind: "fixed" | "rolling" | "calendar";
  readonly used: number;
  readonly limit: number;
  readonly remaining: number;
  readonly resetsAt: string | null;
}

export interface UsageAnswer {
  readonly allowed: boolean;
  readonly code: "limit_reached" | "insufficient_credits" | null;
  readonly message: string | null;
  readonly chargeId: string | null;
  readonly planId: string;
  readonly planVersion: number;
  readonly paidBy: "windows" | "credits" | null;
  readonly charged: {
    readonly windows: readonly { windowId: string; units: number }[];
    readonly credits: number;
  };
  readonly windows: readonly WindowLine[];
  readonly credits: { readonly available: number };
  readonly blockedWindowId: string | null;
  readonly resetsAt: string | null;
}
