// Non-finite statistics (NaN/Inf weights, overflowing activations) are marked once, after the LM head, so every
// backend and every consumer sees the same thing: a flag and NaN numbers, never a rank or probability that looks
// real (a NaN target logit would otherwise count as rank 0, the model's top-1).
#include <algorithm>
#include <cmath>
#include <limits>

#include "core/engine/backend.h"

namespace hl::engine {

std::size_t TokenStats::invalid_count() const {
  return static_cast<std::size_t>(std::count_if(invalid.begin(), invalid.end(), [](std::uint8_t v) { return v != 0; }));
}

void mark_invalid_positions(TokenStats& s) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  s.invalid.assign(s.T, 0);
  for (std::size_t t = 0; t < s.T; ++t) {
    const bool has_target = t < s.rank.size() && s.rank[t] >= 0;
    const bool finite = std::isfinite(s.nll[t]) && (t >= s.entropy.size() || std::isfinite(s.entropy[t]));
    if (!has_target || finite) continue;
    s.invalid[t] = 1;
    s.nll[t] = nan;
    if (t < s.prob.size()) s.prob[t] = nan;
    if (t < s.entropy.size()) s.entropy[t] = nan;
    s.rank[t] = -1;
    for (std::size_t j = 0; j < s.k && (t + 1) * s.k <= s.topk_ids.size(); ++j) {
      s.topk_ids[t * s.k + j] = -1;
      s.topk_probs[t * s.k + j] = 0.0f;
    }
  }
}

}  // namespace hl::engine
