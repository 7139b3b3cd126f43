#pragma once
// Any panel of the window (categories chart, layer stacks, state norms, side by side) as a figure: PNG (2× by
// default), SVG or PDF by the file's suffix, through one function for every widget.
//
// Choice: QWidget::render for all panels, rather than QCustomPlot's savePng/savePdf for the two plot panels, so that a
// panel exports with everything it shows (the chart's caption, the state-norm view's layer box, the side-by-side
// titles and legend) and the three formats behave the same for every panel. What that costs: QCustomPlot paints from
// a pixmap buffer, so its plots are raster images inside the SVG and PDF; the export raises the buffers to the PNG
// scale while it renders, so they are as sharp as the PNG (2×) in every format.
#include <QString>
#include <QtGlobal>

class QWidget;

namespace hl::ui {

// The widget as laid out now, on white with the light theme's palette (exportPalette(), ui/Theme.h) whatever the
// theme; the widget gets its own look back afterwards. False with *error (one line) on failure.
bool exportWidget(QWidget& widget, const QString& path, QString* error = nullptr, qreal pngScale = 2.0);

}  // namespace hl::ui
