#pragma once
#include <string_view>

namespace hl::analysis {
// The text of resources/lexicon/function_words_en.txt, compiled in from a source generated at configure time.
extern const std::string_view kEmbeddedFunctionWordsEn;
}  // namespace hl::analysis
