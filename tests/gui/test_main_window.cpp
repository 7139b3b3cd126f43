#include <QApplication>
#include <QDir>
#include <QImage>
#include <QPlainTextEdit>
#include <QSet>
#include <catch2/catch.hpp>

#include "ui/MainWindow.h"

TEST_CASE("main window opens with the sample text and renders offscreen", "[gui]") {
  hl::ui::MainWindow w;
  w.show();
  QApplication::processEvents();
  REQUIRE(w.textEditor() != nullptr);
  CHECK(w.textEditor()->toPlainText().contains(QStringLiteral("quick brown fox")));

  const QImage shot = w.grab().toImage();
  const QString path = QDir(QStringLiteral(HL_TEST_OUTPUT_DIR)).filePath(QStringLiteral("main_window.png"));
  REQUIRE(shot.save(path));
  CHECK(shot.width() >= 800);
  CHECK(shot.height() >= 500);
  // A window whose text did not render is (nearly) one flat colour; real text gives many distinct shades.
  QSet<QRgb> colours;
  for (int y = 0; y < shot.height(); y += 3)
    for (int x = 0; x < shot.width(); x += 3) colours.insert(shot.pixel(x, y));
  CHECK(colours.size() > 20);
}
