#include "ui/views/StateNormView.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <limits>
#include <qcustomplot.h>

#include "core/model/layer_stack.h"
#include "ui/PlotTheme.h"
#include "ui/ScoringController.h"

namespace hl::ui {

namespace {

// The log colour scale needs positive values; a zero state (nothing consumed yet) is drawn as the smallest colour.
constexpr double kFloor = 1e-12;

// Perceptually uniform and colour-blind safe (QCustomPlot 2.1 has no viridis preset): stops of matplotlib's viridis.
QCPColorGradient viridis() {
  QCPColorGradient g;
  g.clearColorStops();
  const QColor stops[] = {QColor(68, 1, 84),    QColor(72, 40, 120),  QColor(62, 74, 137),  QColor(49, 104, 142),
                          QColor(38, 130, 142), QColor(31, 158, 137), QColor(53, 183, 121), QColor(110, 206, 88),
                          QColor(181, 222, 43), QColor(253, 231, 37)};
  constexpr int n = sizeof(stops) / sizeof(stops[0]);
  for (int i = 0; i < n; ++i) g.setColorStopAt(static_cast<double>(i) / (n - 1), stops[i]);
  g.setColorInterpolation(QCPColorGradient::ciRGB);
  return g;
}

QCPItemStraightLine* pinMarker(QCustomPlot* plot, QCPAxisRect* rect) {
  auto* line = new QCPItemStraightLine(plot);
  line->setClipAxisRect(rect);
  for (QCPItemPosition* p : line->positions()) p->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
  line->setPen(QPen(QColor(230, 97, 1), 2.0, Qt::DashLine));
  line->setVisible(false);
  return line;
}

}  // namespace

StateNormView::StateNormView(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  auto* header = new QHBoxLayout;
  title_ = new QLabel(this);
  title_->setWordWrap(true);
  layerBox_ = new QComboBox(this);
  layerBox_->setObjectName(QStringLiteral("stateNormLayer"));
  layerBox_->setToolTip(tr("The layer drawn below the heatmap, one line per head"));
  header->addWidget(title_, 1);
  header->addWidget(new QLabel(tr("Layer:"), this));
  header->addWidget(layerBox_);
  layout->addLayout(header);

  // One plot, two axis rects in one layout grid: the colour scale's column is shared by both rows and a margin group
  // aligns the left edges, so the heatmap and the line plot share the token axis pixel for pixel.
  plot_ = new QCustomPlot(this);
  plot_->setObjectName(QStringLiteral("stateNormPlot"));
  plot_->setMinimumHeight(260);  // a 6-layer heatmap keeps readable labels; more would crowd the token view above
  heatRect_ = plot_->axisRect();
  heatRect_->axis(QCPAxis::atBottom)->setLabel(tr("token"));
  heatRect_->axis(QCPAxis::atLeft)->setLabel(tr("recurrent layer"));
  map_ = new QCPColorMap(heatRect_->axis(QCPAxis::atBottom), heatRect_->axis(QCPAxis::atLeft));
  auto* scale = new QCPColorScale(plot_);
  plot_->plotLayout()->addElement(0, 1, scale);
  scale->setType(QCPAxis::atRight);
  scale->setDataScaleType(QCPAxis::stLogarithmic);
  scale->axis()->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
  scale->axis()->setLabel(tr("mean ‖state‖"));  // short: longer than a 3-layer heatmap is tall, it was clipped
  map_->setColorScale(scale);
  map_->setGradient(viridis());
  map_->setInterpolate(false);
  lineRect_ = new QCPAxisRect(plot_);
  plot_->plotLayout()->addElement(1, 0, lineRect_);
  plot_->plotLayout()->setRowStretchFactors({3, 2});
  lineRect_->axis(QCPAxis::atLeft)->setLabel(tr("‖state‖"));
  for (QCPAxis* axis : lineRect_->axes()) axis->grid()->setLayer(QStringLiteral("grid"));
  auto* left = new QCPMarginGroup(plot_);
  heatRect_->setMarginGroup(QCP::msLeft, left);
  lineRect_->setMarginGroup(QCP::msLeft, left);
  auto* vertical = new QCPMarginGroup(plot_);
  heatRect_->setMarginGroup(QCP::msTop | QCP::msBottom, vertical);
  scale->setMarginGroup(QCP::msTop | QCP::msBottom, vertical);
  heatMarker_ = pinMarker(plot_, heatRect_);
  lineMarker_ = pinMarker(plot_, lineRect_);
  layout->addWidget(plot_, 1);
  applyPlotTheme(plot_, palette());

  connect(layerBox_, &QComboBox::currentIndexChanged, this, [this](int i) {
    if (i < 0 || i >= static_cast<int>(layers_.size())) return;
    if (layers_[static_cast<std::size_t>(i)] == selected_) return;
    selected_ = layers_[static_cast<std::size_t>(i)];
    rebuildLines();
    emit layerSelected(selected_);
  });
  connect(plot_, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) {
    if (!heatRect_->rect().contains(e->position().toPoint())) return;
    const double y = heatRect_->axis(QCPAxis::atLeft)->pixelToCoord(e->position().y());
    const int row = static_cast<int>(std::lround(y));
    if (row >= 0 && row < static_cast<int>(layers_.size())) layerBox_->setCurrentIndex(row);
  });
  setProfile(nullptr);
}

