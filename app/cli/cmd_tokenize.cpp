// hybridlens-cli tokenize: encode text with a tokenizer.json and print the tokens with their byte spans.
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "app/cli/args.h"
#include "app/cli/command.h"
#include "core/tokenizer/tokenizer.h"

namespace hl::cli {

namespace {

constexpr const char* kUsage =
    "usage: hybridlens-cli tokenize --tokenizer PATH (--text S | --file F) [--add-special-tokens]\n"
    "                               [--format text|json] [--json] [--repeat N]\n\n"
    "  --tokenizer PATH      tokenizer.json, or a model folder that holds one\n"
    "  --text S / --file F   the text to encode (UTF-8; invalid bytes are replaced by U+FFFD with a warning)\n"
    "  --add-special-tokens  apply the post-processor's special tokens (e.g. BOS)\n"
    "  --format json, --json print {\"ids\":[...],\"tokens\":[...],\"offsets\":[[begin,end],...]} (UTF-8 byte offsets)\n"
    "  --repeat N            encode N times and print the throughput (MB/s, load time excluded) to stderr\n";

constexpr OptionSpec kOptions[] = {
    {"--tokenizer"}, {"--text"}, {"--file"}, {"--add-special-tokens", false}, {"--format"}, {"--repeat"}};

// A token or text cell for the table: control chars and the table's own separators escaped.
std::string visible(std::string_view s) {
  std::string out;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c == '\r') out += "\\r";
    else if (c == '\\') out += "\\\\";
    else if (u < 0x20 || u == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", u);
      out += buf;
    } else out.push_back(c);
  }
  return out;
}

// Pads to a width in code points (printf's %-24s counts bytes, which misaligns non-ASCII tokens).
std::string pad(std::string s, std::size_t width) {
  std::size_t chars = 0;
  for (const char c : s) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  if (chars < width) s.append(width - chars, ' ');
  return s;
}

void print_json(const tok::Encoding& e) {
  nlohmann::json j;
  j["ids"] = e.ids;
  j["tokens"] = e.tokens;
  j["offsets"] = nlohmann::json::array();
  for (const auto& [b, end] : e.byte_offsets) j["offsets"].push_back({b, end});
  if (!e.warnings.empty()) j["warnings"] = e.warnings;
  std::printf("%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
}

void print_table(const tok::Encoding& e, std::string_view text) {
  for (const auto& w : e.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
  std::printf("%6s  %8s  %-14s  %-24s  %s\n", "#", "id", "bytes", "token", "text");
  for (std::size_t i = 0; i < e.size(); ++i) {
    const auto [b, end] = e.byte_offsets[i];
    const std::string span = "[" + std::to_string(b) + ", " + std::to_string(end) + ")";
    const std::string_view piece = b <= end && end <= text.size() ? text.substr(b, end - b) : std::string_view();
    std::printf("%6zu  %8d  %-14s  %s  %s\n", i, e.ids[i], span.c_str(), pad(visible(e.tokens[i]), 24).c_str(),
                visible(piece).c_str());
  }
  std::printf("%zu tokens, %zu bytes\n", e.size(), text.size());
}

}  // namespace

int run_tokenize(std::span<char*> argv) {
  const ParsedArgs args = parse_args("tokenize", argv, kOptions);
  if (args.help) {
    std::printf("%s", kUsage);
    return 0;
  }
  const bool as_json = args.format({"text", "json"}) == "json";
  if (args.has("--text") == args.has("--file")) throw std::runtime_error("give exactly one of --text and --file");
  const auto repeat = static_cast<int>(args.integer("--repeat", 0, 0, INT32_MAX));
  const bool add_special_tokens = args.has("--add-special-tokens");
  const auto tokenizer = tok::Tokenizer::from_file(args.required("--tokenizer"));
  const std::string text = args.has("--text") ? *args.value("--text") : read_file_bytes(*args.value("--file"));
  if (repeat > 0) {
    const auto start = std::chrono::steady_clock::now();
    std::size_t tokens = 0;
    for (int r = 0; r < repeat; ++r) tokens += tokenizer.encode(text, add_special_tokens).size();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double mb = static_cast<double>(text.size()) * repeat / 1e6;
    std::fprintf(stderr, "encoded %.2f MB (%zu tokens) in %.3f s: %.2f MB/s\n", mb, tokens, s, mb / s);
    return 0;
  }
  const auto e = tokenizer.encode(text, add_special_tokens);
  if (as_json) print_json(e);
  else print_table(e, text);
  return 0;
}

}  // namespace hl::cli
