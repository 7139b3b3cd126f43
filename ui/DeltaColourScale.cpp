#include "ui/DeltaColourScale.h"

#include "core/analysis/colour/colour_scales.h"

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

bool DeltaColourScale::prefersWhiteInk(int r, int g, int b) { return analysis::prefers_white_ink({r, g, b}); }

}  // namespace hl::ui
