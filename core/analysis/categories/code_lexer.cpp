#include "core/analysis/categories/code_lexer.h"

#include <algorithm>
#include <string>

#include "core/analysis/categories/text_scan.h"

namespace hl::analysis {

namespace {

constexpr std::string_view kPythonKeywords[] = {
    "False", "None",  "True",  "and",    "as",     "assert", "async",    "await",  "break", "class",
    "continue", "def", "del",  "elif",   "else",   "except", "finally",  "for",    "from",  "global",
    "if",    "import", "in",   "is",     "lambda", "nonlocal", "not",    "or",     "pass",  "raise",
    "return", "try",  "while", "with",   "yield",  "match",  "case"};

// The union of C, C++, Java, JavaScript/TypeScript, Rust and Go keywords: a word that is a keyword in any of them.
constexpr std::string_view kCLikeKeywords[] = {
    "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum", "extern",
    "float", "for", "goto", "if", "int", "long", "register", "return", "short", "signed", "sizeof", "static",
    "struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "bool", "true", "false", "nullptr",
    "class", "namespace", "template", "typename", "public", "private", "protected", "virtual", "override",
    "final", "new", "delete", "this", "throw", "try", "catch", "using", "operator", "friend", "inline",
    "constexpr", "noexcept", "explicit", "mutable", "export", "import", "package", "interface", "extends",
    "implements", "abstract", "boolean", "instanceof", "super", "synchronized", "throws", "null", "var", "let",
    "function", "async", "await", "yield", "typeof", "undefined", "of", "in", "fn", "mut", "pub", "impl",
    "trait", "match", "loop", "where", "crate", "self", "Self", "mod", "use", "move", "dyn", "unsafe", "as",
    "go", "func", "defer", "chan", "select", "range"};

struct CodeSyntax {
  std::span<const std::string_view> keywords;
  std::string_view line_comment;
  std::string_view block_open, block_close;  // empty: none
  std::string_view quotes;
  bool triple_quotes;  // Python """...""" and '''...'''
};

constexpr CodeSyntax kPython{kPythonKeywords, "#", "", "", "'\"", true};
constexpr CodeSyntax kCLike{kCLikeKeywords, "//", "/*", "*/", "'\"`", false};

bool is_ident_start(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool is_ident_char(unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80; }

// End of the string literal opening at p (quote = delimiter, escapes honoured); unterminated: the end of the line
// (or of the region for triple-quoted strings and JS/Go backtick strings, which may span lines).
std::size_t string_end(std::string_view s, std::size_t p, std::string_view delimiter, bool multiline) {
  std::size_t i = p + delimiter.size();
  while (i < s.size()) {
    if (s[i] == '\\') {
      i += 2;
      continue;
    }
    if (s.substr(i, delimiter.size()) == delimiter) return i + delimiter.size();
    if (s[i] == '\n' && !multiline) return i;
    ++i;
  }
  return s.size();
}

}  // namespace

std::vector<MarkedSpan> lex_code(std::string_view text, ByteSpan region, Language language) {
  const CodeSyntax& syntax = language == Language::python ? kPython : kCLike;
  const std::string_view s = text.substr(0, region.end);
  std::vector<MarkedSpan> out;
  const auto mark = [&](std::size_t b, std::size_t e, const char* role) { out.push_back({{b, e}, std::string("code:") + role}); };
  bool line_start = region.begin == 0 || text[region.begin - 1] == '\n';
  for (std::size_t i = region.begin; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '\n') {
      line_start = true;
      ++i;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') {
      const std::size_t b = i;
      while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r')) ++i;
      if (line_start && i < s.size() && s[i] != '\n') mark(b, i, "indentation");
      continue;
    }
    line_start = false;
    const std::size_t b = i;
    if (s.substr(i).starts_with(syntax.line_comment)) {
      i = std::min(s.find('\n', i), s.size());
      mark(b, i, "comment");
    } else if (!syntax.block_open.empty() && s.substr(i).starts_with(syntax.block_open)) {
      const auto close = s.find(syntax.block_close, i + syntax.block_open.size());
      i = close == std::string_view::npos ? s.size() : close + syntax.block_close.size();
      mark(b, i, "comment");
    } else if (syntax.quotes.find(static_cast<char>(c)) != std::string_view::npos) {
      const bool triple = syntax.triple_quotes && s.substr(i, 3) == std::string(3, static_cast<char>(c));
      i = string_end(s, i, triple ? s.substr(i, 3) : s.substr(i, 1), triple || c == '`');
      mark(b, i, "string");
    } else if (std::isdigit(c) || (c == '.' && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
      while (i < s.size() && (is_ident_char(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
      mark(b, i, "number");
    } else if (is_ident_start(c)) {
      while (i < s.size() && is_ident_char(static_cast<unsigned char>(s[i]))) ++i;
      const std::string_view word = s.substr(b, i - b);
      const bool keyword = std::find(syntax.keywords.begin(), syntax.keywords.end(), word) != syntax.keywords.end();
      mark(b, i, keyword ? "keyword" : "identifier");
    } else {
      ++i;
      mark(b, i, "operator");
    }
  }
  return out;
}

void label_code_roles(std::string_view text, std::span<const ByteSpan> units,
                      const std::vector<LanguageRegion>& regions, UnitLabels& labels) {
  std::vector<MarkedSpan> marks;
  for (const LanguageRegion& region : regions) {
    marks.push_back({region.span, "lang:" + std::string(language_name(region.language))});
    std::vector<MarkedSpan> roles;
    if (region.language == Language::python || region.language == Language::c_like)
      roles = lex_code(text, region.span, region.language);
    else if (region.language != Language::prose)
      roles = lex_markup(text, region.span, region.language);
    marks.insert(marks.end(), std::make_move_iterator(roles.begin()), std::make_move_iterator(roles.end()));
  }
  label_overlapping(units, marks, labels);
}

}  // namespace hl::analysis
