#pragma once
// Opening vs closing delimiters: brackets, quotes, HTML/XML tags and LaTeX environments. The study finds the
// transformer relatively better on closers; these labels let a report test that on any text.
#include <span>
#include <string_view>
#include <vector>

#include "core/analysis/categories/labels.h"
#include "core/analysis/categories/language.h"

namespace hl::analysis {

// Marks with labels "delim:<kind>_open" / "delim:<kind>_close" (kind: bracket, angle, quote, tag, latex_env) and
// "delim:tag_self_closing"; rules in docs/categories.md. Angle brackets and tags are looked for only outside code
// regions (there '<' and '>' are operators).
std::vector<MarkedSpan> find_delimiters(std::string_view text, const std::vector<LanguageRegion>& regions);

// Labels each unit overlapping a mark with its label, plus "delim:open" / "delim:close" for any opener / closer.
void label_delimiters(std::string_view text, std::span<const ByteSpan> units,
                      const std::vector<LanguageRegion>& regions, UnitLabels& labels);

}  // namespace hl::analysis
