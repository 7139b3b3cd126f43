// The composed slide: in the window (File → Export slide's code path) and headless through `hybridlens-cli render`,
// which runs `hybridlens --render` on the offscreen platform. Checks sizes, formats, the callout and one-line errors.
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QSvgRenderer>
#include <catch2/catch.hpp>

#include "core/analysis/report/report.h"
#include "window_test_support.h"
#include "ui/MainWindow.h"
#include "ui/ScoringController.h"
#include "ui/export/SlideExport.h"
#include "ui/models/TokenDeltaModel.h"
#include "ui/views/TokenDeltaView.h"

using hl::test::fixtureModel;
using hl::test::outputPath;

namespace {

struct Run {
  int code;
  QString out, err;
};

Run runCli(const QStringList& args) {
  QProcess p;
  p.start(QStringLiteral(HL_CLI_EXE), args);
  p.waitForFinished(120000);
  return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
          QString::fromUtf8(p.readAllStandardError())};
}

}  // namespace

TEST_CASE("slide export composes title, legend, text, callout and caption", "[gui][slide]") {
  hl::ui::MainWindow w;
  const QString error = hl::test::loadAndScore(w, "olmo_hybrid", "olmo3", {1200, 800});
  INFO(error.toStdString());
  REQUIRE(error.isEmpty());

  hl::ui::SlideOptions options;
  options.title = QStringLiteral("Where the hybrid wins");
  options.caption = QStringLiteral("A caption long enough to wrap onto a second line when the slide is narrow, which "
                                   "it is in this test: the footer must grow with it.");
  options.width = 700;
  options.callout = -1;
  const hl::ui::SlideExport plain(*w.tokenView(), options);
  options.callout = 5;
  const hl::ui::SlideExport called(*w.tokenView(), options);
  CHECK(plain.size().width() == 700 + 64);
  CHECK(called.size().height() > plain.size().height());  // the callout line
  CHECK(plain.calloutText().isEmpty());
  CHECK(called.calloutText().startsWith(QStringLiteral("①")));
  CHECK(called.calloutText().contains(w.tokenModel()->unitText(5).simplified()));
  CHECK(called.title() == options.title);
  CHECK(called.modelsLine().contains(QStringLiteral("olmo_hybrid")));
  CHECK(!w.tokenView()->renderedUnitRect(5, 700).isNull());

  // Through the window: the pinned unit is the callout by default.
  w.tokenView()->setPinnedUnit(5);
  hl::ui::SlideOptions pinned = options;
  pinned.callout = -2;
  pinned.pngScale = 2.0;
  QString exportError;
  const QString png = outputPath(QStringLiteral("slide.png"));
  REQUIRE(w.exportSlide(png, pinned, &exportError));
  const QImage image(png);
  CHECK(image.width() == 2 * called.size().width());
  CHECK(image.height() == 2 * called.size().height());
  const QString svg = outputPath(QStringLiteral("slide.svg"));
  REQUIRE(w.exportSlide(svg, pinned, &exportError));
  CHECK(QSvgRenderer(svg).isValid());
  const QString pdf = outputPath(QStringLiteral("slide.pdf"));
  REQUIRE(w.exportSlide(pdf, pinned, &exportError));
  CHECK(hl::test::fileHead(pdf, 5) == "%PDF-");
  CHECK_FALSE(w.exportSlide(outputPath(QStringLiteral("slide.txt")), pinned, &exportError));
  CHECK(exportError.contains(QStringLiteral(".png, .svg or .pdf")));
}

TEST_CASE("hybridlens-cli render writes the slide without a display", "[gui][slide][cli]") {
  const QString out = outputPath(QStringLiteral("cli_slide.png"));
  QFile::remove(out);
  const QStringList common = {QStringLiteral("render"), QStringLiteral("--model"), fixtureModel("olmo_hybrid"),
                              QStringLiteral("--reference"), fixtureModel("olmo3"), QStringLiteral("--tokenizer"),
                              hl::test::tinyTokenizer(), QStringLiteral("--text"),
                              QStringLiteral("The quick brown fox jumps over the lazy dog. The quick brown fox jumps over "
                                             "the lazy dog again.")};
  const Run ok = runCli(common + QStringList{QStringLiteral("--out"), out, QStringLiteral("--width"),
                                            QStringLiteral("600"), QStringLiteral("--scale"), QStringLiteral("1.5"),
                                            QStringLiteral("--callout"), QStringLiteral("best"),
                                            QStringLiteral("--title"), QStringLiteral("CLI slide")});
  INFO(ok.err.toStdString());
  REQUIRE(ok.code == 0);
  CHECK(ok.out.contains(QStringLiteral("wrote")));
  const QImage image(out);
  REQUIRE(!image.isNull());
  CHECK(image.width() == qRound(1.5 * (600 + 64)));

  const QString svg = outputPath(QStringLiteral("cli_slide.svg"));
  REQUIRE(runCli(common + QStringList{QStringLiteral("--out"), svg}).code == 0);
  CHECK(QSvgRenderer(svg).isValid());

  // One-line errors, non-zero exits: a bad callout, a folder that is not a model, a missing option.
  const Run bad_callout = runCli(common + QStringList{QStringLiteral("--out"), out, QStringLiteral("--callout"),
                                                     QStringLiteral("nowhere")});
  CHECK(bad_callout.code != 0);
  CHECK(bad_callout.err.contains(QStringLiteral("--callout")));
  QStringList not_a_model = common;
  not_a_model[2] = QStringLiteral(HL_TEST_DATA_DIR "/tokenizers");
  const Run bad_model = runCli(not_a_model + QStringList{QStringLiteral("--out"), out});
  CHECK(bad_model.code != 0);
  CHECK(bad_model.err.trimmed().count(QLatin1Char('\n')) == 0);
  CHECK(bad_model.err.contains(QStringLiteral("config.json")));
  const Run no_out = runCli(common);
  CHECK(no_out.code != 0);
  CHECK(no_out.err.contains(QStringLiteral("--out")));
}
