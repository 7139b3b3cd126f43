// One hybrid against several references: the controller scores every model once and builds a report per
// reference, the window switches the reference Δ is measured against without re-scoring, and every view, the
// panel and the session follow.
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStandardItemModel>
#include <QToolButton>
#include <catch2/catch.hpp>
#include <cmath>

#include "core/analysis/report/report.h"
#include "gui_test_support.h"
#include "scoring_recorder.h"
#include "ui/views/LayerStackView.h"
#include "ui/MainWindow.h"
#include "ui/views/ModelPanel.h"
#include "ui/ScoringController.h"
#include "ui/views/SideBySideView.h"
#include "ui/models/TokenDeltaModel.h"

using hl::test::fixtureModel;
using hl::test::tinyTokenizer;
using hl::test::waitUntil;
using hl::ui::ScoringController;

namespace {

const QString kText = QStringLiteral("The quick brown fox jumps over the lazy dog. The quick brown fox jumps again.\n");

// Loads and scores; returns the controller's error ("" on success).
QString loadAndScore(ScoringController& c, hl::test::Recorder& r, const QStringList& references) {
  c.loadModels(fixtureModel("olmo_hybrid"), references, tinyTokenizer());
  c.scoreText(kText);
  if (!waitUntil([&] { return (r.ready > 0 && !c.busy()) || r.failures > 0; })) return QStringLiteral("timed out");
  return r.lastError;
}

}  // namespace

TEST_CASE("one hybrid against two references: one scoring run, a report per reference, switching is immediate",
          "[gui][scoring][references]") {
  ScoringController c;
  hl::test::Recorder r(c);
  REQUIRE(loadAndScore(c, r, {fixtureModel("llama"), fixtureModel("qwen2")}) == QString());
  CHECK(r.summary.contains(QStringLiteral("olmo_hybrid")));
  CHECK(r.summary.contains(QStringLiteral("llama")));
  CHECK(r.summary.contains(QStringLiteral("qwen2")));
  CHECK(c.referenceNames() == QStringList({QStringLiteral("llama"), QStringLiteral("qwen2")}));
  CHECK(c.modelSpecs().size() == 3);
  REQUIRE(c.profiles() != nullptr);
  CHECK(c.profiles()->size() == 3);
  CHECK(c.profiles()->front().name == "olmo_hybrid");
  // Loading reports progress over all three folders.
  CHECK(std::find(r.progress.begin(), r.progress.end(), std::pair<int, int>{3, 3}) != r.progress.end());

  REQUIRE(c.reports().size() == 2);
  for (std::size_t k = 0; k < 2; ++k) {
    const auto& cmp = c.reports()[k]->comparison;
    REQUIRE(cmp.models.size() == 3);
    CHECK(cmp.models[0].name == "olmo_hybrid");
    CHECK(cmp.reference == k + 1);
    CHECK(cmp.compared_model() == 0);
  }
  CHECK(c.activeReference() == 0);
  CHECK(c.report() == c.reports()[0]);
  CHECK(c.referenceName() == QStringLiteral("llama"));

  // Each reference's Δ is NLL_reference − NLL_hybrid on the same scores (the fixtures share a tokenizer, so the
  // units are the tokens in both reports).
  const auto& a = *c.reports()[0];
  const auto& b = *c.reports()[1];
  REQUIRE(a.comparison.units.size() == b.comparison.units.size());
  int scored = 0;
  for (std::size_t u = 0; u < a.comparison.units.size(); ++u) {
    const double hybrid = a.unit_nll(u, 0);
    if (!std::isfinite(hybrid)) continue;
    ++scored;
    CHECK(b.unit_nll(u, 0) == hybrid);
    CHECK(a.unit_delta(u, 0) == Approx(a.unit_nll(u, 1) - hybrid).margin(1e-12));
    CHECK(b.unit_delta(u, 0) == Approx(b.unit_nll(u, 2) - hybrid).margin(1e-12));
  }
  CHECK(scored > 10);

  // Switching swaps the report at once: no scoring job, same run.
  const int readyBefore = r.ready;
  const double seconds = c.lastScoreSeconds();
  int announced = -1;
  QObject::connect(&c, &ScoringController::activeReferenceChanged, [&](int k) { announced = k; });
  c.setActiveReference(1);
  CHECK_FALSE(c.busy());
  CHECK(r.ready == readyBefore + 1);
  CHECK(announced == 1);
  CHECK(c.report() == c.reports()[1]);
  CHECK(c.referenceName() == QStringLiteral("qwen2"));
  CHECK(c.lastScoreSeconds() == seconds);
  c.setActiveReference(5);  // out of range: ignored
  CHECK(c.activeReference() == 1);
}

