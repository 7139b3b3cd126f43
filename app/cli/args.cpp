#include "app/cli/args.h"

#include <charconv>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace hl::cli {

std::optional<std::string> ParsedArgs::value(std::string_view name) const {
  auto it = values_.find(std::string(name));
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> ParsedArgs::values(std::string_view name) const {
  auto it = values_.find(std::string(name));
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

std::string ParsedArgs::required(std::string_view name) const {
  if (auto v = value(name)) return *v;
  throw std::runtime_error(std::string(name) + " is required (see " + command + " --help)");
}

std::int64_t ParsedArgs::integer(std::string_view name, std::int64_t fallback, std::int64_t min,
                                 std::int64_t max) const {
  const auto v = value(name);
  if (!v) return fallback;
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || end != v->data() + v->size() || n < min || n > max)
    throw std::runtime_error(std::string(name) + " must be an integer in [" + std::to_string(min) + ", " +
                             std::to_string(max) + "], got '" + *v + "'");
  return n;
}

std::string ParsedArgs::format(std::initializer_list<std::string_view> allowed) const {
  const std::string chosen = value("--format").value_or(std::string(*allowed.begin()));
  std::string names;
  for (const std::string_view a : allowed) {
    if (a == chosen) return chosen;
    names += (names.empty() ? "" : a == *(allowed.end() - 1) ? " or " : ", ") + std::string(a);
  }
  throw std::runtime_error("--format must be " + names + ", got '" + chosen + "'");
}

ParsedArgs parse_args(std::string_view command, std::span<char*> args, std::span<const OptionSpec> specs) {
  ParsedArgs p;
  p.command = std::string(command);
  auto find = [&](std::string_view name) -> const OptionSpec* {
    for (const auto& s : specs)
      if (s.name == name) return &s;
    return nullptr;
  };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    if (a == "--help" || a == "-h") {
      p.help = true;
      continue;
    }
    if (a == "--json" && find("--format") != nullptr) {
      p.values_["--format"] = {"json"};
      continue;
    }
    const OptionSpec* spec = find(a);
    if (spec == nullptr)
      throw std::runtime_error("unknown option '" + std::string(a) + "' (see " + p.command + " --help)");
    auto& vals = p.values_[std::string(a)];
    if (!spec->takes_value) continue;
    if (i + 1 >= args.size()) throw std::runtime_error(std::string(a) + " needs a value");
    if (!spec->repeatable) vals.clear();
    vals.emplace_back(args[++i]);
    // A repeatable option takes every following word that is not an option: --file a.txt b.txt
    while (spec->repeatable && i + 1 < args.size() && std::string_view(args[i + 1]).rfind("--", 0) != 0)
      vals.emplace_back(args[++i]);
  }
  return p;
}

std::string read_file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open");
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace hl::cli
