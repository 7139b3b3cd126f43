// The token view's colourings and the category filter: the model's colours follow each mode (core's scales, as
// QColors), the legend follows the mode, the filter dims exactly the units outside the category, a click on a
// category bar filters the window's token view, exports show the current colouring, sessions keep it, and switching
// modes on 20,000 units is immediate (benchmark).
#include <QApplication>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QMouseEvent>
#include <QPainter>
#include <QToolButton>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <functional>
#include <qcustomplot.h>
#include <set>
#include <string>
#include <vector>

#include "core/analysis/colour/colour_scales.h"
#include "core/analysis/colour/unit_colouring.h"
#include "gui_test_support.h"
#include "synthetic_report.h"
#include "ui/views/CategoryChart.h"
#include "ui/views/ColouringControls.h"
#include "ui/DeltaColourScale.h"
#include "ui/views/DeltaLegend.h"
#include "ui/MainWindow.h"
#include "ui/models/TokenDeltaModel.h"
#include "ui/views/TokenDeltaView.h"
#include "window_test_support.h"

using hl::analysis::ColourMode;
using hl::analysis::ModelRole;
using hl::ui::TokenDeltaModel;

namespace {

// Words of several categories: function and open-class words, brackets, numbers, punctuation.
std::string mixedWord(int i) {
  static const char* const kWords[] = {"The", "cat", "(", "42", ")", "sat", "on", "the", "mat", ",", "and", "ran"};
  return kWords[i % 12];
}

QColor q(const hl::analysis::Rgb& c) { return QColor(c.r, c.g, c.b); }

double luminance(const QColor& c) {
  auto lin = [](int v) {
    const double x = v / 255.0;
    return x <= 0.04045 ? x / 12.92 : std::pow((x + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * lin(c.red()) + 0.7152 * lin(c.green()) + 0.0722 * lin(c.blue());
}

QStringList labelsOf(const TokenDeltaModel& m, int row) {
  return m.data(m.index(row, 0), TokenDeltaModel::CategoriesRole).toStringList();
}

void click(QWidget* target, QPoint at) {
  QMouseEvent press(QEvent::MouseButtonPress, QPointF(at), target->mapToGlobal(QPointF(at)), Qt::LeftButton,
                    Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(target, &press);
  QMouseEvent release(QEvent::MouseButtonRelease, QPointF(at), target->mapToGlobal(QPointF(at)), Qt::LeftButton,
                      Qt::NoButton, Qt::NoModifier);
  QApplication::sendEvent(target, &release);
}

// Pixels of exactly this colour in a region of an image.
int countColour(const QImage& image, const QRect& region, const QColor& colour) {
  int n = 0;
  const QRect r = region.intersected(image.rect());
  for (int y = r.top(); y <= r.bottom(); ++y)
    for (int x = r.left(); x <= r.right(); ++x)
      if (image.pixelColor(x, y).rgb() == colour.rgb()) ++n;
  return n;
}

}  // namespace

TEST_CASE("token colours follow the colouring mode and the legend names it", "[gui][colouring]") {
  const auto report = hl::test::syntheticReport(400, 20, mixedWord);
  const auto& cmp = report->comparison;
  TokenDeltaModel model;
  model.setReport(report);
  hl::ui::DeltaLegend legend;
  legend.follow(&model);
  REQUIRE(model.rowCount() == 400);
  int resets = 0, recolours = 0, legendChanges = 0;
  QObject::connect(&model, &QAbstractItemModel::modelReset, [&] { ++resets; });
  QObject::connect(&model, &QAbstractItemModel::dataChanged, [&] { ++recolours; });
  QObject::connect(&model, &TokenDeltaModel::colouringChanged, [&] { ++legendChanges; });
  CHECK(legend.text().startsWith(QStringLiteral("Δ = NLL(reference) − NLL(hybrid)")));
  CHECK(legend.text().contains(QStringLiteral("hybrid better")));

  SECTION("NLL of the hybrid: the sequential ramp, darker for a higher NLL, auto range at the 95th percentile") {
    model.setColourMode(ColourMode::nll);
    CHECK(recolours == 1);
    CHECK(legendChanges == 1);
    CHECK(resets == 0);
    const double max = model.effectiveSequentialMax();
    CHECK(max > 4.0);  // p95 of NLLs uniform in [0.05, 6]
    CHECK(max < 6.0);
    int lowest = -1, highest = -1;
    for (int r = 1; r < model.rowCount(); ++r) {
      const double nll = report->unit_nll(static_cast<std::size_t>(r), 1);
      CHECK(model.colour(r) == q(*hl::analysis::sequential_colour(nll, max, hl::analysis::kNllPalette)));
      if (lowest < 0 || nll < report->unit_nll(static_cast<std::size_t>(lowest), 1)) lowest = r;
      if (highest < 0 || nll > report->unit_nll(static_cast<std::size_t>(highest), 1)) highest = r;
    }
    CHECK(luminance(model.colour(highest)) < luminance(model.colour(lowest)) - 0.5);
    CHECK(model.textColour(highest) == QColor(Qt::white));  // the dark end takes white ink
    CHECK(model.textColour(lowest) == QColor(Qt::black));
    CHECK(!model.colour(0).isValid());  // the first unit has no NLL
    CHECK(legend.text().startsWith(QStringLiteral("NLL of hybrid (nats)")));
    CHECK(legend.text().contains(QStringLiteral("(p95)")));
    // A fixed maximum: everything at or above it is the darkest colour.
    model.setSequentialMax(1.0);
    CHECK(model.colour(highest) == q(hl::analysis::kNllPalette.stops.back()));
    CHECK(legend.text().endsWith(QStringLiteral("≥ 1")));
    // The reference's NLL is another set of colours.
    model.setColourModel(ModelRole::reference);
    CHECK(legend.text().startsWith(QStringLiteral("NLL of reference")));
    CHECK(model.colour(5) == q(*hl::analysis::sequential_colour(report->unit_nll(5, 0), 1.0, hl::analysis::kNllPalette)));
  }
  SECTION("rank buckets map every unit's rank exactly, GLTR-style") {
    model.setColourMode(ColourMode::rank);
    std::set<QRgb> seen;
    for (int r = 0; r < model.rowCount(); ++r) {
      const int rank = hl::analysis::unit_rank(cmp, static_cast<std::size_t>(r), 1);
      const auto bucket = hl::analysis::rank_bucket(rank);
      if (!bucket) {
        CHECK(!model.colour(r).isValid());
        continue;
      }
      CHECK(model.colour(r) == q(hl::analysis::rank_bucket_colour(*bucket)));
      seen.insert(model.colour(r).rgb());
    }
    CHECK(seen.size() == hl::analysis::kRankBucketCount);  // the synthetic ranks reach every bucket
    // Unit 28 has rank 28·37 mod 2500 = 1036: beyond the top 1000. Unit 27: 999, the last of the top 1000.
    CHECK(model.colour(28) == q(hl::analysis::rank_bucket_colour(hl::analysis::RankBucket::beyond)));
    CHECK(model.colour(27) == q(hl::analysis::rank_bucket_colour(hl::analysis::RankBucket::top1000)));
    CHECK(legend.text() == QStringLiteral("rank under hybrid · top 1 · top 10 · top 100 · top 1000 · beyond"));
  }
  SECTION("entropy of the reference: its own ramp") {
    model.setColourModel(ModelRole::reference);
    model.setColourMode(ColourMode::entropy);
    const double max = model.effectiveSequentialMax();
    const double e = hl::analysis::unit_entropy(cmp, 9, 0);
    CHECK(model.colour(9) == q(*hl::analysis::sequential_colour(e, max, hl::analysis::kEntropyPalette)));
    CHECK(legend.text().startsWith(QStringLiteral("entropy of reference (nats)")));
  }
  SECTION("category: one colour per class, by precedence") {
    model.setColourMode(ColourMode::category);
    for (int r = 0; r < 12; ++r) {
      std::vector<std::string> labels;
      for (const QString& l : labelsOf(model, r)) labels.push_back(l.toStdString());
      CHECK(model.colour(r) == q(hl::analysis::category_class_colour(hl::analysis::category_class(labels))));
    }
    CHECK(model.colour(2) == q(hl::analysis::category_class_colour(hl::analysis::CategoryClass::delimiter)));  // " ("
    CHECK(model.colour(3) == q(hl::analysis::category_class_colour(hl::analysis::CategoryClass::number)));     // " 42"
    CHECK(model.colour(0) == q(hl::analysis::category_class_colour(hl::analysis::CategoryClass::function_word)));
    CHECK(model.colour(0).isValid());  // categories need no score
    CHECK(legend.text().startsWith(QStringLiteral("category · delimiter · code · function word · open word")));
  }
  SECTION("back to Δ: the Δ colours again") {
    model.setColourMode(ColourMode::category);
    model.setColourMode(ColourMode::delta);
    for (int r = 1; r < 50; ++r) CHECK(model.colour(r) == hl::ui::DeltaColourScale::colour(model.delta(r), model.colourLimit()));
    CHECK(legend.text().startsWith(QStringLiteral("Δ = NLL")));
  }
}

TEST_CASE("the category filter dims exactly the units outside the category", "[gui][colouring]") {
  const auto report = hl::test::syntheticReport(240, 20, mixedWord);
  TokenDeltaModel model;
  model.setReport(report);
  std::vector<QColor> before(static_cast<std::size_t>(model.rowCount()));
  for (int r = 0; r < model.rowCount(); ++r) before[static_cast<std::size_t>(r)] = model.colour(r);
  REQUIRE(model.categories().contains(QStringLiteral("delim:bracket_open")));
  QString announced;
  QObject::connect(&model, &TokenDeltaModel::categoryFilterChanged, [&](const QString& f) { announced = f; });

  model.setCategoryFilter(QStringLiteral("delim:bracket_open"));
  CHECK(announced == QStringLiteral("delim:bracket_open"));
  int kept = 0, dimmed = 0;
  for (int r = 0; r < model.rowCount(); ++r) {
    const bool in = labelsOf(model, r).contains(QStringLiteral("delim:bracket_open"));
    CHECK(model.dimmed(r) == !in);
    const QColor was = before[static_cast<std::size_t>(r)];
    if (in) {
      ++kept;
      CHECK(model.colour(r) == was);
      CHECK(model.textColour(r) != q(hl::analysis::kDimmedInk));
    } else {
      ++dimmed;
      if (was.isValid()) {
        CHECK(model.colour(r) == q(hl::analysis::faded({was.red(), was.green(), was.blue()})));
        CHECK(model.textColour(r) == q(hl::analysis::kDimmedInk));
      } else {
        CHECK(!model.colour(r).isValid());
      }
    }
  }
  CHECK(kept == 20);  // "(" is every 12th word
  CHECK(dimmed == 220);
  // The filter survives a new report (typing re-scores) and a mode change; "all" clears it.
  model.setReport(hl::test::syntheticReport(240, 20, mixedWord));
  CHECK(model.dimmed(0));
  CHECK(!model.dimmed(2));
  model.setColourMode(ColourMode::category);
  CHECK(model.colour(0) == q(hl::analysis::faded(hl::analysis::category_class_colour(hl::analysis::CategoryClass::function_word))));
  model.setCategoryFilter(QStringLiteral("all"));
  CHECK(announced.isEmpty());
  for (int r = 0; r < model.rowCount(); ++r) CHECK(!model.dimmed(r));
}

TEST_CASE("a click on a category bar filters the window's token view; clicking again clears", "[gui][colouring][window]") {
  hl::ui::MainWindow w;
  const QString error = hl::test::loadAndScore(w, "olmo_hybrid", "llama");
  INFO(error.toStdString());
  REQUIRE(error.isEmpty());
  auto* model = w.tokenModel();
  auto* chart = w.categoryChart();
  auto* controls = w.findChild<hl::ui::ColouringControls*>(QStringLiteral("colouringControls"));
  REQUIRE(controls != nullptr);
  auto* legend = w.findChild<hl::ui::DeltaLegend*>(QStringLiteral("deltaLegend"));
  REQUIRE(legend != nullptr);
  REQUIRE(chart->categoryCount() > 3);
  chart->plot()->replot();
  QCoreApplication::processEvents();

  // A category with units in and out of it: the first one after "all" that does not cover every unit.
  QString name;
  for (const QString& c : model->categories()) {
    int in = 0;
    for (int r = 0; r < model->rowCount(); ++r) in += labelsOf(*model, r).contains(c);
    if (in > 0 && in < model->rowCount() / 2) {
      name = c;
      break;
    }
  }
  REQUIRE(!name.isEmpty());
  const QPoint at = chart->barCentre(name);
  REQUIRE(!at.isNull());
  CHECK(chart->categoryAt(at) == name);
  click(chart->plot(), at);
  CHECK(model->categoryFilter() == name);
  CHECK(chart->selectedCategory() == name);
  CHECK(controls->categoryBox()->currentData().toString() == name);
  CHECK(controls->clearButton()->isEnabled());
  for (int r = 0; r < model->rowCount(); ++r) CHECK(model->dimmed(r) == !labelsOf(*model, r).contains(name));
  // The selected row is marked in the chart's labels.
  auto* ticker = dynamic_cast<QCPAxisTickerText*>(chart->plot()->yAxis->ticker().data());
  REQUIRE(ticker != nullptr);
  int marked = 0;
  for (const QString& label : ticker->ticks()) marked += label.startsWith(QStringLiteral("▶ ") + name + QStringLiteral(" ("));
  CHECK(marked == 1);

  // Screenshots in two modes, with the filter on: rank buckets, then the NLL ramp.
  controls->modeBox()->setCurrentIndex(controls->modeBox()->findData(static_cast<int>(ColourMode::rank)));
  CHECK(model->colouring().mode == ColourMode::rank);
  CHECK(legend->text().startsWith(QStringLiteral("rank under olmo_hybrid")));
  CHECK(controls->modelBox()->isEnabled());
  QCoreApplication::processEvents();
  const QImage rankShot = w.grab().toImage();
  CHECK(rankShot.save(hl::test::outputPath(QStringLiteral("main_window_rank_filtered.png"))));
  controls->modeBox()->setCurrentIndex(controls->modeBox()->findData(static_cast<int>(ColourMode::nll)));
  controls->modelBox()->setCurrentIndex(controls->modelBox()->findData(static_cast<int>(ModelRole::reference)));
  CHECK(model->colouring().model == ModelRole::reference);
  CHECK(legend->text().startsWith(QStringLiteral("NLL of llama")));
  QCoreApplication::processEvents();
  const QImage nllShot = w.grab().toImage();
  CHECK(nllShot.save(hl::test::outputPath(QStringLiteral("main_window_nll.png"))));

  click(chart->plot(), chart->barCentre(name));  // again: cleared
  CHECK(model->categoryFilter().isEmpty());
  CHECK(chart->selectedCategory().isEmpty());
  CHECK(controls->categoryBox()->currentIndex() == 0);
  for (int r = 0; r < model->rowCount(); ++r) CHECK(!model->dimmed(r));
  click(chart->plot(), chart->barCentre(name));
  CHECK(model->categoryFilter() == name);
  click(chart->plot(), chart->barCentre(QStringLiteral("all")));  // "all" clears too
  CHECK(model->categoryFilter().isEmpty());
  // The box and the Clear button drive the same filter, and the chart follows.
  controls->categoryBox()->setCurrentIndex(controls->categoryBox()->findData(name));
  CHECK(model->categoryFilter() == name);
  CHECK(chart->selectedCategory() == name);
  controls->clearButton()->click();
  CHECK(model->categoryFilter().isEmpty());
  CHECK(chart->selectedCategory().isEmpty());
  // The categorical legend with the most swatches, for review.
  controls->modeBox()->setCurrentIndex(controls->modeBox()->findData(static_cast<int>(ColourMode::category)));
  CHECK(!controls->modelBox()->isEnabled());
  CHECK(legend->text().startsWith(QStringLiteral("category · delimiter")));
  QCoreApplication::processEvents();
  CHECK(w.grab().toImage().save(hl::test::outputPath(QStringLiteral("main_window_category.png"))));
}

TEST_CASE("exports carry the colouring the view shows", "[gui][colouring][export]") {
  hl::ui::TokenDeltaModel model;
  model.setReport(hl::test::syntheticReport(300, 20, mixedWord));
  hl::ui::TokenDeltaView view;
  view.setModel(&model);
  const int width = 800;
  auto render = [&] {
    QImage image(view.renderSize(width), QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    view.renderTo(p, width);
    return image;
  };
  const QRect legendArea(0, 0, width + 20, hl::ui::DeltaLegend::kHeight + 8);
  const QColor topOne = q(hl::analysis::rank_bucket_colour(hl::analysis::RankBucket::top1));
  const QColor beyond = q(hl::analysis::rank_bucket_colour(hl::analysis::RankBucket::beyond));
  QImage delta = render();
  CHECK(countColour(delta, legendArea, topOne) == 0);
  model.setColourMode(ColourMode::rank);
  QImage rank = render();
  CHECK(countColour(rank, legendArea, topOne) > 20);  // the legend's swatches
  CHECK(countColour(rank, legendArea, beyond) > 20);
  const QRect textArea(0, legendArea.bottom() + 1, rank.width(), rank.height() - legendArea.height());
  CHECK(countColour(rank, textArea, beyond) > 100);  // and the units' backgrounds
  CHECK(countColour(delta, textArea, beyond) == 0);
  // Dimmed units export dimmed: the full colour of a dimmed bucket disappears from the text.
  model.setCategoryFilter(QStringLiteral("delim:bracket_open"));
  QImage filtered = render();
  CHECK(countColour(filtered, textArea, beyond) < countColour(rank, textArea, beyond));
  CHECK(filtered.save(hl::test::outputPath(QStringLiteral("token_export_rank_filtered.png"))));
}

TEST_CASE("a session keeps the colouring and the category filter", "[gui][colouring][session]") {
  const QString path = hl::test::outputPath(QStringLiteral("colouring.hlens"));
  {
    hl::ui::MainWindow w;
    const QString error = hl::test::loadAndScore(w, "olmo_hybrid", "llama");
    INFO(error.toStdString());
    REQUIRE(error.isEmpty());
    w.tokenModel()->setColourModel(ModelRole::reference);
    w.tokenModel()->setColourMode(ColourMode::entropy);
    w.tokenModel()->setCategoryFilter(QStringLiteral("word:open"));
    QString saveError;
    REQUIRE(w.saveSession(path, &saveError));
  }
  QFile f(path);
  REQUIRE(f.open(QIODevice::ReadOnly));
  const QByteArray json = f.readAll();
  CHECK(json.contains("\"colouring\": \"entropy_reference\""));
  CHECK(json.contains("\"category_filter\": \"word:open\""));
  hl::ui::MainWindow restored;
  restored.resize(1200, 800);
  restored.show();
  QString openError;
  REQUIRE(restored.openSession(path, &openError));
  CHECK(restored.tokenModel()->colouring().mode == ColourMode::entropy);
  CHECK(restored.tokenModel()->colouring().model == ModelRole::reference);
  CHECK(restored.tokenModel()->categoryFilter() == QStringLiteral("word:open"));
  auto* c = restored.controller();
  REQUIRE(hl::test::waitUntil([&] { return c->report() != nullptr && !c->busy(); }));
  CHECK(restored.categoryChart()->selectedCategory() == QStringLiteral("word:open"));
}

TEST_CASE("switching the colouring of 20000 units recolours them (time printed)", "[gui][view][benchmark][colouring]") {
  TokenDeltaModel model;
  model.setReport(hl::test::syntheticReport(20000, 10, mixedWord));
  REQUIRE(model.rowCount() == 20000);
  hl::ui::TokenDeltaView view;
  view.resize(1000, 700);
  view.setModel(&model);
  view.show();
  QCoreApplication::processEvents();

  struct Step {
    const char* name;
    std::function<void()> apply;
  };
  const std::vector<Step> steps = {
      {"nll hybrid", [&] { model.setColourMode(ColourMode::nll); }},
      {"nll reference", [&] { model.setColourModel(ModelRole::reference); }},
      {"entropy", [&] { model.setColourMode(ColourMode::entropy); }},
      {"rank", [&] { model.setColourMode(ColourMode::rank); }},
      {"category", [&] { model.setColourMode(ColourMode::category); }},
      {"filter on", [&] { model.setCategoryFilter(QStringLiteral("word:function")); }},
      {"delta", [&] { model.setColourMode(ColourMode::delta); }},
      {"filter off", [&] { model.setCategoryFilter({}); }},
  };
  double worstMs = 0, totalMs = 0;
  std::string each;
  for (const Step& s : steps) {
    QElapsedTimer t;
    t.start();
    s.apply();                                               // recolours every unit
    const QImage frame = view.viewport()->grab().toImage();  // and the repaint it causes
    const double ms = t.nsecsElapsed() / 1e6;
    CHECK(!frame.isNull());
    worstMs = std::max(worstMs, ms);
    totalMs += ms;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s%s %.2f", each.empty() ? "" : ", ", s.name, ms);
    each += buf;
  }
  CHECK(model.colouring().mode == ColourMode::delta);
  CHECK(model.colour(5) == hl::ui::DeltaColourScale::colour(model.delta(5), model.colourLimit()));
  std::printf("[benchmark] 20000 units, colouring switch + repaint: mean %.2f ms, worst %.2f ms (%s ms)\n",
              totalMs / static_cast<double>(steps.size()), worstMs, each.c_str());
}
