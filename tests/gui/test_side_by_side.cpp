// The side-by-side view (ui/SideBySideView): each column shows its model's NLL on one shared scale, the columns
// scroll together, a hover in one outlines the unit in the other, a click pins it in both; in the main window it is
// a dock reachable from the View menu whose pin and the token view's follow each other. Screenshots:
// side_by_side.png (the view alone), side_by_side_dock.png and side_by_side_window.png (the dock in a scored window).
#include <QApplication>
#include <QDockWidget>
#include <QImage>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMouseEvent>
#include <QScrollBar>
#include <QTextBrowser>
#include <algorithm>
#include <catch2/catch.hpp>
#include <memory>

#include "core/analysis/colour_scales.h"
#include "core/analysis/unit_colouring.h"
#include "gui_test_support.h"
#include "synthetic_report.h"
#include "ui/DeltaLegend.h"
#include "ui/MainWindow.h"
#include "ui/SideBySideView.h"
#include "ui/TokenDeltaModel.h"
#include "ui/TokenDeltaView.h"
#include "window_test_support.h"

using hl::analysis::ColourMode;
using hl::analysis::ModelRole;
using hl::ui::SideBySideView;
using hl::ui::TokenDeltaView;

namespace {

constexpr ModelRole kRoles[] = {ModelRole::reference, ModelRole::compared};

// The synthetic report's model index of a role: the reference is model 0, the hybrid model 1.
std::size_t modelIndex(ModelRole role) { return role == ModelRole::reference ? 0 : 1; }

void mouse(QWidget* target, QEvent::Type type, QPoint at, Qt::MouseButton button = Qt::NoButton) {
  const Qt::MouseButtons held = type == QEvent::MouseButtonPress ? Qt::MouseButtons(button) : Qt::MouseButtons();
  QMouseEvent event(type, QPointF(at), target->mapToGlobal(QPointF(at)), button, held, Qt::NoModifier);
  QApplication::sendEvent(target, &event);
}

void click(TokenDeltaView* view, int unit) {
  const QPoint at = view->unitRect(unit).center();
  mouse(view->viewport(), QEvent::MouseButtonPress, at, Qt::LeftButton);
  mouse(view->viewport(), QEvent::MouseButtonRelease, at, Qt::LeftButton);
}

// Pixels of exactly this colour in a widget's rendering, within `region` (widget coordinates).
int countColour(QWidget* widget, const QRect& region, const QColor& colour) {
  const QImage image = widget->grab().toImage();
  const qreal dpr = image.devicePixelRatio();
  const QRect r = QRect((region.topLeft() * dpr), (region.size() * dpr)).intersected(image.rect());
  int n = 0;
  for (int y = r.top(); y <= r.bottom(); ++y)
    for (int x = r.left(); x <= r.right(); ++x)
      if (image.pixelColor(x, y).rgb() == colour.rgb()) ++n;
  return n;
}

// A view over `words` synthetic words, shown at a size where the text needs scrolling.
struct ShownView {
  explicit ShownView(int words, QSize size = {900, 420}) : report(hl::test::syntheticReport(words, 20)) {
    view.resize(size);
    view.show();
    view.setReport(report);
    QCoreApplication::processEvents();
  }
  TokenDeltaView* left() const { return view.view(ModelRole::reference); }
  TokenDeltaView* right() const { return view.view(ModelRole::compared); }
  std::shared_ptr<const hl::analysis::Report> report;
  SideBySideView view;
};

}  // namespace

