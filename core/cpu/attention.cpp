#include "core/cpu/attention.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/cpu/parallel.h"

namespace hl::cpu {

namespace {
constexpr std::size_t kBlockQ = 16;
constexpr std::size_t kBlockK = 64;

}  // namespace

void attention_prefill(const float* q, const float* k, const float* v, float* out, const AttentionShape& s,
                       float scale, std::int64_t window, float softcap) {
  if (s.T == 0 || s.Hq == 0) return;
  const std::size_t group = s.Hq / s.Hkv;
  const std::size_t n_qb = (s.T + kBlockQ - 1) / kBlockQ;
  const float neg_inf = -std::numeric_limits<float>::infinity();
  // Heavier blocks (late queries) first helps the dynamic schedule; order does not change results.
  parallel_for(
      static_cast<std::int64_t>(s.Hq * n_qb),
      [&](std::int64_t task) {
        const std::size_t h = static_cast<std::size_t>(task) % s.Hq;
        const std::size_t qb = n_qb - 1 - static_cast<std::size_t>(task) / s.Hq;
        const std::size_t kvh = h / group;
        const std::size_t i0 = qb * kBlockQ, i1 = std::min(s.T, i0 + kBlockQ), nq = i1 - i0;
        float sc[kBlockQ * kBlockK];
        float m[kBlockQ], l[kBlockQ];
        std::vector<float> acc(nq * s.Dv, 0.f);
        std::fill(m, m + nq, neg_inf);
        std::fill(l, l + nq, 0.f);
        // Keys any query of this block can see: [j_lo, i1).
        std::size_t j_lo = 0;
        if (window > 0 && i0 + 1 > static_cast<std::size_t>(window)) j_lo = i0 + 1 - static_cast<std::size_t>(window);
        thread_local std::vector<float> kt;  // K block transposed to [D][kBlockK]: score loops run over keys
        if (kt.size() < s.D * kBlockK) kt.resize(s.D * kBlockK);
        for (std::size_t j0 = j_lo; j0 < i1; j0 += kBlockK) {
          const std::size_t j1 = std::min(i1, j0 + kBlockK), nk = j1 - j0;
          for (std::size_t b = 0; b < nk; ++b) {
            const float* kj = k + (j0 + b) * s.k_ts + kvh * s.k_hs;
            for (std::size_t e = 0; e < s.D; ++e) kt[e * kBlockK + b] = kj[e];
          }
          for (std::size_t a = 0; a < nq; ++a) {
            const std::size_t i = i0 + a;
            const float* qi = q + i * s.q_ts + h * s.q_hs;
            float* row = sc + a * kBlockK;
            float mx = neg_inf;
            std::fill(row, row + nk, 0.f);
            for (std::size_t e = 0; e < s.D; ++e) {
              const float qe = qi[e];
              const float* ke = kt.data() + e * kBlockK;
              HL_SIMD for (std::size_t b = 0; b < nk; ++b) row[b] += qe * ke[b];
            }
            for (std::size_t b = 0; b < nk; ++b) {
              const std::size_t j = j0 + b;
              const bool visible = j <= i && (window <= 0 || i - j < static_cast<std::size_t>(window));
              if (!visible) {
                row[b] = neg_inf;
                continue;
              }
              float x = row[b] * scale;
              if (softcap > 0.f) x = softcap * std::tanh(x / softcap);
              row[b] = x;
              mx = std::max(mx, x);
            }
            if (mx == neg_inf) continue;  // nothing visible for this query in this key block
            const float m_new = std::max(m[a], mx);
            const float corr = std::exp(m[a] - m_new);  // exp(-inf) = 0 on the first visible block
            float* acc_a = acc.data() + a * s.Dv;
            if (corr != 1.0f) {
              HL_SIMD for (std::size_t d = 0; d < s.Dv; ++d) acc_a[d] *= corr;
            }
            float lsum = 0.f;
            for (std::size_t b = 0; b < nk; ++b) {
              if (row[b] == neg_inf) continue;
              const float p = std::exp(row[b] - m_new);
              lsum += p;
              const float* vj = v + (j0 + b) * s.v_ts + kvh * s.v_hs;
              HL_SIMD for (std::size_t d = 0; d < s.Dv; ++d) acc_a[d] += p * vj[d];
            }
            l[a] = l[a] * corr + lsum;
            m[a] = m_new;
          }
        }
        for (std::size_t a = 0; a < nq; ++a) {
          float* o = out + (i0 + a) * s.o_ts + h * s.o_hs;
          const float inv = 1.0f / l[a];
          for (std::size_t d = 0; d < s.Dv; ++d) o[d] = acc[a * s.Dv + d] * inv;
        }
      },
      /*dynamic=*/true);
}

}  // namespace hl::cpu
