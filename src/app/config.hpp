#pragma once

// The one Config of the program, loaded once at start from GALLERY_*
// environment variables and the matching --flags (a flag wins over its
// variable), then validated: a bad value stops the program with a message
// naming the variable and what it expected.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/log.hpp"
#include "common/status.hpp"

namespace gallery::app {

struct Config {
  // Network.
  std::string listen_host = "127.0.0.1";
  uint16_t listen_port = 8080;
  int threads = 0;  // network threads; 0 = one per core

  // Where things are.
  std::filesystem::path data_dir = "./data";
  std::string database_url;       // default sqlite:///<data_dir>/gallery.db
  std::string database_password;  // overrides the URL's password when set
  int database_pool_size = 10;
  std::string storage = "local";  // "local" or "s3"
  // The built web UI. The default (relative: `make run` starts from the
  // checkout) may be missing, which leaves a page saying how to build it; a
  // web root given explicitly must load or the server does not start.
  std::filesystem::path web_dir = "web/dist";
  bool web_dir_explicit = false;

  // S3.
  std::string s3_bucket;
  std::string s3_prefix;
  std::string s3_region;  // default AWS_REGION, then AWS_DEFAULT_REGION
  std::string s3_endpoint;
  bool s3_force_path_style = false;
  std::string s3_sse;  // "", "AES256", "aws:kms"
  std::string s3_kms_key_id;
  std::string s3_ca_file;
  std::chrono::milliseconds s3_connect_timeout{3000};
  std::chrono::milliseconds s3_request_timeout{60000};
  int s3_max_attempts = 4;
  bool redirect_originals = false;
  std::chrono::seconds presign_ttl{300};

  // Limits.
  uint64_t max_upload_bytes = 256ull << 20;
  uint64_t max_pixels = 100'000'000;
  int image_workers = 0;  // 0 = one per core
  int image_queue = 0;    // 0 = 4 per worker
  int blocking_threads = 32;
  std::chrono::milliseconds backend_timeout{10'000};
  std::chrono::milliseconds shutdown_grace{25'000};
  std::chrono::milliseconds header_timeout{10'000};
  size_t cache_bytes = 64ull << 20;

  // Housekeeping.
  std::chrono::seconds sweep_interval{3600};
  std::chrono::seconds orphan_grace{3600};
  // How long deleted photos stay in the trash before they are purged.
  std::chrono::seconds trash_retention{30 * 24 * 3600};
  // An unfinished resumable upload untouched this long is removed (and a
  // finished one forgotten).
  std::chrono::seconds upload_expiry{24 * 3600};
  std::chrono::seconds metrics_interval{60};  // CloudWatch EMF lines; 0 = off

  // Accounts. The first admin is created from these when no user exists.
  std::string admin_email;
  std::string admin_password;
  std::chrono::milliseconds session_idle_timeout{std::chrono::hours(24 * 7)};
  std::chrono::milliseconds session_lifetime{std::chrono::hours(24 * 30)};
  int sign_in_max_failures = 5;               // per account within the window
  int sign_in_max_failures_per_address = 50;  // per client address within the window
  std::chrono::milliseconds sign_in_window{15 * 60 * 1000};
  std::chrono::milliseconds auth_cache_ttl{5000};  // 0 = every request asks the database
  int trusted_proxy_hops = 0;  // proxies appending to X-Forwarded-For (1 behind an ALB)

  LogLevel log_level = LogLevel::kInfo;

  // The SQLite path when database_url is sqlite (after defaults).
  std::filesystem::path SqlitePath() const;
  bool UsesPostgres() const;
};

// `gallery user add|list|reset-password`: account administration from the
// command line, straight on the database the Config names.
struct UserCommand {
  enum class Action { kAdd, kList, kResetPassword };
  Action action = Action::kList;
  std::string email;
  std::string role = "user";    // add: "admin" or "user"
  uint64_t quota_bytes = 0;     // add: 0 = unlimited
  bool password_stdin = false;  // read the password from stdin instead of a prompt
};

// What the command line asked for.
struct Invocation {
  enum class Command { kServe, kHealthcheck, kUser, kHelp, kVersion };
  Command command = Command::kServe;
  Config config;
  UserCommand user;  // for kUser
  std::string help_text;
};

// Parses argv and the environment (`environ` entries "NAME=value").
// kInvalidArgument with a message for the user on any bad value.
Result<Invocation> ParseCommandLine(int argc, const char* const* argv,
                                    const std::vector<std::string>& environ);

}  // namespace gallery::app
