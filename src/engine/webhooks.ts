/**
 * Outbound webhooks. Events written to the outbox with the changes that caused them are fanned out
 * to every endpoint that wants them, then delivered at least once, in order per customer and
 * endpoint, signed as the Standard Webhooks specification says (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`), retried with exponential
 * backoff, every attempt logged, and redelivered by hand on request.
 */
import { createHmac, randomBytes } from "node:crypto";
import type { Clock } from "../core/clock.js";
import { fail, type Outcome, ok } from "../core/errors.js";
import type { IdGenerator } from "../core/ids.js";
import { EVENT_TYPES } from "../core/usage-state.js";
import type { Queryable, Store } from "../store/store.js";
import {
  type DeliveryLine,
  type DueDelivery,
  deliveriesPage,
  disableEndpoint,
  dueDeliveries,
  type EndpointRecord,
  fanOutEvents,
  insertEndpoint,
  listEndpoints,
  recordAttempt,
  requeueDelivery,
} from "../store/webhooks-repo.js";
import { onceByKey } from "./once.js";
import { checkKey, checkText } from "./validate.js";

/** Waits between attempts; after the last one the delivery is given up (and can be redelivered). */
export const RETRY_DELAYS_SECONDS = [5, 30, 120, 600, 1800, 3600, 7200, 14_400] as const;
export const DELIVERY_TIMEOUT_MS = 10_000;
export const FAN_OUT_BATCH_MAX = 500;
export const DUE_DELIVERIES_MAX = 100;
export const URL_LENGTH_MAX = 2000;
/** How much of a failing response's body the log keeps. */
export const ERROR_TEXT_LENGTH_MAX = 300;

export type Fetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<{ status: number; text(): Promise<string> }>;

export interface DispatchReport {
  readonly fannedOut: number;
  readonly attempted: number;
  readonly delivered: number;
  readonly gaveUp: number;
}

export interface Webhooks {
  addEndpoint(
    input: {
      url: string;
      eventTypes?: readonly string[] | undefined;
      description?: string | undefined;
    },
    idempotencyKey?: string,
  ): Promise<Outcome<EndpointRecord>>;
  listEndpoints(): Promise<EndpointRecord[]>;
  disableEndpoint(id: string): Promise<Outcome<EndpointRecord>>;
  deliveries(filter?: {
    endpointId?: string | undefined;
    status?: string | undefined;
    limit?: number | undefined;
  }): Promise<DeliveryLine[]>;
  redeliver(deliveryId: string): Promise<Outcome<{ id: string }>>;
  /** Fan out new events, then make one attempt at every delivery that is due. */
  dispatch(): Promise<DispatchReport>;
}

/** The Standard Webhooks signature of one message. */
export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestampSeconds}.${body}`).digest("base64")}`;
}

function checkUrl(url: unknown): Outcome<string> {
  if (typeof url !== "string" || url.length > URL_LENGTH_MAX)
    return fail("invalid_request", "url must be an http(s) URL");
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new Error("scheme");
    return ok(parsed.toString());
  } catch {
    return fail("invalid_request", `url ${url.slice(0, 100)} is not an http(s) URL`);
  }
}

