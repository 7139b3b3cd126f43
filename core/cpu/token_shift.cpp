// RWKV token shift. Layout: see token_shift.h.
#include "core/cpu/token_shift.h"

#include "core/cpu/parallel.h"
#include "core/cpu/scan_common.h"

namespace hl::cpu {

void token_shift_mix(const float* x, std::size_t x_stride, const float* mix, float* y, std::size_t T, std::size_t C) {
  const std::size_t s = row_stride(x_stride, C);
  parallel_for(static_cast<std::int64_t>(T), [&](std::int64_t ti) {
    const auto t = static_cast<std::size_t>(ti);
    const float* cur = x + t * s;
    const float* prev = t > 0 ? x + (t - 1) * s : nullptr;
    float* out = y + t * C;
    // The same two products and sum as PyTorch (hidden * mix + shifted * (1 - mix)), shifted = 0 at t = 0.
    HL_SIMD
    for (std::size_t c = 0; c < C; ++c) out[c] = cur[c] * mix[c] + (prev ? prev[c] : 0.f) * (1.f - mix[c]);
  });
}

}  // namespace hl::cpu
