#pragma once
// UTF-8, for the whole project: the tokenizer pipeline, the analysis scans, reports and session files.
// Two kinds of helper: those for text known to be valid (next_char, utf8_seq_len: the tokenizer repairs its input
// first with repair_utf8, so its pipeline may assume well-formed sequences), and those that read any bytes
// (decode_utf8_at, valid_utf8, repair_utf8: the analysed text and user files may hold invalid UTF-8, and a unit can
// start inside a character when a byte-level tokenizer splits one).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hl {

inline std::size_t utf8_len(char32_t c) { return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4; }

// Length of the sequence starting with lead byte b (valid UTF-8 assumed).
inline std::size_t utf8_seq_len(unsigned char b) { return b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4; }

// Decodes the valid sequence at s[i] and advances i past it.
char32_t next_char(std::string_view s, std::size_t& i);

void append_utf8(std::string& out, char32_t c);

// Decodes the character at s[i] of any bytes and advances i; an invalid or truncated sequence yields U+FFFD and
// advances one byte.
char32_t decode_utf8_at(std::string_view s, std::size_t& i);

// Copy of s with every invalid byte replaced by U+FFFD (for JSON and HTML, which must be valid UTF-8).
std::string valid_utf8(std::string_view s);

// One replacement made by repair_utf8: `original_len` invalid input bytes at `original` became U+FFFD at `repaired`.
struct Utf8Fix {
  std::size_t repaired, original, original_len;
};

// Replaces every maximal invalid subpart with U+FFFD, exactly like Rust's String::from_utf8_lossy and Python's
// bytes.decode(errors="replace"). Returns the number of replacements made; fixes (if given) receives each one.
std::size_t repair_utf8(std::string_view in, std::string& out, std::vector<Utf8Fix>* fixes = nullptr);

// Maps a byte offset at a character boundary of the repaired text back to the input bytes.
std::size_t original_offset(const std::vector<Utf8Fix>& fixes, std::size_t repaired);

// Maps byte offsets to character offsets the way HF's BytesToCharOffsetConverter does.
class CharOffsetConverter {
 public:
  explicit CharOffsetConverter(std::string_view text);
  std::pair<std::size_t, std::size_t> convert(std::pair<std::size_t, std::size_t> bytes) const;

 private:
  std::vector<std::uint32_t> char_of_byte_;  // char index of every byte
};

}  // namespace hl
