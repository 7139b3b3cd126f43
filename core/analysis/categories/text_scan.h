#pragma once
// Character-level scanning of the analysed text. The text may hold invalid UTF-8 (units can also start inside a
// character when a byte-level tokenizer splits one), so decoding here never assumes well-formed input.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/analysis/comparison/model_tokens.h"
#include "core/text/utf8.h"  // decode_utf8_at: the scans read text that may be invalid UTF-8

namespace hl::analysis {

bool is_letter(char32_t c);  // Unicode alphabetic (word characters that are neither digits nor '_')
bool is_digit_char(char32_t c);
bool is_space_char(char32_t c);
bool is_punctuation_char(char32_t c);
bool is_apostrophe(char32_t c);  // ' and ’ (U+2019)

// An alphabetic word: a maximal run of letters, where an apostrophe between two letters joins them ("don't").
struct Word {
  ByteSpan span;
  std::string lower;  // ASCII-lower-cased, ’ written as '
};
std::vector<Word> find_words(std::string_view text);

// Indices of the words overlapping [span.begin, span.end), in order (words sorted by position, as find_words gives).
std::vector<std::size_t> words_overlapping(const std::vector<Word>& words, ByteSpan span);

}  // namespace hl::analysis