TEST_CASE("each side-by-side column shows its model's NLL on one shared scale", "[gui][side-by-side]") {
  ShownView shown(600);
  const auto& report = *shown.report;
  const hl::analysis::UnitColourer colourer(report);
  const double refMax = colourer.auto_sequential_max(ColourMode::nll, ModelRole::reference);
  const double hybMax = colourer.auto_sequential_max(ColourMode::nll, ModelRole::compared);
  REQUIRE(refMax != hybMax);  // otherwise "the larger of the two" would test nothing
  const double shared = std::max(refMax, hybMax);
  CHECK(shown.view.nllMax() == Approx(shared));

  int differing = 0;
  for (ModelRole role : kRoles) {
    const hl::ui::TokenDeltaModel* model = shown.view.model(role);
    REQUIRE(model->unitCount() == 600);
    CHECK(model->colouring().mode == ColourMode::nll);
    CHECK(model->colouring().model == role);
    CHECK(model->effectiveSequentialMax() == Approx(shared));
    CHECK(!model->colour(0).isValid());  // the first unit has no NLL
    for (int u = 1; u < model->unitCount(); ++u) {
      const double nll = report.unit_nll(static_cast<std::size_t>(u), modelIndex(role));
      const auto rgb = *hl::analysis::sequential_colour(nll, shared, hl::analysis::kNllPalette);
      CHECK(model->colour(u) == QColor(rgb.r, rgb.g, rgb.b));
    }
  }
  for (int u = 1; u < 600; ++u)
    differing += shown.view.model(ModelRole::reference)->colour(u) != shown.view.model(ModelRole::compared)->colour(u);
  CHECK(differing > 300);  // two models, two colourings: not one model drawn twice

  CHECK(shown.view.title(ModelRole::reference)->text().contains(QStringLiteral("reference</b> (reference)")));
  CHECK(shown.view.title(ModelRole::compared)->text().contains(QStringLiteral("hybrid</b> (hybrid)")));
  const QString legend = shown.view.legend()->text();
  CHECK(legend.startsWith(QStringLiteral("NLL of each column's model (nats)")));
  CHECK(legend.contains(QStringLiteral("(p95)")));
  CHECK(shown.view.legend()->legend().kind == hl::analysis::ColourLegend::Kind::sequential);
}

TEST_CASE("a hidden side-by-side view takes its report when it is shown", "[gui][side-by-side]") {
  const auto report = hl::test::syntheticReport(200, 20);
  SideBySideView view;
  view.resize(700, 300);
  view.setReport(report);
  CHECK(view.model(ModelRole::reference)->unitCount() == 0);  // not laid out while nobody can see it
  view.setPinnedUnit(42);                                       // e.g. the window's token view pinned meanwhile
  CHECK(view.pinnedUnit() == 42);
  view.show();
  QCoreApplication::processEvents();
  for (ModelRole role : kRoles) {
    CHECK(view.model(role)->unitCount() == 200);
    CHECK(view.view(role)->pinnedUnit() == 42);
  }
  view.setReport(hl::test::syntheticReport(100, 20));  // a new text: unit numbers start over, the pin goes
  CHECK(view.pinnedUnit() == -1);
  CHECK(view.view(ModelRole::compared)->pinnedUnit() == -1);
  CHECK(view.model(ModelRole::compared)->unitCount() == 100);
}

TEST_CASE("scrolling one side-by-side column scrolls the other to the same unit", "[gui][side-by-side]") {
  ShownView shown(3000, {760, 320});
  QScrollBar* leftBar = shown.left()->verticalScrollBar();
  QScrollBar* rightBar = shown.right()->verticalScrollBar();
  REQUIRE(leftBar->maximum() > 1000);
  CHECK(shown.left()->viewport()->width() == shown.right()->viewport()->width());

  int leftMoves = 0, rightMoves = 0;
  QObject::connect(leftBar, &QScrollBar::valueChanged, [&] { ++leftMoves; });
  QObject::connect(rightBar, &QScrollBar::valueChanged, [&] { ++rightMoves; });
  leftBar->setValue(leftBar->maximum() / 2);
  CHECK(rightBar->value() == leftBar->value());
  CHECK(leftMoves == 1);  // no echo from the right column back to the left
  CHECK(rightMoves == 1);

  // The other way, through a unit: the right column brings unit 2500 into view, the left shows it at the same place.
  shown.right()->ensureUnitVisible(2500);
  const QRect inRight = shown.right()->unitRect(2500);
  REQUIRE(inRight.top() >= 0);
  REQUIRE(inRight.bottom() <= shown.right()->viewport()->height());
  CHECK(shown.left()->unitRect(2500).top() == inRight.top());
  CHECK(leftBar->value() == rightBar->value());
  CHECK(leftMoves == 2);

  leftBar->setValue(0);
  CHECK(rightBar->value() == 0);
}

