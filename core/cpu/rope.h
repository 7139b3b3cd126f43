#pragma once
// Apply rotary position embeddings in place.
// Layout: x fp32 [T, H, D] (token stride x_ts, head stride x_hs, last dim contiguous); cos / sin fp32
// [T, rotary_dim / 2] row-major (half-width tables from engine/rope.h: HF's cat(freqs, freqs) repeats each angle).
// Only the first rotary_dim dims of each head rotate (partial rotary); the rest pass through.
//   NeoX / HF rotate_half layout (interleaved = false): pairs (j, j + rotary_dim/2):
//     x'[j] = x[j]*cos[j] - x[j+h]*sin[j];  x'[j+h] = x[j+h]*cos[j] + x[j]*sin[j]
//   GPT-J layout (interleaved = true): pairs (2j, 2j+1).
#include <cstddef>

namespace hl::cpu {

void rope_apply(float* x, std::size_t T, std::size_t H, std::size_t D, std::size_t x_ts, std::size_t x_hs,
                const float* cos, const float* sin, std::size_t rotary_dim, bool interleaved = false);

}  // namespace hl::cpu
