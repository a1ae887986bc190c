/** The SQL of outbound webhooks: endpoints, the fan-out from the events outbox, deliveries, attempts. */
import { jsonParam } from "./json-param.js";
import type { Queryable } from "./store.js";

export interface EndpointRecord {
  readonly id: string;
  readonly url: string;
  readonly secret: string;
  readonly eventTypes: readonly string[] | null;
  readonly description: string | null;
  readonly createdAtMs: number;
  readonly disabledAtMs: number | null;
}

interface EndpointRow {
  id: string;
  url: string;
  secret: string;
  event_types: string[] | null;
  description: string | null;
  created_at: Date;
  disabled_at: Date | null;
}

const endpointFromRow = (row: EndpointRow): EndpointRecord => ({
  id: row.id,
  url: row.url,
  secret: row.secret,
  eventTypes: row.event_types,
  description: row.description,
  createdAtMs: row.created_at.getTime(),
  disabledAtMs: row.disabled_at?.getTime() ?? null,
});

export async function insertEndpoint(
  db: Queryable,
  endpoint: Omit<EndpointRecord, "disabledAtMs">,
): Promise<EndpointRecord> {
  const rows = await db.query<EndpointRow>(
    `INSERT INTO webhook_endpoints (id, url, secret, event_types, description, created_at)
     VALUES ($1::text, $2::text, $3::text, $4::text::jsonb, $5::text, $6::timestamptz) RETURNING *`,
    [
      endpoint.id,
      endpoint.url,
      endpoint.secret,
      endpoint.eventTypes === null ? null : jsonParam(endpoint.eventTypes),
      endpoint.description,
      new Date(endpoint.createdAtMs),
    ],
  );
  const row = rows[0];
  if (row === undefined) throw new Error("inserting an endpoint returned no row");
  return endpointFromRow(row);
}

export async function listEndpoints(db: Queryable): Promise<EndpointRecord[]> {
  const rows = await db.query<EndpointRow>("SELECT * FROM webhook_endpoints ORDER BY created_at, id");
  return rows.map(endpointFromRow);
}

export async function disableEndpoint(
  db: Queryable,
  id: string,
  nowMs: number,
): Promise<EndpointRecord | null> {
  const rows = await db.query<EndpointRow>(
    `UPDATE webhook_endpoints SET disabled_at = coalesce(disabled_at, $2::timestamptz) WHERE id = $1::text RETURNING *`,
    [id, new Date(nowMs)],
  );
  return rows[0] === undefined ? null : endpointFromRow(rows[0]);
}

/**
 * Turn up to `limit` undispatched events into one pending delivery per live endpoint that wants
 * them, and mark the events dispatched, in one statement. `SKIP LOCKED` lets several nodes fan out
 * at once without taking the same events.
 */
export async function fanOutEvents(
  db: Queryable,
  nowMs: number,
  limit: number,
  newId: () => string,
): Promise<number> {
  const events = await db.query<{ id: string; customer_id: string | null; type: string }>(
    `SELECT id, customer_id, type FROM events WHERE NOT dispatched ORDER BY id LIMIT $1::integer FOR UPDATE SKIP LOCKED`,
    [limit],
  );
  if (events.length === 0) return 0;
  const endpoints = await db.query<{ id: string; event_types: string[] | null; created_at: Date }>(
    "SELECT id, event_types, created_at FROM webhook_endpoints WHERE disabled_at IS NULL",
  );
  const deliveries = events.flatMap((event) =>
    endpoints
      .filter((endpoint) => endpoint.event_types === null || endpoint.event_types.includes(event.type))
      .map((endpoint) => ({
        id: newId(),
        endpoint_id: endpoint.id,
        event_id: event.id,
        customer_id: event.customer_id,
      })),
  );
  await db.query(
    `WITH added AS (
       INSERT INTO webhook_deliveries (id, endpoint_id, event_id, customer_id, status, next_attempt_at, created_at)
       SELECT x.id, x.endpoint_id, x.event_id, x.customer_id, 'pending', $3::timestamptz, $3::timestamptz
       FROM jsonb_to_recordset($1::text::jsonb) AS x(id text, endpoint_id text, event_id text, customer_id text)
       ON CONFLICT (endpoint_id, event_id) DO NOTHING
       RETURNING 1
     )
     UPDATE events SET dispatched = true
     WHERE id = ANY (ARRAY(SELECT jsonb_array_elements_text($2::text::jsonb)))`,
    [jsonParam(deliveries), jsonParam(events.map((event) => event.id)), new Date(nowMs)],
  );
  return events.length;
}

export interface DueDelivery {
  readonly id: string;
  readonly endpointId: string;
  readonly url: string;
  readonly secret: string;
  readonly eventId: string;
  readonly attempts: number;
  readonly roundAttempts: number;
  readonly event: { readonly type: string; readonly payload: unknown; readonly createdAtMs: number };
}

/**
 * The deliveries to try now: for each endpoint and customer, only the oldest pending one, and only
 * when it is due. So a customer's events reach an endpoint in order, and one failing event holds back
 * the ones after it until it is delivered or given up.
 */
