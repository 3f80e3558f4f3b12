#pragma once

// `gallery user add|list|reset-password`: account administration straight
// on the database the Config names (the server need not run; a running one
// notices a reset within its GALLERY_AUTH_CACHE_TTL).

#include <istream>
#include <ostream>

#include "app/config.hpp"

namespace gallery::app {

// Runs `command`. Passwords come from `in`: one line with
// command.password_stdin, else typed at the terminal with echo off (twice),
// which needs standard input to be a terminal. Output goes to `out`,
// prompts and errors to `err`. Returns the exit code: 0 done, 1 failed.
int RunUserCommand(const Config& config, const UserCommand& command, std::istream& in,
                   std::ostream& out, std::ostream& err);

}  // namespace gallery::app
