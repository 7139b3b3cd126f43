#include "ui/DeltaLegend.h"

#include <QLinearGradient>
#include <algorithm>
#include <QPainter>

#include "ui/DeltaColourScale.h"

namespace hl::ui {

DeltaLegend::DeltaLegend(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("deltaLegend"));
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void DeltaLegend::setLimit(double limit) {
  limit_ = limit;
  update();
}

void DeltaLegend::setNames(const QString& hybrid, const QString& reference, const QString& lossUnit) {
  hybrid_ = hybrid;
  reference_ = reference;
  unit_ = lossUnit;
  update();
}

QSize DeltaLegend::sizeHint() const { return {520, kHeight}; }

void DeltaLegend::paint(QPainter& p, const QRectF& rect, double limit, const QString& hybrid,
                        const QString& reference, const QString& lossUnit) {
  p.save();
  const QFontMetricsF fm(p.font());
  const QString left = QStringLiteral("◀ %1 better").arg(reference);
  const QString right = QStringLiteral("%1 better ▶").arg(hybrid);
  const double side = std::max(fm.horizontalAdvance(left), fm.horizontalAdvance(right)) + 10;
  const double barWidth = std::clamp(rect.width() - 2 * side, 80.0, 420.0);
  const double x0 = rect.left() + (rect.width() - barWidth) / 2;
  const QRectF bar(x0, rect.top() + 3, barWidth, 12);
  QLinearGradient g(bar.topLeft(), bar.topRight());
  for (int i = 0; i <= 20; ++i) {
    const double d = -limit + 2 * limit * i / 20.0;
    g.setColorAt(i / 20.0, DeltaColourScale::colour(d, limit));
  }
  p.setPen(QPen(QColor(150, 150, 150), 0.8));
  p.setBrush(g);
  p.drawRect(bar);
  p.setPen(QColor(60, 60, 60));
  const double ty = bar.bottom() + fm.ascent() + 2;
  auto tick = [&](double x, const QString& label) {
    p.drawLine(QPointF(x, bar.bottom()), QPointF(x, bar.bottom() + 3));
    const double w = fm.horizontalAdvance(label);
    p.drawText(QPointF(x - w / 2, ty), label);
  };
  tick(bar.left(), QStringLiteral("−%1").arg(limit, 0, 'g', 3));
  tick(bar.center().x(), QStringLiteral("Δ = 0 %1").arg(lossUnit));
  tick(bar.right(), QStringLiteral("+%1").arg(limit, 0, 'g', 3));
  p.setPen(QColor(DeltaColourScale::kReferenceBetter[0], DeltaColourScale::kReferenceBetter[1],
                  DeltaColourScale::kReferenceBetter[2]).darker(130));
  p.drawText(QPointF(bar.left() - 8 - fm.horizontalAdvance(left), bar.center().y() + fm.ascent() / 2 - 1), left);
  p.setPen(QColor(DeltaColourScale::kHybridBetter[0], DeltaColourScale::kHybridBetter[1],
                  DeltaColourScale::kHybridBetter[2]));
  p.drawText(QPointF(bar.right() + 8, bar.center().y() + fm.ascent() / 2 - 1), right);
  p.restore();
}

void DeltaLegend::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  paint(p, QRectF(rect()), limit_, hybrid_, reference_, unit_);
}

}  // namespace hl::ui
