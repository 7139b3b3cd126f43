// Causal depthwise conv1d, channels-last. Layout: see conv1d.h.
#include "core/cpu/conv1d.h"

#include "core/cpu/scan_common.h"

namespace hl::cpu {

void causal_conv1d(const float* x, std::size_t x_stride, const float* w, const float* bias, const float* history,
                   float* y, std::size_t y_stride, std::size_t T, std::size_t C, std::size_t K, bool silu) {
  const std::size_t xs = row_stride(x_stride, C), ys = row_stride(y_stride, C);
  for (std::size_t t = 0; t < T; ++t) {
    float* yt = y + t * ys;
    for (std::size_t c = 0; c < C; ++c) yt[c] = bias ? bias[c] : 0.f;
    for (std::size_t k = 0; k < K; ++k) {
      // input position t - (K-1) + k
      const std::ptrdiff_t src = static_cast<std::ptrdiff_t>(t + k) - static_cast<std::ptrdiff_t>(K - 1);
      const float* xr;
      if (src >= 0) {
        xr = x + static_cast<std::size_t>(src) * xs;
      } else if (history) {
        xr = history + static_cast<std::size_t>(static_cast<std::ptrdiff_t>(K - 1) + src) * C;
      } else {
        continue;
      }
      for (std::size_t c = 0; c < C; ++c) yt[c] += w[c * K + k] * xr[c];
    }
    if (silu)
      for (std::size_t c = 0; c < C; ++c) yt[c] = hl::cpu::silu(yt[c]);
  }
}

}  // namespace hl::cpu
