-- Photos get an owner and a trash; dedup becomes per owner.
-- owner_id is NULL only for photos uploaded before accounts existed: the
-- first admin adopts them. Deleting a user deletes their photo rows (blobs
-- without a row are then removed by the orphan sweeper).
ALTER TABLE photos ADD COLUMN owner_id TEXT COLLATE "C" REFERENCES users (id) ON DELETE CASCADE;
-- Set while the photo is in the trash (when it went there).
ALTER TABLE photos ADD COLUMN deleted_at_ms BIGINT;
ALTER TABLE photos DROP CONSTRAINT photos_sha256_key;
ALTER TABLE photos ADD CONSTRAINT photos_owner_sha256_key UNIQUE (owner_id, sha256);

-- An owner's live photos newest first, keyset-paginated on (sort_at_ms, id).
DROP INDEX photos_newest_first;
CREATE INDEX photos_newest_first ON photos (owner_id, sort_at_ms DESC, id DESC)
  WHERE deleted_at_ms IS NULL;
-- An owner's trash, most recently deleted first.
CREATE INDEX photos_trash ON photos (owner_id, deleted_at_ms DESC, id DESC)
  WHERE deleted_at_ms IS NOT NULL;
-- The purge of trash past its retention, across owners.
CREATE INDEX photos_trash_expiry ON photos (deleted_at_ms) WHERE deleted_at_ms IS NOT NULL;

-- Whether a share shows the camera details (EXIF without GPS) to visitors.
ALTER TABLE shares ADD COLUMN show_exif BOOLEAN NOT NULL DEFAULT false;
