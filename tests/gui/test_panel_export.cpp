// Edit → Copy image, File → Export panel (every panel × PNG/SVG/PDF, white in the dark theme) and the study's filtered
// losses in the category chart, on a window scored with the fixture pair.
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDockWidget>
#include <QImage>
#include <QMenu>
#include <QSvgRenderer>
#include <catch2/catch.hpp>
#include <cmath>
#include <qcustomplot.h>

#include "core/analysis/report/report.h"
#include "ui/views/CategoryChart.h"
#include "ui/models/TokenDeltaModel.h"
#include "ui/views/TokenDeltaView.h"
#include "window_test_support.h"

using hl::test::fileHead;
using hl::test::outputPath;
using hl::ui::MainWindow;

namespace {

// Some platforms' clipboards hold no images in-process; the offscreen one does, but say so rather than fail if not.
bool clipboardHoldsImages() {
  QImage probe(3, 2, QImage::Format_ARGB32);
  probe.fill(Qt::red);
  QGuiApplication::clipboard()->setImage(probe);
  const bool holds = QGuiApplication::clipboard()->image().size() == probe.size();
  QGuiApplication::clipboard()->clear();
  return holds;
}

struct DarkTheme {
  DarkTheme() { hl::ui::applyTheme(hl::ui::Theme::Dark); }
  ~DarkTheme() { hl::ui::applyTheme(hl::ui::Theme::System); }
};

bool sameValue(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

}  // namespace

TEST_CASE("Edit → Copy image puts the token view's 2× export image on the clipboard", "[gui][export]") {
  MainWindow w;
  const QString error = hl::test::loadAndScore(w, "olmo_hybrid", "olmo3");
  INFO(error.toStdString());
  REQUIRE(error.isEmpty());
  auto* copy = w.findChild<QAction*>(QStringLiteral("copyImageAction"));
  REQUIRE(copy != nullptr);
  CHECK(copy->shortcut() == QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
  if (!clipboardHoldsImages()) {
    WARN("SKIPPED: this Qt platform's clipboard holds no images in-process (" << QGuiApplication::platformName().toStdString() << ")");
    return;
  }
  REQUIRE(QGuiApplication::clipboard()->image().isNull());
  copy->trigger();
  const QImage image = QGuiApplication::clipboard()->image();
  const hl::ui::TokenDeltaView* view = w.tokenView();
  const QSize logical = view->renderSize(view->exportWidth());
  CHECK(image.width() == 2 * logical.width());
  CHECK(image.height() == 2 * logical.height());
  CHECK(image.pixelColor(1, 1) == QColor(Qt::white));  // the export's white margin, not the view's themed background
}

TEST_CASE("File → Export panel writes every panel as PNG (2×), SVG and PDF on white, even in the dark theme",
          "[gui][export]") {
  const DarkTheme dark;
  MainWindow w;
  const QString error = hl::test::loadAndScore(w, "olmo_hybrid", "olmo3");
  INFO(error.toStdString());
  REQUIRE(error.isEmpty());
  REQUIRE(w.findChild<QMenu*>(QStringLiteral("exportPanelMenu")) != nullptr);
  int panel = 0;
  for (MainWindow::Panel p : MainWindow::kPanels) {
    QWidget* widget = w.panelWidget(p);
    REQUIRE(widget != nullptr);
    const QString stem = QStringLiteral("panel_%1").arg(panel++);
    INFO(stem.toStdString() << " " << widget->metaObject()->className());
    QString exportError;
    const QString png = outputPath(stem + QStringLiteral(".png"));
    REQUIRE(w.exportPanel(p, png, &exportError));
    CHECK(widget->isVisible());  // its dock was opened (the side-by-side dock starts closed)
    CHECK(fileHead(png, 4) == QByteArray("\x89PNG"));
    const QImage image(png);
    REQUIRE(!image.isNull());
    CHECK(image.width() >= 2 * widget->width());
    CHECK(image.height() >= 2 * widget->height());
    CHECK(image.pixelColor(2, 2) == QColor(Qt::white));
    CHECK(hl::ui::isDark(widget->palette()));  // the widget wears the theme again after the export
    const QString svg = outputPath(stem + QStringLiteral(".svg"));
    REQUIRE(w.exportPanel(p, svg, &exportError));
    CHECK(fileHead(svg, 5) == "<?xml");
    CHECK(QSvgRenderer(svg).isValid());
    const QString pdf = outputPath(stem + QStringLiteral(".pdf"));
    REQUIRE(w.exportPanel(p, pdf, &exportError));
    CHECK(fileHead(pdf, 5) == "%PDF-");
  }
  QString exportError;
  CHECK_FALSE(w.exportPanel(MainWindow::Panel::Categories, outputPath(QStringLiteral("panel.txt")), &exportError));
  CHECK(exportError.contains(QStringLiteral(".png, .svg or .pdf")));
}

TEST_CASE("the category chart shows the study's filtered losses as unclickable rows above the categories",
          "[gui][categories]") {
  MainWindow w;
  const QString error = hl::test::loadAndScore(w, "olmo_hybrid", "olmo3");
  INFO(error.toStdString());
  REQUIRE(error.isEmpty());
  const auto report = w.controller()->report();
  REQUIRE(report != nullptr);
  const hl::ui::CategoryChart* chart = w.categoryChart();
  const auto& rows = chart->filteredRows();
  REQUIRE(rows.size() == 3);
  REQUIRE(report->filtered.size() == 3);
  CHECK(rows[0].name == QStringLiteral("all_tokens"));
  CHECK(rows[1].name == QStringLiteral("open_no_copy"));
  CHECK(rows[2].name == QStringLiteral("copy5_only"));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& g = report->filtered[i];
    INFO(g.name);
    CHECK(rows[i].name.toStdString() == g.name);
    CHECK(rows[i].count == static_cast<int>(g.count));
    REQUIRE(!g.gaps.empty());
    CHECK(sameValue(rows[i].mean, g.gaps.front().mean_delta));
    CHECK(sameValue(rows[i].low, g.gaps.front().interval.low));
    CHECK(sameValue(rows[i].high, g.gaps.front().interval.high));
  }
  CHECK(std::isfinite(rows[0].mean));  // every scored unit: there is a bar
  // Each row is labelled on the axis, above "all", and a click on it selects nothing; "all" stays clickable.
  auto* ticker = dynamic_cast<QCPAxisTickerText*>(chart->plot()->yAxis->ticker().data());
  REQUIRE(ticker != nullptr);
  const QPoint all = chart->barCentre(QStringLiteral("all"));
  REQUIRE(!all.isNull());
  for (const auto& row : rows) {
    double key = NAN;
    for (auto it = ticker->ticks().cbegin(); it != ticker->ticks().cend(); ++it)
      if (it.value() == QStringLiteral("study · %1 (%2)").arg(row.label).arg(row.count)) key = it.key();
    INFO(row.label.toStdString());
    REQUIRE(std::isfinite(key));
    const QPoint at(all.x(), static_cast<int>(chart->plot()->yAxis->coordToPixel(key)));
    CHECK(at.y() < all.y());  // drawn above the categories
    CHECK(chart->categoryAt(at).isEmpty());
  }
  CHECK(chart->categoryAt(all) == QStringLiteral("all"));
}
