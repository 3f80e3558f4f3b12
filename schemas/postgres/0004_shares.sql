-- Share links: one album or one photo, readable by whoever holds the token.
-- Only the token's SHA-256 is stored. A share goes with its album, photo or
-- owner (cascade).
CREATE TABLE shares (
  id              TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  owner_id        TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash      TEXT COLLATE "C" NOT NULL UNIQUE,
  album_id        TEXT COLLATE "C" REFERENCES albums (id) ON DELETE CASCADE,
  photo_id        TEXT COLLATE "C" REFERENCES photos (id) ON DELETE CASCADE,
  expires_at_ms   BIGINT,
  password_hash   TEXT    CHECK (password_hash <> ''),
  allow_download  BOOLEAN NOT NULL DEFAULT false,
  created_at_ms   BIGINT  NOT NULL,
  revoked_at_ms   BIGINT,
  CHECK ((album_id IS NULL) <> (photo_id IS NULL)),
  CHECK (expires_at_ms IS NULL OR expires_at_ms > created_at_ms)
);
-- An owner's shares newest first, keyset-paginated on (created_at_ms, id).
CREATE INDEX shares_by_owner ON shares (owner_id, created_at_ms DESC, id DESC);
-- The cascades when an album or a photo is deleted.
CREATE INDEX shares_by_album ON shares (album_id) WHERE album_id IS NOT NULL;
CREATE INDEX shares_by_photo ON shares (photo_id) WHERE photo_id IS NOT NULL;
