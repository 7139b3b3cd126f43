#include "core/analysis/categories/labels.h"

#include <algorithm>

namespace hl::analysis {

void add_label(std::vector<std::string>& labels, std::string label) {
  const auto it = std::lower_bound(labels.begin(), labels.end(), label);
  if (it == labels.end() || *it != label) labels.insert(it, std::move(label));
}

bool has_label(const std::vector<std::string>& labels, std::string_view label) {
  return std::binary_search(labels.begin(), labels.end(), label, std::less<>());
}

void label_overlapping(std::span<const ByteSpan> units, const std::vector<MarkedSpan>& marks, UnitLabels& labels) {
  for (const MarkedSpan& mark : marks) {
    auto it = std::partition_point(units.begin(), units.end(), [&](const ByteSpan& u) { return u.end <= mark.span.begin; });
    for (; it != units.end() && it->begin < mark.span.end; ++it)
      add_label(labels[static_cast<std::size_t>(it - units.begin())], mark.label);
  }
}

}  // namespace hl::analysis
