#pragma once
// Sorts TokenDeltaModel rows by TokenDeltaModel::SortRole (numbers as numbers); units without a value (not scored)
// go last in either direction.
#include <QSortFilterProxyModel>

namespace hl::ui {

class UnitSortProxy : public QSortFilterProxyModel {
  Q_OBJECT
 public:
  explicit UnitSortProxy(QObject* parent = nullptr);

 protected:
  bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;
};

}  // namespace hl::ui
