#pragma once
// The legend of the token view's colours (core's analysis::ColourLegend): for Δ a gradient from "reference better"
// (orange, −limit) through white (0) to "hybrid better" (blue, +limit); for a model's NLL or entropy a sequential
// gradient from 0 to its maximum; for rank buckets and categories one swatch per colour. Follows a TokenDeltaModel's
// colouring, and is painted at the top of the token-view exports with the same function.
#include <QColor>
#include <QString>
#include <QWidget>

#include "core/analysis/colour/unit_colouring.h"

class QPalette;

namespace hl::ui {

class TokenDeltaModel;

// The legend's text colours. The default is for paper (exports stay on white in every theme); on screen the widget
// takes them from its palette, and on a dark background the coloured end labels are drawn lighter to stay legible.
struct LegendInk {
  QColor text{40, 40, 40};
  QColor ticks{60, 60, 60};
  bool darkBackground = false;
  static LegendInk fromPalette(const QPalette& palette);
};

class DeltaLegend : public QWidget {
  Q_OBJECT
 public:
  explicit DeltaLegend(QWidget* parent = nullptr);

  // Shows model->legend() now and whenever the model's colouring changes.
  void follow(const TokenDeltaModel* model);
  void setLegend(analysis::ColourLegend legend);
  const analysis::ColourLegend& legend() const { return legend_; }
  QString text() const;  // every label of the legend on one line
  QSize sizeHint() const override;

  static constexpr int kHeight = 34;
  static void paint(QPainter& p, const QRectF& rect, const analysis::ColourLegend& legend,
                    const LegendInk& ink = {});

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  analysis::ColourLegend legend_;
};

}  // namespace hl::ui
