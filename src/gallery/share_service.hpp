#pragma once

// ShareService: links that show one album or one photo to anyone holding the
// link, without an account.
//
// Privacy rules (the contract the share routes rely on):
// - A link covers exactly its album's photos (outside the trash) or its one
//   photo; any other id through a link answers kNotFound.
// - Unknown, expired, revoked links and wrong passwords all answer the same
//   kNotFound, so a visitor learns nothing about which it was. Only a link
//   that is alive and has a password, opened without one, answers
//   kSharePasswordRequired (the page then asks for it).
// - Wrong passwords are counted per link in the shared failure log (every
//   instance counts the same); past the limit the link answers
//   kTooManyRequests until the window has passed.
// - Tokens have 256 random bits; only their hash is stored, so a link is
//   shown once, when it is made.
//
// Every method blocks (database, argon2): call from a blocking pool. Safe
// for concurrent use.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "db/album_store.hpp"
#include "db/metadata_store.hpp"
#include "db/share_store.hpp"
#include "db/user_store.hpp"

namespace gallery::service {

struct ShareServiceOptions {
  int max_password_failures = 10;  // per link within the window
  std::chrono::seconds password_failure_window{15 * 60};
};

struct NewShare {
  std::optional<std::string> album_id;  // exactly one of the two
  std::optional<std::string> photo_id;
  std::optional<db::Clock::time_point> expires_at;
  std::optional<std::string> password;  // none or empty: no password
  bool allow_download = false;
  bool show_exif = false;
};

struct CreatedShare {
  db::ShareRecord share;
  std::string token;  // the secret part of the link; shown once
};

// An opened link: what it shows.
struct ShareAccess {
  db::ShareRecord share;
  std::optional<db::AlbumRecord> album;  // set for an album link
};

struct SharedPhotosPage {
  std::vector<db::PhotoRecord> photos;
  std::optional<db::AlbumPhotoCursor> next;
};

class ShareService {
 public:
  // The stores must outlive the service. `failures` is the failed sign-in
  // log of the UserStore, used with keys "share:<id>".
  ShareService(db::ShareStore& shares, db::AlbumStore& albums, db::MetadataStore& photos,
               db::UserStore& failures, ShareServiceOptions options = {});

  // kNotFound when the album or photo is not the owner's (or the photo is in
  // the trash); kInvalidArgument when not exactly one target is given or the
  // expiry is not in the future.
  Result<CreatedShare> Create(const std::string& owner_id, const NewShare& share);
  Result<db::ShareRecord> Get(const std::string& owner_id, const std::string& id);
  Result<db::SharePage> List(const std::string& owner_id,
                             const std::optional<db::ShareCursor>& after, int limit);
  Status Revoke(const std::string& owner_id, const std::string& id);
  // The album's title for a share of an album, else nullopt (for lists).
  std::optional<std::string> TitleOf(const db::ShareRecord& share);

  // Opens a link with the password the visitor gave (if any), or with an
  // unlock proof from an earlier Unlock. See the privacy rules above.
  Result<ShareAccess> Open(const std::string& token, const std::optional<std::string>& password,
                           const std::optional<std::string>& unlock_proof);

  // The value a visitor's browser keeps after entering the right password
  // (in a cookie scoped to the link), so that image requests need no
  // password. Derived from the token and the stored password hash: it cannot
  // be made without either, dies with the link, and needs no server state.
  static std::string UnlockProof(const std::string& token, const db::ShareRecord& share);

  // What the link shows, in album order (one photo for a photo link).
  Result<SharedPhotosPage> ListPhotos(const ShareAccess& access,
                                      const std::optional<db::AlbumPhotoCursor>& after, int limit);
  // One photo the link covers; kNotFound for any other.
  Result<db::PhotoRecord> GetPhoto(const ShareAccess& access, const std::string& photo_id);

 private:
  db::ShareStore& shares_;
  db::AlbumStore& albums_;
  db::MetadataStore& photos_;
  db::UserStore& failures_;
  const ShareServiceOptions options_;
};

}  // namespace gallery::service
