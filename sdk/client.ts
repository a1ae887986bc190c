/**
 * The typed client for Boon's HTTP API. Every write carries an idempotency key (one the caller gives,
 * or a fresh one), and a retry of a failed attempt (a dropped connection, `503 unavailable`,
 * `429 rate_limited`) reuses that key, so a retry can never apply twice. The operations are a table
 * of method and path that a test checks against the server's OpenAPI document, so the two can't
 * drift apart; the parameters, bodies and answers are typed from `schema.d.ts`, which is generated
 * from that document (`npm run sdk:generate`), and the table itself is checked against it by tsc.
 */
import type { components, paths } from "./schema.js";

export type { components, paths };

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

/** A schema of the OpenAPI document by its name, e.g. `Schema<"Balance">`. */
export type Schema<Name extends keyof components["schemas"]> = components["schemas"][Name];

export type BoonErrorBody = Schema<"Error">;
export type Customer = Schema<"Customer">;
export type CustomerWithCredits = Schema<"CustomerWithCredits">;
export type CustomerRequest = Schema<"CustomerRequest">;
export type CustomerToken = Schema<"CustomerToken">;
export type CustomerTokenRequest = Schema<"CustomerTokenRequest">;
export type GrantRequest = Schema<"GrantRequest">;
export type GrantAnswer = Schema<"GrantAnswer">;
export type Balance = Schema<"Balance">;
export type Lot = Schema<"Lot">;
export type LedgerPage = Schema<"LedgerPage">;
export type UsageRequest = Schema<"UsageRequest">;
export type UsageAnswer = Schema<"UsageAnswer">;
export type WindowLine = Schema<"WindowLine">;
export type Plan = Schema<"Plan">;
export type Program = Schema<"Program">;
export type Gift = Schema<"Gift">;
export type GiftPreview = Schema<"GiftPreview">;
export type CustomerGifts = Schema<"CustomerGifts">;
export type Invite = Schema<"Invite">;
export type InvitePreview = Schema<"InvitePreview">;
export type Referral = Schema<"Referral">;
export type ReferralReward = Schema<"ReferralReward">;
export type CustomerReferrals = Schema<"CustomerReferrals">;
export type ReferralStats = Schema<"ReferralStats">;
export type ReferralOffer = Schema<"ReferralOffer">;
export type GiftOffer = Schema<"GiftOffer">;
export type CustomerList = Schema<"CustomerList">;
export type CustomerListItem = Schema<"CustomerListItem">;
export type LiabilityReport = Schema<"LiabilityReport">;
export type BreakageReport = Schema<"BreakageReport">;
export type UsageReport = Schema<"UsageReport">;
export type ReferralsReport = Schema<"ReferralsReport">;
export type Bundle = Schema<"Bundle">;
export type BundleTerms = Schema<"BundleTerms">;
export type CheckoutRequest = Schema<"CheckoutRequest">;
export type CheckoutSession = Schema<"CheckoutSession">;
export type Purchase = Schema<"Purchase">;
export type RevenueReport = Schema<"RevenueReport">;

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
  disableWebhook: { method: "POST", path: "/v1/webhooks/{endpointId}/disable" },
  listPlanVersions: { method: "GET", path: "/v1/plans/{planId}/versions" },
  saveProgram: { method: "POST", path: "/v1/programs" },
  patchProgram: { method: "PATCH", path: "/v1/programs/{programId}" },
  listPrograms: { method: "GET", path: "/v1/programs" },
  getProgram: { method: "GET", path: "/v1/programs/{programId}" },
  sendGift: { method: "POST", path: "/v1/gifts" },
  previewGift: { method: "GET", path: "/v1/gifts/{code}" },
  claimGift: { method: "POST", path: "/v1/gifts/{code}/claim" },
  revokeGift: { method: "POST", path: "/v1/gifts/{giftId}/revoke" },
  customerGifts: { method: "GET", path: "/v1/customers/{customerId}/gifts" },
  giftsInReview: { method: "GET", path: "/v1/gifts/review" },
  reviewGift: { method: "POST", path: "/v1/gifts/{giftId}/review" },
  giftingReport: { method: "GET", path: "/v1/reports/gifting" },
  createInvite: { method: "POST", path: "/v1/programs/{programId}/invites" },
  previewInvite: { method: "GET", path: "/v1/invites/{code}" },
  acceptInvite: { method: "POST", path: "/v1/invites/{code}/accept" },
  recordEvent: { method: "POST", path: "/v1/events" },
  customerReferrals: { method: "GET", path: "/v1/customers/{customerId}/referrals" },
  referralsInReview: { method: "GET", path: "/v1/referrals/review" },
  reviewReferral: { method: "POST", path: "/v1/referrals/{referralId}/review" },
  reverseReferralReward: { method: "POST", path: "/v1/referral-rewards/{rewardId}/reverse" },
  reviewReferralReward: { method: "POST", path: "/v1/referral-rewards/{rewardId}/review" },
  programStats: { method: "GET", path: "/v1/programs/{programId}/stats" },
  listCustomers: { method: "GET", path: "/v1/customers" },
  liabilityReport: { method: "GET", path: "/v1/reports/liability" },
  breakageReport: { method: "GET", path: "/v1/reports/breakage" },
  usageReport: { method: "GET", path: "/v1/reports/usage" },
  referralsReport: { method: "GET", path: "/v1/reports/referrals" },
  listBundles: { method: "GET", path: "/v1/bundles" },
  putBundle: { method: "PUT", path: "/v1/bundles/{bundleId}" },
  retireBundle: { method: "POST", path: "/v1/bundles/{bundleId}/retire" },
  checkout: { method: "POST", path: "/v1/checkout" },
  customerPurchases: { method: "GET", path: "/v1/customers/{customerId}/purchases" },
  purchasesInReview: { method: "GET", path: "/v1/purchases/review" },
  reviewPurchase: { method: "POST", path: "/v1/purchases/{purchaseId}/review" },
  revenueReport: { method: "GET", path: "/v1/reports/revenue" },
} as const satisfies Readonly<Record<string, DocumentedOperation>>;

