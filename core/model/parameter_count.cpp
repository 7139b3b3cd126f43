#include "core/model/parameter_count.h"

namespace hl {

std::map<std::string, std::int64_t> parameters_by_kind(const ModelSpec& spec, const BoundModel& bound) {
  std::map<std::string, std::int64_t> params;
  for (std::size_t i = 0; i < spec.layers.size(); ++i) {
    const auto& l = spec.layers[i];
    const std::string kind = l.shared_block >= 0 ? "hybrid (mamba + its part of the shared block)"
                             : l.mixer.kind == MixerKind::None ? std::string(to_string(l.ffn.kind)) + " only"
                                                               : std::string(to_string(l.mixer.kind));
    params[kind] += bound.layer(i).parameter_count();
  }
  for (const auto& b : bound.shared_blocks) params["shared transformer blocks"] += b.parameter_count();
  params["embedding"] = bound.globals.get("embedding").numel();
  if (!spec.tied_embeddings) params["lm_head"] = bound.globals.get("lm_head").numel();
  if (!spec.names.embedding_norm.empty())
    params["embedding norm"] = bound.globals.get("embedding_norm").numel() + bound.globals.get("embedding_norm.bias").numel();
  params["final norm"] = bound.globals.get("final_norm").numel() +
                         (bound.globals.find("final_norm.bias") ? bound.globals.get("final_norm.bias").numel() : 0);
  return params;
}

std::int64_t total_parameters(const std::map<std::string, std::int64_t>& by_kind) {
  std::int64_t total = 0;
  for (const auto& [_, n] : by_kind) total += n;
  return total;
}

}  // namespace hl
