#pragma once
// The row above the token view that chooses how units are coloured: the mode (Δ, NLL, rank bucket, entropy,
// category), the model a per-model mode looks at, the NLL / entropy maximum ("auto": the 95th percentile) and the
// category filter with a Clear button. The TokenDeltaModel stays the one place these settings live: the boxes write
// to it and follow its signals, so a filter set elsewhere (a click on the category chart, a session) shows here too.
#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QToolButton;

namespace hl::ui {

class TokenDeltaModel;

class ColouringControls : public QWidget {
  Q_OBJECT
 public:
  explicit ColouringControls(TokenDeltaModel* model, QWidget* parent = nullptr);

  QComboBox* modeBox() const { return mode_; }
  QComboBox* modelBox() const { return whose_; }
  QDoubleSpinBox* maxBox() const { return max_; }
  QComboBox* categoryBox() const { return category_; }
  QToolButton* clearButton() const { return clear_; }

 private:
  void showSettings();    // the boxes show the model's colouring; the ones that do not apply are disabled
  void showCategories();  // the report's categories, and the filter
  void chooseFromBoxes();

  TokenDeltaModel* model_;
  QComboBox* mode_ = nullptr;
  QLabel* whoseLabel_ = nullptr;
  QComboBox* whose_ = nullptr;
  QDoubleSpinBox* max_ = nullptr;
  QComboBox* category_ = nullptr;
  QToolButton* clear_ = nullptr;
};

}  // namespace hl::ui
