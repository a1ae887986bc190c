-- Referral programs: versioned terms, invites with a code and a link, referrals (one invitee
-- attributed to one referrer per program), one reward per side per referral, and what each program
-- has given against its budget.

-- A clawback takes back what is left of one lot (a reward reversed because the invitee was
-- fraudulent or refunded); what was already spent stays spent and is recorded on the reward.
ALTER TABLE transfers DROP CONSTRAINT transfers_kind_check;
ALTER TABLE transfers ADD CONSTRAINT transfers_kind_check
  CHECK (kind IN ('grant', 'consume', 'capture', 'expire', 'reverse', 'clawback', 'gift_fund', 'gift_send',
    'gift_claim', 'gift_return'));

-- A reversed reward's banked reset is revoked by expiring it now, which may be the instant it was
-- granted: a token may expire as it is granted (it is then never live).
ALTER TABLE reset_tokens DROP CONSTRAINT reset_tokens_check;
ALTER TABLE reset_tokens ADD CONSTRAINT reset_tokens_expiry_check CHECK (expires_at >= granted_at);

CREATE TABLE referral_programs (
  id          text NOT NULL CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
  version     integer NOT NULL CHECK (version >= 1),
  spec        json NOT NULL,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (id, version)
);

CREATE TABLE invites (
  id               text PRIMARY KEY,
  program_id       text NOT NULL,
  referrer_id      text NOT NULL REFERENCES customers (id),
  code             text NOT NULL UNIQUE,
  secret           text NOT NULL UNIQUE,
  -- The invited person's email as given, and normalized (lower case, no +tag, Gmail without dots).
  email            text CHECK (length(email) <= 320),
  email_normalized text,
  referrer_signals jsonb,
  period_start     timestamptz NOT NULL,
  created_at       timestamptz NOT NULL,
  opens            integer NOT NULL DEFAULT 0 CHECK (opens >= 0),
  first_opened_at  timestamptz
);
CREATE INDEX invites_referrer_idx ON invites (program_id, referrer_id, created_at);

CREATE TABLE referrals (
  id               text PRIMARY KEY,
  program_id       text NOT NULL,
  program_version  integer NOT NULL,
  invite_id        text NOT NULL REFERENCES invites (id),
  referrer_id      text NOT NULL REFERENCES customers (id),
  invitee_id       text NOT NULL REFERENCES customers (id),
  state            text NOT NULL CHECK (state IN ('accepted', 'review', 'qualified', 'rejected')),
  segment          text NOT NULL CHECK (segment IN ('new', 'lapsed', 'active')),
  accepted_at      timestamptz NOT NULL,
  qualified_at     timestamptz,
  review_reason    text,
  invitee_signals  jsonb,
  CHECK (referrer_id <> invitee_id),
  CHECK ((state = 'qualified') = (qualified_at IS NOT NULL)),
  -- The first accepted invite wins: one referral per invitee and program, whatever the code above did.
  UNIQUE (program_id, invitee_id)
);
CREATE INDEX referrals_referrer_idx ON referrals (program_id, referrer_id, accepted_at);
CREATE INDEX referrals_open_idx ON referrals (accepted_at) WHERE state = 'accepted';

CREATE TABLE referral_rewards (
  id                 text PRIMARY KEY,
  referral_id        text NOT NULL REFERENCES referrals (id),
  program_id         text NOT NULL,
  invitee_id         text NOT NULL,
  side               text NOT NULL CHECK (side IN ('referrer', 'invitee')),
  customer_id        text NOT NULL REFERENCES customers (id),
  state              text NOT NULL CHECK (state IN ('pending', 'review_required', 'granted', 'reversed', 'canceled')),
  kind               text NOT NULL CHECK (kind IN ('reset', 'credits')),
  amount_minor       bigint CHECK (amount_minor > 0),
  due_at             timestamptz NOT NULL,
  created_at         timestamptz NOT NULL,
  granted_at         timestamptz,
  resolved_at        timestamptz,
  -- What the grant made: the banked reset, or the credit lot and its grant transfer.
  reset_token_id     text,
  lot_id             text,
  reversal_minor     bigint,
  unrecovered_minor  bigint,
  reason             text,
  CHECK ((kind = 'credits') = (amount_minor IS NOT NULL)),
  CHECK ((state IN ('granted', 'reversed')) = (granted_at IS NOT NULL)),
  -- Granted exactly once per side, invitee and program: the data model says so, not only the code.
  UNIQUE (program_id, invitee_id, side)
);
CREATE INDEX referral_rewards_due_idx ON referral_rewards (due_at) WHERE state = 'pending';

-- What each program has given, against its budget; rewards past the budget are canceled, visibly.
CREATE TABLE referral_budgets (
  program_id           text PRIMARY KEY,
  credits_given_minor  bigint NOT NULL DEFAULT 0 CHECK (credits_given_minor >= 0),
  resets_given         integer NOT NULL DEFAULT 0 CHECK (resets_given >= 0)
);
