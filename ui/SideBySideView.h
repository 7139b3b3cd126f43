#pragma once
// The text twice, one column per model, each unit on that model's NLL (reference left, hybrid right, each headed by
// its model's name), over one NLL scale: both columns share the sequential maximum (the larger of the two models'
// 95th percentiles), so equal colours mean equal loss, and one legend explains both. The columns move together:
// scrolling one scrolls the other to the same unit, hovering a unit outlines it in the other column, and a click
// pins it in both (unitPinned, so the window's other views follow). Each column is a TokenDeltaView over its own
// TokenDeltaModel; nothing here colours or lays out text itself.
//
// A report handed over while the view is hidden is applied when it is shown: laying out a long text twice is work
// a closed dock should not cost on every re-score.
#include <QWidget>
#include <array>
#include <memory>

#include "core/analysis/unit_colouring.h"

class QLabel;

namespace hl::analysis {
struct Report;
}

namespace hl::ui {

class DeltaLegend;
class TokenDeltaModel;
class TokenDeltaView;

class SideBySideView : public QWidget {
  Q_OBJECT
 public:
  explicit SideBySideView(QWidget* parent = nullptr);

  void setReport(std::shared_ptr<const analysis::Report> report);

  // The column of a model: reference = left, compared (the hybrid) = right.
  TokenDeltaView* view(analysis::ModelRole role) const { return column(role).view; }
  TokenDeltaModel* model(analysis::ModelRole role) const { return column(role).model; }
  QLabel* title(analysis::ModelRole role) const { return column(role).title; }
  DeltaLegend* legend() const { return legend_; }
  double nllMax() const;  // the top of the shared NLL scale (loss unit)

  int pinnedUnit() const { return pinned_; }
  // Pins the unit in both columns and scrolls it into view; emits unitPinned when the pin changes. -1: none.
  void setPinnedUnit(int unit);

 signals:
  void unitPinned(int unit);

 protected:
  void showEvent(QShowEvent* event) override;

 private:
  struct Column {
    QLabel* title = nullptr;
    TokenDeltaModel* model = nullptr;
    TokenDeltaView* view = nullptr;
  };
  static std::size_t index(analysis::ModelRole role) { return role == analysis::ModelRole::reference ? 0 : 1; }
  const Column& column(analysis::ModelRole role) const { return columns_[index(role)]; }
  const Column& other(const Column& c) const { return &c == &columns_[0] ? columns_[1] : columns_[0]; }

  void connectColumn(const Column& c);
  void applyReport();
  void shareNllScale();
  void followScroll(const Column& from);

  std::array<Column, 2> columns_;
  DeltaLegend* legend_ = nullptr;
  std::shared_ptr<const analysis::Report> report_;
  bool reportPending_ = false;  // report_ not yet given to the columns (the view was hidden)
  int pinned_ = -1;
  bool followingScroll_ = false;  // set while one column's scroll is copied to the other: no echo back
};

}  // namespace hl::ui
