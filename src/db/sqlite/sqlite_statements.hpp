#pragma once

// Small helpers for the stores' one-statement steps on a SqliteConnection.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/status.hpp"
#include "db/sqlite/sqlite_connection.hpp"

namespace gallery::db {

using SqliteBinder = std::function<void(SqliteStatement&)>;

// Runs a statement that returns no rows (binding with `bind` if given);
// returns how many rows it changed.
inline Result<int64_t> SqliteRun(SqliteConnection& conn, std::string_view sql,
                                 const SqliteBinder& bind = {}) {
  Result<SqliteStatement> stmt = conn.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  if (bind) bind(*stmt);
  Result<bool> done = stmt->Step();
  if (!done.ok()) return done.status();
  return conn.Changes();
}

// The first column of the first row as an integer; nullopt when there is no
// row.
inline Result<std::optional<int64_t>> SqliteQueryInt(SqliteConnection& conn, std::string_view sql,
                                                     const SqliteBinder& bind = {}) {
  Result<SqliteStatement> stmt = conn.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  if (bind) bind(*stmt);
  Result<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<int64_t>();
  return std::optional<int64_t>(stmt->Int64(0));
}

// The first row read by `read` (a function of the statement); kNotFound
// with `what` when there is no row.
template <typename Read>
auto SqliteQueryOne(SqliteConnection& conn, std::string_view sql, const std::string& what,
                    const SqliteBinder& bind, Read read)
    -> Result<std::invoke_result_t<Read, const SqliteStatement&>> {
  Result<SqliteStatement> stmt = conn.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  if (bind) bind(*stmt);
  Result<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound(what);
  return read(*stmt);
}

// One page of a keyset-paginated listing: steps through `stmt`, which asked
// for limit + 1 rows, reading the first `limit` with `read`; when the extra
// row shows that more follow, also returns `cursor_of` the last item read.
template <typename Cursor, typename Read, typename CursorOf>
auto SqliteReadPage(SqliteStatement& stmt, int limit, Read read, CursorOf cursor_of)
    -> Result<std::pair<std::vector<std::invoke_result_t<Read, const SqliteStatement&>>,
                        std::optional<Cursor>>> {
  std::vector<std::invoke_result_t<Read, const SqliteStatement&>> items;
  while (true) {
    Result<bool> row = stmt.Step();
    if (!row.ok()) return row.status();
    if (!*row) return std::make_pair(std::move(items), std::optional<Cursor>());
    if (static_cast<int>(items.size()) == limit) {
      std::optional<Cursor> next = cursor_of(items.back());
      return std::make_pair(std::move(items), std::move(next));
    }
    items.push_back(read(stmt));
  }
}

}  // namespace gallery::db
