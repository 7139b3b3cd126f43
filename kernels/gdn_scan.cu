// Gated DeltaNet scan (use_qk_l2norm_in_kernel), sequential over time (first version: the chunked WY form of
// core/cpu/gated_delta_net.cpp is the next step for speed). CPU twin: core/cpu/gated_delta_net.h.
// Layout: q, k [T, Hk·Dk] (one token stride), v [T, Hv·Dv], b, a [T, Hv] raw gate logits (one token stride),
// A_log / dt_bias [Hv] (stored dtype); y [T, Hv·Dv] packed; state_norms [T, Hv]. Value head h reads key head
// h / (Hv/Hk).
//   q = l2norm(q) / sqrt(Dk), k = l2norm(k)   (l2norm(x) = x / sqrt(Σ x² + eps))
//   beta = beta_scale · sigmoid(b),  g = -exp(A_log) · softplus(a + dt_bias)
//   S = S · exp(g);  delta = beta (v - Sᵀ k);  S += k ⊗ delta;  o = Sᵀ q          S: [Dk, Dv]
// Column j of S only needs column j (and the shared k, q), so one warp per (value head, column j), lanes over the
// Dk rows. Every warp normalises its head's q and k itself (two shuffles) instead of a separate pass.
#include "kernels/scan_common.cuh"

namespace hl::cuda {

namespace {

template <int R>
__global__ void __launch_bounds__(kScanThreads) gdn_kernel(GdnScanArgs a) {
  __shared__ float norm_buf[kScanWarps][32];
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  const std::int64_t h = blockIdx.y, j = static_cast<std::int64_t>(blockIdx.x) * kScanWarps + warp;
  const bool active = j < a.Dv;
  const std::int64_t jc = active ? j : 0;
  const std::int64_t kh = h / (a.Hv / a.Hk);
  const float neg_A = -expf(load_param(a.A_log, h)), bias = load_param_or(a.dt_bias, h, 0.f);
  const float q_scale = 1.f / sqrtf(static_cast<float>(a.Dk));
  float S[R];
#pragma unroll
  for (int r = 0; r < R; ++r) S[r] = 0.f;
  for (std::int64_t t = 0; t < a.T; ++t) {
    const float* qrow = a.q + t * a.qk_ts + kh * a.Dk;
    const float* krow = a.k + t * a.qk_ts + kh * a.Dk;
    float q[R], k[R], qq = 0.f, kk = 0.f;
#pragma unroll
    for (int r = 0; r < R; ++r) {
      const std::int64_t i = lane + 32 * r;
      q[r] = i < a.Dk ? qrow[i] : 0.f;
      k[r] = i < a.Dk ? krow[i] : 0.f;
      qq += q[r] * q[r];
      kk += k[r] * k[r];
    }
    const float fq = q_scale / sqrtf(warp_sum(qq) + a.l2norm_eps), fk = 1.f / sqrtf(warp_sum(kk) + a.l2norm_eps);
    const float beta = sigmoidf_(a.b[t * a.ab_ts + h]) * a.beta_scale;
    const float decay = expf(neg_A * softplus(a.a[t * a.ab_ts + h] + bias));
    float ks = 0.f;
#pragma unroll
    for (int r = 0; r < R; ++r) {
      q[r] *= fq;
      k[r] *= fk;
      S[r] *= decay;
      ks += S[r] * k[r];
    }
    const float delta = (a.v[t * a.v_ts + h * a.Dv + jc] - warp_sum(ks)) * beta;
    float o = 0.f, sq = 0.f;
#pragma unroll
    for (int r = 0; r < R; ++r) {
      S[r] += k[r] * delta;
      o += S[r] * q[r];
      sq += S[r] * S[r];
    }
    o = warp_sum(o);
    if (active && lane == 0) a.y[(t * a.Hv + h) * a.Dv + jc] = o;
    if (a.state_norms) {
      const std::int64_t parts = gridDim.x;
      scan_norm_step(norm_buf, warp_sum(sq), t, a.T, a.norm_partials + h * parts + blockIdx.x, a.Hv * parts, active);
    }
  }
}

}  // namespace

void gdn_scan(const GdnScanArgs& a, cudaStream_t s) {
  if (a.T == 0 || a.Hv == 0 || a.Dv == 0) return;
  if (a.Hk <= 0 || a.Hv % a.Hk != 0) throw std::runtime_error("gdn_scan: value heads must be a multiple of key heads");
  if (a.Hv > 65535) throw std::runtime_error("gdn_scan: more than 65535 value heads");
  const std::int64_t parts = scan_norm_parts(a.Dv);
  const dim3 grid(grid_of(parts, "gdn_scan"), grid_of(a.Hv, "gdn_scan heads"));
  with_per_lane(a.Dk, "gdn_scan", [&](auto r) { gdn_kernel<decltype(r)::value><<<grid, kScanThreads, 0, s>>>(a); });
  HL_CUDA_CHECK(cudaGetLastError());
  if (a.state_norms) finish_state_norms(a.norm_partials, a.T, a.Hv, parts, a.state_norms, s);
}

}  // namespace hl::cuda
