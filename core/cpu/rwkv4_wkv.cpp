// RWKV-4 WKV recurrence. Layout and equations: see rwkv4_wkv.h. Channels are independent: the scan runs over blocks
// of channels in parallel, each block adding its Σ (num/den)² per token into its own column of a partial-sum table.
#include "core/cpu/rwkv4_wkv.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/cpu/parallel.h"
#include "core/cpu/scan_common.h"

namespace hl::cpu {

void rwkv4_wkv(const Rwkv4Inputs& in, float* y, float* state_norms, std::size_t T, std::size_t C) {
  const std::size_t ks = row_stride(in.k_stride, C), vs = row_stride(in.v_stride, C);
  constexpr std::size_t kBlock = 32;
  const std::size_t blocks = (C + kBlock - 1) / kBlock;
  std::vector<double> partial(state_norms ? T * blocks : 0, 0.0);
  parallel_for(static_cast<std::int64_t>(blocks), [&](std::int64_t bi) {
    const std::size_t b = static_cast<std::size_t>(bi), c0 = b * kBlock, c1 = std::min(C, c0 + kBlock);
    for (std::size_t c = c0; c < c1; ++c) {
      const float w = -std::exp(in.time_decay[c]), u = in.time_first[c];
      float num = 0.f, den = 0.f, p = -1e38f;
      for (std::size_t t = 0; t < T; ++t) {
        const float k = in.k[t * ks + c], v = in.v[t * vs + c];
        const float q = std::max(p, k + u);
        const float e1 = std::exp(p - q), e2 = std::exp(k + u - q);
        y[t * C + c] = (e1 * num + e2 * v) / (e1 * den + e2);
        const float q2 = std::max(p + w, k);
        const float f1 = std::exp(p + w - q2), f2 = std::exp(k - q2);
        num = f1 * num + f2 * v;
        den = f1 * den + f2;
        p = q2;
        if (state_norms) {
          const double r = static_cast<double>(num) / den;
          partial[t * blocks + b] += r * r;
        }
      }
    }
  });
  if (state_norms)
    for (std::size_t t = 0; t < T; ++t) {
      double sum = 0;
      for (std::size_t b = 0; b < blocks; ++b) sum += partial[t * blocks + b];
      state_norms[t] = static_cast<float>(std::sqrt(sum));
    }
}

}  // namespace hl::cpu
