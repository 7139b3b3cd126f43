#include "ui/ExportActions.h"

#include <QMenu>
#include <utility>
#include <vector>

#include "ui/FileActions.h"
#include "ui/MainWindow.h"
#include "ui/SlideOptionsDialog.h"
#include "ui/models/TokenDeltaModel.h"

namespace hl::ui {

namespace {

using Panel = MainWindow::Panel;

QString panelTitle(Panel panel) {
  switch (panel) {
    case Panel::Categories: return MainWindow::tr("Categories chart");
    case Panel::LayerStacks: return MainWindow::tr("Layer stacks");
    case Panel::StateNorms: return MainWindow::tr("State norms");
    case Panel::SideBySide: break;
  }
  return MainWindow::tr("Side by side");
}

QString panelFileStem(Panel panel) { return panelTitle(panel).toLower().replace(QLatin1Char(' '), QLatin1Char('_')); }

struct Format {
  QString label, suffix;
};

const std::vector<Format>& figureFormats() {
  static const std::vector<Format> formats = {{MainWindow::tr("PNG image (2×)…"), QStringLiteral("png")},
                                              {MainWindow::tr("SVG…"), QStringLiteral("svg")},
                                              {MainWindow::tr("PDF…"), QStringLiteral("pdf")}};
  return formats;
}

const std::vector<Format>& reportFormats() {
  static const std::vector<Format> formats = {{MainWindow::tr("JSON…"), QStringLiteral("json")},
                                              {MainWindow::tr("CSV…"), QStringLiteral("csv")},
                                              {MainWindow::tr("HTML…"), QStringLiteral("html")}};
  return formats;
}

// One entry per format; `stem.suffix` is the suggested file name.
void addFormatEntries(QMenu* menu, const std::vector<Format>& formats, MainWindow& window, const QString& title,
                      const QString& stem, const FileAction& save) {
  for (const auto& [label, suffix] : formats)
    menu->addAction(label, &window, [&window, title, stem, suffix, save] {
      saveWithDialog(window, title, QStringLiteral("%1.%2").arg(stem, suffix), save);
    });
}

void exportSlideAsked(MainWindow& window) {
  const TokenDeltaModel* units = window.tokenModel();
  const auto request = askForSlide(&window, MainWindow::tr("%1 vs %2").arg(units->hybridName(), units->referenceName()));
  if (!request) return;
  saveWithDialog(window, MainWindow::tr("Export slide"), QStringLiteral("slide.%1").arg(request->suffix),
                 [&window, options = request->options](const QString& path, QString* error) {
                   return window.exportSlide(path, options, error);
                 });
}

}  // namespace

void addExportMenus(QMenu* file, MainWindow& window) {
  addFormatEntries(file->addMenu(MainWindow::tr("&Export token view")), figureFormats(), window,
                   MainWindow::tr("Export token view"), QStringLiteral("tokens"),
                   [&window](const QString& path, QString* error) { return window.exportTokenView(path, error); });
  QAction* slide = file->addAction(MainWindow::tr("Export &slide (title, legend, callout, caption)…"), &window,
                                   [&window] { exportSlideAsked(window); });
  slide->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
  QMenu* panels = file->addMenu(MainWindow::tr("Export &panel"));
  panels->setObjectName(QStringLiteral("exportPanelMenu"));
  for (Panel panel : MainWindow::kPanels)
    addFormatEntries(panels->addMenu(panelTitle(panel)), figureFormats(), window,
                     MainWindow::tr("Export %1").arg(panelTitle(panel)), panelFileStem(panel),
                     [&window, panel](const QString& path, QString* error) { return window.exportPanel(panel, path, error); });
  addFormatEntries(file->addMenu(MainWindow::tr("Export &report")), reportFormats(), window,
                   MainWindow::tr("Export report"), QStringLiteral("report"),
                   [&window](const QString& path, QString* error) { return window.exportReport(path, error); });
}

}  // namespace hl::ui
