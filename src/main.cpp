// gallery: the Picture Gallery server. See `gallery --help`.

#include <iostream>
#include <string>
#include <vector>

#include "app/app.hpp"
#include "app/config.hpp"
#include "app/user_command.hpp"
#include "common/version.hpp"

extern char** environ;

int main(int argc, char** argv) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) env.emplace_back(*e);
  gallery::Result<gallery::app::Invocation> inv = gallery::app::ParseCommandLine(argc, argv, env);
  if (!inv.ok()) {
    std::cerr << "gallery: " << inv.status().message() << "\n";
    return 2;
  }
  switch (inv->command) {
    case gallery::app::Invocation::Command::kHelp:
      std::cout << inv->help_text;
      return 0;
    case gallery::app::Invocation::Command::kVersion:
      std::cout << "gallery " << gallery::kVersion << "\n";
      return 0;
    case gallery::app::Invocation::Command::kHealthcheck:
      return gallery::app::RunHealthcheck(inv->config);
    case gallery::app::Invocation::Command::kUser:
      return gallery::app::RunUserCommand(inv->config, inv->user, std::cin, std::cout, std::cerr);
    case gallery::app::Invocation::Command::kServe:
      break;
  }
  gallery::Status s = gallery::app::RunServer(inv->config, argv[0]);
  if (!s.ok()) {
    std::cerr << "gallery: " << s.message() << "\n";
    return 1;
  }
  return 0;
}
