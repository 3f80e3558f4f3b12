#pragma once

// The embedded-shape MetadataStore: one SQLite file on local disk.

#include <memory>
#include <string>

#include "common/status.hpp"
#include "db/metadata_store.hpp"

namespace gallery::db {

// Opens (creating if needed) the SQLite database at `path` and applies every
// pending migration (schemas/sqlite), each in its own transaction, recorded in
// schema_migrations. The directory must exist: it is not created.
//
// The file is put in WAL mode, so reads never wait for a write: writes go
// through one connection behind a mutex, reads through a small pool of
// read-only connections. Several processes may open the same file (SQLite's
// locks and busy_timeout serialise their writes), but the embedded shape runs
// one.
//
// kIoError when the file cannot be opened or created or is not a SQLite
// database; kUnavailable when it stays locked by another process past the
// busy timeout; a failing migration's own error, naming the migration;
// kInternal when the recorded migration history disagrees with this build.
Result<std::unique_ptr<MetadataStore>> OpenSqliteMetadataStore(const std::string& path);

}  // namespace gallery::db
