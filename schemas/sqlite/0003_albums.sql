-- Albums and their photos. A photo can be in many albums. Deleting a photo
-- row removes it from every album (album_photos cascade) and clears covers
-- that were that photo (SET NULL); deleting a user deletes their albums.
CREATE TABLE albums (
  id             TEXT    NOT NULL PRIMARY KEY,
  owner_id       TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title          TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
  description    TEXT    NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
  cover_photo_id TEXT    REFERENCES photos (id) ON DELETE SET NULL,
  created_at_ms  INTEGER NOT NULL,
  updated_at_ms  INTEGER NOT NULL
) STRICT;
-- An owner's albums newest first, keyset-paginated on (created_at_ms, id).
CREATE INDEX albums_by_owner ON albums (owner_id, created_at_ms DESC, id DESC);
-- Clearing covers when a photo goes.
CREATE INDEX albums_by_cover ON albums (cover_photo_id) WHERE cover_photo_id IS NOT NULL;

-- Album order is by position (sparse integers, so that moving one photo
-- usually writes one row), then photo_id as a tie-break.
CREATE TABLE album_photos (
  album_id    TEXT    NOT NULL REFERENCES albums (id) ON DELETE CASCADE,
  photo_id    TEXT    NOT NULL REFERENCES photos (id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,
  added_at_ms INTEGER NOT NULL,
  PRIMARY KEY (album_id, photo_id)
) STRICT, WITHOUT ROWID;
-- An album's photos in order, keyset-paginated on (position, photo_id).
CREATE INDEX album_photos_in_order ON album_photos (album_id, position, photo_id);
-- The albums of a photo; and the cascade when a photo row is deleted.
CREATE INDEX album_photos_by_photo ON album_photos (photo_id);
