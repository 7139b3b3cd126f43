#include "core/analysis/colour/colour_scales.h"

#include <algorithm>
#include <cmath>

#include "core/analysis/categories/labels.h"

namespace hl::analysis {

namespace {

constexpr Rgb kYlOrRd[] = {{255, 255, 204}, {255, 237, 160}, {254, 217, 118}, {254, 178, 76}, {253, 141, 60},
                           {252, 78, 42},   {227, 26, 28},   {189, 0, 38},    {128, 0, 38}};
constexpr Rgb kPurples[] = {{252, 251, 253}, {239, 237, 245}, {218, 218, 235}, {188, 189, 220}, {158, 154, 200},
                            {128, 125, 186}, {106, 81, 163},  {84, 39, 143},   {63, 0, 125}};

// Okabe & Ito (2008), "Color Universal Design".
constexpr Rgb kOkabeOrange{230, 159, 0}, kOkabeSkyBlue{86, 180, 233}, kOkabeBluishGreen{0, 158, 115},
    kOkabeYellow{240, 228, 66}, kOkabeBlue{0, 114, 178}, kOkabeVermillion{213, 94, 0},
    kOkabeReddishPurple{204, 121, 167};
constexpr Rgb kWhitespaceGrey{221, 221, 221};  // whitespace has no ink to read: a quiet colour keeps it out of the way

int lerp_channel(int a, int b, double t) { return static_cast<int>(std::lround(a + t * (b - a))); }

// sRGB channel → linear light, tabulated once: the ink test runs per unit on every re-colouring.
const std::array<double, 256>& linear_table() {
  static const std::array<double, 256> table = [] {
    std::array<double, 256> t{};
    for (int c = 0; c < 256; ++c) {
      const double v = c / 255.0;
      t[static_cast<std::size_t>(c)] = v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    }
    return t;
  }();
  return table;
}

}  // namespace

const SequentialPalette kNllPalette{"YlOrRd", kYlOrRd};
const SequentialPalette kEntropyPalette{"Purples", kPurples};

std::optional<Rgb> sequential_colour(double value, double max, const SequentialPalette& palette) {
  if (!std::isfinite(value) || palette.stops.empty()) return std::nullopt;
  const double t = max > 0 ? std::clamp(value / max, 0.0, 1.0) : (value > 0 ? 1.0 : 0.0);
  const double x = t * static_cast<double>(palette.stops.size() - 1);
  const std::size_t i = std::min(static_cast<std::size_t>(x), palette.stops.size() - 1);
  if (i + 1 >= palette.stops.size()) return palette.stops.back();
  const double f = x - static_cast<double>(i);
  const Rgb& a = palette.stops[i];
  const Rgb& b = palette.stops[i + 1];
  return Rgb{lerp_channel(a.r, b.r, f), lerp_channel(a.g, b.g, f), lerp_channel(a.b, b.b, f)};
}

std::optional<RankBucket> rank_bucket(int rank) {
  if (rank < 0) return std::nullopt;
  if (rank < 1) return RankBucket::top1;
  if (rank < 10) return RankBucket::top10;
  if (rank < 100) return RankBucket::top100;
  if (rank < 1000) return RankBucket::top1000;
  return RankBucket::beyond;
}

Rgb rank_bucket_colour(RankBucket bucket) {
  switch (bucket) {
    case RankBucket::top1: return kOkabeBluishGreen;
    case RankBucket::top10: return kOkabeSkyBlue;
    case RankBucket::top100: return kOkabeYellow;
    case RankBucket::top1000: return kOkabeVermillion;
    case RankBucket::beyond: return kOkabeReddishPurple;
  }
  return kOkabeReddishPurple;
}

std::string_view rank_bucket_label(RankBucket bucket) {
  switch (bucket) {
    case RankBucket::top1: return "top 1";
    case RankBucket::top10: return "top 10";
    case RankBucket::top100: return "top 100";
    case RankBucket::top1000: return "top 1000";
    case RankBucket::beyond: return "beyond";
  }
  return "beyond";
}

CategoryClass category_class(std::span<const std::string> labels) {
  bool seen[kCategoryClassCount] = {};
  for (const std::string& l : labels) {
    if (l.starts_with("delim:")) seen[static_cast<int>(CategoryClass::delimiter)] = true;
    else if (l.starts_with("code:")) seen[static_cast<int>(CategoryClass::code)] = true;
    else if (l == "word:function") seen[static_cast<int>(CategoryClass::function_word)] = true;
    else if (l == "word:open") seen[static_cast<int>(CategoryClass::open_word)] = true;
    else if (l == "shape:number") seen[static_cast<int>(CategoryClass::number)] = true;
    else if (l == "shape:punctuation") seen[static_cast<int>(CategoryClass::punctuation)] = true;
    else if (l == "shape:whitespace" || l == "shape:newline") seen[static_cast<int>(CategoryClass::whitespace)] = true;
  }
  for (int c = 0; c < kCategoryClassCount; ++c)
    if (seen[c]) return static_cast<CategoryClass>(c);
  return CategoryClass::other;
}

Rgb category_class_colour(CategoryClass c) {
  switch (c) {
    case CategoryClass::delimiter: return kOkabeOrange;
    case CategoryClass::code: return kOkabeSkyBlue;
    case CategoryClass::function_word: return kOkabeBluishGreen;
    case CategoryClass::open_word: return kOkabeYellow;
    case CategoryClass::number: return kOkabeBlue;
    case CategoryClass::punctuation: return kOkabeVermillion;
    case CategoryClass::whitespace: return kWhitespaceGrey;
    case CategoryClass::other: return kOkabeReddishPurple;
  }
  return kOkabeReddishPurple;
}

std::string_view category_class_name(CategoryClass c) {
  switch (c) {
    case CategoryClass::delimiter: return "delimiter";
    case CategoryClass::code: return "code";
    case CategoryClass::function_word: return "function word";
    case CategoryClass::open_word: return "open word";
    case CategoryClass::number: return "number";
    case CategoryClass::punctuation: return "punctuation";
    case CategoryClass::whitespace: return "whitespace";
    case CategoryClass::other: return "other";
  }
  return "other";
}

std::string_view category_class_labels(CategoryClass c) {
  switch (c) {
    case CategoryClass::delimiter: return "delim:*";
    case CategoryClass::code: return "code:*";
    case CategoryClass::function_word: return "word:function";
    case CategoryClass::open_word: return "word:open";
    case CategoryClass::number: return "shape:number";
    case CategoryClass::punctuation: return "shape:punctuation";
    case CategoryClass::whitespace: return "shape:whitespace, shape:newline";
    case CategoryClass::other: return "none of the above";
  }
  return "";
}

bool prefers_white_ink(const Rgb& c) {
  const auto& lin = linear_table();
  auto at = [&lin](int v) { return lin[static_cast<std::size_t>(std::clamp(v, 0, 255))]; };
  const double l = 0.2126 * at(c.r) + 0.7152 * at(c.g) + 0.0722 * at(c.b);
  return l < 0.17913;  // contrast with white (1.05 / (L + 0.05)) beats black ((L + 0.05) / 0.05) below sqrt(0.0525) − 0.05
}

Rgb faded(const Rgb& c) {
  return {lerp_channel(255, c.r, kFadedKeep), lerp_channel(255, c.g, kFadedKeep), lerp_channel(255, c.b, kFadedKeep)};
}

}  // namespace hl::analysis
