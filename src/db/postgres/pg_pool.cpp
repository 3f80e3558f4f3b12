#include "db/postgres/pg_pool.hpp"

namespace gallery::db {

Result<PgPool::Lease> PgPool::Acquire() {
  using std::chrono::steady_clock;
  std::unique_ptr<PgConnection> conn;
  {
    std::unique_lock<std::mutex> lock(mu_);
    bool free = slot_freed_.wait_until(lock, steady_clock::now() + options_.acquire_timeout,
                                       [&] { return !idle_.empty() || open_ < options_.size; });
    if (!free) {
      return Status::Unavailable("postgres: all " + std::to_string(options_.size) +
                                 " connections to " + options_.target + " stayed busy for " +
                                 std::to_string(options_.acquire_timeout.count()) + " ms");
    }
    if (!idle_.empty()) {
      conn = std::move(idle_.back());
      idle_.pop_back();
    } else {
      ++open_;  // reserve the slot; connect outside the lock
    }
  }
  // The slot stays reserved while a dead idle connection is replaced.
  if (conn && !conn->CheckAlive()) conn.reset();
  if (!conn) {
    Result<std::unique_ptr<PgConnection>> opened = PgConnection::Connect(
        options_.url, options_.target, steady_clock::now() + options_.connect_timeout,
        options_.statement_timeout);
    if (!opened.ok()) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        --open_;
      }
      slot_freed_.notify_one();
      return opened.status();
    }
    conn = std::move(*opened);
  }
  return Lease(this, std::move(conn));
}

void PgPool::Release(std::unique_ptr<PgConnection> conn) {
  if (conn->broken()) conn.reset();  // closes it, outside the lock
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (conn) {
      idle_.push_back(std::move(conn));
    } else {
      --open_;
    }
  }
  slot_freed_.notify_one();
}

}  // namespace gallery::db
