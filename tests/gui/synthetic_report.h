#pragma once
// A comparison of two made-up models over `words` words (one token per word, shared spans), built through core as
// the scoring controller does: NLLs drawn so that Δ takes both signs, ranks spread over every GLTR bucket and
// entropies, all from a fixed seed. Word i is word(i) (default "w<i mod 997>"); every 13th word starts a new line.
// syntheticReferencesReport puts the same text in the window's order: a hybrid and several references.
#include <cmath>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/analysis/comparison/comparison.h"
#include "core/analysis/report/report.h"

namespace hl::test {

inline std::string numberedWord(int i) {
  std::string w = "w";  // appended, not "w" + ...: GCC 12 warns falsely (-Wrestrict) on that concatenation
  w += std::to_string(i % 997);
  return w;
}

namespace detail {

struct SyntheticPair {
  std::string text;
  hl::analysis::ModelTokens reference{"reference", {}, {}}, hybrid{"hybrid", {}, {}};
};

inline SyntheticPair syntheticPair(int words, const std::function<std::string(int)>& word) {
  SyntheticPair pair;
  std::string& text = pair.text;
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
    pair.reference.tokens.push_back(t);
    if (i > 0) {
      t.nll = nll(rng);
      t.prob = std::exp(-t.nll);
      // Every GLTR bucket, each many times: 0, 3, then (i·37 mod 2500) spreads over 1-9 (rarely), 10-99, 100-999, 1000+.
      t.rank = i % 10 == 5 ? 0 : i % 20 == 13 ? 3 : (i * 37) % 2500;
      t.entropy = entropy(rng);
    }
    pair.hybrid.tokens.push_back(t);
  }
  return pair;
}

// Another model on the same tokens with NLLs of its own (drawn from `seed`, over a narrower range than the pair's,
// so that its 95th percentile differs from theirs); ranks and entropies as the model it is drawn from.
inline hl::analysis::ModelTokens redrawn(hl::analysis::ModelTokens model, std::string name, unsigned seed) {
  model.name = std::move(name);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> nll(0.05, 4.0);
  for (std::size_t i = 1; i < model.tokens.size(); ++i) {
    model.tokens[i].nll = nll(rng);
    model.tokens[i].prob = std::exp(-model.tokens[i].nll);
  }
  return model;
}

inline std::shared_ptr<const hl::analysis::Report> build(const std::string& text,
                                                         std::vector<hl::analysis::ModelTokens> models,
                                                         std::size_t reference, int resamples) {
  hl::analysis::ReportOptions options;
  options.bootstrap.resamples = static_cast<std::size_t>(resamples);
  return std::make_shared<const hl::analysis::Report>(
      hl::analysis::build_report(hl::analysis::compare(text, std::move(models), reference), options));
}

}  // namespace detail

// [reference, hybrid], Δ against the reference (model 0).
inline std::shared_ptr<const hl::analysis::Report> syntheticReport(
    int words, int resamples = 50, const std::function<std::string(int)>& word = numberedWord) {
  detail::SyntheticPair pair = detail::syntheticPair(words, word);
  return detail::build(pair.text, {std::move(pair.reference), std::move(pair.hybrid)}, 0, resamples);
}

// [hybrid, reference 1, ..., reference n] as the window orders its models, Δ against reference 1
// (comparison.reference = 1). The hybrid and reference 1 are syntheticReport's models; references 2..n (named
// "reference2"...) draw NLLs of their own.
inline std::shared_ptr<const hl::analysis::Report> syntheticReferencesReport(int words, int references,
                                                                             int resamples = 50) {
  detail::SyntheticPair pair = detail::syntheticPair(words, numberedWord);
  std::vector<hl::analysis::ModelTokens> models = {pair.hybrid, pair.reference};
  for (int r = 2; r <= references; ++r) {
    std::string name = "reference";  // appended: see numberedWord
    name += std::to_string(r);
    models.push_back(detail::redrawn(pair.reference, std::move(name), 100u + static_cast<unsigned>(r)));
  }
  return detail::build(pair.text, std::move(models), 1, resamples);
}

}  // namespace hl::test
