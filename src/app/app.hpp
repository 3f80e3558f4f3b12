#pragma once

// The composition root: Config → backends → services → routes → server.
// The only place that knows which shape (embedded or cloud) it runs in.

#include <memory>

#include "app/config.hpp"
#include "common/status.hpp"

namespace gallery::app {

// Runs the server until SIGTERM/SIGINT and a graceful drain. Returns OK on a
// clean exit; an error (already logged) when start-up failed.
Status RunServer(const Config& config, const char* argv0);

// `gallery healthcheck`: GET /healthz on the configured address (0.0.0.0 and
// :: are reached through loopback). Returns 0 when it answers 200, else 1.
int RunHealthcheck(const Config& config);

}  // namespace gallery::app
