#include "app/config.hpp"

#include <CLI/CLI.hpp>
#include <charconv>
#include <functional>
#include <map>
#include <thread>

namespace gallery::app {
namespace {

// Applies a raw value to the config; returns what was expected on failure.
using Apply = std::function<std::optional<std::string>(Config&, const std::string&)>;

struct Setting {
  std::string env;   // GALLERY_MAX_PIXELS
  std::string flag;  // --max-pixels
  std::string help;
  Apply apply;
};

std::string FlagFor(const std::string& env) {
  std::string flag = "--";
  for (char c : env.substr(8)) flag.push_back(c == '_' ? '-' : static_cast<char>(std::tolower(c)));
  return flag;
}

template <typename T>
bool ParseInt(const std::string& text, T* out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

// "10MB", "1GiB", "5000" → bytes.
bool ParseBytes(const std::string& text, uint64_t* out) {
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  uint64_t n;
  if (digits == 0 || !ParseInt(text.substr(0, digits), &n)) return false;
  std::string unit = text.substr(digits);
  static const std::map<std::string, uint64_t> kUnits = {{"", 1},
                                                         {"B", 1},
                                                         {"KB", 1000},
                                                         {"MB", 1000000},
                                                         {"GB", 1000000000},
                                                         {"KiB", 1ull << 10},
                                                         {"MiB", 1ull << 20},
                                                         {"GiB", 1ull << 30},
                                                         {"TB", 1000000000000},
                                                         {"TiB", 1ull << 40}};
  auto it = kUnits.find(unit);
  if (it == kUnits.end()) return false;
  *out = n * it->second;
  return n == 0 || *out / it->second == n;
}

// "30s", "5m", "2h", "1500ms", "10" (seconds) → milliseconds.
bool ParseDuration(const std::string& text, std::chrono::milliseconds* out) {
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  int64_t n;
  if (digits == 0 || !ParseInt(text.substr(0, digits), &n)) return false;
  std::string unit = text.substr(digits);
  static const std::map<std::string, int64_t> kMs = {{"", 1000},   {"ms", 1},      {"s", 1000},
                                                     {"m", 60000}, {"h", 3600000}, {"d", 86400000}};
  auto it = kMs.find(unit);
  if (it == kMs.end()) return false;
  *out = std::chrono::milliseconds(n * it->second);
  return true;
}

bool ParseBool(const std::string& text, bool* out) {
  if (text == "1" || text == "true" || text == "yes" || text == "on") return *out = true, true;
  if (text == "0" || text == "false" || text == "no" || text == "off") return *out = false, true;
  return false;
}

Apply PositiveInt(int Config::*field, int max) {
  return [field, max](Config& c, const std::string& v) -> std::optional<std::string> {
    int n;
    if (!ParseInt(v, &n) || n < 0 || n > max) {
      return "a whole number from 0 to " + std::to_string(max);
    }
    c.*field = n;
    return std::nullopt;
  };
}

Apply Bytes(uint64_t Config::*field) {
  return [field](Config& c, const std::string& v) -> std::optional<std::string> {
    uint64_t n;
    if (!ParseBytes(v, &n) || n == 0) return "a positive size such as 5000000, 200MB or 1GiB";
    c.*field = n;
    return std::nullopt;
  };
}

template <typename Duration>
Apply DurationOf(Duration Config::*field, bool allow_zero) {
  return [field, allow_zero](Config& c, const std::string& v) -> std::optional<std::string> {
    std::chrono::milliseconds ms;
    if (!ParseDuration(v, &ms) || (!allow_zero && ms.count() == 0)) {
      return "a duration such as 30s, 5m, 2h or 1500ms";
    }
    c.*field = std::chrono::duration_cast<Duration>(ms);
    return std::nullopt;
  };
}

Apply Text(std::string Config::*field) {
  return [field](Config& c, const std::string& v) -> std::optional<std::string> {
    c.*field = v;
    return std::nullopt;
  };
}

Apply Flag(bool Config::*field) {
  return [field](Config& c, const std::string& v) -> std::optional<std::string> {
    if (!ParseBool(v, &(c.*field))) return "true or false";
    return std::nullopt;
  };
}

std::vector<Setting> Settings() {
  std::vector<Setting> s;
  auto add = [&s](std::string env, std::string help, Apply apply) {
    std::string flag = FlagFor(env);
    s.push_back(Setting{std::move(env), std::move(flag), std::move(help), std::move(apply)});
  };
  add("GALLERY_LISTEN", "address:port to serve on (default 127.0.0.1:8080)",
      [](Config& c, const std::string& v) -> std::optional<std::string> {
        size_t colon = v.rfind(':');
        int port;
        if (colon == std::string::npos || colon == 0 || !ParseInt(v.substr(colon + 1), &port) ||
            port < 0 || port > 65535) {
          return "host:port, e.g. 127.0.0.1:8080 or 0.0.0.0:8080";
        }
        std::string host = v.substr(0, colon);
        if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
          host = host.substr(1, host.size() - 2);
        }
        c.listen_host = host;
        c.listen_port = static_cast<uint16_t>(port);
        return std::nullopt;
      });
  add("GALLERY_DATA_DIR", "local pictures, SQLite file and upload spool (default ./data)",
      [](Config& c, const std::string& v) -> std::optional<std::string> {
        if (v.empty()) return "a directory path";
        c.data_dir = v;
        return std::nullopt;
      });
  add("GALLERY_WEB_DIR",
      "the built web UI, served at / (default web/dist; the container's is "
      "/usr/local/share/gallery/web)",
      [](Config& c, const std::string& v) -> std::optional<std::string> {
        if (v.empty()) return "a directory path";
        c.web_dir = v;
        c.web_dir_explicit = true;
        return std::nullopt;
      });
  add("GALLERY_DATABASE_URL",
      "sqlite:///path/gallery.db (default under the data dir) or postgres://user:pass@host:port/db",
      [](Config& c, const std::string& v) -> std::optional<std::string> {
        if (v.rfind("sqlite://", 0) != 0 && v.rfind("postgres://", 0) != 0 &&
            v.rfind("postgresql://", 0) != 0) {
          return "a URL starting with sqlite:// or postgres://";
        }
        c.database_url = v;
        return std::nullopt;
      });
  add("GALLERY_DATABASE_PASSWORD", "PostgreSQL password; overrides the one in the URL",
      Text(&Config::database_password));
  add("GALLERY_DATABASE_POOL_SIZE", "PostgreSQL connections per instance (default 10)",
      [](Config& c, const std::string& v) -> std::optional<std::string> {
        int n;
        if (!ParseInt(v, &n) || n < 1 || n > 1000) return "a whole number from 1 to 1000";
        c.database_pool_size = n;
        return std::nullopt;
      });
  add("GALLERY_STORAGE", "where pictures live: local (default) or s3",
      [](Config& c, const std::string& v) -> std::optional<std::string> {
        if (v != "local" && v != "s3") return "local or s3";
        c.storage = v;
        return std::nullopt;
      });
  add("GALLERY_S3_BUCKET", "S3 bucket (GALLERY_STORAGE=s3)", Text(&Config::s3_bucket));
  add("GALLERY_S3_PREFIX", "key prefix inside the bucket, e.g. gallery/", Text(&Config::s3_prefix));
  add("GALLERY_S3_REGION", "S3 region (default AWS_REGION)", Text(&Config::s3_region));
  add("GALLERY_S3_ENDPOINT", "endpoint URL for S3-compatible stores (MinIO, Ceph, Garage)",
      Text(&Config::s3_endpoint));
  add("GALLERY_S3_FORCE_PATH_STYLE", "path-style bucket addressing (true/false)",
      Flag(&Config::s3_force_path_style));
  add("GALLERY_S3_SSE", "server-side encryption: AES256 or aws:kms (default: the bucket's)",
      [](Config& c, const std::string& v) -> std::optional<std::string> {
        if (!v.empty() && v != "AES256" && v != "aws:kms") return "AES256 or aws:kms";
        c.s3_sse = v;
        return std::nullopt;
      });
  add("GALLERY_S3_KMS_KEY_ID", "KMS key id for GALLERY_S3_SSE=aws:kms",
      Text(&Config::s3_kms_key_id));
  add("GALLERY_S3_CA_FILE", "PEM CA certificates for an https S3-compatible endpoint",
      Text(&Config::s3_ca_file));
  add("GALLERY_S3_CONNECT_TIMEOUT", "S3 connection set-up deadline (default 3s)",
      DurationOf(&Config::s3_connect_timeout, false));
  add("GALLERY_S3_REQUEST_TIMEOUT",
      "deadline of one S3 request (default 60s, at most GALLERY_BACKEND_TIMEOUT)",
      DurationOf(&Config::s3_request_timeout, false));
  add("GALLERY_S3_MAX_ATTEMPTS", "tries per S3 request, with backoff (default 4)",
      [](Config& c, const std::string& v) -> std::optional<std::string> {
        int n;
        if (!ParseInt(v, &n) || n < 1 || n > 20) return "a whole number from 1 to 20";
        c.s3_max_attempts = n;
        return std::nullopt;
      });
  add("GALLERY_REDIRECT_ORIGINALS",
      "serve originals by redirect to a short-lived presigned S3 URL (true/false)",
      Flag(&Config::redirect_originals));
  add("GALLERY_PRESIGN_TTL", "lifetime of presigned original URLs (default 5m)",
      DurationOf(&Config::presign_ttl, false));
  add("GALLERY_MAX_UPLOAD_BYTES", "largest upload request body (default 256MiB)",
      Bytes(&Config::max_upload_bytes));
  add("GALLERY_MAX_PIXELS", "largest width x height x frames accepted (default 100000000)",
      [](Config& c, const std::string& v) -> std::optional<std::string> {
        uint64_t n;
        if (!ParseInt(v, &n) || n == 0) return "a positive whole number of pixels";
        c.max_pixels = n;
        return std::nullopt;
      });
  add("GALLERY_THREADS", "network threads (default: one per core)",
      PositiveInt(&Config::threads, 256));
  add("GALLERY_IMAGE_WORKERS", "image processing threads (default: one per core)",
      PositiveInt(&Config::image_workers, 256));
  add("GALLERY_IMAGE_QUEUE",
      "image jobs that may wait before uploads get 503 (default 4 per worker)",
      PositiveInt(&Config::image_queue, 100000));
  add("GALLERY_BACKEND_TIMEOUT", "deadline of one database or storage call (default 10s)",
      DurationOf(&Config::backend_timeout, false));
  add("GALLERY_SHUTDOWN_GRACE", "time in-flight requests get to finish on SIGTERM (default 25s)",
      DurationOf(&Config::shutdown_grace, true));
  add("GALLERY_HEADER_TIMEOUT",
      "time a client has to send a request's headers once it starts (default 10s)",
      DurationOf(&Config::header_timeout, false));
  add("GALLERY_CACHE_BYTES", "memory for hot thumbnails and previews (default 64MiB)",
      [](Config& c, const std::string& v) -> std::optional<std::string> {
        uint64_t n;
        if (v == "0") return c.cache_bytes = 0, std::nullopt;
        if (!ParseBytes(v, &n)) return "a size such as 64MiB, or 0 to disable";
        c.cache_bytes = n;
        return std::nullopt;
      });
  add("GALLERY_SWEEP_INTERVAL",
      "how often to remove orphaned blobs and expired uploads (default 1h)",
      DurationOf(&Config::sweep_interval, false));
  add("GALLERY_ORPHAN_GRACE", "age before a blob without a row is removed (default 1h)",
      DurationOf(&Config::orphan_grace, true));
  add("GALLERY_TRASH_RETENTION",
      "how long deleted photos stay in the trash, restorable, before they are purged "
      "(default 30d; checked every GALLERY_SWEEP_INTERVAL)",
      DurationOf(&Config::trash_retention, true));
  add("GALLERY_UPLOAD_EXPIRY",
      "idle time after which an unfinished resumable upload is removed (default 24h)",
      DurationOf(&Config::upload_expiry, false));
  add("GALLERY_METRICS_INTERVAL",
      "CloudWatch EMF metric lines on stdout every (default 60s; 0 = off)",
      DurationOf(&Config::metrics_interval, true));
  add("GALLERY_ADMIN_EMAIL", "e-mail of the first admin, created when no user exists",
      Text(&Config::admin_email));
  add("GALLERY_ADMIN_PASSWORD", "password of the first admin (at least 8 characters)",
      Text(&Config::admin_password));
  add("GALLERY_SESSION_IDLE_TIMEOUT",
      "sign a session out after this long without a request (default 7d, at least 2m)",
      [](Config& c, const std::string& v) -> std::optional<std::string> {
        std::chrono::milliseconds ms;
        // Activity is written at most once a minute (db::kTouchInterval):
        // a shorter idle timeout would end sessions that are in use.
        if (!ParseDuration(v, &ms) || ms < std::chrono::minutes(2)) {
          return "a duration of at least 2m, such as 30m, 12h or 7d";
        }
        c.session_idle_timeout = ms;
        return std::nullopt;
      });
  add("GALLERY_SESSION_LIFETIME",
      "sign a session out this long after sign-in, whatever the activity (default 30d)",
      DurationOf(&Config::session_lifetime, false));
  add("GALLERY_SIGNIN_MAX_FAILURES",
      "failed sign-ins of one account within GALLERY_SIGNIN_WINDOW that lock it out (default 5)",
      [](Config& c, const std::string& v) -> std::optional<std::string> {
        int n;
        if (!ParseInt(v, &n) || n < 1 || n > 1000) return "a whole number from 1 to 1000";
        c.sign_in_max_failures = n;
        return std::nullopt;
      });
  add("GALLERY_SIGNIN_MAX_FAILURES_PER_ADDRESS",
      "failed sign-ins from one client address within GALLERY_SIGNIN_WINDOW that lock it out "
      "(default 50)",
      [](Config& c, const std::string& v) -> std::optional<std::string> {
        int n;
        if (!ParseInt(v, &n) || n < 1 || n > 1000000) return "a whole number from 1 to 1000000";
        c.sign_in_max_failures_per_address = n;
        return std::nullopt;
      });
  add("GALLERY_SIGNIN_WINDOW", "how long failed sign-ins count toward a lock-out (default 15m)",
      DurationOf(&Config::sign_in_window, false));
  add("GALLERY_AUTH_CACHE_TTL",
      "how long a checked session or API token is trusted from memory; a sign-out or revocation "
      "reaches other instances within it (default 5s, at most 1m, 0 = off)",
      [](Config& c, const std::string& v) -> std::optional<std::string> {
        std::chrono::milliseconds ms;
        if (!ParseDuration(v, &ms) || ms > std::chrono::minutes(1)) {
          return "a duration from 0 to 1m, such as 5s";
        }
        c.auth_cache_ttl = ms;
        return std::nullopt;
      });
  add("GALLERY_TRUSTED_PROXY_HOPS",
      "reverse proxies in front that append the client address to X-Forwarded-For (default 0; "
      "1 behind a load balancer)",
      PositiveInt(&Config::trusted_proxy_hops, 10));
  add("GALLERY_LOG_LEVEL", "debug, info, warn or error (default info)",
      [](Config& c, const std::string& v) -> std::optional<std::string> {
        if (!ParseLogLevel(v, &c.log_level)) return "debug, info, warn or error";
        return std::nullopt;
      });
  return s;
}

Status Validate(Config& c, const std::map<std::string, std::string>& env) {
  auto bad = [](const std::string& msg) { return Status::InvalidArgument(msg); };
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  if (c.threads == 0) c.threads = static_cast<int>(cores);
  if (c.image_workers == 0) c.image_workers = static_cast<int>(cores);
  if (c.image_queue == 0) c.image_queue = 4 * c.image_workers;
  if (c.blocking_threads < c.image_workers + c.image_queue) {
    c.blocking_threads = c.image_workers + c.image_queue + 8;
  }
  if (c.database_url.empty()) c.database_url = "sqlite://" + (c.data_dir / "gallery.db").string();
  if (c.storage == "s3") {
    if (c.s3_bucket.empty()) {
      return bad("GALLERY_S3_BUCKET (--s3-bucket) is required when GALLERY_STORAGE=s3");
    }
    if (c.s3_region.empty()) {
      for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
        auto it = env.find(name);
        if (it != env.end() && !it->second.empty()) {
          c.s3_region = it->second;
          break;
        }
      }
    }
    if (c.s3_region.empty()) {
      return bad(
          "GALLERY_S3_REGION (--s3-region) or AWS_REGION is required when GALLERY_STORAGE=s3");
    }
    if (c.s3_sse == "aws:kms" && c.s3_kms_key_id.empty()) {
      return bad("GALLERY_S3_KMS_KEY_ID (--s3-kms-key-id) is required when GALLERY_S3_SSE=aws:kms");
    }
  } else if (c.redirect_originals) {
    return bad("GALLERY_REDIRECT_ORIGINALS (--redirect-originals) needs GALLERY_STORAGE=s3");
  }
  if (c.admin_email.empty() != c.admin_password.empty()) {
    return bad("GALLERY_ADMIN_EMAIL and GALLERY_ADMIN_PASSWORD must be set together");
  }
  return Status::Ok();
}

}  // namespace

