#include "ui/views/TokenDeltaView.h"

#include <QFileInfo>
#include <QFontDatabase>
#include <QHelpEvent>
#include <QImage>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPageLayout>
#include <QPainter>
#include <QPdfWriter>
#include <QScrollBar>
#include <QToolTip>
#include <algorithm>
#include <cmath>

#include "ui/views/DeltaLegend.h"
#include "ui/export/FigureWriter.h"
#include "ui/models/TokenDeltaModel.h"
#include "ui/views/HoverCardStyle.h"

namespace hl::ui {

namespace {
constexpr int kHeader = DeltaLegend::kHeight + 8;  // the legend above exported text
}  // namespace

TokenDeltaView::TokenDeltaView(QWidget* parent) : QAbstractScrollArea(parent) {
  setObjectName(QStringLiteral("tokenDeltaView"));
  font_ = QFontDatabase::systemFont(QFontDatabase::FixedFont);
  font_.setPixelSize(14);
  viewport()->setMouseTracking(true);
  auto* cardStyle = new HoverCardStyle;  // owned by the view, which outlives its viewport's use of it
  cardStyle->setParent(this);
  viewport()->setStyle(cardStyle);
  // On screen the background follows the theme (palette Base); exports paint their own white (renderTo).
  viewport()->setBackgroundRole(QPalette::Base);
  viewport()->setAutoFillBackground(true);
  setFocusPolicy(Qt::StrongFocus);
  setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
}

void TokenDeltaView::setModel(TokenDeltaModel* model) {
  if (model_) disconnect(model_, nullptr, this, nullptr);
  model_ = model;
  if (model_) {
    connect(model_, &QAbstractItemModel::modelReset, this, [this] {
      pinned_ = -1;
      hovered_ = -1;
      highlighted_ = -1;
      relayout();
    });
    connect(model_, &QAbstractItemModel::dataChanged, viewport(), qOverload<>(&QWidget::update));
  }
  relayout();
}

int TokenDeltaView::lineHeight() const { return static_cast<int>(std::ceil(QFontMetricsF(font_).height())) + 6; }

int TokenDeltaView::exportWidth() const {
  const int w = viewport()->width() - 2 * kMargin;
  return isVisible() && w > 200 ? w : 820;
}

TokenDeltaView::Layout TokenDeltaView::layoutFor(int width) const {
  Layout l;
  l.width = width;
  l.line_start.push_back(0);
  if (!model_) {
    l.line_start.push_back(0);
    return l;
  }
  const QFontMetricsF fm(font_);
  const float right = static_cast<float>(std::max(width, 40));
  const float newlineWidth = static_cast<float>(fm.horizontalAdvance(QStringLiteral("↵")));
  const int n = model_->unitCount();
  l.fragments.reserve(static_cast<std::size_t>(n) + 16);
  float x = 0;
  int line = 0;
  auto breakLine = [&] {
    ++line;
    x = 0;
    l.line_start.push_back(static_cast<int>(l.fragments.size()));
  };
  for (int u = 0; u < n; ++u) {
    const QString& text = model_->unitText(u);
    qsizetype start = 0;
    while (start <= text.size()) {
      qsizetype nl = text.indexOf(QLatin1Char('\n'), start);
      const bool hasNewline = nl >= 0;
      if (!hasNewline) nl = text.size();
      QString piece = text.mid(start, nl - start);
      piece.remove(QLatin1Char('\r'));
      piece.replace(QLatin1Char('\t'), QStringLiteral("    "));
      if (!piece.isEmpty()) {
        const float w = static_cast<float>(fm.horizontalAdvance(piece));
        if (x > 0 && x + w > right) breakLine();
        l.fragments.push_back({u, x, w, line, piece, false});
        x += w;
      }
      if (hasNewline) {
        l.fragments.push_back({u, x, newlineWidth, line, QStringLiteral("↵"), true});
        breakLine();
      }
      start = nl + 1;
      if (!hasNewline) break;
    }
  }
  l.lines = line + 1;
  l.line_start.push_back(static_cast<int>(l.fragments.size()));
  return l;
}

void TokenDeltaView::relayout() {
  layout_ = layoutFor(std::max(viewport()->width() - 2 * kMargin, 40));
  lines_ = model_ && model_->unitCount() > 0 ? layout_.lines : 0;
  first_fragment_.assign(model_ ? static_cast<std::size_t>(model_->unitCount()) : 0, -1);
  for (std::size_t i = layout_.fragments.size(); i-- > 0;)
    first_fragment_[static_cast<std::size_t>(layout_.fragments[i].unit)] = static_cast<int>(i);
  updateScrollBars();
  viewport()->update();
}

void TokenDeltaView::updateScrollBars() {
  const int content = 2 * kMargin + lines_ * lineHeight();
  verticalScrollBar()->setRange(0, std::max(0, content - viewport()->height()));
  verticalScrollBar()->setPageStep(viewport()->height());
  verticalScrollBar()->setSingleStep(lineHeight());
}

void TokenDeltaView::resizeEvent(QResizeEvent* event) {
  QAbstractScrollArea::resizeEvent(event);
  if (viewport()->width() - 2 * kMargin != layout_.width) relayout();
  else updateScrollBars();
}

void TokenDeltaView::paintLines(QPainter& p, const Layout& layout, int firstLine, int lastLine, double y0) const {
  if (!model_ || layout.fragments.empty()) return;
  const int lh = lineHeight();
  const QFontMetricsF fm(font_);
  const double baseline = (lh - fm.height()) / 2 + fm.ascent();
  firstLine = std::max(firstLine, 0);
  lastLine = std::min(lastLine, layout.lines - 1);
  if (firstLine > lastLine) return;
  const int begin = layout.line_start[static_cast<std::size_t>(firstLine)];
  const int end = layout.line_start[static_cast<std::size_t>(lastLine) + 1];
  p.setFont(font_);
  // Backgrounds first (a 1 px gap between neighbouring units keeps the boundaries quiet), then the text.
  for (int i = begin; i < end; ++i) {
    const Fragment& f = layout.fragments[static_cast<std::size_t>(i)];
    const QColor c = model_->colour(f.unit);
    if (!c.isValid()) continue;
    const double y = y0 + f.line * lh;
    p.fillRect(QRectF(kMargin + f.x + 0.5, y + 1.5, f.width - 1.0, lh - 3.0), c);
  }
  for (int i = begin; i < end; ++i) {
    const Fragment& f = layout.fragments[static_cast<std::size_t>(i)];
    const double y = y0 + f.line * lh;
    QColor ink = model_->textColour(f.unit);
    if (f.newline) ink.setAlpha(140);  // the ↵ marker is quieter than the text
    p.setPen(ink);
    p.drawText(QPointF(kMargin + f.x, y + baseline), f.text);
  }
  // Hovered, highlighted and pinned units: outlines around each of their fragments, on screen only (never in
  // exports), in theme colours so they show on a dark background too; the pin is drawn last so it stays on top.
  for (int which : {hovered_, highlighted_, pinned_}) {
    if (which < 0 || which >= static_cast<int>(first_fragment_.size()) || &layout != &layout_) continue;
    p.setPen(which == pinned_        ? QPen(palette().color(QPalette::Text), 2)
             : which == highlighted_ ? QPen(palette().color(QPalette::Highlight), 2)
                                     : QPen(palette().color(QPalette::PlaceholderText), 1));
    p.setBrush(Qt::NoBrush);
    for (int i = first_fragment_[static_cast<std::size_t>(which)];
         i >= 0 && i < static_cast<int>(layout.fragments.size()) && layout.fragments[static_cast<std::size_t>(i)].unit == which;
         ++i) {
      const Fragment& f = layout.fragments[static_cast<std::size_t>(i)];
      if (f.line < firstLine || f.line > lastLine) continue;
      p.drawRect(QRectF(kMargin + f.x, y0 + f.line * lh + 1, std::max(f.width, 3.0f), lh - 2.0));
    }
  }
}

void TokenDeltaView::paintEvent(QPaintEvent*) {
  QPainter p(viewport());
  const int lh = lineHeight();
  const int scroll = verticalScrollBar()->value();
  if (!model_ || model_->unitCount() == 0) {
    p.setPen(palette().color(QPalette::PlaceholderText));
    p.drawText(viewport()->rect().adjusted(kMargin, kMargin, -kMargin, -kMargin), Qt::AlignTop | Qt::AlignLeft | Qt::TextWordWrap,
               tr("Load a hybrid and a reference model, then type or open a text: each piece of text is coloured "
                  "by Δ = NLL(reference) − NLL(hybrid)."));
    return;
  }
  const double y0 = kMargin - scroll;
  const int first = (scroll - kMargin) / lh - 1;
  const int last = (scroll + viewport()->height()) / lh + 1;
  paintLines(p, layout_, first, last, y0);
}

int TokenDeltaView::unitAt(const QPoint& pos) const {
  if (!model_ || layout_.fragments.empty()) return -1;
  const int lh = lineHeight();
  const int y = pos.y() + verticalScrollBar()->value() - kMargin;
  if (y < 0) return -1;
  const int line = y / lh;
  if (line >= layout_.lines) return -1;
  const double x = pos.x() - kMargin;
  for (int i = layout_.line_start[static_cast<std::size_t>(line)]; i < layout_.line_start[static_cast<std::size_t>(line) + 1]; ++i) {
    const Fragment& f = layout_.fragments[static_cast<std::size_t>(i)];
    if (x >= f.x && x < f.x + f.width) return f.unit;
  }
  return -1;
}

QRect TokenDeltaView::unitRect(int unit) const {
  if (unit < 0 || unit >= static_cast<int>(first_fragment_.size()) || first_fragment_[static_cast<std::size_t>(unit)] < 0) return {};
  const Fragment& f = layout_.fragments[static_cast<std::size_t>(first_fragment_[static_cast<std::size_t>(unit)])];
  const int lh = lineHeight();
  return QRectF(kMargin + f.x, kMargin + f.line * lh - verticalScrollBar()->value(), std::max(f.width, 3.0f), lh).toAlignedRect();
}

void TokenDeltaView::setPinnedUnit(int unit) {
  if (!model_ || unit >= model_->unitCount()) unit = -1;
  if (unit == pinned_) return;
  pinned_ = unit;
  viewport()->update();
  emit unitPinned(pinned_);
}

void TokenDeltaView::setHighlightedUnit(int unit) {
  if (!model_ || unit < 0 || unit >= model_->unitCount()) unit = -1;
  if (unit == highlighted_) return;
  highlighted_ = unit;
  viewport()->update();
}

void TokenDeltaView::ensureUnitVisible(int unit) {
  const QRect r = unitRect(unit);
  if (r.isNull()) return;
  if (r.top() < 0 || r.bottom() > viewport()->height())
    verticalScrollBar()->setValue(verticalScrollBar()->value() + r.center().y() - viewport()->height() / 2);
}

bool TokenDeltaView::viewportEvent(QEvent* event) {
  if (event->type() == QEvent::ToolTip && model_) {
    auto* help = static_cast<QHelpEvent*>(event);
    const int unit = unitAt(help->pos());
    if (unit >= 0) QToolTip::showText(help->globalPos(), model_->hoverCard(unit), viewport(), unitRect(unit));
    else QToolTip::hideText();
    return true;
  }
  return QAbstractScrollArea::viewportEvent(event);
}

void TokenDeltaView::mouseMoveEvent(QMouseEvent* event) {
  const int unit = unitAt(event->position().toPoint());
  if (unit != hovered_) {
    hovered_ = unit;
    viewport()->update();
    emit hoveredUnitChanged(unit);
  }
  QAbstractScrollArea::mouseMoveEvent(event);
}

void TokenDeltaView::mousePressEvent(QMouseEvent* event) {
  if (event->button() == Qt::LeftButton) {
    const int unit = unitAt(event->position().toPoint());
    setPinnedUnit(unit == pinned_ ? -1 : unit);
  }
  QAbstractScrollArea::mousePressEvent(event);
}

void TokenDeltaView::keyPressEvent(QKeyEvent* event) {
  const int n = model_ ? model_->unitCount() : 0;
  if (n > 0 && (event->key() == Qt::Key_Left || event->key() == Qt::Key_Right)) {
    const int step = event->key() == Qt::Key_Right ? 1 : -1;
    const int next = pinned_ < 0 ? (step > 0 ? 0 : n - 1) : std::clamp(pinned_ + step, 0, n - 1);
    setPinnedUnit(next);
    ensureUnitVisible(next);
    return;
  }
  if (event->key() == Qt::Key_Escape && pinned_ >= 0) {
    setPinnedUnit(-1);
    return;
  }
  QAbstractScrollArea::keyPressEvent(event);
}

void TokenDeltaView::leaveEvent(QEvent* event) {
  if (hovered_ >= 0) {
    hovered_ = -1;
    viewport()->update();
    emit hoveredUnitChanged(-1);
  }
  QAbstractScrollArea::leaveEvent(event);
}

// ---- whole-text rendering and exports ----

// The exports carry the legend of what the view shows (the model's colouring, dimming included in the colours).
analysis::ColourLegend TokenDeltaView::legend() const {
  return model_ ? model_->legend() : analysis::UnitColourer(analysis::Report{}).legend({});
}

QSize TokenDeltaView::renderSize(int width) const {
  const int lines = model_ && model_->unitCount() > 0 ? layoutFor(width).lines : 0;
  return {width + 2 * kMargin, 2 * kMargin + kHeader + lines * lineHeight()};
}

QRectF TokenDeltaView::renderedUnitRect(int unit, int width) const {
  const Layout layout = layoutFor(width);
  QRectF r;
  const int lh = lineHeight();
  for (const Fragment& f : layout.fragments)
    if (f.unit == unit) r |= QRectF(kMargin + f.x, kMargin + kHeader + f.line * lh, f.width, lh);
  return r;
}

void TokenDeltaView::renderTo(QPainter& p, int width) const {
  const Layout layout = layoutFor(width);
  const QSize size = renderSize(width);
  p.fillRect(QRect(QPoint(0, 0), size), Qt::white);
  paintExportLegend(p, width);
  paintLines(p, layout, 0, layout.lines - 1, kMargin + kHeader);
}

// The legend above exported text (PNG, SVG, clipboard image, PDF's first page), in the export's fixed 12 px.
void TokenDeltaView::paintExportLegend(QPainter& p, int width) const {
  QFont legendFont = font_;
  legendFont.setPixelSize(12);
  p.setFont(legendFont);
  DeltaLegend::paint(p, QRectF(kMargin, kMargin, width, DeltaLegend::kHeight), legend());
}

// The whole text with its legend as one figure (PNG, SVG, the clipboard); PDF pages it instead (exportPdf).
Figure TokenDeltaView::exportFigure() const {
  const int width = exportWidth();
  return {renderSize(width), QStringLiteral("HybridLens token view"),
          QStringLiteral("Δ = NLL(%1) − NLL(%2)")
              .arg(model_ ? model_->referenceName() : QStringLiteral("reference"),
                   model_ ? model_->hybridName() : QStringLiteral("hybrid")),
          [this, width](QPainter& p) { renderTo(p, width); }, QStringLiteral("the text")};
}

QImage TokenDeltaView::renderImage(qreal scale, QString* error) const { return renderFigure(exportFigure(), scale, error); }

bool TokenDeltaView::exportTo(const QString& path, QString* error) const {
  const QString suffix = QFileInfo(path).suffix().toLower();
  if (suffix == QLatin1String("png")) return exportPng(path, error, 2.0);
  if (suffix == QLatin1String("svg")) return exportSvg(path, error);
  if (suffix == QLatin1String("pdf")) return exportPdf(path, error);
  if (error) *error = tr("%1: the token view exports as .png, .svg or .pdf").arg(path);
  return false;
}

bool TokenDeltaView::exportPng(const QString& path, QString* error, qreal scale) const {
  return writeFigurePng(exportFigure(), path, scale, error);
}

bool TokenDeltaView::exportSvg(const QString& path, QString* error) const {
  return writeFigureSvg(exportFigure(), path, error);
}

bool TokenDeltaView::exportPdf(const QString& path, QString* error) const {
  const int width = exportWidth();
  const Layout layout = layoutFor(width);
  QPdfWriter pdf(path);
  pdf.setTitle(QStringLiteral("HybridLens token view"));
  pdf.setCreator(QStringLiteral("HybridLens"));
  pdf.setResolution(300);
  pdf.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait, QMarginsF(12, 12, 12, 12),
                                QPageLayout::Millimeter));
  QPainter p;
  if (!p.begin(&pdf)) {
    if (error) *error = tr("%1: cannot write the PDF file").arg(path);
    return false;
  }
  const QRect page = pdf.pageLayout().paintRectPixels(pdf.resolution());
  const double scale = page.width() / double(width + 2 * kMargin);
  const double pageHeight = page.height() / scale;  // in layout units
  const int lh = lineHeight();
  int line = 0;
  bool first = true;
  do {
    if (!first) pdf.newPage();
    p.resetTransform();
    p.scale(scale, scale);
    double top = kMargin;
    if (first) {
      paintExportLegend(p, width);
      top += kHeader;
    }
    const int perPage = std::max(1, static_cast<int>((pageHeight - top - kMargin) / lh));
    const int last = std::min(line + perPage, layout.lines) - 1;
    paintLines(p, layout, line, last, top - line * lh);
    line = last + 1;
    first = false;
  } while (line < layout.lines && model_ && model_->unitCount() > 0);
  p.end();
  return true;
}

}  // namespace hl::ui
