#include "ui/export/FigureWriter.h"

#include <QFileInfo>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>
#include <cmath>

namespace hl::ui {

namespace {

bool fail(QString* error, const QString& message) {
  if (error) *error = message;
  return false;
}

// Begins painting on `device` over white, paints the figure and ends; false when the device cannot be written.
bool paintOn(QPaintDevice& device, const Figure& figure) {
  QPainter p;
  if (!p.begin(&device)) return false;
  p.setRenderHint(QPainter::Antialiasing);
  p.setRenderHint(QPainter::TextAntialiasing);
  p.fillRect(QRect(QPoint(0, 0), figure.size), Qt::white);
  figure.paint(p);
  return p.end();
}

}  // namespace

QImage renderFigure(const Figure& figure, qreal scale, QString* error) {
  const QSize pixels = (QSizeF(figure.size) * scale).toSize();
  if (pixels.width() > kMaxFigureSide || pixels.height() > kMaxFigureSide) {
    fail(error, QStringLiteral("%1 is too large for one PNG image (%2 × %3 px); export PDF instead")
                    .arg(figure.what)
                    .arg(pixels.width())
                    .arg(pixels.height()));
    return {};
  }
  QImage image(pixels, QImage::Format_ARGB32_Premultiplied);
  image.setDevicePixelRatio(scale);
  image.fill(Qt::white);
  paintOn(image, figure);
  return image;
}

bool writeFigurePng(const Figure& figure, const QString& path, qreal scale, QString* error) {
  QString why;
  const QImage image = renderFigure(figure, scale, &why);
  if (image.isNull()) return fail(error, QStringLiteral("%1: %2").arg(path, why));
  return image.save(path, "PNG") || fail(error, QStringLiteral("%1: cannot write the PNG file").arg(path));
}

bool writeFigureSvg(const Figure& figure, const QString& path, QString* error) {
  QSvgGenerator svg;
  svg.setFileName(path);
  svg.setSize(figure.size);
  svg.setViewBox(QRect(QPoint(0, 0), figure.size));
  svg.setResolution(96);
  svg.setTitle(figure.title);
  svg.setDescription(figure.description);
  return paintOn(svg, figure) || fail(error, QStringLiteral("%1: cannot write the SVG file").arg(path));
}

bool writeFigurePdf(const Figure& figure, const QString& path, QString* error) {
  QPdfWriter pdf(path);
  pdf.setTitle(figure.title);
  pdf.setCreator(QStringLiteral("HybridLens"));
  pdf.setResolution(96);  // one device pixel per logical pixel
  pdf.setPageLayout(QPageLayout(QPageSize(QSizeF(figure.size) * 0.75, QPageSize::Point), QPageLayout::Portrait,
                                QMarginsF(0, 0, 0, 0)));
  return paintOn(pdf, figure) || fail(error, QStringLiteral("%1: cannot write the PDF file").arg(path));
}

bool writeFigure(const Figure& figure, const QString& path, qreal pngScale, QString* error) {
  const QString suffix = QFileInfo(path).suffix().toLower();
  if (suffix == QLatin1String("png")) return writeFigurePng(figure, path, pngScale, error);
  if (suffix == QLatin1String("svg")) return writeFigureSvg(figure, path, error);
  if (suffix == QLatin1String("pdf")) return writeFigurePdf(figure, path, error);
  return fail(error, QStringLiteral("%1: %2 exports as .png, .svg or .pdf").arg(path, figure.what));
}

}  // namespace hl::ui
