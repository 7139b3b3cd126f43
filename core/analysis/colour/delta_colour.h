#pragma once
// The Δ colour scale shared by the HTML report and the GUI: colour-blind safe and diverging, orange rgb(230,97,1)
// where the reference predicted better (Δ < 0), white at 0, blue rgb(33,102,172) where the compared (hybrid) model
// predicted better (Δ > 0), linear in |Δ| and saturating at ±limit.
#include <optional>

namespace hl::analysis {

struct Rgb {
  int r = 255, g = 255, b = 255;
};

inline constexpr Rgb kReferenceBetterColour{230, 97, 1};
inline constexpr Rgb kHybridBetterColour{33, 102, 172};

// nullopt for NaN / infinite Δ (an unscored unit: no background).
std::optional<Rgb> delta_colour(double delta, double limit);

}  // namespace hl::analysis
