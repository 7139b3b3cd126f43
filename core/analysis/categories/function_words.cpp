#include "core/analysis/categories/function_words.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/analysis/categories/embedded_lexicon.h"

namespace hl::analysis {

namespace {
std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}
}  // namespace

FunctionWordLexicon FunctionWordLexicon::parse(std::string_view text) {
  FunctionWordLexicon lexicon;
  std::size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    line = trim(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    const auto sep = line.find_first_of(" \t");
    if (sep == std::string_view::npos)
      throw std::invalid_argument("function-word lexicon line " + std::to_string(line_no) + ": expected \"<word> <class>\"");
    auto& classes = lexicon.classes_[std::string(line.substr(0, sep))];
    const std::string cls(trim(line.substr(sep)));
    if (std::find(classes.begin(), classes.end(), cls) == classes.end()) classes.push_back(cls);
  }
  return lexicon;
}

FunctionWordLexicon FunctionWordLexicon::from_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read function-word lexicon " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str());
}

const FunctionWordLexicon& FunctionWordLexicon::embedded_english() {
  static const FunctionWordLexicon lexicon = parse(kEmbeddedFunctionWordsEn);
  return lexicon;
}

const std::vector<std::string>& FunctionWordLexicon::classes(std::string_view lower_word) const {
  static const std::vector<std::string> none;
  const auto it = classes_.find(lower_word);
  return it == classes_.end() ? none : it->second;
}

}  // namespace hl::analysis
