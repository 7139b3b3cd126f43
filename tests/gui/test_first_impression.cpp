// The first impression: with no saved geometry the window opens at 80 % of the screen, centred, with the token view
// as its largest part, and a unit's card wakes up quickly. The layout is checked on a 1920×1080 screen: the test
// runs its hidden twin in a child process whose offscreen screen has that size (on the default offscreen screen,
// 800×600, the window's minimum size is more than 80 %), which also leaves the first-run picture of the built-in demo
// in the test output (first_run_window.png, the picture of docs/images/main_window.png).
#include <catch2/catch.hpp>

#include <QDockWidget>
#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QPlainTextEdit>
#include <QProcess>
#include <QScreen>
#include <QStyle>

#include "ui/views/HoverCardStyle.h"
#include "ui/views/TokenDeltaView.h"
#include "window_test_support.h"

namespace {

const char* const kFirstRunCase = "first run on a 1920x1080 screen (run by the case below)";

int area(const QWidget* w) { return w->width() * w->height(); }

}  // namespace

TEST_CASE(kFirstRunCase, "[.first-run-child]") {
  const QRect available = QGuiApplication::primaryScreen()->availableGeometry();
  REQUIRE(available.size() == QSize(1920, 1080));
  hl::ui::MainWindow w;
  const QRect frame = w.geometry();
  CHECK(std::abs(frame.width() - 1536) <= 2);
  CHECK(std::abs(frame.height() - 864) <= 2);
  CHECK((frame.center() - available.center()).manhattanLength() <= 4);
  QString error;
  REQUIRE(w.openDemo(&error));
  w.show();
  auto* c = w.controller();
  REQUIRE(hl::test::waitUntil([&] { return c->report() != nullptr && !c->busy(); }));
  // Queued replots (the state-norm plots) and relayouts (status bar) land before the sizes are read and the picture
  // is taken.
  QElapsedTimer settle;
  settle.start();
  hl::test::waitUntil([&] { return settle.elapsed() > 300; });

  const QWidget* tokens = w.tokenView();
  CAPTURE(tokens->size().width(), tokens->size().height());
  CHECK(area(tokens) > area(w.textEditor()));
  for (QDockWidget* dock : w.findChildren<QDockWidget*>()) {
    if (!dock->isVisible() || !dock->widget()->isVisible()) continue;  // closed, or a tab behind another
    INFO(dock->objectName().toStdString() << " " << dock->width() << "×" << dock->height());
    CHECK(area(dock) < area(tokens));
    if (w.dockWidgetArea(dock) == Qt::BottomDockWidgetArea) CHECK(dock->height() < tokens->height());
    else CHECK(dock->width() < tokens->width());
  }
  CHECK(w.grab().save(hl::test::outputPath(QStringLiteral("first_run_window.png"))));
}

TEST_CASE("on a 1920x1080 screen the first window is 1536x864, centred, with the token view its largest part",
          "[gui][first-run]") {
  const QString config = hl::test::outputPath(QStringLiteral("screen_1920x1080.json"));
  QFile f(config);
  REQUIRE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
  f.write(R"({"screens": [{"name": "fullhd", "x": 0, "y": 0, "width": 1920, "height": 1080}]})");
  f.close();
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen:configfile=%1").arg(config));
  QProcess child;
  child.setProcessEnvironment(env);
  child.setProcessChannelMode(QProcess::MergedChannels);
  child.start(QCoreApplication::applicationFilePath(), {QString::fromLatin1(kFirstRunCase)});
  REQUIRE(child.waitForFinished(180000));
  const QString output = QString::fromUtf8(child.readAll());
  INFO(output.toStdString());
  CHECK(child.exitCode() == 0);
  CHECK(output.contains(QStringLiteral("All tests passed")));  // the case ran: a misspelt name matches nothing
}

TEST_CASE("a unit's card wakes up within 300 ms of hovering the token view, not Qt's 700 ms", "[gui][first-run]") {
  hl::ui::MainWindow w;
  // QApplication asks the style of the widget under the mouse: the token view's viewport.
  const QWidget* viewport = w.tokenView()->viewport();
  const int delay = viewport->style()->styleHint(QStyle::SH_ToolTip_WakeUpDelay, nullptr, viewport);
  CHECK(delay <= 300);
  CHECK(delay == hl::ui::HoverCardStyle::kWakeUpMs);
  // The side-by-side columns are token views too, and wake up as fast.
  for (const auto* view : w.findChildren<hl::ui::TokenDeltaView*>())
    CHECK(view->viewport()->style()->styleHint(QStyle::SH_ToolTip_WakeUpDelay, nullptr, view->viewport()) <= 300);
}
