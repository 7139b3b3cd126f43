#pragma once
// Runs the hybridlens-cli built beside the tests (<build>/app/hybridlens-cli) through the shell, for end-to-end checks
// of its output files, standard output, messages and exit code.
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

namespace hl::test {

struct CliRun {
  int exit_code = -1;
  std::string out;  // standard output
  std::string err;  // standard error
};

// `args` is shell text: quote what needs it.
inline CliRun run_cli(const std::string& args) {
  namespace fs = std::filesystem;
  const fs::path cli = fs::path(HL_TEST_OUTPUT_DIR).parent_path() / "app" / "hybridlens-cli";
  if (!fs::exists(cli)) throw std::runtime_error(cli.string() + " is not built");
  // Per process: CTest runs test cases in parallel processes.
  const fs::path err_file = fs::path(HL_TEST_OUTPUT_DIR) / ("cli-stderr-" + std::to_string(::getpid()) + ".txt");
  CliRun run;
  FILE* pipe = ::popen((cli.string() + " " + args + " 2>" + err_file.string()).c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot start " + cli.string());
  std::array<char, 4096> buf{};
  while (const auto n = std::fread(buf.data(), 1, buf.size(), pipe)) run.out.append(buf.data(), n);
  const int status = ::pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream err(err_file);
  run.err.assign(std::istreambuf_iterator<char>(err), std::istreambuf_iterator<char>());
  return run;
}

}  // namespace hl::test
