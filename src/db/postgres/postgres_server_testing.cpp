#include "db/postgres/postgres_server_testing.hpp"

#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>

#include "common/crypto.hpp"

extern char** environ;

namespace gallery::db::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kInstallHint =
    "PostgreSQL server binaries are needed for these tests: run `scripts/install-deps.sh test`";

bool IsExecutable(const fs::path& p) { return access(p.c_str(), X_OK) == 0; }

// GALLERY_POSTGRES_BIN_DIR, else the newest /usr/lib/postgresql/<v>/bin.
Result<std::string> FindBinDir() {
  if (const char* env = std::getenv("GALLERY_POSTGRES_BIN_DIR"); env && *env) {
    if (IsExecutable(fs::path(env) / "initdb") && IsExecutable(fs::path(env) / "pg_ctl")) {
      return std::string(env);
    }
    return Status::Unavailable(std::string("GALLERY_POSTGRES_BIN_DIR=") + env +
                               " holds no initdb and pg_ctl. " + kInstallHint);
  }
  std::optional<std::pair<int, std::string>> best;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    fs::path bin = entry.path() / "bin";
    int version = std::atoi(entry.path().filename().c_str());
    if (IsExecutable(bin / "initdb") && IsExecutable(bin / "pg_ctl") &&
        (!best || version > best->first)) {
      best.emplace(version, bin.string());
    }
  }
  if (!best) {
    return Status::Unavailable(std::string(kInstallHint) +
                               " (no /usr/lib/postgresql/<version>/bin/initdb found)");
  }
  return best->second;
}

std::string FindRunuser() {
  for (const char* p : {"/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"}) {
    if (IsExecutable(p)) return p;
  }
  return "runuser";
}

// A port that was free a moment ago on 127.0.0.1.
Result<int> FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::FromErrno(errno, "socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    Status s = Status::FromErrno(errno, "bind 127.0.0.1:0");
    close(fd);
    return s;
  }
  close(fd);
  return static_cast<int>(ntohs(addr.sin_port));
}

// Spawns argv in `cwd`, stdin from `stdin_fd` (or /dev/null), stdout and
// stderr appended to `log_path`.
Result<pid_t> Spawn(const std::vector<std::string>& argv, const std::string& cwd,
                    const std::string& log_path, int stdin_fd, bool new_session) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (stdin_fd >= 0) {
    posix_spawn_file_actions_adddup2(&actions, stdin_fd, 0);
  } else {
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  }
  posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  if (new_session) posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, args[0], &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) return Status::FromErrno(rc, "starting " + argv[0]);
  return pid;
}

std::string Tail(const fs::path& path, size_t max_chars) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  if (text.size() > max_chars) text.erase(0, text.size() - max_chars);
  return text;
}

std::string Join(const std::vector<std::string>& argv) {
  std::string out;
  for (const std::string& a : argv) out += (out.empty() ? "" : " ") + a;
  return out;
}

}  // namespace

