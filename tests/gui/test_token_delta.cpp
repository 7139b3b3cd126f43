// TokenDeltaModel (no display needed) and TokenDeltaView: rows are units, colours follow the sign of Δ on the
// report's scale, the hover card carries each model's NLL, and re-colouring a long text stays fast.
#include <QAbstractItemModel>
#include <QElapsedTimer>
#include <QApplication>
#include <QHelpEvent>
#include <QImage>
#include <QMouseEvent>
#include <QToolTip>
#include <QLabel>
#include <QPoint>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <memory>
#include <random>
#include <string>

#include "core/analysis/comparison/comparison.h"
#include "core/analysis/report/report.h"
#include "gui_test_support.h"
#include "synthetic_report.h"
#include "ui/DeltaColourScale.h"
#include "ui/ScoringController.h"
#include "ui/models/TokenDeltaModel.h"
#include "ui/views/TokenDeltaView.h"

using hl::ui::DeltaColourScale;
using hl::ui::TokenDeltaModel;

using hl::test::syntheticReport;

TEST_CASE("the colour scale is the HTML report's: orange below 0 and white at 0 and blue above", "[gui][model]") {
  CHECK(DeltaColourScale::colour(0, 2) == QColor(255, 255, 255));
  CHECK(DeltaColourScale::colour(2, 2) == QColor(33, 102, 172));
  CHECK(DeltaColourScale::colour(5, 2) == QColor(33, 102, 172));
  CHECK(DeltaColourScale::colour(-2, 2) == QColor(230, 97, 1));
  CHECK(DeltaColourScale::colour(1, 2) == QColor(144, 179, 214));  // report_html: lround(255 + 0.5 (c - 255))
  CHECK(!DeltaColourScale::colour(std::nan(""), 2).isValid());
  CHECK(DeltaColourScale::textColour(2, 2) == QColor(Qt::white));
  CHECK(DeltaColourScale::textColour(0.1, 2) == QColor(Qt::black));
  CHECK(DeltaColourScale::textColour(-2, 2) == QColor(Qt::black));  // black reads better on the orange
}

TEST_CASE("token model over scored fixture models: rows and colours by sign and hover card", "[gui][model]") {
  hl::ui::ScoringController c;
  bool failed = false;
  QString error;
  QObject::connect(&c, &hl::ui::ScoringController::failed, [&](const QString& m) { failed = true; error = m; });
  c.loadModels(hl::test::fixtureModel("olmo_hybrid"), {hl::test::fixtureModel("llama")}, hl::test::tinyTokenizer());
  c.scoreText(QStringLiteral("The quick brown fox jumps over the lazy dog.\n  def f(x):\n\treturn x + 1\n"));
  REQUIRE(hl::test::waitUntil([&] { return c.report() != nullptr || failed; }));
  INFO(error.toStdString());
  REQUIRE(!failed);

  TokenDeltaModel model;
  int resets = 0;
  QObject::connect(&model, &QAbstractItemModel::modelReset, [&] { ++resets; });
  model.setReport(c.report());
  CHECK(resets == 1);
  const auto& cmp = c.report()->comparison;
  REQUIRE(model.rowCount() == static_cast<int>(cmp.units.size()));
  CHECK(model.columnCount() == TokenDeltaModel::ColumnCount);
  CHECK(model.hybridName() == QStringLiteral("olmo_hybrid"));
  CHECK(model.referenceName() == QStringLiteral("llama"));

  // Unit texts concatenate to the text (units tile it; the leading BOS has no span).
  QString joined;
  for (int r = 0; r < model.rowCount(); ++r) joined += model.data(model.index(r, 0), TokenDeltaModel::UnitTextRole).toString();
  CHECK(joined == QString::fromStdString(cmp.text));

  int positive = 0, negative = 0;
  for (int r = 0; r < model.rowCount(); ++r) {
    const QModelIndex i = model.index(r, TokenDeltaModel::TextColumn);
    const double d = model.data(i, TokenDeltaModel::DeltaRole).toDouble();
    CHECK((std::isnan(d) || std::fabs(d - c.report()->unit_delta(static_cast<std::size_t>(r), 0)) < 1e-12));
    const QVariant bg = model.data(i, Qt::BackgroundRole);
    if (!std::isfinite(d)) {
      CHECK(!bg.isValid());
      continue;
    }
    const QColor col = bg.value<QColor>();
    CHECK(col == DeltaColourScale::colour(d, model.colourLimit()));
    CHECK(model.data(i, Qt::ForegroundRole).value<QColor>() == DeltaColourScale::textColour(d, model.colourLimit()));
    if (std::fabs(d) < 0.05 * model.colourLimit()) continue;  // near-white: the sign barely shows
    if (d > 0) {
      ++positive;
      CHECK(col.blue() > col.red());  // bluish: the hybrid predicted it better
    } else {
      ++negative;
      CHECK(col.red() > col.blue());  // orange/red: the reference predicted it better
    }
  }
  CHECK(positive + negative > 5);

  // The hover card names both models with their NLLs, and the ids of the unit's tokens.
  int scoredRow = -1;
  for (int r = 0; r < model.rowCount() && scoredRow < 0; ++r)
    if (model.data(model.index(r, 0), TokenDeltaModel::ScoredRole).toBool()) scoredRow = r;
  REQUIRE(scoredRow >= 0);
  const QString card = model.data(model.index(scoredRow, 0), Qt::ToolTipRole).toString();
  const double refNll = model.data(model.index(scoredRow, 0), TokenDeltaModel::ReferenceNllRole).toDouble();
  const double hybNll = model.data(model.index(scoredRow, 0), TokenDeltaModel::HybridNllRole).toDouble();
  CHECK(card.contains(QStringLiteral("olmo_hybrid")));
  CHECK(card.contains(QStringLiteral("llama")));
  CHECK(card.contains(QStringLiteral("NLL %1").arg(refNll, 0, 'f', 3)));
  CHECK(card.contains(QStringLiteral("NLL %1").arg(hybNll, 0, 'f', 3)));
  CHECK(card.contains(QStringLiteral("Δ = ")));
  CHECK(card.contains(QStringLiteral("top:")));
  CHECK(card.contains(QStringLiteral("rank")));
  CHECK(model.data(model.index(scoredRow, TokenDeltaModel::ReferenceNllColumn)).toString() ==
        QString::number(refNll, 'f', 3));
  {  // The card as a tooltip shows it (rich text), saved for review.
    QLabel label;
    label.setTextFormat(Qt::RichText);
    label.setText(card);
    label.setStyleSheet(QStringLiteral("QLabel { background: #ffffe1; padding: 6px; }"));
    label.adjustSize();
    CHECK(label.grab().toImage().save(hl::test::outputPath(QStringLiteral("hover_card.png"))));
  }

  // A new range recolours without a reset.
  int changes = 0;
  QObject::connect(&model, &QAbstractItemModel::dataChanged, [&] { ++changes; });
  model.setColourLimit(0.5);
  CHECK(changes == 1);
  CHECK(resets == 1);
  const double d0 = model.delta(scoredRow);
  CHECK(model.colour(scoredRow) == DeltaColourScale::colour(d0, 0.5));
}

