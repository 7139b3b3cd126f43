// xLSTM's mLSTM cell, sequential. Layout and equations: see mlstm.h. Heads run in parallel.
#include "core/cpu/mlstm.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/cpu/parallel.h"
#include "core/cpu/scan_common.h"

namespace hl::cpu {

void mlstm(const MLstmInputs& in, float* y, float* state_norms, std::size_t T, std::size_t H, std::size_t Dk,
           std::size_t Dv) {
  const std::size_t qs = row_stride(in.qk_stride, H * Dk), vs = row_stride(in.v_stride, H * Dv);
  const std::size_t gs = row_stride(in.gate_stride, H);
  const float scale = 1.f / std::sqrt(static_cast<float>(Dk));
  parallel_for(static_cast<std::int64_t>(H), [&](std::int64_t hi) {
    const std::size_t h = static_cast<std::size_t>(hi);
    std::vector<float> C(Dk * Dv, 0.f), n(Dk, 0.f), q(Dk);
    float m = 0.f;
    for (std::size_t t = 0; t < T; ++t) {
      const float fx = in.f[t * gs + h], ix = in.i[t * gs + h];
      const float lf = std::min(fx, 0.f) - std::log1p(std::exp(-std::fabs(fx)));  // logsigmoid
      const float m_new = std::max(lf + m, ix);
      const float a = std::exp(lf + m - m_new), b = std::exp(ix - m_new);
      const float* k = in.k + t * qs + h * Dk;
      const float* v = in.v + t * vs + h * Dv;
      for (std::size_t j = 0; j < Dk; ++j) q[j] = in.q[t * qs + h * Dk + j] * scale;
      double sq = 0;
      for (std::size_t j = 0; j < Dk; ++j) {
        for (std::size_t c = 0; c < Dv; ++c) {
          float& x = C[j * Dv + c];
          x = a * x + b * (k[j] * v[c]);
          sq += static_cast<double>(x) * x;
        }
        n[j] = a * n[j] + b * k[j];
      }
      float qn = 0.f;
      for (std::size_t j = 0; j < Dk; ++j) qn += q[j] * n[j];
      const float denom = std::max(std::fabs(qn), std::exp(-m_new)) + in.eps;
      float* out = y + t * H * Dv + h * Dv;
      for (std::size_t c = 0; c < Dv; ++c) {
        float num = 0.f;
        for (std::size_t j = 0; j < Dk; ++j) num += q[j] * C[j * Dv + c];
        out[c] = num / denom;
      }
      m = m_new;
      if (state_norms) state_norms[t * H + h] = static_cast<float>(std::sqrt(sq));
    }
  });
}

}  // namespace hl::cpu
