#include "ui/export/ReferenceGaps.h"

namespace hl::ui {

std::vector<analysis::ReferenceGap> other_reference_gaps(const std::vector<const analysis::Report*>& reports,
                                                         std::size_t active) {
  std::vector<analysis::ReferenceGap> gaps;
  for (std::size_t k = 0; k < reports.size(); ++k)
    if (k != active && reports[k])
      if (auto gap = analysis::reference_gap(*reports[k])) gaps.push_back(std::move(*gap));
  return gaps;
}

}  // namespace hl::ui
