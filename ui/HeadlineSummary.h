#pragma once
// The line above the token view: core's headline of the active comparison (core/analysis/report/headline.h, the same text
// the slide's models line carries), after the notice that only the start of a very long text was scored.
#include <QLabel>

namespace hl::ui {

class ScoringController;

class HeadlineSummary : public QLabel {
  Q_OBJECT
 public:
  explicit HeadlineSummary(QWidget* parent = nullptr);

  // The controller's report against the active reference, with the hybrid's gap against the other references of the
  // same run; empty when there is no report.
  void showReport(const ScoringController& controller);
};

}  // namespace hl::ui
