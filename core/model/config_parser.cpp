#include "core/model/config_parser.h"

#include <fstream>
#include <iterator>

#include "core/checkpoint/checkpoint_error.h"
#include "core/checkpoint/strict_json.h"
#include "core/model/config_reader.h"
#include "core/model/families.h"
#include "core/model/tensor_plan.h"

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

// Parameters of the tensors in `reqs`, added to `total`; false once the sum passes kMaxParameters or overflows.
bool add_parameters(const std::vector<TensorRequirement>& reqs, std::int64_t& total) {
  for (const auto& r : reqs) {
    std::int64_t n = 1;
    for (const auto d : r.shape)
      if (__builtin_mul_overflow(n, d, &n)) return false;
    if (__builtin_add_overflow(total, n, &total) || total > kMaxParameters) return false;
  }
  return true;
}

// Every field is bounded on its own, their products are not (vocab × hidden, layers × experts × width). A plan no
// real checkpoint could match is refused here, before binding builds its per-tensor lists or anything is sized.
void check_plan_size(const ModelSpec& spec, const std::string& label) {
  std::int64_t experts = 0;
  for (const auto& l : spec.layers)
    if (l.ffn.kind == FfnKind::Moe) experts += l.ffn.moe.num_experts;
  if (experts > kMaxTotalExperts)
    throw CheckpointError(label + ": " + std::to_string(experts) + " experts over all layers (experts per layer × " +
                          "MoE layers), more than the limit " + std::to_string(kMaxTotalExperts));
  std::int64_t parameters = 0;
  bool within = add_parameters(model_requirements(spec), parameters);
  for (const auto& block : spec.shared_blocks)
    within = within && (block.layers.empty() || add_parameters(shared_block_requirements(spec, block), parameters));
  for (const auto& layer : spec.layers) within = within && add_parameters(layer_requirements(spec, layer), parameters);
  if (!within)
    throw CheckpointError(label + ": the sizes describe a model with more than " + std::to_string(kMaxParameters) +
                          " parameters (vocab_size, hidden_size, num_hidden_layers and the layer widths together)");
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
    check_plan_size(spec, label);
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
