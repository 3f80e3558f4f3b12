#pragma once

// Child processes for tests (moto_server, python3): started in their own
// process group, killed with the test process if it dies (PR_SET_PDEATHSIG),
// and always stopped by the destructor.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.hpp"

namespace gallery::storage::s3::testing {

struct ChildProcessOptions {
  std::vector<std::string> argv;  // argv[0] is the program path
  // Added to (or replacing in) the test process's environment.
  std::vector<std::pair<std::string, std::string>> env;
  // Removed from the environment.
  std::vector<std::string> unset_env;
  // Where stdout and stderr go (appended); empty = /dev/null.
  std::filesystem::path stdout_path;
  std::filesystem::path stderr_path;
};

class ChildProcess {
 public:
  static Result<std::unique_ptr<ChildProcess>> Spawn(const ChildProcessOptions& options);
  // Stop() if still running.
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  // False once it has exited (and been reaped).
  bool Running();
  // Waits up to `timeout` for it to exit; its exit code (128 + signal when
  // killed), or nullopt if it is still running.
  std::optional<int> Wait(std::chrono::milliseconds timeout);
  // SIGTERM to its process group, SIGKILL after `grace`, then reaps it.
  void Stop(std::chrono::milliseconds grace = std::chrono::milliseconds(3000));

 private:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}
  pid_t pid_;
  std::optional<int> exit_code_;
};

// The first executable `name` on PATH (like `command -v`).
std::optional<std::filesystem::path> FindOnPath(std::string_view name);

// Runs a program to completion within `timeout` (killed after it);
// collects its stdout and stderr (options' paths are ignored).
struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
Result<ProcessResult> RunProcess(ChildProcessOptions options, std::chrono::milliseconds timeout);

// A fresh private directory under the system temp directory, removed with
// everything in it by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace gallery::storage::s3::testing
