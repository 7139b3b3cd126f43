#pragma once
// LFM2 gated short convolution ("conv" layers), the part between in_proj and out_proj (Lfm2ShortConv.forward):
//   B, C, x = chunk(in_proj(h), 3)      -> bcx [T, 3*Cd] holds B at [0, Cd), C at [Cd, 2Cd), x at [2Cd, 3Cd)
//   y = C o conv(B o x)                 conv = causal depthwise conv1d, weight [Cd, 1, K] (K = conv_L_cache = 3),
//                                       bias [Cd] or nullptr (conv_bias), NO activation, zero left padding
// Layout: bcx [T, 3*Cd] with token stride bcx_stride (0 = 3*Cd); y [T, Cd] packed.
// history [K-1, Cd] (previous B o x values, oldest first) or nullptr for a fresh sequence.
// This layer has no recurrent state beyond the K-1 conv inputs, so it reports no state norms.
#include <cstddef>

namespace hl::cpu {

void short_conv(const float* bcx, std::size_t bcx_stride, const float* w, const float* bias, const float* history,
                float* y, std::size_t T, std::size_t Cd, std::size_t K);

}  // namespace hl::cpu
