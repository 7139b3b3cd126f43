#include "ui/export/SlideExport.h"

#include <QFontDatabase>
#include <QFontMetrics>
#include <algorithm>
#include <QPainter>
#include <QPainterPath>
#include <cmath>

#include "core/analysis/report/report.h"
#include "ui/export/FigureWriter.h"
#include "ui/models/TokenDeltaModel.h"
#include "ui/views/TokenDeltaView.h"

namespace hl::ui {

namespace {

constexpr int kPad = 32;            // slide margin
constexpr int kGap = 10;            // between blocks
const QColor kInk(25, 25, 25);
const QColor kSubtle(80, 80, 80);

QFont slideFont(int pixels, bool bold = false, bool italic = false) {
  QFont f = QFontDatabase::systemFont(QFontDatabase::GeneralFont);
  f.setPixelSize(pixels);
  f.setBold(bold);
  f.setItalic(italic);
  return f;
}

int wrappedHeight(const QFont& font, int width, const QString& text) {
  if (text.isEmpty()) return 0;
  return QFontMetrics(font).boundingRect(QRect(0, 0, width, 100000), Qt::TextWordWrap, text).height();
}

}  // namespace

SlideExport::SlideExport(const TokenDeltaView& view, SlideOptions options) : view_(view), options_(std::move(options)) {
  options_.width = std::max(options_.width, 320);
}

QString SlideExport::title() const {
  if (!options_.title.isEmpty()) return options_.title;
  const TokenDeltaModel* m = view_.model();
  return m ? QStringLiteral("%1 vs %2").arg(m->hybridName(), m->referenceName()) : QStringLiteral("HybridLens");
}

QString SlideExport::modelsLine() const {
  const TokenDeltaModel* m = view_.model();
  if (!m || !m->report()) return {};
  const analysis::Report& r = *m->report();
  // The colour key names the colours only when they are Δ's; another colouring is named by its legend's title.
  QString s = m->colouring().mode == analysis::ColourMode::delta
                  ? QStringLiteral("Δ = NLL(%1) − NLL(%2) per token; blue: %2 better, orange: %1 better")
                        .arg(m->referenceName(), m->hybridName())
                  : QStringLiteral("colours: %1; Δ = NLL(%2) − NLL(%3) per token")
                        .arg(QString::fromStdString(m->legend().title), m->referenceName(), m->hybridName());
  if (!m->categoryFilter().isEmpty()) s += QStringLiteral(" · units outside %1 dimmed").arg(m->categoryFilter());
  s += QStringLiteral(" · ") + QString::fromStdString(analysis::headline(r, options_.otherReferences));
  return s;
}

QString SlideExport::calloutText() const {
  const TokenDeltaModel* m = view_.model();
  if (!m || options_.callout < 0 || options_.callout >= m->unitCount()) return {};
  const int u = options_.callout;
  const QModelIndex i = m->index(u, 0);
  const double d = m->delta(u);
  const double ref = m->data(i, TokenDeltaModel::ReferenceNllRole).toDouble();
  const double hyb = m->data(i, TokenDeltaModel::HybridNllRole).toDouble();
  QString text = m->unitText(u).simplified();
  if (text.size() > 40) text = text.left(39) + QStringLiteral("…");
  QString s = QStringLiteral("① “%1”: ").arg(text);
  if (!std::isfinite(d)) return s + QStringLiteral("not scored by both models");
  const QString better = d > 0 ? m->hybridName() : m->referenceName();
  return s + QStringLiteral("Δ %1 %2, %3 better (NLL %4 %5, %6 %7)")
                 .arg(QString::fromStdString(analysis::signed_number(d, 2)), m->lossUnit(), better, m->hybridName(),
                      QString::number(hyb, 'f', 2), m->referenceName(), QString::number(ref, 'f', 2));
}

int SlideExport::headerHeight() const {
  return QFontMetrics(slideFont(28, true)).height() + 4 + wrappedHeight(slideFont(14), options_.width, modelsLine()) +
         kGap;
}

int SlideExport::footerHeight() const {
  const int callout = wrappedHeight(slideFont(15), options_.width, calloutText());
  const int caption = wrappedHeight(slideFont(15, false, true), options_.width, options_.caption);
  return (callout ? kGap + callout : 0) + (caption ? kGap + caption : 0);
}

QSize SlideExport::size() const {
  const QSize text = view_.renderSize(options_.width);
  return {options_.width + 2 * kPad, 2 * kPad + headerHeight() + text.height() + footerHeight()};
}

void SlideExport::paint(QPainter& p) const {
  const QSize total = size();
  p.fillRect(QRect(QPoint(0, 0), total), Qt::white);
  const int w = options_.width;
  int y = kPad;
  p.setPen(kInk);
  p.setFont(slideFont(28, true));
  const int titleHeight = QFontMetrics(p.font()).height();
  p.drawText(QRect(kPad, y, w, titleHeight), Qt::AlignLeft | Qt::AlignVCenter, title());
  y += titleHeight + 4;
  p.setFont(slideFont(14));
  p.setPen(kSubtle);
  const QString models = modelsLine();
  const int modelsHeight = wrappedHeight(p.font(), w, models);
  p.drawText(QRect(kPad, y, w, modelsHeight), Qt::TextWordWrap, models);
  y += modelsHeight + kGap;

  // The token view draws its own margin: place it so its text starts at the slide margin.
  const int textTop = y;
  p.save();
  p.translate(kPad - (view_.renderSize(w).width() - w) / 2, textTop);
  view_.renderTo(p, w);
  const QRectF unit = options_.callout >= 0 ? view_.renderedUnitRect(options_.callout, w) : QRectF();
  if (!unit.isNull()) {
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(kInk, 2.0));
    p.setBrush(Qt::NoBrush);
    p.drawRoundedRect(unit.adjusted(-2, -2, 2, 2), 3, 3);
    // A numbered badge above the unit's top-left corner, matching the "①" of the callout line.
    const QRectF badge(unit.left() - 9, unit.top() - 17, 16, 16);
    p.setBrush(kInk);
    p.drawEllipse(badge);
    p.setPen(Qt::white);
    p.setFont(slideFont(11, true));
    p.drawText(badge, Qt::AlignCenter, QStringLiteral("1"));
  }
  p.restore();
  y = textTop + view_.renderSize(w).height();

  const QString callout = calloutText();
  if (!callout.isEmpty()) {
    p.setFont(slideFont(15));
    p.setPen(kInk);
    const int h = wrappedHeight(p.font(), w, callout);
    p.drawText(QRect(kPad, y + kGap, w, h), Qt::TextWordWrap, callout);
    y += kGap + h;
  }
  if (!options_.caption.isEmpty()) {
    p.setFont(slideFont(15, false, true));
    p.setPen(kSubtle);
    const int h = wrappedHeight(p.font(), w, options_.caption);
    p.drawText(QRect(kPad, y + kGap, w, h), Qt::TextWordWrap, options_.caption);
  }
}

bool SlideExport::exportTo(const QString& path, QString* error) const {
  const TokenDeltaModel* m = view_.model();
  if (!m || !m->report()) {
    if (error) *error = QStringLiteral("nothing to export yet: load models and score a text first");
    return false;
  }
  const Figure figure{size(), title(), modelsLine(), [this](QPainter& p) { paint(p); }, QStringLiteral("the slide")};
  return writeFigure(figure, path, std::clamp(options_.pngScale, 0.5, 8.0), error);
}

}  // namespace hl::ui
