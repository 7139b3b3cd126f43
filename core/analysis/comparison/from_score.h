#pragma once
// Builds a ModelTokens from what the tokenizer and the engine return, shifting the engine's "prediction of the next
// token" rows onto the tokens they predict.
#include <string>

#include "core/analysis/comparison/model_tokens.h"

namespace hl::tok {
struct Encoding;
class Tokenizer;
}  // namespace hl::tok
namespace hl::engine {
struct TokenStats;
}  // namespace hl::engine

namespace hl::analysis {

// stats.T must equal encoding.size() (throws std::invalid_argument otherwise). Token i takes row i - 1; token 0 and
// rows whose NLL is NaN stay unpredicted; rows the engine marked invalid (non-finite statistics) also set Token::invalid. With a tokenizer, top-k ids are spelled out for the report.
ModelTokens from_score(std::string name, const tok::Encoding& encoding, const engine::TokenStats& stats,
                       const tok::Tokenizer* tokenizer = nullptr);

}  // namespace hl::analysis
