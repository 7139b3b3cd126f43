#include "ui/WindowDocks.h"

#include <QCoreApplication>
#include <QDockWidget>
#include <QMainWindow>
#include <QMenu>
#include <QScrollArea>
#include <QStyle>
#include <QTextBrowser>

#include "ui/views/CategoryChart.h"
#include "ui/views/LayerStackView.h"
#include "ui/views/LayersPanel.h"
#include "ui/views/ModelPanel.h"
#include "ui/views/SideBySideView.h"
#include "ui/views/StateNormView.h"
#include "ui/views/UnitTable.h"

namespace hl::ui {

namespace {

// Parts of the window's width and height the docks start with; the rest is the centre's (editor and token view).
constexpr double kLeftShare = 0.16;
constexpr double kRightShare = 0.22;
constexpr double kBottomShare = 0.30;

// Scrolls rather than squeezing its rows: several references do not fit a short dock.
QScrollArea* scrolled(ModelPanel* panel, QWidget* parent) {
  auto* scroll = new QScrollArea(parent);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  scroll->setWidget(panel);
  scroll->setMinimumWidth(panel->minimumSizeHint().width() + scroll->style()->pixelMetric(QStyle::PM_ScrollBarExtent));
  return scroll;
}

}  // namespace

WindowDocks::WindowDocks(QMainWindow& window, TokenDeltaModel* units) : window_(window) {
  window.setDockNestingEnabled(true);
  // The side columns run the full height, so the bottom docks sit under the centre only.
  window.setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
  window.setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
  models_ = new ModelPanel(&window);
  QDockWidget* modelDock = addDock("modelDock", QMainWindow::tr("Models"), scrolled(models_, &window));
  chart_ = new CategoryChart(&window);
  QDockWidget* chartDock = addDock("categoryDock", QMainWindow::tr("Categories"), chart_);
  layers_ = new LayersPanel(&window);
  QDockWidget* layersDock = addDock("layerStackDock", QMainWindow::tr("Layers"), layers_);
  details_ = new QTextBrowser(&window);
  details_->setObjectName(QStringLiteral("unitDetails"));
  details_->setPlaceholderText(QMainWindow::tr("Hover a unit for its card; click one to pin it here."));
  QDockWidget* detailDock = addDock("unitDock", QMainWindow::tr("Pinned unit"), details_);
  table_ = new UnitTable(units, &window);
  QDockWidget* tableDock = addDock("unitTableDock", QMainWindow::tr("Units"), table_);
  stateNorms_ = new StateNormView(&window);
  QDockWidget* stateDock = addDock("stateNormDock", QMainWindow::tr("State norms"), stateNorms_);
  sideBySide_ = new SideBySideView(&window);
  QDockWidget* sideDock = addDock("sideBySideDock", QMainWindow::tr("Side by side"), sideBySide_);

  // Split before tabifying: a dock split off a tabbed group joins the group instead.
  window.addDockWidget(Qt::LeftDockWidgetArea, modelDock);
  window.addDockWidget(Qt::LeftDockWidgetArea, tableDock);  // under the models, where their panel leaves room
  window.splitDockWidget(modelDock, tableDock, Qt::Vertical);
  window.addDockWidget(Qt::RightDockWidgetArea, chartDock);
  window.addDockWidget(Qt::RightDockWidgetArea, detailDock);
  window.splitDockWidget(chartDock, detailDock, Qt::Vertical);
  window.tabifyDockWidget(chartDock, layersDock);
  window.addDockWidget(Qt::BottomDockWidgetArea, stateDock);
  window.tabifyDockWidget(stateDock, sideDock);
  sideDock->hide();  // opened from the View menu
  for (QDockWidget* front : {chartDock, stateDock}) front->raise();
  const QSize size = window.size();
  window.resizeDocks({modelDock, chartDock}, {int(kLeftShare * size.width()), int(kRightShare * size.width())},
                     Qt::Horizontal);
  window.resizeDocks({chartDock, detailDock}, {int(0.6 * size.height()), int(0.4 * size.height())}, Qt::Vertical);
  window.resizeDocks({modelDock, tableDock}, {int(0.55 * size.height()), int(0.45 * size.height())}, Qt::Vertical);
  window.resizeDocks({stateDock}, {int(kBottomShare * size.height())}, Qt::Vertical);

  QObject::connect(layers_->stack(), &LayerStackView::layerClicked, stateNorms_, [this](int column, int layer) {
    if (column == 0) stateNorms_->selectLayer(layer);  // the hybrid's column
  });
  QObject::connect(stateNorms_, &StateNormView::layerSelected, layers_->stack(),
                   [this](int layer) { layers_->stack()->setSelectedLayer(0, layer); });
}

QDockWidget* WindowDocks::addDock(const char* name, const QString& title, QWidget* content) {
  auto* dock = new QDockWidget(title, &window_);
  dock->setObjectName(QLatin1String(name));
  dock->setWidget(content);
  docks_ << dock;
  return dock;
}

void WindowDocks::addToggleActions(QMenu* menu) const {
  for (QDockWidget* dock : docks_) menu->addAction(dock->toggleViewAction());
}

void WindowDocks::bringToFront(QWidget* content) {
  for (QWidget* w = content; w; w = w->parentWidget())
    if (auto* dock = qobject_cast<QDockWidget*>(w)) {
      dock->show();
      dock->raise();
      QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);  // lay the newly shown dock out now
      return;
    }
}

}  // namespace hl::ui
