-- Bundles and payments: versioned credit packs, purchases through a payment provider, the provider's
-- events (each recorded once, by its own id), and the payments a refund may reach before its purchase.

-- A refund takes back what is left of a purchase's credits after the money went back (a refund or a
-- dispute); it is the one way besides consumption and expiry that purchased value leaves a wallet.
ALTER TABLE transfers DROP CONSTRAINT transfers_kind_check;
ALTER TABLE transfers ADD CONSTRAINT transfers_kind_check
  CHECK (kind IN ('grant', 'consume', 'capture', 'expire', 'reverse', 'clawback', 'gift_fund', 'gift_send',
    'gift_claim', 'gift_return', 'refund'));

CREATE TABLE bundles (
  id          text NOT NULL CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
  version     integer NOT NULL CHECK (version >= 1),
  -- The bundle as written, every default spelled out (json keeps the key order, as for plans).
  spec        json NOT NULL,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (id, version)
);

CREATE TABLE purchases (
  id                  text PRIMARY KEY,
  customer_id         text NOT NULL REFERENCES customers (id),
  bundle_id           text NOT NULL,
  bundle_version      integer NOT NULL,
  as_gift             boolean NOT NULL,
  -- A snapshot of the bundle version's terms, so verify and refunds never re-read the catalog.
  credits_minor       bigint NOT NULL CHECK (credits_minor > 0),
  bonus_minor         bigint NOT NULL CHECK (bonus_minor >= 0),
  price_minor         bigint NOT NULL CHECK (price_minor > 0),
  currency            text NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
  state               text NOT NULL CHECK (state IN ('pending', 'paid', 'review', 'refunded', 'disputed')),
  idempotency_key     text NOT NULL UNIQUE,
  request_hash        text NOT NULL,
  -- One checkout session per purchase and one purchase per session or payment.
  session_id          text UNIQUE,
  checkout_url        text CHECK (length(checkout_url) <= 2000),
  payment_intent_id   text UNIQUE,
  created_at          timestamptz NOT NULL,
  paid_at             timestamptz,
  -- What the grant made: one transfer, the purchased lot (none for a gift purchase, whose credits
  -- fund the gift balance) and the bonus lot. Unique: a purchase is granted at most once.
  grant_transfer_id   text UNIQUE REFERENCES transfers (id),
  lot_id              text UNIQUE REFERENCES lots (id),
  bonus_lot_id        text UNIQUE REFERENCES lots (id),
  -- Money given back (cumulative), and the credits that answered for it: taken back, or already spent.
  refunded_minor      bigint NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0 AND refunded_minor <= price_minor),
  recovered_minor     bigint NOT NULL DEFAULT 0 CHECK (recovered_minor >= 0),
  unrecovered_minor   bigint NOT NULL DEFAULT 0 CHECK (unrecovered_minor >= 0),
  -- The review queue: open while a reason is set and no operator has resolved it.
  review_reason       text,
  review_opened_at    timestamptz,
  review_resolved_at  timestamptz,
  review_decision     text CHECK (review_decision IN ('grant', 'close')),
  FOREIGN KEY (bundle_id, bundle_version) REFERENCES bundles (id, version),
  CHECK (recovered_minor + unrecovered_minor <= credits_minor + bonus_minor),
  CHECK ((state IN ('paid', 'refunded', 'disputed')) = (grant_transfer_id IS NOT NULL)),
  CHECK ((grant_transfer_id IS NULL) = (paid_at IS NULL)),
  CHECK (NOT as_gift OR lot_id IS NULL),
  CHECK (grant_transfer_id IS NULL OR as_gift OR lot_id IS NOT NULL),
  CHECK ((bonus_minor > 0 AND grant_transfer_id IS NOT NULL) = (bonus_lot_id IS NOT NULL)),
  CHECK ((review_reason IS NULL) = (review_opened_at IS NULL)),
  CHECK (review_resolved_at IS NULL OR review_reason IS NOT NULL)
);
CREATE INDEX purchases_customer_idx ON purchases (customer_id, id);
CREATE INDEX purchases_review_idx ON purchases (id) WHERE review_reason IS NOT NULL AND review_resolved_at IS NULL;
CREATE INDEX purchases_paid_idx ON purchases (paid_at) WHERE paid_at IS NOT NULL;

-- A payment the provider told us about, locked by every event that names it, so a refund that
-- arrives before its checkout's completion is kept here and applied when the purchase is granted.
CREATE TABLE payment_intents (
  id              text PRIMARY KEY,
  purchase_id     text UNIQUE REFERENCES purchases (id),
  refunded_minor  bigint NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0),
  refund_currency text,
  disputed        boolean NOT NULL DEFAULT false,
  created_at      timestamptz NOT NULL
);

-- Every provider event, once: its id is the key, written in the same transaction as its effect.
CREATE TABLE payment_events (
  id                 text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 255),
  type               text NOT NULL CHECK (type IN ('checkout_completed', 'charge_refunded', 'dispute_created', 'ignored')),
  provider_type      text,
  outcome            text NOT NULL,
  purchase_id        text REFERENCES purchases (id),
  session_id         text,
  payment_intent_id  text,
  amount_minor       bigint,
  currency           text,
  -- Money this event refunded or disputed beyond earlier events, and the refund transfer it posted.
  money_delta_minor  bigint NOT NULL DEFAULT 0 CHECK (money_delta_minor >= 0),
  transfer_id        text UNIQUE REFERENCES transfers (id),
  happened_at        timestamptz,
  received_at        timestamptz NOT NULL
);
CREATE INDEX payment_events_purchase_idx ON payment_events (purchase_id) WHERE purchase_id IS NOT NULL;
CREATE INDEX payment_events_received_idx ON payment_events (received_at);
