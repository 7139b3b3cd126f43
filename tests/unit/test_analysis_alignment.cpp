// Alignment of tokenizations on byte spans, the NLL position shift of from_score, and the Δ sign convention.
#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>
#include <string>

#include "core/analysis/comparison/alignment.h"
#include "core/analysis/comparison/comparison.h"
#include "core/analysis/comparison/from_score.h"
#include "core/engine/backend.h"
#include "core/tokenizer/tokenizer.h"
#include "test_analysis_support.h"

using namespace hl::analysis;
using hl::analysis::test::make_model;
using hl::analysis::test::word_model;

namespace {

const hl::tok::Tokenizer& tokenizer(const std::string& name) {
  static const hl::tok::Tokenizer gpt2 = hl::tok::Tokenizer::from_file(std::string(HL_TEST_DATA_DIR) + "/tokenizers/gpt2");
  static const hl::tok::Tokenizer mistral =
      hl::tok::Tokenizer::from_file(std::string(HL_TEST_DATA_DIR) + "/tokenizers/mistral-7b-v0.1");
  return name == "gpt2" ? gpt2 : mistral;
}

// Engine-style statistics where row t (the prediction of token t + 1) has NLL 0.1 * (t + 1) + salt; last row NaN.
hl::engine::TokenStats synthetic_stats(std::size_t T, double salt) {
  hl::engine::TokenStats s;
  s.T = T;
  s.k = 0;
  for (std::size_t t = 0; t < T; ++t) {
    const bool last = t + 1 == T;
    s.nll.push_back(last ? NAN : static_cast<float>(0.1 * static_cast<double>(t + 1) + salt));
    s.prob.push_back(last ? NAN : std::exp(-s.nll.back()));
    s.rank.push_back(last ? -1 : static_cast<std::int32_t>(t));
    s.entropy.push_back(last ? NAN : 1.0f);
  }
  return s;
}

}  // namespace

TEST_CASE("analysis: from_score moves the engine's next-token rows onto the predicted tokens") {
  const std::string text = "Hello world, hello";
  const auto encoding = tokenizer("gpt2").encode(text, false);
  const auto stats = synthetic_stats(encoding.size(), 0.0);
  const ModelTokens model = from_score("gpt2", encoding, stats);
  REQUIRE(model.tokens.size() == encoding.size());
  CHECK_FALSE(model.tokens[0].has_nll());
  for (std::size_t i = 1; i < model.tokens.size(); ++i) {
    CHECK(model.tokens[i].nll == Approx(stats.nll[i - 1]));
    CHECK(model.tokens[i].rank == stats.rank[i - 1]);
    CHECK(model.tokens[i].span.begin == encoding.byte_offsets[i].first);
  }
  hl::engine::TokenStats wrong = stats;
  wrong.T = stats.T + 1;
  CHECK_THROWS_AS(from_score("x", encoding, wrong), std::invalid_argument);
}

TEST_CASE("analysis: one shared tokenizer gives one unit per token") {
  const std::string text = "the cat sat";
  const ModelTokens a = word_model("a", text, {kNoValue, 1.0, 2.0});
  const ModelTokens b = word_model("b", text, {kNoValue, 1.5, 0.5});
  const Alignment al = align(text, {a, b});
  REQUIRE(al.units.size() == 3);
  CHECK(al.units[1].span == ByteSpan{3, 7});
  CHECK_FALSE(al.units[0].scored());
  CHECK(al.units[1].nll[0] == 1.0);
  CHECK(al.units[2].nll[1] == 0.5);
}

TEST_CASE("analysis: units are the coarsest common segmentation and sum token NLLs") {
  // text:   "abcdef"; model a: ab|cd|ef; model b: abc|def  →  units: abcdef? no: cuts allowed at 0, 6 and
  // nowhere else common (a cuts at 2, 4; b cuts at 3; 2 and 4 lie inside b's tokens, 3 inside a's "cd").
  const std::string text = "abcdef";
  const ModelTokens a = make_model("a", text, {{0, 2, 1.0}, {2, 4, 2.0}, {4, 6, 3.0}});
  const ModelTokens b = make_model("b", text, {{0, 3, 0.5}, {3, 6, 4.0}});
  Alignment al = align(text, {a, b});
  REQUIRE(al.units.size() == 1);
  CHECK(al.units[0].nll[0] == 6.0);
  CHECK(al.units[0].nll[1] == 4.5);

  // "ab|cd|ef" vs "ab|cdef": units ab, cdef.
  const ModelTokens c = make_model("c", text, {{0, 2, 1.0}, {2, 6, 7.0}});
  al = align(text, {a, c});
  REQUIRE(al.units.size() == 2);
  CHECK(al.units[1].span == ByteSpan{2, 6});
  CHECK(al.units[1].nll[0] == 5.0);
  CHECK(al.units[1].tokens[0] == std::vector<std::size_t>{1, 2});
  CHECK(al.units[1].nll[1] == 7.0);
}

