#pragma once
// The token view's colour scales other than Δ (core/analysis/colour/delta_colour.h), value → colour, without Qt:
// sequential ramps for a model's NLL and entropy, GLTR-style rank buckets, token categories, plus the two rules
// every scale shares: the ink that stays readable on a background, and the faded look of a unit outside the
// category filter. Every palette is colour-blind safe: the ramps order by lightness (ColorBrewer sequential
// schemes), the categorical ones are Okabe & Ito's eight colours (distinguishable with every common colour-vision
// deficiency).
#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/analysis/colour/delta_colour.h"

namespace hl::analysis {

constexpr bool operator==(const Rgb& a, const Rgb& b) { return a.r == b.r && a.g == b.g && a.b == b.b; }

// ---- sequential ramps ----

// Colours at evenly spaced points of [0, max], interpolated linearly in RGB between neighbours; the first stop is the
// light end (small values), the last the dark end (large values).
struct SequentialPalette {
  std::string_view name;
  std::span<const Rgb> stops;
};

extern const SequentialPalette kNllPalette;      // ColorBrewer YlOrRd (9): light yellow → dark red
extern const SequentialPalette kEntropyPalette;  // ColorBrewer Purples (9): near white → dark purple

// nullopt for NaN / infinite values (no background). Values ≤ 0 take the first stop, values ≥ max the last; max ≤ 0
// puts every positive value at the last stop.
std::optional<Rgb> sequential_colour(double value, double max, const SequentialPalette& palette);

// ---- rank buckets (GLTR: Gehrmann, Strobelt & Rush 2019) ----

// Where the actual token stood in the model's prediction: top 1, top 10, top 100, top 1000, or beyond.
enum class RankBucket { top1, top10, top100, top1000, beyond };
inline constexpr int kRankBucketCount = 5;

// rank is 0-based (0: the model's top guess). nullopt for a negative rank (the token was not predicted).
std::optional<RankBucket> rank_bucket(int rank);
Rgb rank_bucket_colour(RankBucket bucket);  // Okabe–Ito: bluish green, sky blue, yellow, vermillion, reddish purple
std::string_view rank_bucket_label(RankBucket bucket);  // "top 1", "top 10", "top 100", "top 1000", "beyond"

// ---- token categories ----

// A unit carries many labels (docs/categories.md); its colour is that of the first class, in this order, that one of
// its labels belongs to. Structure before words: a bracket is a delimiter before it is punctuation, and an
// identifier in code is code before it is an open-class word.
enum class CategoryClass { delimiter, code, function_word, open_word, number, punctuation, whitespace, other };
inline constexpr int kCategoryClassCount = 8;

CategoryClass category_class(std::span<const std::string> labels);
Rgb category_class_colour(CategoryClass c);
std::string_view category_class_name(CategoryClass c);  // "delimiter", "code", "function word", ...
std::string_view category_class_labels(CategoryClass c);  // the labels it covers, for the legend's tooltip

// ---- shared rules ----

// WCAG 2: white ink has the higher contrast on the background exactly when its relative luminance is below ≈ 0.179.
bool prefers_white_ink(const Rgb& background);

// A unit outside the category filter: its background moved most of the way to white, so the units in the filter
// stand out while the dimmed ones still show their colour and stay readable under kDimmedInk.
Rgb faded(const Rgb& background);
inline constexpr double kFadedKeep = 0.25;          // share of the colour a faded background keeps
inline constexpr Rgb kDimmedInk{120, 120, 120};     // on a faded background: ≥ 2.8:1 on the darkest, 4.4:1 on white
inline constexpr Rgb kUnscoredInk{110, 110, 110};   // a unit without a value (no background)
inline constexpr Rgb kDimmedUnscoredInk{175, 175, 175};

}  // namespace hl::analysis
