#pragma once
// Character properties and normalization with the semantics HF relies on (Rust char methods, the Rust regex crate's
// \w and \s, and the unicode-normalization-alignments crate), backed by ICU.
#include <string_view>
#include <utility>
#include <vector>

namespace hl {

bool is_whitespace(char32_t c);  // Rust char::is_whitespace, regex \s: White_Space
bool is_word_char(char32_t c);   // Rust regex \w: Alphabetic, M*, Nd, Pc, Join_Control
bool is_numeric(char32_t c);     // Rust char::is_numeric: Nd, Nl, No
bool is_punctuation(char32_t c);  // char::is_ascii_punctuation || Unicode P*

// A normalized character with its alignment change, as the alignments crate reports it: 0 replaces one input char,
// +1 is inserted after the previous one, -n replaces one input char and removes the n that follow.
using CharChange = std::pair<char32_t, int>;

enum class NormalForm { NFC, NFD, NFKC, NFKD };

// True when text is certainly unchanged by the form (a fast path; false only means "run normalize").
bool is_normalized(std::string_view utf8, NormalForm form);
std::vector<CharChange> normalize(std::string_view utf8, NormalForm form);
// Rust char::to_lowercase per character (no context-dependent final sigma).
std::vector<CharChange> lowercase(std::string_view utf8);

}  // namespace hl
