#pragma once
// How many tokens one forward pass may take. transformers runs any length; we hold texts to the length the model's
// positions were defined for: max_position_embeddings, or further where every RoPE layer's rope type defines
// positions beyond it. Dynamic NTK rescales its frequencies to the text's length (no limit); YaRN and LongRoPE were
// extended to factor × original_max_position_embeddings. Longer texts are scored in windows (--window).
#include <cstdint>
#include <string>

#include "core/model/model_spec.h"

namespace hl {

struct ContextLimit {
  std::int64_t tokens = 0;  // 0 = no limit
  // Set when `tokens` goes past max_position_embeddings: one line saying why, for the user.
  std::string beyond_reason;
  // Where `tokens` comes from: beyond_reason, or "max_position_embeddings".
  std::string why() const { return beyond_reason.empty() ? "max_position_embeddings" : beyond_reason; }
};

ContextLimit context_limit(const ModelSpec& spec);

// The note to show when one pass of `tokens` tokens runs past max_position_embeddings within the limit; empty
// otherwise.
std::string context_note(const ModelSpec& spec, std::int64_t tokens);

}  // namespace hl
