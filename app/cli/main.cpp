#include <cstdio>
#include <cstring>
#include <exception>
#include <span>
#include <string_view>

#include "app/cli/command.h"
#include "core/util/build_info.h"
#include "core/util/version.h"

namespace {

void print_help(std::FILE* out) {
  std::fprintf(out,
               "hybridlens-cli %s: compare hybrid and transformer language models token by token\n\n"
               "usage: hybridlens-cli [--version] [--help] <command> [options]\n\ncommands:\n",
               hl::kVersion);
  for (const auto& c : hl::cli::commands())
    std::fprintf(out, "  %-10.*s %.*s\n", static_cast<int>(c.name.size()), c.name.data(),
                 static_cast<int>(c.summary.size()), c.summary.data());
  std::fprintf(out, "\n'hybridlens-cli <command> --help' describes a command's options.\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    print_help(stderr);
    return 2;
  }
  const std::string_view first = argv[1];
  if (first == "--version" || first == "-V") {
    std::printf("%s\n", hl::build_info().c_str());
    return 0;
  }
  if (first == "--help" || first == "-h" || first == "help") {
    print_help(stdout);
    return 0;
  }
  for (const auto& c : hl::cli::commands()) {
    if (c.name != first) continue;
    try {
      return c.run(std::span<char*>(argv + 2, static_cast<std::size_t>(argc - 2)));
    } catch (const std::exception& e) {
      std::fprintf(stderr, "hybridlens-cli %s: error: %s\n", argv[1], e.what());
      return 1;
    }
  }
  std::fprintf(stderr, "hybridlens-cli: unknown command '%s' (see --help)\n", argv[1]);
  return 2;
}
