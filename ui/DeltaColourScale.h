#pragma once
// The Δ colour scale the token view, its legend and the exports share. It is the scale of the HTML report
// (core/analysis/report_html.cpp, gap_colour): colour-blind safe and diverging, orange rgb(230,97,1) where the
// reference predicted better (Δ < 0), white at 0, blue rgb(33,102,172) where the hybrid predicted better (Δ > 0),
// linear in |Δ| and saturating at ±limit. Core keeps that function private, so it is restated here; keep both equal.
#include <QColor>

namespace hl::ui {

struct DeltaColourScale {
  static constexpr int kReferenceBetter[3] = {230, 97, 1};
  static constexpr int kHybridBetter[3] = {33, 102, 172};

  // NaN / infinite Δ (an unscored unit): an invalid QColor, drawn as no background.
  static QColor colour(double delta, double limit);
  // Black or white, whichever has the higher WCAG contrast on colour(delta, limit).
  static QColor textColour(double delta, double limit);
  static bool prefersWhiteInk(int r, int g, int b);
};

}  // namespace hl::ui
