#include "ui/views/LayersPanel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>
#include <limits>

#include "core/model/layer_stack.h"
#include "ui/ScoringController.h"
#include "ui/views/LayerStackView.h"

namespace hl::ui {

namespace {

double mean(const std::vector<float>& values) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  double sum = 0;
  for (float x : values) sum += x;
  return sum / static_cast<double>(values.size());
}

}  // namespace

LayersPanel::LayersPanel(QWidget* parent) : QWidget(parent) {
  auto* column = new QVBoxLayout(this);
  column->setContentsMargins(4, 4, 4, 4);
  auto* overlayRow = new QHBoxLayout;
  overlayRow->addWidget(new QLabel(tr("Overlay:"), this));
  overlay_ = new QComboBox(this);
  overlay_->setObjectName(QStringLiteral("layerOverlay"));
  for (auto kind : {LayerStackView::Overlay::None, LayerStackView::Overlay::MeanStateNorm,
                    LayerStackView::Overlay::MeanResidualNorm})
    overlay_->addItem(kind == LayerStackView::Overlay::None ? tr("none") : LayerStackView::overlayName(kind),
                      static_cast<int>(kind));
  overlay_->setCurrentIndex(1);
  overlayRow->addWidget(overlay_, 1);
  column->addLayout(overlayRow);
  stack_ = new LayerStackView(this);
  stack_->setOverlay(LayerStackView::Overlay::MeanStateNorm);
  auto* scroll = new QScrollArea(this);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setWidget(stack_);
  column->addWidget(scroll, 1);
  connect(overlay_, &QComboBox::currentIndexChanged, this,
          [this] { stack_->setOverlay(static_cast<LayerStackView::Overlay>(overlay_->currentData().toInt())); });
}

void LayersPanel::showModels(const std::vector<ModelSpec>& specs, const QString& hybrid, const QStringList& references) {
  std::vector<LayerStackView::Column> columns;
  for (std::size_t m = 0; m < specs.size(); ++m) {
    const QString title = m == 0 ? tr("%1 (hybrid)").arg(hybrid)
                          : references.size() == 1 ? tr("%1 (reference)").arg(references.front())
                                                   : tr("%1 (reference %2)").arg(references.value(int(m) - 1)).arg(m);
    columns.push_back({title, hl::layer_stack(specs[m])});
  }
  stack_->setColumns(std::move(columns));
}

void LayersPanel::showProfiles(const std::vector<ModelProfile>* profiles) {
  if (!profiles) return;
  for (std::size_t m = 0; m < profiles->size() && static_cast<int>(m) < stack_->columnCount(); ++m) {
    const ModelProfile& p = (*profiles)[m];
    const std::size_t layers = p.spec.layers.size();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::vector<double> state(layers, nan), residual(layers, nan);
    for (const auto& [layer, norms] : p.state_norms)
      if (layer >= 0 && static_cast<std::size_t>(layer) < layers) state[static_cast<std::size_t>(layer)] = mean(norms);
    // residual_norms[0] is the embeddings: layer l's output is entry l + 1.
    for (std::size_t l = 0; l < layers && l + 1 < p.residual_norms.size(); ++l) residual[l] = mean(p.residual_norms[l + 1]);
    stack_->setOverlayValues(static_cast<int>(m), LayerStackView::Overlay::MeanStateNorm, std::move(state));
    stack_->setOverlayValues(static_cast<int>(m), LayerStackView::Overlay::MeanResidualNorm, std::move(residual));
  }
}

}  // namespace hl::ui
