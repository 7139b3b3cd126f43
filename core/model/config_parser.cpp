#include "core/model/config_parser.h"

#include <fstream>
#include <iterator>

#include "core/checkpoint/checkpoint_error.h"
#include "core/checkpoint/strict_json.h"
#include "core/model/config_reader.h"
#include "core/model/families.h"

namespace hl {

namespace {

constexpr std::uintmax_t kMaxConfigBytes = 16ull * 1024 * 1024;

// Python's json module writes the non-standard literals Infinity, -Infinity and NaN (e.g. time_step_limit);
// turn them into strings outside string literals so a standard JSON parser accepts the file.
std::string quote_python_literals(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < text.size()) out += text[++i];
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    bool replaced = false;
    for (std::string_view lit : {"-Infinity", "Infinity", "NaN"})
      if (text.substr(i, lit.size()) == lit) {
        out += '"';
        out += lit;
        out += '"';
        i += lit.size() - 1;
        replaced = true;
        break;
      }
    if (!replaced) out += c;
  }
  return out;
}

std::string supported_list() {
  std::string out;
  for (const auto& name : supported_model_types()) out += (out.empty() ? "" : ", ") + name;
  return out;
}

}  // namespace

std::vector<std::string> supported_model_types() {
  std::vector<std::string> out;
  for (const auto& f : families()) out.emplace_back(f.model_type);
  return out;
}

ModelSpec parse_model_spec(std::string_view config_json, const std::string& label) {
  const auto root = parse_json_strict(quote_python_literals(config_json), label);
  if (!root.is_object()) throw CheckpointError(label + ": expected a JSON object, found " + json_type_name(root));
  const ConfigReader reader(root, label);
  const auto* type = reader.find({"model_type"});
  if (!type) reader.fail("model_type", "is missing");
  if (!type->is_string()) reader.fail("model_type", "must be a string, found " + json_type_name(*type));
  const auto& model_type = type->get_ref<const std::string&>();
  for (const auto& f : families()) {
    if (f.model_type != model_type) continue;
    ModelSpec spec;
    spec.model_type = model_type;
    f.build(reader, spec);
    return spec;
  }
  throw CheckpointError("model_type '" + printable(model_type) + "' is not supported (supported: " + supported_list() +
                        ")");
}

ModelSpec load_model_spec(const std::filesystem::path& folder) {
  const auto path = folder / "config.json";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw CheckpointError(folder.string() + ": config.json is missing");
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || size > kMaxConfigBytes)
    throw CheckpointError("config.json: file is larger than 16 MB or unreadable");
  std::ifstream in(path, std::ios::binary);
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  return parse_model_spec(text, "config.json");
}

}  // namespace hl
