#include "core/analysis/report/headline.h"

#include <cmath>
#include <cstdio>

namespace hl::analysis {

namespace {

constexpr const char* kSeparator = " · ";

std::string fixed(double value, int digits) {
  if (!std::isfinite(value)) return "–";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, value);
  return buffer;
}

std::string gap_text(const GapStats& gap, std::string_view unit) {
  return "mean Δ " + signed_number(gap.mean_delta) + " " + std::string(unit) + " [" +
         signed_number(gap.interval.low) + ", " + signed_number(gap.interval.high) + "]";
}

}  // namespace

std::string signed_number(double value, int digits) {
  if (!std::isfinite(value)) return "–";
  const std::string magnitude = fixed(std::fabs(value), digits);
  if (magnitude.find_first_not_of("0.") == std::string::npos) return magnitude;
  return (value > 0 ? "+" : "−") + magnitude;
}

std::optional<ReferenceGap> reference_gap(const Report& report) {
  const Comparison& c = report.comparison;
  if (report.scored_units.empty() || report.categories.empty() || report.categories.front().gaps.empty() ||
      c.reference >= c.models.size())
    return std::nullopt;
  // The "all" row's first gap is the compared model's: gaps follow the non-reference models in order.
  return ReferenceGap{c.models[c.reference].name, report.categories.front().gaps.front()};
}

std::vector<ReferenceGap> other_reference_gaps(const std::vector<std::shared_ptr<const Report>>& reports,
                                               std::size_t active) {
  std::vector<ReferenceGap> gaps;
  for (std::size_t k = 0; k < reports.size(); ++k)
    if (k != active && reports[k])
      if (auto gap = reference_gap(*reports[k])) gaps.push_back(std::move(*gap));
  return gaps;
}

std::string headline(const Report& report, std::span<const ReferenceGap> other_references) {
  const std::string_view unit = loss_unit_name(report.options.loss_unit);
  std::string s;
  // Never shown as numbers: their units are grey and their cards say why.
  for (const ModelSummary& m : report.models)
    if (m.invalid_tokens > 0)
      s += "⚠ " + m.name + ": " + std::to_string(m.invalid_tokens) +
           " tokens have non-finite scores (NaN/Inf) and are left out" + kSeparator;
  if (const auto own = reference_gap(report)) {
    const Comparison& c = report.comparison;
    s += gap_text(own->gap, unit) + kSeparator + c.models[c.compared_model()].name + " better on " +
         fixed(100 * own->gap.win_share, 1) + " % of " + std::to_string(report.scored_units.size()) + " scored units";
  } else {
    s += "no units scored by both models";
  }
  for (const ModelSummary& m : report.models) s += kSeparator + m.name + " " + fixed(m.bits_per_byte, 3) + " bits/byte";
  for (const ReferenceGap& other : other_references) s += kSeparator + ("vs " + other.reference + ": ") + gap_text(other.gap, unit);
  return s;
}

}  // namespace hl::analysis
