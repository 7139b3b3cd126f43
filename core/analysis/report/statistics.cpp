#include "core/analysis/report/statistics.h"

#include <algorithm>
#include <numeric>

namespace hl::analysis {

double mean_of(std::span<const double> values) {
  if (values.empty()) return kNoValue;
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

GroupStats group_stats(std::string name, const std::vector<std::vector<double>>& nll, std::size_t reference,
                       std::span<const std::size_t> selected, const BootstrapOptions& bootstrap) {
  GroupStats stats;
  stats.name = std::move(name);
  stats.count = selected.size();
  std::vector<double> values(selected.size());
  for (const auto& model_nll : nll) {
    std::transform(selected.begin(), selected.end(), values.begin(), [&](std::size_t u) { return model_nll[u]; });
    stats.mean_nll.push_back(mean_of(values));
  }
  for (std::size_t m = 0; m < nll.size(); ++m) {
    if (m == reference) continue;
    std::transform(selected.begin(), selected.end(), values.begin(),
                   [&](std::size_t u) { return nll[reference][u] - nll[m][u]; });
    GapStats gap;
    gap.model = m;
    gap.mean_delta = mean_of(values);
    gap.interval = bootstrap_mean_interval(values, bootstrap);
    if (!values.empty())
      gap.win_share = static_cast<double>(std::count_if(values.begin(), values.end(), [](double d) { return d > 0; })) /
                      static_cast<double>(values.size());
    stats.gaps.push_back(gap);
  }
  return stats;
}

std::vector<double> default_gap_edges() {
  std::vector<double> edges;
  for (int k = -16; k <= 16; ++k) edges.push_back(0.25 * k);
  return edges;
}

Histogram histogram(std::span<const double> values, std::vector<double> edges) {
  Histogram h;
  h.edges = std::move(edges);
  h.counts.assign(h.edges.size() > 1 ? h.edges.size() - 1 : 0, 0);
  for (double v : values) {
    if (h.edges.empty() || v < h.edges.front()) {
      ++h.below;
    } else if (v >= h.edges.back()) {
      ++h.above;
    } else {
      const auto it = std::upper_bound(h.edges.begin(), h.edges.end(), v);
      ++h.counts[static_cast<std::size_t>(it - h.edges.begin()) - 1];
    }
  }
  return h;
}

}  // namespace hl::analysis
