-- Photos: one row per uploaded original. Times are Unix milliseconds (UTC),
-- as in the SQLite schema, so both stores behave the same.
-- Ids and hashes use the "C" collation: the listing breaks ties by id in byte
-- order whatever the database's locale.
CREATE TABLE photos (
  id             TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  filename       TEXT    NOT NULL,
  content_type   TEXT    NOT NULL,
  bytes          BIGINT  NOT NULL CHECK (bytes >= 0),
  width          INTEGER NOT NULL CHECK (width >= 0),
  height         INTEGER NOT NULL CHECK (height >= 0),
  frames         INTEGER NOT NULL CHECK (frames >= 1),
  taken_at_ms    BIGINT,
  uploaded_at_ms BIGINT  NOT NULL,
  -- The listing key (taken time, else upload time), kept by the database so
  -- that it can never disagree with the two columns it comes from.
  sort_at_ms     BIGINT  NOT NULL GENERATED ALWAYS AS (coalesce(taken_at_ms, uploaded_at_ms)) STORED,
  sha256         TEXT COLLATE "C" NOT NULL UNIQUE,
  -- json (not jsonb) keeps the text exactly as written, like SQLite does.
  exif_json      JSON    NOT NULL DEFAULT '{}' CHECK (json_typeof(exif_json) = 'object'),
  original_key   TEXT    NOT NULL,
  thumb_key      TEXT    NOT NULL,
  preview_key    TEXT    NOT NULL
);

-- Serves the newest-first listing, keyset-paginated on (sort_at_ms, id):
-- any page is one index range scan, however deep.
CREATE INDEX photos_newest_first ON photos (sort_at_ms DESC, id DESC);
