#include "storage/s3/moto_server_testing.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

namespace gallery::storage::s3::testing {
namespace {

// Loaded by the server's Python at start (PYTHONPATH): wraps moto's
// authentication so that it sees the query string exactly as sent.
constexpr std::string_view kSiteCustomize = R"py(
from urllib.parse import urlparse, urlunparse
import moto.core.authorization as _auth

_original = _auth.ActionAuthenticatorMixin._authenticate_and_authorize_action

def _with_raw_query(self, *args, **kwargs):
    try:
        from flask import request
        raw_query = request.environ["QUERY_STRING"]
    except Exception:
        return _original(self, *args, **kwargs)
    saved = self.uri
    self.uri = urlunparse(urlparse(saved)._replace(query=raw_query))
    try:
        return _original(self, *args, **kwargs)
    finally:
        self.uri = saved

_auth.ActionAuthenticatorMixin._authenticate_and_authorize_action = _with_raw_query
)py";

bool Accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

Result<int> PickFreeLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::FromErrno(errno, "socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const int err = errno;
    ::close(fd);
    return Status::FromErrno(err, "binding 127.0.0.1:0");
  }
  ::close(fd);
  return static_cast<int>(ntohs(addr.sin_port));
}

Result<std::unique_ptr<MotoServer>> MotoServer::Start(const MotoServerOptions& options) {
  const std::optional<std::filesystem::path> program = FindOnPath("moto_server");
  if (!program) {
    return Status::Unavailable(
        "moto_server is not on PATH: install moto with its server extra "
        "(pip install 'moto[server]')");
  }
  Status last;
  for (int attempt = 0; attempt < 3; ++attempt) {  // another process may take the port
    auto dir = std::make_unique<TempDir>();
    Result<int> port = PickFreeLoopbackPort();
    if (!port.ok()) return port.status();

    ChildProcessOptions child;
    child.argv = {program->string(), "-H", "127.0.0.1", "-p", std::to_string(*port)};
    const bool tls = !options.tls_certificate.empty();
    if (tls) {
      child.argv.insert(child.argv.end(),
                        {"-c", options.tls_certificate.string(), "-k", options.tls_key.string()});
    }
    child.stdout_path = dir->path() / "moto.log";
    child.stderr_path = dir->path() / "moto.log";
    if (options.initial_no_auth_action_count) {
      child.env.emplace_back("INITIAL_NO_AUTH_ACTION_COUNT",
                             std::to_string(*options.initial_no_auth_action_count));
    }
    if (options.fix_query_signature_check) {
      std::ofstream(dir->path() / "sitecustomize.py") << kSiteCustomize;
      std::string python_path = dir->path().string();
      if (const char* existing = std::getenv("PYTHONPATH"))
        python_path.append(":").append(existing);
      child.env.emplace_back("PYTHONPATH", python_path);
    }
    Result<std::unique_ptr<ChildProcess>> process = ChildProcess::Spawn(child);
    if (!process.ok()) return process.status();

    const auto deadline = std::chrono::steady_clock::now() + options.start_timeout;
    while (std::chrono::steady_clock::now() < deadline && (*process)->Running() &&
           !Accepts(*port)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if ((*process)->Running() && Accepts(*port)) {
      return std::unique_ptr<MotoServer>(
          new MotoServer(std::move(dir), std::move(process).value(), *port, tls));
    }
    (*process)->Stop();
    last = Status::Unavailable("moto_server on 127.0.0.1:" + std::to_string(*port) +
                               " did not start: " + ReadAll(dir->path() / "moto.log"));
  }
  return last;
}

MotoServer::~MotoServer() { process_->Stop(); }

std::string MotoServer::Log() const { return ReadAll(dir_->path() / "moto.log"); }

}  // namespace gallery::storage::s3::testing
