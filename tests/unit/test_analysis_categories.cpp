// Category rules, each against hand-worked examples (docs/categories.md).
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "core/analysis/categories/code_lexer.h"
#include "core/analysis/categories/copy.h"
#include "core/analysis/categories/delimiters.h"
#include "core/analysis/categories/language.h"
#include "core/analysis/categories/shape.h"
#include "core/analysis/categories/word_class.h"
#include "core/analysis/comparison/comparison.h"
#include "core/analysis/categories/function_words.h"
#include "core/analysis/categories/text_scan.h"
#include "test_analysis_support.h"

using namespace hl::analysis;
using hl::valid_utf8;
using hl::analysis::test::make_model;
using hl::analysis::test::TokenSpec;

namespace {

// Labels of the unit covering [begin, end) after comparing one model tokenized exactly at the given cut points.
Comparison compare_cut(const std::string& text, const std::vector<std::size_t>& cuts,
                       std::optional<Language> language = std::nullopt) {
  std::vector<TokenSpec> specs;
  for (std::size_t k = 0; k + 1 < cuts.size(); ++k) specs.push_back({cuts[k], cuts[k + 1], 1.0});
  CompareOptions options;
  options.language = language;
  return compare(text, {make_model("m", text, specs)}, 0, options);
}

const std::vector<std::string>& labels_at(const Comparison& c, std::string_view piece) {
  for (std::size_t u = 0; u < c.units.size(); ++u)
    if (c.unit_text(u) == piece) return c.labels[u];
  FAIL("no unit \"" << std::string(piece) << "\"");
  static const std::vector<std::string> none;
  return none;
}

bool has(const std::vector<std::string>& labels, std::string_view label) { return has_label(labels, label); }

std::vector<std::size_t> cuts_at_spaces(const std::string& text) {
  std::vector<std::size_t> cuts{0};
  for (std::size_t i = 1; i < text.size(); ++i)
    if (text[i] == ' ') cuts.push_back(i);
  cuts.push_back(text.size());
  return cuts;
}

}  // namespace

TEST_CASE("analysis: the lexicon file and the embedded lexicon are the same list") {
  const auto from_file =
      FunctionWordLexicon::from_file(std::string(HL_SOURCE_DIR) + "/resources/lexicon/function_words_en.txt");
  const auto& embedded = FunctionWordLexicon::embedded_english();
  CHECK(from_file.size() == embedded.size());
  CHECK(embedded.size() > 250);
  CHECK(embedded.classes("the") == std::vector<std::string>{"determiner"});
  CHECK(embedded.classes("there") == std::vector<std::string>{"existential"});
  const auto& that = embedded.classes("that");
  CHECK(std::find(that.begin(), that.end(), "pronoun") != that.end());
  CHECK(embedded.classes("cat").empty());
  CHECK_THROWS_AS(FunctionWordLexicon::parse("# header\nlonely\n"), std::invalid_argument);
  CHECK(FunctionWordLexicon::parse("foo bar # trailing comment\n\n").classes("foo") == std::vector<std::string>{"bar"});
}

TEST_CASE("analysis: word class applies to whole words, also to their pieces") {
  const std::string text = "There is the cat, John's dog and they'll run quickly";
  // Cut "the" into "t"+"he" and "quickly" into "quick"+"ly".
  std::vector<std::size_t> cuts = cuts_at_spaces(text);
  cuts.push_back(text.find(" the") + 2);
  cuts.push_back(text.find("quickly") + 5);
  cuts.push_back(text.find(","));
  std::sort(cuts.begin(), cuts.end());
  const Comparison c = compare_cut(text, cuts);
  CHECK(has(labels_at(c, "There"), "function:existential"));
  CHECK(has(labels_at(c, " is"), "function:auxiliary"));
  CHECK(has(labels_at(c, " t"), "function:determiner"));
  CHECK(has(labels_at(c, "he"), "function:determiner"));
  CHECK(has(labels_at(c, "he"), "word:function"));
  CHECK(has(labels_at(c, " cat"), "word:open"));
  CHECK_FALSE(has(labels_at(c, " cat"), "word:function"));
  CHECK(has(labels_at(c, " John's"), "word:open"));      // contraction → "john" → open class
  CHECK(has(labels_at(c, " they'll"), "function:pronoun"));  // listed whole
  CHECK(has(labels_at(c, " and"), "function:conjunction"));
  CHECK(has(labels_at(c, "ly"), "word:open"));
  CHECK_FALSE(has(labels_at(c, ","), "word:open"));  // punctuation is no word
}

