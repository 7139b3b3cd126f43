#include "ui/views/LayerStackView.h"

#include <QFontMetricsF>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QStringList>
#include <QToolTip>
#include <algorithm>
#include <cmath>
#include <limits>

#include "core/model/layer_kinds.h"
#include "ui/DeltaColourScale.h"

namespace hl::ui {

namespace {

constexpr double kMargin = 12;
constexpr double kColumnGap = 32;
constexpr double kMinRow = 18;  // below this the block text stops being readable
constexpr double kMaxRow = 60;  // above this a short stack looks bloated rather than clearer
constexpr double kEdgeRow = 24;  // embeddings and LM head rows
constexpr double kEdgeGap = 8;   // between them and the layers
constexpr double kBlockGap = 6;  // between the mixer and FFN blocks of a row
constexpr double kLegendGap = 16;
const QString kCountsSeparator = QStringLiteral("   |   ");

double rowGap(double rowHeight) { return rowHeight < 24 ? 3 : 4; }

// What a block looks like; one entry per kind the legend can list, in legend order.
enum class BlockKind { Attention, SlidingAttention, Mamba1, Mamba2, Mamba2Shared, GatedDeltaNet, ShortConv, Parallel,
                       RwkvTimeMix, RgLru, Lightning, KimiDelta, MLstm, NoMixer, Mlp, Moe, RwkvChannelMix, Count };

// Okabe–Ito: warm hues for attention, cool for recurrent mixers, yellow for conv, purple for the attention + Mamba2
// mix (RWKV's WKV, Griffin's RG-LRU, MiniMax's lightning attention, Kimi Delta Attention and xLSTM's mLSTM, with no
// Okabe–Ito hue left, take Paul Tol's indigo, teal, wine, olive and cyan; lightning is a linear attention, warm, with
// a recurrent state's round ends); FFNs are neutral greys and beige so the mixers, which is what the comparison is
// about, carry the colour.
// Kimi's MLA is full attention and drawn as such.
// The legend names come from core/model/layer_kinds.h, as do the blocks' labels; only the colours are the view's.
struct KindStyle {
  QColor fill;
  QString legend;
};
QString label(MixerKind k) { return QString::fromUtf8(kind_info(k).label.data(), kind_info(k).label.size()); }
QString label(FfnKind k) { return QString::fromUtf8(kind_info(k).label.data(), kind_info(k).label.size()); }
const KindStyle& kindStyle(BlockKind k) {
  static const KindStyle kStyles[] = {
      {QColor(213, 94, 0), label(MixerKind::FullAttention)},
      {QColor(230, 159, 0), label(MixerKind::SlidingAttention)},
      {QColor(0, 158, 115), label(MixerKind::Mamba1)},
      {QColor(0, 114, 178), label(MixerKind::Mamba2)},
      {QColor(0, 114, 178), label(MixerKind::Mamba2) + QStringLiteral(" + shared attention block")},
      {QColor(86, 180, 233), label(MixerKind::GatedDeltaNet)},
      {QColor(240, 228, 66), label(MixerKind::ShortConv)},
      {QColor(204, 121, 167), label(MixerKind::ParallelAttentionMamba2)},
      {QColor(51, 34, 136), label(MixerKind::RwkvTimeMix)},
      {QColor(68, 170, 153), label(MixerKind::RgLru)},
      {QColor(136, 34, 85), label(MixerKind::LightningAttention)},
      {QColor(153, 153, 51), label(MixerKind::KimiDelta)},
      {QColor(136, 204, 238), label(MixerKind::MLstm)},
      {QColor(255, 255, 255), QStringLiteral("No mixer")},
      {QColor(221, 221, 221), label(FfnKind::Mlp)},
      {QColor(176, 176, 176), label(FfnKind::Moe)},
      {QColor(230, 222, 200), QStringLiteral("RWKV ") + label(FfnKind::RwkvChannelMix).toLower()},
  };
  static_assert(sizeof(kStyles) / sizeof(kStyles[0]) == static_cast<std::size_t>(BlockKind::Count));
  return kStyles[static_cast<int>(k)];
}

BlockKind mixerKind(const hl::LayerBlock& l) {
  switch (l.mixer) {
    case MixerKind::FullAttention: return BlockKind::Attention;
    case MixerKind::SlidingAttention: return BlockKind::SlidingAttention;
    case MixerKind::Mamba1: return BlockKind::Mamba1;
    case MixerKind::Mamba2: return l.shared_block >= 0 ? BlockKind::Mamba2Shared : BlockKind::Mamba2;
    case MixerKind::GatedDeltaNet: return BlockKind::GatedDeltaNet;
    case MixerKind::ShortConv: return BlockKind::ShortConv;
    case MixerKind::ParallelAttentionMamba2: return BlockKind::Parallel;
    case MixerKind::RwkvTimeMix: return BlockKind::RwkvTimeMix;
    case MixerKind::RgLru: return BlockKind::RgLru;
    case MixerKind::LightningAttention: return BlockKind::Lightning;
    case MixerKind::KimiDelta: return BlockKind::KimiDelta;
    case MixerKind::LatentAttention: return BlockKind::Attention;
    case MixerKind::MLstm: return BlockKind::MLstm;
    case MixerKind::None: break;
  }
  return BlockKind::NoMixer;
}

BlockKind ffnKind(const hl::LayerBlock& l) {
  if (l.ffn == FfnKind::Moe) return BlockKind::Moe;
  return l.ffn == FfnKind::RwkvChannelMix ? BlockKind::RwkvChannelMix : BlockKind::Mlp;
}

const QColor kInk(17, 17, 17);
const QColor kMuted(85, 85, 85);     // 7.5:1 on white
const QColor kFaint(118, 118, 118);  // 4.5:1 on white, the least small text may have
const QColor kSelectionBand(226, 235, 246);
const QColor kEdgeFill(242, 242, 242);
const QColor kBarFill(64, 64, 64);
const QColor kBarTrack(236, 236, 236);

QColor inkOn(const QColor& fill) {
  return DeltaColourScale::prefersWhiteInk(fill.red(), fill.green(), fill.blue()) ? QColor(Qt::white) : kInk;
}

// Shape families: square corners = attention and dense FFN, round ends = recurrent state, cut corners = conv,
// half square / half round = attention and Mamba2 in parallel, stacked cards = experts.
QPainterPath blockPath(const QRectF& r, BlockKind k) {
  QPainterPath path;
  const double round = std::min(r.height() / 2, 9.0);
  switch (k) {
    case BlockKind::Mamba1:
    case BlockKind::Mamba2:
    case BlockKind::Mamba2Shared:
    case BlockKind::GatedDeltaNet:
    case BlockKind::RwkvTimeMix:
    case BlockKind::RgLru:
    case BlockKind::Lightning:
    case BlockKind::KimiDelta:
    case BlockKind::MLstm: path.addRoundedRect(r, round, round); break;
    case BlockKind::ShortConv: {
      const double c = std::min(r.height() * 0.35, 7.0);
      path.moveTo(r.left() + c, r.top());
      path.lineTo(r.right() - c, r.top());
      path.lineTo(r.right(), r.top() + c);
      path.lineTo(r.right(), r.bottom() - c);
      path.lineTo(r.right() - c, r.bottom());
      path.lineTo(r.left() + c, r.bottom());
      path.lineTo(r.left(), r.bottom() - c);
      path.lineTo(r.left(), r.top() + c);
      path.closeSubpath();
      break;
    }
    case BlockKind::Parallel: {
      path.addRoundedRect(r, round, round);
      QPainterPath square;
      square.addRect(QRectF(r.left(), r.top(), r.width() / 2, r.height()));
      path = path.united(square);
      break;
    }
    default: path.addRoundedRect(r, 2, 2); break;
  }
  return path;
}

// Draws the block's shape and returns the rectangle left for its text.
QRectF paintBlockShape(QPainter& p, QRectF r, BlockKind k, const QString& tab = {}) {
  const auto& s = kindStyle(k);
  p.save();
  if (k == BlockKind::Moe) {
    const double o = std::clamp(r.height() * 0.12, 2.0, 4.0);
    const QRectF front = r.adjusted(0, 2 * o, -2 * o, 0);
    for (int i = 2; i >= 1; --i) {
      p.setPen(QPen(s.fill.darker(150), 1));
      p.setBrush(s.fill.lighter(100 + 12 * i));
      p.drawRoundedRect(front.translated(i * o, -i * o), 2, 2);
    }
    r = front;
  }
  const QPainterPath path = blockPath(r, k);
  if (k == BlockKind::NoMixer) {
    p.setPen(QPen(kFaint, 1, Qt::DashLine));
    p.setBrush(Qt::NoBrush);
  } else {
    p.setPen(QPen(s.fill.darker(150), 1));
    p.setBrush(s.fill);
  }
  p.drawPath(path);
  QRectF text = r;
  const double strip = std::min(r.height() * 0.8, 16.0);
  if (k == BlockKind::SlidingAttention) {
    // Hatching marks the window: attention over a band of recent tokens only.
    p.setClipPath(path);
    p.fillRect(QRectF(r.left(), r.top(), strip, r.height()), QBrush(s.fill.darker(190), Qt::BDiagPattern));
    text.setLeft(r.left() + strip);
  } else if (k == BlockKind::Mamba2Shared) {
    // The shared attention block runs first: an attention-coloured tab at the Mamba2 block's entry.
    p.setClipPath(path);
    const QRectF tabRect(r.left(), r.top(), strip + (tab.isEmpty() ? 0 : 4), r.height());
    p.fillRect(tabRect, kindStyle(BlockKind::Attention).fill);
    p.setPen(QPen(Qt::white, 1.5));
    p.drawLine(tabRect.topRight(), tabRect.bottomRight());
    if (!tab.isEmpty()) {  // which shared block, when the model has several
      p.setPen(inkOn(kindStyle(BlockKind::Attention).fill));
      p.drawText(tabRect.adjusted(2, 0, 0, 0), Qt::AlignCenter, tab);
    }
    text.setLeft(tabRect.right());
  }
  p.restore();
  return text;
}

// Label on the left, parameter count on the right, on one line; in rows tall enough for two, the count goes under
// the label. Labels are tried longest first; the count is dropped before the shortest label is cut.
void paintBlockText(QPainter& p, const QRectF& r, const QColor& ink, const QStringList& labels, const QString& params) {
  const QFontMetricsF fm(p.font());
  const QRectF inner = r.adjusted(6, 0, -6, 0);
  p.setPen(ink);
  if (r.height() >= 2.4 * fm.height()) {
    QString label = fm.elidedText(labels.back(), Qt::ElideRight, inner.width());
    for (const auto& candidate : labels)
      if (fm.horizontalAdvance(candidate) <= inner.width()) {
        label = candidate;
        break;
      }
    const double top = inner.center().y() - fm.height() - 1;
    p.drawText(QRectF(inner.left(), top, inner.width(), fm.height()), Qt::AlignLeft | Qt::AlignVCenter, label);
    if (!params.isEmpty()) {
      const QString longParams = QObject::tr("%1 params").arg(params);
      p.drawText(QRectF(inner.left(), top + fm.height() + 2, inner.width(), fm.height()),
                 Qt::AlignLeft | Qt::AlignVCenter,
                 fm.horizontalAdvance(longParams) <= inner.width() ? longParams : params);
    }
    return;
  }
  const double paramsWidth = params.isEmpty() ? 0 : fm.horizontalAdvance(params) + 8;
  for (const auto& candidate : labels)
    if (fm.horizontalAdvance(candidate) + paramsWidth <= inner.width()) {
      p.drawText(inner, Qt::AlignVCenter | Qt::AlignLeft, candidate);
      if (!params.isEmpty()) p.drawText(inner, Qt::AlignVCenter | Qt::AlignRight, params);
      return;
    }
  p.drawText(inner, Qt::AlignVCenter | Qt::AlignLeft, fm.elidedText(labels.back(), Qt::ElideRight, inner.width()));
}

QStringList mixerLabels(const hl::LayerBlock& l) {
  QStringList labels{QString::fromStdString(l.mixer_label)};
  if (l.sliding_window > 0) labels << QObject::tr("SWA, window %1").arg(l.sliding_window);
  labels << QString::fromStdString(l.mixer_short);
  // The tab already says "shared block" (and which one), so a narrow block may say just what runs after it.
  if (l.shared_block >= 0) labels << QStringLiteral("Mamba2");
  return labels;
}

QStringList ffnLabels(const hl::LayerBlock& l) {
  if (l.ffn == FfnKind::RwkvChannelMix) return {QString::fromStdString(l.ffn_label), QObject::tr("Ch. mix")};
  if (l.ffn != FfnKind::Moe) return {QString::fromStdString(l.ffn_label), QStringLiteral("MLP")};
  return {QString::fromStdString(l.ffn_label), QObject::tr("MoE %1 of %2").arg(l.experts_per_token).arg(l.experts),
          QStringLiteral("MoE")};
}

QString paramsText(std::int64_t n) { return QString::fromStdString(hl::format_param_count(n)); }

QString overlayValueText(double v) { return QString::number(v, 'g', 3); }

// A font set in pixels has no point size (pointSizeF() is −1), so scale whichever unit it was set in.
QFont scaledFont(const QFont& base, double factor) {
  QFont f = base;
  if (base.pointSizeF() > 0) f.setPointSizeF(base.pointSizeF() * factor);
  else f.setPixelSize(std::max(1, static_cast<int>(std::lround(base.pixelSize() * factor))));
  return f;
}

QFont titleFont(const QFont& base) {
  QFont f = scaledFont(base, 1.15);
  f.setBold(true);
  return f;
}

QFont smallFont(const QFont& base) { return scaledFont(base, 0.92); }

QFont blockFont(const QFont& base, double rowHeight) {
  QFont f = base;
  const double basePixels = QFontInfo(base).pixelSize();
  f.setPixelSize(static_cast<int>(std::clamp(std::floor(rowHeight * 0.58), 10.0, std::max(10.0, basePixels))));
  return f;
}

struct LegendItem {
  BlockKind kind;
  QRectF swatch;
  QPointF text;  // baseline origin
};
constexpr double kSwatchWidth = 30, kSwatchHeight = 15;

// Flows the legend entries into lines `width` wide; returns them placed relative to (0, 0) and sets *height.
std::vector<LegendItem> legendLayout(const std::vector<BlockKind>& kinds, const QFont& font, double width,
                                     double* height) {
  const QFontMetricsF fm(font);
  const double line = std::max(kSwatchHeight, fm.height()) + 6;
  std::vector<LegendItem> items;
  double x = 0, y = 0;
  for (BlockKind k : kinds) {
    const double w = kSwatchWidth + 6 + fm.horizontalAdvance(kindStyle(k).legend);
    if (x > 0 && x + w > width) {
      x = 0;
      y += line;
    }
    const double mid = y + line / 2;
    items.push_back({k, QRectF(x, mid - kSwatchHeight / 2, kSwatchWidth, kSwatchHeight),
                     QPointF(x + kSwatchWidth + 6, mid + (fm.ascent() - fm.descent()) / 2)});
    x += w + 20;
  }
  *height = kinds.empty() ? 0 : y + line;
  return items;
}

std::vector<BlockKind> kindsPresent(const std::vector<hl::LayerStackSummary>& stacks) {
  std::array<bool, static_cast<int>(BlockKind::Count)> present{};
  for (const auto& s : stacks)
    for (const auto& l : s.layers) {
      present[static_cast<std::size_t>(mixerKind(l))] = true;
      if (l.ffn != FfnKind::None)
        present[static_cast<std::size_t>(ffnKind(l))] = true;
    }
  std::vector<BlockKind> out;
  for (int k = 0; k < static_cast<int>(BlockKind::Count); ++k)
    if (present[static_cast<std::size_t>(k)]) out.push_back(static_cast<BlockKind>(k));
  return out;
}

}  // namespace

LayerStackView::LayerStackView(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("layerStackView"));
  setMouseTracking(true);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void LayerStackView::setColumns(std::vector<Column> columns) {
  columns_.clear();
  for (auto& c : columns) columns_.push_back({std::move(c), {}});
  selected_column_ = selected_layer_ = -1;
  updateGeometry();
  update();
}

int LayerStackView::layerCount(int column) const {
  if (column < 0 || column >= columnCount()) return 0;
  return static_cast<int>(columns_[static_cast<std::size_t>(column)].column.stack.layers.size());
}

int LayerStackView::maxLayers() const {
  int n = 0;
  for (int c = 0; c < columnCount(); ++c) n = std::max(n, layerCount(c));
  return n;
}

void LayerStackView::setOverlayValues(int column, Overlay kind, std::vector<double> perLayer) {
  if (column < 0 || column >= columnCount() || kind == Overlay::None) return;
  perLayer.resize(static_cast<std::size_t>(layerCount(column)), std::numeric_limits<double>::quiet_NaN());
  columns_[static_cast<std::size_t>(column)].overlays[static_cast<std::size_t>(kind)] = std::move(perLayer);
  if (kind == overlay_) update();
}

const std::vector<double>& LayerStackView::overlayValues(int column, Overlay kind) const {
  static const std::vector<double> kNone;
  if (column < 0 || column >= columnCount()) return kNone;
  return columns_[static_cast<std::size_t>(column)].overlays[static_cast<std::size_t>(kind)];
}

void LayerStackView::setOverlay(Overlay kind) {
  if (kind == overlay_) return;
  overlay_ = kind;
  update();
}

QString LayerStackView::overlayName(Overlay kind) {
  switch (kind) {
    case Overlay::MeanStateNorm: return QStringLiteral("mean state norm");
    case Overlay::MeanResidualNorm: return QStringLiteral("mean residual norm");
    case Overlay::None: break;
  }
  return {};
}

void LayerStackView::setSelectedLayer(int column, int layer) {
  if (layer < 0 || column < 0 || column >= columnCount() || layer >= layerCount(column)) column = layer = -1;
  if (column == selected_column_ && layer == selected_layer_) return;
  selected_column_ = column;
  selected_layer_ = layer;
  update();
}

std::optional<std::pair<int, int>> LayerStackView::selectedLayer() const {
  if (selected_column_ < 0) return std::nullopt;
  return std::make_pair(selected_column_, selected_layer_);
}

double LayerStackView::columnWidth(double width) const {
  const int cols = columnCount();
  return cols > 0 ? (width - 2 * kMargin - (cols - 1) * kColumnGap) / cols : 0;
}

QString LayerStackView::countsText(const ColumnData& data, bool ffn) {
  const auto& stack = data.column.stack;
  return QString::fromStdString(ffn ? hl::ffn_counts(stack) : hl::mixer_counts(stack));
}

int LayerStackView::headerLines(double columnWidth) const {
  // Facts, then the counts: mixers and FFNs on one line when that fits every column, else on two.
  const QFontMetricsF small(smallFont(font()));
  for (const auto& c : columns_) {
    const QString ffn = countsText(c, true);
    if (!ffn.isEmpty() && small.horizontalAdvance(countsText(c, false) + kCountsSeparator + ffn) > columnWidth)
      return 3;
  }
  return 2;
}

double LayerStackView::headerHeight(double columnWidth) const {
  const QFontMetricsF title(titleFont(font())), small(smallFont(font()));
  return title.height() + headerLines(columnWidth) * (small.height() + 2) + 6;
}

double LayerStackView::fixedHeight() const {
  const QFontMetricsF small(smallFont(font()));
  double legend = 0;
  std::vector<hl::LayerStackSummary> stacks;
  for (const auto& c : columns_) stacks.push_back(c.column.stack);
  legendLayout(kindsPresent(stacks), smallFont(font()), std::max(100.0, width() - 2 * kMargin), &legend);
  const double captions = small.height() + 4;
  return 2 * kMargin + headerHeight(columnWidth(width())) + captions + 2 * (kEdgeRow + kEdgeGap) +
         (legend > 0 ? legend + kLegendGap : 0);
}

LayerStackView::Geometry LayerStackView::geometry(QSizeF size) const {
  Geometry g;
  const int n = maxLayers();
  const QFontMetricsF small(smallFont(font()));
  const double fixed = fixedHeight();
  // n rows and n − 1 gaps fill what the fixed parts leave; the gap narrows with the rows.
  auto rowsFilling = [&](double gap) { return (size.height() - fixed + gap) / std::max(n, 1) - gap; };
  double fit = rowsFilling(rowGap(kMaxRow));
  if (rowGap(fit) != rowGap(kMaxRow)) fit = rowsFilling(rowGap(fit));
  g.rowHeight = std::clamp(fit, kMinRow, kMaxRow);
  const double gap = rowGap(g.rowHeight);
  const double colWidth = columnWidth(size.width());
  const double header = headerHeight(colWidth);
  const double captionsHeight = small.height() + 4;
  const double stackHeight = 2 * (kEdgeRow + kEdgeGap) + n * g.rowHeight + std::max(0, n - 1) * gap;
  // Rows at their largest leave space over: centre the figure vertically rather than leave it all below.
  const double spare = std::max(0.0, size.height() - fixed - n * g.rowHeight - std::max(0, n - 1) * gap);
  const double top = kMargin + std::floor(spare / 2);
  const double stackTop = top + header + captionsHeight;
  const double baseline = stackTop + stackHeight;  // every tower stands on the same floor
  g.legend = QRectF(kMargin, baseline + kLegendGap, size.width() - 2 * kMargin,
                    std::max(0.0, size.height() - baseline - kLegendGap - kMargin));

  const QFontMetricsF block(blockFont(font(), g.rowHeight));
  const double indexWidth = block.horizontalAdvance(QStringLiteral("L%1").arg(std::max(n - 1, 9))) + 8;
  for (int c = 0; c < columnCount(); ++c) {
    ColumnGeometry cg;
    const double x0 = kMargin + c * (colWidth + kColumnGap);
    cg.header = QRectF(x0, top, colWidth, header);
    cg.captions = QRectF(x0, top + header, colWidth, captionsHeight);
    const auto& layers = columns_[static_cast<std::size_t>(c)].column.stack.layers;
    const bool anyFfn =
        std::any_of(layers.begin(), layers.end(), [](const auto& l) { return l.ffn != FfnKind::None; });
    const double body = colWidth - indexWidth;
    const double overlayWidth = overlay_ == Overlay::None ? 0 : std::clamp(body * 0.3, 90.0, 220.0);
    const double blocks = body - (overlayWidth > 0 ? overlayWidth + 10 : 0);
    // A model without FFNs (pure Mamba stacks, Zamba2) gives the mixer the whole width rather than an empty slot.
    const double mixerWidth = anyFfn ? std::round(blocks * 0.58) : blocks;
    const double mixerLeft = x0 + indexWidth, ffnLeft = mixerLeft + mixerWidth + kBlockGap;
    const double ffnWidth = anyFfn ? blocks - mixerWidth - kBlockGap : 0;
    auto row = [&](double rowTop, double height) {
      RowGeometry r;
      r.row = QRectF(x0, rowTop, colWidth, height);
      r.index = QRectF(x0, rowTop, indexWidth - 8, height);
      r.mixer = QRectF(mixerLeft, rowTop, mixerWidth, height);
      if (anyFfn) r.ffn = QRectF(ffnLeft, rowTop, ffnWidth, height);
      if (overlayWidth > 0) r.overlay = QRectF(x0 + colWidth - overlayWidth, rowTop, overlayWidth, height);
      return r;
    };
    cg.embedding = row(baseline - kEdgeRow, kEdgeRow);
    cg.embedding.row = QRectF(mixerLeft, cg.embedding.row.top(), blocks, kEdgeRow);
    double y = baseline - kEdgeRow - kEdgeGap;
    for (std::size_t i = 0; i < layers.size(); ++i) {
      y -= g.rowHeight;
      cg.layers.push_back(row(y, g.rowHeight));
      y -= gap;
    }
    y += gap;
    cg.head = row(y - kEdgeGap - kEdgeRow, kEdgeRow);
    cg.head.row = QRectF(mixerLeft, cg.head.row.top(), blocks, kEdgeRow);
    g.columns.push_back(std::move(cg));
  }
  return g;
}

std::optional<std::pair<int, int>> LayerStackView::layerAt(QPoint pos) const {
  const Geometry g = geometry(size());
  for (std::size_t c = 0; c < g.columns.size(); ++c) {
    const auto& layers = g.columns[c].layers;
    for (std::size_t i = 0; i < layers.size(); ++i)
      if (layers[i].row.contains(pos)) return std::make_pair(static_cast<int>(c), static_cast<int>(i));
  }
  return std::nullopt;
}

QRectF LayerStackView::blockRect(int column, int layer, Part part) const {
  if (layer < 0 || layer >= layerCount(column)) return {};
  const Geometry g = geometry(size());
  const auto& r = g.columns[static_cast<std::size_t>(column)].layers[static_cast<std::size_t>(layer)];
  switch (part) {
    case Part::Row: return r.row;
    case Part::Mixer: return r.mixer;
    case Part::Ffn:
      return columns_[static_cast<std::size_t>(column)].column.stack.layers[static_cast<std::size_t>(layer)].ffn ==
                     FfnKind::None
                 ? QRectF()
                 : r.ffn;
  }
  return {};
}

QSize LayerStackView::sizeHint() const {
  const int n = std::max(maxLayers(), 1);
  return {std::max(420, 380 * columnCount()), static_cast<int>(std::ceil(fixedHeight() + n * 30.0 + (n - 1) * 4.0))};
}

QSize LayerStackView::minimumSizeHint() const {
  const int n = std::max(maxLayers(), 1);
  return {300, static_cast<int>(std::ceil(fixedHeight() + n * (kMinRow + rowGap(kMinRow))))};
}

void LayerStackView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  // A figure on white paper in any theme: the palette is chosen for contrast on white.
  p.fillRect(rect(), Qt::white);
  if (columns_.empty()) {
    p.setPen(kFaint);
    p.drawText(rect(), Qt::AlignCenter, tr("No model loaded"));
    return;
  }
  const Geometry g = geometry(size());
  for (int c = 0; c < columnCount(); ++c)
    paintColumn(p, columns_[static_cast<std::size_t>(c)], g.columns[static_cast<std::size_t>(c)], c);
  paintLegend(p, g.legend);
}

