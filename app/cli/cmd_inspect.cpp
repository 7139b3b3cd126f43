// hybridlens-cli inspect --model DIR [--json] [--tokens N]: validate a model folder (config.json + safetensors)
// and describe it: family, layer pattern, parameters by layer kind, dtype, sizes, tokenizer files, memory estimate.
#include <cstdio>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "app/cli/args.h"
#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/checkpoint_error.h"
#include "core/checkpoint/hf_cache.h"
#include "core/model/layer_kinds.h"
#include "core/model/layer_pattern.h"
#include "core/model/memory_estimate.h"
#include "core/model/model_binding.h"
#include "core/model/parameter_count.h"
#include "core/model/weight_sharing.h"
#include "core/util/human_units.h"

namespace hl::cli {

namespace {

constexpr const char* kUsage =
    "usage: hybridlens-cli inspect --model DIR|ORG/NAME [--format text|json] [--json] [--tokens N]\n\n"
    "Validates DIR (config.json + model.safetensors or a sharded index; ORG/NAME[@REV] is a Hugging Face cache\n"
    "snapshot) and prints the model family, the layer\n"
    "pattern, parameter counts by layer kind, dtype, sizes, tokenizer files and a memory estimate for N tokens\n"
    "(default 2048).\n";

// The letters of the layer patterns, one per line, from the kind tables.
std::string letter_legend() {
  const auto line = [](char letter, std::string_view label) {
    return "  " + std::string(1, letter) + "  " + std::string(label) + "\n";
  };
  std::string out = "Layer letters (mixers):\n";
  for (const MixerKindInfo& k : kMixerKinds)
    if (k.kind != MixerKind::None) out += line(k.letter, k.label);
  out += line(kSharedBlockLetter, "Mamba + shared transformer block (Zamba, Zamba2)");
  out += line(kind_info(MixerKind::None).letter, "no mixer, MLP only");
  out += line(kMoeOnlyLetter, "no mixer, MoE only");
  out += "FFN letters:\n";
  for (const FfnKindInfo& k : kFfnKinds) out += line(k.letter, k.label);
  return out;
}

constexpr const char* kTokenizerFiles[] = {"tokenizer.json", "tokenizer_config.json", "generation_config.json",
                                           "special_tokens_map.json", "tokenizer.model", "vocab.json", "merges.txt"};

constexpr OptionSpec kOptions[] = {{"--model"}, {"--format"}, {"--tokens"}};

struct Options {
  std::string model;  // a folder or a Hugging Face cache repo id
  std::int64_t tokens = 2048;
};

nlohmann::json describe(const Options& o) {
  const std::filesystem::path folder = resolve_model_folder(o.model);
  const ModelPlan plan = open_model_plan(folder);
  const ModelSpec& spec = plan.spec;
  const Checkpoint& checkpoint = plan.checkpoint;
  std::vector<std::string> warnings = plan.warnings;
  const auto bound = BoundModel::bind(spec, checkpoint);
  warnings.insert(warnings.end(), bound.warnings.begin(), bound.warnings.end());

  const auto params = parameters_by_kind(spec, bound);

  nlohmann::json j;
  j["model"] = folder.string();
  j["family"] = spec.model_type;
  j["layers"] = spec.layers.size();
  j["hidden_size"] = spec.hidden_size;
  j["vocab_size"] = spec.vocab_size;
  j["max_position_embeddings"] = spec.max_position_embeddings;
  j["tied_embeddings"] = spec.tied_embeddings;
  j["layer_pattern"] = compress_pattern(mixer_pattern(spec));
  j["layer_letters"] = mixer_pattern(spec);
  j["ffn_pattern"] = compress_pattern(ffn_pattern(spec));
  j["ffn_letters"] = ffn_pattern(spec);
  j["parameters"] = total_parameters(params);
  j["parameters_by_kind"] = params;
  j["dtype"] = std::string(dtype_name(bound.dtype));
  j["tensor_count"] = checkpoint.tensors().size();
  j["tensor_bytes"] = checkpoint.tensor_bytes();
  nlohmann::json shards = nlohmann::json::array();
  for (const auto& s : checkpoint.shards()) shards.push_back(s->path().filename().string());
  j["weight_files"] = shards;
  nlohmann::json tok = nlohmann::json::array();
  for (const auto* f : kTokenizerFiles)
    if (std::filesystem::exists(folder / f)) tok.push_back(f);
  j["tokenizer_files"] = tok;
  const auto mem = estimate_memory(spec, checkpoint.tensor_bytes(), o.tokens);
  j["memory_estimate"] = {{"tokens", o.tokens},
                          {"weights", mem.weights},
                          {"kv_cache", mem.kv_cache},
                          {"recurrent_state", mem.recurrent_state},
                          {"activations", mem.activations},
                          {"total", mem.total()}};
  j["warnings"] = warnings;
  j["unused_tensors"] = bound.unused_tensors;
  return j;
}

void print_text(const nlohmann::json& j) {
  const auto s = [&](const char* k) { return j[k].get<std::string>(); };
  std::printf("model       %s\n", s("model").c_str());
  std::printf("family      %s\n", s("family").c_str());
  const auto context = j["max_position_embeddings"].get<long long>();
  std::printf("layers      %zu  hidden %lld  vocab %lld  context %s  tied embeddings: %s\n",
              j["layers"].get<std::size_t>(), j["hidden_size"].get<long long>(), j["vocab_size"].get<long long>(),
              context > 0 ? std::to_string(context).c_str() : "unbounded",
              j["tied_embeddings"].get<bool>() ? "yes" : "no");
  std::printf("pattern     %s   (mixers; %s)\n", s("layer_pattern").c_str(), s("layer_letters").c_str());
  std::printf("ffn         %s   (F mlp, E moe, c RWKV channel mix, . none)\n", s("ffn_pattern").c_str());
  std::printf("parameters  %s\n", human_count(j["parameters"].get<std::int64_t>()).c_str());
  for (const auto& [kind, n] : j["parameters_by_kind"].items())
    std::printf("  %-40s %s\n", kind.c_str(), human_count(n.get<std::int64_t>()).c_str());
  std::printf("dtype       %s\n", s("dtype").c_str());
  std::printf("weights     %s in %zu tensor(s), %zu file(s)\n", human_bytes(j["tensor_bytes"].get<std::uint64_t>()).c_str(),
              j["tensor_count"].get<std::size_t>(), j["weight_files"].size());
  std::string tok;
  for (const auto& t : j["tokenizer_files"]) tok += (tok.empty() ? "" : ", ") + t.get<std::string>();
  std::printf("tokenizer   %s\n", tok.empty() ? "(none found)" : tok.c_str());
  const auto& m = j["memory_estimate"];
  std::printf("memory      ~%s for %lld tokens (weights %s, KV cache %s, recurrent state %s, activations %s)\n",
              human_bytes(m["total"].get<std::uint64_t>()).c_str(), m["tokens"].get<long long>(),
              human_bytes(m["weights"].get<std::uint64_t>()).c_str(),
              human_bytes(m["kv_cache"].get<std::uint64_t>()).c_str(),
              human_bytes(m["recurrent_state"].get<std::uint64_t>()).c_str(),
              human_bytes(m["activations"].get<std::uint64_t>()).c_str());
  for (const auto& w : j["warnings"]) std::printf("warning     %s\n", w.get<std::string>().c_str());
}

}  // namespace

int run_inspect(std::span<char*> argv) {
  const ParsedArgs args = parse_args("inspect", argv, kOptions);
  if (args.help) {
    std::fputs(kUsage, stdout);
    std::fputs(("\n" + letter_legend()).c_str(), stdout);
    return 0;
  }
  const bool as_json = args.format({"text", "json"}) == "json";
  const auto j = describe({args.required("--model"), args.integer("--tokens", 2048, 1, std::int64_t{1} << 32)});
  if (as_json)
    std::printf("%s\n", j.dump(2).c_str());
  else
    print_text(j);
  return 0;
}

}  // namespace hl::cli
