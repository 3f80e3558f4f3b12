#pragma once

// moto_server (a local AWS: S3, IAM, STS, ...) on a free 127.0.0.1 port for
// tests. It checks SigV4 signatures; with initial_no_auth_action_count = N
// it also enforces IAM policies from the N+1-th request on, so a test can
// create a bucket, a user, a key and a policy in its first N requests and
// then prove least privilege.
//
// moto 5 recomputes signatures from werkzeug's IRI form of the URL, which
// decodes %2F, %3A, %2C ... in the query string; AWS canonicalizes the query
// as sent. Every correctly signed ListObjectsV2 with prefix=a/ then fails
// with SignatureDoesNotMatch (boto3's too). With fix_query_signature_check
// the server is started with a sitecustomize.py that makes moto's signature
// check (only it) see the raw query string.
//
// moto does not verify presigned URLs (and answers 500 to them once IAM is
// enforced): test presigned URLs against a server without enforcement.
//
// Start from the test's main thread (the server is killed when the thread
// that started it exits, so that a crashed test leaves nothing behind).

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "common/status.hpp"
#include "storage/s3/child_process_testing.hpp"

namespace gallery::storage::s3::testing {

struct MotoServerOptions {
  // INITIAL_NO_AUTH_ACTION_COUNT; nullopt = IAM never enforced.
  std::optional<int> initial_no_auth_action_count;
  bool fix_query_signature_check = true;
  // Serve https with this certificate and key (PEM) instead of http.
  std::filesystem::path tls_certificate;
  std::filesystem::path tls_key;
  std::chrono::milliseconds start_timeout{30000};
};

class MotoServer {
 public:
  // Finds moto_server on PATH (kUnavailable with a hint when missing),
  // starts it and waits until it accepts connections.
  static Result<std::unique_ptr<MotoServer>> Start(const MotoServerOptions& options = {});
  ~MotoServer();  // stops the server
  MotoServer(const MotoServer&) = delete;
  MotoServer& operator=(const MotoServer&) = delete;

  int port() const { return port_; }
  std::string endpoint() const {
    return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
  }
  // The server's output so far (for failure messages).
  std::string Log() const;

 private:
  MotoServer(std::unique_ptr<TempDir> dir, std::unique_ptr<ChildProcess> process, int port,
             bool tls)
      : dir_(std::move(dir)), process_(std::move(process)), port_(port), tls_(tls) {}

  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<ChildProcess> process_;
  int port_;
  bool tls_;
};

// A TCP port on 127.0.0.1 that was free a moment ago.
Result<int> PickFreeLoopbackPort();

}  // namespace gallery::storage::s3::testing
