-- The credit ledger: customers, accounts, lots, immutable transfers and entries, holds, idempotency.
-- Every customer-scoped row carries customer_id, ids are prefixed UUIDv7 text, and nothing relies on
-- sequences, so the same schema runs on distributed PostgreSQL-compatible engines.

CREATE TABLE policies (
  version     integer PRIMARY KEY CHECK (version > 0),
  terms       jsonb NOT NULL,
  created_at  timestamptz NOT NULL
);

INSERT INTO policies (version, terms, created_at) VALUES (
  1,
  '{"transferableKinds": ["gifted", "referral"], "purchasedTransferable": false}',
  '2026-01-01T00:00:00Z'
);

CREATE TABLE customers (
  id              text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 128),
  plan            text,
  email           text,
  display_name    text,
  signed_up_at    timestamptz,
  last_active_at  timestamptz,
  attributes      jsonb NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);

CREATE TABLE accounts (
  id             text PRIMARY KEY,
  kind           text NOT NULL CHECK (kind IN ('wallet', 'promotions', 'sales', 'compensation', 'consumption', 'breakage', 'gift_escrow')),
  customer_id    text UNIQUE REFERENCES customers (id),
  balance_minor  bigint NOT NULL DEFAULT 0,
  created_at     timestamptz NOT NULL,
  CHECK ((kind = 'wallet') = (customer_id IS NOT NULL)),
  CHECK (kind <> 'wallet' OR balance_minor >= 0)
) WITH (fillfactor = 80);

INSERT INTO accounts (id, kind, created_at) VALUES
  ('sys_promotions', 'promotions', '2026-01-01T00:00:00Z'),
  ('sys_sales', 'sales', '2026-01-01T00:00:00Z'),
  ('sys_compensation', 'compensation', '2026-01-01T00:00:00Z'),
  ('sys_consumption', 'consumption', '2026-01-01T00:00:00Z'),
  ('sys_breakage', 'breakage', '2026-01-01T00:00:00Z'),
  ('sys_gift_escrow', 'gift_escrow', '2026-01-01T00:00:00Z');

CREATE TABLE transfers (
  id                    text PRIMARY KEY,
  kind                  text NOT NULL CHECK (kind IN ('grant', 'consume', 'capture', 'expire', 'reverse')),
  -- No foreign key to customers: a transfer is written only for a wallet the batch has locked, and a
  -- key check per transfer would lock and dirty a customer row on every write. `verify` checks it.
  customer_id           text,
  hold_id               text,
  reverses_transfer_id  text UNIQUE REFERENCES transfers (id),
  reason                text CHECK (length(reason) <= 500),
  idempotency_key       text,
  created_at            timestamptz NOT NULL,
  CHECK ((kind = 'reverse') = (reverses_transfer_id IS NOT NULL))
);

CREATE TABLE lots (
  id                 text PRIMARY KEY,
  customer_id        text NOT NULL REFERENCES customers (id),
  account_id         text NOT NULL REFERENCES accounts (id),
  kind               text NOT NULL CHECK (kind IN ('purchased', 'promotional', 'gifted', 'referral', 'compensation')),
  amount_minor       bigint NOT NULL CHECK (amount_minor > 0),
  remaining_minor    bigint NOT NULL,
  held_minor         bigint NOT NULL DEFAULT 0,
  priority           smallint NOT NULL CHECK (priority BETWEEN 0 AND 1000),
  effective_at       timestamptz NOT NULL,
  expires_at         timestamptz,
  transferable       boolean NOT NULL,
  source             text NOT NULL CHECK (source IN ('purchase', 'gift', 'program', 'operator')),
  policy_version     integer NOT NULL REFERENCES policies (version),
  reason             text,
  grant_transfer_id  text NOT NULL REFERENCES transfers (id),
  created_at         timestamptz NOT NULL,
  -- Indexes filter on this rather than on remaining_minor, so the spend that changes remaining_minor
  -- but leaves a lot open touches no indexed value and can be a heap-only (HOT) update.
  open               boolean GENERATED ALWAYS AS (remaining_minor > 0) STORED,
  CHECK (remaining_minor >= 0 AND remaining_minor <= amount_minor),
  CHECK (held_minor >= 0 AND held_minor <= remaining_minor),
  CHECK (expires_at IS NULL OR expires_at > effective_at),
  -- Purchased value is never transferable, whatever a policy says.
  CHECK (kind <> 'purchased' OR NOT transferable)
) WITH (fillfactor = 80);
-- The open lots of a wallet, the only ones a spend reads.
CREATE INDEX lots_open_idx ON lots (account_id) WHERE open;
CREATE INDEX lots_customer_idx ON lots (customer_id, created_at);
CREATE INDEX lots_expiry_idx ON lots (expires_at) WHERE open AND expires_at IS NOT NULL;

