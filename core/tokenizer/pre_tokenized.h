#pragma once
// The text cut into pieces as it moves through the pipeline (HF PreTokenizedString). A piece either still needs the
// model (tokens empty) or was already tokenized (an added token).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/tokenizer/normalized_string.h"

namespace hl::tok {

struct Token {
  std::int32_t id;
  std::string value;
  std::size_t begin, end;  // byte range in the piece's normalized text
};

struct Part {
  NormalizedString normalized;
  std::optional<std::vector<Token>> tokens;
};

class PreTokenized {
 public:
  std::vector<Part> pieces;

  // Replaces every untokenized piece by what f returns for it, dropping empty results (HF split()).
  template <class F>
  void split(F&& f) {
    std::vector<Part> out;
    out.reserve(pieces.size());
    for (Part& p : pieces) {
      if (p.tokens) {
        out.push_back(std::move(p));
        continue;
      }
      for (auto& part : f(std::move(p.normalized))) {
        if (!part.normalized.empty()) out.push_back(std::move(part));
      }
    }
    pieces = std::move(out);
  }

  template <class F>
  void normalize(F&& f) {
    for (Part& p : pieces)
      if (!p.tokens) f(p.normalized);
  }
};

// Wraps plain normalized strings as untokenized pieces, for split() callbacks.
inline std::vector<Part> untokenized(std::vector<NormalizedString> parts) {
  std::vector<Part> out;
  out.reserve(parts.size());
  for (auto& n : parts) out.push_back({std::move(n), std::nullopt});
  return out;
}

}  // namespace hl::tok
