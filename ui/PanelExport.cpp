#include "ui/PanelExport.h"

#include <QFileInfo>
#include <QImage>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPalette>
#include <QPdfWriter>
#include <QSvgGenerator>
#include <QWidget>
#include <algorithm>
#include <qcustomplot.h>
#include <vector>

#include "ui/Theme.h"

namespace hl::ui {

namespace {

constexpr int kMaxImageSide = 30000;  // as the token view's and the slide's PNG exports

// For the lifetime of one export: the widget wears the export palette (its PaletteChange handlers restyle their
// plots' chrome, as for a theme switch) and every QCustomPlot in it paints from buffers at the export's scale. The
// destructor gives both back, so the window looks as before.
class ExportLook {
 public:
  ExportLook(QWidget& widget, qreal scale)
      : widget_(widget), ownPalette_(widget.testAttribute(Qt::WA_SetPalette)), palette_(widget.palette()) {
    widget_.setPalette(exportPalette());
    setPlotRatios(scale);
  }
  ~ExportLook() {
    // An empty palette resolves nothing, so the widget inherits the application's (the theme's) again.
    widget_.setPalette(ownPalette_ ? palette_ : QPalette());
    for (std::size_t i = 0; i < plots_.size(); ++i) setRatio(plots_[i], ratios_[i]);
  }
  ExportLook(const ExportLook&) = delete;
  ExportLook& operator=(const ExportLook&) = delete;

 private:
  void setPlotRatios(qreal scale) {
    const auto found = widget_.findChildren<QCustomPlot*>();
    plots_.assign(found.begin(), found.end());
    if (auto* self = qobject_cast<QCustomPlot*>(&widget_)) plots_.push_back(self);
    for (QCustomPlot* plot : plots_) {
      ratios_.push_back(plot->bufferDevicePixelRatio());
      setRatio(plot, scale);
    }
  }
  static void setRatio(QCustomPlot* plot, qreal ratio) {
    plot->setBufferDevicePixelRatio(ratio);
    plot->replot(QCustomPlot::rpImmediateRefresh);  // the buffers are rebuilt now, before render() copies them
  }

  QWidget& widget_;
  bool ownPalette_;
  QPalette palette_;
  std::vector<QCustomPlot*> plots_;
  std::vector<qreal> ratios_;
};

void paintWidget(QWidget& widget, QPainter& painter) {
  painter.fillRect(QRect(QPoint(0, 0), widget.size()), Qt::white);
  widget.render(&painter, QPoint(), QRegion(), QWidget::DrawWindowBackground | QWidget::DrawChildren);
}

bool fail(QString* error, const QString& message) {
  if (error) *error = message;
  return false;
}

bool writePng(QWidget& widget, const QString& path, qreal scale, QString* error) {
  const QSize size = widget.size();
  if (size.width() * scale > kMaxImageSide || size.height() * scale > kMaxImageSide)
    return fail(error, QStringLiteral("%1: the panel is too large for one PNG image; export PDF instead").arg(path));
  QImage image((QSizeF(size) * scale).toSize(), QImage::Format_ARGB32_Premultiplied);
  image.setDevicePixelRatio(scale);
  image.fill(Qt::white);
  {
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    paintWidget(widget, p);
  }
  return image.save(path, "PNG") || fail(error, QStringLiteral("%1: cannot write the PNG file").arg(path));
}

bool writeSvg(QWidget& widget, const QString& path, QString* error) {
  QSvgGenerator svg;
  svg.setFileName(path);
  svg.setSize(widget.size());
  svg.setViewBox(QRect(QPoint(0, 0), widget.size()));
  svg.setResolution(96);
  svg.setTitle(QStringLiteral("HybridLens — %1").arg(widget.windowTitle().isEmpty() ? widget.objectName() : widget.windowTitle()));
  QPainter p;
  if (!p.begin(&svg)) return fail(error, QStringLiteral("%1: cannot write the SVG file").arg(path));
  paintWidget(widget, p);
  return p.end() || fail(error, QStringLiteral("%1: cannot write the SVG file").arg(path));
}

bool writePdf(QWidget& widget, const QString& path, QString* error) {
  QPdfWriter pdf(path);
  pdf.setCreator(QStringLiteral("HybridLens"));
  pdf.setResolution(96);  // one device pixel per logical pixel; one page of the panel's size, as the slide's PDF
  const QSize size = widget.size();
  pdf.setPageLayout(QPageLayout(QPageSize(QSizeF(size.width() * 0.75, size.height() * 0.75), QPageSize::Point),
                                QPageLayout::Portrait, QMarginsF(0, 0, 0, 0)));
  QPainter p;
  if (!p.begin(&pdf)) return fail(error, QStringLiteral("%1: cannot write the PDF file").arg(path));
  paintWidget(widget, p);
  return p.end() || fail(error, QStringLiteral("%1: cannot write the PDF file").arg(path));
}

}  // namespace

bool exportWidget(QWidget& widget, const QString& path, QString* error, qreal pngScale) {
  const QString suffix = QFileInfo(path).suffix().toLower();
  if (suffix != QLatin1String("png") && suffix != QLatin1String("svg") && suffix != QLatin1String("pdf"))
    return fail(error, QStringLiteral("%1: a panel exports as .png, .svg or .pdf").arg(path));
  if (widget.width() <= 0 || widget.height() <= 0)
    return fail(error, QStringLiteral("%1: the panel has no size yet; open it first").arg(path));
  const qreal scale = std::clamp(pngScale, 0.5, 8.0);
  const ExportLook look(widget, scale);
  if (suffix == QLatin1String("png")) return writePng(widget, path, scale, error);
  if (suffix == QLatin1String("svg")) return writeSvg(widget, path, error);
  return writePdf(widget, path, error);
}

}  // namespace hl::ui
