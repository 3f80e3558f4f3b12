#pragma once

// What every handler needs: the services and the pool for blocking calls.
// Built by the composition root; handlers never reach for globals.

#include <boost/asio/thread_pool.hpp>
#include <chrono>

#include "common/metrics.hpp"
#include "gallery/album_service.hpp"
#include "gallery/auth_service.hpp"
#include "gallery/photo_service.hpp"
#include "gallery/share_service.hpp"
#include "gallery/upload_service.hpp"

namespace gallery::api {

struct ApiOptions {
  uint64_t max_upload_bytes = 256ull << 20;
  // Serve originals by redirecting to a presigned URL when the store can.
  bool redirect_originals = false;
  std::chrono::seconds presign_ttl{300};
};

struct ApiContext {
  service::PhotoService& photos;
  service::AuthService& auth;
  service::AlbumService& albums;
  service::ShareService& shares;
  boost::asio::thread_pool& blocking;  // storage, database and image calls run here
  Metrics& metrics;
  ApiOptions options;
  service::UploadService& uploads;  // resumable (tus) uploads
};

}  // namespace gallery::api
