#pragma once
// One model's view of a text: its tokens, where each token lies in the text, and how well the model predicted it.
//
// Position convention (differs from the engine's): entry i describes token i itself. Its nll is the negative natural
// log probability the model gave to token i given tokens < i. The engine's TokenStats row t describes the prediction
// of ids[t + 1], so token i's statistics are the engine's row i - 1 (see from_score). Token 0 has no prediction: its
// nll is NaN, as is any token the model did not score.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace hl::analysis {

inline constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();

// Half-open byte range [begin, end) in the UTF-8 text. Tokens the post-processor inserts (BOS, EOS) have empty spans.
struct ByteSpan {
  std::size_t begin = 0, end = 0;
  bool empty() const { return begin >= end; }
  bool operator==(const ByteSpan&) const = default;
};

struct TopPrediction {
  std::int32_t id = -1;
  double prob = 0;
  std::string text;  // empty when no tokenizer was available to spell the id
};

struct Token {
  std::int32_t id = -1;
  std::string text;  // the tokenizer's token string (e.g. "Ġthe"), for display
  ByteSpan span;
  double nll = kNoValue;  // nats; NaN: not predicted (first token, BOS, or unscored)
  double prob = kNoValue;
  std::int32_t rank = -1;  // 0 = the model's top-1 was this token; -1: not predicted
  double entropy = kNoValue;
  std::vector<TopPrediction> top;  // the model's best guesses for this position, best first
  // Scored, but the model's statistics were not finite (engine TokenStats::invalid, e.g. NaN/Inf weights): nll is
  // NaN, so the token is in no loss, and reports flag it instead of printing a number.
  bool invalid = false;

  bool has_nll() const { return std::isfinite(nll); }
};

// A model whose embedding/LM head is wider than its tokenizer (e.g. Olmo Hybrid: 100352 rows, 100278 real tokens).
// The padded rows are never a real next token, so predictions must be restricted to the tokenizer's ids.
struct Vocabulary {
  std::size_t tokenizer_size = 0;  // 0: unknown
  std::size_t model_size = 0;      // 0: unknown
  bool restricted_to_tokenizer() const { return tokenizer_size > 0 && tokenizer_size < model_size; }
};

struct ModelTokens {
  std::string name;
  std::vector<Token> tokens;
  Vocabulary vocabulary;
};

// Records both vocabulary sizes; restricted_to_tokenizer() then says whether the model's softmax must (and, per the
// engine, does) ignore the padded rows. The report carries a note for such models.
void record_vocabulary(ModelTokens& model, std::size_t tokenizer_vocab_size, std::size_t model_vocab_size);

}  // namespace hl::analysis
