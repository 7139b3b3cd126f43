#include "core/analysis/categories/text_scan.h"

#include <algorithm>

#include "core/text/unicode.h"
#include "core/text/utf8.h"

namespace hl::analysis {

bool is_letter(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  return c != 0xFFFD && is_word_char(c) && !is_numeric(c);
}
bool is_digit_char(char32_t c) { return c < 0x80 ? (c >= '0' && c <= '9') : is_numeric(c); }
bool is_space_char(char32_t c) { return is_whitespace(c); }
bool is_punctuation_char(char32_t c) {
  if (c < 0x80) return c > 0x20 && c < 0x7F && !is_letter(c) && !is_digit_char(c);
  return is_punctuation(c);
}
bool is_apostrophe(char32_t c) { return c == '\'' || c == 0x2019; }

std::vector<Word> find_words(std::string_view text) {
  struct Char {
    std::size_t begin, end;
    char32_t c;
  };
  std::vector<Char> chars;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t b = i;
    const char32_t c = decode_utf8_at(text, i);
    chars.push_back({b, i, c});
  }
  std::vector<Word> words;
  for (std::size_t k = 0; k < chars.size();) {
    if (!is_letter(chars[k].c)) {
      ++k;
      continue;
    }
    Word word;
    word.span.begin = chars[k].begin;
    std::size_t j = k;
    while (j < chars.size()) {
      const char32_t c = chars[j].c;
      const bool joins = is_apostrophe(c) && j > k && j + 1 < chars.size() && is_letter(chars[j + 1].c);
      if (!is_letter(c) && !joins) break;
      if (is_apostrophe(c))
        word.lower += '\'';
      else if (c < 0x80)
        word.lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      else
        word.lower.append(text.substr(chars[j].begin, chars[j].end - chars[j].begin));
      ++j;
    }
    word.span.end = chars[j - 1].end;
    words.push_back(std::move(word));
    k = j;
  }
  return words;
}

std::vector<std::size_t> words_overlapping(const std::vector<Word>& words, ByteSpan span) {
  std::vector<std::size_t> out;
  auto it = std::partition_point(words.begin(), words.end(), [&](const Word& w) { return w.span.end <= span.begin; });
  for (; it != words.end() && it->span.begin < span.end; ++it) out.push_back(static_cast<std::size_t>(it - words.begin()));
  return out;
}

}  // namespace hl::analysis
