// The state-norm view (offscreen): after the main window scores a text with a hybrid, the heatmap has one row per
// recurrent layer of the hybrid and one column per hybrid token, its cells are the head means of the engine's norms,
// pinning a unit marks the unit's first hybrid token, and the line plot follows the selected layer.
#include <QImage>
#include <QMouseEvent>
#include <catch2/catch.hpp>
#include <cmath>
#include <qcustomplot.h>

#include "core/analysis/report/report.h"
#include "window_test_support.h"
#include "ui/views/LayerStackView.h"
#include "ui/MainWindow.h"
#include "ui/ScoringController.h"
#include "ui/views/StateNormView.h"
#include "ui/models/TokenDeltaModel.h"
#include "ui/views/TokenDeltaView.h"

using hl::test::outputPath;

TEST_CASE("state-norm view shows the hybrid's recurrent layers across its tokens", "[gui][statenorms]") {
  hl::ui::MainWindow w;
  const QString error = hl::test::loadAndScore(w, "olmo_hybrid", "olmo3", {1400, 900});
  INFO(error.toStdString());
  REQUIRE(error.isEmpty());
  auto* c = w.controller();

  const auto report = c->report();
  const auto profiles = c->profiles();
  REQUIRE(profiles);
  REQUIRE(profiles->size() == 2);
  const hl::ui::ModelProfile& hybrid = (*profiles)[0];  // the controller's order: the hybrid, then the reference
  CHECK(hybrid.name == report->comparison.models[0].name);
  CHECK((*profiles)[1].state_norms.empty());  // olmo3 has no recurrent layer

  // Rows: exactly the Gated DeltaNet layers of the plan, in order.
  std::vector<int> gdn;
  for (const auto& layer : hybrid.spec.layers)
    if (layer.mixer.kind == hl::MixerKind::GatedDeltaNet) gdn.push_back(layer.index);
  REQUIRE(!gdn.empty());
  auto* view = w.stateNormView();
  CHECK(view->rowLayers() == gdn);
  const auto tokens = static_cast<int>(report->comparison.models[0].tokens.size());
  CHECK(view->tokenCount() == tokens);
  CHECK(hybrid.residual_norms.size() == hybrid.spec.layers.size() + 1);

  // Cells are the head means of the engine's norms; states grow from nothing, so every norm is positive.
  for (std::size_t row = 0; row < gdn.size(); ++row) {
    const auto& norms = hybrid.state_norms.at(gdn[row]);
    const int heads = hybrid.state_norm_heads.at(gdn[row]);
    REQUIRE(norms.size() == static_cast<std::size_t>(tokens * heads));
    for (int t : {0, tokens / 2, tokens - 1}) {
      double mean = 0;
      for (int h = 0; h < heads; ++h) mean += norms[static_cast<std::size_t>(t * heads + h)];
      mean /= heads;
      CHECK(view->cell(static_cast<int>(row), t) == Approx(mean).epsilon(1e-12));
      CHECK(mean > 0);
    }
  }
  CHECK(std::isnan(view->cell(0, tokens)));

  // The selected layer's lines: one graph per head plus the mean.
  view->selectLayer(gdn.back());
  CHECK(view->selectedLayer() == gdn.back());
  const int heads = hybrid.state_norm_heads.at(gdn.back());
  CHECK(view->selectedLayerHeads() == heads);
  CHECK(view->lineGraphCount() == heads + (heads > 1 ? 1 : 0));

  // Pinning a unit marks its first hybrid token.
  int unit = -1;
  for (std::size_t u = 4; u < report->comparison.units.size() && unit < 0; ++u)
    if (report->comparison.units[u].tokens[0].size() == 1) unit = static_cast<int>(u);
  REQUIRE(unit >= 0);
  w.tokenView()->setPinnedUnit(unit);
  QCoreApplication::processEvents();
  CHECK(view->pinnedToken() == static_cast<int>(report->comparison.units[static_cast<std::size_t>(unit)].tokens[0].front()));
  w.tokenView()->setPinnedUnit(-1);
  QCoreApplication::processEvents();
  CHECK(view->pinnedToken() == -1);
  w.tokenView()->setPinnedUnit(unit);
  QCoreApplication::processEvents();

  // The layer stacks: both models side by side (the hybrid left), overlays measured on this text, a click on a hybrid
  // layer selects it in the state-norm view.
  auto* stack = w.layerStackView();
  using Overlay = hl::ui::LayerStackView::Overlay;
  REQUIRE(stack->columnCount() == 2);
  CHECK(stack->layerCount(0) == static_cast<int>(hybrid.spec.layers.size()));
  CHECK(stack->layerCount(1) == static_cast<int>((*profiles)[1].spec.layers.size()));
  const auto& state = stack->overlayValues(0, Overlay::MeanStateNorm);
  REQUIRE(state.size() == hybrid.spec.layers.size());
  for (std::size_t l = 0; l < state.size(); ++l) {
    const auto it = hybrid.state_norms.find(static_cast<int>(l));
    if (it == hybrid.state_norms.end()) {
      CHECK(std::isnan(state[l]));  // attention: no recurrent state
      continue;
    }
    double mean = 0;
    for (float x : it->second) mean += x;
    CHECK(state[l] == Approx(mean / static_cast<double>(it->second.size())).epsilon(1e-9));
  }
  const auto& residual = stack->overlayValues(1, Overlay::MeanResidualNorm);
  REQUIRE(residual.size() == (*profiles)[1].spec.layers.size());
  for (double v : residual) CHECK(v > 0);
  stack->resize(700, 500);
  const QRectF block = stack->blockRect(0, gdn.front());
  REQUIRE(!block.isNull());
  QMouseEvent press(QEvent::MouseButtonPress, block.center(), stack->mapToGlobal(block.center()), Qt::LeftButton,
                    Qt::LeftButton, Qt::NoModifier);
  QCoreApplication::sendEvent(stack, &press);
  CHECK(view->selectedLayer() == gdn.front());

  view->resize(900, 520);
  const QImage shot = view->grab().toImage();
  CHECK(shot.width() == 900);
  CHECK(shot.save(outputPath(QStringLiteral("state_norms.png"))));
}
