#pragma once
// The comparison's units as a Qt table model: one row per aligned unit (reference = model 0, hybrid = model 1 of the
// core Report). Columns: text, Δ, each model's NLL and rank, categories. Qt::BackgroundRole carries the Δ colour
// (DeltaColourScale, symmetric range ±colourLimit()), Qt::ToolTipRole the hover card (HTML). Colours are cached per
// row and recomputed only when the range changes. Usable without a display.
#include <QAbstractTableModel>
#include <QColor>
#include <QStringList>
#include <memory>
#include <vector>

namespace hl::analysis {
struct Report;
}

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

  // Δ magnitude at which the colour saturates (> 0). Recolours every row and emits dataChanged(BackgroundRole).
  void setColourLimit(double limit);
  double colourLimit() const { return limit_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

  // Fast accessors for the view (no QVariant).
  int unitCount() const { return static_cast<int>(texts_.size()); }
  const QString& unitText(int row) const { return texts_[static_cast<std::size_t>(row)]; }
  double delta(int row) const { return deltas_[static_cast<std::size_t>(row)]; }
  QColor colour(int row) const;      // invalid: no background (unscored)
  QColor textColour(int row) const;  // ink for colour(row)
  QString hoverCard(int row) const;  // HTML
  QString referenceName() const;
  QString hybridName() const;
  QString lossUnit() const;  // "nats" or "bits"

 signals:
  void colourLimitChanged(double limit);

 private:
  void recolour();

  std::shared_ptr<const analysis::Report> report_;
  std::vector<QString> texts_;
  std::vector<double> deltas_;
  std::vector<QRgb> colours_;  // alpha 0: none
  std::vector<bool> dark_;     // white ink
  double limit_ = 2.0;
};

}  // namespace hl::ui
