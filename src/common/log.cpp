#include "common/log.hpp"

#include <unistd.h>

#include <atomic>
#include <mutex>
#include <string>

#include "common/time.hpp"

namespace gallery {
namespace {

std::atomic<LogLevel> g_level{LogLevel::kInfo};
std::mutex g_write_mu;

std::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

}  // namespace

void SetLogLevel(LogLevel level) { g_level = level; }

bool ParseLogLevel(std::string_view text, LogLevel* out) {
  for (LogLevel l : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn, LogLevel::kError}) {
    if (text == LevelName(l)) {
      *out = l;
      return true;
    }
  }
  return false;
}

void Log(LogLevel level, std::string_view msg, nlohmann::json fields) {
  if (level < g_level.load(std::memory_order_relaxed)) return;
  nlohmann::json line = {
      {"time", FormatRfc3339(Clock::now(), true)}, {"level", LevelName(level)}, {"msg", msg}};
  if (fields.is_object()) line.update(fields);
  // `replace` keeps a line valid JSON even when a field has invalid UTF-8.
  WriteLogLine(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void WriteLogLine(std::string_view line) {
  std::string out;
  out.reserve(line.size() + 1);
  out.append(line);
  out.push_back('\n');
  std::lock_guard lock(g_write_mu);
  const char* p = out.data();
  size_t left = out.size();
  while (left > 0) {
    ssize_t n = ::write(STDOUT_FILENO, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // stdout gone: nothing sensible to do
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
}

}  // namespace gallery
