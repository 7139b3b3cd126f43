#include "ui/HeadlineSummary.h"

#include "core/analysis/report/headline.h"
#include "ui/ScoringController.h"

namespace hl::ui {

HeadlineSummary::HeadlineSummary(QWidget* parent) : QLabel(parent) {
  setObjectName(QStringLiteral("reportSummary"));
  setContentsMargins(8, 0, 8, 0);
  setTextInteractionFlags(Qt::TextSelectableByMouse);
  setWordWrap(true);  // models' names and a long-text notice make it longer than the view is wide
}

void HeadlineSummary::showReport(const ScoringController& controller) {
  const auto report = controller.report();
  if (!report) {
    clear();
    return;
  }
  const auto others =
      analysis::other_reference_gaps(controller.reports(), static_cast<std::size_t>(controller.activeReference()));
  QString text = QString::fromStdString(analysis::headline(*report, others));
  if (!controller.scoredPrefixNotice().isEmpty()) text = controller.scoredPrefixNotice() + QStringLiteral(" · ") + text;
  setText(text);
}

}  // namespace hl::ui
