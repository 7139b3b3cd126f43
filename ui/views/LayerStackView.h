#pragma once
// The layer-stack diagram: one column per model (typically reference and hybrid, side by side), each drawn as a
// tower read bottom-up, the way architecture figures are: embeddings at the bottom, layer 0 above them, the final
// norm + LM head on top. Every layer is a row holding its mixer block and its FFN block; shape and colour say the
// kind (Okabe–Ito colours, so kinds stay apart under colour-blindness; the shape family says attention / recurrent /
// conv / MLP / MoE on its own). A legend lists the kinds present. An optional per-layer overlay (a measured norm,
// supplied by the caller) is drawn as a bar beside each row, scaled to its column's maximum.
//
// Rows shrink to fit the widget down to a minimum height; below that the widget asks for more height
// (minimumSizeHint) and scrolling is the caller's job. Only hl::LayerStackSummary is read: no inference here.
#include <QRectF>
#include <QString>
#include <QWidget>
#include <array>
#include <optional>
#include <utility>
#include <vector>

#include "core/model/layer_stack.h"

namespace hl::ui {

class LayerStackView : public QWidget {
  Q_OBJECT
 public:
  struct Column {
    QString title;
    hl::LayerStackSummary stack;
  };
  enum class Overlay { None, MeanStateNorm, MeanResidualNorm };
  enum class Part { Row, Mixer, Ffn };  // a row spans its index label, both blocks and the overlay bar

  explicit LayerStackView(QWidget* parent = nullptr);

  // Replaces the columns; clears the overlay values and the selection, which belonged to the old models.
  void setColumns(std::vector<Column> columns);
  int columnCount() const { return static_cast<int>(columns_.size()); }
  int layerCount(int column) const;

  // One value per layer of `column` (NaN: not applicable, e.g. no recurrent state). A list of another length is cut,
  // or padded with NaN, to the layer count; an out-of-range column is ignored.
  void setOverlayValues(int column, Overlay kind, std::vector<double> perLayer);
  const std::vector<double>& overlayValues(int column, Overlay kind) const;  // empty when none were set
  void setOverlay(Overlay kind);  // which overlay is drawn; None hides the bars and gives their room to the blocks
  Overlay overlay() const { return overlay_; }
  static QString overlayName(Overlay kind);  // "mean state norm"

  void setSelectedLayer(int column, int layer);  // layer < 0 clears the selection
  std::optional<std::pair<int, int>> selectedLayer() const;

  // Widget coordinates. blockRect is null for an unknown column / layer, and for an absent block (an FFN-less layer).
  std::optional<std::pair<int, int>> layerAt(QPoint pos) const;  // (column, layer)
  QRectF blockRect(int column, int layer, Part part = Part::Row) const;

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 signals:
  void layerClicked(int column, int layer);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  bool event(QEvent* event) override;  // tooltips: the layer's full labels and parameter counts

 private:
  struct RowGeometry {
    QRectF row, index, mixer, ffn, overlay;
  };
  struct ColumnGeometry {
    QRectF header, captions;
    RowGeometry head, embedding;  // their `row` spans both block slots
    std::vector<RowGeometry> layers;
  };
  struct Geometry {
    std::vector<ColumnGeometry> columns;
    QRectF legend;
    double rowHeight = 0;
  };
  struct ColumnData {
    Column column;
    std::array<std::vector<double>, 3> overlays;  // indexed by Overlay
  };

  Geometry geometry(QSizeF size) const;
  double columnWidth(double width) const;
  int headerLines(double columnWidth) const;  // small-text lines under the title
  double headerHeight(double columnWidth) const;
  double fixedHeight() const;  // everything but the layer rows, at the current width
  static QString countsText(const ColumnData& data, bool ffn);
  int maxLayers() const;
  void paintColumn(QPainter& p, const ColumnData& data, const ColumnGeometry& g, int columnIndex) const;
  void paintLegend(QPainter& p, const QRectF& rect) const;

  std::vector<ColumnData> columns_;
  Overlay overlay_ = Overlay::None;
  int selected_column_ = -1, selected_layer_ = -1;
};

}  // namespace hl::ui
