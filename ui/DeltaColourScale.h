#pragma once
// The Δ colour scale the token view, its legend and the exports share: core's (core/analysis/colour/delta_colour.h), the
// same as the HTML report's, as QColors, plus the ink colour that stays readable on it. The other colourings'
// scales are core's too (core/analysis/colour/colour_scales.h); rgb() converts any of their colours.
#include <QColor>

#include "core/analysis/colour/delta_colour.h"

namespace hl::ui {

struct DeltaColourScale {
  static constexpr int kReferenceBetter[3] = {analysis::kReferenceBetterColour.r, analysis::kReferenceBetterColour.g,
                                              analysis::kReferenceBetterColour.b};
  static constexpr int kHybridBetter[3] = {analysis::kHybridBetterColour.r, analysis::kHybridBetterColour.g,
                                           analysis::kHybridBetterColour.b};

  // NaN / infinite Δ (an unscored unit): an invalid QColor, drawn as no background.
  static QColor colour(double delta, double limit);
  // Black or white, whichever has the higher WCAG contrast on colour(delta, limit).
  static QColor textColour(double delta, double limit);
  static bool prefersWhiteInk(int r, int g, int b);  // core's WCAG rule (analysis::prefers_white_ink)
  static QColor rgb(const analysis::Rgb& c) { return QColor(c.r, c.g, c.b); }
};

}  // namespace hl::ui
