#include "ui/models/TokenDeltaModel.h"

#include <algorithm>

#include <QPoint>
#include <cmath>

#include "core/analysis/categories/labels.h"
#include "core/analysis/report/report.h"
#include "ui/DeltaColourScale.h"

namespace hl::ui {

namespace {

QString number(double v, int digits = 3) {
  return std::isfinite(v) ? QString::number(v, 'f', digits) : QStringLiteral("–");
}

// Whitespace made visible for the hover card and the table.
QString visible(const QString& s) {
  QString out;
  out.reserve(s.size());
  for (QChar c : s) {
    if (c == QLatin1Char('\n')) out += QStringLiteral("↵");
    else if (c == QLatin1Char('\t')) out += QStringLiteral("→");
    else if (c == QLatin1Char(' ')) out += QStringLiteral("·");
    else if (c == QLatin1Char('\r')) out += QStringLiteral("␍");
    else out += c;
  }
  return out;
}

QString html(const QString& s) { return s.toHtmlEscaped(); }
QString html(const std::string& s) { return QString::fromStdString(s).toHtmlEscaped(); }

}  // namespace

TokenDeltaModel::TokenDeltaModel(QObject* parent) : QAbstractTableModel(parent) {}
TokenDeltaModel::~TokenDeltaModel() = default;

void TokenDeltaModel::setReport(std::shared_ptr<const analysis::Report> report) {
  beginResetModel();
  report_ = std::move(report);
  colourer_ = report_ ? std::make_unique<analysis::UnitColourer>(*report_) : nullptr;
  texts_.clear();
  deltas_.clear();
  if (report_) {
    const auto& c = report_->comparison;
    const std::size_t n = c.units.size();
    texts_.reserve(n);
    deltas_.reserve(n);
    const std::size_t compared = c.compared_model();
    for (std::size_t u = 0; u < n; ++u) {
      const std::string_view t = c.unit_text(u);
      texts_.push_back(QString::fromUtf8(t.data(), static_cast<qsizetype>(t.size())));
      deltas_.push_back(c.models.size() > 1 ? report_->unit_delta(u, compared) : analysis::kNoValue);
    }
  }
  updateDimmed();
  recolour();
  endResetModel();
  emit colouringChanged();  // the legend names the models and may show an auto range
}

void TokenDeltaModel::setColourLimit(double limit) {
  if (!(limit > 0) || limit == settings_.delta_limit) return;
  settings_.delta_limit = limit;
  recolour();
  announceRecolour();
  emit colourLimitChanged(limit);
}

void TokenDeltaModel::setColourMode(analysis::ColourMode mode) {
  if (mode == settings_.mode) return;
  settings_.mode = mode;
  recolour();
  announceRecolour();
}

void TokenDeltaModel::setColourModel(analysis::ModelRole model) {
  if (model == settings_.model) return;
  settings_.model = model;
  recolour();
  announceRecolour();
}

void TokenDeltaModel::setColourModelIndex(int index) {
  index = std::max(index, -1);
  if (index == settings_.model_index) return;
  settings_.model_index = index;
  recolour();
  announceRecolour();
}

void TokenDeltaModel::setSequentialMax(double max) {
  max = max > 0 && std::isfinite(max) ? max : 0;
  if (max == settings_.sequential_max) return;
  settings_.sequential_max = max;
  recolour();
  announceRecolour();
}

double TokenDeltaModel::effectiveSequentialMax() const {
  return colourer_ ? colourer_->sequential_max(settings_) : (settings_.sequential_max > 0 ? settings_.sequential_max : 1.0);
}

analysis::ColourLegend TokenDeltaModel::legend() const {
  if (colourer_) return colourer_->legend(settings_);
  // Before any report: the same legend over no units, with the default names.
  return analysis::UnitColourer(analysis::Report{}).legend(settings_);
}

void TokenDeltaModel::setCategoryFilter(const QString& label) {
  const QString f = label == QLatin1String("all") ? QString() : label;
  if (f == filter_) return;
  filter_ = f;
  updateDimmed();
  recolour();
  if (!texts_.empty())
    emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1), {Qt::BackgroundRole, Qt::ForegroundRole});
  emit categoryFilterChanged(filter_);
}

QStringList TokenDeltaModel::categories() const {
  QStringList names;
  if (report_)
    for (const auto& g : report_->categories)
      if (g.name != "all") names << QString::fromStdString(g.name);
  return names;
}

void TokenDeltaModel::updateDimmed() {
  const std::size_t n = texts_.size();
  dimmed_.assign(n, false);
  if (filter_.isEmpty() || !report_) return;
  const std::string label = filter_.toStdString();
  const auto& labels = report_->comparison.labels;
  for (std::size_t u = 0; u < n; ++u) dimmed_[u] = u >= labels.size() || !analysis::has_label(labels[u], label);
}

