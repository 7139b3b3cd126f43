#pragma once
// Every unit as a sortable table (sort by Δ to find where the models differ most): TokenDeltaModel's columns through
// UnitSortProxy. A click names the unit (unitClicked, a row of the source model) so the window can pin it.
#include <QTableView>

namespace hl::ui {

class TokenDeltaModel;
class UnitSortProxy;

class UnitTable : public QTableView {
  Q_OBJECT
 public:
  explicit UnitTable(TokenDeltaModel* units, QWidget* parent = nullptr);

 signals:
  void unitClicked(int unit);

 private:
  UnitSortProxy* proxy_ = nullptr;
};

}  // namespace hl::ui
