#pragma once

// One opened SQLite database file and every store over it. The composition
// root opens the database once (one set of connections, one migration run)
// and makes each store from the same handle:
//
//   Result<std::shared_ptr<SqliteDatabase>> db = OpenSqliteDatabase(path);
//   std::unique_ptr<MetadataStore> photos = NewSqliteMetadataStore(*db);
//   std::unique_ptr<UserStore> users = NewSqliteUserStore(*db);
//   std::unique_ptr<AlbumStore> albums = NewSqliteAlbumStore(*db);
//   std::unique_ptr<ShareStore> shares = NewSqliteShareStore(*db);
//   std::unique_ptr<UploadStore> uploads = NewSqliteUploadStore(*db);
//
// Each store shares ownership of the handle, so they may be destroyed in any
// order.

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "db/album_store.hpp"
#include "db/metadata_store.hpp"
#include "db/share_store.hpp"
#include "db/sqlite/sqlite_connection.hpp"
#include "db/upload_store.hpp"
#include "db/user_store.hpp"

namespace gallery::db {

// The connections to one file: writes go through one connection behind a
// mutex, reads through a small pool of read-only connections (the file is in
// WAL mode, so reads never wait for a write). Thread-safe.
class SqliteDatabase final {
 public:
  SqliteDatabase(std::unique_ptr<SqliteConnection> writer,
                 std::vector<std::unique_ptr<SqliteConnection>> readers)
      : writer_(std::move(writer)), idle_readers_(std::move(readers)) {}
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  // Borrows an idle reader connection for its lifetime, waiting for one if
  // all are busy.
  class ReaderLease {
   public:
    explicit ReaderLease(SqliteDatabase* db);
    ~ReaderLease();
    ReaderLease(const ReaderLease&) = delete;
    ReaderLease& operator=(const ReaderLease&) = delete;

    SqliteConnection* operator->() const { return conn_.get(); }
    SqliteConnection& operator*() const { return *conn_; }

   private:
    SqliteDatabase* db_;
    std::unique_ptr<SqliteConnection> conn_;
  };

  // Holds the write mutex for its lifetime: the writer connection is this
  // thread's until then.
  class WriterLock {
   public:
    explicit WriterLock(SqliteDatabase* db) : lock_(db->write_mu_), conn_(db->writer_.get()) {}

    SqliteConnection* operator->() const { return conn_; }
    SqliteConnection& operator*() const { return *conn_; }

   private:
    std::lock_guard<std::mutex> lock_;
    SqliteConnection* conn_;
  };

  // Runs `body` on the writer inside BEGIN IMMEDIATE ... COMMIT, holding the
  // write mutex. When `body` (or the commit) fails, rolls back and returns
  // that first error.
  Status WriteTransaction(const std::function<Status(SqliteConnection&)>& body);

 private:
  std::mutex write_mu_;
  std::unique_ptr<SqliteConnection> writer_;  // GUARDED_BY(write_mu_)

  std::mutex readers_mu_;
  std::condition_variable reader_returned_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_readers_;  // GUARDED_BY(readers_mu_)
};

// Opens (creating if needed) the SQLite database at `path`, puts it in WAL
// mode and applies every pending migration (schemas/sqlite), each in its own
// transaction, recorded in schema_migrations. The directory must exist.
// Errors as OpenSqliteMetadataStore (sqlite_metadata_store.hpp).
Result<std::shared_ptr<SqliteDatabase>> OpenSqliteDatabase(const std::string& path);

// The stores over an opened database. Each keeps `db` alive.
std::unique_ptr<MetadataStore> NewSqliteMetadataStore(std::shared_ptr<SqliteDatabase> db);
std::unique_ptr<UserStore> NewSqliteUserStore(std::shared_ptr<SqliteDatabase> db);
std::unique_ptr<AlbumStore> NewSqliteAlbumStore(std::shared_ptr<SqliteDatabase> db);
std::unique_ptr<ShareStore> NewSqliteShareStore(std::shared_ptr<SqliteDatabase> db);
std::unique_ptr<UploadStore> NewSqliteUploadStore(std::shared_ptr<SqliteDatabase> db);

}  // namespace gallery::db
