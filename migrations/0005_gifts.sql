-- Gifting: versioned gifting programs, gifts held in escrow until claimed, expired or revoked, each
-- sender's use of a program's allowance per period, and a gift balance per customer (value bought to
-- be given away, and where a bought gift's value returns).

-- Four more kinds of transfer: value bought for giving into a gift balance, into escrow when a gift is
-- sent, out of escrow into the recipient's new lot when it is claimed, and back to its source when it
-- expires or is revoked.
ALTER TABLE transfers DROP CONSTRAINT transfers_kind_check;
ALTER TABLE transfers ADD CONSTRAINT transfers_kind_check
  CHECK (kind IN ('grant', 'consume', 'capture', 'expire', 'reverse', 'gift_fund', 'gift_send', 'gift_claim', 'gift_return'));

-- A gift balance is a ledger account held by a customer, apart from the wallet: usage never spends
-- it, and only gifts draw on it. Its holder is a column of its own so that every join from a customer
-- to `accounts.customer_id` still finds exactly the wallet.
ALTER TABLE accounts DROP CONSTRAINT accounts_kind_check;
ALTER TABLE accounts ADD CONSTRAINT accounts_kind_check
  CHECK (kind IN ('wallet', 'gift_balance', 'promotions', 'sales', 'compensation', 'consumption', 'breakage', 'gift_escrow'));
ALTER TABLE accounts ADD COLUMN holder_customer_id text UNIQUE REFERENCES customers (id);
ALTER TABLE accounts ADD CONSTRAINT accounts_gift_balance_holder
  CHECK ((kind = 'gift_balance') = (holder_customer_id IS NOT NULL));
ALTER TABLE accounts ADD CONSTRAINT accounts_gift_balance_not_negative
  CHECK (kind <> 'gift_balance' OR balance_minor >= 0);

CREATE TABLE gift_programs (
  id          text NOT NULL CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
  version     integer NOT NULL CHECK (version >= 1),
  -- The program as its author wrote it (json keeps the key order, as for plans).
  spec        json NOT NULL,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (id, version)
);

CREATE TABLE gifts (
  id                 text PRIMARY KEY,
  program_id         text NOT NULL,
  program_version    integer NOT NULL,
  sender_id          text NOT NULL REFERENCES customers (id),
  source             text NOT NULL CHECK (source IN ('allowance', 'gift_balance')),
  amount_minor       bigint NOT NULL CHECK (amount_minor > 0),
  -- The code a person types (normalized: upper case, no separators, check character last) and the
  -- 128-bit secret of the shareable link. Either one finds the gift.
  code               text NOT NULL UNIQUE,
  secret             text NOT NULL UNIQUE,
  message            text CHECK (length(message) <= 500),
  recipient_email    text CHECK (length(recipient_email) <= 320),
  status             text NOT NULL CHECK (status IN ('pending', 'review', 'claimed', 'expired', 'revoked')),
  -- The allowance period the value came from, so a return gives it back to that period.
  period_start       timestamptz NOT NULL,
  expires_at         timestamptz NOT NULL,
  created_at         timestamptz NOT NULL,
  recipient_id       text REFERENCES customers (id),
  -- What the recipient was when they claimed: new, lapsed or active (for the gifting report).
  recipient_segment  text CHECK (recipient_segment IN ('new', 'lapsed', 'active')),
  claimed_at         timestamptz,
  resolved_at        timestamptz,
  lot_id             text UNIQUE REFERENCES lots (id),
  send_transfer_id   text NOT NULL UNIQUE REFERENCES transfers (id),
  settle_transfer_id text UNIQUE REFERENCES transfers (id),
  sender_signals     jsonb,
  review_reason      text,
  CHECK (expires_at > created_at),
  CHECK (sender_id <> recipient_id),
  CHECK ((status IN ('pending', 'expired', 'revoked')) OR recipient_id IS NOT NULL),
  CHECK ((status = 'claimed') = (lot_id IS NOT NULL)),
  CHECK ((status IN ('pending', 'review')) = (settle_transfer_id IS NULL))
);
CREATE INDEX gifts_sender_idx ON gifts (sender_id, id);
CREATE INDEX gifts_recipient_idx ON gifts (recipient_id, id) WHERE recipient_id IS NOT NULL;
CREATE INDEX gifts_due_idx ON gifts (expires_at) WHERE status = 'pending';
CREATE INDEX gifts_review_idx ON gifts (id) WHERE status = 'review';

-- A sender's use of a program in one allowance period: value drawn from the allowance (given back
-- when an allowance gift expires or is revoked) and gifts sent (a returned gift still counts).
CREATE TABLE gift_allowance_usage (
  sender_id      text NOT NULL REFERENCES customers (id),
  program_id     text NOT NULL,
  period_start   timestamptz NOT NULL,
  used_minor     bigint NOT NULL CHECK (used_minor >= 0),
  sent_count     integer NOT NULL CHECK (sent_count >= 0),
  PRIMARY KEY (sender_id, program_id, period_start)
);