export function createWebhooks(
  store: Store,
  clock: Clock,
  ids: IdGenerator,
  fetcher: Fetch = fetch,
): Webhooks {
  return {
    async addEndpoint(input, idempotencyKey) {
      const url = checkUrl(input.url);
      if (!url.ok) return url;
      const unknown = (input.eventTypes ?? []).filter(
        (type) => !(EVENT_TYPES as readonly string[]).includes(type),
      );
      if (unknown.length > 0)
        return fail(
          "invalid_request",
          `unknown event types: ${unknown.join(", ")} (known: ${EVENT_TYPES.join(", ")})`,
        );
      const description = checkText(input.description, "description", 500);
      if (!description.ok) return description;
      const nowMs = clock.nowMs();
      const write = async (tx: Queryable) =>
        ok(
          await insertEndpoint(tx, {
            id: ids.next("whe"),
            url: url.value,
            secret: `whsec_${randomBytes(24).toString("base64")}`,
            eventTypes:
              input.eventTypes === undefined || input.eventTypes.length === 0 ? null : [...input.eventTypes],
            description: description.value,
            createdAtMs: nowMs,
          }),
        );
      if (idempotencyKey === undefined) return store.transaction(write);
      const key = checkKey(idempotencyKey);
      if (!key.ok) return key;
      return onceByKey(store, { key: key.value, operation: "add_webhook", body: input, nowMs }, write);
    },
    listEndpoints: () => listEndpoints(store),
    async disableEndpoint(id) {
      const found = await disableEndpoint(store, id, clock.nowMs());
      return found === null ? fail("not_found", `no webhook endpoint ${id}`) : ok(found);
    },
    deliveries: (filter = {}) =>
      deliveriesPage(
        store,
        { endpointId: filter.endpointId ?? null, status: filter.status ?? null },
        Math.min(filter.limit ?? 50, 200),
      ),
    async redeliver(deliveryId) {
      return (await requeueDelivery(store, deliveryId, clock.nowMs()))
        ? ok({ id: deliveryId })
        : fail("not_found", `no delivery ${deliveryId}`);
    },
    async dispatch() {
      let fannedOut = 0;
      for (;;) {
        const count = await store.transaction((tx) =>
          fanOutEvents(tx, clock.nowMs(), FAN_OUT_BATCH_MAX, () => ids.next("whd")),
        );
        fannedOut += count;
        if (count < FAN_OUT_BATCH_MAX) break;
      }
      const due = await dueDeliveries(store, clock.nowMs(), DUE_DELIVERIES_MAX);
      const outcomes = await Promise.all(due.map((delivery) => attempt(store, clock, fetcher, delivery)));
      return {
        fannedOut,
        attempted: outcomes.length,
        delivered: outcomes.filter((o) => o === "delivered").length,
        gaveUp: outcomes.filter((o) => o === "gave_up").length,
      };
    },
  };
}

async function attempt(
  store: Store,
  clock: Clock,
  fetcher: Fetch,
  delivery: DueDelivery,
): Promise<"delivered" | "retry" | "gave_up"> {
  const body = JSON.stringify({
    type: delivery.event.type,
    timestamp: new Date(delivery.event.createdAtMs).toISOString(),
    data: delivery.event.payload,
  });
  const timestampSeconds = Math.floor(clock.nowMs() / 1000);
  const startedMs = performance.now();
  let status: number | null = null;
  let error: string | null = null;
  try {
    const response = await fetcher(delivery.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "webhook-id": delivery.eventId,
        "webhook-timestamp": String(timestampSeconds),
        "webhook-signature": signWebhook(delivery.secret, delivery.eventId, timestampSeconds, body),
      },
      body,
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    status = response.status;
    if (status < 200 || status >= 300)
      error = (await response.text().catch(() => "")).slice(0, ERROR_TEXT_LENGTH_MAX);
  } catch (caught) {
    error = (caught instanceof Error ? caught.message : String(caught)).slice(0, ERROR_TEXT_LENGTH_MAX);
  }
  const delivered = error === null && status !== null;
  const delaySeconds = RETRY_DELAYS_SECONDS[delivery.roundAttempts];
  const nextAttemptAtMs =
    delivered || delaySeconds === undefined ? null : clock.nowMs() + delaySeconds * 1000;
  await recordAttempt(
    store,
    {
      deliveryId: delivery.id,
      attempt: delivery.attempts + 1,
      status,
      error,
      durationMs: performance.now() - startedMs,
      delivered,
      nextAttemptAtMs,
    },
    clock.nowMs(),
  );
  return delivered ? "delivered" : nextAttemptAtMs === null ? "gave_up" : "retry";
}
