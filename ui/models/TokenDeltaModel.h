#pragma once
// The comparison's units as a Qt table model: one row per aligned unit. The hybrid is the report's compared model
// (Comparison::compared_model()), the reference its comparison.reference; a report may hold further references,
// which the hover card lists too. Columns: text, Δ, the hybrid's and the reference's NLL and rank, categories. Qt::BackgroundRole carries the unit's
// colour under the current colouring (core/analysis/colour/unit_colouring.h: Δ on a symmetric range ±colourLimit(), a
// model's NLL, rank bucket or entropy, or the category), faded for units outside the category filter;
// Qt::ToolTipRole the hover card (HTML). Colours are cached per row and recomputed only when a colouring setting or
// the filter changes. Usable without a display.
#include <QAbstractTableModel>
#include <QColor>
#include <QStringList>
#include <memory>
#include <vector>

#include "core/analysis/colour/unit_colouring.h"

namespace hl::ui {

class TokenDeltaModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { TextColumn, DeltaColumn, ReferenceNllColumn, HybridNllColumn, ReferenceRankColumn, HybridRankColumn,
                CategoriesColumn, ColumnCount };
  enum Role {
    DeltaRole = Qt::UserRole + 1,  // double, loss unit; NaN when the unit is not scored by both models
    UnitTextRole,                  // QString, the unit's text exactly as in the input
    ReferenceNllRole,              // double
    HybridNllRole,                 // double
    CategoriesRole,                // QStringList
    ScoredRole,                    // bool
    ByteSpanRole,                  // QPoint(begin, end)
    HoverCardRole,                 // QString, HTML (same as Qt::ToolTipRole)
    SortRole,                      // per column: a number (text: position), a string, or invalid (no value)
  };

  explicit TokenDeltaModel(QObject* parent = nullptr);
  ~TokenDeltaModel() override;

  void setReport(std::shared_ptr<const analysis::Report> report);
  const std::shared_ptr<const analysis::Report>& report() const { return report_; }

  // Every colouring setter recolours every row, then emits dataChanged(BackgroundRole, ForegroundRole) and
  // colouringChanged(); setting the current value does nothing.
  // Δ magnitude at which the Δ colour saturates (> 0).
  void setColourLimit(double limit);
  double colourLimit() const { return settings_.delta_limit; }
  void setColourMode(analysis::ColourMode mode);
  void setColourModel(analysis::ModelRole model);  // whose NLL, rank or entropy
  // Whose, by the model's index in the report (the side-by-side columns, one per model); -1: by setColourModel's role.
  void setColourModelIndex(int index);
  void setSequentialMax(double max);                // NLL / entropy at the dark end; ≤ 0: auto (95th percentile)
  const analysis::ColouringSettings& colouring() const { return settings_; }
  double effectiveSequentialMax() const;  // the max the NLL / entropy colours use now
  analysis::ColourLegend legend() const;  // explains the current colours

  // Units without this category label (docs/categories.md) are dimmed: background faded, grey ink. Empty or "all":
  // no filter. Kept across reports, so a re-scored text stays filtered. Emits categoryFilterChanged when it changes.
  void setCategoryFilter(const QString& label);
  const QString& categoryFilter() const { return filter_; }
  bool dimmed(int row) const { return dimmed_[static_cast<std::size_t>(row)]; }
  QStringList categories() const;  // the report's categories with scored units, as the chart lists them, minus "all"

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

  // Fast accessors for the view (no QVariant).
  int unitCount() const { return static_cast<int>(texts_.size()); }
  const QString& unitText(int row) const { return texts_[static_cast<std::size_t>(row)]; }
  double delta(int row) const { return deltas_[static_cast<std::size_t>(row)]; }
  QColor colour(int row) const;      // invalid: no background (no value under the colouring)
  QColor textColour(int row) const;  // ink for colour(row)
  QString hoverCard(int row) const;  // HTML
  QString referenceName() const;
  QString hybridName() const;
  QString lossUnit() const;  // "nats" or "bits"

 signals:
  void colourLimitChanged(double limit);
  void colouringChanged();  // mode, model, a range, or the report (names) changed: the legend follows
  void categoryFilterChanged(const QString& label);

 private:
  void updateDimmed();
  void recolour();
  void announceRecolour();

  std::shared_ptr<const analysis::Report> report_;
  std::unique_ptr<analysis::UnitColourer> colourer_;
  analysis::ColouringSettings settings_;
  QString filter_;
  std::vector<QString> texts_;
  std::vector<double> deltas_;
  std::vector<bool> dimmed_;
  std::vector<QRgb> colours_;  // alpha 0: none
  std::vector<QRgb> ink_;
};

}  // namespace hl::ui
