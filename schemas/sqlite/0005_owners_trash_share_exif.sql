-- gallery: foreign-keys-off
-- Photos get an owner and a trash. Dedup becomes per owner, so the UNIQUE
-- on sha256 alone goes; SQLite cannot drop a constraint, so the table is
-- rebuilt (SQLite's documented 12-step procedure: the runner turns foreign
-- keys off around this file, because dropping the old table would otherwise
-- cascade into album_photos and shares, and checks them before committing).
CREATE TABLE photos_new (
  id             TEXT    NOT NULL PRIMARY KEY,
  -- NULL only for photos uploaded before accounts existed: the first admin
  -- adopts them. Deleting a user deletes their photo rows (blobs without a
  -- row are then removed by the orphan sweeper).
  owner_id       TEXT    REFERENCES users (id) ON DELETE CASCADE,
  filename       TEXT    NOT NULL,
  content_type   TEXT    NOT NULL,
  bytes          INTEGER NOT NULL CHECK (bytes >= 0),
  width          INTEGER NOT NULL CHECK (width >= 0),
  height         INTEGER NOT NULL CHECK (height >= 0),
  frames         INTEGER NOT NULL CHECK (frames >= 1),
  taken_at_ms    INTEGER,
  uploaded_at_ms INTEGER NOT NULL,
  sort_at_ms     INTEGER NOT NULL GENERATED ALWAYS AS (coalesce(taken_at_ms, uploaded_at_ms)) STORED,
  sha256         TEXT    NOT NULL,
  exif_json      TEXT    NOT NULL DEFAULT '{}'
                 CHECK (json_valid(exif_json) AND json_type(exif_json) = 'object'),
  original_key   TEXT    NOT NULL,
  thumb_key      TEXT    NOT NULL,
  preview_key    TEXT    NOT NULL,
  -- Set while the photo is in the trash (when it went there).
  deleted_at_ms  INTEGER,
  UNIQUE (owner_id, sha256)
) STRICT;

INSERT INTO photos_new (id, filename, content_type, bytes, width, height, frames, taken_at_ms,
                        uploaded_at_ms, sha256, exif_json, original_key, thumb_key, preview_key)
  SELECT id, filename, content_type, bytes, width, height, frames, taken_at_ms,
         uploaded_at_ms, sha256, exif_json, original_key, thumb_key, preview_key
  FROM photos;
DROP TABLE photos;
ALTER TABLE photos_new RENAME TO photos;

-- An owner's live photos newest first, keyset-paginated on (sort_at_ms, id).
CREATE INDEX photos_newest_first ON photos (owner_id, sort_at_ms DESC, id DESC)
  WHERE deleted_at_ms IS NULL;
-- An owner's trash, most recently deleted first.
CREATE INDEX photos_trash ON photos (owner_id, deleted_at_ms DESC, id DESC)
  WHERE deleted_at_ms IS NOT NULL;
-- The purge of trash past its retention, across owners.
CREATE INDEX photos_trash_expiry ON photos (deleted_at_ms) WHERE deleted_at_ms IS NOT NULL;

-- Whether a share shows the camera details (EXIF without GPS) to visitors.
ALTER TABLE shares ADD COLUMN show_exif INTEGER NOT NULL DEFAULT 0 CHECK (show_exif IN (0, 1));