Result<std::unique_ptr<PostgresTestServer>> PostgresTestServer::Start() {
  Result<std::string> bin_dir = FindBinDir();
  if (!bin_dir.ok()) return bin_dir.status();
  std::unique_ptr<PostgresTestServer> server(new PostgresTestServer());
  server->bin_dir_ = *bin_dir;

  std::string templ = (fs::temp_directory_path() / "gallery-pg-XXXXXX").string();
  if (mkdtemp(templ.data()) == nullptr) return Status::FromErrno(errno, "mkdtemp " + templ);
  server->dir_ = templ;
  if (geteuid() == 0) {
    passwd* pw = getpwnam("postgres");
    if (pw == nullptr) {
      fs::remove_all(templ);
      return Status::Unavailable(std::string(kInstallHint) + " (there is no `postgres` user)");
    }
    if (chown(templ.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
      Status s = Status::FromErrno(errno, "chown " + templ);
      fs::remove_all(templ);
      return s;
    }
  }
  chmod(templ.c_str(), 0700);

  // The watchdog: `cat` returns when the write end closes, which happens in
  // the destructor or when this process dies in any way; then it stops the
  // server and deletes the directory. Its own session keeps it out of a
  // Ctrl-C aimed at the test.
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return Status::FromErrno(errno, "pipe");
  std::string as_server_user = geteuid() == 0 ? FindRunuser() + " -u postgres -- " : "";
  std::string script = "cat >/dev/null; " + as_server_user + "'" + server->bin_dir_ +
                       "/pg_ctl' -D '" + templ + "/data' -m immediate -w stop >/dev/null 2>&1; " +
                       "rm -rf '" + templ + "'";
  Result<pid_t> watchdog = Spawn({"/bin/sh", "-c", script}, "/", "/dev/null", fds[0], true);
  close(fds[0]);
  if (!watchdog.ok()) {
    close(fds[1]);
    fs::remove_all(templ);
    return watchdog.status();
  }
  server->watchdog_pid_ = *watchdog;
  server->watchdog_fd_ = fds[1];
  // From here on the destructor cleans up.

  GALLERY_RETURN_IF_ERROR(server->RunServerCommand(
      {server->bin_dir_ + "/initdb", "-D", server->dir_ + "/data", "-A", "trust", "-U", "gallery",
       "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"}));
  Status started;
  for (int attempt = 0; attempt < 3; ++attempt) {  // another process may take the port
    Result<int> port = FreePort();
    if (!port.ok()) return port.status();
    server->port_ = *port;
    started = server->StartServer();
    if (started.ok()) break;
  }
  if (!started.ok()) return started;
  return server;
}

Result<PostgresTestServer*> PostgresTestServer::Shared() {
  static std::mutex mu;
  static std::unique_ptr<PostgresTestServer> server;  // stopped at exit
  static std::optional<Status> failure;
  std::lock_guard<std::mutex> lock(mu);
  if (server) return server.get();
  if (failure) return *failure;
  Result<std::unique_ptr<PostgresTestServer>> started = Start();
  if (!started.ok()) {
    failure = started.status();
    return *failure;
  }
  server = std::move(*started);
  return server.get();
}

PostgresTestServer::~PostgresTestServer() {
  if (watchdog_fd_ >= 0) {
    close(watchdog_fd_);
    int status = 0;
    while (waitpid(watchdog_pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
}

Status PostgresTestServer::RunServerCommand(std::vector<std::string> argv) const {
  if (geteuid() == 0) argv.insert(argv.begin(), {FindRunuser(), "-u", "postgres", "--"});
  const std::string log = dir_ + "/commands.log";
  Result<pid_t> pid = Spawn(argv, dir_, log, -1, false);
  if (!pid.ok()) return pid.status();
  int status = 0;
  while (waitpid(*pid, &status, 0) < 0) {
    if (errno != EINTR) return Status::FromErrno(errno, "waitpid");
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return Status::Ok();
  std::string message = Join(argv);
  message += " failed (wait status " + std::to_string(status) + "):\n" + Tail(log, 2000);
  message += "\nserver log:\n" + Tail(dir_ + "/server.log", 2000);
  return Status::Unavailable(std::move(message));
}

Status PostgresTestServer::StartServer() {
  const std::string server_options =
      "-p " + std::to_string(port_) + " -k " + dir_ +
      " -c listen_addresses=127.0.0.1 -c max_connections=300"
      // A throwaway cluster: durability only costs time here.
      " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
  return RunServerCommand({bin_dir_ + "/pg_ctl", "-D", dir_ + "/data", "-l", dir_ + "/server.log",
                           "-w", "-t", "60", "-o", server_options, "start"});
}

Status PostgresTestServer::Stop() {
  return RunServerCommand(
      {bin_dir_ + "/pg_ctl", "-D", dir_ + "/data", "-m", "fast", "-w", "-t", "60", "stop"});
}

Status PostgresTestServer::Restart() { return StartServer(); }

std::string PostgresTestServer::Url(const std::string& database) const {
  return "postgres://gallery@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

Result<std::string> PostgresTestServer::CreateDatabase() {
  std::string name = "gallery_test_" + HexEncode(RandomBytes(6));
  Result<std::vector<std::vector<std::string>>> created =
      Query(Url("postgres"), "CREATE DATABASE " + name +
                                 " TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'"
                                 " LOCALE_PROVIDER icu ICU_LOCALE 'en-US'");
  if (!created.ok()) return created.status();
  return Url(name);
}

Result<std::vector<std::vector<std::string>>> PostgresTestServer::Query(
    const std::string& url, const std::string& sql) const {
  const char* keywords[] = {"dbname", "connect_timeout", nullptr};
  const char* values[] = {url.c_str(), "10", nullptr};
  std::unique_ptr<PGconn, void (*)(PGconn*)> conn(PQconnectdbParams(keywords, values, 1),
                                                  &PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    return Status::Unavailable("connecting to " + url + ": " + PQerrorMessage(conn.get()));
  }
  PQsetNoticeProcessor(
      conn.get(), [](void*, const char*) {}, nullptr);
  std::unique_ptr<PGresult, void (*)(PGresult*)> res(PQexec(conn.get(), sql.c_str()), &PQclear);
  ExecStatusType status = PQresultStatus(res.get());
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    return Status::Internal("`" + sql + "` on " + url + ": " + PQresultErrorMessage(res.get()));
  }
  std::vector<std::vector<std::string>> rows;
  for (int r = 0; r < PQntuples(res.get()); ++r) {
    std::vector<std::string>& row = rows.emplace_back();
    for (int c = 0; c < PQnfields(res.get()); ++c) {
      row.push_back(PQgetisnull(res.get(), r, c) ? "NULL" : PQgetvalue(res.get(), r, c));
    }
  }
  return rows;
}

}  // namespace gallery::db::testing
