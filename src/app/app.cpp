#include "app/app.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <system_error>

#include "api/albums_handler.hpp"
#include "api/api_context.hpp"
#include "api/auth_handler.hpp"
#include "api/operations_handler.hpp"
#include "api/photos_handler.hpp"
#include "api/shares_handler.hpp"
#include "api/tokens_handler.hpp"
#include "api/trash_handler.hpp"
#include "api/uploads_handler.hpp"
#include "api/users_handler.hpp"
#include "api/web_ui.hpp"
#include "app/backends.hpp"
#include "common/log.hpp"
#include "common/metrics.hpp"
#include "common/version.hpp"
#include "gallery/auth_service.hpp"
#include "gallery/photo_service.hpp"
#include "gallery/upload_service.hpp"
#include "http/offload.hpp"
#include "http/server.hpp"
#include "http/static_assets.hpp"
#include "image/image_pool.hpp"
#include "image/pipeline.hpp"

namespace gallery::app {
namespace {

namespace asio = boost::asio;

// How often expired sessions and old sign-in failures are deleted.
constexpr std::chrono::minutes kAuthCleanupInterval{10};

// Removes bodies spooled by a previous run that died mid-request.
Status PrepareSpoolDir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IoError("cannot create " + dir.string() + ": " + ec.message());
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    std::filesystem::remove(entry.path(), ec);
  }
  return Status::Ok();
}

// Runs `task` on `pool` every `interval`, never two at once.
class PeriodicTask {
 public:
  PeriodicTask(asio::io_context& io, asio::thread_pool& pool, std::chrono::milliseconds interval,
               std::function<void()> task)
      : timer_(io), pool_(pool), interval_(interval), task_(std::move(task)) {}

  void Start() {
    if (interval_.count() <= 0) return;
    timer_.expires_after(interval_);
    timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      asio::post(pool_, [this] {
        task_();
        Start();
      });
    });
  }

 private:
  asio::steady_timer timer_;
  asio::thread_pool& pool_;
  std::chrono::milliseconds interval_;
  std::function<void()> task_;
};

// Photos uploaded before accounts existed have no owner; the first admin
// gets them, so that nothing a user had becomes invisible.
Status AdoptPhotosFromBeforeAccounts(Backends& backends, const std::string& admin_email) {
  Result<db::UserRecord> admin = backends.users->FindUserByEmail(admin_email);
  if (!admin.ok()) return admin.status().WithContext("first admin");
  Result<int64_t> adopted = backends.metadata->AdoptUnownedPhotos(admin->id);
  if (!adopted.ok()) return adopted.status().WithContext("adopting photos");
  if (*adopted > 0) {
    LogInfo("photos from before accounts now belong to the first admin",
            {{"photos", *adopted}, {"user_id", admin->id}});
  }
  return Status::Ok();
}

}  // namespace

