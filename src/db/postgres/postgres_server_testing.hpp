#pragma once

// A throwaway PostgreSQL server for tests: initdb in a new temporary
// directory, started on a free port on 127.0.0.1, stopped and deleted at the
// end. Uses the Debian packages (scripts/install-deps.sh test installs them);
// when they are missing, Start fails with that hint, so tests fail instead of
// skipping.
//
// PostgreSQL refuses to run as root: as root, every server command runs as
// the `postgres` user (runuser) in a directory owned by it. A watchdog
// process stops the server and deletes the directory if the test process
// dies without cleaning up.

#include <memory>
#include <string>
#include <vector>

#include "common/status.hpp"

namespace gallery::db::testing {

class PostgresTestServer final {
 public:
  // Creates and starts a new server (a few seconds). kUnavailable with a
  // message saying what to install or what the server logged.
  static Result<std::unique_ptr<PostgresTestServer>> Start();

  // One server shared by a whole test executable: started by the first call,
  // stopped and deleted at exit. Every call returns the same result.
  static Result<PostgresTestServer*> Shared();

  // Stops the server (if running) and deletes its directory.
  ~PostgresTestServer();
  PostgresTestServer(const PostgresTestServer&) = delete;
  PostgresTestServer& operator=(const PostgresTestServer&) = delete;

  int port() const { return port_; }

  // postgres://gallery@127.0.0.1:<port>/<database> (superuser, no password).
  std::string Url(const std::string& database) const;

  // Creates an empty database with a new unique name and returns its URL.
  // Its default collation is ICU "en-US" (not byte order), so code that
  // relies on the database's locale for ordering is caught.
  Result<std::string> CreateDatabase();

  // Runs `sql` (one or more statements) on the database at `url` on a new
  // connection; returns the last statement's rows, NULL as "NULL".
  Result<std::vector<std::vector<std::string>>> Query(const std::string& url,
                                                      const std::string& sql) const;

  // Stops the server with a fast shutdown (clients are disconnected) and
  // waits until it is down.
  Status Stop();
  // Starts it again on the same port with the same data.
  Status Restart();

 private:
  PostgresTestServer() = default;

  Status StartServer();
  // Runs argv (as the postgres user when root) in the server's directory,
  // output appended to dir/commands.log; its tail is in the error message.
  Status RunServerCommand(std::vector<std::string> argv) const;

  std::string bin_dir_;  // holds initdb, pg_ctl
  std::string dir_;      // owned by the server's user; data in dir/data
  int port_ = 0;
  int watchdog_pid_ = -1;
  int watchdog_fd_ = -1;  // write end: closing it (or dying) fires the watchdog
};

}  // namespace gallery::db::testing
