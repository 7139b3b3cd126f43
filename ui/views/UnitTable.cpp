#include "ui/views/UnitTable.h"

#include <QHeaderView>

#include "ui/models/TokenDeltaModel.h"
#include "ui/models/UnitSortProxy.h"

namespace hl::ui {

UnitTable::UnitTable(TokenDeltaModel* units, QWidget* parent) : QTableView(parent), proxy_(new UnitSortProxy(this)) {
  setObjectName(QStringLiteral("unitTable"));
  proxy_->setSourceModel(units);
  setModel(proxy_);
  setSortingEnabled(true);
  sortByColumn(-1, Qt::AscendingOrder);  // the text's order until a header is clicked
  setSelectionBehavior(QAbstractItemView::SelectRows);
  setSelectionMode(QAbstractItemView::SingleSelection);
  setEditTriggers(QAbstractItemView::NoEditTriggers);
  verticalHeader()->setVisible(false);
  verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
  horizontalHeader()->setStretchLastSection(true);
  setWordWrap(false);
  connect(this, &QTableView::clicked, this,
          [this](const QModelIndex& index) { emit unitClicked(proxy_->mapToSource(index).row()); });
}

}  // namespace hl::ui
