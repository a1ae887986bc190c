-- Outbound webhooks: endpoints an admin registers, one delivery per (endpoint, event) fanned out from
-- the events outbox, and a log of every attempt.

ALTER TABLE events ADD COLUMN dispatched boolean NOT NULL DEFAULT false;
CREATE INDEX events_undispatched_idx ON events (id) WHERE NOT dispatched;

CREATE TABLE webhook_endpoints (
  id           text PRIMARY KEY,
  url          text NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
  -- The Standard Webhooks signing secret (`whsec_` and base64); shown to the admin who adds the endpoint.
  secret       text NOT NULL,
  event_types  jsonb,
  description  text CHECK (length(description) <= 500),
  created_at   timestamptz NOT NULL,
  disabled_at  timestamptz
);

CREATE TABLE webhook_deliveries (
  id               text PRIMARY KEY,
  endpoint_id      text NOT NULL REFERENCES webhook_endpoints (id),
  event_id         text NOT NULL REFERENCES events (id),
  -- Deliveries to one endpoint go out in event order per customer (null: events of no customer).
  customer_id      text,
  status           text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  -- Every attempt ever (numbers the log), and attempts since the last manual redelivery (the backoff).
  attempts         integer NOT NULL DEFAULT 0,
  round_attempts   integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL,
  last_status      integer,
  last_error       text,
  delivered_at     timestamptz,
  created_at       timestamptz NOT NULL,
  UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (endpoint_id, customer_id, event_id)
  WHERE status = 'pending';

CREATE TABLE webhook_attempts (
  delivery_id  text NOT NULL REFERENCES webhook_deliveries (id),
  attempt      integer NOT NULL,
  status       integer,
  error        text,
  duration_ms  integer NOT NULL,
  at           timestamptz NOT NULL,
  PRIMARY KEY (delivery_id, attempt)
);
