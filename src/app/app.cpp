#include "app/app.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <system_error>

#include "api/api_context.hpp"
#include "api/index_page.hpp"
#include "api/operations_handler.hpp"
#include "api/photos_handler.hpp"
#include "api/uploads_handler.hpp"
#include "app/backends.hpp"
#include "common/log.hpp"
#include "common/metrics.hpp"
#include "common/version.hpp"
#include "gallery/photo_service.hpp"
#include "gallery/upload_service.hpp"
#include "http/server.hpp"
#include "image/image_pool.hpp"
#include "image/pipeline.hpp"

namespace gallery::app {
namespace {

namespace asio = boost::asio;

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

}  // namespace

Status RunServer(const Config& config, const char* argv0) {
  SetLogLevel(config.log_level);
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
  service::PhotoService photos(*backends->blobs, *backends->metadata, image_pool, metrics,
                               photo_options);

  service::UploadServiceOptions upload_options;
  upload_options.max_upload_bytes = config.max_upload_bytes;
  upload_options.expiry = config.upload_expiry;
  // A claim outlasts one staged step (a tail read, a part upload, a
  // database write: each bounded by the backend timeout) several times.
  upload_options.claim_lease = std::max<std::chrono::seconds>(
      std::chrono::seconds(30),
      std::chrono::duration_cast<std::chrono::seconds>(6 * config.backend_timeout));
  upload_options.scratch_dir = spool_dir;
  service::UploadService uploads(*backends->uploads, *backends->staging, photos, metrics,
                                 upload_options);

  api::ApiOptions api_options;
  api_options.max_upload_bytes = config.max_upload_bytes;
  api_options.redirect_originals = config.redirect_originals;
  api_options.presign_ttl = config.presign_ttl;
  api::ApiContext context{photos, blocking, metrics, api_options, uploads};

  http::Router router;
  api::RegisterOperationsRoutes(router, context);
  api::RegisterPhotoRoutes(router, context);
  api::RegisterUploadRoutes(router, context);
  api::RegisterIndexPage(router, context);

  http::ServerOptions server_options;
  server_options.host = config.listen_host;
  server_options.port = config.listen_port;
  server_options.threads = config.threads;
  server_options.spool_dir = spool_dir;
  server_options.shutdown_grace = config.shutdown_grace;
  server_options.header_timeout = config.header_timeout;
  http::Server server(server_options, router, metrics);
  GALLERY_RETURN_IF_ERROR(server.Listen());
  server.HandleSignals();

  PeriodicTask sweeper(server.io_context(), blocking, config.sweep_interval, [&photos] {
    Result<service::SweepReport> r = photos.SweepOrphans();
    if (!r.ok()) LogWarn("orphan sweep failed", {{"error", r.status().message()}});
  });
  sweeper.Start();
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
