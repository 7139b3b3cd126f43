// LFM2 gated short convolution. Layout: see short_conv.h.
#include "core/cpu/short_conv.h"

#include <vector>

#include "core/cpu/conv1d.h"
#include "core/cpu/scan_common.h"

namespace hl::cpu {

void short_conv(const float* bcx, std::size_t bcx_stride, const float* w, const float* bias, const float* history,
                float* y, std::size_t T, std::size_t Cd, std::size_t K) {
  const std::size_t s = row_stride(bcx_stride, 3 * Cd);
  std::vector<float> bx(T * Cd);
  for (std::size_t t = 0; t < T; ++t) {
    const float* r = bcx + t * s;
    for (std::size_t c = 0; c < Cd; ++c) bx[t * Cd + c] = r[c] * r[2 * Cd + c];
  }
  causal_conv1d(bx.data(), Cd, w, bias, history, y, Cd, T, Cd, K, /*silu=*/false);
  for (std::size_t t = 0; t < T; ++t) {
    const float* r = bcx + t * s + Cd;
    for (std::size_t c = 0; c < Cd; ++c) y[t * Cd + c] *= r[c];
  }
}

}  // namespace hl::cpu
