#pragma once
// The text once per model, side by side, each unit on that column's model's NLL: one column per model of the report,
// in its order (the window's: the hybrid, then its references), each headed by the model's name and its part in the
// comparison. All columns share one NLL scale (the sequential maximum is the largest of the models' 95th
// percentiles), so equal colours mean equal loss, and one legend explains them all. The columns move together:
// scrolling one scrolls the others to the same unit, hovering a unit outlines it in the others, and a click pins it
// in all (unitPinned, so the window's other views follow). Each column is a TokenDeltaView over its own
// TokenDeltaModel; nothing here colours or lays out text itself. Beyond kMaxFittedColumns the columns keep a
// readable width and the area scrolls sideways.
//
// A report handed over while the view is hidden is applied when it is shown: laying out a long text once per model
// is work a closed dock should not cost on every re-score.
#include <QWidget>
#include <memory>
#include <vector>

class QGridLayout;
class QLabel;

namespace hl::analysis {
struct Comparison;
struct Report;
}  // namespace hl::analysis

namespace hl::ui {

class DeltaLegend;
class TokenDeltaModel;
class TokenDeltaView;

class SideBySideView : public QWidget {
  Q_OBJECT
 public:
  static constexpr int kMaxFittedColumns = 4;  // more columns than this scroll sideways instead of narrowing
  static constexpr int kMinColumnWidth = 220;  // their width then: about 25 characters of text

  explicit SideBySideView(QWidget* parent = nullptr);

  void setReport(std::shared_ptr<const analysis::Report> report);

  // Column k shows model k of the report (before any report: two empty columns, the hybrid and a reference).
  int columnCount() const { return static_cast<int>(columns_.size()); }
  TokenDeltaView* view(int column) const { return columns_.at(static_cast<std::size_t>(column)).view; }
  TokenDeltaModel* model(int column) const { return columns_.at(static_cast<std::size_t>(column)).model; }
  QLabel* title(int column) const { return columns_.at(static_cast<std::size_t>(column)).title; }
  DeltaLegend* legend() const { return legend_; }
  double nllMax() const;  // the top of the shared NLL scale (loss unit)

  int pinnedUnit() const { return pinned_; }
  // Pins the unit in every column and scrolls it into view; emits unitPinned when the pin changes. -1: none.
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

  const analysis::Comparison& comparison() const;  // the report's, or the placeholder pair before one
  void setColumnCount(int count);
  void addColumn();
  void removeLastColumn();
  void applyReport();
  void updateTitles();
  void shareNllScale();
  void followScroll(int from);
  void mirrorHover(int from, int unit);

  std::vector<Column> columns_;
  QGridLayout* grid_ = nullptr;  // row 0 the titles, row 1 the views; one grid column per model
  DeltaLegend* legend_ = nullptr;
  std::shared_ptr<const analysis::Report> report_;
  bool reportPending_ = false;  // report_ not yet given to the columns (the view was hidden)
  int pinned_ = -1;
  bool followingScroll_ = false;  // set while one column's scroll is copied to the others: no echo back
};

}  // namespace hl::ui
