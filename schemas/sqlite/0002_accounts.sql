-- Accounts: users, server-side sessions, personal API tokens and the log of
-- failed sign-ins that rate limiting counts. Secrets are stored only as
-- hashes: argon2id for passwords, SHA-256 hex for high-entropy tokens.
-- Times are Unix milliseconds (UTC).
CREATE TABLE users (
  id            TEXT    NOT NULL PRIMARY KEY,
  -- Normalised by the store (trimmed, ASCII lower-cased), so the unique
  -- constraint makes emails unique whatever their case.
  email         TEXT    NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 320),
  password_hash TEXT    NOT NULL CHECK (password_hash <> ''),
  role          TEXT    NOT NULL CHECK (role IN ('admin', 'user')),
  quota_bytes   INTEGER NOT NULL DEFAULT 0 CHECK (quota_bytes >= 0),
  created_at_ms INTEGER NOT NULL,
  disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
) STRICT;
-- The users listing is keyset-paginated on email: the UNIQUE index serves it.

CREATE TABLE sessions (
  token_hash      TEXT    NOT NULL PRIMARY KEY,
  user_id         TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token_hash TEXT    NOT NULL CHECK (csrf_token_hash <> ''),
  created_at_ms   INTEGER NOT NULL,
  last_seen_at_ms INTEGER NOT NULL,
  expires_at_ms   INTEGER NOT NULL CHECK (expires_at_ms > created_at_ms)
) STRICT;
-- Signing a user out everywhere; and the two halves of the expiry sweep.
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at_ms);
CREATE INDEX sessions_by_last_seen ON sessions (last_seen_at_ms);

CREATE TABLE api_tokens (
  id              TEXT    NOT NULL PRIMARY KEY,
  user_id         TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name            TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  token_hash      TEXT    NOT NULL UNIQUE,
  created_at_ms   INTEGER NOT NULL,
  last_used_at_ms INTEGER,
  revoked_at_ms   INTEGER
) STRICT;
-- A user's tokens, newest first.
CREATE INDEX api_tokens_by_user ON api_tokens (user_id, created_at_ms DESC, id DESC);

-- One row per failed sign-in; key is 'email:<email>' or 'ip:<address>'.
CREATE TABLE sign_in_failures (
  id    INTEGER NOT NULL PRIMARY KEY,
  key   TEXT    NOT NULL CHECK (key <> ''),
  at_ms INTEGER NOT NULL
) STRICT;
-- Counting a key's recent failures is one index range scan.
CREATE INDEX sign_in_failures_by_key ON sign_in_failures (key, at_ms);
-- Pruning old failures of every key.
CREATE INDEX sign_in_failures_by_time ON sign_in_failures (at_ms);
