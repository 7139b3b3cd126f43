// The main window end to end (offscreen): load two fixture models from the model panel path, score the text,
// check the views, export the token view (PNG 2×, SVG, PDF) and the report (JSON, CSV, HTML), save screenshots.
#include <QAbstractItemModel>
#include <QApplication>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMimeData>
#include <QUrl>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QKeyEvent>
#include <QPainter>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QSvgRenderer>
#include <QTableView>
#include <QTextBrowser>
#include <catch2/catch.hpp>

#include "core/analysis/report/report.h"
#include "window_test_support.h"
#include "ui/views/CategoryChart.h"
#include "ui/MainWindow.h"
#include "ui/views/ModelPanel.h"
#include "ui/ScoringController.h"
#include "ui/models/TokenDeltaModel.h"
#include "ui/views/TokenDeltaView.h"

using hl::test::fixtureModel;
using hl::test::outputPath;
using hl::test::waitUntil;

using hl::test::fileHead;

TEST_CASE("model panel describes a folder before loading", "[gui][window]") {
  const QString d = hl::ui::describeModelFolder(fixtureModel("olmo_hybrid"));
  INFO(d.toStdString());
  CHECK(d.contains(QStringLiteral("olmo_hybrid")));
  CHECK(d.contains(QStringLiteral("G×3 A")));  // core's compressed layer pattern
  CHECK(d.contains(QStringLiteral("tokens")));
  const QString bad = hl::ui::describeModelFolder(QStringLiteral("/nonexistent/model"));
  CHECK(bad.startsWith(QStringLiteral("⚠")));
  CHECK(!bad.contains(QLatin1Char('\n')));
}

