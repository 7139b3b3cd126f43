#include "ui/SideBySideView.h"

#include <QGridLayout>
#include <QLabel>
#include <QScrollBar>
#include <QVBoxLayout>
#include <algorithm>
#include <utility>

#include "core/analysis/report.h"
#include "ui/DeltaLegend.h"
#include "ui/TokenDeltaModel.h"
#include "ui/TokenDeltaView.h"

namespace hl::ui {

using analysis::ColourMode;
using analysis::ModelRole;

namespace {

// The first unit whose first line reaches into the view's viewport (-1: none). Units are laid out in text order, so
// their tops only grow with the index and a binary search finds it.
int firstVisibleUnit(const TokenDeltaView& view, int units) {
  int lo = 0, hi = units;
  while (lo < hi) {
    const int mid = lo + (hi - lo) / 2;
    const QRect r = view.unitRect(mid);
    if (!r.isNull() && r.bottom() < 0) lo = mid + 1;
    else hi = mid;
  }
  while (lo < units && view.unitRect(lo).isNull()) ++lo;  // a unit with nothing to draw (a lone "\r") is no anchor
  return lo < units ? lo : -1;
}

}  // namespace

SideBySideView::SideBySideView(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("sideBySideView"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->setSpacing(4);
  legend_ = new DeltaLegend(this);
  legend_->setObjectName(QStringLiteral("sideBySideLegend"));
  layout->addWidget(legend_);

  auto* grid = new QGridLayout;
  grid->setHorizontalSpacing(8);
  grid->setVerticalSpacing(2);
  for (ModelRole role : {ModelRole::reference, ModelRole::compared}) {
    const int x = static_cast<int>(index(role));
    Column& c = columns_[index(role)];
    const QString key = role == ModelRole::reference ? QStringLiteral("Reference") : QStringLiteral("Hybrid");
    c.title = new QLabel(this);
    c.title->setObjectName(QStringLiteral("sideBySideTitle") + key);
    c.title->setTextFormat(Qt::RichText);
    c.model = new TokenDeltaModel(this);
    c.model->setColourMode(ColourMode::nll);
    c.model->setColourModel(role);
    c.view = new TokenDeltaView(this);
    c.view->setObjectName(QStringLiteral("sideBySideView") + key);
    c.view->setModel(c.model);
    grid->addWidget(c.title, 0, x);
    grid->addWidget(c.view, 1, x);
    grid->setColumnStretch(x, 1);  // equal widths: both columns wrap the text at the same places
  }
  layout->addLayout(grid, 1);
  for (const Column& c : columns_) connectColumn(c);
  applyReport();  // titles and legend with the default names
}

void SideBySideView::connectColumn(const Column& c) {
  const Column& o = other(c);
  connect(c.view->verticalScrollBar(), &QScrollBar::valueChanged, this, [this, &c] { followScroll(c); });
  connect(c.view, &TokenDeltaView::hoveredUnitChanged, o.view, &TokenDeltaView::setHighlightedUnit);
  connect(c.view, &TokenDeltaView::unitPinned, this, &SideBySideView::setPinnedUnit);
}

void SideBySideView::setReport(std::shared_ptr<const analysis::Report> report) {
  report_ = std::move(report);
  pinned_ = -1;  // unit numbers belong to a report; the window's token view drops its pin the same way
  reportPending_ = true;
  if (isVisible()) applyReport();
}

void SideBySideView::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (reportPending_) applyReport();
}

void SideBySideView::applyReport() {
  reportPending_ = false;
  for (const Column& c : columns_) {
    c.model->setSequentialMax(0);  // auto, so that each column's own 95th percentile can be read below
    c.model->setReport(report_);
  }
  columns_[0].title->setText(tr("<b>%1</b> (reference)").arg(columns_[0].model->referenceName().toHtmlEscaped()));
  columns_[1].title->setText(tr("<b>%1</b> (hybrid)").arg(columns_[1].model->hybridName().toHtmlEscaped()));
  shareNllScale();
  if (pinned_ >= 0) {  // pinned while hidden: the pin was kept for the report it belongs to
    const int unit = std::exchange(pinned_, -1);
    setPinnedUnit(unit);
  }
}

// One scale for both columns: the larger of the two automatic maxima, so that neither column saturates early and
// the same colour means the same loss on both sides.
void SideBySideView::shareNllScale() {
  const double max = std::max(columns_[0].model->effectiveSequentialMax(), columns_[1].model->effectiveSequentialMax());
  for (const Column& c : columns_) c.model->setSequentialMax(max);
  analysis::ColourLegend legend = columns_[1].model->legend();
  legend.title = tr("NLL of each column's model (%1)").arg(columns_[1].model->lossUnit()).toStdString();
  if (!legend.ticks.empty()) legend.ticks.back().label += " (p95)";
  legend_->setLegend(std::move(legend));
  legend_->setToolTip(tr("Both columns use this scale: its dark end is the larger of the two models' 95th "
                         "percentiles of NLL on this text, so equal colours mean equal loss."));
}

double SideBySideView::nllMax() const { return columns_[0].model->effectiveSequentialMax(); }

void SideBySideView::setPinnedUnit(int unit) {
  const int units = report_ ? static_cast<int>(report_->comparison.units.size()) : 0;
  if (unit < 0 || unit >= units) unit = -1;
  if (unit == pinned_) return;  // also ends the echo of the columns' own unitPinned
  pinned_ = unit;
  if (reportPending_) return;  // applied with the report
  for (const Column& c : columns_) c.view->setPinnedUnit(unit);
  columns_[0].view->ensureUnitVisible(unit);  // the other column follows the scroll
  emit unitPinned(unit);
}

// Keeps the other column's first visible unit where it is in `from`: the columns have equal widths, so this is
// normally the same scroll position, and it still lines the text up when their wrapping differs by a pixel.
void SideBySideView::followScroll(const Column& from) {
  if (followingScroll_) return;
  const Column& to = other(from);
  const int anchor = firstVisibleUnit(*from.view, from.model->unitCount());
  if (anchor < 0) return;
  const QRect source = from.view->unitRect(anchor), target = to.view->unitRect(anchor);
  if (target.isNull()) return;
  followingScroll_ = true;
  QScrollBar* bar = to.view->verticalScrollBar();
  bar->setValue(bar->value() + target.top() - source.top());
  followingScroll_ = false;
}

}  // namespace hl::ui
