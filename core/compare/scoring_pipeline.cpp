#include "core/compare/scoring_pipeline.h"

#include <algorithm>

#include "core/analysis/comparison/comparison.h"
#include "core/analysis/comparison/from_score.h"
#include "core/engine/device_backend.h"
#include "core/model/context_limit.h"

namespace hl::compare {
namespace {

std::size_t utf8_boundary_at_or_before(std::string_view s, std::size_t n) {
  while (n > 0 && n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return n;
}

// The windows model m scores its `tokens` tokens in: the request's, else its context when the text is longer.
engine::WindowOptions windows_for(const engine::LoadedModel& model, std::size_t tokens, const ScoreRequest& request) {
  if (request.window.window > 0) return request.window;
  const std::int64_t context = context_limit(model.spec()).tokens;
  if (context > 1 && static_cast<std::int64_t>(tokens) > context) return {context, 0};
  return {};
}

}  // namespace

std::string invalid_scores_warning(std::size_t invalid, std::size_t predicted) {
  return std::to_string(invalid) + " of " + std::to_string(predicted) +
         " predicted tokens have non-finite scores (NaN/Inf logits; the checkpoint's weights may contain NaN or "
         "Inf): they are marked invalid and left out of every mean";
}

ScoredText score_text(const ModelSet& set, engine::Backend& backend, std::string_view text,
                      const ScoreRequest& request) {
  ScoredText out;
  out.input_bytes = text.size();
  // A token is at least one byte: with a token limit, a few times that many bytes bound the tokenizer's work too.
  const std::size_t pre_cut = 16 * request.max_tokens;
  out.text = std::string(request.max_tokens > 0 && text.size() > pre_cut
                             ? text.substr(0, utf8_boundary_at_or_before(text, pre_cut))
                             : text);
  tok::Encoding first = set.model(0).encode(out.text, request.add_special_tokens);
  if (request.max_tokens > 0 && first.ids.size() > request.max_tokens) {
    out.text.resize(first.byte_offsets[request.max_tokens - 1].second);
    first = set.model(0).encode(out.text, request.add_special_tokens);
  }
  if (out.text.size() < text.size()) out.cut_tokens = first.ids.size();

  std::vector<tok::Encoding> encodings;
  encodings.push_back(std::move(first));
  for (std::size_t m = 1; m < set.size(); ++m)
    encodings.push_back(set.model(m).encode(out.text, request.add_special_tokens));
  std::vector<engine::WindowOptions> windows;
  std::int64_t longest_pass = 0;
  for (std::size_t m = 0; m < set.size(); ++m) {
    windows.push_back(windows_for(set.model(m), encodings[m].ids.size(), request));
    const auto tokens = static_cast<std::int64_t>(encodings[m].ids.size());
    longest_pass = std::max(longest_pass, windows[m].window > 0 ? std::min(windows[m].window, tokens) : tokens);
  }
  engine::check_device_memory(backend, set.resident(), longest_pass);

  int total = 0;
  for (std::size_t m = 0; m < set.size(); ++m) total += static_cast<int>(set.model(m).spec().layers.size()) + 1;
  int offset = 0;
  for (std::size_t m = 0; m < set.size(); ++m) {
    engine::LoadedModel& model = set.model(m);
    const std::string& name = set.names()[m];
    const tok::Encoding& enc = encodings[m];
    for (const auto& w : enc.warnings) out.messages.push_back(name + ": " + w);
    const int steps = static_cast<int>(model.spec().layers.size()) + 1;
    engine::ScoreOptions options;
    options.cancel = request.cancel;
    options.state_norms = request.state_norms;
    if (request.progress) {
      const std::string stage = "scoring with " + name;
      options.progress = [&request, offset, total, steps, stage](int done, int of) {
        request.progress(of > 0 ? offset + (done + 1) * steps / (of + 1) : offset, total, stage);
      };
      request.progress(offset, total, stage);
    }
    if (windows[m].window > 0 && static_cast<std::int64_t>(enc.ids.size()) > windows[m].window) {
      const std::int64_t stride = windows[m].stride > 0 ? windows[m].stride : windows[m].window / 2;
      out.messages.push_back(name + ": " + std::to_string(enc.ids.size()) + " tokens scored in windows of " +
                             std::to_string(windows[m].window) + " tokens, advancing by " + std::to_string(stride));
    }
    engine::ScoreResult r = model.score(enc.ids, options, windows[m]);
    for (const auto& note : r.notes) out.messages.push_back(name + ": " + note);
    if (const std::size_t invalid = r.stats.invalid_count(); invalid > 0)
      out.messages.push_back(name + ": " + invalid_scores_warning(invalid, enc.ids.size() - 1));
    ScoredModel& scored = out.models.emplace_back();
    scored.tokens = analysis::from_score(name, enc, r.stats, model.tokenizer());
    analysis::record_vocabulary(scored.tokens, model.tokenizer()->vocab_size(),
                                static_cast<std::size_t>(model.spec().vocab_size));
    scored.residual_norms = std::move(r.residual_norms);
    scored.state_norms = std::move(r.state_norms);
    scored.state_norm_heads = std::move(r.state_norm_heads);
    offset += steps;
  }
  return out;
}

std::vector<analysis::Report> build_reports(const ModelSet& set, const ScoredText& scored,
                                            const analysis::ReportOptions& options,
                                            const std::atomic<bool>* cancel) {
  std::vector<analysis::ModelTokens> tokens;
  for (const ScoredModel& m : scored.models) tokens.push_back(m.tokens);
  std::vector<analysis::Report> reports;
  for (std::size_t r = 0; r < set.reference_count(); ++r) {
    if (cancel && cancel->load()) throw engine::ScoreCancelled();
    const bool last = r + 1 == set.reference_count();  // the last report may take the scores instead of copying
    reports.push_back(analysis::build_report(
        analysis::compare(scored.text, last ? std::move(tokens) : tokens, set.reference_index(r), {}), options));
  }
  return reports;
}

}  // namespace hl::compare