TEST_CASE("hovering a unit in one column outlines it in the other", "[gui][side-by-side]") {
  ShownView shown(400);
  const int unit = 30;
  const QRect rect = shown.left()->unitRect(unit);
  REQUIRE(!rect.isNull());
  const QColor outline = shown.right()->palette().color(QPalette::Highlight);
  const QRect around = shown.right()->unitRect(unit).adjusted(-2, -2, 2, 2);
  const int before = countColour(shown.right()->viewport(), around, outline);

  mouse(shown.left()->viewport(), QEvent::MouseMove, rect.center());
  CHECK(shown.right()->highlightedUnit() == unit);
  CHECK(shown.left()->highlightedUnit() == -1);  // the hovered column has its own hover outline
  CHECK(countColour(shown.right()->viewport(), around, outline) > before + 10);

  // And back: hovering in the right column outlines the unit in the left one.
  mouse(shown.right()->viewport(), QEvent::MouseMove, shown.right()->unitRect(unit + 1).center());
  CHECK(shown.left()->highlightedUnit() == unit + 1);

  QEvent leave(QEvent::Leave);
  QApplication::sendEvent(shown.left(), &leave);
  CHECK(shown.right()->highlightedUnit() == -1);
  CHECK(countColour(shown.right()->viewport(), around, outline) == before);
}

TEST_CASE("a click pins the unit in both side-by-side columns", "[gui][side-by-side]") {
  ShownView shown(400);
  std::vector<int> pins;
  QObject::connect(&shown.view, &SideBySideView::unitPinned, [&](int u) { pins.push_back(u); });
  click(shown.right(), 57);
  CHECK(shown.left()->pinnedUnit() == 57);
  CHECK(shown.right()->pinnedUnit() == 57);
  CHECK(shown.view.pinnedUnit() == 57);
  CHECK(pins == std::vector<int>{57});  // once, however the columns echo each other

  // A hover and a pin on one unit: both outlines are kept, the pin drawn last.
  mouse(shown.right()->viewport(), QEvent::MouseMove, shown.right()->unitRect(60).center());
  QCoreApplication::processEvents();
  shown.view.grab().save(hl::test::outputPath(QStringLiteral("side_by_side.png")));

  click(shown.left(), 57);  // clicking the pinned unit again unpins it, in both
  CHECK(shown.right()->pinnedUnit() == -1);
  CHECK(pins == std::vector<int>({57, -1}));
}

TEST_CASE("the window's Side by side dock follows the report and shares the pin", "[gui][side-by-side][window]") {
  hl::ui::MainWindow w;
  REQUIRE(hl::test::loadAndScore(w, "olmo_hybrid", "llama").isEmpty());
  auto* dock = w.findChild<QDockWidget*>(QStringLiteral("sideBySideDock"));
  REQUIRE(dock);
  CHECK(dock->isHidden());  // opened from the View menu
  SideBySideView* view = w.sideBySideView();
  REQUIRE(view);
  CHECK(dock->widget() == view);

  QMenu* viewMenu = nullptr;
  for (QAction* a : w.menuBar()->actions())
    if (a->text() == QStringLiteral("&View")) viewMenu = a->menu();
  REQUIRE(viewMenu);
  REQUIRE(viewMenu->actions().contains(dock->toggleViewAction()));
  dock->toggleViewAction()->trigger();
  dock->raise();
  QCoreApplication::processEvents();
  CHECK(view->isVisible());
  CHECK(w.tabifiedDockWidgets(dock).contains(w.findChild<QDockWidget*>(QStringLiteral("stateNormDock"))));

  const int units = w.tokenModel()->unitCount();
  REQUIRE(units > 10);
  for (ModelRole role : kRoles) CHECK(view->model(role)->unitCount() == units);
  CHECK(view->title(ModelRole::reference)->text().contains(w.tokenModel()->referenceName()));
  CHECK(view->title(ModelRole::compared)->text().contains(w.tokenModel()->hybridName()));

  // A click in a column pins the unit in the window: token view, card.
  const int unit = 7;
  click(view->view(ModelRole::compared), unit);
  CHECK(w.tokenView()->pinnedUnit() == unit);
  CHECK(!w.unitDetails()->toPlainText().isEmpty());
  // A pin in the token view shows in both columns.
  w.tokenView()->setPinnedUnit(unit + 2);
  for (ModelRole role : kRoles) CHECK(view->view(role)->pinnedUnit() == unit + 2);

  w.resize(1400, 1000);  // room for the bottom dock in the screenshot
  QCoreApplication::processEvents();
  CHECK(dock->grab().save(hl::test::outputPath(QStringLiteral("side_by_side_dock.png"))));
  CHECK(w.grab().save(hl::test::outputPath(QStringLiteral("side_by_side_window.png"))));
}
