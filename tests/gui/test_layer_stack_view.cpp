// LayerStackView on the fixture models (olmo3 as the reference, olmo_hybrid as the hybrid): one tower per model,
// rows hit-test back to their layer, a click selects and reports it, overlays take per-layer values, and the
// rendered diagram is saved for a look (test-output/layer_stack.png).
#include <QApplication>
#include <QImage>
#include <QMouseEvent>
#include <QSet>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include "core/model/layer_stack.h"
#include "core/model/config_parser.h"
#include "gui_test_support.h"
#include "ui/views/LayerStackView.h"

using hl::ui::LayerStackView;

namespace {

hl::LayerStackSummary fixtureStack(const char* family) {
  return hl::layer_stack(hl::load_model_spec(hl::test::fixtureModel(family).toStdString()));
}

// The olmo_hybrid fixture's four layers repeated: a stack as deep as a real model's.
hl::LayerStackSummary deepHybrid(int repeats) {
  auto spec = hl::load_model_spec(hl::test::fixtureModel("olmo_hybrid").toStdString());
  const auto unit = spec.layers;
  spec.layers.clear();
  for (int r = 0; r < repeats; ++r)
    for (auto layer : unit) {
      layer.index = static_cast<int>(spec.layers.size());
      spec.layers.push_back(layer);
    }
  return hl::layer_stack(spec);
}

std::vector<LayerStackView::Column> referenceAndHybrid() {
  return {{QStringLiteral("OLMo 3 (reference)"), fixtureStack("olmo3")},
          {QStringLiteral("OLMo Hybrid"), fixtureStack("olmo_hybrid")}};
}

void click(QWidget& w, QPointF at) {
  QMouseEvent press(QEvent::MouseButtonPress, at, w.mapToGlobal(at), Qt::LeftButton, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(&w, &press);
}

}  // namespace

TEST_CASE("layer stack view: one tower per model, rows hit-test to their layer", "[gui][layer_stack]") {
  LayerStackView view;
  view.resize(900, 600);
  view.setColumns(referenceAndHybrid());
  REQUIRE(view.columnCount() == 2);
  CHECK(view.layerCount(0) == 4);
  CHECK(view.layerCount(1) == 4);
  CHECK(view.layerCount(2) == 0);
  CHECK(view.blockRect(2, 0).isNull());
  CHECK(view.blockRect(0, 4).isNull());

  for (int c = 0; c < 2; ++c)
    for (int l = 0; l < 4; ++l) {
      INFO("column " << c << " layer " << l);
      const QRectF mixer = view.blockRect(c, l, LayerStackView::Part::Mixer);
      const QRectF ffn = view.blockRect(c, l, LayerStackView::Part::Ffn);
      REQUIRE_FALSE(mixer.isNull());
      REQUIRE_FALSE(ffn.isNull());
      CHECK(view.rect().contains(view.blockRect(c, l).toRect()));
      CHECK(mixer.right() < ffn.left());
      CHECK(view.layerAt(mixer.center().toPoint()) == std::make_pair(c, l));
      CHECK(view.layerAt(ffn.center().toPoint()) == std::make_pair(c, l));
      // Read bottom-up: layer l + 1 sits above layer l, without overlap.
      if (l > 0) CHECK(view.blockRect(c, l).bottom() < view.blockRect(c, l - 1).top());
    }
  // Both towers stand on the same floor, side by side.
  CHECK(view.blockRect(0, 0).bottom() == view.blockRect(1, 0).bottom());
  CHECK(view.blockRect(0, 0).right() < view.blockRect(1, 0).left());
  CHECK_FALSE(view.layerAt(QPoint(2, 2)).has_value());

  // Rows shrink to fit a smaller widget, down to a minimum the size hints account for.
  const double tall = view.blockRect(0, 0).height();
  view.resize(900, 360);
  CHECK(view.blockRect(0, 0).height() < tall);
  CHECK(view.blockRect(1, 3).top() >= 0);
  CHECK(view.minimumSizeHint().height() <= view.sizeHint().height());
  view.resize(view.minimumSizeHint());
  CHECK(view.rect().contains(view.blockRect(1, 3).toRect()));
}

TEST_CASE("layer stack view: a deep stack shrinks its rows to a minimum and asks for the height it needs",
          "[gui][layer_stack]") {
  LayerStackView view;
  view.setColumns({{QStringLiteral("OLMo 3 (reference)"), fixtureStack("olmo3")},
                   {QStringLiteral("Deep hybrid"), deepHybrid(16)}});
  REQUIRE(view.layerCount(1) == 64);
  view.resize(900, 600);
  const double squeezed = view.blockRect(1, 0).height();
  CHECK(squeezed >= 18);
  CHECK(view.blockRect(1, 0).bottom() > view.height());  // does not fit: the caller's scroll area shows the rest
  view.resize(900, view.minimumSizeHint().height());
  CHECK(view.blockRect(1, 0).height() == Approx(squeezed).margin(0.5));  // the hint is whole pixels
  CHECK(view.rect().contains(view.blockRect(1, 63).toRect()));
  for (int l = 1; l < 64; ++l) CHECK(view.blockRect(1, l).bottom() < view.blockRect(1, l - 1).top());
  CHECK(view.layerAt(view.blockRect(1, 40, LayerStackView::Part::Mixer).center().toPoint()) == std::make_pair(1, 40));
  // Both columns keep the same row height, so equal depths look equal.
  CHECK(view.blockRect(0, 0).height() == view.blockRect(1, 0).height());

  view.setColumns({{QStringLiteral("OLMo 3 (reference)"), fixtureStack("olmo3")},
                   {QStringLiteral("Hybrid, 16 layers"), deepHybrid(4)}});
  view.resize(900, 600);
  view.setSelectedLayer(1, 7);
  REQUIRE(view.grab().toImage().save(hl::test::outputPath(QStringLiteral("layer_stack_16.png"))));
}

TEST_CASE("layer stack view: a click selects the layer and emits layerClicked", "[gui][layer_stack]") {
  LayerStackView view;
  view.resize(900, 600);
  view.setColumns(referenceAndHybrid());
  std::vector<std::pair<int, int>> clicks;
  QObject::connect(&view, &LayerStackView::layerClicked,
                   [&](int column, int layer) { clicks.emplace_back(column, layer); });
  click(view, view.blockRect(1, 2, LayerStackView::Part::Mixer).center());
  REQUIRE(clicks.size() == 1);
  CHECK(clicks[0] == std::make_pair(1, 2));
  CHECK(view.selectedLayer() == std::make_pair(1, 2));
  click(view, QPointF(2, 2));  // outside every row: nothing
  CHECK(clicks.size() == 1);
  view.setSelectedLayer(0, -1);
  CHECK_FALSE(view.selectedLayer().has_value());
  view.setSelectedLayer(0, 99);
  CHECK_FALSE(view.selectedLayer().has_value());
}

TEST_CASE("layer stack view: overlays take per-layer values and make room for their bars", "[gui][layer_stack]") {
  LayerStackView view;
  view.resize(900, 600);
  view.setColumns(referenceAndHybrid());
  const double nan = std::numeric_limits<double>::quiet_NaN();
  view.setOverlayValues(0, LayerStackView::Overlay::MeanStateNorm, {nan, nan, nan, nan});
  view.setOverlayValues(1, LayerStackView::Overlay::MeanStateNorm, {3.2, 5.1, 4.4});  // short: padded with NaN
  view.setOverlayValues(0, LayerStackView::Overlay::MeanResidualNorm, {1.5, 2.0, 2.6, 3.9, 99.0});  // long: cut
  view.setOverlayValues(1, LayerStackView::Overlay::MeanResidualNorm, {1.2, 1.9, 2.4, 3.1});
  view.setOverlayValues(5, LayerStackView::Overlay::MeanResidualNorm, {1.0});  // no such column: ignored
  const auto& state = view.overlayValues(1, LayerStackView::Overlay::MeanStateNorm);
  REQUIRE(state.size() == 4);
  CHECK(state[1] == 5.1);
  CHECK(std::isnan(state[3]));
  CHECK(view.overlayValues(0, LayerStackView::Overlay::MeanResidualNorm).size() == 4);

  const double blocksWithout = view.blockRect(1, 0, LayerStackView::Part::Ffn).right();
  view.setOverlay(LayerStackView::Overlay::MeanStateNorm);
  CHECK(view.overlay() == LayerStackView::Overlay::MeanStateNorm);
  CHECK(view.blockRect(1, 0, LayerStackView::Part::Ffn).right() < blocksWithout);
  CHECK(view.blockRect(1, 0).right() > view.blockRect(1, 0, LayerStackView::Part::Ffn).right());

  view.setColumns(referenceAndHybrid());  // new models: old values no longer apply
  CHECK(view.overlayValues(1, LayerStackView::Overlay::MeanStateNorm).empty());
}

TEST_CASE("layer stack view: renders the reference and hybrid stacks to a PNG", "[gui][layer_stack]") {
  LayerStackView view;
  view.resize(900, 600);
  view.setColumns(referenceAndHybrid());
  view.setOverlayValues(1, LayerStackView::Overlay::MeanStateNorm, {3.2, 5.1, 4.4, std::nan("")});
  view.setOverlayValues(0, LayerStackView::Overlay::MeanStateNorm, std::vector<double>(4, std::nan("")));
  view.setOverlay(LayerStackView::Overlay::MeanStateNorm);
  view.setSelectedLayer(1, 3);
  view.show();
  QApplication::processEvents();
  const QImage shot = view.grab().toImage();
  REQUIRE(shot.save(hl::test::outputPath(QStringLiteral("layer_stack.png"))));
  CHECK(shot.width() >= 900);
  // A diagram that drew is many colours: kinds, text anti-aliasing, bars.
  QSet<QRgb> colours;
  for (int y = 0; y < shot.height(); y += 2)
    for (int x = 0; x < shot.width(); x += 2) colours.insert(shot.pixel(x, y));
  CHECK(colours.size() > 30);

  // The other fixtures' kinds, for a look at every shape: MoE, Mamba1, parallel, shared blocks, no mixer, RWKV,
  // RG-LRU, lightning attention, Kimi Delta Attention, mLSTM.
  LayerStackView more;
  more.resize(2350, 700);
  more.setColumns({{QStringLiteral("Jamba"), fixtureStack("jamba")},
                   {QStringLiteral("Zamba2"), fixtureStack("zamba2")},
                   {QStringLiteral("Nemotron-H"), fixtureStack("nemotron_h")},
                   {QStringLiteral("Falcon-H1"), fixtureStack("falcon_h1")},
                   {QStringLiteral("RWKV-4"), fixtureStack("rwkv")},
                   {QStringLiteral("RecurrentGemma"), fixtureStack("recurrent_gemma")},
                   {QStringLiteral("MiniMax"), fixtureStack("minimax")},
                   {QStringLiteral("Kimi-Linear"), fixtureStack("kimi_linear")},
                   {QStringLiteral("xLSTM"), fixtureStack("xlstm")}});
  REQUIRE(more.grab().toImage().save(hl::test::outputPath(QStringLiteral("layer_stack_families.png"))));
}

TEST_CASE("layer stack view: RWKV's blocks, Griffin's RG-LRU, MiniMax's lightning attention, Kimi Delta Attention and "
          "xLSTM's mLSTM draw in their own colours",
          "[gui][layer_stack]") {
  LayerStackView view;
  view.resize(1600, 400);
  view.setColumns({{QStringLiteral("RWKV-4"), fixtureStack("rwkv")},
                   {QStringLiteral("RecurrentGemma"), fixtureStack("recurrent_gemma")},
                   {QStringLiteral("MiniMax"), fixtureStack("minimax")},
                   {QStringLiteral("Kimi-Linear"), fixtureStack("kimi_linear")},
                   {QStringLiteral("xLSTM"), fixtureStack("xlstm")}});
  const QImage shot = view.grab().toImage();
  QSet<QRgb> colours;
  for (int y = 0; y < shot.height(); ++y)
    for (int x = 0; x < shot.width(); ++x) colours.insert(shot.pixel(x, y) & 0xffffff);
  CHECK(colours.contains(QColor(51, 34, 136).rgb() & 0xffffff));   // time mix (WKV)
  CHECK(colours.contains(QColor(230, 222, 200).rgb() & 0xffffff));  // channel mix
  CHECK(colours.contains(QColor(68, 170, 153).rgb() & 0xffffff));   // RG-LRU
  CHECK(colours.contains(QColor(136, 34, 85).rgb() & 0xffffff));    // lightning attention
  CHECK(colours.contains(QColor(153, 153, 51).rgb() & 0xffffff));   // Kimi Delta Attention
  CHECK(colours.contains(QColor(136, 204, 238).rgb() & 0xffffff));  // mLSTM
}
