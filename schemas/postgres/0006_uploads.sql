-- Resumable (tus) uploads: in progress, and finished ones until they expire
-- (so that a client that missed the last answer can still learn its photo).
-- The bytes are staged elsewhere (a file under the data dir, or an S3
-- multipart upload); staging_state records where, in the staging's terms.
-- A writer claims the row first (claim_token until claimed_until): see
-- src/db/upload_store.hpp. Times are Unix milliseconds (UTC); ids and
-- tokens use the "C" collation, as elsewhere.
CREATE TABLE uploads (
  id               TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  owner_id         TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  length_bytes     BIGINT NOT NULL CHECK (length_bytes > 0),
  offset_bytes     BIGINT NOT NULL DEFAULT 0
                          CHECK (offset_bytes BETWEEN 0 AND length_bytes),
  filename         TEXT   NOT NULL,
  staging_state    TEXT   NOT NULL DEFAULT '',
  -- Not a foreign key: deleting the photo later must not make a finished
  -- upload look unfinished (and be made into a photo again).
  photo_id         TEXT COLLATE "C" CHECK (photo_id IS NULL OR offset_bytes = length_bytes),
  created_at_ms    BIGINT NOT NULL,
  expires_at_ms    BIGINT NOT NULL,
  claim_token      TEXT COLLATE "C",
  claimed_until_ms BIGINT,
  CHECK ((claim_token IS NULL) = (claimed_until_ms IS NULL))
);
-- Counting a user's unfinished uploads (the per-user cap).
CREATE INDEX uploads_unfinished_by_owner ON uploads (owner_id) WHERE photo_id IS NULL;
-- The expiry sweep.
CREATE INDEX uploads_by_expiry ON uploads (expires_at_ms, id);
