#include "core/analysis/report/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace hl::analysis {

std::uint64_t uniform_index(std::mt19937_64& rng, std::uint64_t n) {
  // Reject the top partial block of the 64-bit range so every residue is equally likely.
  const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % n;
  std::uint64_t x;
  do x = rng();
  while (x >= limit);
  return x % n;
}

double quantile_sorted(std::span<const double> sorted, double q) {
  const double h = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

Interval bootstrap_mean_interval(std::span<const double> values, const BootstrapOptions& options) {
  if (values.empty() || options.resamples == 0) return {};
  std::mt19937_64 rng(options.seed);
  std::vector<double> means(options.resamples);
  const std::uint64_t n = values.size();
  for (double& mean : means) {
    double sum = 0;
    for (std::uint64_t k = 0; k < n; ++k) sum += values[uniform_index(rng, n)];
    mean = sum / static_cast<double>(n);
  }
  std::sort(means.begin(), means.end());
  const double tail = (1.0 - options.confidence) / 2.0;
  return {quantile_sorted(means, tail), quantile_sorted(means, 1.0 - tail)};
}

}  // namespace hl::analysis
