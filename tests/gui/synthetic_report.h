#pragma once
// A comparison of two made-up models over `words` words (one token per word, shared spans), built through core as
// the scoring controller does: NLLs drawn so that Δ takes both signs, ranks spread over every GLTR bucket and
// entropies, all from a fixed seed. Word i is word(i) (default "w<i mod 997>"); every 13th word starts a new line.
#include <cmath>
#include <functional>
#include <memory>
#include <random>
#include <string>

#include "core/analysis/comparison.h"
#include "core/analysis/report.h"

namespace hl::test {

inline std::string numberedWord(int i) {
  std::string w = "w";  // appended, not "w" + ...: GCC 12 warns falsely (-Wrestrict) on that concatenation
  w += std::to_string(i % 997);
  return w;
}

inline std::shared_ptr<const hl::analysis::Report> syntheticReport(int words, int resamples = 50,
                                                                   const std::function<std::string(int)>& word = numberedWord) {
  std::string text;
  hl::analysis::ModelTokens ref{"reference", {}, {}}, hyb{"hybrid", {}, {}};
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> nll(0.05, 6.0);
  std::uniform_real_distribution<double> entropy(0.1, 5.0);
  for (int i = 0; i < words; ++i) {
    const std::size_t begin = text.size();
    text += (i % 13 == 12) ? "\n" : (i ? " " : "");
    text += word(i);
    hl::analysis::Token t;
    t.id = i % 512;
    t.text = text.substr(begin);
    t.span = {begin, text.size()};
    if (i > 0) {
      t.nll = nll(rng);
      t.prob = std::exp(-t.nll);
      t.rank = (i * 11) % 50;
      t.entropy = entropy(rng);
    }
    ref.tokens.push_back(t);
    if (i > 0) {
      t.nll = nll(rng);
      t.prob = std::exp(-t.nll);
      // Every GLTR bucket, each many times: 0, 3, then (i·37 mod 2500) spreads over 1-9 (rarely), 10-99, 100-999, 1000+.
      t.rank = i % 10 == 5 ? 0 : i % 20 == 13 ? 3 : (i * 37) % 2500;
      t.entropy = entropy(rng);
    }
    hyb.tokens.push_back(t);
  }
  hl::analysis::ReportOptions options;
  options.bootstrap.resamples = static_cast<std::size_t>(resamples);
  return std::make_shared<const hl::analysis::Report>(
      hl::analysis::build_report(hl::analysis::compare(text, {ref, hyb}, 0), options));
}

}  // namespace hl::test
