#include "core/text/utf8.h"

#include <algorithm>
#include <iterator>

namespace hl {

char32_t next_char(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  const std::size_t n = utf8_seq_len(b0);
  char32_t c = n == 1 ? b0 : n == 2 ? (b0 & 0x1F) : n == 3 ? (b0 & 0x0F) : (b0 & 0x07);
  for (std::size_t k = 1; k < n; ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += n;
  return c;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

namespace {

// Length of the valid sequence at in[i], or 0 with *bad set to the maximal invalid subpart length (>= 1).
std::size_t valid_sequence(std::string_view in, std::size_t i, std::size_t* bad) {
  const auto at = [&](std::size_t k) { return static_cast<unsigned char>(in[k]); };
  const unsigned char b0 = at(i);
  if (b0 < 0x80) return 1;
  std::size_t need;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte (Unicode Table 3-7)
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    *bad = 1;
    return 0;
  }
  std::size_t k = 1;
  for (; k < need; ++k) {
    if (i + k >= in.size()) break;
    const unsigned char b = at(i + k);
    const bool ok = k == 1 ? (b >= lo && b <= hi) : (b >= 0x80 && b <= 0xBF);
    if (!ok) break;
  }
  if (k == need) return need;
  *bad = k;
  return 0;
}

}  // namespace

std::size_t repair_utf8(std::string_view in, std::string& out, std::vector<Utf8Fix>* fixes) {
  out.clear();
  out.reserve(in.size());
  std::size_t replaced = 0;
  for (std::size_t i = 0; i < in.size();) {
    std::size_t bad = 0;
    const std::size_t n = valid_sequence(in, i, &bad);
    if (n) {
      out.append(in.substr(i, n));
      i += n;
    } else {
      if (fixes) fixes->push_back({out.size(), i, bad});
      out.append("\xEF\xBF\xBD");
      ++replaced;
      i += bad;
    }
  }
  return replaced;
}

std::size_t original_offset(const std::vector<Utf8Fix>& fixes, std::size_t repaired) {
  constexpr std::size_t kReplacementLen = 3;
  // After the last fix before the offset, both texts advance in step.
  const auto after = std::partition_point(fixes.begin(), fixes.end(), [&](const Utf8Fix& f) { return f.repaired < repaired; });
  if (after == fixes.begin()) return repaired;
  const Utf8Fix& f = *std::prev(after);
  return repaired - (f.repaired + kReplacementLen) + f.original + f.original_len;
}

CharOffsetConverter::CharOffsetConverter(std::string_view text) {
  char_of_byte_.resize(text.size());
  std::uint32_t ch = 0;
  for (std::size_t i = 0; i < text.size(); ++ch) {
    const std::size_t n = utf8_seq_len(static_cast<unsigned char>(text[i]));
    for (std::size_t k = 0; k < n && i < text.size(); ++k) char_of_byte_[i++] = ch;
  }
}

std::pair<std::size_t, std::size_t> CharOffsetConverter::convert(std::pair<std::size_t, std::size_t> b) const {
  const std::size_t n = char_of_byte_.size();
  if (b.first >= n) return b;  // HF leaves offsets it cannot map untouched
  const std::size_t start = char_of_byte_[b.first];
  if (b.second < n) return {start, char_of_byte_[b.second]};
  // The end is past the last byte: HF looks at the byte just before it.
  const std::size_t last = b.second >= 1 && b.second - 1 < n ? char_of_byte_[b.second - 1] : start;
  return {start, last + 1};
}

char32_t decode_utf8_at(std::string_view s, std::size_t& i) {
  const auto lead = static_cast<unsigned char>(s[i]);
  if (lead < 0x80) {
    ++i;
    return lead;
  }
  std::size_t len = lead >= 0xC2 && lead < 0xE0 ? 2 : lead >= 0xE0 && lead < 0xF0 ? 3 : lead >= 0xF0 && lead < 0xF5 ? 4 : 0;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t c = lead & (0xFF >> (len + 1));
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    c = (c << 6) | (b & 0x3F);
  }
  const bool overlong = (len == 3 && c < 0x800) || (len == 4 && c < 0x10000);
  if (overlong || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
    ++i;
    return 0xFFFD;
  }
  i += len;
  return c;
}

std::string valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t start = i;
    const char32_t c = decode_utf8_at(s, i);
    if (c == 0xFFFD && !(i - start == 3 && s.substr(start, 3) == "\xEF\xBF\xBD"))
      out += "\xEF\xBF\xBD";
    else
      out.append(s.substr(start, i - start));
  }
  return out;
}

}  // namespace hl
