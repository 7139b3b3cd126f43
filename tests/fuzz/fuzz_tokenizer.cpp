// libFuzzer target: arbitrary bytes through real tokenizers (GPT-2 byte-level and Mistral byte-fallback). Checks
// that encoding never throws, spans lie inside the input and never go backwards, and decoding never throws.
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/tokenizer/tokenizer.h"

namespace {

// Fuzz targets get no compile definitions: the data folder comes from HL_TEST_DATA_DIR, else from this file's place.
std::string data_dir() {
  if (const char* env = std::getenv("HL_TEST_DATA_DIR")) return env;
  std::string here = __FILE__;
  return here.substr(0, here.rfind('/')) + "/../data";
}

const std::vector<hl::tok::Tokenizer>& tokenizers() {
  static const std::vector<hl::tok::Tokenizer> all = [] {
    std::vector<hl::tok::Tokenizer> v;
    for (const char* name : {"gpt2", "mistral-7b-v0.1"})
      v.push_back(hl::tok::Tokenizer::from_file(data_dir() + "/tokenizers/" + name));
    return v;
  }();
  return all;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const auto& tok : tokenizers()) {
    for (const bool special : {false, true}) {
      const auto e = tok.encode(text, special);
      if (e.tokens.size() != e.size() || e.byte_offsets.size() != e.size() || e.char_offsets.size() != e.size())
        std::abort();
      std::size_t last_begin = 0;
      for (const auto& [b, end] : e.byte_offsets) {
        if (b > end || end > size) std::abort();
        if (end == 0 && b == 0) continue;  // inserted special tokens sit at [0, 0)
        if (b < last_begin) std::abort();
        last_begin = b;
      }
      (void)tok.decode(e.ids, false);
      (void)tok.decode(e.ids, true);
    }
  }
  return 0;
}
