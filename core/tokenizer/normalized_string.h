#pragma once
// A piece of text under normalization that remembers, for every normalized byte, which bytes of the original input
// it came from; the port of HF's NormalizedString. Alignments here are absolute offsets in the whole input, where HF
// keeps them relative to the piece plus an `original_shift`; both give the same token offsets.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/tokenizer/pattern.h"
#include "core/text/unicode.h"

namespace hl::tok {

using Span = std::pair<std::uint32_t, std::uint32_t>;

enum class SplitBehavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };

class NormalizedString {
 public:
  NormalizedString() = default;
  // The whole input (valid UTF-8): every byte aligned to the span of its character.
  explicit NormalizedString(std::string_view original);

  const std::string& get() const { return normalized_; }
  bool empty() const { return normalized_.empty(); }
  std::size_t original_start() const { return original_shift_; }
  // Original span of the normalized byte range [begin, end) (HF convert_offsets: first byte's start, last byte's end).
  Span original_span(std::size_t begin, std::size_t end) const;

  // HF NormalizedString::transform over the whole string.
  void transform(const std::vector<CharChange>& dest);
  void prepend(std::string_view s);
  void replace(const Pattern& pattern, std::string_view content);
  void strip(bool left, bool right);
  NormalizedString slice(std::size_t begin, std::size_t end) const;
  std::vector<NormalizedString> split(const Pattern& pattern, SplitBehavior behavior, bool invert = false) const;
  // Maps every byte to its GPT-2 byte-level char (a specialised transform: the hot path of byte-level tokenizers).
  void to_byte_level();

 private:
  std::string normalized_;
  std::vector<Span> alignments_;  // one per normalized byte
  std::size_t original_shift_ = 0;
};

}  // namespace hl::tok
