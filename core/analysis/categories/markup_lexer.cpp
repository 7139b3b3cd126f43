// HTML and LaTeX roles for code_lexer.h.
#include <cctype>
#include <string>

#include "core/analysis/categories/code_lexer.h"

namespace hl::analysis {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

struct Marker {
  std::vector<MarkedSpan>& out;
  void operator()(std::size_t b, std::size_t e, const char* role) const {
    if (e > b) out.push_back({{b, e}, std::string("code:") + role});
  }
};

// Inside a tag from just after its name to its '>' (or the region end): attributes, values and the closing markup.
std::size_t lex_tag_body(std::string_view s, std::size_t i, const Marker& mark) {
  while (i < s.size() && s[i] != '>') {
    const std::size_t b = i;
    if (is_space(s[i])) {
      ++i;
    } else if (s[i] == '"' || s[i] == '\'') {
      const auto close = s.find(s[i], i + 1);
      i = close == std::string_view::npos ? s.size() : close + 1;
      mark(b, i, "attribute_value");
    } else if (s[i] == '=' || s[i] == '/') {
      mark(b, ++i, "operator");
      if (s[b] == '=' && i < s.size() && !is_space(s[i]) && s[i] != '"' && s[i] != '\'' && s[i] != '>') {
        const std::size_t v = i;
        while (i < s.size() && !is_space(s[i]) && s[i] != '>') ++i;
        mark(v, i, "attribute_value");
      }
    } else {
      while (i < s.size() && !is_space(s[i]) && s[i] != '=' && s[i] != '>' && s[i] != '/') ++i;
      mark(b, i, "attribute");
    }
  }
  if (i < s.size()) mark(i, i + 1, "operator");
  return i < s.size() ? i + 1 : i;
}

void lex_html(std::string_view s, std::size_t i, const Marker& mark) {
  while (i < s.size()) {
    const std::size_t b = i;
    if (s.substr(i).starts_with("<!--")) {
      const auto close = s.find("-->", i + 4);
      i = close == std::string_view::npos ? s.size() : close + 3;
      mark(b, i, "comment");
    } else if (s[i] == '<' && i + 1 < s.size() && (is_alpha(s[i + 1]) || s[i + 1] == '/' || s[i + 1] == '!')) {
      i += s[i + 1] == '/' || s[i + 1] == '!' ? 2 : 1;
      mark(b, i, "operator");
      const std::size_t name = i;
      while (i < s.size() && !is_space(s[i]) && s[i] != '>' && s[i] != '/') ++i;
      mark(name, i, "tag");
      i = lex_tag_body(s, i, mark);
    } else if (is_space(s[i])) {
      ++i;
    } else {
      while (i < s.size() && s[i] != '<' && !is_space(s[i])) ++i;
      if (i == b) ++i;  // a lone '<' that opens no tag
      mark(b, i, "text");
    }
  }
}

void lex_latex(std::string_view s, std::size_t i, const Marker& mark) {
  while (i < s.size()) {
    const std::size_t b = i;
    const char c = s[i];
    if (c == '%') {
      i = std::min(s.find('\n', i), s.size());
      mark(b, i, "comment");
    } else if (c == '\\') {
      ++i;
      if (i < s.size() && is_alpha(s[i]))
        while (i < s.size() && is_alpha(s[i])) ++i;
      else if (i < s.size())
        ++i;  // control symbol: \%, \\, \{ ...
      mark(b, i, "command");
    } else if (c == '$') {
      const bool display = s.substr(i, 2) == "$$";
      const std::string_view delimiter = display ? "$$" : "$";
      const auto close = s.find(delimiter, i + delimiter.size());
      i = close == std::string_view::npos ? s.size() : close + delimiter.size();
      mark(b, i, "math");
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
      mark(b, i, "number");
    } else if (c == '{' || c == '}' || c == '[' || c == ']' || c == '&' || c == '^' || c == '_') {
      mark(b, ++i, "operator");
    } else if (is_space(c)) {
      ++i;
    } else {
      while (i < s.size() && !is_space(s[i]) && std::string_view("%\\${}[]&^_").find(s[i]) == std::string_view::npos &&
             !std::isdigit(static_cast<unsigned char>(s[i])))
        ++i;
      mark(b, i, "text");
    }
  }
}

}  // namespace

std::vector<MarkedSpan> lex_markup(std::string_view text, ByteSpan region, Language language) {
  std::vector<MarkedSpan> out;
  const Marker mark{out};
  const std::string_view s = text.substr(0, region.end);
  if (language == Language::html) lex_html(s, region.begin, mark);
  if (language == Language::latex) lex_latex(s, region.begin, mark);
  return out;
}

}  // namespace hl::analysis