TEST_CASE("analysis: copy lengths are the longest repeated n-gram completed, capped at 8") {
  const std::vector<std::int64_t> ids{1, 2, 3, 4, 1, 2, 3, 9, 2, 3};
  CHECK(copy_lengths(ids) == std::vector<int>{0, 0, 0, 0, 1, 2, 3, 0, 1, 2});
  std::vector<std::int64_t> long_repeat;
  for (int round = 0; round < 2; ++round)
    for (int k = 0; k < 10; ++k) long_repeat.push_back(k);
  const auto lengths = copy_lengths(long_repeat);
  CHECK(lengths[10] == 1);
  CHECK(lengths[17] == 8);
  CHECK(lengths[19] == 8);

  UnitLabels labels(4);
  label_copy({0, 1, 5, 8}, labels);
  CHECK(labels[0] == std::vector<std::string>{"copy:none"});
  CHECK(labels[1] == std::vector<std::string>{"copy:1", "copy:any"});
  CHECK(labels[3] == std::vector<std::string>{"copy:8+", "copy:any"});

  const std::string text = "ab ab";
  const std::vector<ByteSpan> units{{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}};
  CHECK(unit_copy_lengths(text, units) == std::vector<int>{0, 0, 0, 1, 2});  // "a" repeats; then "ab" repeats
}

TEST_CASE("analysis: delimiters — brackets, quotes, tags, LaTeX environments") {
  const std::vector<LanguageRegion> prose{{{0, 1000}, Language::prose}};
  const auto kinds = [&](const std::string& text) {
    std::vector<std::string> out;
    for (const MarkedSpan& m : find_delimiters(text, prose)) out.push_back(text.substr(m.span.begin, m.span.end - m.span.begin) + "=" + m.label.substr(6));
    return out;
  };
  CHECK(kinds("f(a[b]{c})") == std::vector<std::string>{"(=bracket_open", "[=bracket_open", "]=bracket_close",
                                                         "{=bracket_open", "}=bracket_close", ")=bracket_close"});
  CHECK(kinds("say \"hi\" and 'yo' don't") ==
        std::vector<std::string>{"\"=quote_open", "\"=quote_close", "'=quote_open", "'=quote_close"});
  CHECK(kinds("x = \"\"") == std::vector<std::string>{"\"=quote_open", "\"=quote_close"});
  CHECK(kinds("\xE2\x80\x9Cit\xE2\x80\x99s\xE2\x80\x9D \xC2\xAB" "a\xC2\xBB") ==
        std::vector<std::string>{"\xE2\x80\x9C=quote_open", "\xE2\x80\x9D=quote_close", "\xC2\xAB=quote_open",
                                 "\xC2\xBB=quote_close"});  // “it’s” «a»: ’ between letters is an apostrophe
  CHECK(kinds("<p class=\"x\">hi</p><br/>") ==
        std::vector<std::string>{"<p=tag_open", ">=tag_open", "</p=tag_close", ">=tag_close", "<br=tag_self_closing",
                                 "/>=tag_self_closing"});
  CHECK(kinds("a < b > c") == std::vector<std::string>{"<=angle_open", ">=angle_close"});
  CHECK(kinds("\\begin{itemize} x \\end{itemize}") ==
        std::vector<std::string>{"\\begin{itemize}=latex_env_open", "\\end{itemize}=latex_env_close"});
  const std::vector<LanguageRegion> code{{{0, 1000}, Language::c_like}};
  CHECK(find_delimiters("if (a<b) {}", code).size() == 4);  // '<' in code is an operator

  // Unit labels also carry the aggregate open/close labels.
  const std::string text = "(x)";
  const Comparison c = compare_cut(text, {0, 1, 2, 3});
  CHECK(has(labels_at(c, "("), "delim:open"));
  CHECK(has(labels_at(c, ")"), "delim:close"));
  CHECK_FALSE(has(labels_at(c, "x"), "delim:open"));
}

TEST_CASE("analysis: language detection and fenced blocks") {
  CHECK(detect_language("def f(x):\n    return x\n\nimport os\n") == Language::python);
  CHECK(detect_language("#include <stdio.h>\nint main() {\n  return 0;\n}\n") == Language::c_like);
  CHECK(detect_language("<html>\n<body>\n<p>Hi</p>\n</body>\n</html>\n") == Language::html);
  CHECK(detect_language("\\section{Intro}\nWe show \\cite{x} that $a=b$.\n\\begin{equation}\n") == Language::latex);
  CHECK(detect_language("The cat sat on the mat.\nIt was happy.\n") == Language::prose);
  CHECK(language_from_name("JS") == Language::c_like);
  CHECK_FALSE(language_from_name("cobol"));

  const std::string text = "Some text.\n```python\nx = 1\n```\nMore text.\n";
  const auto regions = language_regions(text, std::nullopt);
  REQUIRE(regions.size() == 5);
  CHECK(regions[2].language == Language::python);
  CHECK(text.substr(regions[2].span.begin, regions[2].span.end - regions[2].span.begin) == "x = 1\n");
  CHECK(regions[4].language == Language::prose);
  CHECK(language_regions(text, Language::latex).size() == 1);
}

