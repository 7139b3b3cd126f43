#include "ui/CategoryChart.h"

#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

#include "core/analysis/report.h"
#include "ui/DeltaColourScale.h"
#include "ui/PlotTheme.h"

namespace hl::ui {

CategoryChart::CategoryChart(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("categoryChart"));
  setMinimumWidth(320);  // category names take ~half; the bars need the rest
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  caption_ = new QLabel(tr("Mean Δ per category (95 % bootstrap interval). Click a category to dim the other units "
                           "in the token view; click it again to clear."),
                        this);
  caption_->setWordWrap(true);
  layout->addWidget(caption_);
  // One row per category: the plot grows with their number and scrolls instead of squeezing the labels.
  scroll_ = new QScrollArea(this);
  scroll_->setWidgetResizable(true);
  scroll_->setFrameShape(QFrame::NoFrame);
  scroll_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  plot_ = new QCustomPlot;
  plot_->setMinimumSize(200, 220);
  QFont tickFont = plot_->yAxis->tickLabelFont();
  tickFont.setPointSizeF(tickFont.pointSizeF() * 0.9);
  plot_->yAxis->setTickLabelFont(tickFont);
  plot_->xAxis->setTickLabelFont(tickFont);
  plot_->xAxis->ticker()->setTickCount(4);
  // The value axis on top as well, so it stays in sight when many categories scroll.
  plot_->xAxis2->setVisible(true);
  plot_->xAxis2->setTickLabels(true);
  plot_->xAxis2->setTickLabelFont(tickFont);
  plot_->xAxis2->setTicker(plot_->xAxis->ticker());
  connect(plot_->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), plot_->xAxis2,
          qOverload<const QCPRange&>(&QCPAxis::setRange));
  scroll_->setWidget(plot_);
  plot_->xAxis->setLabel(tr("mean Δ (nats)"));
  plot_->yAxis->setTicker(QSharedPointer<QCPAxisTickerText>::create());
  plot_->yAxis->grid()->setVisible(false);
  layout->addWidget(scroll_, 1);
  connect(plot_, &QCustomPlot::mousePress, this, &CategoryChart::onPlotClicked);
  setReport(nullptr);
}

void CategoryChart::styleChrome() {
  applyPlotTheme(plot_, palette());
  const QColor ink = plotInk(palette());
  plot_->xAxis->grid()->setZeroLinePen(QPen(ink, 1));
  for (int i = 0; i < plot_->plottableCount(); ++i)
    if (auto* errors = qobject_cast<QCPErrorBars*>(plot_->plottable(i))) errors->setPen(QPen(ink, 1.2));
  if (highlight_) {
    QColor band = ink;
    band.setAlpha(28);
    highlight_->setPen(QPen(palette().color(QPalette::Mid), 1, Qt::DashLine));
    highlight_->setBrush(band);
  }
}

void CategoryChart::changeEvent(QEvent* event) {
  QWidget::changeEvent(event);
  if (event->type() != QEvent::PaletteChange) return;
  styleChrome();
  plot_->replot();
}

int CategoryChart::rowOf(const QString& name) const { return name.isEmpty() ? -1 : static_cast<int>(names_.indexOf(name)); }

QString CategoryChart::categoryAt(const QPoint& pos) const {
  const int n = static_cast<int>(names_.size());
  const QRect area = plot_->axisRect()->rect();
  if (n == 0 || pos.y() < area.top() || pos.y() > area.bottom()) return {};
  const double key = plot_->yAxis->pixelToCoord(pos.y());
  const long row = n - std::lround(key);  // key = n - row ("all" on top)
  if (row < 0 || row >= n || std::fabs(key - std::round(key)) > 0.45) return {};
  return names_[static_cast<int>(row)];
}

QPoint CategoryChart::barCentre(const QString& name) const {
  const int row = rowOf(name);
  if (row < 0) return {};
  const double key = static_cast<double>(names_.size() - row);
  const double mean = means_[static_cast<std::size_t>(row)];
  const double x = plot_->xAxis->coordToPixel(std::isfinite(mean) ? mean / 2 : 0.0);
  return QPointF(x, plot_->yAxis->coordToPixel(key)).toPoint();
}

void CategoryChart::onPlotClicked(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton) return;
  const QString hit = categoryAt(event->position().toPoint());
  if (hit.isEmpty()) return;
  const QString next = hit == selected_ || hit == QLatin1String("all") ? QString() : hit;
  setSelectedCategory(next);
  emit categorySelected(next);
}

void CategoryChart::setSelectedCategory(const QString& name) {
  const QString s = name == QLatin1String("all") ? QString() : name;
  if (s == selected_) return;
  selected_ = s;
  showSelection();
}

