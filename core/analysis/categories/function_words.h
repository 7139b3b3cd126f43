#pragma once
// The closed-class English lexicon behind the word-class categories. Its one source of truth is
// resources/lexicon/function_words_en.txt; the build embeds that file (core/CMakeLists.txt), so the analysis works
// without resources/ on disk, and a caller may load another list from a path.
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace hl::analysis {

class FunctionWordLexicon {
 public:
  // Lines "<word> <class>"; '#' starts a comment; blank lines are skipped. Throws std::invalid_argument naming the
  // line when one has no class.
  static FunctionWordLexicon parse(std::string_view text);
  static FunctionWordLexicon from_file(const std::filesystem::path& path);  // throws std::runtime_error
  static const FunctionWordLexicon& embedded_english();

  // The classes of a lower-case word (e.g. {"determiner", "pronoun"} for "that"); empty for open-class words.
  const std::vector<std::string>& classes(std::string_view lower_word) const;
  std::size_t size() const { return classes_.size(); }

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> classes_;
};

}  // namespace hl::analysis
