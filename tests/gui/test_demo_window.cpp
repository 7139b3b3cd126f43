// The first-run experience: the window opens on the built-in demo pair (staged in build/share/hybridlens/demo, as
// installed in /usr/share/hybridlens/demo) with its sample text, coloured, with both signs of Δ.
#include <catch2/catch.hpp>

#include <QAction>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QProcess>

#include "ui/views/ModelPanel.h"
#include "ui/models/TokenDeltaModel.h"
#include "window_test_support.h"

namespace {

QAction* menuAction(QMenuBar* bar, const QString& name) {
  for (QAction* menu : bar->actions())
    if (menu->menu())
      for (QAction* a : menu->menu()->actions())
        if (a->objectName() == name) return a;
  return nullptr;
}

}  // namespace

TEST_CASE("Models → Demo pair loads the built-in pair and colours its sample with both signs of Δ", "[gui][demo]") {
  hl::ui::MainWindow w;
  w.resize(1400, 860);
  w.show();
  QAction* demo = menuAction(w.menuBar(), QStringLiteral("demoAction"));
  REQUIRE(demo != nullptr);
  demo->trigger();
  CHECK(w.modelPanel()->hybridFolder().endsWith(QStringLiteral("demo/olmo-hybrid-mini")));
  CHECK(w.modelPanel()->referenceFolders().value(0).endsWith(QStringLiteral("demo/olmo3-mini")));
  CHECK(w.textEditor()->toPlainText().startsWith(QStringLiteral("In the beginning the program")));
  auto* c = w.controller();
  REQUIRE(hl::test::waitUntil([&] { return c->report() != nullptr && !c->busy(); }));
  const auto* m = w.tokenModel();
  int better = 0, worse = 0;
  for (int u = 0; u < m->unitCount(); ++u) {
    better += m->delta(u) > 0.1;
    worse += m->delta(u) < -0.1;
  }
  CAPTURE(m->unitCount(), better, worse);
  CHECK(better >= 10);
  CHECK(worse >= 10);
  // Queued replots (the state-norm plots) and relayouts (status bar) land before the picture is taken.
  QElapsedTimer settle;
  settle.start();
  hl::test::waitUntil([&] { return settle.elapsed() > 300; });
  CHECK(w.grab().save(hl::test::outputPath(QStringLiteral("demo_window.png"))));
}

TEST_CASE("hybridlens with no arguments renders the demo (it finds the pair beside itself)", "[gui][demo]") {
  const QString gui = QFileInfo(QStringLiteral(HL_CLI_EXE)).dir().filePath(QStringLiteral("hybridlens"));
  const QString out = hl::test::outputPath(QStringLiteral("demo_render.png"));
  QFile::remove(out);
  QProcess p;
  p.start(gui, {QStringLiteral("--render"), out, QStringLiteral("--title"), QStringLiteral("Built-in demo pair"),
                QStringLiteral("--callout"), QStringLiteral("best")});
  REQUIRE(p.waitForFinished(120000));
  INFO(QString::fromUtf8(p.readAllStandardError()).toStdString());
  CHECK(p.exitCode() == 0);
  CHECK(QFileInfo(out).size() > 20000);
}