TEST_CASE("main window scores the sample text with two fixture models and exports", "[gui][window]") {
  hl::ui::MainWindow w;
  const QString error = hl::test::loadAndScore(w, "olmo_hybrid", "llama");
  INFO(error.toStdString());
  REQUIRE(error.isEmpty());
  auto* c = w.controller();

  const auto report = c->report();
  CHECK(QString::fromStdString(report->comparison.text) == w.textEditor()->toPlainText());
  CHECK(w.tokenModel()->rowCount() == static_cast<int>(report->comparison.units.size()));
  CHECK(w.categoryChart()->categoryCount() == static_cast<int>(report->categories.size()));
  CHECK(w.modelPanel()->statusText().contains(QStringLiteral("olmo_hybrid")));
  CHECK(w.modelPanel()->progressBar()->value() == w.modelPanel()->progressBar()->maximum());
  CHECK(w.tokenView()->lineCount() >= w.textEditor()->toPlainText().count(QLatin1Char('\n')));

  // Clicking a unit pins it: its card (with both NLLs) shows in the details dock.
  int unit = -1;
  for (int r = 0; r < w.tokenModel()->rowCount() && unit < 0; ++r)
    if (w.tokenModel()->data(w.tokenModel()->index(r, 0), hl::ui::TokenDeltaModel::ScoredRole).toBool() && r > 3) unit = r;
  REQUIRE(unit >= 0);
  w.tokenView()->setPinnedUnit(unit);
  QCoreApplication::processEvents();
  CHECK(w.unitDetails()->toPlainText().contains(QStringLiteral("NLL")));
  CHECK(w.unitDetails()->toPlainText().contains(QStringLiteral("llama")));
  // ... and marks it in the editor.
  REQUIRE(w.textEditor()->extraSelections().size() == 1);
  CHECK(w.textEditor()->extraSelections().front().cursor.selectedText() ==
        w.tokenModel()->unitText(unit));
  // Arrow keys move the pin; Esc unpins.
  QKeyEvent right(QEvent::KeyPress, Qt::Key_Right, Qt::NoModifier);
  QApplication::sendEvent(w.tokenView(), &right);
  CHECK(w.tokenView()->pinnedUnit() == unit + 1);
  QKeyEvent left(QEvent::KeyPress, Qt::Key_Left, Qt::NoModifier);
  QApplication::sendEvent(w.tokenView(), &left);
  CHECK(w.tokenView()->pinnedUnit() == unit);

  // The units table sorts by Δ numerically; a click on a row pins that unit.
  auto* table = w.unitTable();
  REQUIRE(table != nullptr);
  CHECK(table->model()->rowCount() == w.tokenModel()->rowCount());
  table->sortByColumn(hl::ui::TokenDeltaModel::DeltaColumn, Qt::DescendingOrder);
  const double top = table->model()->index(0, hl::ui::TokenDeltaModel::DeltaColumn).data(hl::ui::TokenDeltaModel::DeltaRole).toDouble();
  for (int r = 0; r < w.tokenModel()->rowCount(); ++r)
    CHECK(!(w.tokenModel()->delta(r) > top));
  const QModelIndex best = table->model()->index(0, 0);
  emit table->clicked(best);
  CHECK(w.tokenView()->pinnedUnit() >= 0);
  CHECK(w.tokenModel()->delta(w.tokenView()->pinnedUnit()) == top);
  CHECK(w.unitDetails()->toPlainText().contains(QStringLiteral("NLL")));

  // Screenshot of the whole window.
  const QImage shot = w.grab().toImage();
  REQUIRE(shot.save(outputPath(QStringLiteral("main_window_scored.png"))));
  CHECK(shot.width() >= 1000);

  if (auto* dock = qobject_cast<QDockWidget*>(table->parentWidget())) {  // the Units tab, for review
    dock->raise();
    QCoreApplication::processEvents();
    REQUIRE(w.grab().toImage().save(outputPath(QStringLiteral("main_window_units.png"))));
  }

  // Token view exports.
  const int width = w.tokenView()->exportWidth();
  const QSize logical = w.tokenView()->renderSize(width);
  const QString png = outputPath(QStringLiteral("token_view.png"));
  const QString svg = outputPath(QStringLiteral("token_view.svg"));
  const QString pdf = outputPath(QStringLiteral("token_view.pdf"));
  for (const QString& p : {png, svg, pdf}) QFile::remove(p);
  QString exportError;
  REQUIRE(w.exportTokenView(png, &exportError));
  REQUIRE(w.exportTokenView(svg, &exportError));
  REQUIRE(w.exportTokenView(pdf, &exportError));
  CHECK(!w.exportTokenView(outputPath(QStringLiteral("token_view.bmp")), &exportError));
  CHECK(!exportError.isEmpty());

  const QImage image(png);
  REQUIRE(!image.isNull());
  CHECK(image.size() == logical * 2);
  QSvgRenderer renderer(svg);
  CHECK(renderer.isValid());
  CHECK(renderer.viewBox().size() == logical);  // the SVG's user space is the logical size
  {  // rendered back for review
    QImage back(logical, QImage::Format_ARGB32_Premultiplied);
    back.fill(Qt::white);
    QPainter p(&back);
    renderer.render(&p);
    p.end();
    CHECK(back.save(outputPath(QStringLiteral("token_view_svg_rendered.png"))));
  }
  CHECK(fileHead(pdf, 5) == QByteArray("%PDF-"));
  CHECK(QFileInfo(pdf).size() > 1000);

  // Report exports through core's writers.
  const QString json = outputPath(QStringLiteral("report.json"));
  const QString csv = outputPath(QStringLiteral("report.csv"));
  const QString html = outputPath(QStringLiteral("report.html"));
  REQUIRE(w.exportReport(json, &exportError));
  REQUIRE(w.exportReport(csv, &exportError));
  REQUIRE(w.exportReport(html, &exportError));
  CHECK(fileHead(json, 1 << 24).contains("\"hybridlens.report\""));
  CHECK(QFileInfo(csv).size() > 100);
  CHECK(fileHead(html, 200).toLower().contains("<!doctype html"));

  // Colour range: the spin box and the model agree.
  w.setColourLimit(1.0);
  CHECK(w.tokenModel()->colourLimit() == 1.0);
  REQUIRE(w.tokenView()->grab().toImage().save(outputPath(QStringLiteral("token_view_widget.png"))));
}

TEST_CASE("editing the text re-scores after the debounce", "[gui][window]") {
  hl::ui::MainWindow w;
  w.resize(1200, 800);
  w.show();
  w.controller()->setDebounceInterval(30);
  w.loadModels(fixtureModel("bamba"), {fixtureModel("llama")}, hl::test::tinyTokenizer());
  REQUIRE(waitUntil([&] { return w.controller()->report() != nullptr && !w.controller()->busy(); }));
  w.textEditor()->setPlainText(QStringLiteral("A short new text.\nSecond line."));
  REQUIRE(waitUntil([&] {
    return w.controller()->report() && !w.controller()->busy() &&
           QString::fromStdString(w.controller()->report()->comparison.text) == QStringLiteral("A short new text.\nSecond line.");
  }));
  CHECK(w.tokenView()->lineCount() == 2);
}

