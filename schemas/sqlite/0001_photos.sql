-- Photos: one row per uploaded original. Times are Unix milliseconds (UTC).
CREATE TABLE photos (
  id             TEXT    NOT NULL PRIMARY KEY,
  filename       TEXT    NOT NULL,
  content_type   TEXT    NOT NULL,
  bytes          INTEGER NOT NULL CHECK (bytes >= 0),
  width          INTEGER NOT NULL CHECK (width >= 0),
  height         INTEGER NOT NULL CHECK (height >= 0),
  frames         INTEGER NOT NULL CHECK (frames >= 1),
  taken_at_ms    INTEGER,
  uploaded_at_ms INTEGER NOT NULL,
  -- The listing key (taken time, else upload time), kept by the database so
  -- that it can never disagree with the two columns it comes from.
  sort_at_ms     INTEGER NOT NULL GENERATED ALWAYS AS (coalesce(taken_at_ms, uploaded_at_ms)) STORED,
  sha256         TEXT    NOT NULL UNIQUE,
  exif_json      TEXT    NOT NULL DEFAULT '{}'
                 CHECK (json_valid(exif_json) AND json_type(exif_json) = 'object'),
  original_key   TEXT    NOT NULL,
  thumb_key      TEXT    NOT NULL,
  preview_key    TEXT    NOT NULL
) STRICT;

-- Serves the newest-first listing, keyset-paginated on (sort_at_ms, id):
-- any page is one index range scan, however deep.
CREATE INDEX photos_newest_first ON photos (sort_at_ms DESC, id DESC);