-- Entries carry no foreign keys on purpose: each check would take a share lock on the referenced
-- row, and every batch of every process references the same few system accounts, so the checks
-- would make those rows a hot spot of lock traffic. The engine writes entries only together with the
-- rows they name, in one statement, and `boon verify` checks that every reference resolves.
CREATE TABLE entries (
  id            text NOT NULL,
  transfer_id   text NOT NULL,
  account_id    text NOT NULL,
  customer_id   text,
  lot_id        text,
  amount_minor  bigint NOT NULL CHECK (amount_minor <> 0),
  created_at    timestamptz NOT NULL,
  -- A transfer's entries are read together (reversal, verify), and a wallet's in id order (its
  -- ledger, its history): two indexes, the fewest that serve both, since every spend writes entries.
  PRIMARY KEY (transfer_id, id)
);
CREATE INDEX entries_account_idx ON entries (account_id, id);

CREATE TABLE holds (
  id                   text PRIMARY KEY,
  customer_id          text NOT NULL REFERENCES customers (id),
  account_id           text NOT NULL REFERENCES accounts (id),
  amount_minor         bigint NOT NULL CHECK (amount_minor > 0),
  captured_minor       bigint NOT NULL DEFAULT 0,
  status               text NOT NULL CHECK (status IN ('pending', 'captured', 'voided', 'expired')),
  allocations          jsonb NOT NULL,
  expires_at           timestamptz NOT NULL,
  created_at           timestamptz NOT NULL,
  resolved_at          timestamptz,
  capture_transfer_id  text REFERENCES transfers (id),
  idempotency_key      text,
  CHECK (captured_minor >= 0 AND captured_minor <= amount_minor),
  CHECK ((status = 'pending') = (resolved_at IS NULL)),
  CHECK ((status = 'captured') = (capture_transfer_id IS NOT NULL))
);
CREATE INDEX holds_pending_idx ON holds (account_id) WHERE status = 'pending';
CREATE INDEX holds_expiry_idx ON holds (expires_at) WHERE status = 'pending';

CREATE TABLE idempotency_keys (
  key           text PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 255),
  operation     text NOT NULL,
  request_hash  text NOT NULL,
  -- The first answer, as the engine's own JSON text: stored and replayed byte for byte.
  response      text NOT NULL,
  created_at    timestamptz NOT NULL
);

-- Posted ledger rows are immutable: a mistake is corrected by a reversing transfer, never an edit.
CREATE FUNCTION boon_refuse_ledger_edit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger rows are immutable: % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END
$$;

CREATE TRIGGER entries_immutable BEFORE UPDATE OR DELETE ON entries
  FOR EACH ROW EXECUTE FUNCTION boon_refuse_ledger_edit();
CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON entries
  FOR EACH STATEMENT EXECUTE FUNCTION boon_refuse_ledger_edit();
CREATE TRIGGER transfers_immutable BEFORE UPDATE OR DELETE ON transfers
  FOR EACH ROW EXECUTE FUNCTION boon_refuse_ledger_edit();
CREATE TRIGGER transfers_no_truncate BEFORE TRUNCATE ON transfers
  FOR EACH STATEMENT EXECUTE FUNCTION boon_refuse_ledger_edit();

-- Every transfer balances to zero. The engine writes all entries of a transfer in one statement, so
-- checking the rows each statement inserted checks every transfer whole.
CREATE FUNCTION boon_check_transfers_balance() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  unbalanced text;
BEGIN
  SELECT transfer_id INTO unbalanced FROM new_entries
    GROUP BY transfer_id HAVING sum(amount_minor) <> 0 OR count(*) < 2 LIMIT 1;
  IF unbalanced IS NOT NULL THEN
    RAISE EXCEPTION 'transfer % does not balance to zero', unbalanced USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER entries_balance AFTER INSERT ON entries
  REFERENCING NEW TABLE AS new_entries
  FOR EACH STATEMENT EXECUTE FUNCTION boon_check_transfers_balance();
