#pragma once
// tokenizer.json "pre_tokenizer": ByteLevel, Split, Metaspace, Digits, Punctuation, Whitespace, WhitespaceSplit,
// Sequence.
#include <nlohmann/json.hpp>

#include <memory>
#include <string>

#include "core/tokenizer/pre_tokenized.h"

namespace hl::tok {

class PreTokenizer {
 public:
  virtual ~PreTokenizer() = default;
  virtual void pre_tokenize(PreTokenized& p) const = 0;
};

// nullptr for a JSON null.
std::unique_ptr<PreTokenizer> make_pre_tokenizer(const nlohmann::json& j, const std::string& path);

}  // namespace hl::tok
