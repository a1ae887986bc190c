-- Secret server keys for the HTTP API. Only a hash of each secret is stored; the secret is shown once,
-- when the key is created.
CREATE TABLE api_keys (
  id           text PRIMARY KEY,
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  scope        text NOT NULL CHECK (scope IN ('admin', 'server')),
  secret_hash  text NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL,
  revoked_at   timestamptz
);

-- The secret customer tokens are signed with, shared by every API node through the database.
CREATE TABLE token_secrets (
  id          integer PRIMARY KEY CHECK (id = 1),
  secret      text NOT NULL,
  created_at  timestamptz NOT NULL
);
