#include "core/analysis/categories/delimiters.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "core/analysis/categories/text_scan.h"

namespace hl::analysis {

namespace {

bool is_code(Language language) { return language == Language::python || language == Language::c_like; }

Language language_at(const std::vector<LanguageRegion>& regions, std::size_t pos) {
  const auto it = std::partition_point(regions.begin(), regions.end(), [&](const LanguageRegion& r) { return r.span.end <= pos; });
  return it == regions.end() ? Language::prose : it->language;
}

bool is_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

// An HTML/XML tag starting at '<' at p: marks its head ("<name" or "</name") and its end (">" or "/>").
// Returns the position after the tag, or p when no tag starts there.
std::size_t match_tag(std::string_view s, std::size_t p, std::vector<MarkedSpan>& out) {
  const bool closing = p + 1 < s.size() && s[p + 1] == '/';
  std::size_t i = p + (closing ? 2 : 1);
  if (i >= s.size() || !is_alpha(s[i])) return p;
  while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '-' || s[i] == ':' || s[i] == '_')) ++i;
  const std::size_t head_end = i;
  char quote = 0;
  for (; i < s.size(); ++i) {
    if (quote) {
      if (s[i] == quote) quote = 0;
    } else if (s[i] == '"' || s[i] == '\'') {
      quote = s[i];
    } else if (s[i] == '<' || i - p > 1024) {  // a stray '<', not a tag
      return p;
    } else if (s[i] == '>') {
      break;
    }
  }
  if (i >= s.size()) return p;
  const bool self_closing = !closing && s[i - 1] == '/';
  const std::string label = closing ? "delim:tag_close" : self_closing ? "delim:tag_self_closing" : "delim:tag_open";
  out.push_back({{p, head_end}, label});
  out.push_back({{self_closing ? i - 1 : i, i + 1}, label});
  return i + 1;
}

// "\begin{name}" / "\end{name}" at p; returns the position after it, or p.
std::size_t match_latex_environment(std::string_view s, std::size_t p, std::vector<MarkedSpan>& out) {
  for (const auto& [command, label] : {std::pair<std::string_view, const char*>{"\\begin{", "delim:latex_env_open"},
                                       {"\\end{", "delim:latex_env_close"}}) {
    if (!s.substr(p).starts_with(command)) continue;
    const auto close = s.find('}', p + command.size());
    if (close == std::string_view::npos || s.substr(p, close - p).find('\n') != std::string_view::npos) return p;
    out.push_back({{p, close + 1}, label});
    return close + 1;
  }
  return p;
}

// Straight quotes are symmetric, so the side comes from context: a quote opens when it follows the start of the text,
// whitespace, an opening bracket or an opening quote (unless it directly follows the quote it would close: "").
const char* quote_side(char32_t prev, bool prev_was_open_quote_same_char, char32_t next) {
  if (prev_was_open_quote_same_char) return "delim:quote_close";
  const bool opens_context = prev == 0 || is_space_char(prev) || prev == '(' || prev == '[' || prev == '{' ||
                             prev == '"' || prev == '\'' || prev == '`' || prev == 0x201C || prev == 0x2018;
  if (opens_context) return next == 0 || is_space_char(next) ? nullptr : "delim:quote_open";
  return "delim:quote_close";
}

}  // namespace

std::vector<MarkedSpan> find_delimiters(std::string_view text, const std::vector<LanguageRegion>& regions) {
  std::vector<MarkedSpan> out;
  char32_t prev = 0;
  std::size_t last_open_quote_end = std::string_view::npos;
  char32_t last_open_quote = 0;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t b = i;
    if (text[i] == '\\') {
      if (const std::size_t e = match_latex_environment(text, i, out); e != i) {
        i = e;
        prev = '}';
        continue;
      }
    }
    if (text[i] == '<' && !is_code(language_at(regions, i))) {
      if (const std::size_t e = match_tag(text, i, out); e != i) {
        i = e;
        prev = '>';
        continue;
      }
    }
    const char32_t c = decode_utf8_at(text, i);
    std::size_t peek = i;
    const char32_t next = i < text.size() ? decode_utf8_at(text, peek) : 0;
    const char* label = nullptr;
    switch (c) {
      case '(': case '[': case '{': label = "delim:bracket_open"; break;
      case ')': case ']': case '}': label = "delim:bracket_close"; break;
      case '<': case '>':
        if (!is_code(language_at(regions, b))) label = c == '<' ? "delim:angle_open" : "delim:angle_close";
        break;
      case 0x201C: case 0x2018: case 0xAB: case 0x2039: label = "delim:quote_open"; break;
      case 0x201D: case 0xBB: case 0x203A: label = "delim:quote_close"; break;
      case 0x2019: if (!(is_letter(prev) && is_letter(next))) label = "delim:quote_close"; break;  // else apostrophe
      case '\'':
        if (is_letter(prev) && is_letter(next)) break;  // apostrophe inside a word
        [[fallthrough]];
      case '"': case '`':
        label = quote_side(prev, last_open_quote_end == b && last_open_quote == c, next);
        break;
      default: break;
    }
    if (label) {
      out.push_back({{b, i}, label});
      if (std::string_view(label) == "delim:quote_open") {
        last_open_quote_end = i;
        last_open_quote = c;
      }
    }
    prev = c;
  }
  return out;
}

void label_delimiters(std::string_view text, std::span<const ByteSpan> units,
                      const std::vector<LanguageRegion>& regions, UnitLabels& labels) {
  std::vector<MarkedSpan> marks = find_delimiters(text, regions);
  const std::size_t specific = marks.size();
  for (std::size_t k = 0; k < specific; ++k) {
    const ByteSpan span = marks[k].span;
    if (marks[k].label.ends_with("_open")) marks.push_back({span, "delim:open"});
    if (marks[k].label.ends_with("_close")) marks.push_back({span, "delim:close"});
  }
  label_overlapping(units, marks, labels);
}

}  // namespace hl::analysis
