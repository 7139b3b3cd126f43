#include "core/model/layer_stack.h"

#include <algorithm>
#include <cstdio>
#include <set>
#include <stdexcept>
#include <string_view>

#include "core/model/layer_kinds.h"
#include "core/model/layer_pattern.h"
#include "core/model/tensor_plan.h"

namespace hl {

namespace {

using I = std::int64_t;

// The parser bounds every size, but products of several bounded sizes (stacked experts) are checked here too
// rather than trusted to fit.
I checked_mul(I a, I b) {
  I out = 0;
  if (__builtin_mul_overflow(a, b, &out)) throw std::overflow_error("layer_stack: parameter count overflows");
  return out;
}

I checked_add(I a, I b) {
  I out = 0;
  if (__builtin_add_overflow(a, b, &out)) throw std::overflow_error("layer_stack: parameter count overflows");
  return out;
}

// Numel of one requirement. A concat group's members have an unknown channel count (shape[0] = 0); the group's
// first member carries the whole group (concat_channels × the remaining dims), the others add nothing.
I requirement_numel(const TensorRequirement& r, std::set<std::string>& groups_seen) {
  if (r.optional_buffer) return 0;  // a buffer, not a parameter
  if (!r.concat_group.empty()) {
    if (!groups_seen.insert(r.concat_group).second) return 0;
    I n = r.concat_channels;
    for (std::size_t i = 1; i < r.shape.size(); ++i) n = checked_mul(n, r.shape[i]);
    return n;
  }
  I n = 1;
  for (I d : r.shape) n = checked_mul(n, d);
  return n;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool is_ffn_role(std::string_view role) {
  return starts_with(role, "mlp.") || starts_with(role, "moe.") || starts_with(role, "channel_mix.") ||
         starts_with(role, "norm.pre_ffn") || starts_with(role, "norm.post_ffn");
}

I sum_numel(const std::vector<TensorRequirement>& requirements) {
  std::set<std::string> groups;
  I n = 0;
  for (const auto& r : requirements) n = checked_add(n, requirement_numel(r, groups));
  return n;
}

std::string mixer_label(const ModelSpec& spec, const LayerPlan& layer) {
  const auto& m = layer.mixer;
  // Zamba / Zamba2 hybrid layers: several blocks (Zamba2 num_mem_blocks > 1) take turns; name which one, counting
  // from 1 as people do.
  const auto with_block = [&](std::string mamba) {
    if (layer.shared_block < 0) return mamba;
    return spec.shared_blocks.size() > 1 ? mamba + " + shared block " + std::to_string(layer.shared_block + 1)
                                         : mamba + " + shared block";
  };
  const MixerKindInfo& info = kind_info(m.kind);
  if (m.kind == MixerKind::None) return "—";
  if (m.kind == MixerKind::SlidingAttention)
    return std::string(info.label) + " (window " + std::to_string(m.attention.sliding_window) + ")";
  return with_block(std::string(info.label));
}

std::string mixer_short(const LayerPlan& layer) {
  const std::string label(kind_info(layer.mixer.kind).short_label);
  return layer.shared_block >= 0 ? label + "+shared" : label;
}

std::string ffn_label(const FfnSpec& ffn) {
  if (ffn.kind == FfnKind::None) return {};
  if (ffn.kind != FfnKind::Moe) return std::string(kind_info(ffn.kind).label);
  const auto& m = ffn.moe;
  return "MoE " + std::to_string(m.num_experts) + " experts, top-" + std::to_string(m.top_k) +
         (m.shared_intermediate > 0 ? " (+shared)" : "");
}

bool has_recurrent_state(MixerKind k) { return kind_info(k).recurrent; }

// Names in order of first appearance, then stably sorted by count: "most first, ties in stack order".
std::string counts(const std::vector<std::string>& names) {
  std::vector<std::pair<std::string, int>> tally;
  for (const auto& n : names) {
    auto it = std::find_if(tally.begin(), tally.end(), [&](const auto& t) { return t.first == n; });
    if (it == tally.end()) tally.emplace_back(n, 1);
    else ++it->second;
  }
  std::stable_sort(tally.begin(), tally.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string out;
  for (const auto& [name, n] : tally) out += (out.empty() ? "" : " · ") + name + " ×" + std::to_string(n);
  return out;
}

}  // namespace

LayerStackSummary layer_stack(const ModelSpec& spec) {
  LayerStackSummary out;
  out.tied_embeddings = spec.tied_embeddings;
  out.pattern = compress_pattern(mixer_pattern(spec));

  std::set<std::string> no_groups;
  for (const auto& r : model_requirements(spec)) {
    const I n = requirement_numel(r, no_groups);
    if (r.role.rfind("embedding", 0) == 0)  // the table, and RWKV's norm on it
      out.embedding_params = checked_add(out.embedding_params, n);
    else if (r.role == "lm_head") out.lm_head_params = checked_add(out.lm_head_params, n);
    else out.final_norm_params = checked_add(out.final_norm_params, n);  // final_norm, final_norm.bias
  }
  I total = checked_add(checked_add(out.embedding_params, out.lm_head_params), out.final_norm_params);

  out.layers.reserve(spec.layers.size());
  for (const auto& layer : spec.layers) {
    LayerBlock b;
    b.index = layer.index;
    b.mixer = layer.mixer.kind;
    b.ffn = layer.ffn.kind;
    b.mixer_label = mixer_label(spec, layer);
    b.mixer_short = mixer_short(layer);
    b.ffn_label = ffn_label(layer.ffn);
    b.letter = mixer_letter(layer);
    b.recurrent = has_recurrent_state(layer.mixer.kind);
    b.shared_block = layer.shared_block;
    if (layer.mixer.kind == MixerKind::SlidingAttention) b.sliding_window = layer.mixer.attention.sliding_window;
    if (layer.ffn.kind == FfnKind::Moe) {
      b.experts = layer.ffn.moe.num_experts;
      b.experts_per_token = layer.ffn.moe.top_k;
    }
    std::set<std::string> groups;
    for (const auto& r : layer_requirements(spec, layer)) {
      I& bucket = is_ffn_role(r.role) ? b.ffn_params : b.mixer_params;
      bucket = checked_add(bucket, requirement_numel(r, groups));
    }
    total = checked_add(total, b.params());
    out.layers.push_back(std::move(b));
  }

  for (const auto& block : spec.shared_blocks) {
    SharedBlockSummary s;
    s.index = block.index;
    s.layers = block.layers;
    s.params = sum_numel(shared_block_requirements(spec, block));
    total = checked_add(total, s.params);
    out.shared_blocks.push_back(std::move(s));
  }
  out.total_params = total;
  return out;
}

std::string mixer_counts(const LayerStackSummary& stack) {
  std::vector<std::string> names;
  for (const auto& l : stack.layers) names.push_back(l.mixer_short);
  return counts(names);
}

std::string ffn_counts(const LayerStackSummary& stack) {
  std::vector<std::string> names;
  for (const auto& l : stack.layers)
    if (l.ffn != FfnKind::None)
      names.push_back(l.ffn == FfnKind::Moe ? "MoE" : l.ffn == FfnKind::RwkvChannelMix ? "Channel mix" : "MLP");
  return counts(names);
}

std::string format_param_count(std::int64_t n) {
  if (n < 1000) return std::to_string(n);
  static constexpr struct {
    double scale;
    const char* suffix;
  } kUnits[] = {{1e3, "K"}, {1e6, "M"}, {1e9, "B"}, {1e12, "T"}};
  std::size_t u = 0;
  // Rounding may carry into the next unit (999'950 → "1000K"), so the unit is chosen after rounding.
  while (u + 1 < std::size(kUnits) && static_cast<double>(n) / kUnits[u].scale >= 999.5) ++u;
  const double v = static_cast<double>(n) / kUnits[u].scale;
  char buf[32];
  std::snprintf(buf, sizeof buf, v >= 99.95 ? "%.0f%s" : v >= 9.995 ? "%.1f%s" : "%.2f%s", v, kUnits[u].suffix);
  return buf;
}

}  // namespace hl
