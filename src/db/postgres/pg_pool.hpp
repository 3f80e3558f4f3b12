#pragma once

// A bounded pool of PgConnections. Connections are opened on demand up to
// the size, reused newest-first, checked before each use, and replaced when
// found broken: when the database comes back after an outage, the next call
// simply opens a new connection.

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "db/postgres/pg_connection.hpp"

namespace gallery::db {

struct PgPoolOptions {
  std::string url;
  std::string target;  // for messages: "database D on host:port"
  int size = 1;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds statement_timeout{5000};
  std::chrono::milliseconds acquire_timeout{5000};
};

// Thread-safe.
class PgPool final {
 public:
  explicit PgPool(PgPoolOptions options) : options_(std::move(options)) {}
  // REQUIRES: no Lease outstanding.
  ~PgPool() = default;
  PgPool(const PgPool&) = delete;
  PgPool& operator=(const PgPool&) = delete;

  // A connection lent to one caller; returned to the pool (or, if it broke,
  // closed and its slot freed) when the Lease goes away.
  class Lease {
   public:
    Lease(PgPool* pool, std::unique_ptr<PgConnection> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (conn_) pool_->Release(std::move(conn_));
    }
    PgConnection* operator->() const { return conn_.get(); }

   private:
    PgPool* pool_;
    std::unique_ptr<PgConnection> conn_;
  };

  // Waits up to acquire_timeout for a free slot, then hands out an idle
  // connection that passes CheckAlive, or opens one (up to connect_timeout).
  // kUnavailable when every slot stayed busy, or the connect failed.
  Result<Lease> Acquire();

  const PgPoolOptions& options() const { return options_; }

 private:
  void Release(std::unique_ptr<PgConnection> conn);

  const PgPoolOptions options_;
  std::mutex mu_;
  std::condition_variable slot_freed_;
  std::vector<std::unique_ptr<PgConnection>> idle_;  // GUARDED_BY(mu_)
  int open_ = 0;                                     // idle + lent + being opened. GUARDED_BY(mu_)
};

}  // namespace gallery::db
