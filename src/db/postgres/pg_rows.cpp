#include "db/postgres/pg_rows.hpp"

namespace gallery::db {

std::string PgTextArray(const std::vector<std::string>& items) {
  // Every element quoted, so that commas, braces, spaces and the word NULL
  // are plain text; inside quotes only '"' and '\' need a backslash.
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

std::optional<std::string> PgRow::OptionalText(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Text(column);
}

int64_t PgRow::Int64(int column) {
  Result<int64_t> value = result_.Int64(row_, column);
  if (value.ok()) return *value;
  if (status_.ok()) status_ = value.status();
  return 0;
}

std::optional<Clock::time_point> PgRow::OptionalMillis(int column) {
  if (IsNull(column)) return std::nullopt;
  return Millis(column);
}

bool PgRow::Bool(int column) {
  const std::string text = Text(column);
  if (text == "t") return true;
  if (text != "f" && status_.ok()) {
    status_ = Status::Internal("postgres: column " + std::to_string(column) + " holds '" + text +
                               "', not a boolean");
  }
  return false;
}

Result<int64_t> PgReadInt(const Result<PgResult>& rows) {
  if (!rows.ok()) return rows.status();
  if (rows->rows() == 0) return Status::Internal("postgres: a count returned no row");
  return rows->Int64(0, 0);
}

}  // namespace gallery::db
