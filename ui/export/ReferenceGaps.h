#pragma once
// The slide's "vs other references" figures for a renderer that holds its reports by pointer (`hybridlens
// --render`): core's gaps (core/analysis/headline.h) of every report but the active one, as SlideOptions::
// otherReferences takes them. The window's File → Export slide takes the same from analysis::other_reference_gaps.
#include <cstddef>
#include <vector>

#include "core/analysis/headline.h"

namespace hl::ui {

// reports[k]: the report against reference k (null when there is none); `active` is the one the slide shows.
std::vector<analysis::ReferenceGap> other_reference_gaps(const std::vector<const analysis::Report*>& reports,
                                                         std::size_t active);

}  // namespace hl::ui