void TokenDeltaModel::recolour() {
  const std::size_t n = texts_.size();
  colours_.assign(n, 0);
  ink_.assign(n, qRgb(0, 0, 0));
  if (!colourer_ || colourer_->unit_count() != n) return;
  const std::vector<analysis::UnitColour> units = colourer_->colour(settings_);
  for (std::size_t i = 0; i < n; ++i) {
    std::optional<analysis::Rgb> bg = units[i].background;
    analysis::Rgb ink = units[i].ink;
    if (dimmed_[i]) {
      if (bg) bg = analysis::faded(*bg);
      ink = bg ? analysis::kDimmedInk : analysis::kDimmedUnscoredInk;
    }
    colours_[i] = bg ? qRgb(bg->r, bg->g, bg->b) : 0;
    ink_[i] = qRgb(ink.r, ink.g, ink.b);
  }
}

void TokenDeltaModel::announceRecolour() {
  if (!texts_.empty())
    emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1), {Qt::BackgroundRole, Qt::ForegroundRole});
  emit colouringChanged();
}

QColor TokenDeltaModel::colour(int row) const {
  const QRgb c = colours_[static_cast<std::size_t>(row)];
  return qAlpha(c) == 0 ? QColor() : QColor::fromRgb(c);
}

QColor TokenDeltaModel::textColour(int row) const { return QColor::fromRgb(ink_[static_cast<std::size_t>(row)]); }

int TokenDeltaModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(texts_.size());
}
int TokenDeltaModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QString TokenDeltaModel::referenceName() const {
  return report_ && !report_->comparison.models.empty()
             ? QString::fromStdString(report_->comparison.models[report_->comparison.reference].name)
             : QStringLiteral("reference");
}
QString TokenDeltaModel::hybridName() const {
  if (!report_ || report_->comparison.models.size() < 2) return QStringLiteral("hybrid");
  return QString::fromStdString(report_->comparison.models[report_->comparison.compared_model()].name);
}
QString TokenDeltaModel::lossUnit() const {
  return report_ ? QString::fromLatin1(analysis::loss_unit_name(report_->options.loss_unit).data())
                 : QStringLiteral("nats");
}

QVariant TokenDeltaModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || !report_ || index.row() >= rowCount()) return {};
  const int row = index.row();
  const std::size_t u = static_cast<std::size_t>(row);
  const auto& c = report_->comparison;
  const std::size_t ref = c.reference;
  const std::size_t hyb = c.compared_model();
  auto rank_of = [&](std::size_t m) -> QVariant {
    const auto& toks = c.units[u].tokens[m];
    if (toks.size() != 1) return toks.empty() ? QVariant() : QVariant(QStringLiteral("%1 tokens").arg(toks.size()));
    const int r = c.models[m].tokens[toks.front()].rank;
    return r < 0 ? QVariant() : QVariant(r + 1);  // 1 = the model's top guess
  };
  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case TextColumn: return visible(texts_[u]);
        case DeltaColumn: return number(deltas_[u]);
        case ReferenceNllColumn: return number(report_->unit_nll(u, ref));
        case HybridNllColumn: return number(report_->unit_nll(u, hyb));
        case ReferenceRankColumn: return rank_of(ref);
        case HybridRankColumn: return rank_of(hyb);
        case CategoriesColumn: return data(index, CategoriesRole).toStringList().join(QStringLiteral(", "));
        default: return {};
      }
    case Qt::BackgroundRole: {
      const QColor col = colour(row);
      return col.isValid() ? QVariant(col) : QVariant();
    }
    case Qt::ForegroundRole: return textColour(row);
    case Qt::ToolTipRole:
    case HoverCardRole: return hoverCard(row);
    case SortRole: {
      auto num = [&](double v) { return std::isfinite(v) ? QVariant(v) : QVariant(); };
      auto rank = [&](std::size_t m) {
        const auto& toks = c.units[u].tokens[m];
        return toks.size() == 1 && c.models[m].tokens[toks.front()].rank >= 0
                   ? QVariant(double(c.models[m].tokens[toks.front()].rank))
                   : QVariant();
      };
      switch (index.column()) {
        case TextColumn: return row;
        case DeltaColumn: return num(deltas_[u]);
        case ReferenceNllColumn: return num(report_->unit_nll(u, ref));
        case HybridNllColumn: return num(report_->unit_nll(u, hyb));
        case ReferenceRankColumn: return rank(ref);
        case HybridRankColumn: return rank(hyb);
        case CategoriesColumn: return data(index, Qt::DisplayRole);
        default: return {};
      }
    }
    case DeltaRole: return deltas_[u];
    case UnitTextRole: return texts_[u];
    case ReferenceNllRole: return report_->unit_nll(u, ref);
    case HybridNllRole: return report_->unit_nll(u, hyb);
    case ScoredRole: return c.units[u].scored();
    case ByteSpanRole:
      return QPoint(static_cast<int>(c.units[u].span.begin), static_cast<int>(c.units[u].span.end));
    case CategoriesRole: {
      QStringList labels;
      if (u < c.labels.size())
        for (const auto& l : c.labels[u]) labels << QString::fromStdString(l);
      return labels;
    }
    default: return {};
  }
}

