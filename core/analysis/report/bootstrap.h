#pragma once
// Percentile-bootstrap confidence intervals for a mean. Results depend only on the values, the seed and the number
// of resamples: the generator is std::mt19937_64 (its output sequence is fixed by the C++ standard) and the mapping
// to indices is our own, because std::uniform_int_distribution differs between standard libraries.
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "core/analysis/comparison/model_tokens.h"

namespace hl::analysis {

struct Interval {
  double low = kNoValue, high = kNoValue;
};

struct BootstrapOptions {
  std::size_t resamples = 1000;
  std::uint64_t seed = 20260625;  // reseeded per interval, so one category's interval does not depend on the others
  double confidence = 0.95;
};

// Uniform in [0, n) by rejection sampling (unbiased); n > 0.
std::uint64_t uniform_index(std::mt19937_64& rng, std::uint64_t n);

// Linear interpolation between order statistics at h = q (N - 1) (numpy's default, Hyndman-Fan type 7).
// sorted must be sorted ascending and non-empty.
double quantile_sorted(std::span<const double> sorted, double q);

// Each resample draws values.size() indices with replacement; the interval is the (1-c)/2 and (1+c)/2 quantiles of
// the resampled means. Empty input gives NaN bounds.
Interval bootstrap_mean_interval(std::span<const double> values, const BootstrapOptions& options = {});

}  // namespace hl::analysis
