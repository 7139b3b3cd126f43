#include "ui/views/DeltaLegend.h"

#include <QLinearGradient>
#include <QPainter>
#include <QPalette>
#include <algorithm>

#include "ui/DeltaColourScale.h"
#include "ui/Theme.h"
#include "ui/models/TokenDeltaModel.h"

namespace hl::ui {

namespace {

using Legend = analysis::ColourLegend;
using Ink = LegendInk;

QString q(const std::string& s) { return QString::fromStdString(s); }

// A gradient bar with its ticks under it, shared by the diverging and the sequential legends.
void paintBar(QPainter& p, const QRectF& bar, const Legend& legend, const Ink& ink) {
  const QFontMetricsF fm(p.font());
  QLinearGradient g(bar.topLeft(), bar.topRight());
  const auto n = legend.gradient.size();
  for (std::size_t i = 0; i < n; ++i)
    g.setColorAt(n > 1 ? double(i) / double(n - 1) : 0.0, DeltaColourScale::rgb(legend.gradient[i]));
  p.setPen(QPen(QColor(150, 150, 150), 0.8));
  p.setBrush(g);
  p.drawRect(bar);
  p.setPen(ink.ticks);
  const double ty = bar.bottom() + fm.ascent() + 2;
  for (const Legend::Tick& t : legend.ticks) {
    const double x = bar.left() + t.position * bar.width();
    const QString label = q(t.label);
    const double w = fm.horizontalAdvance(label);
    p.drawLine(QPointF(x, bar.bottom()), QPointF(x, bar.bottom() + 3));
    // End labels stay inside the bar's span where they would cross into the side texts.
    const double x0 = t.position <= 0 ? std::max(x - w / 2, bar.left() - 4)
                      : t.position >= 1 ? std::min(x - w / 2, bar.right() + 4 - w)
                                        : x - w / 2;
    p.drawText(QPointF(x0, ty), label);
  }
}

void paintDiverging(QPainter& p, const QRectF& rect, const Legend& legend, const Ink& ink) {
  const QFontMetricsF fm(p.font());
  const QString left = q(legend.low_end), right = q(legend.high_end);
  const double side = std::max(fm.horizontalAdvance(left), fm.horizontalAdvance(right)) + 10;
  const double barWidth = std::clamp(rect.width() - 2 * side, 80.0, 420.0);
  const QRectF bar(rect.left() + (rect.width() - barWidth) / 2, rect.top() + 3, barWidth, 12);
  paintBar(p, bar, legend, ink);
  const double y = bar.center().y() + fm.ascent() / 2 - 1;
  auto endColour = [&](const auto& rgb) {
    const QColor c = DeltaColourScale::rgb(rgb);
    return ink.darkBackground ? c.lighter(170) : c;
  };
  p.setPen(endColour(legend.low_end_colour));
  p.drawText(QPointF(bar.left() - 8 - fm.horizontalAdvance(left), y), left);
  p.setPen(endColour(legend.high_end_colour));
  p.drawText(QPointF(bar.right() + 8, y), right);
}

void paintSequential(QPainter& p, const QRectF& rect, const Legend& legend, const Ink& ink) {
  const QFontMetricsF fm(p.font());
  const QString title = q(legend.title);
  const double titleWidth = fm.horizontalAdvance(title);
  const QRectF bar(rect.left() + titleWidth + 12, rect.top() + 3, std::clamp(rect.width() - titleWidth - 40, 80.0, 420.0),
                   12);
  p.setPen(ink.text);
  p.drawText(QPointF(rect.left(), bar.center().y() + fm.ascent() / 2 - 1), title);
  paintBar(p, bar, legend, ink);
}

// Title, then the swatches, flowing onto a second row when the first is full.
void paintSwatches(QPainter& p, const QRectF& rect, const Legend& legend, const Ink& ink) {
  const QFontMetricsF fm(p.font());
  const double rowHeight = std::max(fm.height(), 14.0) + 1;
  const double box = std::min(12.0, fm.ascent());
  double x = rect.left(), y = rect.top() + 1;
  auto place = [&](double w) {
    if (x > rect.left() && x + w > rect.right()) {
      x = rect.left() + 12;
      y += rowHeight;
    }
  };
  const QString title = q(legend.title) + QLatin1Char(':');
  p.setPen(ink.text);
  p.drawText(QPointF(x, y + fm.ascent()), title);
  x += fm.horizontalAdvance(title) + 10;
  for (const Legend::Swatch& s : legend.swatches) {
    const QString label = q(s.label);
    const double w = box + 4 + fm.horizontalAdvance(label);
    place(w);
    const QRectF r(x, y + (fm.height() - box) / 2, box, box);
    p.setPen(QPen(QColor(120, 120, 120), 0.8));
    p.setBrush(DeltaColourScale::rgb(s.colour));
    p.drawRect(r);
    p.setPen(ink.text);
    p.drawText(QPointF(r.right() + 4, y + fm.ascent()), label);
    x += w + 12;
  }
}

}  // namespace

DeltaLegend::DeltaLegend(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("deltaLegend"));
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
  setMinimumHeight(kHeight);
  setLegend(analysis::UnitColourer(analysis::Report{}).legend({}));  // Δ with the default names until follow()
}

void DeltaLegend::follow(const TokenDeltaModel* model) {
  setLegend(model->legend());
  connect(model, &TokenDeltaModel::colouringChanged, this, [this, model] { setLegend(model->legend()); });
}

void DeltaLegend::setLegend(analysis::ColourLegend legend) {
  legend_ = std::move(legend);
  QString tip = text();
  for (const auto& s : legend_.swatches)
    if (!s.detail.empty()) tip += QStringLiteral("\n%1: %2").arg(q(s.label), q(s.detail));
  setToolTip(tip);
  setAccessibleDescription(text());
  update();
}

QString DeltaLegend::text() const { return q(legend_.text()); }

QSize DeltaLegend::sizeHint() const { return {520, kHeight}; }

LegendInk LegendInk::fromPalette(const QPalette& palette) {
  return {palette.color(QPalette::WindowText), palette.color(QPalette::WindowText), isDark(palette)};
}

void DeltaLegend::paint(QPainter& p, const QRectF& rect, const Legend& legend, const Ink& ink) {
  p.save();
  switch (legend.kind) {
    case Legend::Kind::diverging: paintDiverging(p, rect, legend, ink); break;
    case Legend::Kind::sequential: paintSequential(p, rect, legend, ink); break;
    case Legend::Kind::categorical: paintSwatches(p, rect, legend, ink); break;
  }
  p.restore();
}

void DeltaLegend::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  paint(p, QRectF(rect()), legend_, LegendInk::fromPalette(palette()));
}

}  // namespace hl::ui
