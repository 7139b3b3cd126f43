#pragma once
// The BPE model of tokenizer.json ("model": {"type": "BPE"}): vocab, merges (legacy "a b" strings or [a, b] pairs),
// unk_token/fuse_unk, byte_fallback, continuing_subword_prefix, end_of_word_suffix, ignore_merges.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/tokenizer/pre_tokenized.h"

namespace hl::tok {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using Vocab = std::unordered_map<std::string, std::int32_t, StringHash, std::equal_to<>>;

class Bpe {
 public:
  Bpe(const nlohmann::json& model, const std::string& path);

  // Tokens of one pre-token, offsets in its bytes.
  std::vector<Token> tokenize(std::string_view word) const;
  std::optional<std::int32_t> token_to_id(std::string_view token) const;
  const std::string* id_to_token(std::int32_t id) const;
  std::size_t vocab_size() const { return vocab_.size(); }

 private:
  struct Symbol {
    std::int32_t id;
    std::uint32_t len;  // bytes of the word it covers
  };
  std::vector<Symbol> merge_word(std::string_view word) const;

  Vocab vocab_;
  std::unordered_map<std::int32_t, std::string> vocab_r_;
  std::unordered_map<std::uint64_t, std::pair<std::uint32_t, std::int32_t>> merges_;  // (a,b) -> (rank, merged id)
  std::optional<std::int32_t> unk_;
  std::string prefix_, suffix_;
  bool fuse_unk_ = false, byte_fallback_ = false, ignore_merges_ = false;
  std::int32_t byte_ids_[256];  // <0xXX> ids for byte fallback, -1 where absent

  // Results per pre-token: real text repeats words a lot, and merging is the expensive step.
  mutable std::mutex cache_mutex_;
  mutable std::unordered_map<std::string, std::vector<Symbol>, StringHash, std::equal_to<>> cache_;
};

}  // namespace hl::tok
