#include "ui/views/CategoryChart.h"

#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

#include "core/analysis/report/report.h"
#include "ui/DeltaColourScale.h"
#include "ui/PlotTheme.h"

namespace hl::ui {

CategoryChart::CategoryChart(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("categoryChart"));
  setMinimumWidth(320);  // category names take ~half; the bars need the rest
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  caption_ = new QLabel(tr("Mean Δ per category (95 % bootstrap interval). Click a category to dim the other units "
                           "in the token view; click it again to clear. The lighter rows on top (study ·) are the "
                           "study's filtered losses."),
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

namespace {

QString filteredLabel(const QString& name) {
  if (name == QLatin1String("all_tokens")) return CategoryChart::tr("all tokens");
  if (name == QLatin1String("open_no_copy")) return CategoryChart::tr("open-class, no copy");
  if (name == QLatin1String("copy5_only")) return CategoryChart::tr("copy-5 only");
  return name;
}

// One bar with its interval, for the error bars: the error-bar carrier needs its keys in ascending order.
struct ErrorPoint {
  double key, mean, low, high;
};

}  // namespace

double CategoryChart::filteredKey(std::size_t row) const {
  return static_cast<double>(names_.size()) + 1.5 + static_cast<double>(filtered_.size() - 1 - row);
}

void CategoryChart::showFiltered(const analysis::Report& report) {
  for (const auto& g : report.filtered) {
    FilteredRow row{QString::fromStdString(g.name), {}, static_cast<int>(g.count), NAN, NAN, NAN};
    row.label = filteredLabel(row.name);
    if (!g.gaps.empty()) {
      row.mean = g.gaps.front().mean_delta;
      row.low = g.gaps.front().interval.low;
      row.high = g.gaps.front().interval.high;
    }
    filtered_.push_back(row);
  }
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
  for (std::size_t j = 0; j < filtered_.size(); ++j)
    ticker->addTick(filteredKey(j), tr("study · %1 (%2)").arg(filtered_[j].label).arg(filtered_[j].count));
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
  filtered_.clear();
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
  // Categories in full colour; the study's filtered rows lighter, so they read as a separate section.
  auto bars = [&](const QColor& colour) {
    auto* b = new QCPBars(plot_->yAxis, plot_->xAxis);
    b->setBrush(colour);
    b->setPen(QPen(colour.darker(120)));
    b->setWidth(0.7);
    return b;
  };
  auto light = [](QColor c) {
    c.setAlpha(130);
    return c;
  };
  QCPBars* positive = bars(blue);
  QCPBars* negative = bars(orange);
  QCPBars* filteredPositive = bars(light(blue));
  QCPBars* filteredNegative = bars(light(orange));
  auto* errors = new QCPErrorBars(plot_->yAxis, plot_->xAxis);
  errors->setErrorType(QCPErrorBars::etValueError);
  errors->setWhiskerWidth(6);

  std::vector<ErrorPoint> points;
  double lo = 0, hi = 0;
  auto addBar = [&](double key, double mean, double low, double high, QCPBars* up, QCPBars* down) {
    if (!std::isfinite(mean)) return;
    (mean >= 0 ? up : down)->addData(key, mean);
    low = std::isfinite(low) ? low : mean;
    high = std::isfinite(high) ? high : mean;
    points.push_back({key, mean, low, high});
    lo = std::min({lo, low, mean});
    hi = std::max({hi, high, mean});
  };

  const auto& cats = report->categories;
  const int n = static_cast<int>(cats.size());
  for (int i = 0; i < n; ++i) {
    const auto& g = cats[static_cast<std::size_t>(i)];
    names_ << QString::fromStdString(g.name);
    counts_.push_back(static_cast<int>(g.count));
    means_.push_back(g.gaps.empty() ? NAN : g.gaps.front().mean_delta);
    if (!g.gaps.empty())
      addBar(n - i, g.gaps.front().mean_delta, g.gaps.front().interval.low, g.gaps.front().interval.high, positive,
             negative);  // key n - i: "all" on top
  }
  showFiltered(*report);
  for (std::size_t j = 0; j < filtered_.size(); ++j)
    addBar(filteredKey(j), filtered_[j].mean, filtered_[j].low, filtered_[j].high, filteredPositive, filteredNegative);
  // One error-bar set over all bar sets, carried by an invisible graph whose keys must ascend (as must the errors).
  std::sort(points.begin(), points.end(), [](const ErrorPoint& a, const ErrorPoint& b) { return a.key < b.key; });
  QVector<double> errKeys, errValues, errMinus, errPlus;
  for (const ErrorPoint& pt : points) {
    errKeys << pt.key;
    errValues << pt.mean;
    errMinus << std::max(0.0, pt.mean - pt.low);
    errPlus << std::max(0.0, pt.high - pt.mean);
  }
  errors->setData(errMinus, errPlus);
  auto* carrier = new QCPGraph(plot_->yAxis, plot_->xAxis);
  carrier->setData(errKeys, errValues, true);
  carrier->setLineStyle(QCPGraph::lsNone);
  carrier->setScatterStyle(QCPScatterStyle::ssNone);
  errors->setDataPlottable(carrier);
  count_ = n;
  const double top = filtered_.empty() ? n : filteredKey(0);
  plot_->setMinimumHeight(std::max(220, static_cast<int>(17 * top) + 60));
  plot_->yAxis->setRange(0.3, top + 0.7);
  const double pad = std::max(0.05, 0.08 * (hi - lo));
  plot_->xAxis->setRange(lo - pad, hi + pad);
  showSelection();  // the tick labels, and the selection kept across reports while its category still exists
}

}  // namespace hl::ui
