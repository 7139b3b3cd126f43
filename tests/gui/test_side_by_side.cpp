// The side-by-side view (ui/SideBySideView): one column per model of the report, in its order, each showing its
// model's NLL on one shared scale; the columns scroll together, a hover in one outlines the unit in the others, a click
// pins it in all; beyond four columns the area scrolls sideways; in the main window it is a dock reachable from the
// View menu whose pin and the token view's follow each other. Screenshots: side_by_side.png (two columns),
// side_by_side_three.png (a hybrid and two references), side_by_side_dock.png and side_by_side_window.png (the dock
// in a scored window).
#include <QApplication>
#include <QDockWidget>
#include <QImage>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMouseEvent>
#include <QScrollArea>
#include <QScrollBar>
#include <QTextBrowser>
#include <algorithm>
#include <catch2/catch.hpp>
#include <memory>

#include "core/analysis/colour/colour_scales.h"
#include "core/analysis/colour/unit_colouring.h"
#include "gui_test_support.h"
#include "synthetic_report.h"
#include "ui/views/DeltaLegend.h"
#include "ui/MainWindow.h"
#include "ui/views/SideBySideView.h"
#include "ui/models/TokenDeltaModel.h"
#include "ui/views/TokenDeltaView.h"
#include "window_test_support.h"

using hl::analysis::ColourMode;
using hl::ui::SideBySideView;
using hl::ui::TokenDeltaView;

namespace {

using ReportPtr = std::shared_ptr<const hl::analysis::Report>;

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

// The shared scale: the largest of the models' own 95th percentiles of NLL.
double sharedNllMax(const hl::analysis::Report& report) {
  const hl::analysis::UnitColourer colourer(report);
  double max = 0;
  for (std::size_t m = 0; m < report.comparison.models.size(); ++m)
    max = std::max(max, colourer.auto_sequential_max(ColourMode::nll, m));
  return max;
}

// Every unit of column k is on model k's NLL, on the shared scale.
void checkColumnColours(const SideBySideView& view, const hl::analysis::Report& report) {
  const double shared = sharedNllMax(report);
  CHECK(view.nllMax() == Approx(shared));
  for (int k = 0; k < view.columnCount(); ++k) {
    INFO("column " << k);
    const hl::ui::TokenDeltaModel* model = view.model(k);
    REQUIRE(model->unitCount() == static_cast<int>(report.comparison.units.size()));
    CHECK(model->colouring().mode == ColourMode::nll);
    CHECK(model->colouring().model_index == k);
    CHECK(model->effectiveSequentialMax() == Approx(shared));
    CHECK(!model->colour(0).isValid());  // the first unit has no NLL
    for (int u = 1; u < model->unitCount(); ++u) {
      const double nll = report.unit_nll(static_cast<std::size_t>(u), static_cast<std::size_t>(k));
      const auto rgb = *hl::analysis::sequential_colour(nll, shared, hl::analysis::kNllPalette);
      CHECK(model->colour(u) == QColor(rgb.r, rgb.g, rgb.b));
    }
  }
}

// How many units two columns colour differently: two models, two colourings, not one model drawn twice.
int differingUnits(const SideBySideView& view, int a, int b) {
  int differing = 0;
  for (int u = 1; u < view.model(a)->unitCount(); ++u)
    differing += view.model(a)->colour(u) != view.model(b)->colour(u);
  return differing;
}

// A view over a report, shown at a size where the text needs scrolling.
struct ShownView {
  explicit ShownView(ReportPtr shownReport, QSize size = {900, 420}) : report(std::move(shownReport)) {
    view.resize(size);
    view.show();
    view.setReport(report);
    QCoreApplication::processEvents();
  }
  // The synthetic pair over `words` words: [reference, hybrid].
  explicit ShownView(int words, QSize size = {900, 420}) : ShownView(hl::test::syntheticReport(words, 20), size) {}
  TokenDeltaView* left() const { return view.view(0); }
  TokenDeltaView* right() const { return view.view(1); }
  ReportPtr report;
  SideBySideView view;
};

// A hybrid and two references, [hybrid, reference, reference2], Δ against the first reference.
ReportPtr threeModels(int words) { return hl::test::syntheticReferencesReport(words, 2, 20); }

}  // namespace

