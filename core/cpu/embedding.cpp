#include "core/cpu/embedding.h"

#include "core/cpu/parallel.h"

namespace hl::cpu {

void embedding_gather(const void* table, WType wtype, std::size_t V, std::size_t H, const std::int32_t* ids,
                      std::size_t T, float multiplier, float* out, std::size_t ld) {
  (void)V;
  const std::size_t row_bytes = H * wtype_size(wtype);
  parallel_for(static_cast<std::int64_t>(T), [&](std::int64_t t) {
    float* o = out + static_cast<std::size_t>(t) * ld;
    const char* src = static_cast<const char*>(table) + static_cast<std::size_t>(ids[t]) * row_bytes;
    widen_to_f32(src, wtype, o, H);
    if (multiplier != 1.0f)
      for (std::size_t c = 0; c < H; ++c) o[c] *= multiplier;
  });
}

void residual_add(float* h, std::size_t h_ts, const float* r, std::size_t r_ts, std::size_t T, std::size_t n,
                  float scale) {
  parallel_for(static_cast<std::int64_t>(T), [&](std::int64_t t) {
    float* hr = h + static_cast<std::size_t>(t) * h_ts;
    const float* rr = r + static_cast<std::size_t>(t) * r_ts;
    if (scale == 1.0f) {
      for (std::size_t c = 0; c < n; ++c) hr[c] += rr[c];
    } else {
      for (std::size_t c = 0; c < n; ++c) hr[c] += rr[c] * scale;
    }
  });
}

void scale_rows(float* x, std::size_t x_ts, std::size_t T, std::size_t n, float scale) {
  parallel_for(static_cast<std::int64_t>(T), [&](std::int64_t t) {
    float* xr = x + static_cast<std::size_t>(t) * x_ts;
    for (std::size_t c = 0; c < n; ++c) xr[c] *= scale;
  });
}

}  // namespace hl::cpu