void LayerStackView::paintColumn(QPainter& p, const ColumnData& data, const ColumnGeometry& g, int columnIndex) const {
  const auto& stack = data.column.stack;
  const QFont small = smallFont(font());
  const QFontMetricsF sm(small);

  // Header: the title with the compressed pattern beside it, then size, then the counts by kind.
  const QString pattern = QString::fromStdString(stack.pattern);
  const QFontMetricsF tm(titleFont(font()));
  QRectF line(g.header.left(), g.header.top(), g.header.width(), tm.height());
  const double patternWidth = std::min(sm.horizontalAdvance(pattern), line.width() / 2);
  const double baseline = line.top() + tm.ascent();
  p.setFont(small);
  p.setPen(kMuted);
  p.drawText(QPointF(line.right() - patternWidth, baseline), sm.elidedText(pattern, Qt::ElideRight, patternWidth));
  p.setFont(titleFont(font()));
  p.setPen(kInk);
  p.drawText(QPointF(line.left(), baseline),
             tm.elidedText(data.column.title, Qt::ElideRight, line.width() - patternWidth - 12));
  p.setFont(small);
  p.setPen(kMuted);
  const auto layers = stack.layers.size();
  QString facts = (layers == 1 ? tr("1 layer") : tr("%1 layers").arg(layers)) + QStringLiteral(" · ") +
                  tr("%1 params").arg(paramsText(stack.total_params));
  if (!stack.shared_blocks.empty()) {
    std::int64_t shared = 0;
    for (const auto& b : stack.shared_blocks) shared += b.params;
    const auto blocks = stack.shared_blocks.size();
    facts += QStringLiteral(" · ") + (blocks == 1 ? tr("shared block %1").arg(paramsText(shared))
                                                  : tr("%1 shared blocks %2").arg(blocks).arg(paramsText(shared)));
  }
  auto smallLine = [&](const QString& text) {
    line = QRectF(line.left(), line.bottom() + 2, line.width(), sm.height());
    p.drawText(line, Qt::AlignLeft | Qt::AlignVCenter, sm.elidedText(text, Qt::ElideRight, line.width()));
  };
  smallLine(facts);
  const QString mixers = countsText(data, false), ffns = countsText(data, true);
  if (headerLines(g.header.width()) == 3) {
    smallLine(mixers);
    smallLine(ffns);
  } else {
    smallLine(ffns.isEmpty() ? mixers : mixers + kCountsSeparator + ffns);
  }

  // Captions over the block slots, taken from any row (all share the column's x positions).
  const RowGeometry& slotRow = g.layers.empty() ? g.embedding : g.layers.front();
  p.setPen(kFaint);
  auto caption = [&](const QRectF& slot, const QString& text) {
    if (slot.isNull()) return;
    p.drawText(QRectF(slot.left() + 1, g.captions.top(), slot.width(), g.captions.height()),
               Qt::AlignLeft | Qt::AlignBottom, sm.elidedText(text, Qt::ElideRight, slot.width()));
  };
  caption(slotRow.mixer, tr("token mixer"));
  caption(slotRow.ffn, tr("feed-forward"));
  if (overlay_ != Overlay::None) caption(slotRow.overlay, overlayName(overlay_));

  // Model-level rows.
  p.setFont(blockFont(font(), kEdgeRow));
  auto edgeRow = [&](const QRectF& r, const QStringList& labels, std::int64_t params) {
    p.setPen(QPen(QColor(150, 150, 150), 1));
    p.setBrush(kEdgeFill);
    p.drawRoundedRect(r, 2, 2);
    paintBlockText(p, r, kInk, labels, params > 0 ? paramsText(params) : QString());
  };
  edgeRow(g.embedding.row, {tr("Embeddings")}, stack.embedding_params);
  edgeRow(g.head.row,
          stack.tied_embeddings
              ? QStringList{tr("Final norm + LM head (tied to embeddings)"), tr("Final norm + LM head (tied)"),
                            tr("LM head (tied)")}
              : QStringList{tr("Final norm + LM head"), tr("LM head")},
          stack.final_norm_params + stack.lm_head_params);

  // Layers.
  const double rowHeight = g.layers.empty() ? kMinRow : g.layers.front().row.height();
  const QFont blockText = blockFont(font(), rowHeight);
  const QFontMetricsF bm(blockText);
  const auto& values = data.overlays[static_cast<std::size_t>(overlay_)];
  double maxValue = 0, valueWidth = bm.horizontalAdvance(QStringLiteral("n/a"));
  for (double v : values)
    if (std::isfinite(v)) {
      maxValue = std::max(maxValue, std::abs(v));
      valueWidth = std::max(valueWidth, bm.horizontalAdvance(overlayValueText(v)));
    }
  const bool numberedBlocks = stack.shared_blocks.size() > 1;
  for (std::size_t i = 0; i < g.layers.size(); ++i) {
    const auto& r = g.layers[i];
    const auto& l = stack.layers[i];
    const bool selected = columnIndex == selected_column_ && static_cast<int>(i) == selected_layer_;
    if (selected) {
      p.setPen(Qt::NoPen);
      p.setBrush(kSelectionBand);
      p.drawRoundedRect(r.row.adjusted(-4, -2, 4, 2), 4, 4);
    }
    QFont indexFont = blockText;
    indexFont.setBold(selected);
    p.setFont(indexFont);
    p.setPen(selected ? kInk : kMuted);
    p.drawText(r.index, Qt::AlignVCenter | Qt::AlignRight, QStringLiteral("L%1").arg(l.index));
    p.setFont(blockText);

    const BlockKind mixer = mixerKind(l);
    const QString tab = numberedBlocks && l.shared_block >= 0 ? QString::number(l.shared_block + 1) : QString();
    const QRectF mixerText = paintBlockShape(p, r.mixer, mixer, tab);
    paintBlockText(p, mixerText, mixer == BlockKind::NoMixer ? kFaint : inkOn(kindStyle(mixer).fill), mixerLabels(l),
                   l.mixer_params > 0 ? paramsText(l.mixer_params) : QString());
    if (l.ffn != FfnKind::None && !r.ffn.isNull()) {
      const BlockKind ffn = ffnKind(l);
      const QRectF ffnText = paintBlockShape(p, r.ffn, ffn);
      paintBlockText(p, ffnText, inkOn(kindStyle(ffn).fill), ffnLabels(l), paramsText(l.ffn_params));
    }
    if (selected) {
      p.setPen(QPen(kInk, 2));
      p.setBrush(Qt::NoBrush);
      const QRectF blocks = l.ffn != FfnKind::None && !r.ffn.isNull() ? r.mixer.united(r.ffn) : r.mixer;
      p.drawRoundedRect(blocks.adjusted(-3, -2, 3, 2), 4, 4);
    }

    if (overlay_ == Overlay::None || r.overlay.isNull()) continue;
    const double v = i < values.size() ? values[i] : std::numeric_limits<double>::quiet_NaN();
    const double barHeight = std::min(rowHeight * 0.5, 16.0);
    const QRectF track(r.overlay.left(), r.overlay.center().y() - barHeight / 2,
                       std::max(0.0, r.overlay.width() - valueWidth - 8), barHeight);
    const QRectF text(track.right() + 8, r.overlay.top(), valueWidth, r.overlay.height());
    if (!std::isfinite(v)) {
      p.setPen(kFaint);
      p.drawText(text, Qt::AlignVCenter | Qt::AlignRight, QStringLiteral("n/a"));
      continue;
    }
    p.setPen(Qt::NoPen);
    p.setBrush(kBarTrack);
    p.drawRect(track);
    if (maxValue > 0) {
      p.setBrush(kBarFill);
      p.drawRect(QRectF(track.left(), track.top(), track.width() * std::abs(v) / maxValue, track.height()));
    }
    p.setPen(kInk);
    p.drawText(text, Qt::AlignVCenter | Qt::AlignRight, overlayValueText(v));
  }
}

