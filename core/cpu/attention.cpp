#include "core/cpu/attention.h"

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/cpu/parallel.h"

namespace hl::cpu {

namespace {

// A query block's score tile (one per thread) holds rows × (visible keys) floats; 4M floats (16 MiB) bounds it for
// long texts (rows never below 16).
constexpr std::size_t kTileFloats = std::size_t{4} << 20;
constexpr std::size_t kMaxRows = 64;

// Masks, scales, caps and softmaxes one score row in place; keys [j0, j0 + n) of query i.
void softmax_row(float* row, std::size_t n, std::size_t i, std::size_t j0, float scale, std::int64_t window,
                 float softcap) {
  const float neg_inf = -std::numeric_limits<float>::infinity();
  float mx = neg_inf;
  for (std::size_t b = 0; b < n; ++b) {
    const std::size_t j = j0 + b;
    const bool visible = j <= i && (window <= 0 || i - j < static_cast<std::size_t>(window));
    float x = row[b] * scale;
    if (softcap > 0.f) x = softcap * std::tanh(x / softcap);
    row[b] = visible ? x : neg_inf;
    mx = std::max(mx, row[b]);
  }
  // The diagonal key is always visible, so mx is finite.
  float sum = 0.f;
  for (std::size_t b = 0; b < n; ++b) {
    const float p = row[b] == neg_inf ? 0.f : std::exp(row[b] - mx);
    row[b] = p;
    sum += p;
  }
  const float inv = 1.0f / sum;
  HL_SIMD for (std::size_t b = 0; b < n; ++b) row[b] *= inv;
}

}  // namespace

void attention_prefill(const float* q, const float* k, const float* v, float* out, const AttentionShape& s,
                       float scale, std::int64_t window, float softcap) {
  if (s.T == 0 || s.Hq == 0) return;
  const std::size_t group = s.Hq / s.Hkv;
  const std::size_t keys_max = window > 0 ? std::min(s.T, static_cast<std::size_t>(window) + kMaxRows) : s.T;
  const std::size_t rows = std::clamp<std::size_t>(kTileFloats / keys_max, 16, kMaxRows);
  const std::size_t n_blocks = (s.T + rows - 1) / rows;
  // Each (head, query block) task runs single-threaded GEMMs on our pool: handing every small GEMM to OpenBLAS's
  // threads instead alternates two pools on the same cores (measured: a sixth of the time in sched_yield).
  const SingleThreadedBlas blas_guard;
  parallel_for(
      static_cast<std::int64_t>(s.Hq * n_blocks),
      [&](std::int64_t task) {
        const std::size_t h = static_cast<std::size_t>(task) % s.Hq;
        const std::size_t i0 = (n_blocks - 1 - static_cast<std::size_t>(task) / s.Hq) * rows;  // heavy blocks first
        const std::size_t i1 = std::min(s.T, i0 + rows), nq = i1 - i0;
        const std::size_t kvh = h / group;
        // Keys any query of this block can see: [j0, i1).
        std::size_t j0 = 0;
        if (window > 0 && i0 + 1 > static_cast<std::size_t>(window)) j0 = i0 + 1 - static_cast<std::size_t>(window);
        const std::size_t nk = i1 - j0;
        thread_local std::vector<float> scores;
        if (scores.size() < nq * nk) scores.resize(nq * nk);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(nq), static_cast<int>(nk),
                    static_cast<int>(s.D), 1.0f, q + i0 * s.q_ts + h * s.q_hs, static_cast<int>(s.q_ts),
                    k + j0 * s.k_ts + kvh * s.k_hs, static_cast<int>(s.k_ts), 0.0f, scores.data(),
                    static_cast<int>(nk));
        for (std::size_t a = 0; a < nq; ++a) softmax_row(scores.data() + a * nk, nk, i0 + a, j0, scale, window, softcap);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(nq), static_cast<int>(s.Dv),
                    static_cast<int>(nk), 1.0f, scores.data(), static_cast<int>(nk), v + j0 * s.v_ts + kvh * s.v_hs,
                    static_cast<int>(s.v_ts), 0.0f, out + i0 * s.o_ts + h * s.o_hs, static_cast<int>(s.o_ts));
      },
      /*dynamic=*/true);
}

}  // namespace hl::cpu