TEST_CASE("File Open reads a text file into the editor", "[gui][window]") {
  const QString path = outputPath(QStringLiteral("open_me.py"));
  {
    QFile f(path);
    REQUIRE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write("def f(x):\n    return x * 2\n");
  }
  hl::ui::MainWindow w;
  QString error;
  REQUIRE(w.openTextFile(path, &error));
  CHECK(w.textEditor()->toPlainText() == QStringLiteral("def f(x):\n    return x * 2\n"));
  CHECK(!w.openTextFile(outputPath(QStringLiteral("does_not_exist.txt")), &error));
  CHECK(!error.isEmpty());

  // Dropping the file on the editor opens it too.
  w.textEditor()->clear();
  QMimeData mime;
  mime.setUrls({QUrl::fromLocalFile(path)});
  QWidget* target = w.textEditor()->viewport();
  QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(target, &enter);
  CHECK(enter.isAccepted());
  QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(target, &drop);
  CHECK(w.textEditor()->toPlainText() == QStringLiteral("def f(x):\n    return x * 2\n"));
}

TEST_CASE("a model folder that cannot load shows a one-line error in the panel", "[gui][window]") {
  hl::ui::MainWindow w;
  w.show();
  w.loadModels(QStringLiteral("/nonexistent/hybrid"), {fixtureModel("llama")}, hl::test::tinyTokenizer());
  REQUIRE(waitUntil([&] { return !w.controller()->busy() && w.modelPanel()->statusText() != QStringLiteral("No models loaded."); }));
  const QString status = w.modelPanel()->statusText();
  CHECK(status.contains(QStringLiteral("/nonexistent/hybrid")));
  CHECK(!status.contains(QLatin1Char('\n')));
  CHECK(w.modelPanel()->progressBar()->format() == QStringLiteral("failed"));
  CHECK(w.tokenModel()->rowCount() == 0);
  REQUIRE(w.grab().toImage().save(outputPath(QStringLiteral("main_window_error.png"))));
}

TEST_CASE("a session saves and restores models, text, colour range and the pinned unit", "[gui][session]") {
  const QString path = outputPath(QStringLiteral("window.hlens"));
  QString text;
  {
    hl::ui::MainWindow w;
    const QString error = hl::test::loadAndScore(w, "olmo_hybrid", "olmo3");
    INFO(error.toStdString());
    REQUIRE(error.isEmpty());
    w.setColourLimit(1.25);
    w.tokenView()->setPinnedUnit(7);
    text = w.textEditor()->toPlainText();
    QString saveError;
    REQUIRE(w.saveSession(path, &saveError));
  }
  hl::ui::MainWindow restored;
  restored.resize(1400, 860);
  restored.show();
  restored.textEditor()->setPlainText(QStringLiteral("something else"));
  QString openError;
  REQUIRE(restored.openSession(path, &openError));
  CHECK(restored.textEditor()->toPlainText() == text);
  CHECK(restored.tokenModel()->colourLimit() == Approx(1.25));
  CHECK(restored.modelPanel()->hybridFolder() == fixtureModel("olmo_hybrid"));
  CHECK(restored.modelPanel()->referenceFolders().value(0) == fixtureModel("olmo3"));
  auto* c = restored.controller();
  REQUIRE(waitUntil([&] { return c->report() != nullptr && !c->busy() && restored.tokenView()->pinnedUnit() >= 0; }));
  CHECK(restored.tokenView()->pinnedUnit() == 7);

  // A truncated session and one from a newer version are refused in one line; the window keeps its state.
  QFile full(path);
  REQUIRE(full.open(QIODevice::ReadOnly));
  const QByteArray bytes = full.readAll();
  full.close();
  const QString truncated = outputPath(QStringLiteral("truncated.hlens"));
  {
    QFile f(truncated);
    REQUIRE(f.open(QIODevice::WriteOnly));
    f.write(bytes.left(bytes.size() / 2));
  }
  QString error;
  CHECK_FALSE(restored.openSession(truncated, &error));
  CHECK(!error.isEmpty());
  CHECK(!error.contains(QLatin1Char('\n')));
  const QString newer = outputPath(QStringLiteral("newer.hlens"));
  {
    QFile f(newer);
    REQUIRE(f.open(QIODevice::WriteOnly));
    QByteArray b = bytes;
    f.write(b.replace("\"version\": 1", "\"version\": 7"));
  }
  CHECK_FALSE(restored.openSession(newer, &error));
  CHECK(error.contains(QStringLiteral("newer")));
  CHECK(restored.textEditor()->toPlainText() == text);
  CHECK(restored.tokenModel()->colourLimit() == Approx(1.25));
}
