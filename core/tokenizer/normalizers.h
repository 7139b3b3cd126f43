#pragma once
// tokenizer.json "normalizer": NFC/NFD/NFKC/NFKD, Lowercase, Prepend, Replace, Strip, Sequence.
#include <nlohmann/json.hpp>

#include <memory>
#include <string>

#include "core/tokenizer/normalized_string.h"

namespace hl::tok {

class Normalizer {
 public:
  virtual ~Normalizer() = default;
  virtual void normalize(NormalizedString& s) const = 0;
};

// nullptr for a JSON null. path names the value in error messages.
std::unique_ptr<Normalizer> make_normalizer(const nlohmann::json& j, const std::string& path);

}  // namespace hl::tok
