#pragma once

// Schema migrations: the numbered SQL files of schemas/<dialect>/, embedded
// into the binary at build time (embed_migrations.cmake), and the one runner
// that both stores use to apply them.

#include <map>
#include <span>
#include <string>
#include <string_view>

#include "common/status.hpp"

namespace gallery::db {

struct Migration {
  int version = 0;        // NNNN of the file name
  std::string_view name;  // file name without ".sql", e.g. "0001_photos"
  std::string_view sql;   // the file's text; may hold several statements
};

// Every migration of a dialect, in version order. Defined in the generated
// embedded_migrations.cpp.
std::span<const Migration> SqliteMigrations();
std::span<const Migration> PostgresMigrations();

// OK when versions run 1, 2, 3, ... without gaps or repeats and no SQL is
// empty; kInternal otherwise (a packaging bug, caught before anything runs).
Status ValidateMigrations(std::span<const Migration> migrations);

// A database the runner applies migrations to. Implementations create their
// schema_migrations table on first use.
class MigrationTarget {
 public:
  virtual ~MigrationTarget() = default;

  // version -> name of every migration recorded as applied.
  virtual Result<std::map<int, std::string>> AppliedMigrations() = 0;

  // In ONE transaction: runs the migration's SQL and records it in
  // schema_migrations. If it turns out to be recorded already (another
  // process won a race), changes nothing and returns OK. On failure the
  // transaction is rolled back.
  virtual Status Apply(const Migration& migration) = 0;
};

// Applies, in version order, every migration not yet recorded. Fails with
// kInternal when a recorded version has another name than the embedded file
// (the history diverged). Versions recorded but unknown to this binary are
// accepted: a newer release migrated the database, and migrations are
// written to stay compatible with the release before them.
Status RunMigrations(std::span<const Migration> migrations, MigrationTarget& target);

}  // namespace gallery::db
