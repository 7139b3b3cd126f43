#pragma once
// Which language a text (or a fenced block of it) is written in, so the right lexer assigns code roles.
#include <optional>
#include <string_view>
#include <vector>

#include "core/analysis/comparison/model_tokens.h"

namespace hl::analysis {

enum class Language { prose, python, c_like, html, latex };

std::string_view language_name(Language language);
std::optional<Language> language_from_name(std::string_view name);  // also fence tags: "py", "cpp", "js", "tex" ...

// Line-vote heuristic (docs/categories.md): each line votes for the languages whose marks it carries; the language
// with the most votes wins if it has at least 2 and at least a fifth of the non-blank lines; otherwise prose.
Language detect_language(std::string_view text);

struct LanguageRegion {
  ByteSpan span;
  Language language = Language::prose;
};

// The whole text in `forced` if given. Otherwise Markdown fences (``` lines) split it: fenced bodies take their tag's
// language (or the detected one when untagged or unknown) and the rest is prose; without fences, the whole text gets
// the detected language. Regions are sorted, disjoint, and cover the text.
std::vector<LanguageRegion> language_regions(std::string_view text, std::optional<Language> forced);

}  // namespace hl::analysis
