#include "core/analysis/comparison/from_score.h"

#include <stdexcept>

#include "core/engine/backend.h"
#include "core/tokenizer/encoding.h"
#include "core/tokenizer/tokenizer.h"

namespace hl::analysis {

void record_vocabulary(ModelTokens& model, std::size_t tokenizer_vocab_size, std::size_t model_vocab_size) {
  model.vocabulary.tokenizer_size = tokenizer_vocab_size;
  model.vocabulary.model_size = model_vocab_size;
}

ModelTokens from_score(std::string name, const tok::Encoding& encoding, const engine::TokenStats& stats,
                       const tok::Tokenizer* tokenizer) {
  const std::size_t T = encoding.size();
  if (stats.T != T || stats.nll.size() != T)
    throw std::invalid_argument("from_score: " + std::to_string(stats.T) + " scored positions for " +
                                std::to_string(T) + " tokens");
  ModelTokens model;
  model.name = std::move(name);
  model.tokens.resize(T);
  for (std::size_t i = 0; i < T; ++i) {
    Token& token = model.tokens[i];
    token.id = encoding.ids[i];
    token.text = i < encoding.tokens.size() ? encoding.tokens[i] : std::string();
    token.span = {encoding.byte_offsets[i].first, encoding.byte_offsets[i].second};
    if (i == 0) continue;
    const std::size_t row = i - 1;
    token.nll = stats.nll[row];
    token.invalid = stats.is_invalid(row);
    if (!token.has_nll()) continue;
    if (row < stats.prob.size()) token.prob = stats.prob[row];
    if (row < stats.rank.size()) token.rank = stats.rank[row];
    if (row < stats.entropy.size()) token.entropy = stats.entropy[row];
    for (std::size_t j = 0; j < stats.k && (row + 1) * stats.k <= stats.topk_ids.size(); ++j) {
      TopPrediction top{stats.topk_ids[row * stats.k + j], stats.topk_probs[row * stats.k + j], {}};
      if (top.id < 0) continue;
      if (tokenizer) top.text = tokenizer->id_to_token(top.id).value_or("");
      token.top.push_back(std::move(top));
    }
  }
  return model;
}

}  // namespace hl::analysis
