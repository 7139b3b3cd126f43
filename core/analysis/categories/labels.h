#pragma once
// Category labels per unit. A label is "<family>:<name>" (e.g. "word:open", "delim:bracket_close"); a unit carries
// any number of them. Every rule is documented in docs/categories.md.
#include <span>
#include <string>
#include <vector>

#include "core/analysis/comparison/model_tokens.h"

namespace hl::analysis {

using UnitLabels = std::vector<std::vector<std::string>>;  // [unit] sorted, unique labels

// A labelled piece of text; units that overlap it get the label.
struct MarkedSpan {
  ByteSpan span;
  std::string label;
};

void add_label(std::vector<std::string>& labels, std::string label);
bool has_label(const std::vector<std::string>& labels, std::string_view label);

// Adds each mark's label to every unit whose span overlaps the mark's span. units must be sorted and disjoint.
void label_overlapping(std::span<const ByteSpan> units, const std::vector<MarkedSpan>& marks, UnitLabels& labels);

}  // namespace hl::analysis
