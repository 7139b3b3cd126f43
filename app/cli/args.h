#pragma once
// Option parsing shared by the subcommands: `--name value` / `--name` flags, declared per command, with one-line
// errors that name the command and the option. Every command that declares --format also takes --json, which
// means --format json.
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hl::cli {

struct OptionSpec {
  std::string_view name;  // "--model"
  bool takes_value = true;
  bool repeatable = false;  // --file a --file b, or --file a b (values until the next option)
};

class ParsedArgs {
 public:
  bool help = false;
  bool has(std::string_view name) const { return values_.count(std::string(name)) != 0; }
  std::optional<std::string> value(std::string_view name) const;  // the last value given
  std::vector<std::string> values(std::string_view name) const;   // every value given, in order
  std::string required(std::string_view name) const;             // throws "NAME is required"
  std::int64_t integer(std::string_view name, std::int64_t fallback, std::int64_t min, std::int64_t max) const;
  // --format's value, which must be one of `allowed`; the first is the default.
  std::string format(std::initializer_list<std::string_view> allowed) const;

  std::string command;
  std::map<std::string, std::vector<std::string>> values_;
};

ParsedArgs parse_args(std::string_view command, std::span<char*> args, std::span<const OptionSpec> specs);

// Whole file as bytes; throws "PATH: cannot open" on failure.
std::string read_file_bytes(const std::string& path);

}  // namespace hl::cli
