// Griffin's RG-LRU recurrence. Layout and equations: see rg_lru.h. Channels are independent; blocks of them run in
// parallel, each walking the tokens in order. The operations follow PyTorch's order, so the fp32 results match.
#include "core/cpu/rg_lru.h"

#include <algorithm>
#include <cmath>

#include "core/cpu/parallel.h"
#include "core/cpu/scan_common.h"

namespace hl::cpu {

void rg_lru_scan(const RgLruInputs& in, float* y, std::size_t T, std::size_t W) {
  const std::size_t xs = row_stride(in.x_stride, W), gs = row_stride(in.gate_stride, W);
  constexpr std::size_t kBlock = 32;
  const std::size_t blocks = (W + kBlock - 1) / kBlock;
  parallel_for(static_cast<std::int64_t>(blocks), [&](std::int64_t bi) {
    const std::size_t c0 = static_cast<std::size_t>(bi) * kBlock, c1 = std::min(W, c0 + kBlock);
    for (std::size_t c = c0; c < c1; ++c) {
      const float sp = softplus(in.recurrent_param[c]);
      float h = 0.f;
      for (std::size_t t = 0; t < T; ++t) {
        const float i = sigmoid(in.input_gate[t * gs + c]);
        const float log_a = -8.f * sigmoid(in.recurrent_gate[t * gs + c]) * sp;
        const float a = std::exp(log_a);
        const float m = t == 0 ? 1.f : std::sqrt(1.f - std::exp(2.f * log_a));
        const float xn = in.x[t * xs + c] * i * m;
        h = t == 0 ? xn : a * h + xn;
        y[t * W + c] = h;
      }
    }
  });
}

}  // namespace hl::cpu
