#pragma once

// Reading environment variables through a function, so that credentials
// providers can be tested without touching the process environment.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace gallery::storage::s3 {

// The value of variable `name`; nullopt when unset. An empty value counts
// as unset (as in the AWS SDKs).
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// The process environment (getenv). Thread-safe as long as nobody calls
// setenv concurrently.
EnvLookup ProcessEnvironment();

// A fixed set of variables (tests).
EnvLookup FixedEnvironment(std::map<std::string, std::string, std::less<>> variables);

}  // namespace gallery::storage::s3