void StateNormView::setProfile(const ModelProfile* profile) {
  layers_.clear();
  heads_.clear();
  norms_.clear();
  rowLabels_.clear();
  tokens_ = 0;
  if (profile) {
    const hl::LayerStackSummary stack = hl::layer_stack(profile->spec);
    for (const auto& [layer, norms] : profile->state_norms) {
      const auto it = profile->state_norm_heads.find(layer);
      const int heads = it == profile->state_norm_heads.end() ? 0 : it->second;
      if (heads <= 0 || norms.empty() || norms.size() % static_cast<std::size_t>(heads) != 0) continue;
      layers_.push_back(layer);
      heads_.push_back(heads);
      norms_.push_back(norms);
      tokens_ = static_cast<int>(norms.size() / static_cast<std::size_t>(heads));
      const std::string kind = static_cast<std::size_t>(layer) < stack.layers.size()
                                   ? stack.layers[static_cast<std::size_t>(layer)].mixer_short
                                   : std::string();
      rowLabels_.push_back(QStringLiteral("L%1 %2").arg(layer).arg(QString::fromStdString(kind)));
    }
  }
  if (!profile)
    title_->setText(tr("State norms: score a text to see them."));
  else if (layers_.empty())
    title_->setText(tr("%1 has no recurrent layers.").arg(QString::fromStdString(profile->name)));
  else
    title_->setText(tr("<b>%1</b>: recurrent-state norms, %2 layers × %3 tokens")
                        .arg(QString::fromStdString(profile->name).toHtmlEscaped())
                        .arg(layers_.size())
                        .arg(tokens_));
  if (std::find(layers_.begin(), layers_.end(), selected_) == layers_.end())
    selected_ = layers_.empty() ? -1 : layers_.front();
  {
    const QSignalBlocker block(layerBox_);
    layerBox_->clear();
    for (const QString& label : rowLabels_) layerBox_->addItem(label);
    const auto it = std::find(layers_.begin(), layers_.end(), selected_);
    if (it != layers_.end()) layerBox_->setCurrentIndex(static_cast<int>(it - layers_.begin()));
  }
  rebuildHeatmap();
  rebuildLines();
}

double StateNormView::cell(int row, int token) const {
  if (row < 0 || row >= static_cast<int>(layers_.size()) || token < 0 || token >= tokens_)
    return std::numeric_limits<double>::quiet_NaN();
  const auto r = static_cast<std::size_t>(row);
  const auto heads = static_cast<std::size_t>(heads_[r]);
  const float* p = norms_[r].data() + static_cast<std::size_t>(token) * heads;
  double sum = 0;
  for (std::size_t h = 0; h < heads; ++h) sum += p[h];
  return sum / static_cast<double>(heads);
}

int StateNormView::selectedLayerHeads() const {
  const auto it = std::find(layers_.begin(), layers_.end(), selected_);
  return it == layers_.end() ? 0 : heads_[static_cast<std::size_t>(it - layers_.begin())];
}

