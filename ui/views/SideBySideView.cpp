#include "ui/views/SideBySideView.h"

#include <QGridLayout>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QVBoxLayout>
#include <algorithm>
#include <utility>

#include "core/analysis/report/report.h"
#include "ui/views/DeltaLegend.h"
#include "ui/models/TokenDeltaModel.h"
#include "ui/views/TokenDeltaView.h"

namespace hl::ui {

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

// Before any report (or for one without models): the window's usual pair under generic names, so that the empty
// dock already shows what it will hold.
const analysis::Comparison& placeholderPair() {
  static const analysis::Comparison pair = [] {
    analysis::Comparison c;
    c.models = {{"hybrid", {}, {}}, {"reference", {}, {}}};
    c.reference = 1;
    return c;
  }();
  return pair;
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

  // Each column scrolls its text itself; the area around them only ever scrolls sideways, when there are more
  // columns than fit.
  auto* area = new QScrollArea(this);
  area->setObjectName(QStringLiteral("sideBySideColumns"));
  area->setFrameShape(QFrame::NoFrame);
  area->setWidgetResizable(true);
  area->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  auto* columns = new QWidget(area);
  grid_ = new QGridLayout(columns);
  grid_->setContentsMargins(0, 0, 0, 0);
  grid_->setHorizontalSpacing(8);
  grid_->setVerticalSpacing(2);
  grid_->setRowStretch(1, 1);
  area->setWidget(columns);
  layout->addWidget(area, 1);
  applyReport();  // the placeholder columns, titles and legend
}

const analysis::Comparison& SideBySideView::comparison() const {
  return report_ && !report_->comparison.models.empty() ? report_->comparison : placeholderPair();
}

void SideBySideView::setColumnCount(int count) {
  if (count == columnCount()) return;
  while (columnCount() < count) addColumn();
  while (columnCount() > count) removeLastColumn();
  const int minWidth = count > kMaxFittedColumns ? kMinColumnWidth : 0;
  for (int k = 0; k < count; ++k) grid_->setColumnMinimumWidth(k, minWidth);
}

void SideBySideView::addColumn() {
  const int k = columnCount();
  QWidget* area = grid_->parentWidget();
  const QString key = QString::number(k);
  Column c;
  c.title = new QLabel(area);
  c.title->setObjectName(QStringLiteral("sideBySideTitle") + key);
  c.title->setTextFormat(Qt::RichText);
  c.title->setWordWrap(true);  // a long name wraps in its column instead of widening it
  c.model = new TokenDeltaModel(this);
  c.model->setColourMode(analysis::ColourMode::nll);
  c.model->setColourModelIndex(k);
  c.view = new TokenDeltaView(area);
  c.view->setObjectName(QStringLiteral("sideBySideView") + key);
  c.view->setModel(c.model);
  grid_->addWidget(c.title, 0, k);
  grid_->addWidget(c.view, 1, k);
  grid_->setColumnStretch(k, 1);  // equal widths: every column wraps the text at the same places
  // Column k's connections end with its widgets; columns are only ever added and removed at the end, so k stays its.
  connect(c.view->verticalScrollBar(), &QScrollBar::valueChanged, this, [this, k] { followScroll(k); });
  connect(c.view, &TokenDeltaView::hoveredUnitChanged, this, [this, k](int unit) { mirrorHover(k, unit); });
  connect(c.view, &TokenDeltaView::unitPinned, this, &SideBySideView::setPinnedUnit);
  if (isVisible()) {  // widgets added to a shown parent stay hidden until told
    c.title->show();
    c.view->show();
  }
  columns_.push_back(c);
}

void SideBySideView::removeLastColumn() {
  const Column c = columns_.back();
  columns_.pop_back();
  const int k = columnCount();
  grid_->setColumnStretch(k, 0);  // the grid keeps its column: it must take no space
  grid_->setColumnMinimumWidth(k, 0);
  delete c.view;  // before the model it shows
  delete c.model;
  delete c.title;
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
  setColumnCount(static_cast<int>(comparison().models.size()));
  for (const Column& c : columns_) {
    c.model->setSequentialMax(0);  // auto, so that each column's own 95th percentile can be read below
    c.model->setReport(report_);
  }
  updateTitles();
  shareNllScale();
  if (pinned_ >= 0) {  // pinned while hidden: the pin was kept for the report it belongs to
    const int unit = std::exchange(pinned_, -1);
    setPinnedUnit(unit);
  }
}

// The model's name, and its part in the comparison: the hybrid, or the reference its Δ is measured against (other
// references have none).
void SideBySideView::updateTitles() {
  const analysis::Comparison& c = comparison();
  for (int k = 0; k < columnCount(); ++k) {
    const auto m = static_cast<std::size_t>(k);
    const QString name = QString::fromStdString(c.models[m].name).toHtmlEscaped();
    const QString text = m == c.reference          ? tr("<b>%1</b> (reference)").arg(name)
                         : m == c.compared_model() ? tr("<b>%1</b> (hybrid)").arg(name)
                                                   : tr("<b>%1</b>").arg(name);
    columns_[m].title->setText(text);
  }
}

// One scale for all columns: the largest of their automatic maxima, so that no column saturates early and the same
// colour means the same loss in every column.
void SideBySideView::shareNllScale() {
  double max = 0;
  for (const Column& c : columns_) max = std::max(max, c.model->effectiveSequentialMax());
  for (const Column& c : columns_) c.model->setSequentialMax(max);
  const TokenDeltaModel& first = *columns_.front().model;
  analysis::ColourLegend legend = first.legend();
  legend.title = tr("NLL of each column's model (%1)").arg(first.lossUnit()).toStdString();
  if (!legend.ticks.empty()) legend.ticks.back().label += " (p95)";
  legend_->setLegend(std::move(legend));
  legend_->setToolTip(tr("Every column uses this scale: its dark end is the largest of the models' 95th "
                         "percentiles of NLL on this text, so equal colours mean equal loss."));
}

double SideBySideView::nllMax() const { return columns_.front().model->effectiveSequentialMax(); }

void SideBySideView::setPinnedUnit(int unit) {
  const int units = report_ ? static_cast<int>(report_->comparison.units.size()) : 0;
  if (unit < 0 || unit >= units) unit = -1;
  if (unit == pinned_) return;  // also ends the echo of the columns' own unitPinned
  pinned_ = unit;
  if (reportPending_) return;  // applied with the report
  for (const Column& c : columns_) c.view->setPinnedUnit(unit);
  columns_.front().view->ensureUnitVisible(unit);  // the other columns follow the scroll
  emit unitPinned(unit);
}

// Keeps every other column's first visible unit where it is in `from`: the columns have equal widths, so this is
// normally the same scroll position, and it still lines the text up when their wrapping differs by a pixel.
void SideBySideView::followScroll(int from) {
  if (followingScroll_) return;
  const Column& source = columns_[static_cast<std::size_t>(from)];
  const int anchor = firstVisibleUnit(*source.view, source.model->unitCount());
  if (anchor < 0) return;
  const int top = source.view->unitRect(anchor).top();
  followingScroll_ = true;
  for (const Column& to : columns_) {
    const QRect target = to.view->unitRect(anchor);
    if (to.view == source.view || target.isNull()) continue;
    QScrollBar* bar = to.view->verticalScrollBar();
    bar->setValue(bar->value() + target.top() - top);
  }
  followingScroll_ = false;
}

void SideBySideView::mirrorHover(int from, int unit) {
  for (int k = 0; k < columnCount(); ++k)
    if (k != from) view(k)->setHighlightedUnit(unit);
}

}  // namespace hl::ui
