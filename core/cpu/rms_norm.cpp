#include "core/cpu/rms_norm.h"

#include <cmath>

namespace hl::cpu {

void rms_norm(const float* x, const float* weight, float* y, std::size_t rows, std::size_t cols, float eps) {
  for (std::size_t r = 0; r < rows; ++r) {
    const float* xr = x + r * cols;
    float* yr = y + r * cols;
    // Accumulate in double: the reference is fp32 torch, whose reductions are pairwise; double keeps us closer than
    // a naive fp32 running sum on wide rows.
    double ss = 0.0;
    for (std::size_t c = 0; c < cols; ++c) ss += static_cast<double>(xr[c]) * xr[c];
    const float inv = 1.0f / std::sqrt(static_cast<float>(ss / static_cast<double>(cols)) + eps);
    for (std::size_t c = 0; c < cols; ++c) yr[c] = xr[c] * inv * weight[c];
  }
}

}  // namespace hl::cpu