void StateNormView::rebuildHeatmap() {
  const int rows = static_cast<int>(layers_.size());
  plot_->setVisible(rows > 0);
  if (rows == 0) return;
  map_->data()->setSize(tokens_, rows);
  map_->data()->setRange(QCPRange(0, std::max(tokens_ - 1, 1)), QCPRange(0, std::max(rows - 1, 1)));
  double lo = std::numeric_limits<double>::infinity(), hi = 0;
  for (int r = 0; r < rows; ++r)
    for (int t = 0; t < tokens_; ++t) {
      const double v = std::max(cell(r, t), kFloor);
      map_->data()->setCell(t, r, v);
      if (v > kFloor) lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  if (!std::isfinite(lo)) lo = kFloor;
  map_->setDataRange(QCPRange(lo, std::max(hi, lo * 10)));
  QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
  for (int r = 0; r < rows; ++r) ticker->addTick(r, rowLabels_[static_cast<std::size_t>(r)]);
  heatRect_->axis(QCPAxis::atLeft)->setTicker(ticker);
  heatRect_->axis(QCPAxis::atBottom)->setRange(-0.5, tokens_ - 0.5);
  heatRect_->axis(QCPAxis::atLeft)->setRange(-0.5, rows - 0.5);
  placeMarkers();
}

void StateNormView::rebuildLines() {
  plot_->clearGraphs();  // the colour map is not a graph
  lineGraphs_ = 0;
  const auto it = std::find(layers_.begin(), layers_.end(), selected_);
  if (it == layers_.end()) return;
  const auto row = static_cast<std::size_t>(it - layers_.begin());
  const auto heads = static_cast<std::size_t>(heads_[row]);
  QCPAxis* x_axis = lineRect_->axis(QCPAxis::atBottom);
  QCPAxis* y_axis = lineRect_->axis(QCPAxis::atLeft);
  QVector<double> x(tokens_), mean(tokens_, 0.0);
  for (int t = 0; t < tokens_; ++t) x[t] = t;
  const QColor head_colour(86, 180, 233, heads > 1 ? 130 : 255);  // Okabe–Ito sky blue, translucent when many
  for (std::size_t h = 0; h < heads; ++h) {
    QVector<double> y(tokens_);
    for (int t = 0; t < tokens_; ++t) {
      y[t] = norms_[row][static_cast<std::size_t>(t) * heads + h];
      mean[t] += y[t] / static_cast<double>(heads);
    }
    QCPGraph* g = plot_->addGraph(x_axis, y_axis);
    g->setPen(QPen(head_colour, 1.0));
    g->setData(x, y, true);
  }
  if (heads > 1) {
    QCPGraph* g = plot_->addGraph(x_axis, y_axis);
    g->setPen(QPen(plotInk(palette()), 2.2));  // black on a light theme, light on a dark one
    g->setData(x, mean, true);
  }
  lineGraphs_ = plot_->graphCount();
  x_axis->setRange(-0.5, tokens_ - 0.5);
  y_axis->rescale();
  const QCPRange r = y_axis->range();
  y_axis->setRange(std::min(0.0, r.lower), r.upper + 0.05 * (r.upper - r.lower) + 1e-9);
  x_axis->setLabel(heads > 1 ? tr("token · %1: %2 heads (blue), their mean (bold)").arg(rowLabels_[row]).arg(heads)
                             : tr("token · %1").arg(rowLabels_[row]));
  placeMarkers();
}

void StateNormView::changeEvent(QEvent* event) {
  QWidget::changeEvent(event);
  if (event->type() != QEvent::PaletteChange) return;
  applyPlotTheme(plot_, palette());
  rebuildLines();  // the mean line's colour
  plot_->replot();  // now, not queued: a theme switch is rare and a grab right after it must show the new colours
}

void StateNormView::setPinnedToken(int token) {
  pinned_ = token;
  placeMarkers();
}

void StateNormView::selectLayer(int layer) {
  const auto it = std::find(layers_.begin(), layers_.end(), layer);
  if (it != layers_.end()) layerBox_->setCurrentIndex(static_cast<int>(it - layers_.begin()));
}

void StateNormView::placeMarkers() {
  const bool show = pinned_ >= 0 && pinned_ < tokens_;
  for (QCPItemStraightLine* line : {heatMarker_, lineMarker_}) {
    line->setVisible(show);
    if (show) {
      line->point1->setCoords(pinned_, 0);
      line->point2->setCoords(pinned_, 1);
    }
  }
  plot_->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace hl::ui
