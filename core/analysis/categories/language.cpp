#include "core/analysis/categories/language.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <utility>

namespace hl::analysis {

namespace {

constexpr std::array<std::pair<std::string_view, Language>, 27> kNames{{
    {"prose", Language::prose},     {"text", Language::prose},     {"markdown", Language::prose},
    {"md", Language::prose},        {"python", Language::python},  {"py", Language::python},
    {"c_like", Language::c_like},   {"c", Language::c_like},       {"cpp", Language::c_like},
    {"c++", Language::c_like},      {"h", Language::c_like},       {"java", Language::c_like},
    {"javascript", Language::c_like}, {"js", Language::c_like},    {"typescript", Language::c_like},
    {"ts", Language::c_like},       {"rust", Language::c_like},    {"rs", Language::c_like},
    {"go", Language::c_like},       {"csharp", Language::c_like},  {"html", Language::html},
    {"xml", Language::html},        {"svg", Language::html},       {"latex", Language::latex},
    {"tex", Language::latex},       {"bibtex", Language::latex},   {"cs", Language::c_like},
}};

bool starts_with_word(std::string_view line, std::string_view word) {
  return line.starts_with(word) && (line.size() == word.size() || !std::isalnum(static_cast<unsigned char>(line[word.size()])));
}

std::string_view trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

bool contains(std::string_view s, std::string_view what) { return s.find(what) != std::string_view::npos; }

bool python_line(std::string_view t) {
  for (std::string_view w : {"def", "class", "import", "from", "elif", "except", "lambda"})
    if (starts_with_word(t, w) && (w != "from" || contains(t, " import "))) return w != "class" || t.ends_with(":");
  return contains(t, "self.") || (t.ends_with(":") && (starts_with_word(t, "if") || starts_with_word(t, "for") ||
                                                       starts_with_word(t, "while") || starts_with_word(t, "else") ||
                                                       starts_with_word(t, "try") || starts_with_word(t, "with")));
}

bool c_like_line(std::string_view t) {
  if (t.ends_with(";") || t == "{" || t == "}" || t.ends_with(") {") || t.starts_with("#include") ||
      t.starts_with("//") || t.starts_with("/*"))
    return true;
  for (std::string_view w : {"function", "fn", "func", "public", "private", "const", "let", "var", "impl", "package"})
    if (starts_with_word(t, w) && (contains(t, "(") || contains(t, "=") || contains(t, "{"))) return true;
  return contains(t, "=>") || contains(t, "->") || contains(t, "::");
}

bool html_line(std::string_view t) {
  for (std::size_t p = t.find('<'); p != std::string_view::npos; p = t.find('<', p + 1)) {
    const std::size_t q = p + 1 < t.size() && (t[p + 1] == '/' || t[p + 1] == '!') ? p + 2 : p + 1;
    if (q < t.size() && std::isalpha(static_cast<unsigned char>(t[q])) && contains(t.substr(q), ">")) return true;
  }
  return false;
}

bool latex_line(std::string_view t) {
  for (std::size_t p = t.find('\\'); p != std::string_view::npos; p = t.find('\\', p + 1))
    if (p + 1 < t.size() && std::isalpha(static_cast<unsigned char>(t[p + 1]))) return true;
  return false;
}

}  // namespace

std::string_view language_name(Language language) {
  switch (language) {
    case Language::prose: return "prose";
    case Language::python: return "python";
    case Language::c_like: return "c_like";
    case Language::html: return "html";
    case Language::latex: return "latex";
  }
  return "prose";
}

std::optional<Language> language_from_name(std::string_view name) {
  std::string lower(trim(name));
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& [n, language] : kNames)
    if (n == lower) return language;
  return std::nullopt;
}

Language detect_language(std::string_view text) {
  std::array<std::size_t, 5> votes{};
  std::size_t lines = 0;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    const std::string_view line = trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.empty()) continue;
    ++lines;
    votes[static_cast<std::size_t>(Language::python)] += python_line(line);
    votes[static_cast<std::size_t>(Language::c_like)] += c_like_line(line);
    votes[static_cast<std::size_t>(Language::html)] += html_line(line);
    votes[static_cast<std::size_t>(Language::latex)] += latex_line(line);
  }
  const auto best = std::max_element(votes.begin(), votes.end());
  if (*best < 2 || *best * 5 < lines) return Language::prose;
  return static_cast<Language>(best - votes.begin());
}

std::vector<LanguageRegion> language_regions(std::string_view text, std::optional<Language> forced) {
  if (forced) return {{{0, text.size()}, *forced}};
  std::vector<LanguageRegion> regions;
  std::size_t prose_begin = 0, pos = 0;
  std::optional<std::size_t> body_begin;
  std::optional<Language> tagged;
  while (pos < text.size()) {
    const auto nl = text.find('\n', pos);
    const std::size_t line_end = nl == std::string_view::npos ? text.size() : nl + 1;
    const std::string_view line = trim(text.substr(pos, line_end - pos));
    if (line.starts_with("```")) {
      if (!body_begin) {
        if (pos > prose_begin) regions.push_back({{prose_begin, pos}, Language::prose});
        regions.push_back({{pos, line_end}, Language::prose});  // the fence line itself
        body_begin = line_end;
        tagged = language_from_name(trim(line.substr(3)));
      } else {
        const std::string_view body = text.substr(*body_begin, pos - *body_begin);
        if (pos > *body_begin)
          regions.push_back({{*body_begin, pos}, tagged.value_or(detect_language(body))});
        regions.push_back({{pos, line_end}, Language::prose});
        body_begin.reset();
        prose_begin = line_end;
      }
    }
    pos = line_end;
  }
  if (regions.empty()) return {{{0, text.size()}, detect_language(text)}};
  const std::size_t tail = body_begin.value_or(prose_begin);
  if (tail < text.size())
    regions.push_back({{tail, text.size()},
                       body_begin ? tagged.value_or(detect_language(text.substr(tail))) : Language::prose});
  return regions;
}

}  // namespace hl::analysis
