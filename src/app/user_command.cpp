#include "app/user_command.hpp"

#include <termios.h>
#include <unistd.h>

#include <iomanip>
#include <optional>
#include <string>

#include "app/backends.hpp"
#include "common/log.hpp"
#include "common/time.hpp"
#include "gallery/auth_service.hpp"

namespace gallery::app {
namespace {

// What to tell the person: the public detail when there is one.
std::string Explain(const Status& s) {
  return s.public_detail().empty() ? s.message() : s.public_detail();
}

std::optional<std::string> ReadLine(std::istream& in) {
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// Reads a line from the terminal on standard input with echo off.
std::optional<std::string> ReadHidden(std::istream& in, std::ostream& err, const char* prompt) {
  err << prompt << std::flush;
  termios saved;
  const bool tty = tcgetattr(STDIN_FILENO, &saved) == 0;
  if (tty) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::optional<std::string> line = ReadLine(in);
  if (tty) tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
  err << "\n";
  return line;
}

// The password for `command`, or nullopt (the reason written to `err`).
std::optional<std::string> ReadPassword(const UserCommand& command, std::istream& in,
                                        std::ostream& err) {
  if (command.password_stdin) {
    std::optional<std::string> line = ReadLine(in);
    if (!line || line->empty()) {
      err << "gallery: no password on standard input (--password-stdin reads one line)\n";
      return std::nullopt;
    }
    return line;
  }
  if (!isatty(STDIN_FILENO)) {
    err << "gallery: standard input is not a terminal, so the password cannot be asked for; "
           "pipe it in with --password-stdin\n";
    return std::nullopt;
  }
  std::optional<std::string> first = ReadHidden(in, err, "Password: ");
  if (!first || first->empty()) {
    err << "gallery: no password given\n";
    return std::nullopt;
  }
  std::optional<std::string> second = ReadHidden(in, err, "Password again: ");
  if (!second || *second != *first) {
    err << "gallery: the two passwords differ\n";
    return std::nullopt;
  }
  return first;
}

int ListUsers(service::AuthService& auth, std::ostream& out, std::ostream& err) {
  out << std::left << std::setw(40) << "EMAIL" << std::setw(7) << "ROLE" << std::setw(16)
      << "QUOTA_BYTES" << std::setw(10) << "DISABLED" << std::setw(22) << "CREATED"
      << "ID\n";
  std::optional<std::string> after;
  do {
    Result<db::UserPage> page = auth.ListUsers(after, 1000);
    if (!page.ok()) {
      err << "gallery: cannot list users: " << Explain(page.status()) << "\n";
      return 1;
    }
    for (const db::UserRecord& u : page->users) {
      out << std::left << std::setw(40) << u.email << std::setw(7) << db::UserRoleName(u.role)
          << std::setw(16)
          << (u.quota_bytes == 0 ? std::string("unlimited") : std::to_string(u.quota_bytes))
          << std::setw(10) << (u.disabled ? "yes" : "no") << std::setw(22)
          << FormatRfc3339(u.created_at) << u.id << "\n";
    }
    after = page->next;
  } while (after);
  return 0;
}

}  // namespace

int RunUserCommand(const Config& config, const UserCommand& command, std::istream& in,
                   std::ostream& out, std::ostream& err) {
  // The store's and the service's info lines would mix with the output.
  SetLogLevel(LogLevel::kWarn);
  Result<DatabaseStores> stores = OpenDatabase(config);
  if (!stores.ok()) {
    err << "gallery: " << stores.status().message() << "\n";
    return 1;
  }
  service::AuthService auth(*stores->users, service::AuthOptions{});
  switch (command.action) {
    case UserCommand::Action::kList:
      return ListUsers(auth, out, err);
    case UserCommand::Action::kAdd: {
      std::optional<std::string> password = ReadPassword(command, in, err);
      if (!password) return 1;
      const db::UserRole role =
          command.role == "admin" ? db::UserRole::kAdmin : db::UserRole::kUser;
      Result<db::UserRecord> user = auth.CreateUser(command.email, *password, role,
                                                    static_cast<int64_t>(command.quota_bytes));
      if (!user.ok()) {
        err << "gallery: cannot add " << command.email << ": " << Explain(user.status()) << "\n";
        return 1;
      }
      out << "added " << db::UserRoleName(user->role) << " " << user->email << " (id " << user->id
          << ")\n";
      return 0;
    }
    case UserCommand::Action::kResetPassword: {
      std::optional<std::string> password = ReadPassword(command, in, err);
      if (!password) return 1;
      Result<db::UserRecord> user = auth.ResetPassword(command.email, *password);
      if (!user.ok()) {
        err << "gallery: cannot reset the password of " << command.email << ": "
            << Explain(user.status()) << "\n";
        return 1;
      }
      out << "password of " << user->email << " reset; their sessions are signed out\n";
      return 0;
    }
  }
  return 1;
}

}  // namespace gallery::app
