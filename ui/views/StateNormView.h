#pragma once
// Recurrent-state norms of one scored model (ScoringController::profiles()): a layers × tokens heatmap (QCustomPlot
// colour map, log colour scale: norms of different layers differ by orders of magnitude) of the per-layer mean over
// heads, and below it the selected layer across tokens, one thin line per head and the mean in bold. The pinned
// token is marked in both. Clicking a heatmap row selects that layer.
#include <QWidget>
#include <vector>

class QComboBox;
class QCustomPlot;
class QCPColorMap;
class QCPItemStraightLine;
class QCPAxisRect;
class QLabel;

namespace hl::ui {

struct ModelProfile;

class StateNormView : public QWidget {
  Q_OBJECT
 public:
  explicit StateNormView(QWidget* parent = nullptr);

  // Copies what it draws; nullptr or a model without recurrent layers clears the view (with a note saying why).
  void setProfile(const ModelProfile* profile);
  void setPinnedToken(int token);  // the model's token index; -1 hides the marker
  void selectLayer(int layer);     // a recurrent layer index (model layer numbering); others are ignored

  // The rows of the heatmap, bottom to top: model layer indices of the recurrent layers.
  const std::vector<int>& rowLayers() const { return layers_; }
  int tokenCount() const { return tokens_; }
  double cell(int row, int token) const;  // mean over heads of the state norm; NaN outside
  int selectedLayer() const { return selected_; }
  int selectedLayerHeads() const;
  int pinnedToken() const { return pinned_; }
  QCustomPlot* plot() const { return plot_; }
  int lineGraphCount() const { return lineGraphs_; }  // the selected layer: one per head, plus the mean

 signals:
  void layerSelected(int layer);

 protected:
  void changeEvent(QEvent* event) override;  // a theme switch recolours axes, labels and the mean line

 private:
  void rebuildHeatmap();
  void rebuildLines();
  void placeMarkers();

  QLabel* title_ = nullptr;
  QComboBox* layerBox_ = nullptr;
  QCustomPlot* plot_ = nullptr;
  QCPAxisRect* heatRect_ = nullptr;  // top: the heatmap
  QCPAxisRect* lineRect_ = nullptr;  // bottom: the selected layer's lines
  int lineGraphs_ = 0;
  QCPColorMap* map_ = nullptr;
  QCPItemStraightLine* heatMarker_ = nullptr;
  QCPItemStraightLine* lineMarker_ = nullptr;

  std::vector<int> layers_;                     // recurrent layer per row
  std::vector<int> heads_;                      // heads per row
  std::vector<std::vector<float>> norms_;       // per row: [T, heads]
  std::vector<QString> rowLabels_;
  int tokens_ = 0;
  int selected_ = -1;
  int pinned_ = -1;
};

}  // namespace hl::ui
