#pragma once
// tokenizer.json "post_processor": ByteLevel (offset trimming), TemplateProcessing (special tokens around a single
// sequence), Sequence.
#include <nlohmann/json.hpp>

#include <memory>
#include <string>

#include "core/tokenizer/encoding.h"

namespace hl::tok {

class PostProcessor {
 public:
  virtual ~PostProcessor() = default;
  virtual void process(Encoding& e, bool add_special_tokens) const = 0;
};

std::unique_ptr<PostProcessor> make_post_processor(const nlohmann::json& j, const std::string& path);

}  // namespace hl::tok