TEST_CASE("the Δ against each reference equals that reference's one-to-one comparison", "[gui][scoring][references]") {
  ScoringController several, single;
  hl::test::Recorder rs(several), r1(single);
  REQUIRE(loadAndScore(several, rs, {fixtureModel("llama"), fixtureModel("qwen2")}) == QString());
  REQUIRE(loadAndScore(single, r1, {fixtureModel("qwen2")}) == QString());
  const auto& multi = *several.reports()[1];
  const auto& pair = *single.report();
  REQUIRE(multi.comparison.units.size() == pair.comparison.units.size());
  for (std::size_t u = 0; u < pair.comparison.units.size(); ++u) {
    const double d = pair.unit_delta(u, 0);
    if (std::isfinite(d)) CHECK(multi.unit_delta(u, 0) == d);  // same scores, bit for bit
  }
  CHECK(multi.categories.front().gaps.front().mean_delta ==
        Approx(pair.categories.front().gaps.front().mean_delta).margin(1e-12));
}

TEST_CASE("a reference folder that fails keeps the loaded models", "[gui][scoring][references]") {
  ScoringController c;
  hl::test::Recorder r(c);
  REQUIRE(loadAndScore(c, r, {fixtureModel("llama")}) == QString());
  c.loadModels(fixtureModel("bamba"), {fixtureModel("qwen2"), QStringLiteral("/nonexistent/third")}, tinyTokenizer());
  REQUIRE(waitUntil([&] { return r.failures > 0; }));
  CHECK(r.lastError.contains(QStringLiteral("/nonexistent/third")));
  CHECK(r.lastError.endsWith(QStringLiteral("(the previous models stay loaded)")));
  CHECK(c.modelsLoaded());
  CHECK(c.hybridName() == QStringLiteral("olmo_hybrid"));
  CHECK(c.loadedFolders().references == QStringList{fixtureModel("llama")});

  QStringList nine;
  for (int i = 0; i < ScoringController::kMaxReferences + 1; ++i) nine << fixtureModel("llama");
  const int failures = r.failures;
  c.loadModels(fixtureModel("bamba"), nine, tinyTokenizer());
  REQUIRE(waitUntil([&] { return r.failures > failures; }));
  CHECK(r.lastError.startsWith(QStringLiteral("at most 8 references")));
}

TEST_CASE("the model panel lists references, adds and removes rows, sums the memory estimate and offers devices",
          "[gui][references]") {
  hl::ui::ModelPanel panel;
  CHECK(panel.referenceRowCount() == 1);
  panel.setFolders(fixtureModel("olmo_hybrid"), {fixtureModel("llama"), fixtureModel("qwen2")});
  CHECK(panel.referenceRowCount() == 2);
  CHECK(panel.referenceFolders() == QStringList({fixtureModel("llama"), fixtureModel("qwen2")}));
  CHECK(panel.totalEstimateText().startsWith(QStringLiteral("All 3 models: weights")));
  // Empty rows are not references.
  panel.addReferenceButton()->click();
  CHECK(panel.referenceRowCount() == 3);
  CHECK(panel.referenceFolders().size() == 2);
  panel.referenceEdit(2)->setText(fixtureModel("olmo3"));
  CHECK(panel.referenceFolders().size() == 3);
  CHECK(panel.totalEstimateText().startsWith(QStringLiteral("All 4 models")));
  // Removing the middle row keeps the others in order.
  auto* remove = panel.referenceEdit(1)->parentWidget()->findChild<QToolButton*>(QStringLiteral("removeReference"));
  REQUIRE(remove != nullptr);
  remove->click();
  CHECK(panel.referenceFolders() == QStringList({fixtureModel("llama"), fixtureModel("olmo3")}));
  for (int i = 0; i < 20; ++i) panel.addReferenceButton()->click();
  CHECK(panel.referenceRowCount() == ScoringController::kMaxReferences);
  CHECK_FALSE(panel.addReferenceButton()->isEnabled());
  panel.setFolders(fixtureModel("olmo_hybrid"), {fixtureModel("llama")});
  CHECK(panel.referenceRowCount() == 1);
  CHECK(panel.totalEstimateText().startsWith(QStringLiteral("All 2 models")));

  // Devices: the CPU always, CUDA listed and usable only where this build and machine have it.
  QComboBox* devices = panel.deviceBox();
  REQUIRE(devices->count() == 2);
  CHECK(devices->itemData(0).toString() == QStringLiteral("cpu"));
  CHECK(devices->itemData(1).toString() == QStringLiteral("cuda"));
  CHECK(panel.device() == QStringLiteral("cpu"));
  const auto* items = static_cast<QStandardItemModel*>(devices->model());
  if (!items->item(1)->isEnabled()) {
    WARN("no usable CUDA device here: checking that CUDA is offered disabled, with its reason");
    CHECK(devices->itemText(1).endsWith(QStringLiteral("unavailable")));
    CHECK_FALSE(items->item(1)->toolTip().isEmpty());
    CHECK_FALSE(panel.setDevice(QStringLiteral("cuda")));
    CHECK(panel.device() == QStringLiteral("cpu"));
  } else {
    CHECK(panel.setDevice(QStringLiteral("cuda")));
    CHECK(panel.device() == QStringLiteral("cuda"));
  }
  CHECK_FALSE(panel.setDevice(QStringLiteral("tpu")));
}