type HttpMethod = "get" | "put" | "post" | "patch" | "delete";

/** The methods a path of the document has: its path item leaves the others `never`. */
type MethodsOf<P extends keyof paths> = {
  [M in HttpMethod]: paths[P][M] extends object ? M : never;
}[HttpMethod];

/** Any method and path pair the OpenAPI document lists; OPERATIONS may hold nothing else. */
type DocumentedOperation = {
  [P in keyof paths]: {
    [M in MethodsOf<P>]: { readonly method: Uppercase<M>; readonly path: P };
  }[MethodsOf<P>];
}[keyof paths];

type Operations = typeof OPERATIONS;
export type OperationName = keyof Operations;

/** The generated description of one operation: its parameters, request body and responses. */
type OperationOf<N extends OperationName> = paths[Operations[N]["path"]][Lowercase<Operations[N]["method"]>];
type ParametersOf<N extends OperationName> =
  OperationOf<N> extends { readonly parameters: infer P } ? P : never;

/** An operation's path parameters; `never` when its path has none. */
export type PathParamsOf<N extends OperationName> =
  ParametersOf<N> extends { readonly path: infer P } ? P : never;
/** An operation's query parameters; `never` when it takes none. */
export type QueryOf<N extends OperationName> = NonNullable<
  ParametersOf<N> extends { readonly query?: infer Q } ? Q : never
>;
/** An operation's JSON request body; `never` when it takes none. */
export type RequestOf<N extends OperationName> =
  OperationOf<N> extends { readonly requestBody?: infer R } ? JsonContentOf<NonNullable<R>> : never;
/** The decoded JSON of an operation's success answer (200, or 201). */
export type AnswerOf<N extends OperationName> =
  OperationOf<N> extends { readonly responses: infer R }
    ? JsonContentOf<R extends { readonly 200: infer S } ? S : R extends { readonly 201: infer S } ? S : never>
    : never;
/** The `application/json` content of a body or response; `never` for none, so a union maps member-wise. */
type JsonContentOf<T> = T extends { readonly content: { readonly "application/json": infer J } } ? J : never;

type IsNever<T> = [T] extends [never] ? true : false;
/** Whether an operation's body may be left out: the document says so, or it takes none. */
type BodyOptional<N extends OperationName> =
  OperationOf<N> extends { readonly requestBody: object } ? false : true;

/** What `call` takes for one operation: exactly the parameters and body the document asks for. */
export type CallOptionsOf<N extends OperationName> = (IsNever<PathParamsOf<N>> extends true
  ? { readonly params?: never }
  : { readonly params: PathParamsOf<N> }) &
  (IsNever<QueryOf<N>> extends true ? { readonly query?: never } : { readonly query?: QueryOf<N> }) &
  (IsNever<RequestOf<N>> extends true
    ? { readonly body?: never }
    : BodyOptional<N> extends true
      ? { readonly body?: RequestOf<N> }
      : { readonly body: RequestOf<N> }) & {
    /** For writes: the key that makes retries safe; a fresh one when left out. */
    readonly idempotencyKey?: string;
  };

/** The options may be left out when nothing in them is required. */
type CallArgs<N extends OperationName> =
  Record<string, never> extends CallOptionsOf<N> ? [options?: CallOptionsOf<N>] : [options: CallOptionsOf<N>];

/** The options as the request is built from them, whatever the operation. */
export interface CallOptions {
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string | number | boolean | null | undefined>>;
  readonly body?: unknown;
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
  call<N extends OperationName>(name: N, ...[options]: CallArgs<N>): Promise<AnswerOf<N>> {
    // The generated types decide what each operation takes; the request is built the same way for all.
    return this.send(OPERATIONS[name], (options ?? {}) as CallOptions) as Promise<AnswerOf<N>>;
  }

  authorize(body: UsageRequest, idempotencyKey?: string): Promise<UsageAnswer> {
    return this.call("authorize", { body, ...(idempotencyKey === undefined ? {} : { idempotencyKey }) });
  }

  createCustomerToken(body: CustomerTokenRequest): Promise<CustomerToken> {
    return this.call("createCustomerToken", { body });
  }

  private async send(
    operation: { readonly method: string; readonly path: string },
    options: CallOptions,
  ): Promise<unknown> {
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
      if (response.ok) return body;
      const failure = (body as Partial<BoonErrorBody> | null)?.error;
      throw new BoonError(
        response.status,
        failure?.code ?? "internal",
        failure?.message ?? text,
        failure?.requestId ?? null,
      );
    }
  }

  private urlOf(template: string, options: CallOptions): string {
    const path = template.replace(/\{(\w+)\}/g, (_match, name: string) => {
      const value = options.params?.[name];
      if (value === undefined) throw new Error(`missing path parameter ${name}`);
      return encodeURIComponent(value);
    });
    const query = Object.entries(options.query ?? {}).filter(
      ([, value]) => value !== undefined && value !== null,
    );
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
