#include "core/cpu/norms.h"

#include <cmath>
#include <vector>

#include "core/cpu/parallel.h"

namespace hl::cpu {

namespace {
std::vector<float> widen_weight(const void* w, WType t, std::size_t n, float add) {
  std::vector<float> out(n, 1.0f);
  if (w) {
    widen_to_f32(w, t, out.data(), n);
    if (add != 0.f)
      for (float& v : out) v += add;
  }
  return out;
}

inline float silu(float v) { return v / (1.0f + std::exp(-v)); }
}  // namespace

void rms_norm_groups(const float* x, float* y, const GroupedRows& g, const void* weight, WType wtype,
                     bool weight_per_group, float eps, bool zero_centered) {
  const std::size_t wn = weight_per_group ? g.S : g.G * g.S;
  const std::vector<float> w = widen_weight(weight, wtype, wn, zero_centered ? 1.0f : 0.0f);
  parallel_for(static_cast<std::int64_t>(g.T * g.G), [&](std::int64_t idx) {
    const std::size_t t = static_cast<std::size_t>(idx) / g.G, k = static_cast<std::size_t>(idx) % g.G;
    const float* xr = x + t * g.x_ts + k * g.x_gs;
    float* yr = y + t * g.y_ts + k * g.y_gs;
    const float* wr = weight_per_group ? w.data() : w.data() + k * g.S;
    double ss = 0.0;
    for (std::size_t c = 0; c < g.S; ++c) ss += static_cast<double>(xr[c]) * xr[c];
    const float inv = 1.0f / std::sqrt(static_cast<float>(ss / static_cast<double>(g.S)) + eps);
    for (std::size_t c = 0; c < g.S; ++c) yr[c] = xr[c] * inv * wr[c];
  });
}

void layer_norm_groups(const float* x, float* y, const GroupedRows& g, const void* weight, WType wtype,
                       const void* bias, WType btype, float eps) {
  const std::vector<float> w = widen_weight(weight, wtype, g.S, 0.f);
  std::vector<float> b(g.S, 0.f);
  if (bias) widen_to_f32(bias, btype, b.data(), g.S);
  parallel_for(static_cast<std::int64_t>(g.T * g.G), [&](std::int64_t idx) {
    const std::size_t t = static_cast<std::size_t>(idx) / g.G, k = static_cast<std::size_t>(idx) % g.G;
    const float* xr = x + t * g.x_ts + k * g.x_gs;
    float* yr = y + t * g.y_ts + k * g.y_gs;
    double s = 0.0;
    for (std::size_t c = 0; c < g.S; ++c) s += xr[c];
    const double mean = s / static_cast<double>(g.S);
    double v = 0.0;
    for (std::size_t c = 0; c < g.S; ++c) {
      const double d = xr[c] - mean;
      v += d * d;
    }
    const float rstd = static_cast<float>(1.0 / std::sqrt(v / static_cast<double>(g.S) + eps));
    const float m = static_cast<float>(mean);
    for (std::size_t c = 0; c < g.S; ++c) yr[c] = (xr[c] - m) * rstd * w[c] + b[c];
  });
}

void rms_norm_gated(const float* x, const float* z, std::size_t z_ts, float* y, const GroupedRows& g,
                    const void* weight, WType wtype, bool weight_per_group, float eps, bool norm_before_gate) {
  const std::size_t wn = weight_per_group ? g.S : g.G * g.S;
  const std::vector<float> w = widen_weight(weight, wtype, wn, 0.f);
  parallel_for(static_cast<std::int64_t>(g.T * g.G), [&](std::int64_t idx) {
    const std::size_t t = static_cast<std::size_t>(idx) / g.G, k = static_cast<std::size_t>(idx) % g.G;
    const float* xr = x + t * g.x_ts + k * g.x_gs;
    const float* zr = z + t * z_ts + k * g.S;
    float* yr = y + t * g.y_ts + k * g.y_gs;
    const float* wr = weight_per_group ? w.data() : w.data() + k * g.S;
    double ss = 0.0;
    if (norm_before_gate) {
      for (std::size_t c = 0; c < g.S; ++c) ss += static_cast<double>(xr[c]) * xr[c];
    } else {
      for (std::size_t c = 0; c < g.S; ++c) {
        const double v = xr[c] * silu(zr[c]);
        ss += v * v;
      }
    }
    const float inv = 1.0f / std::sqrt(static_cast<float>(ss / static_cast<double>(g.S)) + eps);
    if (norm_before_gate) {
      for (std::size_t c = 0; c < g.S; ++c) yr[c] = xr[c] * inv * wr[c] * silu(zr[c]);
    } else {
      for (std::size_t c = 0; c < g.S; ++c) yr[c] = (xr[c] * silu(zr[c])) * inv * wr[c];
    }
  });
}

void l2_norm_rows(const float* x, std::size_t T, std::size_t C, std::size_t ldx, float* out) {
  parallel_for(static_cast<std::int64_t>(T), [&](std::int64_t t) {
    const float* xr = x + static_cast<std::size_t>(t) * ldx;
    double ss = 0.0;
    for (std::size_t c = 0; c < C; ++c) ss += static_cast<double>(xr[c]) * xr[c];
    out[t] = static_cast<float>(std::sqrt(ss));
  });
}

}  // namespace hl::cpu
