#include "ui/DeltaColourScale.h"

#include <algorithm>
#include <cmath>

namespace hl::ui {

QColor DeltaColourScale::colour(double delta, double limit) {
  const auto c = analysis::delta_colour(delta, limit);
  return c ? QColor(c->r, c->g, c->b) : QColor();
}

QColor DeltaColourScale::textColour(double delta, double limit) {
  const QColor bg = colour(delta, limit);
  if (!bg.isValid()) return QColor(Qt::black);
  return prefersWhiteInk(bg.red(), bg.green(), bg.blue()) ? QColor(Qt::white) : QColor(Qt::black);
}

bool DeltaColourScale::prefersWhiteInk(int r, int g, int b) {
  // WCAG relative luminance L; contrast with white (1.05 / (L + 0.05)) beats contrast with black ((L + 0.05) / 0.05)
  // exactly when L < sqrt(1.05 * 0.05) - 0.05 ≈ 0.179.
  auto linear = [](int c) {
    const double v = c / 255.0;
    return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
  };
  const double l = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  return l < 0.17913;
}

}  // namespace hl::ui
