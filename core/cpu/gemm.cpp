#include "core/cpu/gemm.h"

#include <cblas.h>

#include <algorithm>
#include <vector>

#include "core/cpu/parallel.h"

namespace hl::cpu {

std::size_t linear_tile_rows(std::size_t in) {
  const std::size_t target = (std::size_t{1} << 20) / std::max<std::size_t>(in, 1);  // 1M floats = 4 MiB
  return std::clamp<std::size_t>(target, 64, 1024);
}

namespace {
void widen_rows(const void* W, WType wtype, std::size_t row0, std::size_t rows, std::size_t in, float* dst) {
  const char* base = static_cast<const char*>(W) + row0 * in * wtype_size(wtype);
  // Parallel over rows: a tile is 64..1024 rows, enough work per thread.
  parallel_for(static_cast<std::int64_t>(rows), [&](std::int64_t r) {
    const auto ur = static_cast<std::size_t>(r);
    widen_to_f32(base + ur * in * wtype_size(wtype), wtype, dst + ur * in, in);
  });
}
}  // namespace

void linear(const float* x, std::size_t T, std::size_t in, std::size_t ldx, const void* W, WType wtype,
            std::size_t out, const void* bias, WType btype, float* y, std::size_t ldy) {
  if (T == 0 || out == 0) return;
  if (in == 0) {
    for (std::size_t t = 0; t < T; ++t) std::fill(y + t * ldy, y + t * ldy + out, 0.f);
  } else if (wtype == WType::f32) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(T), static_cast<int>(out),
                static_cast<int>(in), 1.0f, x, static_cast<int>(ldx), static_cast<const float*>(W),
                static_cast<int>(in), 0.0f, y, static_cast<int>(ldy));
  } else {
    thread_local std::vector<float> scratch;
    const std::size_t tile = std::min(out, linear_tile_rows(in));
    if (scratch.size() < tile * in) scratch.resize(tile * in);
    for (std::size_t o0 = 0; o0 < out; o0 += tile) {
      const std::size_t rows = std::min(tile, out - o0);
      widen_rows(W, wtype, o0, rows, in, scratch.data());
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(T), static_cast<int>(rows),
                  static_cast<int>(in), 1.0f, x, static_cast<int>(ldx), scratch.data(), static_cast<int>(in), 0.0f,
                  y + o0, static_cast<int>(ldy));
    }
  }
  if (bias) {
    std::vector<float> b(out);
    widen_to_f32(bias, btype, b.data(), out);
    parallel_for(static_cast<std::int64_t>(T), [&](std::int64_t t) {
      float* yr = y + static_cast<std::size_t>(t) * ldy;
      for (std::size_t o = 0; o < out; ++o) yr[o] += b[o];
    });
  }
}

}  // namespace hl::cpu
