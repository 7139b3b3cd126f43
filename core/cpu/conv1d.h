#pragma once
// Causal depthwise conv1d over channels-last activations (Mamba1/Mamba2 xBC conv, GDN q/k/v conv, LFM2 short conv).
//
// Layout: x [T, C] with token stride x_stride (0 = C), so x may be a column slice of a fused projection;
//         w [C, 1, K] exactly as PyTorch/safetensors store nn.Conv1d(groups=C).weight (tap k at w[c*K + k]);
//         bias [C] or nullptr; history [K-1, C] (the K-1 inputs preceding token 0, oldest first) or nullptr = zeros;
//         y [T, C] with token stride y_stride (0 = C). y must not alias x.
// y[t, c] = act(bias[c] + sum_{k<K} w[c, k] * x[t - (K-1) + k, c]),  x[<0] = history (zeros for a fresh sequence),
// act = SiLU when silu, identity otherwise. The last tap multiplies the current token.
// Olmo-Hybrid's separate q/k/v convs are this primitive called three times (HF concatenates them into one conv).
#include <cstddef>

namespace hl::cpu {

void causal_conv1d(const float* x, std::size_t x_stride, const float* w, const float* bias, const float* history,
                   float* y, std::size_t y_stride, std::size_t T, std::size_t C, std::size_t K, bool silu);

}  // namespace hl::cpu
