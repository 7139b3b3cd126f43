#include "core/analysis/categories/word_class.h"

namespace hl::analysis {

const std::vector<std::string>& word_classes(const Word& word, const FunctionWordLexicon& lexicon) {
  const auto& whole = lexicon.classes(word.lower);
  const auto apostrophe = word.lower.find('\'');
  if (!whole.empty() || apostrophe == std::string::npos) return whole;
  return lexicon.classes(std::string_view(word.lower).substr(0, apostrophe));
}

void label_word_class(std::span<const ByteSpan> units, const std::vector<Word>& words,
                      const FunctionWordLexicon& lexicon, UnitLabels& labels) {
  for (std::size_t u = 0; u < units.size(); ++u)
    for (std::size_t w : words_overlapping(words, units[u])) {
      const auto& classes = word_classes(words[w], lexicon);
      if (classes.empty()) {
        add_label(labels[u], "word:open");
        continue;
      }
      add_label(labels[u], "word:function");
      for (const std::string& cls : classes) add_label(labels[u], "function:" + cls);
    }
}

}  // namespace hl::analysis
