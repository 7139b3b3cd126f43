#pragma once
// Per-category statistics over aligned units: mean losses per model and the loss gap of every compared model
// against the reference (Δ = NLL_reference − NLL_model; positive: the compared model predicted the text better).
#include <span>
#include <string>
#include <vector>

#include "core/analysis/report/bootstrap.h"

namespace hl::analysis {

double mean_of(std::span<const double> values);  // NaN when empty

struct GapStats {
  std::size_t model = 0;  // index of the compared model
  double mean_delta = kNoValue;
  Interval interval;             // bootstrap interval of mean_delta
  double win_share = kNoValue;   // share of units with Δ > 0
};

// One row of the category table: the units it selects, summarised.
struct GroupStats {
  std::string name;
  std::string description;  // set for the study's filtered losses
  std::size_t count = 0;
  std::vector<double> mean_nll;  // [model]
  std::vector<GapStats> gaps;    // one per compared (non-reference) model
};

// nll[model][unit] over all units; selected: indices of scored units in the group. Values are in the display unit.
GroupStats group_stats(std::string name, const std::vector<std::vector<double>>& nll, std::size_t reference,
                       std::span<const std::size_t> selected, const BootstrapOptions& bootstrap);

struct Histogram {
  std::vector<double> edges;          // ascending; bin k is [edges[k], edges[k+1])
  std::vector<std::size_t> counts;    // edges.size() - 1
  std::size_t below = 0, above = 0;   // values < edges.front(), values >= edges.back()
};

// Fixed bins for Δ in the display unit: [-4, 4) in steps of 0.25 (32 bins), with underflow and overflow counts.
std::vector<double> default_gap_edges();
Histogram histogram(std::span<const double> values, std::vector<double> edges);

}  // namespace hl::analysis
