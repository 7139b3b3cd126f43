#include "core/analysis/colour/unit_colouring.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/analysis/report/bootstrap.h"

namespace hl::analysis {

namespace {

constexpr Rgb kBlack{0, 0, 0}, kWhite{255, 255, 255};
constexpr int kGradientSamples = 21;  // enough for a smooth bar; the ramps have 9 stops, Δ is linear per side

struct KeyEntry {
  std::string_view key;
  ColourMode mode;
  ModelRole model;
};
// "rank" and "entropy" were the session's names before the reference's could be chosen: they stay the hybrid's.
constexpr KeyEntry kKeys[] = {
    {"delta", ColourMode::delta, ModelRole::compared},
    {"nll_reference", ColourMode::nll, ModelRole::reference},
    {"nll_hybrid", ColourMode::nll, ModelRole::compared},
    {"rank", ColourMode::rank, ModelRole::compared},
    {"rank_reference", ColourMode::rank, ModelRole::reference},
    {"entropy", ColourMode::entropy, ModelRole::compared},
    {"entropy_reference", ColourMode::entropy, ModelRole::reference},
    {"category", ColourMode::category, ModelRole::compared},
};

bool per_model(ColourMode mode) {
  return mode == ColourMode::nll || mode == ColourMode::rank || mode == ColourMode::entropy;
}

// 3 significant digits, no trailing zeros ("2", "0.25", "3.14").
std::string short_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

double p95(const std::vector<double>& values) {
  std::vector<double> finite;
  finite.reserve(values.size());
  for (double v : values)
    if (std::isfinite(v)) finite.push_back(v);
  if (finite.empty()) return 1.0;
  std::sort(finite.begin(), finite.end());
  const double q = quantile_sorted(finite, 0.95);
  return q > 0 ? q : 1.0;
}

Rgb darker(const Rgb& c, double factor) {
  auto ch = [factor](int v) { return static_cast<int>(std::lround(v / factor)); };
  return {ch(c.r), ch(c.g), ch(c.b)};
}

}  // namespace

std::string colouring_key(ColourMode mode, ModelRole model) {
  for (const KeyEntry& e : kKeys)
    if (e.mode == mode && (!per_model(mode) || e.model == model)) return std::string(e.key);
  return "delta";
}

std::optional<std::pair<ColourMode, ModelRole>> parse_colouring_key(std::string_view key) {
  for (const KeyEntry& e : kKeys)
    if (e.key == key) return std::pair{e.mode, e.model};
  return std::nullopt;
}

int unit_rank(const Comparison& c, std::size_t unit, std::size_t model) {
  int worst = -1;
  for (std::size_t i : c.units[unit].tokens[model]) worst = std::max(worst, static_cast<int>(c.models[model].tokens[i].rank));
  return worst;
}

double unit_entropy(const Comparison& c, std::size_t unit, std::size_t model) {
  double sum = 0;
  int n = 0;
  for (std::size_t i : c.units[unit].tokens[model]) {
    const double e = c.models[model].tokens[i].entropy;
    if (std::isfinite(e)) {
      sum += e;
      ++n;
    }
  }
  return n ? sum / n : kNoValue;
}

UnitColourer::UnitColourer(const Report& report) {
  const Comparison& c = report.comparison;
  const std::size_t n = c.units.size();
  if (c.models.empty()) return;
  reference_ = c.reference;
  compared_ = c.compared_model();
  loss_unit_ = std::string(loss_unit_name(report.options.loss_unit));
  delta_.resize(n);
  category_.resize(n);
  for (std::size_t u = 0; u < n; ++u) {
    delta_[u] = compared_ != reference_ ? report.unit_delta(u, compared_) : kNoValue;
    category_[u] = category_class(u < c.labels.size() ? std::span<const std::string>(c.labels[u])
                                                      : std::span<const std::string>());
  }
  models_.resize(c.models.size());
  for (std::size_t m = 0; m < models_.size(); ++m) {
    ModelMeasures& measures = models_[m];
    measures.name = c.models[m].name;
    measures.nll.resize(n);
    measures.entropy.resize(n);
    measures.rank.resize(n);
    for (std::size_t u = 0; u < n; ++u) {
      measures.nll[u] = report.unit_nll(u, m);
      measures.entropy[u] = unit_entropy(c, u, m) * report.scale();
      measures.rank[u] = unit_rank(c, u, m);
    }
    measures.auto_max_nll = p95(measures.nll);
    measures.auto_max_entropy = p95(measures.entropy);
  }
}

std::size_t UnitColourer::chosen_index(const ColouringSettings& s) const {
  return s.model_index >= 0 ? static_cast<std::size_t>(s.model_index) : index_of(s.model);
}

const UnitColourer::ModelMeasures* UnitColourer::chosen(const ColouringSettings& s) const {
  const std::size_t m = chosen_index(s);
  return m < models_.size() ? &models_[m] : nullptr;
}

// Before any report there are no models: the roles' generic names still make a readable legend.
std::string UnitColourer::role_name(ModelRole model) const {
  const std::size_t m = index_of(model);
  if (m < models_.size()) return models_[m].name;
  return model == ModelRole::reference ? "reference" : "hybrid";
}

std::string UnitColourer::chosen_name(const ColouringSettings& s) const {
  if (const ModelMeasures* m = chosen(s)) return m->name;
  return s.model_index >= 0 ? "model " + std::to_string(s.model_index) : role_name(s.model);
}

double UnitColourer::auto_sequential_max(ColourMode mode, std::size_t model) const {
  return model < models_.size() ? models_[model].auto_max(mode) : 1.0;
}

double UnitColourer::auto_sequential_max(ColourMode mode, ModelRole model) const {
  return auto_sequential_max(mode, index_of(model));
}

double UnitColourer::sequential_max(const ColouringSettings& s) const {
  return s.sequential_max > 0 ? s.sequential_max : auto_sequential_max(s.mode, chosen_index(s));
}

double UnitColourer::value(const ColouringSettings& s, std::size_t u) const {
  const ModelMeasures* m = chosen(s);
  switch (s.mode) {
    case ColourMode::delta: return delta_[u];
    case ColourMode::nll: return m ? m->nll[u] : kNoValue;
    case ColourMode::entropy: return m ? m->entropy[u] : kNoValue;
    case ColourMode::rank: return m && m->rank[u] >= 0 ? m->rank[u] : kNoValue;
    case ColourMode::category: return static_cast<double>(category_[u]);
  }
  return kNoValue;
}

std::vector<UnitColour> UnitColourer::colour(const ColouringSettings& s) const {
  const std::size_t n = unit_count();
  std::vector<UnitColour> out(n);
  const ModelMeasures* m = chosen(s);  // nullptr: a per-model mode has no values to show
  const double max = sequential_max(s);
  // Categorical palettes have few colours: their ink is decided once per colour, not per unit.
  auto ink_on = [](const Rgb& bg) { return prefers_white_ink(bg) ? kWhite : kBlack; };
  switch (s.mode) {
    case ColourMode::delta:
      for (std::size_t u = 0; u < n; ++u) out[u].background = delta_colour(delta_[u], s.delta_limit);
      break;
    case ColourMode::nll:
    case ColourMode::entropy: {
      if (!m) break;
      const auto& values = s.mode == ColourMode::nll ? m->nll : m->entropy;
      const SequentialPalette& palette = s.mode == ColourMode::nll ? kNllPalette : kEntropyPalette;
      for (std::size_t u = 0; u < n; ++u) out[u].background = sequential_colour(values[u], max, palette);
      break;
    }
    case ColourMode::rank: {
      UnitColour bucket[kRankBucketCount];
      for (int b = 0; b < kRankBucketCount; ++b) {
        const Rgb bg = rank_bucket_colour(static_cast<RankBucket>(b));
        bucket[b] = {bg, ink_on(bg)};
      }
      for (std::size_t u = 0; u < n; ++u) {
        const auto b = m ? rank_bucket(m->rank[u]) : std::nullopt;
        out[u] = b ? bucket[static_cast<int>(*b)] : UnitColour{std::nullopt, kUnscoredInk};
      }
      return out;
    }
    case ColourMode::category: {
      UnitColour cls[kCategoryClassCount];
      for (int k = 0; k < kCategoryClassCount; ++k) {
        const Rgb bg = category_class_colour(static_cast<CategoryClass>(k));
        cls[k] = {bg, ink_on(bg)};
      }
      for (std::size_t u = 0; u < n; ++u) out[u] = cls[static_cast<int>(category_[u])];
      return out;
    }
  }
  for (UnitColour& c : out) c.ink = c.background ? ink_on(*c.background) : kUnscoredInk;
  return out;
}

ColourLegend UnitColourer::legend(const ColouringSettings& s) const {
  ColourLegend l;
  const std::string model = chosen_name(s);
  switch (s.mode) {
    case ColourMode::delta: {
      l.kind = ColourLegend::Kind::diverging;
      const std::string reference = role_name(ModelRole::reference), compared = role_name(ModelRole::compared);
      l.title = "Δ = NLL(" + reference + ") − NLL(" + compared + ")";
      const double limit = s.delta_limit;
      for (int i = 0; i < kGradientSamples; ++i) {
        const double d = -limit + 2 * limit * i / (kGradientSamples - 1);
        l.gradient.push_back(delta_colour(d, limit).value_or(kWhite));
      }
      l.ticks = {{0.0, "−" + short_number(limit)}, {0.5, "Δ = 0 " + loss_unit_}, {1.0, "+" + short_number(limit)}};
      l.low_end = "◀ " + reference + " better";
      l.high_end = compared + " better ▶";
      // The orange end is light: its words are drawn darker to stay readable on white.
      l.low_end_colour = darker(kReferenceBetterColour, 1.3);
      l.high_end_colour = kHybridBetterColour;
      return l;
    }
    case ColourMode::nll:
    case ColourMode::entropy: {
      l.kind = ColourLegend::Kind::sequential;
      const bool nll = s.mode == ColourMode::nll;
      l.title = std::string(nll ? "NLL" : "entropy") + " of " + model + " (" + loss_unit_ + ")";
      const double max = sequential_max(s);
      const SequentialPalette& palette = nll ? kNllPalette : kEntropyPalette;
      for (int i = 0; i < kGradientSamples; ++i)
        l.gradient.push_back(*sequential_colour(max * i / (kGradientSamples - 1), max, palette));
      l.ticks = {{0.0, "0"},
                 {0.5, short_number(max / 2)},
                 {1.0, "≥ " + short_number(max) + (s.sequential_max > 0 ? "" : " (p95)")}};
      return l;
    }
    case ColourMode::rank:
      l.kind = ColourLegend::Kind::categorical;
      l.title = "rank under " + model;
      for (int b = 0; b < kRankBucketCount; ++b) {
        const auto bucket = static_cast<RankBucket>(b);
        l.swatches.push_back({std::string(rank_bucket_label(bucket)), rank_bucket_colour(bucket), ""});
      }
      l.swatches.back().detail = "rank above 1000";
      return l;
    case ColourMode::category:
      l.kind = ColourLegend::Kind::categorical;
      l.title = "category";
      for (int k = 0; k < kCategoryClassCount; ++k) {
        const auto cls = static_cast<CategoryClass>(k);
        l.swatches.push_back(
            {std::string(category_class_name(cls)), category_class_colour(cls), std::string(category_class_labels(cls))});
      }
      return l;
  }
  return l;
}

std::string ColourLegend::text() const {
  std::string s = title;
  auto add = [&s](const std::string& part) {
    if (part.empty()) return;
    s += s.empty() ? "" : " · ";
    s += part;
  };
  add(low_end);
  for (const Tick& t : ticks) add(t.label);
  add(high_end);
  for (const Swatch& w : swatches) add(w.label);
  return s;
}

}  // namespace hl::analysis