QVariant TokenDeltaModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (role != Qt::DisplayRole) return {};
  if (orientation == Qt::Vertical) return section;
  switch (section) {
    case TextColumn: return QStringLiteral("Text");
    case DeltaColumn: return QStringLiteral("Δ (%1)").arg(lossUnit());
    case ReferenceNllColumn: return QStringLiteral("NLL %1").arg(referenceName());
    case HybridNllColumn: return QStringLiteral("NLL %1").arg(hybridName());
    case ReferenceRankColumn: return QStringLiteral("Rank %1").arg(referenceName());
    case HybridRankColumn: return QStringLiteral("Rank %1").arg(hybridName());
    case CategoriesColumn: return QStringLiteral("Categories");
    default: return {};
  }
}

QString TokenDeltaModel::hoverCard(int row) const {
  if (!report_ || row < 0 || row >= rowCount()) return {};
  const std::size_t u = static_cast<std::size_t>(row);
  const auto& c = report_->comparison;
  const QString unit = lossUnit();
  const double d = deltas_[u];
  const QColor swatch = colour(row);
  QString s;
  s += QStringLiteral("<div style='white-space:pre'><b>%1</b></div>").arg(html(visible(texts_[u])));
  s += QStringLiteral("<div>unit %1 · bytes [%2, %3)</div>")
           .arg(row)
           .arg(c.units[u].span.begin)
           .arg(c.units[u].span.end);
  s += QStringLiteral("<div><span style='background:%1'>&nbsp;&nbsp;&nbsp;</span> <b>Δ = %2 %3</b> %4</div>")
           .arg(swatch.isValid() ? swatch.name() : QStringLiteral("transparent"), number(d), unit,
                !std::isfinite(d) ? QStringLiteral("(not scored by both models)")
                : d > 0           ? QStringLiteral("(%1 better)").arg(html(hybridName()))
                : d < 0           ? QStringLiteral("(%1 better)").arg(html(referenceName()))
                                  : QString());
  // The hybrid, then the reference Δ is measured against, then any other reference with the hybrid's Δ against it.
  const std::size_t hybrid = c.compared_model();
  std::vector<std::size_t> order = {hybrid};
  if (c.reference != hybrid) order.push_back(c.reference);
  for (std::size_t m = 0; m < c.models.size(); ++m)
    if (m != hybrid && m != c.reference) order.push_back(m);
  s += QStringLiteral("<table cellspacing='0' cellpadding='2'>");
  for (const std::size_t m : order) {
    const auto& model = c.models[m];
    QString role = m == c.reference ? QStringLiteral(" (reference)") : QString();
    if (m != c.reference && m != hybrid)
      role = QStringLiteral(" (Δ against it %1 %2)").arg(number(report_->unit_nll(u, m) - report_->unit_nll(u, hybrid)), unit);
    s += QStringLiteral("<tr><td colspan='2'><hr/><b>%1</b>%2 — NLL %3 %4</td></tr>")
             .arg(html(model.name), role, number(report_->unit_nll(u, m)), unit);
    for (std::size_t i : c.units[u].tokens[m]) {
      const auto& t = model.tokens[i];
      if (t.invalid) {  // the engine found its logits not finite: there is no number to show
        s += QStringLiteral("<tr><td>id %1 <code>%2</code></td><td><b>invalid</b>: non-finite logits (NaN/Inf "
                            "weights?); left out of every statistic</td></tr>")
                 .arg(t.id)
                 .arg(html(t.text));
        continue;
      }
      s += QStringLiteral("<tr><td>id %1 <code>%2</code></td><td>p %3 · NLL %4 nats · rank %5 · entropy %6 nats</td></tr>")
               .arg(t.id)
               .arg(html(t.text), number(t.prob, 4), number(t.nll),
                    t.rank >= 0 ? QString::number(t.rank + 1) : QStringLiteral("–"), number(t.entropy));
      if (!t.top.empty()) {
        QStringList tops;
        for (const auto& p : t.top)
          tops << QStringLiteral("<code>%1</code> %2")
                      .arg(p.text.empty() ? QString::number(p.id) : html(p.text), number(p.prob, 3));
        s += QStringLiteral("<tr><td></td><td>top: %1</td></tr>").arg(tops.join(QStringLiteral(", ")));
      }
    }
  }
  s += QStringLiteral("</table>");
  const QStringList labels = data(index(row, 0), CategoriesRole).toStringList();
  if (!labels.isEmpty()) s += QStringLiteral("<div><hr/>categories: %1</div>").arg(html(labels.join(QStringLiteral(", "))));
  return s;
}

}  // namespace hl::ui
