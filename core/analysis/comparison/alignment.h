#pragma once
// Aligns several tokenizations of one text on byte spans.
//
// A unit is a coarsest piece of text on which every model has a token boundary: a cut is placed at a byte offset
// only if no model has a non-empty token whose span strictly contains it. Every non-empty token then lies inside
// exactly one unit, so a model's loss on a unit is the sum of its token NLLs there (the chain rule: the probability
// of the unit's bytes given everything before). With one shared tokenizer, units are the tokens themselves.
//
// Tokens with an empty span (BOS/EOS the post-processor inserted) are not text: they belong to no unit. Their NLL, if
// any, is reported per model as unaligned loss so the total is preserved. Tokens whose spans overlap or coincide
// (byte-fallback pieces of one character, overlapping special tokens) prevent any cut inside their union and so end
// up in the same unit.
#include <cstddef>
#include <string_view>
#include <vector>

#include "core/analysis/comparison/model_tokens.h"

namespace hl::analysis {

struct Unit {
  ByteSpan span;
  std::vector<std::vector<std::size_t>> tokens;  // [model] indices into that model's tokens, in order
  std::vector<double> nll;  // [model] sum of the token NLLs; NaN if the model has no token here or one lacks an NLL
  bool scored() const;      // every model has a loss on this unit
};

struct Alignment {
  std::vector<Unit> units;
  std::vector<std::vector<std::size_t>> unaligned_tokens;  // [model] tokens with an empty span
};

// Throws std::invalid_argument when a span lies outside the text or ends before it begins.
Alignment align(std::string_view text, const std::vector<ModelTokens>& models);

}  // namespace hl::analysis
