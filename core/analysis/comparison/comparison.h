#pragma once
// A comparison of several models on one text: the models' tokens aligned into units, every unit's loss per model,
// and its category labels. Δ for a compared model is NLL_reference − NLL_model on the unit, in nats (positive: the
// compared model, e.g. the hybrid, gave the actual text higher probability).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/analysis/comparison/alignment.h"
#include "core/analysis/categories/labels.h"
#include "core/analysis/categories/language.h"
#include "core/analysis/categories/function_words.h"
#include "core/analysis/comparison/model_tokens.h"

namespace hl::analysis {

struct CompareOptions {
  std::optional<Language> language;               // force one language for the whole text (else detected)
  const FunctionWordLexicon* lexicon = nullptr;   // nullptr: the embedded English lexicon
};

struct Comparison {
  std::string text;
  std::vector<ModelTokens> models;
  std::size_t reference = 0;
  std::vector<Unit> units;
  std::vector<std::vector<std::size_t>> unaligned_tokens;  // [model] tokens with empty spans (BOS/EOS)
  std::vector<LanguageRegion> regions;
  std::vector<int> copy_length;  // [unit] longest repeated n-gram completed (over unit strings), 0..8
  std::vector<std::vector<int>> token_copy_length;  // [model][token] the same over the model's own token ids
  UnitLabels labels;             // [unit]

  std::vector<ByteSpan> unit_spans() const;
  std::string_view unit_text(std::size_t unit) const;
  // NLL_reference − NLL_model on a unit (nats); NaN unless both have a loss there.
  double delta(std::size_t unit, std::size_t model) const;
  // The model whose Δ the explorer shows (the hybrid): the first model that is not the reference; the reference
  // itself when it is the only model. core/compare orders every report's models [compared models..., references...]
  // (the window's hybrid first), so this is the model the user is asking about.
  std::size_t compared_model() const;
};

// Model names must be unique (reports key by them). Throws std::invalid_argument for no models, a repeated name, a reference index out of range, or spans outside the text.
Comparison compare(std::string_view text, std::vector<ModelTokens> models, std::size_t reference_index,
                   const CompareOptions& options = {});

}  // namespace hl::analysis
