#pragma once
// RWKV token shift (HF RwkvSelfAttention / RwkvFeedForward: nn.ZeroPad2d((0, 0, 1, -1)) then the time_mix lerp):
//   y[t, c] = x[t, c] · mix[c] + x[t-1, c] · (1 − mix[c]),   x[-1, :] = 0 (a fresh sequence)
// Layout: x [T, C] with token stride x_stride (0 = packed), mix [C] fp32, y [T, C] packed; y must not alias x.
#include <cstddef>

namespace hl::cpu {

void token_shift_mix(const float* x, std::size_t x_stride, const float* mix, float* y, std::size_t T, std::size_t C);

}  // namespace hl::cpu
