// MiniMax lightning attention. Layout and equations: see lightning_attention.h. Heads are independent and run in
// parallel; within a head the blocks run in order (KV carries between them).
#include "core/cpu/lightning_attention.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/cpu/parallel.h"

namespace hl::cpu {

namespace {

void one_head(const LightningDims& d, const LightningInputs& in, std::size_t h, float* y) {
  const std::size_t D = d.D, B = d.B, ts = in.token_stride;
  const float* q = in.q + h * in.head_stride;
  const float* k = in.k + h * in.head_stride;
  const float* v = in.v + h * in.head_stride;
  const float* qd = in.query_decay + h * B;
  const float* kd = in.key_decay + h * B;
  const float* dd = in.diagonal_decay + h * B * B;
  std::vector<float> kv(D * D, 0.f), scores(B), intra(D), inter(D);
  for (std::size_t t0 = 0; t0 < d.T; t0 += B) {
    const std::size_t cb = std::min(B, d.T - t0);
    for (std::size_t i = 0; i < cb; ++i) {
      const float* qi = q + (t0 + i) * ts;
      for (std::size_t j = 0; j <= i; ++j) {
        const float* kj = k + (t0 + j) * ts;
        float s = 0.f;
        for (std::size_t m = 0; m < D; ++m) s += qi[m] * kj[m];
        scores[j] = s * dd[i * B + j];
      }
      std::fill(intra.begin(), intra.end(), 0.f);
      for (std::size_t j = 0; j <= i; ++j) {
        const float* vj = v + (t0 + j) * ts;
        for (std::size_t c = 0; c < D; ++c) intra[c] += scores[j] * vj[c];
      }
      std::fill(inter.begin(), inter.end(), 0.f);
      for (std::size_t m = 0; m < D; ++m) {
        const float qm = qi[m] * qd[i];
        const float* row = kv.data() + m * D;
        for (std::size_t c = 0; c < D; ++c) inter[c] += qm * row[c];
      }
      float* out = y + (t0 + i) * d.H * D + h * D;
      for (std::size_t c = 0; c < D; ++c) out[c] = inter[c] + intra[c];
    }
    const float block_decay = std::exp(-in.slope[h] * static_cast<float>(cb));
    for (float& x : kv) x *= block_decay;
    for (std::size_t j = 0; j < cb; ++j) {
      const float* kj = k + (t0 + j) * ts;
      const float* vj = v + (t0 + j) * ts;
      const float decay = kd[B - cb + j];
      for (std::size_t m = 0; m < D; ++m) {
        const float km = kj[m] * decay;
        float* row = kv.data() + m * D;
        for (std::size_t c = 0; c < D; ++c) row[c] += km * vj[c];
      }
    }
  }
}

void one_head_state_norms(const LightningDims& d, const LightningInputs& in, std::size_t h, float* state_norms) {
  const std::size_t D = d.D, ts = in.token_stride;
  const float ratio = std::exp(-in.slope[h]);
  std::vector<float> s(D * D, 0.f);
  for (std::size_t t = 0; t < d.T; ++t) {
    const float* kt = in.k + h * in.head_stride + t * ts;
    const float* vt = in.v + h * in.head_stride + t * ts;
    double sq = 0;
    for (std::size_t m = 0; m < D; ++m)
      for (std::size_t c = 0; c < D; ++c) {
        float& x = s[m * D + c];
        x = ratio * x + kt[m] * vt[c];
        sq += static_cast<double>(x) * x;
      }
    state_norms[t * d.H + h] = static_cast<float>(std::sqrt(sq));
  }
}

}  // namespace

void lightning_attention(const LightningDims& d, const LightningInputs& in, float* y, float* state_norms) {
  parallel_for(static_cast<std::int64_t>(d.H), [&](std::int64_t h) {
    one_head(d, in, static_cast<std::size_t>(h), y);
    if (state_norms) one_head_state_norms(d, in, static_cast<std::size_t>(h), state_norms);
  });
}

}  // namespace hl::cpu
