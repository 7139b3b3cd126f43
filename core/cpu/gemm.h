#pragma once
// Linear layer: y = x · Wᵀ (+ bias), the HF nn.Linear convention.
// Layout (row-major):
//   x    fp32 [T, in],  row stride ldx (>= in)
//   W    [out, in] in its stored dtype (f32 / bf16 / f16), rows contiguous (row stride = in)
//   bias [out] (any WType) or nullptr
//   y    fp32 [T, out], row stride ldy (>= out); must not overlap x
// bf16/f16 weights are widened to fp32 a tile of output rows at a time into a per-thread scratch buffer (never the
// whole matrix), then multiplied with OpenBLAS cblas_sgemm (fp32 accumulate). Call from outside parallel regions.
#include <cstddef>

#include "core/cpu/half.h"

namespace hl::cpu {

void linear(const float* x, std::size_t T, std::size_t in, std::size_t ldx, const void* W, WType wtype,
            std::size_t out, const void* bias, WType btype, float* y, std::size_t ldy);

// Output rows per widened weight tile for a given input width (~4 MiB of fp32, 64..1024 rows).
std::size_t linear_tile_rows(std::size_t in);

}  // namespace hl::cpu
