#include "ui/models/UnitSortProxy.h"

#include "ui/models/TokenDeltaModel.h"

namespace hl::ui {

UnitSortProxy::UnitSortProxy(QObject* parent) : QSortFilterProxyModel(parent) {
  setSortRole(TokenDeltaModel::SortRole);
}

bool UnitSortProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const {
  const QVariant l = left.data(sortRole());
  const QVariant r = right.data(sortRole());
  const bool descending = sortOrder() == Qt::DescendingOrder;
  if (!l.isValid() || !r.isValid()) {
    if (l.isValid() == r.isValid()) return left.row() < right.row();
    return l.isValid() == descending ? false : true;  // the missing one ends last
  }
  if (l.typeId() == QMetaType::QString || r.typeId() == QMetaType::QString)
    return QString::localeAwareCompare(l.toString(), r.toString()) < 0;
  return l.toDouble() < r.toDouble();
}

}  // namespace hl::ui
