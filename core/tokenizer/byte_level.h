#pragma once
// GPT-2's bytes_to_unicode alphabet: printable bytes stand for themselves, the other 68 map to U+0100 + n in order.
#include <optional>
#include <string_view>

namespace hl::tok {

std::string_view byte_to_char(unsigned char b);  // UTF-8 of the char standing for byte b
std::optional<unsigned char> char_to_byte(char32_t c);

}  // namespace hl::tok
