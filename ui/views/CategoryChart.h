#pragma once
// Mean Δ per category with its 95 % bootstrap interval (core Report::categories, the hybrid's gap against the
// reference): horizontal QCustomPlot bars, blue where the hybrid is better on average, orange where the reference is.
// A click on a category's row selects it (the token view's category filter, wired by the window); the selected row
// is highlighted and marked ▶. Clicking it again, or "all", clears the selection.
#include <QString>
#include <QStringList>
#include <QWidget>
#include <memory>
#include <vector>

class QCPItemRect;
class QCustomPlot;
class QLabel;
class QMouseEvent;
class QScrollArea;

namespace hl::analysis {
struct Report;
}

namespace hl::ui {

class CategoryChart : public QWidget {
  Q_OBJECT
 public:
  explicit CategoryChart(QWidget* parent = nullptr);

  void setReport(std::shared_ptr<const analysis::Report> report);
  int categoryCount() const { return count_; }
  QCustomPlot* plot() const { return plot_; }

  // The study's filtered losses (Report::filtered: all tokens, open-class non-copy, copy-5 only), drawn as rows above
  // the categories under a "study ·" prefix, with lighter bars. Not clickable: they are not labels the token view
  // can filter by. Values in the report's loss unit; NaN where a group has no scored unit.
  struct FilteredRow {
    QString name;  // as in the report: all_tokens, open_no_copy, copy5_only
    QString label;  // as shown
    int count = 0;
    double mean = 0, low = 0, high = 0;
  };
  const std::vector<FilteredRow>& filteredRows() const { return filtered_; }

  // Highlights a category's row ("" or "all": none). Emits nothing: the window calls it to mirror the filter.
  void setSelectedCategory(const QString& name);
  const QString& selectedCategory() const { return selected_; }
  // The category whose row is at a point of plot() (its bar, its band or its label); "" when none.
  QString categoryAt(const QPoint& plotPos) const;
  // Where a category's bar is drawn, in plot() coordinates (a point inside its bar, or on its row when the bar is
  // empty); null when the category is not shown.
  QPoint barCentre(const QString& name) const;

 protected:
  void changeEvent(QEvent* event) override;  // a theme switch recolours the chrome

 signals:
  // After a click on a row: the new selection, the clicked category or "" (it was selected already, or is "all").
  void categorySelected(const QString& name);

 private:
  void onPlotClicked(QMouseEvent* event);
  void showSelection();  // tick labels and the highlight band for selected_
  void styleChrome();    // axes, zero line, error bars and the highlight band from the palette
  int rowOf(const QString& name) const;  // index into names_, -1 none
  double filteredKey(std::size_t row) const;  // y of a filtered row: above "all", after a half-row gap
  void showFiltered(const analysis::Report& report);  // fills filtered_ from the report

  QCustomPlot* plot_ = nullptr;
  QLabel* caption_ = nullptr;
  QScrollArea* scroll_ = nullptr;
  QCPItemRect* highlight_ = nullptr;
  int count_ = 0;
  QStringList names_;            // [row] as in the report, "all" first
  std::vector<int> counts_;      // [row]
  std::vector<double> means_;    // [row] mean Δ (NaN: no bar)
  std::vector<FilteredRow> filtered_;
  QString selected_;
};

}  // namespace hl::ui
