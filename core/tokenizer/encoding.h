#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace hl::tok {

using Offsets = std::pair<std::size_t, std::size_t>;

// One encoded text. byte_offsets are [begin, end) in the UTF-8 input (after invalid sequences were replaced by
// U+FFFD, see warnings); char_offsets are the same spans in Unicode code points, exactly as HF reports offsets.
// Tokens inserted by the post-processor (BOS, EOS) have empty spans at 0.
struct Encoding {
  std::vector<std::int32_t> ids;
  std::vector<std::string> tokens;
  std::vector<Offsets> byte_offsets;
  std::vector<Offsets> char_offsets;
  std::vector<std::string> warnings;

  std::size_t size() const { return ids.size(); }
};

}  // namespace hl::tok
