#pragma once
// The lower half of the window's centre, top to bottom: the colouring controls, the "Δ against" choice (shown once
// several references are loaded), the colour range and the legend, the headline summary, and the token view, which
// takes all the height left.
#include <QWidget>

class QComboBox;
class QDoubleSpinBox;

namespace hl::ui {

class HeadlineSummary;
class TokenDeltaModel;
class TokenDeltaView;

class TokenPanel : public QWidget {
  Q_OBJECT
 public:
  TokenPanel(TokenDeltaModel* units, QWidget* parent = nullptr);

  TokenDeltaView* view() const { return view_; }
  HeadlineSummary* summary() const { return summary_; }
  QDoubleSpinBox* colourRange() const { return range_; }
  QComboBox* referenceBox() const { return referenceBox_; }  // "Δ against": the active reference

  // The reference names to choose from, `active` selected; the choice is hidden for fewer than two.
  void setReferences(const QStringList& names, int active);

 private:
  TokenDeltaView* view_ = nullptr;
  HeadlineSummary* summary_ = nullptr;
  QDoubleSpinBox* range_ = nullptr;
  QComboBox* referenceBox_ = nullptr;
  QWidget* referenceLabel_ = nullptr;
};

}  // namespace hl::ui
