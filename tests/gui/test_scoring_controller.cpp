// The scoring worker: loads fixture models and scores off the GUI thread, reports progress, cancels superseded
// runs, and turns every error into a one-line message.
#include <QString>
#include <QThread>
#include <catch2/catch.hpp>
#include <cmath>
#include <memory>
#include <vector>

#include "core/analysis/report/report.h"
#include "gui_test_support.h"
#include "scoring_recorder.h"
#include "ui/ScoringController.h"
#include "worker_gate.h"

using hl::test::fixtureModel;
using hl::test::tinyTokenizer;
using hl::test::waitUntil;
using hl::ui::ScoringController;

using hl::test::Recorder;

TEST_CASE("scoring controller loads two fixture models and scores a text off the GUI thread", "[gui][scoring]") {
  ScoringController c;
  Recorder r(c);
  c.loadModels(fixtureModel("olmo_hybrid"), {fixtureModel("llama")}, tinyTokenizer());
  const QString text = QStringLiteral("The quick brown fox jumps over the lazy dog. The quick brown fox jumps again.\n");
  c.scoreText(text);  // kept until the models are loaded
  REQUIRE(waitUntil([&] { return r.ready > 0 || r.failures > 0; }));
  INFO(r.lastError.toStdString());
  REQUIRE(r.failures == 0);
  CHECK(r.models == 1);
  CHECK(r.summary.contains(QStringLiteral("olmo_hybrid")));
  CHECK(r.summary.contains(QStringLiteral("llama")));
  REQUIRE(c.report() != nullptr);
  const auto& cmp = c.report()->comparison;
  REQUIRE(cmp.models.size() == 2);
  CHECK(cmp.models[0].name == "olmo_hybrid");  // the hybrid first, then the reference Δ is measured against
  CHECK(cmp.reference == 1);
  CHECK(QString::fromStdString(cmp.text) == text);
  CHECK(cmp.units.size() > 10);
  // Progress arrives per layer for both models, ending at the total.
  REQUIRE(!r.progress.empty());
  const int total = r.progress.back().second;
  CHECK(total >= 2 * 3);
  bool reachedEnd = false;
  for (auto [d, t] : r.progress) {
    CHECK(d >= 0);
    CHECK(d <= t);
    if (t == total && d == total) reachedEnd = true;
  }
  CHECK(reachedEnd);
  REQUIRE(waitUntil([&] { return !c.busy(); }, 5000));
}

TEST_CASE("typing re-scores once after the debounce and superseded runs never report", "[gui][scoring]") {
  ScoringController c;
  c.setDebounceInterval(50);
  Recorder r(c);
  c.loadModels(fixtureModel("bamba"), {fixtureModel("llama")}, tinyTokenizer());
  REQUIRE(waitUntil([&] { return c.modelsLoaded() || r.failures > 0; }));
  REQUIRE(r.failures == 0);
  QString text;
  for (int i = 0; i < 12; ++i) {
    text += QStringLiteral("word%1 ").arg(i);
    c.scheduleScore(text);  // each keystroke restarts the debounce and cancels whatever runs
    QCoreApplication::processEvents();
  }
  REQUIRE(waitUntil([&] { return r.ready > 0 && !c.busy(); }));
  CHECK(r.failures == 0);
  CHECK(r.cancels == 0);  // superseded runs are silent
  CHECK(r.ready == 1);
  REQUIRE(c.report() != nullptr);
  CHECK(QString::fromStdString(c.report()->comparison.text) == text);
}

TEST_CASE("cancel stops the run in flight and keeps the last report", "[gui][scoring]") {
  ScoringController c;
  Recorder r(c);
  c.loadModels(fixtureModel("olmo_hybrid"), {fixtureModel("llama")}, tinyTokenizer());
  c.scoreText(QStringLiteral("first text to score"));
  REQUIRE(waitUntil([&] { return r.ready == 1 && !c.busy(); }));
  const auto first = c.report();
  QString longer;
  for (int i = 0; i < 60; ++i) longer += QStringLiteral("A longer passage, line %1, that takes a while.\n").arg(i);
  c.scoreText(longer);
  c.cancel();  // before or during the run: either way no new report
  REQUIRE(waitUntil([&] { return !c.busy(); }));
  CHECK(r.ready == 1);
  CHECK(c.report() == first);
  CHECK(r.failures == 0);
}

TEST_CASE("errors arrive as one-line messages and never as a crash", "[gui][scoring]") {
  ScoringController c;
  Recorder r(c);
  SECTION("missing folder") {
    c.loadModels(QStringLiteral("/nonexistent/hybrid"), {fixtureModel("llama")}, tinyTokenizer());
  }
  SECTION("no tokenizer for a folder without tokenizer.json") {
    c.loadModels(fixtureModel("olmo_hybrid"), {fixtureModel("llama")});
  }
  SECTION("a tokenizer that is not one") {
    c.loadModels(fixtureModel("olmo_hybrid"), {fixtureModel("llama")}, fixtureModel("llama") + QStringLiteral("/config.json"));
  }
  REQUIRE(waitUntil([&] { return r.failures > 0 || r.models > 0; }));
  CHECK(r.failures == 1);
  CHECK(r.models == 0);
  CHECK(!r.lastError.isEmpty());
  CHECK(!r.lastError.contains(QLatin1Char('\n')));
  CHECK(!c.modelsLoaded());
  REQUIRE(waitUntil([&] { return !c.busy(); }));
}

TEST_CASE("cancel during a long run stops it at a layer boundary", "[gui][scoring]") {
  ScoringController c;
  Recorder r(c);
  c.loadModels(fixtureModel("olmo_hybrid"), {fixtureModel("llama")}, tinyTokenizer());
  REQUIRE(waitUntil([&] { return c.modelsLoaded() || r.failures > 0; }));
  REQUIRE(r.failures == 0);
  // Several thousand tokens: scored in windows of the fixtures' 512-token context.
  QString text;
  for (int i = 0; i < 400; ++i) text += QStringLiteral("Line %1 of a long text about foxes and dogs.\n").arg(i);
  // The run is held on the scoring thread after its first layer until cancel() has been called: the cancel always
  // lands mid-run, however fast the machine scores.
  hl::test::WorkerGate gate(c, QStringLiteral("scoring"), 1);
  c.scoreText(text);
  REQUIRE(waitUntil([&] { return gate.holding(); }));
  c.cancel();
  gate.release();
  REQUIRE(waitUntil([&] { return !c.busy(); }));
  CHECK(r.cancels == 1);
  CHECK(r.ready == 0);
  CHECK(c.report() == nullptr);
}