TEST_CASE("each side-by-side column shows its model's NLL on one shared scale", "[gui][side-by-side]") {
  ShownView shown(600);
  const auto& report = *shown.report;
  REQUIRE(shown.view.columnCount() == 2);
  const hl::analysis::UnitColourer colourer(report);
  // Otherwise "the larger of the two" would test nothing.
  REQUIRE(colourer.auto_sequential_max(ColourMode::nll, std::size_t{0}) !=
          colourer.auto_sequential_max(ColourMode::nll, std::size_t{1}));
  checkColumnColours(shown.view, report);
  CHECK(differingUnits(shown.view, 0, 1) > 300);

  // The synthetic pair is [reference, hybrid]: the columns follow the report's order.
  CHECK(shown.view.title(0)->text().contains(QStringLiteral("reference</b> (reference)")));
  CHECK(shown.view.title(1)->text().contains(QStringLiteral("hybrid</b> (hybrid)")));
  const QString legend = shown.view.legend()->text();
  CHECK(legend.startsWith(QStringLiteral("NLL of each column's model (nats)")));
  CHECK(legend.contains(QStringLiteral("(p95)")));
  CHECK(shown.view.legend()->legend().kind == hl::analysis::ColourLegend::Kind::sequential);
}

TEST_CASE("a hybrid and two references: three side-by-side columns in the report's order", "[gui][side-by-side]") {
  ShownView shown(threeModels(600), {1000, 420});
  const auto& report = *shown.report;
  REQUIRE(report.comparison.models.size() == 3);
  REQUIRE(shown.view.columnCount() == 3);
  checkColumnColours(shown.view, report);
  CHECK(differingUnits(shown.view, 0, 2) > 300);
  CHECK(differingUnits(shown.view, 1, 2) > 300);
  // The third model's NLLs are drawn from a narrower range: the shared scale is someone else's maximum.
  const hl::analysis::UnitColourer colourer(report);
  CHECK(shown.view.nllMax() > colourer.auto_sequential_max(ColourMode::nll, std::size_t{2}));

  CHECK(shown.view.title(0)->text() == QStringLiteral("<b>hybrid</b> (hybrid)"));
  CHECK(shown.view.title(1)->text() == QStringLiteral("<b>reference</b> (reference)"));
  CHECK(shown.view.title(2)->text() == QStringLiteral("<b>reference2</b>"));
  CHECK(shown.view.findChildren<hl::ui::DeltaLegend*>().size() == 1);  // one legend for all columns
  // Three columns fit: equal widths, side by side, nothing to scroll sideways.
  auto* area = shown.view.findChild<QScrollArea*>(QStringLiteral("sideBySideColumns"));
  REQUIRE(area);
  CHECK(area->horizontalScrollBar()->maximum() == 0);
  for (int k = 0; k + 1 < 3; ++k) {
    CHECK(std::abs(shown.view.view(k)->width() - shown.view.view(k + 1)->width()) <= 1);
    CHECK(shown.view.view(k)->geometry().right() < shown.view.view(k + 1)->geometry().left());
    CHECK(shown.view.title(k)->geometry().right() < shown.view.title(k + 1)->geometry().left());
  }
  CHECK(shown.view.grab().save(hl::test::outputPath(QStringLiteral("side_by_side_three.png"))));

  // Fewer models: the extra column goes; more again: it comes back, coloured by its model.
  shown.view.setReport(hl::test::syntheticReport(300, 20));
  QCoreApplication::processEvents();
  CHECK(shown.view.columnCount() == 2);
  CHECK(shown.view.findChildren<TokenDeltaView*>().size() == 2);
  CHECK(shown.view.findChildren<hl::ui::TokenDeltaModel*>().size() == 2);
  const auto again = threeModels(200);
  shown.view.setReport(again);
  QCoreApplication::processEvents();
  REQUIRE(shown.view.columnCount() == 3);
  CHECK(shown.view.view(2)->isVisible());
  checkColumnColours(shown.view, *again);
}