TEST_CASE("analysis: code roles for Python, C-like, HTML and LaTeX") {
  const auto roles = [](const std::string& text, Language language) {
    std::vector<std::string> out;
    const ByteSpan all{0, text.size()};
    const auto marks = language == Language::python || language == Language::c_like ? lex_code(text, all, language)
                                                                                      : lex_markup(text, all, language);
    for (const MarkedSpan& m : marks) out.push_back(text.substr(m.span.begin, m.span.end - m.span.begin) + "=" + m.label.substr(5));
    return out;
  };
  CHECK(roles("def f(x):\n    return 'a' # c\n", Language::python) ==
        std::vector<std::string>{"def=keyword", "f=identifier", "(=operator", "x=identifier", ")=operator",
                                 ":=operator", "    =indentation", "return=keyword", "'a'=string", "# c=comment"});
  CHECK(roles("int n = 0x1F; /* x */ s = \"a\\\"b\";", Language::c_like) ==
        std::vector<std::string>{"int=keyword", "n=identifier", "==operator", "0x1F=number", ";=operator",
                                 "/* x */=comment", "s=identifier", "==operator", "\"a\\\"b\"=string", ";=operator"});
  CHECK(roles("<a href=\"u\">Hi there</a><!-- c -->", Language::html) ==
        std::vector<std::string>{"<=operator", "a=tag", "href=attribute", "==operator", "\"u\"=attribute_value",
                                 ">=operator", "Hi=text", "there=text", "</=operator", "a=tag", ">=operator",
                                 "<!-- c -->=comment"});
  CHECK(roles("\\emph{Hi} $x^2$ 42 % note", Language::latex) ==
        std::vector<std::string>{"\\emph=command", "{=operator", "Hi=text", "}=operator", "$x^2$=math", "42=number",
                                 "% note=comment"});
  // Unterminated constructs end at the region end instead of running past it.
  CHECK(roles("s = \"abc", Language::python).back() == "\"abc=string");
  CHECK(roles("<!-- open", Language::html).back() == "<!-- open=comment");

  // Forced language reaches the units.
  const std::string text = "x = 1";
  const Comparison c = compare_cut(text, {0, 1, 3, 5}, Language::python);
  CHECK(has(labels_at(c, "x"), "code:identifier"));
  CHECK(has(labels_at(c, " ="), "code:operator"));
  CHECK(has(labels_at(c, " 1"), "code:number"));
  CHECK(has(labels_at(c, "x"), "lang:python"));
}

TEST_CASE("analysis: shape labels") {
  const std::string text = "Hello hello wor\xC3\xA9ld 42, \n\n";
  const Comparison c = compare_cut(text, {0, 5, 11, 15, 19, 22, 23, 24, 26});
  CHECK(has(labels_at(c, "Hello"), "shape:word_initial"));
  CHECK(has(labels_at(c, "Hello"), "word:first_occurrence"));
  CHECK(has(labels_at(c, " hello"), "word:repeat"));  // case-insensitive
  CHECK(has(labels_at(c, " wor"), "shape:word_initial"));
  CHECK(has(labels_at(c, "\xC3\xA9ld"), "shape:word_continuation"));
  CHECK(has(labels_at(c, "\xC3\xA9ld"), "shape:non_ascii"));
  CHECK(has(labels_at(c, " 42"), "shape:number"));
  CHECK(has(labels_at(c, ","), "shape:punctuation"));
  CHECK(has(labels_at(c, " "), "shape:whitespace"));
  CHECK(has(labels_at(c, "\n\n"), "shape:newline"));
  CHECK(has(labels_at(c, "Hello"), "position:0-63"));
  CHECK(position_bin(63) == "position:0-63");
  CHECK(position_bin(64) == "position:64-255");
  CHECK(position_bin(1023) == "position:256-1023");
  CHECK(position_bin(1024) == "position:1024+");
}

TEST_CASE("analysis: words and UTF-8 scanning tolerate broken input") {
  const std::string text = "caf\xC3\xA9 don\xE2\x80\x99t \xFF" "ab\xE2\x82";
  const auto words = find_words(text);
  REQUIRE(words.size() == 3);
  CHECK(words[0].lower == "caf\xC3\xA9");
  CHECK(words[1].lower == "don't");
  CHECK(words[2].lower == "ab");
  CHECK(valid_utf8("a\xFF" "b") == "a\xEF\xBF\xBD" "b");
  CHECK(valid_utf8("\xEF\xBF\xBD") == "\xEF\xBF\xBD");
}