TEST_CASE("analysis: empty, shared and overlapping spans") {
  const std::string text = "x\xE2\x82\xACy";  // "x€y": byte-fallback pieces of '€' all carry the span [1, 4)
  SECTION("BOS with an empty span belongs to no unit; the first real token is then scored") {
    const ModelTokens m = make_model("m", text, {{0, 0, kNoValue}, {0, 1, 0.7}, {1, 4, 0.2}, {4, 5, 0.3}});
    const Alignment al = align(text, {m});
    REQUIRE(al.units.size() == 3);
    CHECK(al.unaligned_tokens[0] == std::vector<std::size_t>{0});
    CHECK(al.units[0].nll[0] == Approx(0.7));
  }
  SECTION("tokens sharing one span stay in one unit") {
    const ModelTokens m = make_model("m", text, {{0, 1, 1.0}, {1, 4, 0.5}, {1, 4, 0.25}, {1, 4, 0.125}, {4, 5, 1.0}});
    const Alignment al = align(text, {m});
    REQUIRE(al.units.size() == 3);
    CHECK(al.units[1].tokens[0].size() == 3);
    CHECK(al.units[1].nll[0] == Approx(0.875));
  }
  SECTION("overlapping spans merge into one unit") {
    const ModelTokens m = make_model("m", text, {{0, 2, 1.0}, {1, 4, 2.0}, {4, 5, 3.0}});
    const Alignment al = align(text, {m});
    REQUIRE(al.units.size() == 2);
    CHECK(al.units[0].span == ByteSpan{0, 4});
    CHECK(al.units[0].nll[0] == 3.0);
  }
  SECTION("a token without NLL makes its unit unscored") {
    const ModelTokens m = make_model("m", text, {{0, 1, 1.0}, {1, 4, kNoValue}, {1, 4, 0.5}, {4, 5, 1.0}});
    const Alignment al = align(text, {m});
    CHECK(std::isnan(al.units[1].nll[0]));
    CHECK_FALSE(al.units[1].scored());
  }
  SECTION("spans outside the text are rejected") {
    const ModelTokens m = make_model("m", "x\xE2\x82\xACyz", {{0, 6, 1.0}});
    CHECK_THROWS_AS(align(text, {m}), std::invalid_argument);
  }
}

TEST_CASE("analysis: gpt2 and mistral tokenizations align with the total loss preserved") {
  const std::string text =
      "The quick brown fox doesn't jump over 1234 lazy dogs; naïve café — “quoted” text.\nprint(x) # é€😀";
  const auto enc_a = tokenizer("gpt2").encode(text, false);
  const auto enc_b = tokenizer("mistral").encode(text, true);  // with BOS (empty span)
  REQUIRE(enc_b.byte_offsets.front() == std::make_pair(std::size_t{0}, std::size_t{0}));
  const ModelTokens a = from_score("gpt2", enc_a, synthetic_stats(enc_a.size(), 0.0));
  const ModelTokens b = from_score("mistral", enc_b, synthetic_stats(enc_b.size(), 0.05));
  const Alignment al = align(text, {a, b});
  REQUIRE(!al.units.empty());
  CHECK(al.units.front().span.begin == 0);
  CHECK(al.units.back().span.end == text.size());
  for (std::size_t k = 0; k + 1 < al.units.size(); ++k) CHECK(al.units[k].span.end == al.units[k + 1].span.begin);

  for (std::size_t m = 0; m < 2; ++m) {
    const ModelTokens& model = m == 0 ? a : b;
    std::size_t tokens_in_units = al.unaligned_tokens[m].size();
    double unit_sum = 0, unscored_token_sum = 0, token_sum = 0;
    for (const Unit& u : al.units) {
      tokens_in_units += u.tokens[m].size();
      double expected = 0;
      for (std::size_t i : u.tokens[m]) expected += model.tokens[i].has_nll() ? model.tokens[i].nll : 0.0;
      if (std::isfinite(u.nll[m])) {
        CHECK(u.nll[m] == Approx(expected));
        unit_sum += u.nll[m];
      } else {
        unscored_token_sum += expected;
      }
    }
    for (const Token& t : model.tokens)
      if (t.has_nll()) token_sum += t.nll;
    CHECK(tokens_in_units == model.tokens.size());
    CHECK(unit_sum + unscored_token_sum == Approx(token_sum));
    // gpt2 (no BOS) cannot score its first token, so its first unit has no loss; mistral's BOS has an empty span,
    // sits in no unit, and every unit is scored.
    CHECK(std::isnan(al.units.front().nll[0]));
    if (m == 1) CHECK(unscored_token_sum == 0.0);
  }
  // Units are at least as coarse as either tokenization, and coarser somewhere (the two tokenizers differ).
  CHECK(al.units.size() <= a.tokens.size());
  CHECK(al.units.size() < b.tokens.size());
}

TEST_CASE("analysis: Δ is NLL_reference − NLL_compared, positive when the compared model is better") {
  const std::string text = "a b";
  const ModelTokens transformer = word_model("transformer", text, {kNoValue, 2.0});
  const ModelTokens hybrid = word_model("hybrid", text, {kNoValue, 0.5});
  const Comparison c = compare(text, {transformer, hybrid}, 0);
  CHECK(c.delta(1, 1) == Approx(1.5));
  CHECK(std::isnan(c.delta(0, 1)));
  const Comparison reversed = compare(text, {transformer, hybrid}, 1);
  CHECK(reversed.delta(1, 0) == Approx(-1.5));
  CHECK_THROWS_AS(compare(text, {transformer, hybrid}, 2), std::invalid_argument);
  CHECK_THROWS_AS(compare(text, {transformer, transformer}, 0), std::invalid_argument);
}
