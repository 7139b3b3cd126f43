#include "core/text/unicode.h"

#include <unicode/normalizer2.h>
#include <unicode/stringpiece.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <optional>

#include "core/text/utf8.h"

namespace hl {

bool is_whitespace(char32_t c) { return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x80 && u_isUWhiteSpace(c)); }

bool is_word_char(char32_t c) {
  if (c < 0x80) return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  const auto mask = U_GET_GC_MASK(c);
  return u_isUAlphabetic(c) || (mask & (U_GC_M_MASK | U_GC_ND_MASK | U_GC_PC_MASK)) ||
         u_hasBinaryProperty(c, UCHAR_JOIN_CONTROL);
}

bool is_numeric(char32_t c) {
  if (c < 0x80) return c >= '0' && c <= '9';
  return (U_GET_GC_MASK(c) & (U_GC_ND_MASK | U_GC_NL_MASK | U_GC_NO_MASK)) != 0;
}

bool is_punctuation(char32_t c) {
  if (c < 0x80) return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) ||
                       (c >= 0x7B && c <= 0x7E);
  return (U_GET_GC_MASK(c) & U_GC_P_MASK) != 0;
}

namespace {

const icu::Normalizer2& instance(NormalForm form) {
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* n = nullptr;
  switch (form) {
    case NormalForm::NFC: n = icu::Normalizer2::getNFCInstance(err); break;
    case NormalForm::NFD: n = icu::Normalizer2::getNFDInstance(err); break;
    case NormalForm::NFKC: n = icu::Normalizer2::getNFKCInstance(err); break;
    case NormalForm::NFKD: n = icu::Normalizer2::getNFKDInstance(err); break;
  }
  return *n;
}

struct Pending {
  char32_t c;
  int change;
  std::uint8_t ccc;
};

// Full decomposition, char by char: the first output char of an input char replaces it, the others are insertions.
// Runs of non-starters are then stably sorted by combining class, the changes moving with their chars.
std::vector<Pending> decompose(std::string_view s, bool compat) {
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2& nfd = *(compat ? icu::Normalizer2::getNFKDInstance(err) : icu::Normalizer2::getNFDInstance(err));
  std::vector<Pending> out;
  out.reserve(s.size());
  icu::UnicodeString d;
  for (std::size_t i = 0; i < s.size();) {
    const char32_t c = next_char(s, i);
    if (c < 0xA0 || !nfd.getDecomposition(static_cast<UChar32>(c), d)) {
      out.push_back({c, 0, static_cast<std::uint8_t>(c < 0x300 ? 0 : u_getCombiningClass(c))});
      continue;
    }
    int change = 0;
    for (int32_t k = 0; k < d.length();) {
      const UChar32 x = d.char32At(k);
      k += U16_LENGTH(x);
      out.push_back({static_cast<char32_t>(x), change, u_getCombiningClass(x)});
      change = 1;
    }
  }
  for (std::size_t i = 0; i < out.size();) {
    if (out[i].ccc == 0) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < out.size() && out[j].ccc != 0) ++j;
    std::stable_sort(out.begin() + static_cast<std::ptrdiff_t>(i), out.begin() + static_cast<std::ptrdiff_t>(j),
                     [](const Pending& a, const Pending& b) { return a.ccc < b.ccc; });
    i = j;
  }
  return out;
}

std::optional<char32_t> compose_pair(const icu::Normalizer2& nfc, char32_t a, char32_t b) {
  if (b < 0x300) return std::nullopt;  // no canonical composition has a second character below U+0300
  const UChar32 r = nfc.composePair(static_cast<UChar32>(a), static_cast<UChar32>(b));
  if (r < 0) return std::nullopt;
  return static_cast<char32_t>(r);
}

// The canonical composition state machine of the unicode-normalization crate, carrying alignment changes: composing
// k with ch leaves one char in place of two, hence k.change + ch.change - 1.
std::vector<CharChange> compose(const std::vector<Pending>& in) {
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2& nfc = *icu::Normalizer2::getNFCInstance(err);
  std::vector<CharChange> out;
  out.reserve(in.size());
  std::optional<CharChange> composee;
  std::optional<std::uint8_t> last_ccc;
  std::vector<CharChange> buffer;
  const auto flush = [&] {
    out.insert(out.end(), buffer.begin(), buffer.end());
    buffer.clear();
  };
  for (const Pending& p : in) {
    const CharChange ch{p.c, p.change};
    if (!composee) {
      if (p.ccc != 0) {
        out.push_back(ch);
        continue;
      }
      composee = ch;
      continue;
    }
    const CharChange k = *composee;
    if (last_ccc && *last_ccc >= p.ccc) {  // ch is blocked from the composee
      if (p.ccc == 0) {
        out.push_back(k);
        flush();
        composee = ch;
        last_ccc.reset();
        continue;
      }
      buffer.push_back(ch);
      last_ccc = p.ccc;
      continue;
    }
    if (const auto r = compose_pair(nfc, k.first, p.c)) {
      composee = CharChange{*r, k.second + ch.second - 1};
      continue;
    }
    if (!last_ccc && p.ccc == 0) {
      out.push_back(k);
      composee = ch;
      continue;
    }
    buffer.push_back(ch);
    last_ccc = p.ccc;
  }
  if (composee) out.push_back(*composee);
  flush();
  return out;
}

}  // namespace

bool is_normalized(std::string_view utf8, NormalForm form) {
  const bool ascii = std::all_of(utf8.begin(), utf8.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii) return true;
  UErrorCode err = U_ZERO_ERROR;
  const bool yes = instance(form).isNormalizedUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())), err);
  return U_SUCCESS(err) && yes;
}

std::vector<CharChange> normalize(std::string_view utf8, NormalForm form) {
  const bool compat = form == NormalForm::NFKC || form == NormalForm::NFKD;
  std::vector<Pending> d = decompose(utf8, compat);
  if (form == NormalForm::NFC || form == NormalForm::NFKC) return compose(d);
  std::vector<CharChange> out;
  out.reserve(d.size());
  for (const Pending& p : d) out.emplace_back(p.c, p.change);
  return out;
}

std::vector<CharChange> lowercase(std::string_view utf8) {
  std::vector<CharChange> out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    const char32_t c = next_char(utf8, i);
    if (c == 0x130) {  // the one unconditional multi-char lowercase mapping: İ -> i + combining dot above
      out.emplace_back(U'i', 0);
      out.emplace_back(0x307, 1);
    } else {
      out.emplace_back(static_cast<char32_t>(u_tolower(static_cast<UChar32>(c))), 0);
    }
  }
  return out;
}

}  // namespace hl
