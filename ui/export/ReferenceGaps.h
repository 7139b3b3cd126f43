#pragma once
// The slide's "vs other references" figures: with several references, the hybrid's mean Δ (and its 95 % interval)
// against each reference other than the one the slide colours by. The window's File → Export slide and
// `hybridlens --render` both fill SlideOptions::otherReferences with it.
#include <cstddef>
#include <vector>

#include "core/analysis/report.h"
#include "ui/export/SlideExport.h"

namespace hl::ui {

// reports[k]: the report against reference k (null when there is none); `active` is the one the slide shows.
std::vector<SlideOptions::ReferenceGap> other_reference_gaps(const std::vector<const analysis::Report*>& reports,
                                                             std::size_t active);

}  // namespace hl::ui
