#include "core/tokenizer/normalized_string.h"

#include <algorithm>

#include "core/tokenizer/byte_level.h"
#include "core/text/utf8.h"

namespace hl::tok {

NormalizedString::NormalizedString(std::string_view original) : normalized_(original) {
  alignments_.resize(original.size());
  for (std::size_t i = 0; i < original.size();) {
    const std::size_t n = utf8_seq_len(static_cast<unsigned char>(original[i]));
    const Span span{static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(i + n)};
    for (std::size_t k = 0; k < n; ++k) alignments_[i + k] = span;
    i += n;
  }
}

Span NormalizedString::original_span(std::size_t begin, std::size_t end) const {
  if (begin >= end || end > alignments_.size()) {
    const auto at = static_cast<std::uint32_t>(original_shift_);
    return {at, at};
  }
  return {alignments_[begin].first, alignments_[end - 1].second};
}

void NormalizedString::transform(const std::vector<CharChange>& dest) {
  std::string out;
  std::vector<Span> align;
  out.reserve(normalized_.size());
  align.reserve(alignments_.size());
  const Span at_start{static_cast<std::uint32_t>(original_shift_), static_cast<std::uint32_t>(original_shift_)};
  std::size_t offset = 0;  // byte position in the old string of the next char to be replaced
  for (const auto& [c, change] : dest) {
    Span span;
    if (change > 0) {
      span = offset == 0 ? at_start : alignments_[offset - 1];
    } else {
      span = offset < alignments_.size() ? alignments_[offset] : at_start;
      std::size_t consumed = 1 + static_cast<std::size_t>(-change);
      while (consumed-- > 0 && offset < normalized_.size())
        offset += utf8_seq_len(static_cast<unsigned char>(normalized_[offset]));
    }
    const std::size_t before = out.size();
    append_utf8(out, c);
    align.insert(align.end(), out.size() - before, span);
  }
  normalized_ = std::move(out);
  alignments_ = std::move(align);
}

void NormalizedString::prepend(std::string_view s) {
  if (normalized_.empty() || s.empty()) return;
  // HF transforms the first char into prefix + first char: the prefix's first char replaces it (alignment of its
  // first byte), everything after is an insertion (alignment of the byte before: the first char's last byte).
  const std::size_t first_len = utf8_seq_len(static_cast<unsigned char>(normalized_[0]));
  const std::size_t head = utf8_seq_len(static_cast<unsigned char>(s[0]));
  std::vector<Span> align(head, alignments_[0]);
  align.insert(align.end(), s.size() - head + first_len, alignments_[first_len - 1]);
  align.insert(align.end(), alignments_.begin() + static_cast<std::ptrdiff_t>(first_len), alignments_.end());
  normalized_.insert(0, s);
  alignments_ = std::move(align);
}

void NormalizedString::replace(const Pattern& pattern, std::string_view content) {
  std::string out;
  std::vector<Span> align;
  out.reserve(normalized_.size());
  align.reserve(alignments_.size());
  for (const Piece& p : pattern.find_matches(normalized_)) {
    if (!p.match) {
      out.append(normalized_, p.begin, p.end - p.begin);
      align.insert(align.end(), alignments_.begin() + static_cast<std::ptrdiff_t>(p.begin),
                   alignments_.begin() + static_cast<std::ptrdiff_t>(p.end));
      continue;
    }
    // HF removes the matched chars first, then inserts the content: each inserted char takes the alignment of the
    // last byte of the match.
    out.append(content);
    align.insert(align.end(), content.size(), alignments_[p.end - 1]);
  }
  normalized_ = std::move(out);
  alignments_ = std::move(align);
}

void NormalizedString::strip(bool left, bool right) {
  std::size_t b = 0, e = normalized_.size();
  if (left) {
    while (b < e) {
      std::size_t i = b;
      if (!is_whitespace(next_char(normalized_, i))) break;
      b = i;
    }
  }
  if (right) {
    while (e > b) {
      std::size_t s = e - 1;
      while (s > b && (static_cast<unsigned char>(normalized_[s]) & 0xC0) == 0x80) --s;
      std::size_t i = s;
      if (!is_whitespace(next_char(normalized_, i))) break;
      e = s;
    }
  }
  normalized_ = normalized_.substr(b, e - b);
  alignments_ = std::vector<Span>(alignments_.begin() + static_cast<std::ptrdiff_t>(b),
                                  alignments_.begin() + static_cast<std::ptrdiff_t>(e));
}

NormalizedString NormalizedString::slice(std::size_t begin, std::size_t end) const {
  NormalizedString s;
  s.normalized_ = normalized_.substr(begin, end - begin);
  s.alignments_.assign(alignments_.begin() + static_cast<std::ptrdiff_t>(begin),
                       alignments_.begin() + static_cast<std::ptrdiff_t>(end));
  s.original_shift_ = begin < end ? alignments_[begin].first : original_shift_;
  return s;
}

std::vector<NormalizedString> NormalizedString::split(const Pattern& pattern, SplitBehavior behavior,
                                                      bool invert) const {
  std::vector<Piece> pieces = pattern.find_matches(normalized_);
  if (invert)
    for (Piece& p : pieces) p.match = !p.match;
  std::vector<Piece> keep;  // match here means "remove"
  keep.reserve(pieces.size());
  bool previous_match = false;
  switch (behavior) {
    case SplitBehavior::Removed:
      keep = std::move(pieces);
      break;
    case SplitBehavior::Isolated:
      for (const Piece& p : pieces) keep.push_back({p.begin, p.end, false});
      break;
    case SplitBehavior::Contiguous:
      for (const Piece& p : pieces) {
        if (p.match == previous_match && !keep.empty())
          keep.back().end = p.end;
        else
          keep.push_back({p.begin, p.end, false});
        previous_match = p.match;
      }
      break;
    case SplitBehavior::MergedWithPrevious:
      for (const Piece& p : pieces) {
        if (p.match && !previous_match && !keep.empty())
          keep.back().end = p.end;
        else
          keep.push_back({p.begin, p.end, false});
        previous_match = p.match;
      }
      break;
    case SplitBehavior::MergedWithNext:
      for (auto it = pieces.rbegin(); it != pieces.rend(); ++it) {
        if (it->match && !previous_match && !keep.empty())
          keep.back().begin = it->begin;
        else
          keep.push_back({it->begin, it->end, false});
        previous_match = it->match;
      }
      std::reverse(keep.begin(), keep.end());
      break;
  }
  std::vector<NormalizedString> out;
  out.reserve(keep.size());
  for (const Piece& p : keep)
    if (!p.match) out.push_back(slice(p.begin, p.end));
  return out;
}

void NormalizedString::to_byte_level() {
  std::string out;
  std::vector<Span> align;
  out.reserve(normalized_.size() * 2);
  align.reserve(normalized_.size() * 2);
  for (std::size_t i = 0; i < normalized_.size();) {
    const std::size_t n = utf8_seq_len(static_cast<unsigned char>(normalized_[i]));
    for (std::size_t k = 0; k < n; ++k) {
      // The first byte replaces the char (its first byte's alignment); the others are insertions that take the
      // alignment of the byte before the insertion point, i.e. the char's last byte.
      const Span span = k == 0 ? alignments_[i] : alignments_[i + n - 1];
      const std::string_view mapped = byte_to_char(static_cast<unsigned char>(normalized_[i + k]));
      out.append(mapped);
      align.insert(align.end(), mapped.size(), span);
    }
    i += n;
  }
  normalized_ = std::move(out);
  alignments_ = std::move(align);
}

}  // namespace hl::tok