export async function dueDeliveries(db: Queryable, nowMs: number, limit: number): Promise<DueDelivery[]> {
  const rows = await db.query<{
    id: string;
    endpoint_id: string;
    url: string;
    secret: string;
    event_id: string;
    attempts: number;
    round_attempts: number;
    type: string;
    payload: unknown;
    created_at: Date;
    next_attempt_at: Date;
  }>(
    `SELECT h.id, h.endpoint_id, ep.url, ep.secret, h.event_id, h.attempts, h.round_attempts, e.type, e.payload, e.created_at,
       h.next_attempt_at
     FROM (SELECT DISTINCT ON (endpoint_id, customer_id) * FROM webhook_deliveries
           WHERE status = 'pending' ORDER BY endpoint_id, customer_id, event_id) h
     JOIN webhook_endpoints ep ON ep.id = h.endpoint_id AND ep.disabled_at IS NULL
     JOIN events e ON e.id = h.event_id
     WHERE h.next_attempt_at <= $1::timestamptz
     ORDER BY h.next_attempt_at, h.id LIMIT $2::integer`,
    [new Date(nowMs), limit],
  );
  return rows.map((row) => ({
    id: row.id,
    endpointId: row.endpoint_id,
    url: row.url,
    secret: row.secret,
    eventId: row.event_id,
    attempts: row.attempts,
    roundAttempts: row.round_attempts,
    event: { type: row.type, payload: row.payload, createdAtMs: row.created_at.getTime() },
  }));
}

export interface AttemptOutcome {
  readonly deliveryId: string;
  readonly attempt: number;
  readonly status: number | null;
  readonly error: string | null;
  readonly durationMs: number;
  readonly delivered: boolean;
  /** When to try again; null when delivered or given up. */
  readonly nextAttemptAtMs: number | null;
}

/** Record an attempt and move its delivery on, unless a concurrent dispatcher already did. */
export async function recordAttempt(db: Queryable, outcome: AttemptOutcome, nowMs: number): Promise<void> {
  const status = outcome.delivered ? "delivered" : outcome.nextAttemptAtMs === null ? "failed" : "pending";
  await db.query(
    `WITH moved AS (
       UPDATE webhook_deliveries SET status = $2::text, attempts = $3::integer,
         round_attempts = round_attempts + 1, last_status = $4::integer,
         last_error = $5::text, next_attempt_at = coalesce($6::timestamptz, next_attempt_at),
         delivered_at = CASE WHEN $2::text = 'delivered' THEN $7::timestamptz ELSE NULL END
       WHERE id = $1::text AND attempts = $3::integer - 1 AND status = 'pending'
       RETURNING id
     )
     INSERT INTO webhook_attempts (delivery_id, attempt, status, error, duration_ms, at)
     SELECT id, $3::integer, $4::integer, $5::text, $8::integer, $7::timestamptz FROM moved`,
    [
      outcome.deliveryId,
      status,
      outcome.attempt,
      outcome.status,
      outcome.error,
      outcome.nextAttemptAtMs === null ? null : new Date(outcome.nextAttemptAtMs),
      new Date(nowMs),
      Math.round(outcome.durationMs),
    ],
  );
}

export interface DeliveryLine {
  readonly id: string;
  readonly endpointId: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly customerId: string | null;
  readonly status: "pending" | "delivered" | "failed";
  readonly attempts: number;
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly nextAttemptAtMs: number | null;
  readonly deliveredAtMs: number | null;
  readonly createdAtMs: number;
}

export async function deliveriesPage(
  db: Queryable,
  filter: { endpointId: string | null; status: string | null },
  limit: number,
): Promise<DeliveryLine[]> {
  const rows = await db.query<{
    id: string;
    endpoint_id: string;
    event_id: string;
    type: string;
    customer_id: string | null;
    status: DeliveryLine["status"];
    attempts: number;
    last_status: number | null;
    last_error: string | null;
    next_attempt_at: Date;
    delivered_at: Date | null;
    created_at: Date;
  }>(
    `SELECT d.*, e.type FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
     WHERE ($1::text IS NULL OR d.endpoint_id = $1::text) AND ($2::text IS NULL OR d.status = $2::text)
     ORDER BY d.event_id DESC, d.id LIMIT $3::integer`,
    [filter.endpointId, filter.status, limit],
  );
  return rows.map((row) => ({
    id: row.id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    eventType: row.type,
    customerId: row.customer_id,
    status: row.status,
    attempts: row.attempts,
    lastStatus: row.last_status,
    lastError: row.last_error,
    nextAttemptAtMs: row.status === "pending" ? row.next_attempt_at.getTime() : null,
    deliveredAtMs: row.delivered_at?.getTime() ?? null,
    createdAtMs: row.created_at.getTime(),
  }));
}

/** Put a delivery back in the queue, due now, with a fresh backoff (its log keeps every attempt). */
export async function requeueDelivery(db: Queryable, id: string, nowMs: number): Promise<boolean> {
  const rows = await db.query<{ id: string }>(
    `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $2::timestamptz, delivered_at = NULL,
       round_attempts = 0
     WHERE id = $1::text RETURNING id`,
    [id, new Date(nowMs)],
  );
  return rows.length > 0;
}
