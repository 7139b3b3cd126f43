// Mamba1 selective scan. CPU twin: core/cpu/mamba1_scan.h (the same sequential recurrence).
// Layout: u, delta, z [T, D] (token strides), B, C [T, N] (one token stride), A_log [D, N], delta_bias / Dskip [D]
// (stored dtype); y [T, D] packed; state_norms [T, 1] (the whole [D, N] state is one "head").
//   dt = softplus(delta + delta_bias);  h[d, n] = exp(dt A[d, n]) h[d, n] + dt B[n] u[d];  A = -exp(A_log)
//   y[d] = (Σ_n h[d, n] C[n] + Dskip[d] u[d]) · silu(z[d])
// One warp per channel d (scan_common.cuh), lanes over n.
#include "kernels/scan_common.cuh"

namespace hl::cuda {

namespace {

template <int R>
__global__ void __launch_bounds__(kScanThreads) mamba1_kernel(Mamba1ScanArgs a) {
  __shared__ float norm_buf[kScanWarps][32];
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  const std::int64_t d = static_cast<std::int64_t>(blockIdx.x) * kScanWarps + warp;
  const bool active = d < a.D;
  const std::int64_t dc = active ? d : 0;  // idle warps shadow channel 0 so the block's syncs stay uniform
  float A[R], h[R];
#pragma unroll
  for (int r = 0; r < R; ++r) {
    const std::int64_t n = lane + 32 * r;
    A[r] = n < a.N ? -expf(load_param(a.A_log, dc * a.N + n)) : 0.f;
    h[r] = 0.f;
  }
  const float bias = load_param_or(a.delta_bias, dc, 0.f), Dd = load_param_or(a.Dskip, dc, 0.f);
  for (std::int64_t t = 0; t < a.T; ++t) {
    const float dt = softplus(a.delta[t * a.delta_ts + dc] + bias);
    const float ut = a.u[t * a.u_ts + dc], du = dt * ut;
    const float* Bt = a.B + t * a.bc_ts;
    const float* Ct = a.C + t * a.bc_ts;
    float acc = 0.f, sq = 0.f;
#pragma unroll
    for (int r = 0; r < R; ++r) {
      const std::int64_t n = lane + 32 * r;
      if (n < a.N) {
        const float s = expf(dt * A[r]) * h[r] + du * Bt[n];
        h[r] = s;
        acc += s * Ct[n];
        sq += s * s;
      }
    }
    acc = warp_sum(acc);
    if (active && lane == 0) {
      float yv = acc + Dd * ut;
      if (a.z) yv *= siluf_(a.z[t * a.z_ts + dc]);
      a.y[t * a.D + dc] = yv;
    }
    if (a.state_norms)
      scan_norm_step(norm_buf, warp_sum(sq), t, a.T, a.norm_partials + blockIdx.x, gridDim.x, active);
  }
}

}  // namespace

void mamba1_scan(const Mamba1ScanArgs& a, cudaStream_t s) {
  if (a.T == 0 || a.D == 0) return;
  const std::int64_t parts = scan_norm_parts(a.D);
  with_per_lane(a.N, "mamba1_scan", [&](auto r) {
    mamba1_kernel<decltype(r)::value><<<grid_of(parts, "mamba1_scan"), kScanThreads, 0, s>>>(a);
  });
  HL_CUDA_CHECK(cudaGetLastError());
  if (a.state_norms) finish_state_norms(a.norm_partials, a.T, 1, parts, a.state_norms, s);
}

}  // namespace hl::cuda
