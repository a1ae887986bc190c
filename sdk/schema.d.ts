/**
 * Generated from the OpenAPI document served at /openapi.json: do not edit by hand.
 * Regenerate with `npm run sdk:generate` (scripts/generate-sdk-types.ts).
 */
export interface paths {
  readonly "/healthz": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /** Liveness */
    readonly get: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: never;
        readonly path?: never;
        readonly cookie?: never;
      };
      readonly requestBody?: never;
      readonly responses: {
        /** @description Up */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Health"];
          };
        };
      };
    };
    readonly put?: never;
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/readyz": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /** Readiness: the database answers */
    readonly get: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: never;
        readonly path?: never;
        readonly cookie?: never;
      };
      readonly requestBody?: never;
      readonly responses: {
        /** @description Ready */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Health"];
          };
        };
        /** @description The database does not answer */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Health"];
          };
        };
      };
    };
    readonly put?: never;
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/customer-tokens": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    readonly put?: never;
    /**
     * Mint a customer token
     * @description Signed, scoped to one customer, valid for ttlSeconds (default 900, at most 86400).
     */
    readonly post: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: never;
        readonly path?: never;
        readonly cookie?: never;
      };
      readonly requestBody: {
        readonly content: {
          readonly "application/json": components["schemas"]["CustomerTokenRequest"];
        };
      };
      readonly responses: {
        /** @description The token and when it expires */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["CustomerToken"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/customers/{customerId}": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * Read a customer and its credits
     * @description The customer's stored fields, with the credits available now, held, and available by kind.
     */
    readonly get: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: never;
        readonly path: {
          readonly customerId: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody?: never;
      readonly responses: {
        /** @description The customer and its credits */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["CustomerWithCredits"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    /**
     * Create or update a customer
     * @description Creates the customer and its wallet, or updates the fields the body names; fields left out keep their stored values and `null` clears one. With an `Idempotency-Key`, a retry replays the first answer even when another update came between.
     */
    readonly put: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: {
          /** @description Makes the write safe to retry: the same key and body return the first answer */
          readonly "idempotency-key"?: string;
        };
        readonly path: {
          readonly customerId: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody: {
        readonly content: {
          readonly "application/json": components["schemas"]["CustomerRequest"];
        };
      };
      readonly responses: {
        /** @description The customer as stored */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Customer"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/customers/{customerId}/grants": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    readonly put?: never;
    /**
     * Grant credits
     * @description Books one lot into the customer's wallet with its own expiry and priority. Purchased lots are never transferable. Retrying with the same Idempotency-Key returns the first answer and grants nothing more.
     */
    readonly post: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: {
          /** @description Makes the write safe to retry: the same key and body return the first answer */
          readonly "idempotency-key"?: string;
        };
        readonly path: {
          readonly customerId: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody: {
        readonly content: {
          readonly "application/json": components["schemas"]["GrantRequest"];
        };
      };
      readonly responses: {
        /** @description The lot, its transfer, and the credits now available */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["GrantAnswer"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/customers/{customerId}/balance": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * Read a customer's balance
     * @description Credits available, held and by kind, with the open lots in burn-down order, the plan's windows and the banked resets; `?at=` for a past instant (credits and lots only).
     */
    readonly get: {
      readonly parameters: {
        readonly query?: {
          readonly at?: string;
        };
        readonly header?: never;
        readonly path: {
          readonly customerId: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody?: never;
      readonly responses: {
        /** @description The balance */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Balance"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly put?: never;
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/customers/{customerId}/ledger": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * List a customer's ledger entries
     * @description The wallet's entries, newest first, `limit` at a time (default 25, at most 100).
     */
    readonly get: {
      readonly parameters: {
        readonly query?: {
          readonly limit?: number | null;
          readonly cursor?: string;
        };
        readonly header?: never;
        readonly path: {
          readonly customerId: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody?: never;
      readonly responses: {
        /** @description A page of entries */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["LedgerPage"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly put?: never;
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/customers/{customerId}/debits": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    readonly put?: never;
    /**
     * Spend credits
     * @description Draws `amount` from the customer's live, unheld lots in burn-down order, all or nothing. Retrying with the same Idempotency-Key returns the first answer and spends nothing more.
     */
    readonly post: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: {
          /** @description Makes the write safe to retry: the same key and body return the first answer */
          readonly "idempotency-key"?: string;
        };
        readonly path: {
          readonly customerId: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody: {
        readonly content: {
          readonly "application/json": components["schemas"]["DebitRequest"];
        };
      };
      readonly responses: {
        /** @description The transfer and the lots it drew */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["DebitAnswer"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description insufficient_credits: the message says how many are available and how many were asked */
        readonly 402: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/customers/{customerId}/holds": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    readonly put?: never;
    /**
     * Hold credits
     * @description Reserves `amount` for `ttlSeconds`: held credits can't be spent elsewhere until the hold is captured, voided, or times out.
     */
    readonly post: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: {
          /** @description Makes the write safe to retry: the same key and body return the first answer */
          readonly "idempotency-key"?: string;
        };
        readonly path: {
          readonly customerId: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody: {
        readonly content: {
          readonly "application/json": components["schemas"]["HoldRequest"];
        };
      };
      readonly responses: {
        /** @description The hold and the credits still available */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["HoldAnswer"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description insufficient_credits: the message says how many are available and how many were asked */
        readonly 402: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/holds/{holdId}/capture": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    readonly put?: never;
    /**
     * Capture a hold
     * @description Spends `amount` (at most the hold; all of it when left out) and releases the rest, once.
     */
    readonly post: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: {
          /** @description Makes the write safe to retry: the same key and body return the first answer */
          readonly "idempotency-key"?: string;
        };
        readonly path: {
          readonly holdId: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody?: {
        readonly content: {
          readonly "application/json": components["schemas"]["CaptureRequest"];
        };
      };
      readonly responses: {
        /** @description The captured hold, its transfer and the lots it drew */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["CaptureAnswer"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description insufficient_credits: the message says how many are available and how many were asked */
        readonly 402: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/holds/{holdId}/void": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    readonly put?: never;
    /**
     * Void a hold
     * @description Releases the whole hold, once; its credits become available again.
     */
    readonly post: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: {
          /** @description Makes the write safe to retry: the same key and body return the first answer */
          readonly "idempotency-key"?: string;
        };
        readonly path: {
          readonly holdId: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody?: never;
      readonly responses: {
        /** @description The voided hold and the credits now available */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["VoidAnswer"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/transfers/{transferId}/reverse": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    readonly put?: never;
    /**
     * Reverse a transfer
     * @description Books the opposite of a transfer, once: entries are never edited. Refused when the credits it would take back have already been spent.
     */
    readonly post: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: {
          /** @description Makes the write safe to retry: the same key and body return the first answer */
          readonly "idempotency-key"?: string;
        };
        readonly path: {
          readonly transferId: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody?: {
        readonly content: {
          readonly "application/json": components["schemas"]["ReverseRequest"];
        };
      };
      readonly responses: {
        /** @description The reversing transfer */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["ReverseAnswer"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description insufficient_credits: the message says how many are available and how many were asked */
        readonly 402: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/usage": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    readonly put?: never;
    /**
     * Authorize and charge a piece of work
     * @description Charges every window of the customer's plan; past them, credits when the customer allows overflow. A refusal is an answer (`allowed: false` with `code`), not an error.
     */
    readonly post: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: {
          /** @description Makes the write safe to retry: the same key and body return the first answer */
          readonly "idempotency-key"?: string;
        };
        readonly path?: never;
        readonly cookie?: never;
      };
      readonly requestBody: {
        readonly content: {
          readonly "application/json": components["schemas"]["UsageRequest"];
        };
      };
      readonly responses: {
        /** @description The decision, what was charged, and what remains */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["UsageAnswer"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description no_plan: the customer has no plan, or its plan is not defined */
        readonly 422: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/plans/{planId}": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    /**
     * Create or change a plan
     * @description Stores the spec as the plan's next version; customers' charges keep the version they were made under. Putting the same spec again stores nothing and answers the current version with `created: false`, so a PUT is safe to repeat; with an `Idempotency-Key`, a retry replays the first answer even when another version came between.
     */
    readonly put: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: {
          /** @description Makes the write safe to retry: the same key and body return the first answer */
          readonly "idempotency-key"?: string;
        };
        readonly path: {
          readonly planId: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody: {
        readonly content: {
          readonly "application/json": components["schemas"]["PlanSpec"];
        };
      };
      readonly responses: {
        /** @description The plan's current version */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["PlanSaved"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/plans": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * List plans
     * @description The current version of every plan. Plans are configuration, few by nature, so the list is answered whole rather than a page at a time.
     */
    readonly get: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: never;
        readonly path?: never;
        readonly cookie?: never;
      };
      readonly requestBody?: never;
      readonly responses: {
        /** @description The plans */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["PlanList"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly put?: never;
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/plans/{planId}/versions": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * A plan's history
     * @description Every version the plan has had, newest first, each with the spec it stored and when. A charge names the version it ran under, so this is how to read the terms of a past charge.
     */
    readonly get: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: never;
        readonly path: {
          readonly planId: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody?: never;
      readonly responses: {
        /** @description The versions, newest first */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["PlanVersions"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly put?: never;
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/customers/{customerId}/usage": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * Read a customer's usage
     * @description Each window's used, limit and reset time, the banked resets, and the charges newest first, `limit` at a time (default 25, at most 100). A customer token may read its own customer's usage.
     */
    readonly get: {
      readonly parameters: {
        readonly query?: {
          readonly limit?: number | null;
          readonly cursor?: string;
        };
        readonly header?: never;
        readonly path: {
          readonly customerId: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody?: never;
      readonly responses: {
        /** @description The usage page */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["UsageHistory"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly put?: never;
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/customers/{customerId}/resets": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    readonly put?: never;
    /**
     * Bank a reset
     * @description Gives the customer a reset token to redeem later: a reward, a compensation, a purchase. Redeeming it restarts the windows it covers.
     */
    readonly post: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: {
          /** @description Makes the write safe to retry: the same key and body return the first answer */
          readonly "idempotency-key"?: string;
        };
        readonly path: {
          readonly customerId: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody: {
        readonly content: {
          readonly "application/json": components["schemas"]["GrantResetRequest"];
        };
      };
      readonly responses: {
        /** @description The banked reset and the resets now held */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["GrantResetAnswer"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/customers/{customerId}/resets/redeem": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    readonly put?: never;
    /**
     * Redeem a banked reset
     * @description Spends one banked reset and restarts the windows it covers. The body may be left out. Refused with `reset_unavailable` when none is banked, or when the one named has expired or been spent. A customer token may redeem its own customer's resets.
     */
    readonly post: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: {
          /** @description Makes the write safe to retry: the same key and body return the first answer */
          readonly "idempotency-key"?: string;
        };
        readonly path: {
          readonly customerId: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody?: {
        readonly content: {
          readonly "application/json": components["schemas"]["RedeemResetRequest"];
        };
      };
      readonly responses: {
        /** @description The windows after the reset */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["RedeemResetAnswer"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description no_plan: the customer has no plan, or its plan is not defined */
        readonly 422: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/resets": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * List bulk resets
     * @description The most recent bulk resets, newest first: `limit` of them (default 25, at most 100).
     */
    readonly get: {
      readonly parameters: {
        readonly query?: {
          readonly limit?: number | null;
        };
        readonly header?: never;
        readonly path?: never;
        readonly cookie?: never;
      };
      readonly requestBody?: never;
      readonly responses: {
        /** @description The audit records */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["BulkResetList"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly put?: never;
    /**
     * Reset windows in bulk
     * @description Restarts the named windows (all when left out) for every customer on a plan or for a list of customers: a compensation after an incident, a promotion. Each run is recorded in the audit trail with who asked and why; a retry with the same Idempotency-Key answers the first record.
     */
    readonly post: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: {
          /** @description Makes the write safe to retry: the same key and body return the first answer */
          readonly "idempotency-key"?: string;
        };
        readonly path?: never;
        readonly cookie?: never;
      };
      readonly requestBody: {
        readonly content: {
          readonly "application/json": components["schemas"]["BulkResetRequest"];
        };
      };
      readonly responses: {
        /** @description The audit record of the reset */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["BulkReset"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/webhooks": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /** List webhook endpoints */
    readonly get: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: never;
        readonly path?: never;
        readonly cookie?: never;
      };
      readonly requestBody?: never;
      readonly responses: {
        /** @description The endpoints */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": {
              readonly data: readonly components["schemas"]["WebhookEndpoint"][];
            };
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly put?: never;
    /**
     * Register a webhook endpoint
     * @description Events are signed per Standard Webhooks with the returned secret, which is shown here only.
     */
    readonly post: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: {
          /** @description Makes the write safe to retry: the same key and body return the first answer */
          readonly "idempotency-key"?: string;
        };
        readonly path?: never;
        readonly cookie?: never;
      };
      readonly requestBody: {
        readonly content: {
          readonly "application/json": {
            readonly url: string;
            readonly eventTypes?: readonly string[];
            readonly description?: string;
          };
        };
      };
      readonly responses: {
        /** @description The endpoint and its signing secret */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["WebhookEndpointCreated"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/webhooks/{endpointId}/disable": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    readonly put?: never;
    /**
     * Stop sending to an endpoint
     * @description No new deliveries are made to the endpoint; its log stays readable. Disabling twice answers the endpoint as it is, so the call is safe to repeat.
     */
    readonly post: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: never;
        readonly path: {
          readonly endpointId: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody?: never;
      readonly responses: {
        /** @description The endpoint, disabled */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["WebhookEndpoint"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/webhooks/deliveries": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /** The delivery log, newest event first */
    readonly get: {
      readonly parameters: {
        readonly query?: {
          readonly endpointId?: string;
          readonly status?: "pending" | "delivered" | "failed";
          readonly limit?: number;
        };
        readonly header?: never;
        readonly path?: never;
        readonly cookie?: never;
      };
      readonly requestBody?: never;
      readonly responses: {
        /** @description Deliveries */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": {
              readonly data: readonly components["schemas"]["WebhookDelivery"][];
            };
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly put?: never;
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/webhooks/deliveries/{deliveryId}/redeliver": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    readonly put?: never;
    /** Send a delivery again */
    readonly post: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: never;
        readonly path: {
          readonly deliveryId: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody?: never;
      readonly responses: {
        /** @description Queued, due now */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": {
              readonly id: string;
            };
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/programs": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * List programs
     * @description The current version of every program, gifting and referral, each with its `type`, in order of id. Programs are configuration, few by nature, so the list is answered whole rather than a page at a time.
     */
    readonly get: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: never;
        readonly path?: never;
        readonly cookie?: never;
      };
      readonly requestBody?: never;
      readonly responses: {
        /** @description The programs */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["ProgramList"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly put?: never;
    /**
     * Create or replace a program
     * @description Stores the terms as the program's next version, for a `gifting` or a `referral` program; gifts and referrals keep the version they were made under. Terms equal to the current version's store nothing and answer it with `created: false`, so the call is safe to repeat; with an `Idempotency-Key`, a retry replays the first answer. Program ids are one space across kinds: an id another kind of program has is refused with `invalid_request`. Change some terms with `PATCH /v1/programs/{programId}`.
     */
    readonly post: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: {
          /** @description Makes the write safe to retry: the same key and body return the first answer */
          readonly "idempotency-key"?: string;
        };
        readonly path?: never;
        readonly cookie?: never;
      };
      readonly requestBody: {
        readonly content: {
          readonly "application/json": components["schemas"]["ProgramRequest"];
        };
      };
      readonly responses: {
        /** @description The program's current version */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["ProgramSaved"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/programs/{programId}": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * Read a program
     * @description The program's current version, gifting or referral (`type`), its terms with every default spelled out.
     */
    readonly get: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: never;
        readonly path: {
          readonly programId: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody?: never;
      readonly responses: {
        /** @description The program */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Program"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly put?: never;
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    /**
     * Change a program's terms
     * @description Merges the patch into the current terms of the gifting or referral program and stores the result as the next version; gifts and referrals keep the version they were made under. A patch that changes nothing stores nothing (`created: false`).
     */
    readonly patch: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: {
          /** @description Makes the write safe to retry: the same key and body return the first answer */
          readonly "idempotency-key"?: string;
        };
        readonly path: {
          readonly programId: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody: {
        readonly content: {
          readonly "application/merge-patch+json": components["schemas"]["ProgramTerms"] & unknown;
          readonly "application/json": components["schemas"]["ProgramTerms"] & unknown;
        };
      };
      readonly responses: {
        /** @description The program's current version */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["ProgramSaved"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly trace?: never;
  };
  readonly "/v1/gifts": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    readonly put?: never;
    /**
     * Send a gift
     * @description Moves `amount` from the sender's gift allowance or gift balance into escrow and answers the gift with its typed `code` and its claim `url`, both the sender's to share. Unclaimed by `expiresAt`, or revoked, its value returns to its source. Refused with `program_closed` when no program is open to the sender, `not_eligible` when the sender is not among its senders, `cap_exceeded` past the gifts per period, `insufficient_credits` past the allowance or gift balance, `not_transferable` for purchased credits. A customer token may send from its own customer's allowance only.
     */
    readonly post: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: {
          /** @description Makes the write safe to retry: the same key and body return the first answer */
          readonly "idempotency-key"?: string;
        };
        readonly path?: never;
        readonly cookie?: never;
      };
      readonly requestBody: {
        readonly content: {
          readonly "application/json": components["schemas"]["SendGiftRequest"];
        };
      };
      readonly responses: {
        /** @description The gift, pending in escrow */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Gift"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description insufficient_credits: the message says how many are available and how many were asked */
        readonly 402: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description not_transferable: purchased credits can't be given */
        readonly 422: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/gifts/review": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * The review queue
     * @description Claims held because the claimer shares a device or address with the sender, in the order the gifts were sent, with `reviewReason`. Settle each with `POST /v1/gifts/{giftId}/review`.
     */
    readonly get: {
      readonly parameters: {
        readonly query?: {
          /** @description At most this many of each list (100 when left out) */
          readonly limit?: number;
        };
        readonly header?: never;
        readonly path?: never;
        readonly cookie?: never;
      };
      readonly requestBody?: never;
      readonly responses: {
        /** @description The gifts in review */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["GiftList"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly put?: never;
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/gifts/{code}": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * Preview a gift
     * @description Public: what the claim page shows of a gift that can still be claimed. Every code that can't be claimed (unknown, claimed, revoked, in review or expired) gets the one same answer, 404 `gift_unavailable`, so codes can't be probed; a code whose check character does not match is a typo, 400 `invalid_request`, so the page can ask to check it. Calls without a server key are limited per client address.
     */
    readonly get: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: never;
        readonly path: {
          /** @description The typed code (any case; dashes and spaces optional; O, I and L read as 0, 1 and 1) or the secret from the claim link */
          readonly code: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody?: never;
      readonly responses: {
        /** @description The gift as its claim page shows it */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["GiftPreview"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many attempts; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly put?: never;
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/gifts/{code}/claim": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    readonly put?: never;
    /**
     * Claim a gift
     * @description Moves the gift's value out of escrow into a new gifted lot in the customer's wallet (`lotId`), at most once. `status` is `claimed`, or `review` when the claimer shares a device or address with the sender: an operator then approves or rejects. Refused with 404 `gift_unavailable` for every code that can't be claimed, 400 `invalid_request` for a mistyped code, 403 `gift_self_claim` for the sender, 403 `not_eligible` when the program's recipient rule excludes the customer, 409 `cap_exceeded` past the gifts one customer may receive. Attempts are limited per claiming customer and per client address (for a server key, the `signals.address` it passes), answering 429 `rate_limited` with Retry-After. A customer token may claim into its own customer's wallet only.
     */
    readonly post: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: {
          /** @description Makes the write safe to retry: the same key and body return the first answer */
          readonly "idempotency-key"?: string;
        };
        readonly path: {
          /** @description The typed code (any case; dashes and spaces optional; O, I and L read as 0, 1 and 1) or the secret from the claim link */
          readonly code: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody: {
        readonly content: {
          readonly "application/json": components["schemas"]["ClaimGiftRequest"];
        };
      };
      readonly responses: {
        /** @description The gift as its recipient sees it */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Gift"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many attempts; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/gifts/{giftId}/revoke": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    readonly put?: never;
    /**
     * Revoke a gift
     * @description Takes back a pending gift: its value returns to the allowance period it was drawn from, or to the sender's gift balance. A server key may revoke any gift; a customer token only a gift its customer sent, and any other answers 404 `not_found`, as an unknown id does. A gift no longer pending is refused with `invalid_request`.
     */
    readonly post: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: {
          /** @description Makes the write safe to retry: the same key and body return the first answer */
          readonly "idempotency-key"?: string;
        };
        readonly path: {
          readonly giftId: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody?: never;
      readonly responses: {
        /** @description The gift, revoked */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Gift"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/gifts/{giftId}/review": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    readonly put?: never;
    /**
     * Settle a gift in review
     * @description Approving makes the gift `claimed`, with a new gifted lot in the claimer's wallet; rejecting makes it `revoked`, its value back at its source. A gift not in review is refused with `invalid_request`.
     */
    readonly post: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: {
          /** @description Makes the write safe to retry: the same key and body return the first answer */
          readonly "idempotency-key"?: string;
        };
        readonly path: {
          readonly giftId: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody: {
        readonly content: {
          readonly "application/json": components["schemas"]["ReviewGiftRequest"];
        };
      };
      readonly responses: {
        /** @description The gift, settled */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Gift"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/customers/{customerId}/gifts": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * Read a customer's gifts
     * @description The gifts the customer sent (with their codes and links, to share again) and received, what each open gifting program's allowance has left this period, the gift balance, and for each program the customer may send under the bounds a gift form checks. A gift past its claim window shows as expired, its value back at its source.
     */
    readonly get: {
      readonly parameters: {
        readonly query?: {
          /** @description At most this many of each list (100 when left out) */
          readonly limit?: number;
        };
        readonly header?: never;
        readonly path: {
          readonly customerId: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody?: never;
      readonly responses: {
        /** @description The customer's gifts */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["CustomerGifts"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly put?: never;
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/programs/{programId}/invites": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    readonly put?: never;
    /**
     * Create an invite
     * @description A referrer's personal invite to a referral program: a typed `code` and a `url` to share. Refused with 404 `not_found` for an unknown customer or program, 409 `program_closed` outside the program's window or status, 403 `not_eligible` when the referrer is not in the program's audience, 409 `cap_exceeded` past the invites a referrer may send (in all, or this period). With an `Idempotency-Key`, a retry answers the same invite. A customer token may invite for its own customer only.
     */
    readonly post: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: {
          /** @description Makes the write safe to retry: the same key and body return the first answer */
          readonly "idempotency-key"?: string;
        };
        readonly path: {
          readonly programId: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody: {
        readonly content: {
          readonly "application/json": components["schemas"]["CreateInviteRequest"];
        };
      };
      readonly responses: {
        /** @description The invite */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Invite"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/invites/{code}": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * Preview an invite
     * @description Public: what an invite's landing page shows: who invited (their display name) and what both sides get once the invitee performs the qualifying action. Counts as an opening in the program's funnel. An unknown code is 404 `not_found`; a code whose check character does not match is a typo, 400 `invalid_request`; a program outside its window or ended is 409 `program_closed`. Calls without a server key are limited per client address, together with gift previews.
     */
    readonly get: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: never;
        readonly path: {
          /** @description The typed code (any case; dashes and spaces optional; O, I and L read as 0, 1 and 1) or the secret from the invite link */
          readonly code: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody?: never;
      readonly responses: {
        /** @description The invite as its landing page shows it */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["InvitePreview"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many attempts; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly put?: never;
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/invites/{code}/accept": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    readonly put?: never;
    /**
     * Accept an invite
     * @description Attributes the customer to the invite's referrer: the first accepted invite wins, once per invitee and program (accepting the same invite again answers the same referral). The referral is `accepted`, or `review` when it looks like a self-invite or abuse (same email, device or address, a disposable email domain, too many acceptances for one referrer): an operator then approves or rejects it. Refused with 404 `not_found` for an unknown code or customer, 400 `invalid_request` for a mistyped code, 409 `program_closed` outside the program's window, 403 `referral_self_invite` for the referrer, 403 `not_eligible` for an invitee the program does not take (not new or lapsed, or already referred). Attempts are limited per invitee and per the address the host reports in `signals.address`, together with gift claims.
     */
    readonly post: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: {
          /** @description Makes the write safe to retry: the same key and body return the first answer */
          readonly "idempotency-key"?: string;
        };
        readonly path: {
          /** @description The typed code (any case; dashes and spaces optional; O, I and L read as 0, 1 and 1) or the secret from the invite link */
          readonly code: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody: {
        readonly content: {
          readonly "application/json": components["schemas"]["AcceptInviteRequest"];
        };
      };
      readonly responses: {
        /** @description The referral */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Referral"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many attempts; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/events": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    readonly put?: never;
    /**
     * Record a product event
     * @description Tells Boon the customer did something in the product. Each of the customer's accepted referrals whose program qualifies on this event (`qualifyingEvent.event`) and whose attribution window holds `at` becomes qualified, and its rewards are granted after the program's hold. An event no program waits for qualifies nothing. A referral qualifies once, so a repeat changes nothing; with an `Idempotency-Key` it also answers what the first one did.
     */
    readonly post: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: {
          /** @description Makes the write safe to retry: the same key and body return the first answer */
          readonly "idempotency-key"?: string;
        };
        readonly path?: never;
        readonly cookie?: never;
      };
      readonly requestBody: {
        readonly content: {
          readonly "application/json": components["schemas"]["ProductEventRequest"];
        };
      };
      readonly responses: {
        /** @description What the event qualified */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["ProductEventAnswer"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/customers/{customerId}/referrals": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * Read a customer's invites, referrals and rewards
     * @description The invites the customer made (with their links), their referrals as either side, and the rewards they earned, in every state: pending through a hold, granted (with the banked reset or credits lot), canceled, reversed; and the programs they may invite in now, with each side's reward and the invites left.
     */
    readonly get: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: never;
        readonly path: {
          readonly customerId: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody?: never;
      readonly responses: {
        /** @description The customer's referral rewards */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["CustomerReferrals"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly put?: never;
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/referrals/review": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * The referral review queue
     * @description Acceptances held because they look like a self-invite or abuse (same email, device or address, a disposable email domain, too many acceptances for one referrer), with `reviewReason`. Settle each with `POST /v1/referrals/{referralId}/review`.
     */
    readonly get: {
      readonly parameters: {
        readonly query?: {
          /** @description At most this many (100 when left out) */
          readonly limit?: number;
        };
        readonly header?: never;
        readonly path?: never;
        readonly cookie?: never;
      };
      readonly requestBody?: never;
      readonly responses: {
        /** @description The referrals in review */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["ReferralList"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly put?: never;
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/referrals/{referralId}/review": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    readonly put?: never;
    /**
     * Settle a referral in review
     * @description Approving makes the referral `accepted`: the invitee's qualifying action then counts. Rejecting makes it `rejected`: it never rewards anyone. A referral not in review is refused with `invalid_request`, so a repeated decision changes nothing; with an `Idempotency-Key` a retry answers what the first decision did.
     */
    readonly post: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: {
          /** @description Makes the write safe to retry: the same key and body return the first answer */
          readonly "idempotency-key"?: string;
        };
        readonly path: {
          readonly referralId: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody: {
        readonly content: {
          readonly "application/json": components["schemas"]["ReviewReferralRequest"];
        };
      };
      readonly responses: {
        /** @description The referral, settled */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Referral"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/referral-rewards/{rewardId}/reverse": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    readonly put?: never;
    /**
     * Reverse a referral reward
     * @description For an invitee found fraudulent, or refunded: the reward becomes `reversed`. An unredeemed banked reset is expired now; what is left of a credits lot is taken back. What was already used is recorded as `unrecovered`, never taken below zero. A reward that is not granted is refused with `invalid_request`. With an `Idempotency-Key`, a retry answers the first reversal.
     */
    readonly post: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: {
          /** @description Makes the write safe to retry: the same key and body return the first answer */
          readonly "idempotency-key"?: string;
        };
        readonly path: {
          readonly rewardId: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody: {
        readonly content: {
          readonly "application/json": components["schemas"]["ReverseRewardRequest"];
        };
      };
      readonly responses: {
        /** @description The reward, reversed */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["ReferralReward"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/referral-rewards/{rewardId}/review": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    readonly put?: never;
    /**
     * Hold or settle a referral reward
     * @description An operator holds a pending reward (`review_required`): the sweep leaves it alone until it is approved (back to `pending`, granted when due) or rejected (`canceled`). Repeating an action the reward has already taken is refused with `invalid_request`, so a retry changes nothing.
     */
    readonly post: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: never;
        readonly path: {
          readonly rewardId: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody: {
        readonly content: {
          readonly "application/json": components["schemas"]["RewardReviewRequest"];
        };
      };
      readonly responses: {
        /** @description The reward */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["ReferralReward"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/programs/{programId}/stats": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * A referral program's stats
     * @description The referral program's funnel (invites created, opened, accepted, qualified, rewarded), the rewards given against the budget, the viral coefficient overall and by weekly cohort, and the cost per acquired customer. A gifting program has no stats here: 404 `not_found`.
     */
    readonly get: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: never;
        readonly path: {
          readonly programId: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody?: never;
      readonly responses: {
        /** @description The program's stats */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["ReferralStats"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly put?: never;
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/reports/gifting": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * The gifting report
     * @description Per gifting program, over gifts sent in [from, to) (default: all time): gifts and value by state, the claim rate, time to claim, the share of recipients who were new or lapsed, and how much of the gifted value they went on to use.
     */
    readonly get: {
      readonly parameters: {
        readonly query?: {
          readonly from?: string;
          readonly to?: string;
        };
        readonly header?: never;
        readonly path?: never;
        readonly cookie?: never;
      };
      readonly requestBody?: never;
      readonly responses: {
        /** @description The report */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["GiftingReport"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly put?: never;
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/reports/liability": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * The liability report
     * @description What is outstanding at the end of each day or week of [from, to]: the unexpired, unspent value of the wallets' lots by kind, as the balance at that instant counts it (a lot stops counting at its expiry instant), plus gift balances and gifts in escrow. Computed from the ledger's entries, so a past instant reads as it stood then. Buckets follow the calendar of `timeZone`; the first and last may be partial, and the last point is `to`.
     */
    readonly get: {
      readonly parameters: {
        readonly query?: {
          /** @description The range's start (default: 30 days before `to`) */
          readonly from?: string;
          /** @description The range's end (default: now; a later time is read as now) */
          readonly to?: string;
          /** @description Calendar days or weeks from Monday (default day); at most 400 buckets */
          readonly bucket?: "day" | "week";
          /** @description The time zone whose days and weeks make the buckets (default UTC) */
          readonly timeZone?: string;
        };
        readonly header?: never;
        readonly path?: never;
        readonly cookie?: never;
      };
      readonly requestBody?: never;
      readonly responses: {
        /** @description The report */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["LiabilityReport"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly put?: never;
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/reports/breakage": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * The breakage report
     * @description Per day or week of [from, to], the credits that expired unused, by kind: what the ledger booked to breakage from each lot whose expiry falls in the bucket, plus what a lot past its expiry still holds unreserved until the next sweep books it. Also the totals over the range, what was granted in it, and the breakage rate. Takes the same range and buckets as the liability report.
     */
    readonly get: {
      readonly parameters: {
        readonly query?: {
          /** @description The range's start (default: 30 days before `to`) */
          readonly from?: string;
          /** @description The range's end (default: now; a later time is read as now) */
          readonly to?: string;
          /** @description Calendar days or weeks from Monday (default day); at most 400 buckets */
          readonly bucket?: "day" | "week";
          /** @description The time zone whose days and weeks make the buckets (default UTC) */
          readonly timeZone?: string;
        };
        readonly header?: never;
        readonly path?: never;
        readonly cookie?: never;
      };
      readonly requestBody?: never;
      readonly responses: {
        /** @description The report */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["BreakageReport"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly put?: never;
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/reports/usage": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * The usage report
     * @description For every plan (its current version) and each of its windows as they stand now: how many of the plan's customers have used anything, how many reached the limit, and how the others are spread over quarters of the limit. A window that restarted (its fixed time or calendar period ended, or a reset) counts as unused.
     */
    readonly get: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: never;
        readonly path?: never;
        readonly cookie?: never;
      };
      readonly requestBody?: never;
      readonly responses: {
        /** @description The report */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["UsageReport"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly put?: never;
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/reports/referrals": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * The referrals report
     * @description Every referral program, by id, with what `GET /v1/programs/{programId}/stats` gives for it: the funnel, the rewards against the budget, the viral coefficient overall and by weekly cohort.
     */
    readonly get: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: never;
        readonly path?: never;
        readonly cookie?: never;
      };
      readonly requestBody?: never;
      readonly responses: {
        /** @description The report */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["ReferralsReport"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly put?: never;
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/customers": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * Search and list customers
     * @description Customers ordered by id, each with the credits available now (held, and available by kind), optionally those whose id starts with `query` or whose email or display name contains it, and those on one plan. Pages follow each other by id, so a customer added or changed meanwhile neither repeats nor shifts a page.
     */
    readonly get: {
      readonly parameters: {
        readonly query?: {
          /** @description Matches a customer id that starts with it, or an email or display name that contains it in any case; empty or left out matches everyone */
          readonly query?: string;
          /** @description Only this plan's customers */
          readonly plan?: string;
          /** @description At most this many customers (20 when left out) */
          readonly limit?: number;
          /** @description The previous page's nextCursor, as given */
          readonly cursor?: string;
        };
        readonly header?: never;
        readonly path?: never;
        readonly cookie?: never;
      };
      readonly requestBody?: never;
      readonly responses: {
        /** @description One page of customers */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["CustomerList"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly put?: never;
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/bundles": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * List bundles
     * @description The bundles on sale, by id, with their price, credits, bonus and whether they can be bought as a gift. An admin key may ask for retired ones too with `includeRetired=true`.
     */
    readonly get: {
      readonly parameters: {
        readonly query?: {
          /** @description Admin keys only: also list retired bundles */
          readonly includeRetired?: "true" | "false";
        };
        readonly header?: never;
        readonly path?: never;
        readonly cookie?: never;
      };
      readonly requestBody?: never;
      readonly responses: {
        /** @description The catalog */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["BundleList"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly put?: never;
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/bundles/{bundleId}": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    /**
     * Create or change a bundle
     * @description Stores the terms as the bundle's next version; purchases keep the version they were bought under, so a new price never rewrites a past purchase. Terms equal to the current version's store nothing and answer it with `created: false`. Purchased credits never expire unless `purchasedExpiresAfter` says so, and then not within five years; bonus credits are promotional and must expire. Refused with `invalid_request` naming the field at fault.
     */
    readonly put: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: {
          /** @description Makes the write safe to retry: the same key and body return the first answer */
          readonly "idempotency-key"?: string;
        };
        readonly path: {
          readonly bundleId: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody: {
        readonly content: {
          readonly "application/json": components["schemas"]["BundleTerms"];
        };
      };
      readonly responses: {
        /** @description The bundle's current version */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["BundleSaved"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/bundles/{bundleId}/retire": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    readonly put?: never;
    /**
     * Retire a bundle
     * @description Stores a version with status `retired`: the bundle leaves the catalog and no new checkout can use it, while past purchases keep their terms. Retiring a retired bundle changes nothing (`created: false`). Put it back on sale with `PUT /v1/bundles/{bundleId}` and status `active`.
     */
    readonly post: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: {
          /** @description Makes the write safe to retry: the same key and body return the first answer */
          readonly "idempotency-key"?: string;
        };
        readonly path: {
          readonly bundleId: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody?: never;
      readonly responses: {
        /** @description The bundle's current version */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["BundleSaved"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/checkout": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    readonly put?: never;
    /**
     * Start a checkout
     * @description Creates the payment provider's checkout session (a Stripe Checkout Session in mode payment, or the demo's payment page) for one bundle and answers its `url`. Nothing is granted here: the credits come when the provider's signed webhook says the session was paid. A retry with the same `Idempotency-Key` answers the same session. Refused with `not_found` for an unknown customer or bundle, `invalid_request` for a retired bundle or another currency, `not_transferable` for a gift of a bundle that can't be given, and `unavailable` (503, with Retry-After) when the provider can't be reached: retry with the same key. A customer token may buy for its own customer only.
     */
    readonly post: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: {
          /** @description Makes the write safe to retry: the same key and body return the first answer */
          readonly "idempotency-key"?: string;
        };
        readonly path?: never;
        readonly cookie?: never;
      };
      readonly requestBody: {
        readonly content: {
          readonly "application/json": components["schemas"]["CheckoutRequest"];
        };
      };
      readonly responses: {
        /** @description The session to pay */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["CheckoutSession"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description not_transferable: purchased credits can't be given */
        readonly 422: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: the payment provider refused the configuration, or an unexpected error (logged) */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/webhooks/payments": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    readonly put?: never;
    /**
     * Receive a payment provider event
     * @description Where Stripe (or the demo's payment page) delivers its events: `checkout.session.completed` grants a purchase, `charge.refunded` and `charge.dispute.created` take back what is unspent of it and put it in the review queue. The `Stripe-Signature` header is checked against the configured endpoint secret over the raw body, within 300 seconds either way; a missing, forged, stale or tampered signature is refused with `401 unauthorized` and nothing changes. Each event is handled once by its id: a redelivery answers `replayed: true` and changes nothing. Event types Boon does not act on answer 200 `ignored`, so Stripe stops retrying them.
     */
    readonly post: {
      readonly parameters: {
        readonly query?: never;
        readonly header: {
          /** @description `t=<unix seconds>,v1=<hex HMAC-SHA256>` */
          readonly "stripe-signature": string;
        };
        readonly path?: never;
        readonly cookie?: never;
      };
      /** @description The provider's event, exactly as it signed it */
      readonly requestBody: {
        readonly content: {
          readonly "application/json": components["schemas"]["ProviderEvent"];
        };
      };
      readonly responses: {
        /** @description Handled */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["PaymentWebhookAnswer"];
          };
        };
        /** @description A signed body that is not a readable event */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing, malformed, forged or stale signature */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Body too large */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged; the provider retries the delivery */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable, or no payment provider is configured: the provider retries */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/customers/{customerId}/purchases": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * Read a customer's purchases
     * @description The customer's purchases, newest first: pending checkouts, paid ones with the lots they granted, and refunds or disputes with what was taken back and what had already been spent.
     */
    readonly get: {
      readonly parameters: {
        readonly query?: {
          /** @description At most this many (100 when left out) */
          readonly limit?: number;
        };
        readonly header?: never;
        readonly path: {
          readonly customerId: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody?: never;
      readonly responses: {
        /** @description The purchases */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["PurchaseList"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly put?: never;
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/purchases/review": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * The purchase review queue
     * @description Purchases an operator should look at, oldest first, each with its `reviewReason`: a payment that did not match the price (nothing granted), and refunds and disputes (with what was taken back and what had already been spent). Settle each with `POST /v1/purchases/{purchaseId}/review`.
     */
    readonly get: {
      readonly parameters: {
        readonly query?: {
          /** @description At most this many (100 when left out) */
          readonly limit?: number;
        };
        readonly header?: never;
        readonly path?: never;
        readonly cookie?: never;
      };
      readonly requestBody?: never;
      readonly responses: {
        /** @description The purchases in review */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["PurchaseList"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly put?: never;
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/purchases/{purchaseId}/review": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    readonly get?: never;
    readonly put?: never;
    /**
     * Settle a purchase in review
     * @description Closes the review, granting the purchase or refunding its payment first when asked to. A purchase not in review, a grant of one that was refunded or disputed, or a refund of one disputed, fully refunded or never paid, is refused with `invalid_request`; with no payment provider configured, a refund answers `unavailable`.
     */
    readonly post: {
      readonly parameters: {
        readonly query?: never;
        readonly header?: {
          /** @description Makes the write safe to retry: the same key and body return the first answer */
          readonly "idempotency-key"?: string;
        };
        readonly path: {
          readonly purchaseId: string;
        };
        readonly cookie?: never;
      };
      readonly requestBody: {
        readonly content: {
          readonly "application/json": components["schemas"]["ReviewPurchaseRequest"];
        };
      };
      readonly responses: {
        /** @description The purchase, settled */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Purchase"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
  readonly "/v1/reports/revenue": {
    readonly parameters: {
      readonly query?: never;
      readonly header?: never;
      readonly path?: never;
      readonly cookie?: never;
    };
    /**
     * The revenue report
     * @description Per day or week of [from, to] and in total, by currency: revenue from paid purchases, refunds and disputes as the provider reported them, disputes won back, and the net; and deferred revenue at `to`, the purchased credits not yet consumed valued at their price. Amounts are the currency's minor units.
     */
    readonly get: {
      readonly parameters: {
        readonly query?: {
          /** @description The range's start (default: 30 days before `to`) */
          readonly from?: string;
          /** @description The range's end (default: now; a later time is read as now) */
          readonly to?: string;
          /** @description Calendar days or weeks from Monday (default day); at most 400 buckets */
          readonly bucket?: "day" | "week";
          /** @description The time zone whose days and weeks make the buckets (default UTC) */
          readonly timeZone?: string;
        };
        readonly header?: never;
        readonly path?: never;
        readonly cookie?: never;
      };
      readonly requestBody?: never;
      readonly responses: {
        /** @description The report */
        readonly 200: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["RevenueReport"];
          };
        };
        /** @description Invalid request */
        readonly 400: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Missing or unknown key */
        readonly 401: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The key's scope does not allow this route */
        readonly 403: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Not found */
        readonly 404: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description Conflict with the current state, or an idempotency key reused for another request */
        readonly 409: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description invalid_request: the request body is larger than the API accepts */
        readonly 413: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description rate_limited: too many requests for this key or customer token; retry after Retry-After seconds */
        readonly 429: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description internal: an unexpected error, logged with the request id */
        readonly 500: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
        /** @description The database is unavailable: retry after Retry-After seconds */
        readonly 503: {
          headers: {
            readonly [name: string]: unknown;
          };
          content: {
            readonly "application/json": components["schemas"]["Error"];
          };
        };
      };
    };
    readonly put?: never;
    readonly post?: never;
    readonly delete?: never;
    readonly options?: never;
    readonly head?: never;
    readonly patch?: never;
    readonly trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    readonly Health: {
      /** @enum {string} */
      readonly status: "ok" | "unavailable";
    };
    readonly CustomerToken: {
      readonly token: string;
      readonly expiresAt: string;
    };
    readonly Error: {
      readonly error: {
        /** @example insufficient_credits */
        readonly code: string;
        /** @example 300 available, 500 requested */
        readonly message: string;
        readonly requestId: string;
      };
    };
    readonly CustomerTokenRequest: {
      readonly customerId: string;
      readonly ttlSeconds?: number;
    };
    readonly Customer: {
      readonly id: string;
      readonly plan: string | null;
      readonly email: string | null;
      readonly displayName: string | null;
      readonly signedUpAt: string | null;
      readonly lastActiveAt: string | null;
      readonly attributes: {
        readonly [key: string]: unknown;
      };
      readonly overflowAllowed: boolean;
      readonly createdAt: string;
      readonly updatedAt: string;
    };
    readonly CustomerRequest: {
      /** @example pro */
      readonly plan?: string | null;
      readonly email?: string | null;
      readonly displayName?: string | null;
      /**
       * Format: date-time
       * @example 2026-06-11T09:00:00Z
       */
      readonly signedUpAt?: string | null;
      /**
       * Format: date-time
       * @example 2026-06-11T09:00:00Z
       */
      readonly lastActiveAt?: string | null;
      readonly attributes?: {
        readonly [key: string]: unknown;
      };
      /** @description Whether usage past the plan's windows may be paid in credits */
      readonly overflowAllowed?: boolean;
    };
    readonly CustomerWithCredits: components["schemas"]["Customer"] & {
      readonly credits: components["schemas"]["CreditsSummary"];
    };
    readonly CreditsSummary: {
      /** @description What can be spent now: live lots, minus holds */
      readonly available: number;
      readonly held: number;
      readonly byKind: {
        readonly purchased: number;
        readonly promotional: number;
        readonly gifted: number;
        readonly referral: number;
        readonly compensation: number;
      };
    };
    readonly GrantAnswer: {
      /** @enum {string} */
      readonly type: "grant";
      readonly transferId: string;
      readonly lotId: string;
      readonly available: number;
    };
    readonly GrantRequest: {
      /**
       * @description Minor credit units
       * @example 500
       */
      readonly amount: number;
      /** @enum {string} */
      readonly kind: "purchased" | "promotional" | "compensation";
      /**
       * Format: date-time
       * @example 2026-06-11T09:00:00Z
       */
      readonly expiresAt?: string | null;
      /**
       * Format: date-time
       * @example 2026-06-11T09:00:00Z
       */
      readonly effectiveAt?: string | null;
      /** @description Lower spends first; the kind's default when left out */
      readonly priority?: number;
      readonly reason?: string | null;
    };
    readonly Balance: {
      readonly customerId: string;
      /** @description The instant the balance describes */
      readonly at: string;
      /** @description What the wallet's entries sum to: held credits and expired ones not yet swept included */
      readonly posted: number;
      readonly credits: components["schemas"]["CreditsSummary"];
      /** @description Open lots in burn-down order: the first is spent first */
      readonly lots: readonly components["schemas"]["Lot"][];
      /** @description The plan's windows as they stand now; left out for a past instant */
      readonly windows?: readonly components["schemas"]["WindowLine"][];
      readonly resets?: components["schemas"]["ResetsSummary"];
    };
    readonly Lot: {
      readonly id: string;
      /** @enum {string} */
      readonly kind: "purchased" | "promotional" | "gifted" | "referral" | "compensation";
      readonly amount: number;
      readonly remaining: number;
      readonly held: number;
      readonly available: number;
      readonly priority: number;
      readonly effectiveAt: string;
      readonly expiresAt: string | null;
      readonly transferable: boolean;
      /** @enum {string} */
      readonly status: "active" | "pending" | "expired";
    };
    readonly WindowLine: {
      /** @example messages/5h */
      readonly windowId: string;
      readonly meter: string;
      readonly window: string;
      /** @enum {string} */
      readonly kind: "fixed" | "rolling" | "calendar";
      readonly used: number;
      readonly limit: number;
      readonly remaining: number;
      readonly resetsAt: string | null;
    };
    /** @description Banked resets that can be redeemed now; left out for a past instant */
    readonly ResetsSummary: {
      /** @description Banked resets that can be redeemed now */
      readonly available: number;
      readonly nextExpiresAt: string | null;
    };
    readonly LedgerPage: {
      readonly data: readonly components["schemas"]["LedgerEntry"][];
      /** @description Pass as `cursor` for the next page; null at the end */
      readonly nextCursor: string | null;
    };
    readonly LedgerEntry: {
      readonly entryId: string;
      readonly transferId: string;
      /** @enum {string} */
      readonly kind:
        | "grant"
        | "consume"
        | "capture"
        | "expire"
        | "reverse"
        | "clawback"
        | "gift_fund"
        | "gift_send"
        | "gift_claim"
        | "gift_return"
        | "refund"
        | "restore";
      readonly lotId: string | null;
      /** @enum {string|null} */
      readonly lotKind: "purchased" | "promotional" | "gifted" | "referral" | "compensation" | null;
      /** @description Signed: positive credits the wallet, negative debits it */
      readonly amount: number;
      readonly reason: string | null;
      readonly reversesTransferId: string | null;
      readonly holdId: string | null;
      readonly createdAt: string;
    };
    readonly DebitAnswer: {
      /** @enum {string} */
      readonly type: "consume";
      readonly transferId: string;
      readonly amount: number;
      /** @description The lots the debit drew, in burn-down order */
      readonly draws: readonly components["schemas"]["Draw"][];
      readonly available: number;
    };
    readonly Draw: {
      readonly lotId: string;
      /** @enum {string} */
      readonly kind: "purchased" | "promotional" | "gifted" | "referral" | "compensation";
      readonly amount: number;
    };
    readonly DebitRequest: {
      /**
       * @description Minor credit units
       * @example 120
       */
      readonly amount: number;
      readonly reason?: string | null;
    };
    readonly HoldAnswer: {
      /** @enum {string} */
      readonly type: "hold";
      readonly hold: components["schemas"]["Hold"];
      readonly available: number;
    };
    readonly Hold: {
      readonly id: string;
      readonly customerId: string;
      readonly amount: number;
      readonly captured: number;
      /** @enum {string} */
      readonly status: "pending" | "captured" | "voided" | "expired";
      readonly createdAt: string;
      /** @description When the hold is released if neither captured nor voided */
      readonly expiresAt: string;
    };
    readonly HoldRequest: {
      /**
       * @description Minor credit units
       * @example 300
       */
      readonly amount: number;
      /** @example 600 */
      readonly ttlSeconds: number;
    };
    readonly CaptureAnswer: {
      /** @enum {string} */
      readonly type: "capture";
      readonly hold: components["schemas"]["Hold"];
      readonly transferId: string;
      readonly draws: readonly components["schemas"]["Draw"][];
      readonly available: number;
    };
    readonly CaptureRequest: {
      /** @description At most the hold; the whole hold when left out */
      readonly amount?: number;
    };
    readonly VoidAnswer: {
      /** @enum {string} */
      readonly type: "void";
      readonly hold: components["schemas"]["Hold"];
      readonly available: number;
    };
    readonly ReverseAnswer: {
      /** @enum {string} */
      readonly type: "reverse";
      readonly transferId: string;
      readonly reversesTransferId: string;
    };
    readonly ReverseRequest: {
      readonly reason?: string | null;
    };
    readonly UsageAnswer: {
      /** @enum {string} */
      readonly type: "authorize";
      readonly allowed: boolean;
      /** @enum {string|null} */
      readonly code: "limit_reached" | "insufficient_credits" | null;
      readonly message: string | null;
      readonly chargeId: string | null;
      readonly planId: string;
      readonly planVersion: number;
      /** @enum {string|null} */
      readonly paidBy: "windows" | "credits" | null;
      readonly charged: {
        readonly windows: readonly {
          readonly windowId: string;
          readonly units: number;
        }[];
        readonly credits: number;
      };
      readonly transferId: string | null;
      readonly draws: readonly {
        readonly lotId: string;
        readonly kind: string;
        readonly amount: number;
      }[];
      readonly blockedWindowId: string | null;
      readonly resetsAt: string | null;
      readonly windows: readonly components["schemas"]["WindowLine"][];
      readonly credits: {
        readonly available: number;
      };
    };
    readonly UsageRequest: {
      readonly customerId: string;
      /** @example message */
      readonly action: string;
      /** @default 1 */
      readonly quantity?: number;
    };
    readonly PlanSaved: components["schemas"]["Plan"] & {
      /** @description False when the spec equals the current version's */
      readonly created: boolean;
    };
    /**
     * @description `meters` (per meter, a list of windows: `window`, `kind` fixed, rolling or calendar, `duration` or `unit`, `allowance`), `actions` (per action, `costs` per meter and an optional `creditPriceMinor`) and an optional `lowCreditsMinor`
     * @example {
     *       "lowCreditsMinor": 500,
     *       "meters": {
     *         "messages": [
     *           {
     *             "window": "5h",
     *             "kind": "fixed",
     *             "duration": "5h",
     *             "allowance": 200
     *           },
     *           {
     *             "window": "weekly",
     *             "kind": "calendar",
     *             "unit": "week",
     *             "timeZone": "UTC",
     *             "allowance": 2000
     *           }
     *         ]
     *       },
     *       "actions": {
     *         "message": {
     *           "costs": {
     *             "messages": 1
     *           },
     *           "creditPriceMinor": 10
     *         }
     *       }
     *     }
     */
    readonly PlanSpec: {
      readonly [key: string]: unknown;
    };
    readonly Plan: {
      readonly id: string;
      /** @description 1 for the first version; past charges keep theirs */
      readonly version: number;
      readonly createdAt: string;
      readonly spec: components["schemas"]["PlanSpec"];
    };
    readonly PlanList: {
      readonly data: readonly components["schemas"]["Plan"][];
    };
    readonly PlanVersions: {
      readonly data: readonly components["schemas"]["Plan"][];
    };
    readonly UsageHistory: {
      readonly customerId: string;
      readonly planId: string | null;
      readonly planVersion: number | null;
      readonly overflowAllowed: boolean;
      readonly windows: readonly components["schemas"]["WindowLine"][];
      readonly resets: components["schemas"]["ResetsSummary"] & {
        readonly tokens: readonly components["schemas"]["BankedReset"][];
      };
      /** @description Newest first */
      readonly charges: readonly components["schemas"]["UsageCharge"][];
      /** @description Pass as `cursor` for the next page of charges; null at the end */
      readonly nextCursor: string | null;
    };
    readonly BankedReset: {
      /** @example rst_0190f3c2a1b27c3d8e9f0a1b2c3d4e5f */
      readonly id: string;
      /** @description The window ids it restarts; null for every window of the plan */
      readonly windows: readonly string[] | null;
      readonly source: string;
      readonly expiresAt: string;
    };
    readonly UsageCharge: {
      readonly id: string;
      readonly planId: string;
      /** @description The plan version the charge was made under */
      readonly planVersion: number;
      readonly action: string;
      readonly quantity: number;
      /** @enum {string} */
      readonly paidBy: "windows" | "credits";
      readonly windows: readonly {
        readonly windowId: string;
        readonly units: number;
      }[];
      readonly credits: number;
      readonly transferId: string | null;
      readonly createdAt: string;
    };
    readonly GrantResetAnswer: {
      /** @enum {string} */
      readonly type: "grant_reset";
      /** @description Pass to redeem to spend this very reset */
      readonly resetId: string;
      readonly expiresAt: string;
      readonly resets: components["schemas"]["ResetsSummary"];
    };
    readonly GrantResetRequest: {
      /**
       * @description Window ids (`meter/window`); every window of the plan when left out
       * @example [
       *       "messages/5h"
       *     ]
       */
      readonly windows?: readonly string[];
      /**
       * Format: date-time
       * @example 2026-06-11T09:00:00Z
       */
      readonly expiresAt?: string;
      /**
       * @description Why the customer holds it; operator by default
       * @enum {string}
       */
      readonly source?: "operator" | "program" | "purchase";
      readonly reason?: string;
    };
    readonly RedeemResetAnswer: {
      /** @enum {string} */
      readonly type: "redeem_reset";
      readonly resetId: string;
      /** @description The windows it restarted */
      readonly windowIds: readonly string[];
      readonly windows: readonly components["schemas"]["WindowLine"][];
      readonly resets: components["schemas"]["ResetsSummary"];
    };
    readonly RedeemResetRequest: {
      /** @description A particular banked reset; the one expiring soonest when left out */
      readonly resetId?: string;
    };
    readonly BulkReset: {
      readonly id: string;
      readonly actor: string;
      readonly reason: string;
      readonly planId: string | null;
      readonly customerIds: readonly string[] | null;
      /** @description Null for every window */
      readonly windowIds: readonly string[] | null;
      /** @description Customers in scope */
      readonly customers: number;
      /** @description Window rows restarted among them */
      readonly windows: number;
      readonly createdAt: string;
    };
    /** @description Name either `plan` or `customerIds`, not both */
    readonly BulkResetRequest: {
      /**
       * @description Every customer on this plan
       * @example pro
       */
      readonly plan?: string;
      /** @description These customers */
      readonly customerIds?: readonly string[];
      /**
       * @description Window ids (`meter/window`); every window of the plan when left out
       * @example [
       *       "messages/5h"
       *     ]
       */
      readonly windows?: readonly string[];
      readonly reason: string;
      /** @description Who asks, as a person's name; the calling key's id is recorded with it */
      readonly actor?: string;
    };
    readonly BulkResetList: {
      readonly data: readonly components["schemas"]["BulkReset"][];
    };
    readonly WebhookEndpointCreated: components["schemas"]["WebhookEndpoint"] & {
      readonly secret: string;
    };
    readonly WebhookEndpoint: {
      readonly id: string;
      readonly url: string;
      readonly eventTypes: readonly string[] | null;
      readonly description: string | null;
      readonly createdAt: string;
      readonly disabledAt: string | null;
    };
    readonly WebhookDelivery: {
      readonly id: string;
      readonly endpointId: string;
      readonly eventId: string;
      readonly eventType: string;
      readonly customerId: string | null;
      /** @enum {string} */
      readonly status: "pending" | "delivered" | "failed";
      readonly attempts: number;
      readonly lastStatus: number | null;
      readonly lastError: string | null;
      readonly nextAttemptAt: string | null;
      readonly deliveredAt: string | null;
      readonly createdAt: string;
    };
    readonly ProgramSaved: components["schemas"]["Program"] & {
      /** @description False when the terms equal the current version's */
      readonly created: boolean;
    };
    /**
     * @description The terms with every default spelled out
     * @example {
     *       "status": "live",
     *       "senders": {
     *         "plans": [
     *           "pro"
     *         ]
     *       },
     *       "period": {
     *         "unit": "month"
     *       },
     *       "allowance": 500,
     *       "giftMin": 50,
     *       "giftMax": 500,
     *       "caps": {
     *         "sentPerPeriod": 5,
     *         "receivedPerPeriod": 3,
     *         "claimedEver": 10
     *       },
     *       "recipients": "new_or_lapsed",
     *       "lapsedAfterDays": 62,
     *       "claimWindow": "14d",
     *       "credits": {
     *         "expiresAfter": "90d",
     *         "priority": 10
     *       }
     *     }
     */
    readonly ProgramTerms: {
      readonly [key: string]: unknown;
    };
    readonly Program: {
      readonly id: string;
      /** @enum {string} */
      readonly type: "gifting" | "referral";
      /** @description 1 for the first version; gifts and referrals keep theirs */
      readonly version: number;
      readonly createdAt: string;
      readonly terms: components["schemas"]["ProgramTerms"];
    };
    /**
     * @example {
     *       "id": "june-pilot",
     *       "type": "referral",
     *       "terms": {
     *         "status": "live",
     *         "window": {
     *           "opensAt": "2026-06-11T00:00:00Z",
     *           "closesAt": "2026-06-25T00:00:00Z"
     *         },
     *         "audience": {
     *           "plans": [
     *             "plus",
     *             "pro"
     *           ]
     *         },
     *         "invites": {
     *           "perReferrer": 3
     *         },
     *         "invitees": {
     *           "eligibility": "lapsed",
     *           "lapsedAfterDays": 62
     *         },
     *         "qualifyingEvent": {
     *           "firstUsage": {
     *             "action": "message"
     *           }
     *         },
     *         "rewards": {
     *           "referrer": {
     *             "type": "reset",
     *             "expiresAfter": "30d"
     *           },
     *           "invitee": {
     *             "type": "reset",
     *             "expiresAfter": "30d"
     *           }
     *         }
     *       }
     *     }
     */
    readonly ProgramRequest: {
      /**
       * @description 1 to 64 of a-z, 0-9, _ and -
       * @example pro-gifts
       */
      readonly id: string;
      /**
       * @description The kind of program; a program keeps its kind, and ids are unique across kinds
       * @enum {string}
       */
      readonly type: "gifting" | "referral";
      readonly terms: components["schemas"]["ProgramTerms"] & unknown;
    };
    readonly ProgramList: {
      readonly data: readonly components["schemas"]["Program"][];
    };
    readonly Gift: {
      readonly id: string;
      readonly programId: string;
      readonly programVersion: number;
      readonly senderId: string;
      /** @enum {string} */
      readonly source: "allowance" | "gift_balance";
      readonly amount: number;
      /** @description What a person types, in groups (`7KQ2-M9XD-4HTB-R`); null in a gift as its recipient sees it */
      readonly code: string | null;
      /** @description The claim link to share; null in a gift as its recipient sees it */
      readonly url: string | null;
      /** @description Plain text, returned exactly as the sender wrote it (at most 280 characters). It is not HTML: render it escaped, as text, never as markup. */
      readonly message: string | null;
      readonly recipientEmail: string | null;
      /**
       * @description `pending` until claimed (`claimed`), held for an operator (`review`), taken back (`revoked`) or past its claim window (`expired`)
       * @enum {string}
       */
      readonly status: "pending" | "review" | "claimed" | "expired" | "revoked";
      /** @description The end of the claim window */
      readonly expiresAt: string;
      readonly createdAt: string;
      readonly recipientId: string | null;
      readonly claimedAt: string | null;
      readonly resolvedAt: string | null;
      /** @description The gifted lot in the recipient's wallet */
      readonly lotId: string | null;
      /** @description Why a claim waits for review; shown to server and admin keys only */
      readonly reviewReason: string | null;
    };
    readonly SendGiftRequest: {
      /** @example cus_42 */
      readonly senderId: string;
      /** @description Minor credit units, within the program's bounds */
      readonly amount: number;
      /**
       * @description `allowance` (the platform's gift allowance this period) or `gift_balance` (credits bought to be given); purchased credits are refused with `not_transferable`
       * @example allowance
       */
      readonly source: string;
      /** @description The gifting program; the one program open to the sender when left out */
      readonly programId?: string;
      /** @description Plain text, returned exactly as the sender wrote it (at most 280 characters). It is not HTML: render it escaped, as text, never as markup. */
      readonly message?: string | null;
      /** @description Whom the sender means the gift for: a hint shown to the sender only */
      readonly recipientEmail?: string | null;
      readonly signals?: components["schemas"]["GiftSignals"];
    };
    /** @description What the host product knows of the person's device and network, hashed (1 to 200 characters each). A claim sharing either with the gift's sender waits for an operator's review. */
    readonly GiftSignals: {
      /** @description A hash of the caller's device fingerprint */
      readonly device?: string;
      /** @description A hash of the caller's network address */
      readonly address?: string;
    };
    readonly GiftList: {
      readonly data: readonly components["schemas"]["Gift"][];
    };
    readonly GiftPreview: {
      readonly amount: number;
      /** @description The sender's display name, if any */
      readonly senderName: string | null;
      /** @description Plain text, returned exactly as the sender wrote it (at most 280 characters). It is not HTML: render it escaped, as text, never as markup. */
      readonly message: string | null;
      /** @enum {string} */
      readonly status: "pending";
      /** @description The end of the claim window */
      readonly expiresAt: string;
    };
    readonly ClaimGiftRequest: {
      /** @description Who claims: the gifted lot goes into this wallet */
      readonly customerId: string;
      readonly signals?: components["schemas"]["GiftSignals"];
    };
    readonly ReviewGiftRequest: {
      /**
       * @description `approve` delivers the gift to its claimer; `reject` returns its value to its source
       * @enum {string}
       */
      readonly decision: "approve" | "reject";
    };
    readonly CustomerGifts: {
      readonly customerId: string;
      /** @description Newest first, with their codes and links */
      readonly sent: readonly components["schemas"]["Gift"][];
      /** @description Newest first, without codes or links */
      readonly received: readonly components["schemas"]["Gift"][];
      /** @description Per gifting program open to the customer: this period's allowance */
      readonly allowances: readonly components["schemas"]["GiftAllowance"][];
      /** @description Credits bought to be given, not yet sent */
      readonly giftBalance: number;
      /** @description The gifting programs the customer may send under now, with their bounds */
      readonly offers: readonly components["schemas"]["GiftOffer"][];
    };
    readonly GiftAllowance: {
      readonly programId: string;
      /** @description What the program lets the customer give per period */
      readonly allowance: number;
      readonly used: number;
      readonly left: number;
      readonly sentCount: number;
      /** @description Gifts per period; null: no cap */
      readonly sentPerPeriod: number | null;
      readonly periodEndsAt: string;
    };
    /** @description A gifting program the customer may send under now. A gift from the allowance is valid from giftMin to the smaller of giftMax and allowanceLeft; from the gift balance, to the smaller of giftMax and giftBalance; either needs giftsLeft above 0 when it is not null. */
    readonly GiftOffer: {
      readonly programId: string;
      /** @description The smallest gift, in minor units */
      readonly giftMin: number;
      /** @description The largest gift, in minor units */
      readonly giftMax: number;
      /** @description What the allowance has left this period (0: gift balance only) */
      readonly allowanceLeft: number;
      /** @description Gifts the period's cap still allows; null: no cap */
      readonly giftsLeft: number | null;
      readonly periodEndsAt: string;
      /**
       * @description Who may claim: anyone, new or lapsed customers
       * @enum {string}
       */
      readonly recipients: "anyone" | "new" | "lapsed" | "new_or_lapsed";
      /** @description How long a recipient has to claim */
      readonly claimWindowSeconds: number;
    };
    readonly Invite: {
      /** @example inv_0190f3c2a1b27c3d8e9f0a1b2c3d4e5f */
      readonly id: string;
      readonly programId: string;
      readonly referrerId: string;
      /**
       * @description What a person types, in groups
       * @example 7KQ2-M9XD-4HTB-R
       */
      readonly code: string;
      /** @description The invite link to share: the landing page of the web pages */
      readonly url: string;
      readonly email: string | null;
      readonly createdAt: string;
    };
    readonly CreateInviteRequest: {
      /**
       * @description Who invites
       * @example cus_42
       */
      readonly referrerId: string;
      /** @description Whom the referrer means the invite for; an acceptance by the same mailbox goes to review */
      readonly email?: string | null;
      readonly signals?: components["schemas"]["InviteSignals"];
    };
    /** @description What the host product knows of the person's device and network, hashed. An acceptance sharing either with the invite's referrer waits for an operator's review. */
    readonly InviteSignals: {
      /** @description A hash of the caller's device fingerprint */
      readonly device?: string;
      /** @description A hash of the caller's network address */
      readonly address?: string;
    };
    readonly InvitePreview: {
      readonly programId: string;
      /** @description The referrer's display name, if any */
      readonly referrerName: string | null;
      readonly rewards: {
        readonly referrer: components["schemas"]["ReferralRewardTerms"];
        readonly invitee: components["schemas"]["ReferralRewardTerms"] & unknown;
      };
      /** @description When the program closes; null: no end set */
      readonly closesAt: string | null;
    };
    /** @description What the referrer gets; null: nothing */
    readonly ReferralRewardTerms: {
      /** @enum {string} */
      readonly type: "reset" | "credits";
      /** @description For a reset: the window ids it restarts; null for every window of the plan */
      readonly windows?: readonly string[] | null;
      /** @description How long the reward lasts once granted, e.g. 30d; null: never expires */
      readonly expiresAfter: string | null;
      /** @description For credits: minor credit units */
      readonly amount?: number;
      /** @description For credits: the lot's burn-down priority */
      readonly priority?: number;
    } | null;
    readonly Referral: {
      /** @example ref_0190f3c2a1b27c3d8e9f0a1b2c3d4e5f */
      readonly id: string;
      readonly programId: string;
      /** @description The program version it was accepted under */
      readonly programVersion: number;
      readonly inviteId: string;
      readonly referrerId: string;
      readonly inviteeId: string;
      /**
       * @description `accepted` until the invitee performs the qualifying action (`qualified`); `review` while an operator decides on a look-alike acceptance, `rejected` if they refuse it
       * @enum {string}
       */
      readonly state: "accepted" | "review" | "qualified" | "rejected";
      /**
       * @description What the invitee was when accepting
       * @enum {string}
       */
      readonly segment: "new" | "lapsed" | "active";
      readonly acceptedAt: string;
      readonly qualifiedAt: string | null;
      /** @description Why the acceptance waits for review */
      readonly reviewReason: string | null;
    };
    readonly AcceptInviteRequest: {
      /**
       * @description The invitee: the customer who accepts
       * @example cus_7
       */
      readonly customerId: string;
      readonly signals?: components["schemas"]["InviteSignals"];
    };
    readonly ProductEventAnswer: {
      /** @description How many of the customer's referrals this event qualified */
      readonly qualified: number;
    };
    readonly ProductEventRequest: {
      /** @example cus_7 */
      readonly customerId: string;
      /**
       * @description a-z, 0-9, _, . and -, starting with a letter or digit
       * @example first_message
       */
      readonly name: string;
      /**
       * Format: date-time
       * @description When it happened; now when left out
       * @example 2026-06-11T09:00:00Z
       */
      readonly at?: string;
    };
    readonly CustomerReferrals: {
      readonly customerId: string;
      /** @description The invites the customer made, newest first */
      readonly invites: readonly components["schemas"]["Invite"][];
      /** @description The customer's referrals, as referrer or as invitee, newest first */
      readonly referrals: readonly components["schemas"]["Referral"][];
      /** @description As referrer and as invitee, in every program */
      readonly rewards: readonly components["schemas"]["ReferralReward"][];
      /** @description The referral programs the customer may invite in now: open to them (live, or a hidden pilot of one of their cohorts, within its window) with them in its audience; listed even when the caps are used up */
      readonly offers: readonly components["schemas"]["ReferralOffer"][];
    };
    readonly ReferralReward: {
      /** @example rwd_0190f3c2a1b27c3d8e9f0a1b2c3d4e5f */
      readonly id: string;
      readonly referralId: string;
      readonly programId: string;
      readonly inviteeId: string;
      /**
       * @description Which side of the referral it rewards
       * @enum {string}
       */
      readonly side: "referrer" | "invitee";
      /** @description Who gets it */
      readonly customerId: string;
      /**
       * @description `pending` through the program's hold, then `granted`; `canceled` when the program's budget was spent; `reversed` when an operator took it back; `review_required` while one decides
       * @enum {string}
       */
      readonly state: "pending" | "review_required" | "granted" | "reversed" | "canceled";
      /** @enum {string} */
      readonly kind: "reset" | "credits";
      /** @description For credits: minor credit units */
      readonly amount: number | null;
      /** @description When the hold ends and the reward is granted */
      readonly dueAt: string;
      readonly createdAt: string;
      readonly grantedAt: string | null;
      readonly resolvedAt: string | null;
      /** @description The banked reset it granted */
      readonly resetTokenId: string | null;
      /** @description The referral credits lot it granted */
      readonly lotId: string | null;
      /** @description For a reversed reward: what was taken back (credits, or 1 for an unredeemed reset) */
      readonly recovered: number | null;
      /** @description For a reversed reward: what had already been used and could not be taken back */
      readonly unrecovered: number | null;
      /** @description Why it was canceled or reversed */
      readonly reason: string | null;
    };
    readonly ReferralOffer: {
      readonly programId: string;
      /** @description When the program closes; null: no end set */
      readonly endsAt: string | null;
      readonly rewards: {
        readonly referrer: components["schemas"]["ReferralRewardTerms"];
        readonly invitee: components["schemas"]["ReferralRewardTerms"] & unknown;
      };
      /**
       * @description Whom the program counts as a friend to invite
       * @enum {string}
       */
      readonly invitees: "new" | "lapsed" | "new_or_lapsed" | "anyone";
      /** @description Invites per referrer; null: no cap */
      readonly invitesPerReferrer: number | null;
      /** @description Invites per referrer per period; null: no cap */
      readonly invitesPerPeriod: number | null;
      /** @description Invites the customer made in the program */
      readonly invitesUsed: number;
      /** @description What the caps still allow now; null when the program has no cap */
      readonly invitesLeft: number | null;
    };
    readonly ReferralList: {
      readonly data: readonly components["schemas"]["Referral"][];
    };
    readonly ReviewReferralRequest: {
      /**
       * @description `approve` attributes the invitee (the referral is `accepted` and may qualify); `reject` drops it
       * @enum {string}
       */
      readonly decision: "approve" | "reject";
    };
    readonly ReverseRewardRequest: {
      /**
       * @description Why: kept on the reward and in the audit trail
       * @example invitee refunded
       */
      readonly reason: string;
    };
    readonly RewardReviewRequest: {
      /**
       * @description `hold` a pending reward (review_required); `approve` it back to pending; `reject` cancels it
       * @enum {string}
       */
      readonly action: "hold" | "approve" | "reject";
      readonly reason?: string;
    };
    readonly ReferralStats: {
      readonly programId: string;
      /**
       * @description Where the program stands now: draft, scheduled, hidden, live or ended
       * @example live
       */
      readonly phase: string;
      readonly funnel: components["schemas"]["ReferralFunnel"];
      readonly budget: {
        /** @description The credits budget; null: no limit */
        readonly credits: number | null;
        /** @description The resets budget; null: no limit */
        readonly resets: number | null;
        readonly givenCredits: number;
        readonly givenResets: number;
        /** @description True once the program stopped rewarding for lack of budget */
        readonly exhausted: boolean;
      };
      /** @description What the program gave per customer it acquired (an average: not integral) */
      readonly costPerAcquired: {
        /** @description Credits given per qualified invitee; null before the first */
        readonly credits: number | null;
        /** @description Resets given per qualified invitee; null before the first */
        readonly resets: number | null;
      };
      /** @description Invites per referrer × acceptance-to-qualify conversion, over the whole program */
      readonly viralCoefficient: number | null;
      /** @description Weekly cohorts, by the week invites were made */
      readonly weeks: readonly components["schemas"]["ReferralWeek"][];
    };
    readonly ReferralFunnel: {
      /** @description Invites made */
      readonly invitesCreated: number;
      /** @description Invites whose landing data was read at least once */
      readonly invitesOpened: number;
      /** @description Customers who made at least one invite */
      readonly referrers: number;
      /** @description Acceptances attributed (accepted or qualified; not those in review or rejected) */
      readonly accepted: number;
      /** @description Acceptances waiting for an operator */
      readonly inReview: number;
      /** @description Acceptances an operator rejected */
      readonly rejected: number;
      /** @description Invitees who performed the qualifying action */
      readonly qualified: number;
      /** @description Referrals with at least one reward granted (or granted, then reversed) */
      readonly rewarded: number;
      /** @description Rewards granted, per side */
      readonly rewardsGranted: number;
      /** @description Rewards waiting for the hold to end, or for review */
      readonly rewardsPending: number;
      /** @description Rewards canceled because the budget was spent */
      readonly rewardsCanceled: number;
      /** @description Rewards that found the budget spent when they came due */
      readonly rewardsOverBudget: number;
      /** @description Rewards taken back */
      readonly rewardsReversed: number;
    };
    readonly ReferralWeek: {
      /** @description The start of the week the cohort's invites were made */
      readonly weekStartAt: string;
      readonly referrers: number;
      readonly invites: number;
      readonly accepted: number;
      readonly qualified: number;
      /** @description invites / referrers; null without referrers */
      readonly invitesPerReferrer: number | null;
      /** @description qualified / accepted; null without acceptances */
      readonly acceptedToQualified: number | null;
      /** @description invitesPerReferrer × acceptedToQualified */
      readonly viralCoefficient: number | null;
    };
    readonly GiftingReport: {
      readonly from: string;
      readonly to: string;
      readonly programs: readonly components["schemas"]["GiftingReportLine"][];
    };
    readonly GiftingReportLine: {
      readonly programId: string;
      readonly sent: number;
      readonly pending: number;
      readonly review: number;
      readonly claimed: number;
      readonly expired: number;
      readonly revoked: number;
      /** @description Value sent, in minor units */
      readonly sentValue: number;
      readonly pendingValue: number;
      readonly reviewValue: number;
      readonly claimedValue: number;
      readonly expiredValue: number;
      readonly revokedValue: number;
      /** @description Claimed over settled gifts (claimed, expired or revoked); null before any settled */
      readonly claimRate: number | null;
      /** @description Median time from sending to claim */
      readonly claimSecondsMedian: number | null;
      readonly claimSecondsP90: number | null;
      readonly recipientsNew: number;
      readonly recipientsLapsed: number;
      readonly recipientsActive: number;
      /** @description Of the recipients, the share who were new or lapsed when they claimed */
      readonly newOrLapsedShare: number | null;
      /** @description What recipients went on to spend of claimed gifts */
      readonly usedValue: number;
      /** @description Of the claimed value, the share recipients spent */
      readonly usedShare: number | null;
      /** @description What of claimed gifts expired unspent */
      readonly lapsedValue: number;
    };
    readonly LiabilityReport: {
      readonly from: string;
      readonly to: string;
      /** @enum {string} */
      readonly bucket: "day" | "week";
      readonly timeZone: string;
      readonly points: readonly components["schemas"]["LiabilityPoint"][];
    };
    readonly LiabilityPoint: {
      /** @description The end of a bucket: the instant the amounts stood at */
      readonly at: string;
      readonly byKind: components["schemas"]["KindAmounts"];
      /** @description Credits bought to be given, not yet sent */
      readonly giftBalance: number;
      /** @description Gifts sent, not yet claimed, expired or revoked */
      readonly giftEscrow: number;
      /** @description byKind, giftBalance and giftEscrow together */
      readonly total: number;
    };
    /** @description Unexpired, unspent credits in wallets (held included) */
    readonly KindAmounts: {
      readonly purchased: number;
      readonly promotional: number;
      readonly gifted: number;
      readonly referral: number;
      readonly compensation: number;
    };
    readonly BreakageReport: {
      readonly from: string;
      readonly to: string;
      /** @enum {string} */
      readonly bucket: "day" | "week";
      readonly timeZone: string;
      readonly points: readonly components["schemas"]["BreakagePoint"][];
      /** @description What expired unused in (from, to] */
      readonly expired: {
        readonly byKind: components["schemas"]["KindAmounts"] & unknown;
        readonly total: number;
      };
      /** @description What lots granted in (from, to] held when granted */
      readonly granted: {
        readonly byKind: components["schemas"]["KindAmounts"] & unknown;
        readonly total: number;
      };
      /** @description expired / granted over the range, truncated to six decimals; null when nothing was granted. Lots granted before the range may expire in it, so the rate of a short range can exceed 1. */
      readonly rate: number | null;
      /** @description The rate per kind of lot */
      readonly rateByKind: {
        /** @description The rate of purchased credits */
        readonly purchased: number | null;
        /** @description The rate of promotional credits */
        readonly promotional: number | null;
        /** @description The rate of gifted credits */
        readonly gifted: number | null;
        /** @description The rate of referral credits */
        readonly referral: number | null;
        /** @description The rate of compensation credits */
        readonly compensation: number | null;
      };
    };
    readonly BreakagePoint: {
      /** @description The bucket covers (startsAt, endsAt] */
      readonly startsAt: string;
      readonly endsAt: string;
      readonly byKind: components["schemas"]["KindAmounts"] & unknown;
      readonly total: number;
    };
    readonly UsageReport: {
      /** @description The instant the windows were read at */
      readonly at: string;
      readonly plans: readonly {
        readonly planId: string;
        readonly planVersion: number;
        /** @description Customers on the plan */
        readonly customers: number;
        readonly windows: readonly components["schemas"]["UsageWindowReport"][];
      }[];
    };
    readonly UsageWindowReport: {
      /** @example messages/5h */
      readonly windowId: string;
      readonly meter: string;
      readonly window: string;
      /** @enum {string} */
      readonly kind: "fixed" | "rolling" | "calendar";
      /** @description The window's allowance, in the meter's units */
      readonly limit: number;
      /** @description Customers with anything used in the window now */
      readonly customersWithUsage: number;
      /** @description Of those, the customers who used all of it */
      readonly atLimit: number;
      /** @description Customers with usage by used share of the limit: [0, 25), [25, 50), [50, 75), [75, 100) percent, then 100 to 100 for those at the limit */
      readonly bands: readonly {
        readonly fromPercent: number;
        readonly toPercent: number;
        readonly customers: number;
      }[];
    };
    readonly ReferralsReport: {
      readonly programs: readonly {
        readonly programId: string;
        /**
         * @description The status its terms set: draft, hidden, live or ended (stats.phase says where it stands now)
         * @example live
         */
        readonly status: string;
        readonly stats: components["schemas"]["ReferralStats"];
      }[];
    };
    readonly CustomerList: {
      /** @description Ordered by id */
      readonly data: readonly components["schemas"]["CustomerListItem"][];
      /** @description Pass as cursor for the next page; null at the end */
      readonly nextCursor: string | null;
    };
    readonly CustomerListItem: {
      readonly id: string;
      readonly plan: string | null;
      readonly email: string | null;
      readonly displayName: string | null;
      readonly signedUpAt: string | null;
      readonly lastActiveAt: string | null;
      readonly credits: components["schemas"]["CreditsSummary"];
    };
    readonly BundleList: {
      readonly data: readonly components["schemas"]["Bundle"][];
    };
    /** @description A credit pack: its terms with every default spelled out */
    readonly Bundle: {
      readonly id: string;
      /** @description 1 for the first; purchases keep theirs */
      readonly version: number;
      readonly createdAt: string;
      readonly name: string;
      readonly credits: number;
      readonly bonusCredits: number;
      readonly bonusExpiresAfter: string | null;
      readonly bonusPriority: number;
      readonly price: number;
      readonly currency: string;
      readonly giftable: boolean;
      /** @enum {string} */
      readonly status: "active" | "retired";
      readonly purchasedExpiresAfter: string | null;
    };
    /** @description A credit pack: its terms with every default spelled out */
    readonly BundleSaved: components["schemas"]["Bundle"] & {
      /** @description False when the terms equal the current version's */
      readonly created: boolean;
    };
    /**
     * @example {
     *       "name": "Team pack",
     *       "credits": 5000,
     *       "bonusCredits": 500,
     *       "bonusExpiresAfter": "90d",
     *       "bonusPriority": 10,
     *       "price": 4000,
     *       "currency": "usd",
     *       "giftable": true,
     *       "status": "active"
     *     }
     */
    readonly BundleTerms: {
      /** @description What the customer sees, 1 to 100 characters */
      readonly name: string;
      /** @description Purchased credits, in minor units */
      readonly credits: number;
      /** @description Promotional credits on top, in minor units (default 0) */
      readonly bonusCredits?: number;
      /**
       * @description How long the bonus lasts (required with a bonus), such as 90d
       * @example 90d
       */
      readonly bonusExpiresAfter?: string | null;
      /** @description The bonus lot's burn-down priority (lower spends first) */
      readonly bonusPriority?: number;
      /** @description In the currency's minor units (cents) */
      readonly price: number;
      /**
       * @description ISO 4217, lower case
       * @example usd
       */
      readonly currency: string;
      /** @description Whether it can be bought as a gift */
      readonly giftable?: boolean;
      /**
       * @description `active` (default) or `retired`
       * @enum {string}
       */
      readonly status?: "active" | "retired";
      /**
       * @description When purchased credits expire: null (default) for never, else at least 1827d (five years)
       * @example 90d
       */
      readonly purchasedExpiresAfter?: string | null;
    };
    readonly CheckoutSession: {
      /** @example pur_0190... */
      readonly purchaseId: string;
      /**
       * @description The payment provider's session
       * @example cs_test_a1...
       */
      readonly sessionId: string;
      /** @description The payment page to send the buyer to */
      readonly url: string;
    };
    readonly CheckoutRequest: {
      /**
       * @description The buyer
       * @example cus_42
       */
      readonly customerId: string;
      /** @example team */
      readonly bundleId: string;
      /** @description Buy it to give: the credits go to the buyer's gift balance, to send with `POST /v1/gifts` (`source: gift_balance`); an unclaimed gift comes back as purchased credits */
      readonly asGift?: boolean;
      /**
       * @description The currency the buyer expects to pay in; refused when the bundle is priced in another
       * @example usd
       */
      readonly currency?: string;
      /** @description Where the payment page returns after paying (default: the usage page); {CHECKOUT_SESSION_ID} is replaced by the session id */
      readonly successUrl?: string;
      /** @description Where the payment page returns when the buyer gives up (default: the usage page) */
      readonly cancelUrl?: string;
    };
    readonly PaymentWebhookAnswer: {
      /** @enum {boolean} */
      readonly received: true;
      readonly eventId: string;
      /** @enum {string} */
      readonly outcome:
        | "granted"
        | "already_completed"
        | "review"
        | "unpaid"
        | "unknown_purchase"
        | "deferred"
        | "refunded"
        | "disputed"
        | "dispute_won"
        | "dispute_lost"
        | "expired"
        | "failed"
        | "no_change"
        | "ignored";
      readonly purchaseId: string | null;
      /** @description True when this event was handled before: nothing changed */
      readonly replayed: boolean;
      readonly message: string;
    };
    readonly ProviderEvent: {
      readonly [key: string]: unknown;
    };
    readonly PurchaseList: {
      readonly data: readonly components["schemas"]["Purchase"][];
    };
    readonly Purchase: {
      readonly id: string;
      readonly customerId: string;
      readonly bundleId: string;
      /** @description The bundle's terms it was bought under */
      readonly bundleVersion: number;
      readonly asGift: boolean;
      /** @description Purchased credits, in minor units */
      readonly credits: number;
      /** @description Promotional bonus credits, in minor units */
      readonly bonus: number;
      /** @description In the currency's minor units */
      readonly price: number;
      readonly currency: string;
      /**
       * @description `pending` until paid; `paid` (granted); `review` (the payment did not match: nothing granted); `refunded` or `disputed` (granted, then taken back as far as unspent); `expired` (the checkout ended unpaid) or `failed` (a delayed payment failed): nothing charged, and a payment reported later still grants it
       * @enum {string}
       */
      readonly state: "pending" | "paid" | "review" | "refunded" | "disputed" | "expired" | "failed";
      readonly sessionId: string | null;
      readonly checkoutUrl: string | null;
      readonly paymentIntentId: string | null;
      readonly createdAt: string;
      readonly paidAt: string | null;
      readonly grantTransferId: string | null;
      /** @description The purchased lot (null for a gift purchase) */
      readonly lotId: string | null;
      readonly bonusLotId: string | null;
      /** @description Money refunded, in minor units. A dispute's money is not in it: a disputed purchase's state says so, and the revenue report counts it */
      readonly refunded: number;
      /** @description Credits taken back */
      readonly recovered: number;
      /** @description Credits already spent when taken back */
      readonly unrecovered: number;
      readonly reviewReason: string | null;
      readonly reviewOpenedAt: string | null;
      readonly reviewResolvedAt: string | null;
      /** @enum {string|null} */
      readonly reviewDecision: "grant" | "close" | "refund" | null;
      /** @description When the checkout stops taking payment */
      readonly checkoutExpiresAt: string;
      /** @description When the customer completed the checkout with a payment still clearing (a bank debit) */
      readonly sessionCompletedAt: string | null;
      /** @description The provider's refund an operator made from the review queue */
      readonly refundId: string | null;
    };
    readonly ReviewPurchaseRequest: {
      /**
       * @description `close` takes the purchase off the queue; `grant` also grants a payment that did not match its price, once checked (never one a refund or dispute reached); `refund` has the payment provider give back all that is left of the payment (at most once per purchase), and the refund's event takes back the credits it answers for
       * @enum {string}
       */
      readonly decision: "grant" | "close" | "refund";
    };
    readonly RevenueReport: {
      readonly from: string;
      readonly to: string;
      /** @enum {string} */
      readonly bucket: "day" | "week";
      readonly timeZone: string;
      readonly buckets: readonly components["schemas"]["RevenueBucket"][];
      readonly totals: {
        readonly revenue: components["schemas"]["CurrencyAmounts"] & unknown;
        readonly refunds: components["schemas"]["CurrencyAmounts"] & unknown;
        readonly disputes: components["schemas"]["CurrencyAmounts"] & unknown;
        readonly reinstated: components["schemas"]["CurrencyAmounts"] & unknown;
        readonly net: components["schemas"]["CurrencyAmounts"] & unknown;
        readonly purchases: number;
        readonly refundEvents: number;
        readonly disputeEvents: number;
      };
      /** @description Deferred revenue at `to`: purchased credits not yet consumed, bought for oneself or as gifts */
      readonly deferred: {
        readonly at: string;
        readonly revenue: components["schemas"]["CurrencyAmounts"] & unknown;
        readonly credits: components["schemas"]["CurrencyAmounts"] & unknown;
        /** @description The part bought as gifts (in gift balances, in escrow, or in lots made from bought gifts), valued at each buyer's average gift price per credit, never above the money kept */
        readonly gifts: {
          readonly revenue: components["schemas"]["CurrencyAmounts"] & unknown;
          readonly credits: components["schemas"]["CurrencyAmounts"] & unknown;
        };
      };
    };
    readonly RevenueBucket: {
      readonly start: string;
      readonly end: string;
      readonly revenue: components["schemas"]["CurrencyAmounts"];
      readonly refunds: components["schemas"]["CurrencyAmounts"] & unknown;
      readonly disputes: components["schemas"]["CurrencyAmounts"] & unknown;
      readonly reinstated: components["schemas"]["CurrencyAmounts"] & unknown;
      /** @description Purchases paid in the bucket */
      readonly purchases: number;
    };
    /**
     * @description Paid purchases' prices, counted when paid
     * @example {
     *       "usd": 4000
     *     }
     */
    readonly CurrencyAmounts: {
      readonly [key: string]: number;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