std::filesystem::path Config::SqlitePath() const {
  constexpr std::string_view kScheme = "sqlite://";
  if (database_url.rfind(kScheme, 0) != 0) return {};
  return database_url.substr(kScheme.size());
}

bool Config::UsesPostgres() const {
  return database_url.rfind("postgres://", 0) == 0 || database_url.rfind("postgresql://", 0) == 0;
}

Result<Invocation> ParseCommandLine(int argc, const char* const* argv,
                                    const std::vector<std::string>& environ) {
  std::map<std::string, std::string> env;
  for (const std::string& entry : environ) {
    size_t eq = entry.find('=');
    if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }

  CLI::App cli(
      "Picture Gallery: upload, browse and share pictures.\n"
      "Every setting is a GALLERY_* environment variable or the same --flag; a flag "
      "wins over its variable.",
      "gallery");
  cli.set_help_flag("-h,--help", "Show this help and exit");
  bool version = false;
  cli.add_flag("--version", version, "Print the version and exit");
  CLI::App* serve = cli.add_subcommand("serve", "Run the server (the default)");
  CLI::App* healthcheck = cli.add_subcommand(
      "healthcheck",
      "Exit 0 when the server on GALLERY_LISTEN answers /healthz (container checks)");
  (void)serve;
  cli.require_subcommand(0, 1);
  cli.fallthrough();

  Invocation inv;
  // Account administration. The settings (--database-url, --data-dir, ...)
  // are the server's, given before or after the subcommand.
  CLI::App* user = cli.add_subcommand(
      "user", "Manage accounts directly on the configured database: add, list, reset-password");
  user->require_subcommand(1);
  user->fallthrough();
  user->footer(
      "The database is the server's: GALLERY_DATABASE_URL / --database-url, else "
      "<GALLERY_DATA_DIR>/gallery.db. Passwords are asked for with echo off, or read from "
      "standard input (one line) with --password-stdin; never from the command line.");
  CLI::App* user_add = user->add_subcommand("add", "Create a user");
  CLI::App* user_list = user->add_subcommand("list", "List every user");
  CLI::App* user_reset = user->add_subcommand(
      "reset-password", "Set a new password for a user and sign them out everywhere");
  std::string quota_text = "0";
  for (CLI::App* sub : {user_add, user_list, user_reset}) sub->fallthrough();
  user_add->add_option("--email", inv.user.email, "The new user's email address")->required();
  user_add->add_option("--role", inv.user.role, "admin or user (default user)")
      ->check(CLI::IsMember({"admin", "user"}));
  user_add->add_option("--quota", quota_text,
                       "Storage quota for originals, e.g. 10GiB (default 0 = unlimited)");
  user_add->add_flag("--password-stdin", inv.user.password_stdin,
                     "Read the password from standard input instead of prompting");
  user_reset->add_option("--email", inv.user.email, "The user's email address")->required();
  user_reset->add_flag("--password-stdin", inv.user.password_stdin,
                       "Read the new password from standard input instead of prompting");

  std::vector<Setting> settings = Settings();
  std::vector<std::optional<std::string>> flag_values(settings.size());
  for (size_t i = 0; i < settings.size(); ++i) {
    cli.add_option(settings[i].flag, flag_values[i],
                   settings[i].help + " [" + settings[i].env + "]")
        ->type_name("VALUE");
  }

  try {
    cli.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    inv.command = Invocation::Command::kHelp;
    // The help of the deepest subcommand named (`gallery user add --help`).
    CLI::App* asked = &cli;
    for (CLI::App* sub : {healthcheck, user, user_add, user_list, user_reset}) {
      if (sub->parsed()) asked = sub;
    }
    inv.help_text = asked->help();
    return inv;
  } catch (const CLI::ParseError& e) {
    return Status::InvalidArgument(std::string(e.what()) +
                                   "\nRun 'gallery --help' for the settings.");
  }
  if (version) {
    inv.command = Invocation::Command::kVersion;
    return inv;
  }
  if (healthcheck->parsed()) inv.command = Invocation::Command::kHealthcheck;
  if (user->parsed()) {
    inv.command = Invocation::Command::kUser;
    if (user_add->parsed()) inv.user.action = UserCommand::Action::kAdd;
    if (user_list->parsed()) inv.user.action = UserCommand::Action::kList;
    if (user_reset->parsed()) inv.user.action = UserCommand::Action::kResetPassword;
    if (!ParseBytes(quota_text, &inv.user.quota_bytes) ||
        inv.user.quota_bytes > static_cast<uint64_t>(INT64_MAX)) {
      return Status::InvalidArgument(
          "--quota: expected a size such as 10GiB or 0 (unlimited), got '" + quota_text + "'");
    }
  }

  for (size_t i = 0; i < settings.size(); ++i) {
    const Setting& s = settings[i];
    std::optional<std::string> value = flag_values[i];
    std::string source = s.flag;
    if (!value) {
      auto it = env.find(s.env);
      if (it == env.end()) continue;
      value = it->second;
      source = s.env;
    }
    if (std::optional<std::string> expected = s.apply(inv.config, *value)) {
      // Secrets are never echoed back: passwords, and URLs that may hold one.
      bool secret =
          s.env.find("PASSWORD") != std::string::npos || s.env.find("_URL") != std::string::npos;
      return Status::InvalidArgument(s.env + " (" + s.flag + "): expected " + *expected + ", got " +
                                     (secret ? "a value" : "'" + *value + "'") + " from " +
                                     (source == s.env ? "the environment" : "the command line"));
    }
  }
  GALLERY_RETURN_IF_ERROR(Validate(inv.config, env));
  return inv;
}

}  // namespace gallery::app
