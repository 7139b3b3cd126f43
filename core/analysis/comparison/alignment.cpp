#include "core/analysis/comparison/alignment.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace hl::analysis {

bool Unit::scored() const {
  return !nll.empty() && std::all_of(nll.begin(), nll.end(), [](double v) { return std::isfinite(v); });
}

namespace {

void check_spans(std::string_view text, const ModelTokens& model) {
  for (std::size_t i = 0; i < model.tokens.size(); ++i) {
    const ByteSpan s = model.tokens[i].span;
    if (s.begin > s.end || s.end > text.size())
      throw std::invalid_argument("align: token " + std::to_string(i) + " of " + model.name + " spans [" +
                                  std::to_string(s.begin) + ", " + std::to_string(s.end) + ") outside a text of " +
                                  std::to_string(text.size()) + " bytes");
  }
}

// cut_allowed[p] is false when some non-empty token of any model has begin < p < end.
std::vector<bool> allowed_cuts(std::size_t n, const std::vector<ModelTokens>& models) {
  // Difference array: +1 at begin + 1, -1 at end, so a positive prefix sum at p means p is strictly inside a token.
  std::vector<long> inside(n + 2, 0);
  for (const ModelTokens& m : models)
    for (const Token& t : m.tokens)
      if (!t.span.empty()) {
        ++inside[t.span.begin + 1];
        --inside[t.span.end];
      }
  std::vector<bool> allowed(n + 1, true);
  long depth = 0;
  for (std::size_t p = 0; p <= n; ++p) {
    depth += inside[p];
    allowed[p] = depth == 0;
  }
  return allowed;
}

}  // namespace

Alignment align(std::string_view text, const std::vector<ModelTokens>& models) {
  for (const ModelTokens& m : models) check_spans(text, m);
  const std::size_t n = text.size();
  const std::vector<bool> allowed = allowed_cuts(n, models);

  // Candidate cuts are token boundaries (plus the text's ends); text no model covers becomes a unit without loss.
  std::vector<std::size_t> cuts{0, n};
  for (const ModelTokens& m : models)
    for (const Token& t : m.tokens)
      if (!t.span.empty()) {
        if (allowed[t.span.begin]) cuts.push_back(t.span.begin);
        if (allowed[t.span.end]) cuts.push_back(t.span.end);
      }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());

  Alignment out;
  out.unaligned_tokens.resize(models.size());
  for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
    Unit u;
    u.span = {cuts[k], cuts[k + 1]};
    u.tokens.resize(models.size());
    u.nll.assign(models.size(), kNoValue);
    out.units.push_back(std::move(u));
  }
  const auto unit_of = [&](std::size_t begin) {
    return static_cast<std::size_t>(std::upper_bound(cuts.begin(), cuts.end(), begin) - cuts.begin()) - 1;
  };
  for (std::size_t m = 0; m < models.size(); ++m) {
    const auto& tokens = models[m].tokens;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (tokens[i].span.empty())
        out.unaligned_tokens[m].push_back(i);
      else
        out.units[unit_of(tokens[i].span.begin)].tokens[m].push_back(i);
    }
  }
  for (Unit& u : out.units)
    for (std::size_t m = 0; m < models.size(); ++m) {
      if (u.tokens[m].empty()) continue;
      double sum = 0;
      for (std::size_t i : u.tokens[m]) sum += models[m].tokens[i].nll;  // NaN propagates: no loss for the unit
      u.nll[m] = sum;
    }
  return out;
}

}  // namespace hl::analysis