Status RunServer(const Config& config, const char* argv0) {
  SetLogLevel(config.log_level);
  // The web UI first: a wrong explicit web root stops the start at once.
  std::error_code abs_ec;
  const std::string web_dir = std::filesystem::absolute(config.web_dir, abs_ec).string();
  std::optional<http::StaticAssets> web_ui;  // served from memory; outlives the router
  if (Result<http::StaticAssets> loaded = http::StaticAssets::Load(config.web_dir); loaded.ok()) {
    web_ui = std::move(*loaded);
    LogInfo("web UI loaded", {{"web_dir", web_dir},
                              {"files", web_ui->files().size()},
                              {"bytes", web_ui->total_bytes()}});
  } else if (config.web_dir_explicit) {
    return Status::InvalidArgument("GALLERY_WEB_DIR (--web-dir): cannot serve the web UI from " +
                                   web_dir + ": " + loaded.status().message() +
                                   ". Build it with `make web` (npm run build in web/).");
  } else {
    LogWarn("web UI not built: / shows how to build it (make web)",
            {{"web_dir", web_dir}, {"error", loaded.status().message()}});
  }
  GALLERY_RETURN_IF_ERROR(image::InitImageLibrary(argv0));
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    return Status::IoError("GALLERY_DATA_DIR: cannot create " + config.data_dir.string() + ": " +
                           ec.message());
  }
  const std::filesystem::path spool_dir = config.data_dir / "spool";
  GALLERY_RETURN_IF_ERROR(PrepareSpoolDir(spool_dir));

  Result<Backends> backends = OpenBackends(config);
  if (!backends.ok()) return backends.status();
  // A storage that does not answer yet is not fatal: /readyz reports it and
  // the service resumes by itself when it comes back.
  if (Status s = backends->blobs->Ping(); !s.ok()) {
    LogError("storage is not reachable at start; /readyz will say 503 until it is",
             {{"error", s.message()}});
  }

  Metrics metrics;
  image::ImagePool image_pool(config.image_workers, config.image_queue);
  asio::thread_pool blocking(static_cast<size_t>(config.blocking_threads));

  service::PhotoServiceOptions photo_options;
  photo_options.limits.max_pixels = config.max_pixels;
  photo_options.max_upload_bytes = config.max_upload_bytes;
  photo_options.cache_bytes = config.cache_bytes;
  photo_options.orphan_grace = config.orphan_grace;
  photo_options.trash_retention = config.trash_retention;
  service::PhotoService photos(*backends->blobs, *backends->metadata, image_pool, metrics,
                               photo_options);

  service::AuthOptions auth_options;
  auth_options.session_idle_timeout = config.session_idle_timeout;
  auth_options.session_lifetime = config.session_lifetime;
  auth_options.sign_in.max_failures_per_account = config.sign_in_max_failures;
  auth_options.sign_in.max_failures_per_address = config.sign_in_max_failures_per_address;
  auth_options.sign_in.window = config.sign_in_window;
  auth_options.cache_ttl = config.auth_cache_ttl;
  auth_options.used_bytes = [&backends](const std::string& id) {
    return backends->metadata->UsedBytes(id);
  };
  // Password hashes at once: about one per core (each is CPU and 64 MiB).
  auth_options.max_concurrent_hashes = std::max(2, config.image_workers);
  service::AuthService auth(*backends->users, auth_options);
  auth.Prepare();
  Result<bool> admin = auth.EnsureFirstAdmin(config.admin_email, config.admin_password);
  if (!admin.ok()) return admin.status().WithContext("first admin");
  if (*admin) GALLERY_RETURN_IF_ERROR(AdoptPhotosFromBeforeAccounts(*backends, config.admin_email));
  service::AlbumService albums(*backends->albums, *backends->metadata);
  service::ShareService shares(*backends->shares, *backends->albums, *backends->metadata,
                               *backends->users);
  service::UploadServiceOptions upload_options;
  upload_options.max_upload_bytes = config.max_upload_bytes;
  upload_options.expiry = config.upload_expiry;
  // A claim outlasts one staged step (a tail read, a part upload, a
  // database write: each bounded by the backend timeout) several times.
  upload_options.claim_lease = std::max<std::chrono::seconds>(
      std::chrono::seconds(30),
      std::chrono::duration_cast<std::chrono::seconds>(6 * config.backend_timeout));
  upload_options.scratch_dir = spool_dir;
  upload_options.quota_of = [&backends](const std::string& user_id) -> Result<int64_t> {
    Result<db::UserRecord> user = backends->users->GetUser(user_id);
    if (!user.ok()) return user.status();
    return user->quota_bytes;
  };
  service::UploadService uploads(*backends->uploads, *backends->staging, photos, metrics,
                                 upload_options);

  api::ApiOptions api_options;
  api_options.max_upload_bytes = config.max_upload_bytes;
  api_options.redirect_originals = config.redirect_originals;
  api_options.presign_ttl = config.presign_ttl;
  api::ApiContext context{photos, auth, albums, shares, blocking, metrics, api_options, uploads};

  http::Router router;
  api::RegisterOperationsRoutes(router, context);
  api::RegisterPhotoRoutes(router, context);
  api::RegisterAuthRoutes(router, context);
  api::RegisterTokenRoutes(router, context);
  api::RegisterUserRoutes(router, context);
  api::RegisterTrashRoutes(router, context);
  api::RegisterAlbumRoutes(router, context);
  api::RegisterShareRoutes(router, context);
  api::RegisterUploadRoutes(router, context);
  if (web_ui) {
    api::WebUiOptions web_options;
    // A dead link's page answers 404, like its API; one with a password is
    // alive (the page asks for it), and so is any link while the database
    // does not answer (the page then shows the API's error).
    web_options.share_link_alive = [&shares,
                                    &blocking](const std::string& token) -> asio::awaitable<bool> {
      Result<service::ShareAccess> access = co_await http::Offload(
          blocking, [&shares, &token] { return shares.Open(token, std::nullopt, std::nullopt); });
      co_return access.code() != ErrorCode::kNotFound;
    };
    api::RegisterWebUiRoutes(router, *web_ui, web_options);
  } else {
    api::RegisterWebUiMissingPage(router, web_dir);
  }

  http::ServerOptions server_options;
  server_options.host = config.listen_host;
  server_options.port = config.listen_port;
  server_options.threads = config.threads;
  server_options.spool_dir = spool_dir;
  server_options.shutdown_grace = config.shutdown_grace;
  server_options.header_timeout = config.header_timeout;
  server_options.trusted_proxy_hops = config.trusted_proxy_hops;
  http::Server server(server_options, router, metrics);
  GALLERY_RETURN_IF_ERROR(server.Listen());
  server.HandleSignals();

  PeriodicTask sweeper(server.io_context(), blocking, config.sweep_interval, [&photos] {
    Result<service::SweepReport> r = photos.SweepOrphans();
    if (!r.ok()) LogWarn("orphan sweep failed", {{"error", r.status().message()}});
  });
  sweeper.Start();
  PeriodicTask trash_purge(server.io_context(), blocking, config.sweep_interval, [&photos] {
    Result<int64_t> r = photos.PurgeExpiredTrash();
    if (!r.ok()) LogWarn("trash purge failed", {{"error", r.status().message()}});
  });
  trash_purge.Start();
  PeriodicTask auth_cleanup(server.io_context(), blocking, kAuthCleanupInterval, [&auth] {
    Status s = auth.Cleanup();
    if (!s.ok()) LogWarn("auth cleanup failed", {{"error", s.message()}});
  });
  auth_cleanup.Start();
  PeriodicTask upload_sweeper(server.io_context(), blocking, config.sweep_interval, [&uploads] {
    Result<service::UploadSweepReport> r = uploads.SweepExpired();
    if (!r.ok()) {
      LogWarn("expired upload sweep failed", {{"error", r.status().message()}});
    } else if (r->removed > 0) {
      LogInfo("expired uploads removed", {{"removed", r->removed}});
    }
  });
  upload_sweeper.Start();
  PeriodicTask emf(server.io_context(), blocking, config.metrics_interval, [&metrics] {
    std::string line = metrics.TakeEmfSnapshot("PictureGallery");
    if (!line.empty()) WriteLogLine(line);
  });
  emf.Start();

  LogInfo("listening", {{"version", kVersion},
                        {"address", config.listen_host + ":" + std::to_string(server.port())},
                        {"port", server.port()},
                        {"storage", config.storage},
                        {"database", config.UsesPostgres() ? "postgres" : "sqlite"},
                        {"data_dir", config.data_dir.string()},
                        {"threads", config.threads},
                        {"image_workers", config.image_workers}});
  server.Run();
  // The network has stopped: let queued blocking and image work finish.
  blocking.join();
  image_pool.Shutdown();
  LogInfo("stopped");
  return Status::Ok();
}

}  // namespace gallery::app
