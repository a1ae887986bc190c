-- Plan limits: versioned plans, per-customer usage windows, the charge history, banked reset tokens,
-- bulk resets with their audit record, and the events outbox.

-- A plan is never edited: a change is a new version, and each charge records the version it ran under.
CREATE TABLE plans (
  id          text NOT NULL CHECK (length(id) BETWEEN 1 AND 64),
  version     integer NOT NULL CHECK (version > 0),
  -- json, not jsonb: the plan's own order of meters and windows is kept, so every view lists the
  -- windows in the order the operator wrote them.
  spec        json NOT NULL,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (id, version)
);

ALTER TABLE customers ADD COLUMN overflow_allowed boolean NOT NULL DEFAULT false;
CREATE INDEX customers_plan_idx ON customers (plan) WHERE plan IS NOT NULL;

-- Whether the wallet is below its plan's low-credit threshold, so the event fires once per crossing
-- from above; a new wallet starts below.
ALTER TABLE accounts ADD COLUMN credits_low boolean NOT NULL DEFAULT true;

-- One row per customer and window (`meter/key`). No row means nothing used: a reset deletes the row,
-- which is what makes a bulk reset one set-based statement.
CREATE TABLE usage_windows (
  customer_id          text NOT NULL,
  window_id            text NOT NULL,
  started_at           timestamptz,
  used_units           bigint NOT NULL DEFAULT 0 CHECK (used_units >= 0),
  buckets              jsonb NOT NULL DEFAULT '[]',
  -- The resets-at of the window period for which `usage.limit_reached` was recorded, so it fires
  -- once per period rather than on every refused request.
  limit_notified_for   timestamptz,
  updated_at           timestamptz NOT NULL,
  PRIMARY KEY (customer_id, window_id)
) WITH (fillfactor = 80);

CREATE TABLE usage_charges (
  id               text NOT NULL,
  customer_id      text NOT NULL,
  plan_id          text NOT NULL,
  plan_version     integer NOT NULL,
  action           text NOT NULL,
  quantity         integer NOT NULL CHECK (quantity > 0),
  paid_by          text NOT NULL CHECK (paid_by IN ('windows', 'credits')),
  -- Units charged per window: {"messages/5h": "3", ...}; empty when credits paid.
  window_units     jsonb NOT NULL,
  credits_minor    bigint NOT NULL CHECK (credits_minor >= 0),
  transfer_id      text,
  idempotency_key  text,
  created_at       timestamptz NOT NULL,
  PRIMARY KEY (customer_id, id),
  CHECK ((paid_by = 'credits') = (transfer_id IS NOT NULL))
);

CREATE TABLE reset_tokens (
  id                text PRIMARY KEY,
  customer_id       text NOT NULL REFERENCES customers (id),
  -- The window ids the token restarts; null restarts every window of the customer's plan.
  scope             jsonb,
  source            text NOT NULL CHECK (source IN ('operator', 'program', 'purchase')),
  reason            text CHECK (length(reason) <= 500),
  granted_at        timestamptz NOT NULL,
  expires_at        timestamptz NOT NULL,
  redeemed_at       timestamptz,
  idempotency_key   text,
  CHECK (expires_at > granted_at),
  CHECK (redeemed_at IS NULL OR redeemed_at < expires_at)
);
CREATE INDEX reset_tokens_live_idx ON reset_tokens (customer_id, expires_at) WHERE redeemed_at IS NULL;

-- The audit record of each bulk reset: who, why, what scope, how many.
CREATE TABLE bulk_resets (
  id                text PRIMARY KEY,
  idempotency_key   text NOT NULL UNIQUE,
  request_hash      text NOT NULL,
  actor             text NOT NULL CHECK (length(actor) BETWEEN 1 AND 200),
  reason            text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  plan_id           text,
  customer_ids      jsonb,
  window_ids        jsonb,
  customers         integer NOT NULL,
  windows           integer NOT NULL,
  created_at        timestamptz NOT NULL,
  CHECK ((plan_id IS NULL) <> (customer_ids IS NULL))
);

-- The outbox: each event is written by the statement that made the change it reports.
CREATE TABLE events (
  id           text PRIMARY KEY,
  customer_id  text,
  type         text NOT NULL,
  payload      jsonb NOT NULL,
  created_at   timestamptz NOT NULL
);
CREATE INDEX events_customer_idx ON events (customer_id, id);
