#include "core/tokenizer/byte_level.h"

#include <array>
#include <string>

#include "core/text/utf8.h"

namespace hl::tok {

namespace {

struct Alphabet {
  std::array<std::string, 256> utf8;
  std::array<int, 0x144> byte_of;  // char -> byte, -1 if the char is not in the alphabet

  Alphabet() {
    byte_of.fill(-1);
    const auto printable = [](int b) { return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF); };
    int n = 0;
    for (int b = 0; b < 256; ++b) {
      const char32_t c = printable(b) ? static_cast<char32_t>(b) : static_cast<char32_t>(0x100 + n++);
      append_utf8(utf8[static_cast<std::size_t>(b)], c);
      byte_of[c] = b;
    }
  }
};

const Alphabet& alphabet() {
  static const Alphabet a;
  return a;
}

}  // namespace

std::string_view byte_to_char(unsigned char b) { return alphabet().utf8[b]; }

std::optional<unsigned char> char_to_byte(char32_t c) {
  if (c >= alphabet().byte_of.size() || alphabet().byte_of[c] < 0) return std::nullopt;
  return static_cast<unsigned char>(alphabet().byte_of[c]);
}

}  // namespace hl::tok
