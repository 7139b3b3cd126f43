#pragma once
// A small lexer that gives each piece of code its role. It is deliberately forgiving (never throws, never stalls on
// unterminated strings or comments) and approximate: enough to sort tokens into the study's roles, not a parser.
#include <span>
#include <string_view>
#include <vector>

#include "core/analysis/categories/labels.h"
#include "core/analysis/categories/language.h"

namespace hl::analysis {

// Labels are "code:<role>"; roles per language are listed in docs/categories.md.
// Python and C-like: identifier keyword string comment number operator indentation.
// HTML: tag attribute attribute_value text comment operator.  LaTeX: command text math comment number operator.
std::vector<MarkedSpan> lex_code(std::string_view text, ByteSpan region, Language language);
std::vector<MarkedSpan> lex_markup(std::string_view text, ByteSpan region, Language language);  // html, latex

// Lexes every non-prose region and labels the units each role overlaps; also "lang:<language>" for every unit.
void label_code_roles(std::string_view text, std::span<const ByteSpan> units,
                      const std::vector<LanguageRegion>& regions, UnitLabels& labels);

}  // namespace hl::analysis
