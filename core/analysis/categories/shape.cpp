#include "core/analysis/categories/shape.h"

#include <set>
#include <string>

namespace hl::analysis {

std::string_view position_bin(std::size_t token_index) {
  if (token_index < 64) return "position:0-63";
  if (token_index < 256) return "position:64-255";
  if (token_index < 1024) return "position:256-1023";
  return "position:1024+";
}

namespace {

void label_characters(std::string_view piece, std::vector<std::string>& labels) {
  bool letters = false, digits = false, punctuation = false, spaces_only = true, newline = false, non_ascii = false;
  for (std::size_t i = 0; i < piece.size();) {
    non_ascii |= static_cast<unsigned char>(piece[i]) >= 0x80;
    const char32_t c = decode_utf8_at(piece, i);
    letters |= is_letter(c);
    digits |= is_digit_char(c);
    punctuation |= is_punctuation_char(c);
    spaces_only &= is_space_char(c);
    newline |= c == '\n';
  }
  if (digits) add_label(labels, "shape:number");
  if (punctuation && !letters && !digits) add_label(labels, "shape:punctuation");
  if (spaces_only && !piece.empty()) add_label(labels, "shape:whitespace");
  if (newline) add_label(labels, "shape:newline");
  if (non_ascii) add_label(labels, "shape:non_ascii");
}

}  // namespace

void label_shape(std::string_view text, std::span<const ByteSpan> units, const std::vector<Word>& words,
                 std::span<const std::size_t> positions, UnitLabels& labels) {
  // first_seen[w]: whether word w is the first occurrence of its lower-case form.
  std::vector<bool> first_seen(words.size());
  std::set<std::string_view> seen;
  for (std::size_t w = 0; w < words.size(); ++w) first_seen[w] = seen.insert(words[w].lower).second;

  for (std::size_t u = 0; u < units.size(); ++u) {
    const ByteSpan span = units[u];
    label_characters(text.substr(span.begin, span.end - span.begin), labels[u]);
    add_label(labels[u], std::string(position_bin(positions[u])));
    const auto overlapped = words_overlapping(words, span);
    if (overlapped.empty()) continue;
    add_label(labels[u], words[overlapped.front()].span.begin < span.begin ? "shape:word_continuation"
                                                                          : "shape:word_initial");
    for (std::size_t w : overlapped) add_label(labels[u], first_seen[w] ? "word:first_occurrence" : "word:repeat");
  }
}

}  // namespace hl::analysis
