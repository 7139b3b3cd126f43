// Kimi Delta Attention, sequential form. Layout and equations: see kimi_delta.h. Heads are independent and run in
// parallel; within a head the tokens run in order with the [D, D] state in a local buffer.
#include "core/cpu/kimi_delta.h"

#include <cmath>
#include <vector>

#include "core/cpu/parallel.h"
#include "core/cpu/scan_common.h"

namespace hl::cpu {

namespace {

// x / sqrt(Σ x² + 1e-6), HF's l2norm (which matches the FLA kernels: the eps inside the root, a division).
void l2_normalise(const float* x, float* out, std::size_t D) {
  float ss = 0.f;
  for (std::size_t i = 0; i < D; ++i) ss += x[i] * x[i];
  const float n = std::sqrt(ss + 1e-6f);
  for (std::size_t i = 0; i < D; ++i) out[i] = x[i] / n;
}

}  // namespace

void kimi_delta_attention(const KimiDeltaInputs& in, float* y, float* state_norms, std::size_t T, std::size_t H,
                          std::size_t D) {
  const std::size_t qs = row_stride(in.qkv_stride, H * D), fs = row_stride(in.f_stride, H * D);
  const std::size_t bs = row_stride(in.b_stride, H);
  const float scale = 1.f / std::sqrt(static_cast<float>(D));
  parallel_for(static_cast<std::int64_t>(H), [&](std::int64_t hi) {
    const std::size_t h = static_cast<std::size_t>(hi);
    const float rate = std::exp(in.A_log[h]);
    std::vector<float> S(D * D, 0.f), q(D), k(D), decay(D), delta(D);
    for (std::size_t t = 0; t < T; ++t) {
      l2_normalise(in.q + t * qs + h * D, q.data(), D);
      for (float& x : q) x *= scale;
      l2_normalise(in.k + t * qs + h * D, k.data(), D);
      const float* v = in.v + t * qs + h * D;
      const float* f = in.f + t * fs + h * D;
      for (std::size_t i = 0; i < D; ++i) {
        const float x = f[i] + in.dt_bias[h * D + i];
        float g = 0.f;
        switch (in.gate) {
          case KimiDeltaGate::KimiSoftplus: g = -rate * (x > 20.f ? x : std::log(1.f + std::exp(x))); break;
          case KimiDeltaGate::Softplus: g = -rate * softplus(x); break;
          case KimiDeltaGate::SafeSigmoid: g = in.lower_bound * sigmoid(rate * x); break;
        }
        decay[i] = std::exp(g);
      }
      const float beta = sigmoid(in.b[t * bs + h]);
      for (std::size_t i = 0; i < D; ++i)
        for (std::size_t c = 0; c < D; ++c) S[i * D + c] *= decay[i];
      for (std::size_t c = 0; c < D; ++c) {
        float mem = 0.f;
        for (std::size_t i = 0; i < D; ++i) mem += S[i * D + c] * k[i];
        delta[c] = (v[c] - mem) * beta;
      }
      double sq = 0;
      for (std::size_t i = 0; i < D; ++i)
        for (std::size_t c = 0; c < D; ++c) {
          float& s = S[i * D + c];
          s += k[i] * delta[c];
          sq += static_cast<double>(s) * s;
        }
      float* out = y + t * H * D + h * D;
      for (std::size_t c = 0; c < D; ++c) {
        float o = 0.f;
        for (std::size_t i = 0; i < D; ++i) o += S[i * D + c] * q[i];
        out[c] = o;
      }
      if (state_norms) state_norms[t * H + h] = static_cast<float>(std::sqrt(sq));
    }
  });
}

}  // namespace hl::cpu
