// The headline the window's summary and the slide's models line share: its numbers come from the report, its form
// is fixed (signs, units, the other references, the non-finite warning first).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <string>

#include "core/analysis/report/headline.h"
#include "test_analysis_support.h"

using namespace hl::analysis;
using hl::analysis::test::word_model;

namespace {

const std::string kText = "a b c d";

// The hybrid gains 0.5 on three words and loses 1 on one: mean Δ +0.125, better on 75 % of the 4 units.
ModelTokens hybrid() { return word_model("hyb", kText, {0.5, 2.0, 0.5, 0.5}); }
ModelTokens reference(std::string name, double nll) { return word_model(std::move(name), kText, {nll, nll, nll, nll}); }

}  // namespace

TEST_CASE("signed numbers: a true minus, no sign once rounded to zero, a dash for no value", "[analysis][headline]") {
  CHECK(signed_number(0.1234) == "+0.123");
  CHECK(signed_number(-0.05) == "−0.050");
  CHECK(signed_number(-0.0004) == "0.000");
  CHECK(signed_number(2.5, 1) == "+2.5");
  CHECK(signed_number(std::numeric_limits<double>::quiet_NaN()) == "–");
  CHECK(signed_number(-std::numeric_limits<double>::infinity()) == "–");
}

TEST_CASE("the headline states the hybrid's gap, its win share and every model's bits per byte", "[analysis][headline]") {
  const Report r = build_report(compare(kText, {hybrid(), reference("ref", 1.0)}, 1));
  const auto gap = reference_gap(r);
  REQUIRE(gap.has_value());
  CHECK(gap->reference == "ref");
  CHECK(gap->gap.mean_delta == Approx(0.125));
  CHECK(gap->gap.win_share == Approx(0.75));
  char bits[2][32];
  for (int m = 0; m < 2; ++m) std::snprintf(bits[m], sizeof bits[m], "%.3f", r.models[static_cast<std::size_t>(m)].bits_per_byte);
  CHECK(headline(r) == "mean Δ +0.125 nats [" + signed_number(gap->gap.interval.low) + ", " +
                           signed_number(gap->gap.interval.high) + "] · hyb better on 75.0 % of 4 scored units · hyb " +
                           bits[0] + " bits/byte · ref " + bits[1] + " bits/byte");
  CHECK(headline(r).find("vs ") == std::string::npos);
}

TEST_CASE("the headline appends the hybrid's gap against the run's other references", "[analysis][headline]") {
  std::vector<std::shared_ptr<const Report>> reports;
  reports.push_back(std::make_shared<Report>(build_report(compare(kText, {hybrid(), reference("r1", 1.0), reference("r2", 2.0)}, 1))));
  reports.push_back(std::make_shared<Report>(build_report(compare(kText, {hybrid(), reference("r1", 1.0), reference("r2", 2.0)}, 2))));
  reports.push_back(nullptr);  // a reference whose report is not there is left out
  const auto others = other_reference_gaps(reports, 0);
  REQUIRE(others.size() == 1);
  CHECK(others.front().reference == "r2");
  CHECK(others.front().gap.mean_delta == Approx(1.125));  // 2 − the hybrid's mean of 0.875
  const std::string line = headline(*reports[0], others);
  CHECK(line.starts_with("mean Δ +0.125 nats ["));
  CHECK(line.ends_with(" · vs r2: mean Δ +1.125 nats [" + signed_number(others.front().gap.interval.low) + ", " +
                       signed_number(others.front().gap.interval.high) + "]"));
  CHECK(other_reference_gaps(reports, 1).front().reference == "r1");
}

TEST_CASE("the headline warns first about non-finite scores and says when nothing was scored by both",
          "[analysis][headline]") {
  ModelTokens poisoned = hybrid();
  for (Token& t : poisoned.tokens) {
    t.nll = std::numeric_limits<double>::quiet_NaN();
    t.invalid = true;
  }
  const Report r = build_report(compare(kText, {poisoned, reference("ref", 1.0)}, 1));
  CHECK_FALSE(reference_gap(r).has_value());
  const std::string line = headline(r);
  INFO(line);
  CHECK(line.starts_with("⚠ hyb: 4 tokens have non-finite scores (NaN/Inf) and are left out · no units scored by both models · "));
}