void LayerStackView::paintLegend(QPainter& p, const QRectF& rect) const {
  std::vector<hl::LayerStackSummary> stacks;
  for (const auto& c : columns_) stacks.push_back(c.column.stack);
  const QFont font = smallFont(this->font());
  double height = 0;
  const auto items = legendLayout(kindsPresent(stacks), font, rect.width(), &height);
  p.save();
  p.translate(rect.topLeft());
  p.setFont(font);
  for (const auto& item : items) {
    paintBlockShape(p, item.swatch, item.kind);
    p.setPen(kInk);
    p.drawText(item.text, kindStyle(item.kind).legend);
  }
  p.restore();
}

void LayerStackView::mousePressEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton) {
    QWidget::mousePressEvent(event);
    return;
  }
  const auto hit = layerAt(event->position().toPoint());
  if (!hit) return;
  setSelectedLayer(hit->first, hit->second);
  emit layerClicked(hit->first, hit->second);
}

void LayerStackView::mouseMoveEvent(QMouseEvent* event) {
  if (layerAt(event->position().toPoint())) setCursor(Qt::PointingHandCursor);
  else unsetCursor();
  QWidget::mouseMoveEvent(event);
}

bool LayerStackView::event(QEvent* event) {
  if (event->type() != QEvent::ToolTip) return QWidget::event(event);
  auto* help = static_cast<QHelpEvent*>(event);
  const auto hit = layerAt(help->pos());
  if (!hit) {
    QToolTip::hideText();
    event->ignore();
    return true;
  }
  const auto& data = columns_[static_cast<std::size_t>(hit->first)];
  const auto& l = data.column.stack.layers[static_cast<std::size_t>(hit->second)];
  QString tip = tr("%1 · layer %2\n%3 — %4 params")
                    .arg(data.column.title)
                    .arg(l.index)
                    .arg(QString::fromStdString(l.mixer_label), paramsText(l.mixer_params));
  if (l.ffn != FfnKind::None)
    tip += tr("\n%1 — %2 params").arg(QString::fromStdString(l.ffn_label), paramsText(l.ffn_params));
  if (overlay_ != Overlay::None) {
    const auto& values = data.overlays[static_cast<std::size_t>(overlay_)];
    const auto i = static_cast<std::size_t>(hit->second);
    if (i < values.size() && std::isfinite(values[i]))
      tip += QStringLiteral("\n%1: %2").arg(overlayName(overlay_), overlayValueText(values[i]));
  }
  QToolTip::showText(help->globalPos(), tip, this);
  return true;
}

}  // namespace hl::ui
