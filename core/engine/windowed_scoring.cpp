#include "core/engine/windowed_scoring.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "core/model/context_limit.h"

namespace hl::engine {
namespace {

// Copies positions [from, to) of a window result (local indices) to the end of the merged result.
void append_positions(ScoreResult& out, const ScoreResult& w, std::size_t from, std::size_t to) {
  auto rows = [&](auto& dst, const auto& src, std::size_t width) {
    if (src.empty()) return;
    dst.insert(dst.end(), src.begin() + static_cast<std::ptrdiff_t>(from * width),
               src.begin() + static_cast<std::ptrdiff_t>(to * width));
  };
  const TokenStats& s = w.stats;
  TokenStats& d = out.stats;
  d.k = s.k;
  rows(d.nll, s.nll, 1);
  rows(d.prob, s.prob, 1);
  rows(d.rank, s.rank, 1);
  rows(d.entropy, s.entropy, 1);
  rows(d.lse, s.lse, 1);
  rows(d.target_logit, s.target_logit, 1);
  rows(d.topk_ids, s.topk_ids, s.k);
  rows(d.topk_probs, s.topk_probs, s.k);
  rows(d.invalid, s.invalid, 1);
  d.T += to - from;

  out.residual_norms.resize(w.residual_norms.size());
  for (std::size_t l = 0; l < w.residual_norms.size(); ++l) rows(out.residual_norms[l], w.residual_norms[l], 1);
  const std::size_t hidden = w.T == 0 || w.hidden_states.empty() ? 0 : w.hidden_states[0].size() / w.T;
  out.hidden_states.resize(w.hidden_states.size());
  for (std::size_t l = 0; l < w.hidden_states.size(); ++l) rows(out.hidden_states[l], w.hidden_states[l], hidden);
  if (!w.logits.empty()) rows(out.logits, w.logits, w.logits.size() / w.T);
  for (const auto& [layer, norms] : w.state_norms) {
    const auto heads = static_cast<std::size_t>(w.state_norm_heads.at(layer));
    rows(out.state_norms[layer], norms, heads);
    out.state_norm_heads[layer] = static_cast<int>(heads);
  }
  out.T += to - from;
  out.seconds += w.seconds;
}

}  // namespace

ScoreResult score_windowed(ModelRunner& runner, std::span<const std::int32_t> ids, const WindowOptions& w,
                           const ScoreOptions& options) {
  const auto T = static_cast<std::int64_t>(ids.size());
  const std::int64_t window = w.window;
  const std::int64_t stride = w.stride > 0 ? w.stride : window / 2;
  if (window < 2) throw std::invalid_argument("the scoring window must be at least 2 tokens");
  if (stride < 1 || stride > window - 1)
    throw std::invalid_argument("the window stride must be in [1, window - 1], got " + std::to_string(stride));
  // Checked before the text's length so a window the model cannot run fails the same way for every text.
  const ContextLimit limit = context_limit(runner.spec());
  if (limit.tokens > 0 && window > limit.tokens)
    throw std::invalid_argument("the scoring window is " + std::to_string(window) + " tokens but the model's context "
                                "is " + std::to_string(limit.tokens) + " tokens (" + limit.why() + "); use --window " +
                                std::to_string(limit.tokens) + " or less");
  if (T <= window) return runner.score(ids, options);

  ScoreResult out;
  std::int64_t scored = 0;  // positions [0, scored) are final
  for (std::int64_t start = 0; scored < T; start += stride) {
    const std::int64_t end = std::min(start + window, T);
    // The window's last position has no target inside it unless it is the text's last position.
    const std::int64_t keep_to = end == T ? T : end - 1;
    if (keep_to <= scored) continue;
    ScoreOptions o = options;
    if (options.progress) {
      o.progress = [&, start](int done, int total) {
        // Whole-text progress: windows done so far plus this window's share.
        const double frac = (static_cast<double>(start) + static_cast<double>(end - start) * done / total) / T;
        options.progress(static_cast<int>(frac * total), total);
      };
    }
    const ScoreResult r = runner.score(ids.subspan(static_cast<std::size_t>(start),
                                                   static_cast<std::size_t>(end - start)), o);
    append_positions(out, r, static_cast<std::size_t>(scored - start), static_cast<std::size_t>(keep_to - start));
    if (out.notes.empty()) out.notes = r.notes;  // every window says the same
    scored = keep_to;
  }
  return out;
}

}  // namespace hl::engine
