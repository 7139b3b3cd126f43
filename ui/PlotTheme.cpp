#include "ui/PlotTheme.h"

#include <QPalette>
#include <qcustomplot.h>

namespace hl::ui {

QColor plotInk(const QPalette& palette) { return palette.color(QPalette::Text); }

namespace {

void styleAxis(QCPAxis* axis, const QPalette& palette) {
  const QColor ink = plotInk(palette);
  QColor gridColour = palette.color(QPalette::Mid);
  axis->setBasePen(QPen(ink, 0));
  axis->setTickPen(QPen(ink, 0));
  axis->setSubTickPen(QPen(ink, 0));
  axis->setLabelColor(ink);
  axis->setTickLabelColor(ink);
  axis->grid()->setPen(QPen(gridColour, 0, Qt::DotLine));
  gridColour.setAlpha(120);
  axis->grid()->setSubGridPen(QPen(gridColour, 0, Qt::DotLine));
}

}  // namespace

void applyPlotTheme(QCustomPlot* plot, const QPalette& palette) {
  plot->setBackground(palette.brush(QPalette::Base));
  for (QCPAxisRect* rect : plot->axisRects())
    for (QCPAxis* axis : rect->axes()) styleAxis(axis, palette);
  for (QCPLayoutElement* element : plot->plotLayout()->elements(true))
    if (auto* scale = qobject_cast<QCPColorScale*>(element)) styleAxis(scale->axis(), palette);
  if (plot->legend) {
    plot->legend->setBrush(palette.brush(QPalette::Base));
    plot->legend->setTextColor(plotInk(palette));
    plot->legend->setBorderPen(QPen(palette.color(QPalette::Mid)));
  }
}

}  // namespace hl::ui
