#include "core/model/context_limit.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace hl {

namespace {

constexpr std::int64_t kUnbounded = std::numeric_limits<std::int64_t>::max();

// The positions one RoPE layer defines; max_positions for types without an extension.
std::int64_t rope_reach(const RopeSpec& r, std::int64_t max_positions) {
  switch (r.type) {
    case RopeType::Dynamic:
      return kUnbounded;
    case RopeType::Yarn:
    case RopeType::LongRope: {
      const auto original = r.original_max_position_embeddings > 0 ? r.original_max_position_embeddings : max_positions;
      const double factor =
          r.factor > 0 ? r.factor : static_cast<double>(max_positions) / static_cast<double>(original);
      const double reach = std::floor(factor * static_cast<double>(original));
      return reach >= 9.0e18 ? kUnbounded : std::max(max_positions, static_cast<std::int64_t>(reach));
    }
    default:
      return max_positions;
  }
}

const char* rope_label(RopeType t) {
  switch (t) {
    case RopeType::Dynamic:
      return "dynamic NTK";
    case RopeType::Yarn:
      return "YaRN";
    case RopeType::LongRope:
      return "LongRoPE";
    default:
      return "";
  }
}

}  // namespace

ContextLimit context_limit(const ModelSpec& spec) {
  const std::int64_t base = spec.max_position_embeddings;
  if (base <= 0) return {};
  std::vector<const AttentionSpec*> roped;
  for (const auto& l : spec.layers)
    if (l.mixer.kind == MixerKind::FullAttention || l.mixer.kind == MixerKind::SlidingAttention ||
        l.mixer.kind == MixerKind::ParallelAttentionMamba2)
      if (l.mixer.attention.rope.type != RopeType::None) roped.push_back(&l.mixer.attention);
  for (const auto& b : spec.shared_blocks)
    if (b.attention.rope.type != RopeType::None) roped.push_back(&b.attention);
  if (roped.empty()) return {base, {}};
  std::int64_t reach = kUnbounded;
  const char* label = rope_label(roped.front()->rope.type);
  for (const auto* a : roped)
    if (const auto r = rope_reach(a->rope, base); r < reach) {
      reach = r;
      label = rope_label(a->rope.type);
    }
  if (reach == base) return {base, {}};
  if (reach == kUnbounded)
    return {0, std::string(label) +
                   " RoPE rescales its frequencies to the text's length past max_position_embeddings " +
                   std::to_string(base)};
  return {reach, std::string(label) + " RoPE defines positions up to " + std::to_string(reach) +
                     " (factor × original_max_position_embeddings), past max_position_embeddings " +
                     std::to_string(base)};
}

std::string context_note(const ModelSpec& spec, std::int64_t tokens) {
  if (spec.max_position_embeddings <= 0 || tokens <= spec.max_position_embeddings) return {};
  const ContextLimit limit = context_limit(spec);
  if (limit.beyond_reason.empty() || (limit.tokens > 0 && tokens > limit.tokens)) return {};
  return "positions up to " + std::to_string(tokens - 1) + " used: " + limit.beyond_reason;
}

}  // namespace hl
