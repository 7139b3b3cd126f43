#include "core/checkpoint/strict_json.h"

#include <set>
#include <vector>

#include "core/checkpoint/checkpoint_error.h"

namespace hl {

namespace {

constexpr int kMaxDepth = 64;

struct DuplicateKey {
  std::string key;
};
struct TooDeep {};

}  // namespace

std::string printable(std::string_view text, std::size_t max_length) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (out.size() >= max_length) return out + "...";
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string json_type_name(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::object: return "an object";
    case nlohmann::json::value_t::array: return "an array";
    case nlohmann::json::value_t::string: return "a string";
    case nlohmann::json::value_t::boolean: return "a boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned: return "an integer";
    case nlohmann::json::value_t::number_float: return "a number";
    case nlohmann::json::value_t::null: return "null";
    default: return "an unsupported JSON value";
  }
}

nlohmann::json parse_json_strict(std::string_view text, const std::string& label) {
  std::vector<std::set<std::string>> open_objects;
  const nlohmann::json::parser_callback_t check = [&](int depth, nlohmann::json::parse_event_t event,
                                                      nlohmann::json& parsed) {
    using E = nlohmann::json::parse_event_t;
    if (depth > kMaxDepth) throw TooDeep{};
    if (event == E::object_start) {
      open_objects.emplace_back();
    } else if (event == E::object_end) {
      if (!open_objects.empty()) open_objects.pop_back();
    } else if (event == E::key && !open_objects.empty()) {
      auto key = parsed.get<std::string>();
      if (!open_objects.back().insert(key).second) throw DuplicateKey{std::move(key)};
    }
    return true;
  };
  try {
    return nlohmann::json::parse(text.begin(), text.end(), check);
  } catch (const DuplicateKey& d) {
    throw CheckpointError(label + ": duplicate JSON key '" + printable(d.key) + "'");
  } catch (const TooDeep&) {
    throw CheckpointError(label + ": JSON nested deeper than " + std::to_string(kMaxDepth) + " levels");
  } catch (const nlohmann::json::exception& e) {
    throw CheckpointError(label + ": not valid JSON (" + printable(e.what(), 240) + ")");
  }
}

}  // namespace hl
