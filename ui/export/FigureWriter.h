#pragma once
// A figure of fixed logical size, painted by a function, written as PNG (at a scale), SVG or one-page PDF: what the
// token view's, the slide's and the panels' exports share (the white ground, the PNG size limit, the page of the
// figure's own size, one-line errors), in one place.
#include <QImage>
#include <QSize>
#include <QString>
#include <functional>

class QPainter;

namespace hl::ui {

struct Figure {
  QSize size;                            // logical pixels
  QString title, description;            // SVG and PDF metadata
  std::function<void(QPainter&)> paint;  // paints in logical pixels onto a white ground
  QString what = QStringLiteral("the figure");  // names it in errors: "the slide is too large for one PNG image ..."
};

constexpr int kMaxFigureSide = 30000;  // PNG pixels; a larger figure is refused (PDF has no such limit)

// Null with *error when the figure at `scale` would exceed kMaxFigureSide on a side.
QImage renderFigure(const Figure& figure, qreal scale, QString* error = nullptr);
// Each false with *error (one line) on failure. The PDF is one page of the figure's own size.
bool writeFigurePng(const Figure& figure, const QString& path, qreal scale, QString* error = nullptr);
bool writeFigureSvg(const Figure& figure, const QString& path, QString* error = nullptr);
bool writeFigurePdf(const Figure& figure, const QString& path, QString* error = nullptr);
// By the path's suffix: .png (at pngScale), .svg or .pdf; another suffix is an error.
bool writeFigure(const Figure& figure, const QString& path, qreal pngScale, QString* error = nullptr);

}  // namespace hl::ui
