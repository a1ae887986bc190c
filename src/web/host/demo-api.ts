/**
 * Calls to the demo host's backend (`/demo/api/...`): the stand-in for the product that embeds Boon.
 * It signs demo customers in (a customer token), sends their chat messages (`POST /v1/usage` with its
 * key), accepts invites for them and tops up their credits.
 */
import { BoonError, type Schema } from "../../../sdk/client.js";

export interface DemoCustomer {
  readonly id: string;
  readonly displayName: string | null;
  readonly plan: string | null;
}

export interface DemoSessionToken {
  readonly token: string;
  readonly expiresAt: string;
}

async function demoCall<T>(
  method: string,
  path: string,
  body?: unknown,
  idempotencyKey?: string,
): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["content-type"] = "application/json";
  if (idempotencyKey !== undefined) headers["idempotency-key"] = idempotencyKey;
  const response = await fetch(path, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const parsed: unknown = text === "" ? null : JSON.parse(text);
  if (response.ok) return parsed as T;
  const failure = (parsed as { error?: { code?: string; message?: string; requestId?: string } } | null)
    ?.error;
  throw new BoonError(
    response.status,
    failure?.code ?? "internal",
    failure?.message ?? text,
    failure?.requestId ?? null,
  );
}

/** What the demo payment page shows for a checkout session. */
export interface DemoCheckout {
  readonly sessionId: string;
  readonly bundleName: string;
  readonly credits: number;
  readonly bonusCredits: number;
  readonly price: number;
  readonly currency: string;
  readonly asGift: boolean;
  readonly status: string;
}

export const demoApi = {
  checkout: (sessionId: string) =>
    demoCall<DemoCheckout>("GET", `/demo/api/checkout/${encodeURIComponent(sessionId)}`),
  pay: (sessionId: string) => demoCall<unknown>("POST", `/demo/api/pay/${encodeURIComponent(sessionId)}`),
  customers: () => demoCall<{ data: readonly DemoCustomer[] }>("GET", "/demo/api/customers"),
  createCustomer: (displayName: string) =>
    demoCall<DemoCustomer>("POST", "/demo/api/customers", { displayName }),
  session: (customerId: string) => demoCall<DemoSessionToken>("POST", "/demo/api/session", { customerId }),
  sendMessage: (customerId: string, idempotencyKey: string) =>
    demoCall<Schema<"UsageAnswer">>("POST", "/demo/api/messages", { customerId }, idempotencyKey),
  acceptInvite: (code: string, customerId: string) =>
    demoCall<unknown>(
      "POST",
      `/demo/api/invites/${encodeURIComponent(code)}/accept`,
      { customerId },
      `accept-${code}-${customerId}`,
    ),
};
