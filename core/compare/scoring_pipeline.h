#pragma once
// One text through every model of a ModelSet, then one report per reference: the path the window, `hybridlens-cli
// score --reference` and `render` all take, so the same inputs give the same report bytes from each.
//
// Rules it fixes for all of them:
//   - each model encodes the text once (with its own tokenizer), whatever the number of references;
//   - a text longer than a model's context is scored in windows of that context (stride half of it), unless the
//     request sets a window for every model;
//   - every model stays resident on a GPU, so the set is checked against free device memory before anything runs;
//   - the reports list the models in set order (compared models first, then the references) and differ only in
//     which reference Δ is measured against.
#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/analysis/comparison/model_tokens.h"
#include "core/analysis/report/report.h"
#include "core/compare/model_set.h"
#include "core/engine/windowed_scoring.h"

namespace hl::compare {

struct ScoreRequest {
  bool add_special_tokens = true;  // the tokenizer's BOS/EOS, as transformers adds them
  engine::WindowOptions window;    // window > 0: these windows for every model instead of each one's context
  // > 0: score only the text's first max_tokens tokens (by the first model's tokenizer); an interactive limit.
  std::size_t max_tokens = 0;
  bool state_norms = false;  // recurrent-state norms per layer and head (the layer views)
  const std::atomic<bool>* cancel = nullptr;  // checked between layers; throws engine::ScoreCancelled
  // Steps: every model's layers + 1, models in set order; the stage names the model.
  ProgressFn progress;
};

// One model's scores of the text, with the layer data the window's views draw (token indices the model's own).
struct ScoredModel {
  analysis::ModelTokens tokens;
  std::vector<std::vector<float>> residual_norms;  // [layers + 1][T]
  std::map<int, std::vector<float>> state_norms;   // recurrent layer → [T, heads], when requested
  std::map<int, int> state_norm_heads;
};

struct ScoredText {
  std::string text;              // what was scored: the input, or its start when cut_tokens > 0
  std::size_t input_bytes = 0;   // the input's length
  std::size_t cut_tokens = 0;    // > 0: only the first cut_tokens tokens were scored (ScoreRequest::max_tokens)
  std::vector<ScoredModel> models;  // set order
  // One line each, prefixed with the model's name: tokenizer warnings, context notes, windows used, invalid
  // (non-finite) scores. For stderr or a status line; the reports do not depend on them.
  std::vector<std::string> messages;
};

ScoredText score_text(const ModelSet& set, engine::Backend& backend, std::string_view text,
                      const ScoreRequest& request);

// One report per reference, in reference order: report r compares every model with reference r.
std::vector<analysis::Report> build_reports(const ModelSet& set, const ScoredText& scored,
                                            const analysis::ReportOptions& options = {},
                                            const std::atomic<bool>* cancel = nullptr);

// The warning for `invalid` of `predicted` positions with non-finite scores.
std::string invalid_scores_warning(std::size_t invalid, std::size_t predicted);

}  // namespace hl::compare
