#pragma once

// Typed values into statement parameters and out of result rows, for the
// stores over PostgreSQL. Every value travels as text: integers in decimal,
// times as Unix milliseconds (as the schemas keep them), booleans as
// true/false out and t/f back.

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/status.hpp"
#include "common/time.hpp"
#include "db/postgres/pg_connection.hpp"

namespace gallery::db {

inline PgParam PgInt(int64_t value) { return std::to_string(value); }
inline PgParam PgBool(bool value) { return value ? "true" : "false"; }
inline PgParam PgMillis(Clock::time_point t) { return PgInt(ToUnixMillis(t)); }
inline PgParam PgOptionalMillis(const std::optional<Clock::time_point>& t) {
  return t ? PgMillis(*t) : std::nullopt;
}

// A text[] literal holding `items` in order ({"a","b\"c"}), for
// `$1::text[]` in unnest(...) and = ANY(...): one parameter instead of one
// statement per item.
std::string PgTextArray(const std::vector<std::string>& items);

// One row of a result. A malformed value (say, text in an integer column)
// reads as zero and is remembered: status() then returns the first such
// error, so a reader can take every column and check once at the end.
class PgRow {
 public:
  PgRow(const PgResult& result, int row) : result_(result), row_(row) {}

  bool IsNull(int column) const { return result_.IsNull(row_, column); }
  std::string Text(int column) const { return result_.Text(row_, column); }
  std::optional<std::string> OptionalText(int column) const;
  int64_t Int64(int column);
  // A Unix-milliseconds column.
  Clock::time_point Millis(int column) { return FromUnixMillis(Int64(column)); }
  std::optional<Clock::time_point> OptionalMillis(int column);
  bool Bool(int column);

  const Status& status() const { return status_; }

 private:
  const PgResult& result_;
  int row_;
  Status status_;
};

// What `read` (a function of PgRow&) makes of a row.
template <typename Read>
using PgRead = std::invoke_result_t<Read, PgRow&>;

// Row `i` of `rows` read by `read`, or the first malformed value's error.
template <typename Read>
Result<PgRead<Read>> PgReadRow(const PgResult& rows, int i, Read read) {
  PgRow row(rows, i);
  PgRead<Read> value = read(row);
  if (!row.status().ok()) return row.status();
  return value;
}

// The first row read by `read`: the error of a failed statement, or
// kNotFound with `what` when it returned no row.
template <typename Read>
Result<PgRead<Read>> PgReadOne(const Result<PgResult>& rows, const std::string& what, Read read) {
  if (!rows.ok()) return rows.status();
  if (rows->rows() == 0) return Status::NotFound(what);
  return PgReadRow(*rows, 0, read);
}

// The first `max` rows (every row when max is negative) read by `read`.
template <typename Read>
Result<std::vector<PgRead<Read>>> PgReadRows(const Result<PgResult>& rows, Read read,
                                             int max = -1) {
  if (!rows.ok()) return rows.status();
  const int n = max < 0 ? rows->rows() : std::min(rows->rows(), max);
  std::vector<PgRead<Read>> out;
  out.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    Result<PgRead<Read>> value = PgReadRow(*rows, i, read);
    if (!value.ok()) return value.status();
    out.push_back(std::move(*value));
  }
  return out;
}

// The integer in the first column of the first row (count(*), exists ...).
Result<int64_t> PgReadInt(const Result<PgResult>& rows);

// One page of a keyset-paginated listing whose statement asked for
// limit + 1 rows: the first `limit`, and the cursor of the last of them when
// the extra row shows that more follow. `cursor_of` makes a Cursor of an item.
template <typename Cursor, typename Read, typename CursorOf>
Result<std::pair<std::vector<PgRead<Read>>, std::optional<Cursor>>> PgReadPage(
    const Result<PgResult>& rows, int limit, Read read, CursorOf cursor_of) {
  Result<std::vector<PgRead<Read>>> items = PgReadRows(rows, read, limit);
  if (!items.ok()) return items.status();
  std::optional<Cursor> next;
  if (rows->rows() > limit && !items->empty()) next = cursor_of(items->back());
  return std::make_pair(std::move(*items), std::move(next));
}

}  // namespace gallery::db
