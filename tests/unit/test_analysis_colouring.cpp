// The token view's colourings in core (no Qt): sequential ramps, GLTR rank buckets, category classes and their
// precedence, the ink rule, dimming, session names of the modes, and UnitColourer over a hand-made comparison.
#include <catch2/catch.hpp>

#include <cmath>
#include <set>
#include <string>
#include <tuple>

#include "core/analysis/colour/colour_scales.h"
#include "core/analysis/colour/unit_colouring.h"
#include "core/session/session_file.h"
#include "test_analysis_support.h"

using namespace hl::analysis;
using hl::analysis::test::make_model;
using hl::analysis::test::word_model;

namespace {

double luminance(const Rgb& c) {
  auto lin = [](int v) {
    const double x = v / 255.0;
    return x <= 0.04045 ? x / 12.92 : std::pow((x + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

std::tuple<int, int, int> key(const Rgb& c) { return {c.r, c.g, c.b}; }

// "The cat ( 42 ) sat": the reference has one token per word; the hybrid splits " cat" into " c" + "at", so unit 1
// holds two hybrid tokens. Units: "The", " cat", " (", " 42", " )", " sat".
const std::string kText = "The cat ( 42 ) sat";

Report sample_report() {
  ModelTokens ref = make_model("ref", kText, {{0, 3, kNoValue}, {3, 7, 1}, {7, 9, 2}, {9, 12, 3}, {12, 14, 4}, {14, 18, 5}});
  ModelTokens hyb = make_model("hyb", kText,
                               {{0, 3, kNoValue}, {3, 5, 0.25}, {5, 7, 0.25}, {7, 9, 3}, {9, 12, 1}, {12, 14, 6},
                                {14, 18, 2}});
  const int ref_ranks[] = {-1, 1, 1, 1, 1, 1};
  const int hyb_ranks[] = {-1, 3, 40, 5, 500, 5000, 0};
  const double hyb_entropy[] = {kNoValue, 1, 3, 0.5, 2, 4, 1.5};
  for (std::size_t i = 0; i < ref.tokens.size(); ++i) {
    ref.tokens[i].rank = ref_ranks[i];
    ref.tokens[i].entropy = i ? 1.0 : kNoValue;
  }
  for (std::size_t i = 0; i < hyb.tokens.size(); ++i) {
    hyb.tokens[i].rank = hyb_ranks[i];
    hyb.tokens[i].entropy = hyb_entropy[i];
  }
  ReportOptions options;
  options.bootstrap.resamples = 20;
  return build_report(compare(kText, {ref, hyb}, 0), options);
}

// The GUI's order: [hybrid, reference 1, reference 2], reference 1 the active one. Units "a", " b", " c", " d", " e";
// the first is unscored. The hybrid's NLLs rise, reference 1's are flat, reference 2's fall.
Report three_model_report() {
  const std::string text = "a b c d e";
  ReportOptions options;
  options.bootstrap.resamples = 20;
  return build_report(
      compare(text,
              {word_model("hyb", text, {kNoValue, 1, 2, 3, 4}), word_model("ref1", text, {kNoValue, 2, 2, 2, 2}),
               word_model("ref2", text, {kNoValue, 5, 4, 3, 2})},
              1),
      options);
}

}  // namespace

TEST_CASE("sequential ramps run from the light end at 0 to the dark end at max", "[analysis][colour]") {
  for (const SequentialPalette* palette : {&kNllPalette, &kEntropyPalette}) {
    INFO(palette->name);
    CHECK(*sequential_colour(0, 4, *palette) == palette->stops.front());
    CHECK(*sequential_colour(-1, 4, *palette) == palette->stops.front());
    CHECK(*sequential_colour(4, 4, *palette) == palette->stops.back());
    CHECK(*sequential_colour(40, 4, *palette) == palette->stops.back());
    CHECK(!sequential_colour(std::nan(""), 4, *palette));
    CHECK(!sequential_colour(INFINITY, 4, *palette));
    // Halfway between two stops is their mean; the middle stop sits at max / 2 (9 stops).
    CHECK(*sequential_colour(2, 4, *palette) == palette->stops[4]);
    const Rgb a = palette->stops[0], b = palette->stops[1];
    const Rgb mid = *sequential_colour(0.25, 4, *palette);  // 1/16 of the range = half of the first step
    CHECK(std::abs(mid.r - (a.r + b.r) / 2.0) <= 0.5);
    CHECK(std::abs(mid.g - (a.g + b.g) / 2.0) <= 0.5);
    // Lightness falls monotonically: higher NLL / entropy is always the darker colour.
    double previous = 2;
    for (int i = 0; i <= 64; ++i) {
      const double l = luminance(*sequential_colour(4.0 * i / 64, 4, *palette));
      CHECK(l <= previous + 1e-12);
      previous = l;
    }
    CHECK(luminance(palette->stops.front()) - luminance(palette->stops.back()) > 0.7);
  }
}

TEST_CASE("rank buckets follow GLTR's top-1/10/100/1000 cut points", "[analysis][colour]") {
  CHECK(!rank_bucket(-1));
  CHECK(rank_bucket(0) == RankBucket::top1);
  CHECK(rank_bucket(1) == RankBucket::top10);
  CHECK(rank_bucket(9) == RankBucket::top10);
  CHECK(rank_bucket(10) == RankBucket::top100);
  CHECK(rank_bucket(99) == RankBucket::top100);
  CHECK(rank_bucket(100) == RankBucket::top1000);
  CHECK(rank_bucket(999) == RankBucket::top1000);
  CHECK(rank_bucket(1000) == RankBucket::beyond);
  CHECK(rank_bucket(2'000'000'000) == RankBucket::beyond);
  std::set<std::tuple<int, int, int>> colours;
  std::set<std::string_view> labels;
  for (int b = 0; b < kRankBucketCount; ++b) {
    colours.insert(key(rank_bucket_colour(static_cast<RankBucket>(b))));
    labels.insert(rank_bucket_label(static_cast<RankBucket>(b)));
  }
  CHECK(colours.size() == kRankBucketCount);
  CHECK(labels.size() == kRankBucketCount);
  CHECK(rank_bucket_label(RankBucket::top1000) == "top 1000");
  CHECK(rank_bucket_colour(RankBucket::top1) == Rgb{0, 158, 115});  // Okabe–Ito bluish green
}

TEST_CASE("a unit's category colour is the first class its labels reach", "[analysis][colour]") {
  using L = std::vector<std::string>;
  CHECK(category_class(L{"delim:bracket_open", "delim:open", "shape:punctuation"}) == CategoryClass::delimiter);
  CHECK(category_class(L{"code:identifier", "lang:python", "shape:word_initial", "word:open"}) == CategoryClass::code);
  CHECK(category_class(L{"code:string", "delim:quote_open"}) == CategoryClass::delimiter);
  CHECK(category_class(L{"function:determiner", "shape:word_initial", "word:function"}) == CategoryClass::function_word);
  CHECK(category_class(L{"copy:none", "word:open"}) == CategoryClass::open_word);
  CHECK(category_class(L{"word:function", "word:open"}) == CategoryClass::function_word);  // "that's": both
  CHECK(category_class(L{"shape:number", "shape:punctuation"}) == CategoryClass::number);
  CHECK(category_class(L{"shape:punctuation"}) == CategoryClass::punctuation);
  CHECK(category_class(L{"shape:newline", "shape:whitespace"}) == CategoryClass::whitespace);
  CHECK(category_class(L{"copy:none", "position:0-63", "shape:non_ascii"}) == CategoryClass::other);
  CHECK(category_class(L{}) == CategoryClass::other);
  std::set<std::tuple<int, int, int>> colours;
  for (int c = 0; c < kCategoryClassCount; ++c) colours.insert(key(category_class_colour(static_cast<CategoryClass>(c))));
  CHECK(colours.size() == kCategoryClassCount);
}

TEST_CASE("ink and dimming: WCAG's choice of black or white, faded backgrounds", "[analysis][colour]") {
  CHECK(prefers_white_ink({0, 0, 0}));
  CHECK(!prefers_white_ink({255, 255, 255}));
  CHECK(prefers_white_ink(kHybridBetterColour));      // the saturated blue end
  CHECK(!prefers_white_ink(kReferenceBetterColour));  // black reads better on the orange
  CHECK(prefers_white_ink(kNllPalette.stops.back()));
  CHECK(!prefers_white_ink(kNllPalette.stops.front()));
  CHECK(faded({255, 255, 255}) == Rgb{255, 255, 255});
  CHECK(faded({0, 0, 0}) == Rgb{191, 191, 191});
  CHECK(faded({0, 114, 178}) == Rgb{191, 220, 236});
  // Every faded colour of every palette is light enough for the dimmed ink to keep ≥ 2.5:1 contrast.
  auto contrast = [](const Rgb& a, const Rgb& b) {
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
  };
  for (int c = 0; c < kCategoryClassCount; ++c)
    CHECK(contrast(faded(category_class_colour(static_cast<CategoryClass>(c))), kDimmedInk) >= 2.5);
  for (const Rgb& c : kNllPalette.stops) CHECK(contrast(faded(c), kDimmedInk) >= 2.5);
}

TEST_CASE("colouring keys round-trip and are the names session files accept", "[analysis][colour][session]") {
  for (ColourMode mode : {ColourMode::delta, ColourMode::nll, ColourMode::rank, ColourMode::entropy, ColourMode::category})
    for (ModelRole role : {ModelRole::reference, ModelRole::compared}) {
      const std::string k = colouring_key(mode, role);
      INFO(k);
      const auto parsed = parse_colouring_key(k);
      REQUIRE(parsed);
      CHECK(parsed->first == mode);
      if (mode == ColourMode::nll || mode == ColourMode::rank || mode == ColourMode::entropy) CHECK(parsed->second == role);
      hl::session::Session s;
      s.colouring = k;
      CHECK(hl::session::parse_session(hl::session::to_json(s)).colouring == k);
    }
  CHECK(colouring_key(ColourMode::nll, ModelRole::compared) == "nll_hybrid");
  CHECK(colouring_key(ColourMode::rank, ModelRole::compared) == "rank");  // what sessions always meant by "rank"
  CHECK(colouring_key(ColourMode::entropy, ModelRole::reference) == "entropy_reference");
  CHECK(!parse_colouring_key("rainbow"));
  CHECK(!parse_colouring_key(""));
}

TEST_CASE("unit measures: the worst rank and the mean entropy of a model's tokens in the unit", "[analysis][colour]") {
  const Report r = sample_report();
  const Comparison& c = r.comparison;
  REQUIRE(c.units.size() == 6);
  REQUIRE(c.units[1].tokens[1].size() == 2);
  CHECK(unit_rank(c, 0, 1) == -1);
  CHECK(unit_rank(c, 1, 1) == 40);  // ranks 3 and 40: the less expected token decides
  CHECK(unit_rank(c, 1, 0) == 1);
  CHECK(unit_entropy(c, 1, 1) == Approx(2.0));  // mean of 1 and 3
  CHECK(std::isnan(unit_entropy(c, 0, 1)));
}

TEST_CASE("UnitColourer colours every mode from the report's units", "[analysis][colour]") {
  const Report r = sample_report();
  const UnitColourer colourer(r);
  REQUIRE(colourer.unit_count() == 6);
  ColouringSettings s;

  SECTION("Δ is the shared diverging scale; the unscored first unit has no background") {
    s.delta_limit = 2;
    const auto units = colourer.colour(s);
    CHECK(!units[0].background);
    CHECK(units[0].ink == kUnscoredInk);
    for (std::size_t u = 1; u < 6; ++u) CHECK(*units[u].background == *delta_colour(r.unit_delta(u, 1), 2));
    CHECK(*units[5].background == kHybridBetterColour);  // Δ = 3 saturates on the hybrid's side
    CHECK(units[5].ink == Rgb{255, 255, 255});
  }
  SECTION("NLL: a higher NLL is a darker colour; the auto maximum is the 95th percentile") {
    s.mode = ColourMode::nll;
    // The hybrid's unit NLLs: 0.5, 3, 1, 6, 2 → sorted 0.5 1 2 3 6, p95 = 3 + 0.8 (6 − 3).
    CHECK(colourer.auto_sequential_max(ColourMode::nll, ModelRole::compared) == Approx(5.4));
    CHECK(colourer.sequential_max(s) == Approx(5.4));
    s.sequential_max = 6;
    const auto units = colourer.colour(s);
    const std::size_t ascending[] = {1, 3, 5, 2, 4};  // NLL 0.5, 1, 2, 3, 6
    for (std::size_t k = 0; k + 1 < 5; ++k)
      CHECK(luminance(*units[ascending[k]].background) > luminance(*units[ascending[k + 1]].background));
    CHECK(*units[4].background == kNllPalette.stops.back());
    CHECK(!units[0].background);
    s.model = ModelRole::reference;  // the reference's NLLs 1..5 rise with the unit index
    const auto ref = colourer.colour(s);
    for (std::size_t u = 1; u + 1 < 6; ++u) CHECK(luminance(*ref[u].background) > luminance(*ref[u + 1].background));
  }
  SECTION("rank buckets map each unit's worst rank exactly") {
    s.mode = ColourMode::rank;
    const auto units = colourer.colour(s);
    CHECK(!units[0].background);
    CHECK(*units[1].background == rank_bucket_colour(RankBucket::top100));  // 40
    CHECK(*units[2].background == rank_bucket_colour(RankBucket::top10));   // 5
    CHECK(*units[3].background == rank_bucket_colour(RankBucket::top1000)); // 500
    CHECK(*units[4].background == rank_bucket_colour(RankBucket::beyond));  // 5000
    CHECK(*units[5].background == rank_bucket_colour(RankBucket::top1));    // 0
    s.model = ModelRole::reference;
    const auto ref = colourer.colour(s);  // the reference's ranks are all 1
    for (std::size_t u = 1; u < ref.size(); ++u) CHECK(*ref[u].background == rank_bucket_colour(RankBucket::top10));
  }
  SECTION("entropy uses its own ramp on the mean entropy") {
    s.mode = ColourMode::entropy;
    s.sequential_max = 4;
    const auto units = colourer.colour(s);
    CHECK(*units[1].background == *sequential_colour(2.0, 4, kEntropyPalette));
    CHECK(*units[4].background == kEntropyPalette.stops.back());
    CHECK(colourer.value(s, 1) == Approx(2.0));
  }
  SECTION("category colours every unit, scored or not, by its first class") {
    s.mode = ColourMode::category;
    const auto units = colourer.colour(s);
    CHECK(*units[0].background == category_class_colour(CategoryClass::function_word));  // The
    CHECK(*units[1].background == category_class_colour(CategoryClass::open_word));      // cat
    CHECK(*units[2].background == category_class_colour(CategoryClass::delimiter));      // (
    CHECK(*units[3].background == category_class_colour(CategoryClass::number));         // 42
    CHECK(*units[4].background == category_class_colour(CategoryClass::delimiter));      // )
    for (const auto& u : units) CHECK(u.ink == (prefers_white_ink(*u.background) ? Rgb{255, 255, 255} : Rgb{0, 0, 0}));
  }
}

TEST_CASE("legends name what the colours show in every mode", "[analysis][colour]") {
  const UnitColourer colourer(sample_report());
  ColouringSettings s;
  ColourLegend l = colourer.legend(s);
  CHECK(l.kind == ColourLegend::Kind::diverging);
  CHECK(l.title == "Δ = NLL(ref) − NLL(hyb)");
  CHECK(l.low_end == "◀ ref better");
  CHECK(l.high_end == "hyb better ▶");
  REQUIRE(l.ticks.size() == 3);
  CHECK(l.ticks[0].label == "−2");
  CHECK(l.ticks[1].label == "Δ = 0 nats");
  CHECK(l.gradient.front() == kReferenceBetterColour);
  CHECK(l.gradient.back() == kHybridBetterColour);

  s.mode = ColourMode::nll;
  l = colourer.legend(s);
  CHECK(l.kind == ColourLegend::Kind::sequential);
  CHECK(l.title == "NLL of hyb (nats)");
  CHECK(l.ticks.back().label == "≥ 5.4 (p95)");
  CHECK(l.gradient.front() == kNllPalette.stops.front());
  CHECK(l.gradient.back() == kNllPalette.stops.back());
  s.sequential_max = 3;
  s.model = ModelRole::reference;
  l = colourer.legend(s);
  CHECK(l.title == "NLL of ref (nats)");
  CHECK(l.ticks.back().label == "≥ 3");
  CHECK(l.ticks[1].label == "1.5");

  s.mode = ColourMode::entropy;
  CHECK(colourer.legend(s).title == "entropy of ref (nats)");

  s.mode = ColourMode::rank;
  l = colourer.legend(s);
  CHECK(l.kind == ColourLegend::Kind::categorical);
  CHECK(l.title == "rank under ref");
  REQUIRE(l.swatches.size() == kRankBucketCount);
  CHECK(l.swatches[0].label == "top 1");
  CHECK(l.swatches[4].colour == rank_bucket_colour(RankBucket::beyond));
  CHECK(l.text() == "rank under ref · top 1 · top 10 · top 100 · top 1000 · beyond");

  s.mode = ColourMode::category;
  l = colourer.legend(s);
  REQUIRE(l.swatches.size() == kCategoryClassCount);
  CHECK(l.swatches[0].label == "delimiter");
  CHECK(l.swatches[0].detail == "delim:*");
}

TEST_CASE("model_index colours by any model of a three-model comparison", "[analysis][colour]") {
  const Report r = three_model_report();
  REQUIRE(r.comparison.models.size() == 3);
  REQUIRE(r.comparison.units.size() == 5);
  const UnitColourer colourer(r);
  const std::string names[] = {"hyb", "ref1", "ref2"};
  // Each model's own 95th percentile: 1..4 → 3.85, all 2 → 2, 2..5 → 4.85.
  const double auto_max[] = {3.85, 2, 4.85};
  for (int k = 0; k < 3; ++k) {
    INFO("model " << k);
    const auto m = static_cast<std::size_t>(k);
    ColouringSettings s;
    s.mode = ColourMode::nll;
    s.model = ModelRole::reference;  // the index wins over the role
    s.model_index = k;
    CHECK(colourer.auto_sequential_max(ColourMode::nll, m) == Approx(auto_max[k]));
    CHECK(colourer.sequential_max(s) == Approx(auto_max[k]));
    CHECK(colourer.legend(s).title == "NLL of " + names[k] + " (nats)");
    s.sequential_max = 6;
    const auto units = colourer.colour(s);
    CHECK(!units[0].background);
    for (std::size_t u = 1; u < 5; ++u) {
      CHECK(colourer.value(s, u) == Approx(r.unit_nll(u, m)));
      CHECK(*units[u].background == *sequential_colour(r.unit_nll(u, m), 6, kNllPalette));
    }
    s.mode = ColourMode::rank;
    CHECK(colourer.legend(s).title == "rank under " + names[k]);
  }
}

TEST_CASE("roles still name the active reference and the hybrid among three models", "[analysis][colour]") {
  const Report r = three_model_report();
  const UnitColourer colourer(r);
  ColouringSettings s;
  CHECK(colourer.legend(s).title == "Δ = NLL(ref1) − NLL(hyb)");
  for (std::size_t u = 1; u < 5; ++u) CHECK(colourer.value(s, u) == Approx(r.unit_delta(u, 0)));
  s.mode = ColourMode::nll;
  CHECK(colourer.legend(s).title == "NLL of hyb (nats)");
  for (std::size_t u = 1; u < 5; ++u) CHECK(colourer.value(s, u) == Approx(r.unit_nll(u, 0)));
  CHECK(colourer.auto_sequential_max(ColourMode::nll, ModelRole::compared) == Approx(3.85));
  s.model = ModelRole::reference;
  CHECK(colourer.legend(s).title == "NLL of ref1 (nats)");
  for (std::size_t u = 1; u < 5; ++u) CHECK(colourer.value(s, u) == Approx(2.0));
  CHECK(colourer.sequential_max(s) == Approx(2.0));
}

TEST_CASE("a model index out of range colours nothing", "[analysis][colour]") {
  const UnitColourer colourer(three_model_report());
  for (int index : {3, 99}) {
    for (ColourMode mode : {ColourMode::nll, ColourMode::rank, ColourMode::entropy}) {
      ColouringSettings s;
      s.mode = mode;
      s.model_index = index;
      INFO(colouring_key(mode, s.model) << " of model " << index);
      for (const UnitColour& u : colourer.colour(s)) {
        CHECK(!u.background);
        CHECK(u.ink == kUnscoredInk);
      }
      for (std::size_t u = 0; u < colourer.unit_count(); ++u) CHECK(std::isnan(colourer.value(s, u)));
      CHECK(colourer.sequential_max(s) == 1.0);
      CHECK(colourer.legend(s).title.find("model " + std::to_string(index)) != std::string::npos);
    }
  }
  // Before any report: no models at all, the same.
  ColouringSettings s;
  s.mode = ColourMode::nll;
  s.model_index = 0;
  const UnitColourer empty(Report{});
  CHECK(empty.colour(s).empty());
  CHECK(empty.legend(s).title == "NLL of model 0 (nats)");
}
