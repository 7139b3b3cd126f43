#pragma once
// tokenizer.json "added_tokens": found in the text before the normalizer and the model run, leftmost-longest.
// normalized=false tokens are matched on the raw text; the normalizer then runs on each remaining piece and
// normalized=true tokens are matched on the normalized text (HF extract_and_normalize).
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/tokenizer/normalizers.h"
#include "core/tokenizer/pre_tokenized.h"

namespace hl::tok {

struct AddedToken {
  std::string content;
  std::int32_t id = 0;
  bool single_word = false, lstrip = false, rstrip = false, normalized = true, special = false;
};

class AddedVocabulary {
 public:
  AddedVocabulary(const nlohmann::json& added_tokens, const Normalizer* normalizer, const std::string& path);

  PreTokenized extract_and_normalize(std::string_view text, const Normalizer* normalizer) const;

  const AddedToken* by_id(std::int32_t id) const;
  std::optional<std::int32_t> id_of(std::string_view content) const;
  const std::vector<AddedToken>& tokens() const { return tokens_; }

 private:
  // A byte trie of token contents for one pass (raw or normalized).
  class Matcher {
   public:
    void add(std::string_view pattern, std::size_t token);
    // Longest pattern starting at text[at]: (length, token index), or length 0.
    std::pair<std::size_t, std::size_t> longest_at(std::string_view text, std::size_t at) const;
    bool empty() const { return nodes_.size() <= 1; }

   private:
    struct Node {
      std::vector<std::pair<unsigned char, std::uint32_t>> next;
      std::optional<std::size_t> token;
    };
    std::vector<Node> nodes_{1};
  };

  std::vector<Part> split_matches(NormalizedString&& s, const Matcher& m) const;

  std::vector<AddedToken> tokens_;
  std::unordered_map<std::int32_t, std::size_t> by_id_;
  Matcher raw_, normalized_;
};

}  // namespace hl::tok
