#include "db/migrations.hpp"

#include "common/log.hpp"

namespace gallery::db {

Status ValidateMigrations(std::span<const Migration> migrations) {
  int expected = 1;
  for (const Migration& m : migrations) {
    if (m.version != expected) {
      return Status::Internal("migration " + std::string(m.name) + " has version " +
                              std::to_string(m.version) + ", expected " + std::to_string(expected) +
                              " (versions run 1, 2, 3, ... no gaps)");
    }
    if (m.sql.find_first_not_of(" \t\r\n") == std::string_view::npos) {
      return Status::Internal("migration " + std::string(m.name) + " is empty");
    }
    ++expected;
  }
  return Status::Ok();
}

Status RunMigrations(std::span<const Migration> migrations, MigrationTarget& target) {
  GALLERY_RETURN_IF_ERROR(ValidateMigrations(migrations));
  Result<std::map<int, std::string>> applied = target.AppliedMigrations();
  if (!applied.ok()) return applied.status().WithContext("reading schema_migrations");
  for (const Migration& m : migrations) {
    auto it = applied->find(m.version);
    if (it != applied->end()) {
      if (it->second != m.name) {
        return Status::Internal("schema_migrations records version " + std::to_string(m.version) +
                                " as " + it->second + " but this build has " + std::string(m.name) +
                                ": the migration history diverged");
      }
      continue;
    }
    Status s = target.Apply(m);
    if (!s.ok()) return s.WithContext("applying migration " + std::string(m.name));
    LogInfo("applied database migration", {{"migration", m.name}});
  }
  return Status::Ok();
}

}  // namespace gallery::db