TEST_CASE("the window shows every reference and switches Δ between them", "[gui][references][window]") {
  hl::ui::MainWindow w;
  w.resize(1400, 860);
  w.show();
  w.textEditor()->setPlainText(kText);
  w.loadModels(fixtureModel("olmo_hybrid"), {fixtureModel("llama"), fixtureModel("qwen2")}, tinyTokenizer());
  auto* c = w.controller();
  REQUIRE(waitUntil([&] { return c->report() != nullptr && !c->busy(); }));
  QCoreApplication::processEvents();
  QString error;

  auto* against = w.findChild<QComboBox*>(QStringLiteral("activeReference"));
  REQUIRE(against != nullptr);
  CHECK(against->isVisible());
  REQUIRE(against->count() == 2);
  CHECK(against->itemText(1) == QStringLiteral("qwen2"));

  // Layer stacks: the hybrid first, then each reference.
  REQUIRE(w.layerStackView()->columnCount() == 3);

  auto* summary = w.findChild<QLabel*>(QStringLiteral("reportSummary"));
  CHECK(summary->text().contains(QStringLiteral("vs qwen2: mean Δ")));
  CHECK(w.tokenModel()->referenceName() == QStringLiteral("llama"));
  const QString card = w.tokenModel()->hoverCard(3);
  CHECK(card.contains(QStringLiteral("olmo_hybrid")));
  CHECK(card.contains(QStringLiteral("llama</b> (reference)")));
  CHECK(card.contains(QStringLiteral("qwen2</b> (Δ against it")));

  // Choosing the other reference recolours by its Δ, at once.
  const double deltaVsLlama = w.tokenModel()->delta(3);
  against->setCurrentIndex(1);
  emit against->activated(1);
  CHECK(c->activeReference() == 1);
  CHECK(w.tokenModel()->referenceName() == QStringLiteral("qwen2"));
  CHECK(summary->text().contains(QStringLiteral("vs llama: mean Δ")));
  const auto& report = *c->report();
  CHECK(w.tokenModel()->delta(3) == Approx(report.unit_nll(3, 2) - report.unit_nll(3, 0)).margin(1e-12));
  CHECK(w.tokenModel()->delta(3) != deltaVsLlama);
  // "Colour by NLL of" offers every model; the other reference is chosen by its index in the report.
  auto* whose = w.findChild<QComboBox*>(QStringLiteral("colourModel"));
  REQUIRE(whose != nullptr);
  REQUIRE(whose->count() == 3);
  CHECK(whose->itemText(2) == QStringLiteral("llama"));
  w.tokenModel()->setColourMode(hl::analysis::ColourMode::nll);
  whose->setCurrentIndex(2);
  emit whose->activated(2);
  CHECK(w.tokenModel()->colouring().model_index == 1);
  CHECK(QString::fromStdString(w.tokenModel()->legend().title).contains(QStringLiteral("llama")));
  whose->setCurrentIndex(0);
  emit whose->activated(0);
  CHECK(w.tokenModel()->colouring().model_index == -1);
  w.tokenModel()->setColourMode(hl::analysis::ColourMode::delta);
  QCoreApplication::processEvents();
  CHECK(w.grab().save(hl::test::outputPath(QStringLiteral("multi_reference_window.png"))));  // for looking at

  // The slide colours by the chosen reference and names the hybrid's mean Δ against the other one.
  const QString slide = hl::test::outputPath(QStringLiteral("multi_reference_slide.svg"));
  REQUIRE(w.exportSlide(slide, {}, &error));
  QFile svg(slide);
  REQUIRE(svg.open(QIODevice::ReadOnly));
  const QString svgText = QString::fromUtf8(svg.readAll());
  CHECK(svgText.contains(QStringLiteral("NLL(qwen2) − NLL(olmo_hybrid)")));
  CHECK(svgText.contains(QStringLiteral("vs llama: mean Δ")));

  // The session keeps every reference and the one chosen; reopening restores them.
  const QString path = hl::test::outputPath(QStringLiteral("multi_reference.hlens"));
  REQUIRE(w.saveSession(path, &error));
  hl::ui::MainWindow restored;
  REQUIRE(restored.openSession(path, &error));
  CHECK(restored.modelPanel()->referenceFolders() == QStringList({fixtureModel("llama"), fixtureModel("qwen2")}));
  auto* rc = restored.controller();
  REQUIRE(waitUntil([&] { return rc->report() != nullptr && !rc->busy(); }));
  CHECK(rc->activeReference() == 1);
  CHECK(restored.tokenModel()->referenceName() == QStringLiteral("qwen2"));
  CHECK(restored.findChild<QComboBox*>(QStringLiteral("activeReference"))->currentIndex() == 1);
}
