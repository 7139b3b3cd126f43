#pragma once
// Embedding gather and residual-stream helpers.
// Layout: table [V, H] in its stored dtype, rows contiguous; ids int32 [T]; out fp32 [T, H] row stride ld.
#include <cstddef>
#include <cstdint>

#include "core/cpu/half.h"

namespace hl::cpu {

// out[t, :] = float(table[ids[t], :]) * multiplier. Every id must be in [0, V) (checked by the caller; the backend
// validates before calling).
void embedding_gather(const void* table, WType wtype, std::size_t V, std::size_t H, const std::int32_t* ids,
                      std::size_t T, float multiplier, float* out, std::size_t ld);

// h[t, c] += scale * r[t, c]  (residual add; HF computes r * scale then adds). Row strides h_ts, r_ts.
void residual_add(float* h, std::size_t h_ts, const float* r, std::size_t r_ts, std::size_t T, std::size_t n,
                  float scale);

// x[t, c] *= scale
void scale_rows(float* x, std::size_t x_ts, std::size_t T, std::size_t n, float scale);

}  // namespace hl::cpu
