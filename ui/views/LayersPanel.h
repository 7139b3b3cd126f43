#pragma once
// The Layers dock's content: the layer stack of every loaded model side by side (LayerStackView, scrolled) under a
// choice of the per-layer overlay measured on the scored text (mean state norm by default).
#include <QStringList>
#include <QWidget>
#include <vector>

#include "core/model/model_spec.h"

class QComboBox;

namespace hl::ui {

class LayerStackView;
struct ModelProfile;

class LayersPanel : public QWidget {
  Q_OBJECT
 public:
  explicit LayersPanel(QWidget* parent = nullptr);

  LayerStackView* stack() const { return stack_; }

  // One column per model, the hybrid first: the layer plans as loaded, before any text is scored.
  void showModels(const std::vector<ModelSpec>& specs, const QString& hybrid, const QStringList& references);
  // The overlays of the last scored text, per model in column order; null keeps the ones shown.
  void showProfiles(const std::vector<ModelProfile>* profiles);

 private:
  QComboBox* overlay_ = nullptr;
  LayerStackView* stack_ = nullptr;
};

}  // namespace hl::ui
