#pragma once
// The text drawn as its units, each on its background under the current colouring (TokenDeltaModel's colours: Δ by
// default; dimmed outside the category filter). A custom scroll area
// that lays the units out once per width (line breaks of the text respected, wrapping at unit boundaries, tabs as
// four spaces, a faint ↵ where a unit holds a newline) and paints only the visible lines, so re-colouring a long
// text is a repaint, not a relayout. Hover shows the unit's card (tooltip, after HoverCardStyle::kWakeUpMs); a click
// pins a unit (unitPinned).
// renderTo() draws the whole text with a legend for the PNG / SVG / PDF exports.
#include <QAbstractScrollArea>
#include <QFont>
#include <QImage>
#include <vector>

#include "core/analysis/colour/unit_colouring.h"


namespace hl::ui {

class TokenDeltaModel;
struct Figure;

class TokenDeltaView : public QAbstractScrollArea {
  Q_OBJECT
 public:
  explicit TokenDeltaView(QWidget* parent = nullptr);

  void setModel(TokenDeltaModel* model);
  TokenDeltaModel* model() const { return model_; }

  int pinnedUnit() const { return pinned_; }
  void setPinnedUnit(int unit);  // -1: none
  // A unit outlined on another view's behalf (the side-by-side columns show each other's hover); -1: none. Drawn on
  // screen only, like the hover and pin outlines; emits nothing, so two views can mirror each other without a loop.
  int highlightedUnit() const { return highlighted_; }
  void setHighlightedUnit(int unit);
  void ensureUnitVisible(int unit);
  int unitAt(const QPoint& viewportPos) const;
  QRect unitRect(int unit) const;  // viewport coordinates of the unit's first fragment; null when none

  // Whole-text rendering (legend on top) at a layout width; size in logical pixels.
  QSize renderSize(int width) const;
  void renderTo(QPainter& painter, int width) const;
  // Where renderTo(width) draws a unit: the union of its fragments (null when it has none).
  QRectF renderedUnitRect(int unit, int width) const;
  int exportWidth() const;  // the current text width, or 820 before the view was shown
  // The whole text with its legend on white at `scale` device pixels per logical pixel: what the PNG export writes and
  // Edit → Copy image puts on the clipboard. Null, with *error, when it would be too tall for one image.
  QImage renderImage(qreal scale = 2.0, QString* error = nullptr) const;
  // File exports; false with *error set on failure.
  bool exportPng(const QString& path, QString* error = nullptr, qreal scale = 2.0) const;
  bool exportSvg(const QString& path, QString* error = nullptr) const;
  bool exportPdf(const QString& path, QString* error = nullptr) const;  // A4 pages, the legend on the first
  // By suffix: .png (2×), .svg or .pdf.
  bool exportTo(const QString& path, QString* error = nullptr) const;

  int lineCount() const { return lines_; }

 signals:
  void unitPinned(int unit);
  void hoveredUnitChanged(int unit);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  bool viewportEvent(QEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;  // ←/→ move the pin, Esc unpins
  void leaveEvent(QEvent* event) override;

 private:
  Figure exportFigure() const;  // the whole text with its legend, for PNG, SVG and the clipboard
  struct Fragment {
    int unit;
    float x, width;
    int line;
    QString text;  // tabs expanded; "↵" for a newline marker
    bool newline;
  };
  struct Layout {
    std::vector<Fragment> fragments;
    std::vector<int> line_start;  // [line] first fragment; one extra entry at the end
    int lines = 0;
    int width = 0;
  };

  Layout layoutFor(int width) const;
  void relayout();
  void updateScrollBars();
  void paintLines(QPainter& p, const Layout& layout, int firstLine, int lastLine, double y0) const;
  int lineHeight() const;
  analysis::ColourLegend legend() const;
  void paintExportLegend(QPainter& p, int width) const;

  TokenDeltaModel* model_ = nullptr;
  QFont font_;
  Layout layout_;
  int lines_ = 0;
  std::vector<int> first_fragment_;  // [unit] index into layout_.fragments
  int hovered_ = -1;
  int highlighted_ = -1;
  int pinned_ = -1;
  static constexpr int kMargin = 8;
};

}  // namespace hl::ui