TEST_CASE("a hidden side-by-side view takes its report when it is shown", "[gui][side-by-side]") {
  const auto report = hl::test::syntheticReport(200, 20);
  SideBySideView view;
  view.resize(700, 300);
  view.setReport(report);
  CHECK(view.model(0)->unitCount() == 0);  // not laid out while nobody can see it
  view.setPinnedUnit(42);                  // e.g. the window's token view pinned meanwhile
  CHECK(view.pinnedUnit() == 42);
  view.show();
  QCoreApplication::processEvents();
  for (int k = 0; k < view.columnCount(); ++k) {
    CHECK(view.model(k)->unitCount() == 200);
    CHECK(view.view(k)->pinnedUnit() == 42);
  }
  view.setReport(hl::test::syntheticReport(100, 20));  // a new text: unit numbers start over, the pin goes
  CHECK(view.pinnedUnit() == -1);
  CHECK(view.view(1)->pinnedUnit() == -1);
  CHECK(view.model(1)->unitCount() == 100);
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

TEST_CASE("three side-by-side columns scroll, hover and pin together", "[gui][side-by-side]") {
  SideBySideView view;
  view.resize(1000, 320);
  view.setReport(threeModels(3000));  // hidden: applied, with its third column, when shown
  CHECK(view.columnCount() == 2);
  view.show();
  QCoreApplication::processEvents();
  REQUIRE(view.columnCount() == 3);

  // Scrolling the middle column brings the others to the same unit at the same place.
  QScrollBar* middle = view.view(1)->verticalScrollBar();
  REQUIRE(middle->maximum() > 1000);
  middle->setValue(middle->maximum() / 2);
  const int anchor = view.view(1)->unitAt(QPoint(12, 6));
  REQUIRE(anchor > 0);
  for (int k : {0, 2}) CHECK(view.view(k)->unitRect(anchor).top() == view.view(1)->unitRect(anchor).top());
  view.view(2)->ensureUnitVisible(2900);  // and from the last column back
  const QRect last = view.view(2)->unitRect(2900);
  for (int k : {0, 1}) CHECK(view.view(k)->unitRect(2900).top() == last.top());

  // A hover in the last column outlines the unit in the other two.
  mouse(view.view(2)->viewport(), QEvent::MouseMove, last.center());
  CHECK(view.view(0)->highlightedUnit() == 2900);
  CHECK(view.view(1)->highlightedUnit() == 2900);
  CHECK(view.view(2)->highlightedUnit() == -1);

  // A click in the last column pins the unit in all three, announced once.
  std::vector<int> pins;
  QObject::connect(&view, &SideBySideView::unitPinned, [&](int u) { pins.push_back(u); });
  click(view.view(2), 2900);
  for (int k = 0; k < 3; ++k) CHECK(view.view(k)->pinnedUnit() == 2900);
  CHECK(view.pinnedUnit() == 2900);
  CHECK(pins == std::vector<int>{2900});
  view.setPinnedUnit(10);  // e.g. from the window's token view: every column pins it and scrolls to it
  for (int k = 0; k < 3; ++k) {
    CHECK(view.view(k)->pinnedUnit() == 10);
    CHECK(view.view(k)->unitRect(10).top() >= 0);
    CHECK(view.view(k)->unitRect(10).bottom() <= view.view(k)->viewport()->height());
  }
  CHECK(pins == std::vector<int>({2900, 10}));
}

TEST_CASE("beyond four side-by-side columns the columns keep their width and the area scrolls sideways",
          "[gui][side-by-side]") {
  ShownView shown(hl::test::syntheticReferencesReport(300, 5, 20), {900, 360});
  REQUIRE(shown.view.columnCount() == 6);
  auto* area = shown.view.findChild<QScrollArea*>(QStringLiteral("sideBySideColumns"));
  REQUIRE(area);
  CHECK(area->horizontalScrollBar()->maximum() > 0);
  for (int k = 0; k < 6; ++k) CHECK(shown.view.view(k)->width() >= SideBySideView::kMinColumnWidth);
  CHECK(shown.view.title(5)->text() == QStringLiteral("<b>reference5</b>"));
  // Back to two: they fit again.
  shown.view.setReport(hl::test::syntheticReport(300, 20));
  QCoreApplication::processEvents();
  CHECK(shown.view.columnCount() == 2);
  CHECK(area->horizontalScrollBar()->maximum() == 0);
  CHECK(shown.view.view(1)->geometry().right() < area->viewport()->width());
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
  const auto& comparison = w.tokenModel()->report()->comparison;
  REQUIRE(view->columnCount() == static_cast<int>(comparison.models.size()));
  for (int k = 0; k < view->columnCount(); ++k) CHECK(view->model(k)->unitCount() == units);
  const int hybrid = static_cast<int>(comparison.compared_model()), reference = static_cast<int>(comparison.reference);
  CHECK(view->title(hybrid)->text().contains(w.tokenModel()->hybridName() + QStringLiteral("</b> (hybrid)")));
  CHECK(view->title(reference)->text().contains(w.tokenModel()->referenceName() + QStringLiteral("</b> (reference)")));

  // A click in a column pins the unit in the window: token view, card.
  const int unit = 7;
  click(view->view(hybrid), unit);
  CHECK(w.tokenView()->pinnedUnit() == unit);
  CHECK(!w.unitDetails()->toPlainText().isEmpty());
  // A pin in the token view shows in both columns.
  w.tokenView()->setPinnedUnit(unit + 2);
  for (int k = 0; k < view->columnCount(); ++k) CHECK(view->view(k)->pinnedUnit() == unit + 2);

  w.resize(1400, 1000);  // room for the bottom dock in the screenshot
  QCoreApplication::processEvents();
  CHECK(dock->grab().save(hl::test::outputPath(QStringLiteral("side_by_side_dock.png"))));
  CHECK(w.grab().save(hl::test::outputPath(QStringLiteral("side_by_side_window.png"))));
}
