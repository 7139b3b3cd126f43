#pragma once
// tokenizer.json "decoder": ByteLevel, Metaspace, ByteFallback, Fuse, Strip, Replace, Sequence. Each turns a list of
// token strings into another list (HF decode_chain); the tokenizer joins the final list.
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace hl::tok {

class Decoder {
 public:
  virtual ~Decoder() = default;
  virtual std::vector<std::string> decode_chain(std::vector<std::string> tokens) const = 0;
};

std::unique_ptr<Decoder> make_decoder(const nlohmann::json& j, const std::string& path);

}  // namespace hl::tok
