#pragma once
// Subcommands of hybridlens-cli. Each lives in its own cmd_*.cpp and registers itself in commands().
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hl::cli {

struct Command {
  std::string_view name;
  std::string_view summary;
  int (*run)(std::span<char*> args);  // args exclude the program and subcommand names; returns the exit code
};

const std::vector<Command>& commands();


}  // namespace hl::cli
