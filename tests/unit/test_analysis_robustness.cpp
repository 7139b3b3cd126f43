// Arbitrary text (markup, code, broken UTF-8) and arbitrary spans (empty, shared, overlapping) must give a valid
// report: units tile the text, JSON parses, nothing reads out of bounds (run under ASan/UBSan).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <random>
#include <string>

#include "core/analysis/report/report.h"
#include "test_analysis_support.h"

using namespace hl::analysis;
using hl::analysis::test::make_model;
using hl::analysis::test::TokenSpec;

namespace {

const std::vector<std::string> kPieces{"<",  ">",  "</", "/>", "\"", "'",  "`",  "(",   ")",  "{",    "}",   "[",
                                       "]",  "\\", "begin{", "end{", "$", "%", "#", "//", "/*", "*/", "```", "\n",
                                       " ",  "    ", "the", "of", "x1", "42", "\xC3\xA9", "\xE2\x82\xAC", "\xFF",
                                       "\xE2\x82", "<!--", "-->", "=", "def ", "int ", "\xE2\x80\x9C", "\xE2\x80\x99"};

std::vector<TokenSpec> random_tokens(std::mt19937_64& rng, std::size_t n) {
  std::vector<TokenSpec> specs;
  std::size_t pos = 0;
  if (rng() % 2) specs.push_back({0, 0, kNoValue});  // BOS
  while (pos < n) {
    const std::size_t len = 1 + rng() % 5;
    const std::size_t end = std::min(n, pos + len);
    const double nll = rng() % 7 == 0 ? kNoValue : static_cast<double>(rng() % 1000) / 100.0;
    if (rng() % 9 == 0 && pos > 0)
      specs.push_back({pos - 1, end, nll});  // overlaps the previous token
    else
      specs.push_back({pos, end, nll});
    if (rng() % 11 == 0) specs.push_back({pos, end, 0.5});  // a second token on the same span
    pos = end;
  }
  if (rng() % 2) specs.push_back({0, 0, 1.0});  // a scored EOS
  return specs;
}

}  // namespace

TEST_CASE("analysis: random texts and tokenizations give well-formed reports") {
  std::mt19937_64 rng(12345);
  ReportOptions options;
  options.bootstrap.resamples = 50;
  for (int round = 0; round < 150; ++round) {
    std::string text;
    const std::size_t pieces = rng() % 40;
    for (std::size_t k = 0; k < pieces; ++k) text += kPieces[rng() % kPieces.size()];
    const ModelTokens a = make_model("a", text, random_tokens(rng, text.size()));
    const ModelTokens b = make_model("b", text, random_tokens(rng, text.size()));
    const Report r = build_report(compare(text, {a, b}, round % 2), options);
    std::size_t covered = 0;
    for (const Unit& u : r.comparison.units) {
      REQUIRE(u.span.begin == covered);
      covered = u.span.end;
    }
    REQUIRE(covered == text.size());
    const auto j = nlohmann::json::parse(to_json(r));
    REQUIRE(j["units"].size() == r.comparison.units.size());
    REQUIRE_FALSE(to_csv(r).empty());
    REQUIRE(to_html(r).find("</html>") != std::string::npos);
  }
}
