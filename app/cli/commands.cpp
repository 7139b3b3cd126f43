#include "app/cli/command.h"

namespace hl::cli {

// The registry. Later subcommands (inspect, tokenize, score, render, bench) add one line here.
const std::vector<Command>& commands() {
  static const std::vector<Command> all = {};
  return all;
}

}  // namespace hl::cli
