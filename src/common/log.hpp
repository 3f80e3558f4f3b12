#pragma once

// Structured logging: one JSON object per line on stdout, which CloudWatch
// (awslogs driver) and every log shipper read as-is. Lines are written whole
// (one write under a lock), so concurrent lines never interleave.
//
// Never pass secrets (passwords, tokens, cookies, signed URLs) in fields.

#include <nlohmann/json.hpp>
#include <string_view>

namespace gallery {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

// Lines below this level are dropped. Default kInfo.
void SetLogLevel(LogLevel level);
bool ParseLogLevel(std::string_view text, LogLevel* out);

// Writes {"time": ..., "level": ..., "msg": msg, ...fields}.
void Log(LogLevel level, std::string_view msg, nlohmann::json fields = nlohmann::json::object());

inline void LogInfo(std::string_view msg, nlohmann::json fields = nlohmann::json::object()) {
  Log(LogLevel::kInfo, msg, std::move(fields));
}
inline void LogWarn(std::string_view msg, nlohmann::json fields = nlohmann::json::object()) {
  Log(LogLevel::kWarn, msg, std::move(fields));
}
inline void LogError(std::string_view msg, nlohmann::json fields = nlohmann::json::object()) {
  Log(LogLevel::kError, msg, std::move(fields));
}

// Writes `line` (already a JSON document, no newline) as one line, whatever
// the level. Used for access logs and CloudWatch Embedded Metric Format.
void WriteLogLine(std::string_view line);

}  // namespace gallery
