#pragma once
// Word class: closed-class function words (from the lexicon) vs open-class content words, for every unit that is
// (part of) an alphabetic word. The whole word decides, so "the" split as "t"+"he" is a determiner in both pieces.
#include <span>
#include <vector>

#include "core/analysis/categories/labels.h"
#include "core/analysis/categories/function_words.h"
#include "core/analysis/categories/text_scan.h"

namespace hl::analysis {

// The lexicon classes of a word; a contraction not listed whole ("john's", "they'll") is looked up by the part
// before its apostrophe.
const std::vector<std::string>& word_classes(const Word& word, const FunctionWordLexicon& lexicon);

// Labels "word:function" and "function:<class>" for each class, or "word:open", for every word a unit overlaps.
void label_word_class(std::span<const ByteSpan> units, const std::vector<Word>& words,
                      const FunctionWordLexicon& lexicon, UnitLabels& labels);

}  // namespace hl::analysis