TEST_CASE("token view lays out units and line breaks and pins on click", "[gui][view]") {
  TokenDeltaModel model;
  model.setReport(syntheticReport(200));
  hl::ui::TokenDeltaView view;
  view.resize(700, 400);
  view.setModel(&model);
  view.show();
  QCoreApplication::processEvents();
  CHECK(view.lineCount() >= 200 / 13);  // every 13th word starts a new line
  const QRect r = view.unitRect(1);
  REQUIRE(!r.isNull());
  CHECK(view.unitAt(r.center()) == 1);
  int pinned = -2;
  QObject::connect(&view, &hl::ui::TokenDeltaView::unitPinned, [&](int u) { pinned = u; });
  {  // a click on the unit pins it
    const QPointF at = r.center();
    QMouseEvent press(QEvent::MouseButtonPress, at, view.viewport()->mapToGlobal(at), Qt::LeftButton, Qt::LeftButton,
                      Qt::NoModifier);
    QApplication::sendEvent(view.viewport(), &press);
  }
  CHECK(pinned == 1);
  CHECK(view.pinnedUnit() == 1);
  {  // hovering shows the unit's card as a tooltip
    QHelpEvent help(QEvent::ToolTip, r.center(), view.viewport()->mapToGlobal(r.center()));
    QApplication::sendEvent(view.viewport(), &help);
    CHECK(QToolTip::text().contains(QStringLiteral("NLL")));
    CHECK(QToolTip::text().contains(QStringLiteral("reference")));
    QToolTip::hideText();
  }
  // Unit 12 is "\nw12": its ↵ ends the first line, so unit 13 lies on the second.
  const QRect line2 = view.unitRect(13);
  REQUIRE(!line2.isNull());
  CHECK(line2.top() > r.top());
  const QImage shot = view.grab().toImage();
  CHECK(shot.save(hl::test::outputPath(QStringLiteral("token_view_synthetic.png"))));
}

TEST_CASE("re-colouring 20000 tokens after a range change: every unit takes the new colour (time printed)", "[gui][view][benchmark]") {
  QElapsedTimer t;
  t.start();
  const auto report = syntheticReport(20000, 20);
  const qint64 buildMs = t.elapsed();
  TokenDeltaModel model;
  t.restart();
  model.setReport(report);
  const qint64 resetMs = t.elapsed();
  REQUIRE(model.rowCount() == 20000);
  hl::ui::TokenDeltaView view;
  view.resize(1000, 700);
  view.setModel(&model);
  view.show();
  QCoreApplication::processEvents();
  t.restart();
  view.setModel(&model);  // full layout of 20,000 units
  const qint64 layoutMs = t.elapsed();

  double worstMs = 0, totalMs = 0;
  const double limits[] = {0.5, 1.0, 3.0, 2.0, 0.25};
  for (double limit : limits) {
    QElapsedTimer r;
    r.start();
    model.setColourLimit(limit);        // recolours every row
    const QImage frame = view.viewport()->grab().toImage();  // and the repaint it causes
    const double ms = r.nsecsElapsed() / 1e6;
    worstMs = std::max(worstMs, ms);
    totalMs += ms;
    CHECK(!frame.isNull());
  }
  // The visible units show the new colour.
  CHECK(model.colour(5) == DeltaColourScale::colour(model.delta(5), 0.25));
  std::printf("[benchmark] 20000 tokens: report %lld ms, model reset %lld ms, layout %lld ms, "
              "re-colour + repaint mean %.2f ms (worst %.2f ms)\n",
              static_cast<long long>(buildMs), static_cast<long long>(resetMs), static_cast<long long>(layoutMs),
              totalMs / 5, worstMs);
}
