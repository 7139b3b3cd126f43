#pragma once
// A Hugging Face tokenizer.json pipeline (added tokens, normalizer, pre-tokenizer, BPE model, post-processor,
// decoder) giving the same ids, tokens and offsets as the `tokenizers` library. See docs/tokenizer.md.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/tokenizer/encoding.h"
#include "core/tokenizer/error.h"

namespace hl::tok {

class Tokenizer {
 public:
  // path: a tokenizer.json, a model folder holding one, or a Hugging Face cache repo id (resolve_model_folder, whose
  // errors are CheckpointErrors). Throws TokenizerError with a one-line message.
  static Tokenizer from_file(const std::filesystem::path& path);
  static Tokenizer from_json(std::string_view json_text);

  Tokenizer(Tokenizer&&) noexcept;
  Tokenizer& operator=(Tokenizer&&) noexcept;
  ~Tokenizer();

  // Never throws on bad input: invalid UTF-8 is replaced by U+FFFD and reported in Encoding::warnings.
  Encoding encode(std::string_view text, bool add_special_tokens) const;
  std::string decode(std::span<const std::int32_t> ids, bool skip_special_tokens) const;

  // Model vocabulary plus added tokens that are not in it (HF get_vocab_size(with_added_tokens=True)).
  std::size_t vocab_size() const;
  std::optional<std::string> id_to_token(std::int32_t id) const;
  std::optional<std::int32_t> token_to_id(std::string_view token) const;

 private:
  struct Impl;
  explicit Tokenizer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hl::tok
