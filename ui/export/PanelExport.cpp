#include "ui/export/PanelExport.h"

#include <QFileInfo>
#include <QPalette>
#include <QWidget>
#include <algorithm>
#include <qcustomplot.h>
#include <vector>

#include "ui/export/FigureWriter.h"
#include "ui/Theme.h"

namespace hl::ui {

namespace {

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

bool fail(QString* error, const QString& message) {
  if (error) *error = message;
  return false;
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
  const QString name = widget.windowTitle().isEmpty() ? widget.objectName() : widget.windowTitle();
  const Figure figure{widget.size(), QStringLiteral("HybridLens — %1").arg(name), QString(),
                      [&widget](QPainter& p) {
                        widget.render(&p, QPoint(), QRegion(), QWidget::DrawWindowBackground | QWidget::DrawChildren);
                      },
                      QStringLiteral("the panel")};
  return writeFigure(figure, path, scale, error);
}

}  // namespace hl::ui
