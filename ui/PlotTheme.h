#pragma once
// QCustomPlot draws on white with black axes unless told otherwise: this sets a plot's chrome (background, axes,
// tick labels, axis labels, grid, colour-scale axes, legend) from a widget palette, so the plots follow the theme.
// Call it when the plot is built and again on QEvent::PaletteChange; data colours are left to the caller.
#include <QColor>

class QCustomPlot;
class QPalette;

namespace hl::ui {

void applyPlotTheme(QCustomPlot* plot, const QPalette& palette);
// The colour for lines and marks that must read like text (error bars, a mean line, a zero line).
QColor plotInk(const QPalette& palette);

}  // namespace hl::ui
