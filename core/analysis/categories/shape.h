#pragma once
// Surface shape of a unit: where it sits in its word, what characters it holds, how far into the context it is, and
// whether its word has been seen before in the text.
#include <span>
#include <string_view>
#include <vector>

#include "core/analysis/categories/labels.h"
#include "core/analysis/categories/text_scan.h"

namespace hl::analysis {

// Position bins over the token index, in the reference model's tokens (the context length the model had).
std::string_view position_bin(std::size_t token_index);

// positions[u]: the reference model's index of the first token in unit u.
void label_shape(std::string_view text, std::span<const ByteSpan> units, const std::vector<Word>& words,
                 std::span<const std::size_t> positions, UnitLabels& labels);

}  // namespace hl::analysis
