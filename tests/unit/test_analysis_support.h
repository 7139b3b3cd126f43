#pragma once
// Builders for hand-made ModelTokens in the analysis tests.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/analysis/comparison/model_tokens.h"

namespace hl::analysis::test {

struct TokenSpec {
  std::size_t begin, end;
  double nll;  // kNoValue: unpredicted
};

// Token ids are the token indices.
inline ModelTokens make_model(std::string name, std::string_view text, const std::vector<TokenSpec>& specs) {
  ModelTokens model;
  model.name = std::move(name);
  for (std::size_t i = 0; i < specs.size(); ++i) {
    Token t;
    t.id = static_cast<std::int32_t>(i);
    t.span = {specs[i].begin, specs[i].end};
    t.text = std::string(text.substr(specs[i].begin, specs[i].end - specs[i].begin));
    t.nll = specs[i].nll;
    model.tokens.push_back(std::move(t));
  }
  return model;
}

// One token per space-separated piece (the space joins the following piece, GPT-2 style), with the given NLLs
// (tokens beyond nlls get no NLL).
inline ModelTokens word_model(std::string name, std::string_view text, const std::vector<double>& nlls) {
  std::vector<TokenSpec> specs;
  std::size_t begin = 0;
  for (std::size_t i = 1; i <= text.size(); ++i)
    if (i == text.size() || text[i] == ' ') {
      specs.push_back({begin, i, specs.size() < nlls.size() ? nlls[specs.size()] : kNoValue});
      begin = i;
    }
  return make_model(std::move(name), text, specs);
}

}  // namespace hl::analysis::test
