#pragma once
// Copy features after the study's repeated-n-gram analysis: position i "completes a repeated n-gram" when the n items
// ending at i occurred, in the same order, ending at some earlier position. The copy length of i is the longest such
// n, capped at kMaxCopyLength ("8 or more"); 0 when even the item itself is new.
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/analysis/categories/labels.h"

namespace hl::analysis {

inline constexpr int kMaxCopyLength = 8;

std::vector<int> copy_lengths(std::span<const std::int64_t> sequence);
// Over a model's own token ids.
std::vector<int> token_copy_lengths(const ModelTokens& model);
// Over units, comparing their byte strings (units of different tokenizations have no shared ids).
std::vector<int> unit_copy_lengths(std::string_view text, std::span<const ByteSpan> units);

// "copy:none" for 0, else "copy:any" and "copy:<n>" ("copy:8+" for the cap).
void label_copy(const std::vector<int>& lengths, UnitLabels& labels);

}  // namespace hl::analysis
