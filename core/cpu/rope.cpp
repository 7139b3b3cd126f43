#include "core/cpu/rope.h"

#include "core/cpu/parallel.h"

namespace hl::cpu {

void rope_apply(float* x, std::size_t T, std::size_t H, std::size_t D, std::size_t x_ts, std::size_t x_hs,
                const float* cos, const float* sin, std::size_t rotary_dim, bool interleaved) {
  (void)D;
  const std::size_t half = rotary_dim / 2;
  parallel_for(static_cast<std::int64_t>(T), [&](std::int64_t ti) {
    const auto t = static_cast<std::size_t>(ti);
    const float* c = cos + t * half;
    const float* s = sin + t * half;
    for (std::size_t h = 0; h < H; ++h) {
      float* v = x + t * x_ts + h * x_hs;
      if (!interleaved) {
        for (std::size_t j = 0; j < half; ++j) {
          const float a = v[j], b = v[j + half];
          v[j] = a * c[j] - b * s[j];
          v[j + half] = b * c[j] + a * s[j];
        }
      } else {
        for (std::size_t j = 0; j < half; ++j) {
          const float a = v[2 * j], b = v[2 * j + 1];
          v[2 * j] = a * c[j] - b * s[j];
          v[2 * j + 1] = b * c[j] + a * s[j];
        }
      }
    }
  });
}

}  // namespace hl::cpu