void CategoryChart::showSelection() {
  const int n = static_cast<int>(names_.size());
  const int row = rowOf(selected_);
  auto ticker = QSharedPointer<QCPAxisTickerText>::create();
  for (int i = 0; i < n; ++i)
    ticker->addTick(n - i, QStringLiteral("%1%2 (%3)")
                               .arg(i == row ? QStringLiteral("▶ ") : QString(), names_[i])
                               .arg(counts_[static_cast<std::size_t>(i)]));
  plot_->yAxis->setTicker(ticker);
  if (highlight_) {
    plot_->removeItem(highlight_);
    highlight_ = nullptr;
  }
  if (row >= 0) {
    // A band across the whole row behind the bar, so the selection shows whatever the bar's length or sign.
    highlight_ = new QCPItemRect(plot_);
    highlight_->setLayer(QStringLiteral("grid"));
    const double key = n - row;
    for (QCPItemPosition* corner : {highlight_->topLeft, highlight_->bottomRight}) {
      corner->setTypeX(QCPItemPosition::ptAxisRectRatio);
      corner->setTypeY(QCPItemPosition::ptPlotCoords);
    }
    highlight_->topLeft->setCoords(0, key + 0.48);
    highlight_->bottomRight->setCoords(1, key - 0.48);
  }
  styleChrome();
  plot_->replot();
}

void CategoryChart::setReport(std::shared_ptr<const analysis::Report> report) {
  plot_->clearPlottables();
  count_ = 0;
  names_.clear();
  counts_.clear();
  means_.clear();
  auto ticker = QSharedPointer<QCPAxisTickerText>::create();
  if (!report || report->comparison.models.size() < 2) {
    if (highlight_) plot_->removeItem(highlight_);
    highlight_ = nullptr;
    plot_->yAxis->setTicker(ticker);
    plot_->xAxis->setRange(-1, 1);
    plot_->yAxis->setRange(0, 1);
    styleChrome();
    plot_->replot();
    return;
  }
  plot_->xAxis->setLabel(tr("mean Δ (%1)").arg(QString::fromLatin1(analysis::loss_unit_name(report->options.loss_unit).data())));
  const QColor blue(DeltaColourScale::kHybridBetter[0], DeltaColourScale::kHybridBetter[1], DeltaColourScale::kHybridBetter[2]);
  const QColor orange(DeltaColourScale::kReferenceBetter[0], DeltaColourScale::kReferenceBetter[1],
                      DeltaColourScale::kReferenceBetter[2]);
  auto* positive = new QCPBars(plot_->yAxis, plot_->xAxis);
  auto* negative = new QCPBars(plot_->yAxis, plot_->xAxis);
  positive->setBrush(blue);
  positive->setPen(QPen(blue.darker(120)));
  negative->setBrush(orange);
  negative->setPen(QPen(orange.darker(120)));
  positive->setWidth(0.7);
  negative->setWidth(0.7);
  auto* errors = new QCPErrorBars(plot_->yAxis, plot_->xAxis);
  errors->setErrorType(QCPErrorBars::etValueError);
  errors->setWhiskerWidth(6);

  const auto& cats = report->categories;
  const int n = static_cast<int>(cats.size());
  QVector<double> errKeys, errValues, errMinus, errPlus;
  double lo = 0, hi = 0;
  for (int i = 0; i < n; ++i) {
    const auto& g = cats[static_cast<std::size_t>(i)];
    const double key = n - i;  // "all" on top
    names_ << QString::fromStdString(g.name);
    counts_.push_back(static_cast<int>(g.count));
    means_.push_back(g.gaps.empty() ? NAN : g.gaps.front().mean_delta);
    if (g.gaps.empty() || !std::isfinite(g.gaps.front().mean_delta)) continue;
    const auto& gap = g.gaps.front();
    (gap.mean_delta >= 0 ? positive : negative)->addData(key, gap.mean_delta);
    const double low = std::isfinite(gap.interval.low) ? gap.interval.low : gap.mean_delta;
    const double high = std::isfinite(gap.interval.high) ? gap.interval.high : gap.mean_delta;
    errKeys << key;
    errValues << gap.mean_delta;
    errMinus << std::max(0.0, gap.mean_delta - low);
    errPlus << std::max(0.0, high - gap.mean_delta);
    lo = std::min({lo, low, gap.mean_delta});
    hi = std::max({hi, high, gap.mean_delta});
  }
  // One error-bar set over both bar sets, carried by an invisible graph whose keys must ascend (as must the errors).
  std::reverse(errKeys.begin(), errKeys.end());
  std::reverse(errValues.begin(), errValues.end());
  std::reverse(errMinus.begin(), errMinus.end());
  std::reverse(errPlus.begin(), errPlus.end());
  errors->setData(errMinus, errPlus);
  auto* carrier = new QCPGraph(plot_->yAxis, plot_->xAxis);
  carrier->setData(errKeys, errValues, true);
  carrier->setLineStyle(QCPGraph::lsNone);
  carrier->setScatterStyle(QCPScatterStyle::ssNone);
  errors->setDataPlottable(carrier);
  count_ = n;
  plot_->setMinimumHeight(std::max(220, 17 * n + 60));
  plot_->yAxis->setRange(0.3, n + 0.7);
  const double pad = std::max(0.05, 0.08 * (hi - lo));
  plot_->xAxis->setRange(lo - pad, hi + pad);
  showSelection();  // the tick labels, and the selection kept across reports while its category still exists
}

}  // namespace hl::ui
