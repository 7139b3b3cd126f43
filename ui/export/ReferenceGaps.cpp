#include "ui/export/ReferenceGaps.h"

#include <QString>

namespace hl::ui {

std::vector<SlideOptions::ReferenceGap> other_reference_gaps(const std::vector<const analysis::Report*>& reports,
                                                             std::size_t active) {
  std::vector<SlideOptions::ReferenceGap> gaps;
  for (std::size_t k = 0; k < reports.size(); ++k) {
    if (k == active || reports[k] == nullptr || reports[k]->categories.empty()) continue;
    const analysis::Report& r = *reports[k];
    if (r.categories.front().gaps.empty()) continue;
    const auto& g = r.categories.front().gaps.front();  // the hybrid's: the first model that is not the reference
    gaps.push_back({QString::fromStdString(r.comparison.models[r.comparison.reference].name), g.mean_delta,
                    g.interval.low, g.interval.high});
  }
  return gaps;
}

}  // namespace hl::ui
