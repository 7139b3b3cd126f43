#pragma once
// Mean Δ per category with its 95 % bootstrap interval (core Report::categories, the hybrid's gap against the
// reference): horizontal QCustomPlot bars, blue where the hybrid is better on average, orange where the reference is.
#include <QWidget>
#include <memory>

class QCustomPlot;
class QLabel;
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

 private:
  QCustomPlot* plot_ = nullptr;
  QLabel* caption_ = nullptr;
  QScrollArea* scroll_ = nullptr;
  int count_ = 0;
};

}  // namespace hl::ui
