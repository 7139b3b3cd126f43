// Mamba2 SSD scan, sequential over time (first version: the chunked SSD of core/cpu/mamba2_ssd.cpp is the next step
// for speed; chunk_size is accepted and does not change the result beyond float rounding). CPU twin:
// core/cpu/mamba2_ssd.h (the backend's CPU path runs the chunked form; tests compare both).
// Layout: x [T, H·P] (head-major inside a token), dt [T, H] raw, B, C [T, G·N] (one token stride; head h reads group
// h / (H/G)), A_log / D / dt_bias [H] (stored dtype); y [T, H·P] packed; state_norms [T, H].
//   dt = clamp(softplus(dt + dt_bias), dt_min, dt_max);  S[p, n] = exp(dt A) S[p, n] + dt x[p] B[n];  A = -exp(A_log)
//   y[p] = Σ_n S[p, n] C[n] + D x[p]
// One warp per (head, state row p), lanes over n; a block holds kScanWarps rows of one head (grid: row groups × H).
#include "kernels/scan_common.cuh"

namespace hl::cuda {

namespace {

template <int R>
__global__ void __launch_bounds__(kScanThreads) mamba2_kernel(Mamba2ScanArgs a) {
  __shared__ float norm_buf[kScanWarps][32];
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  const std::int64_t h = blockIdx.y, p = static_cast<std::int64_t>(blockIdx.x) * kScanWarps + warp;
  const bool active = p < a.P;
  const std::int64_t pc = active ? p : 0;
  const std::int64_t g = h / (a.H / a.G);
  const float A = -expf(load_param(a.A_log, h));
  const float Dh = load_param_or(a.D, h, 0.f), bias = load_param_or(a.dt_bias, h, 0.f);
  float S[R];
#pragma unroll
  for (int r = 0; r < R; ++r) S[r] = 0.f;
  for (std::int64_t t = 0; t < a.T; ++t) {
    const float dt = fminf(fmaxf(softplus(a.dt[t * a.dt_ts + h] + bias), a.dt_min), a.dt_max);
    const float dA = expf(dt * A);
    const float x = a.x[t * a.x_ts + h * a.P + pc], xdt = x * dt;
    const float* Bt = a.B + t * a.bc_ts + g * a.N;
    const float* Ct = a.C + t * a.bc_ts + g * a.N;
    float acc = 0.f, sq = 0.f;
#pragma unroll
    for (int r = 0; r < R; ++r) {
      const std::int64_t n = lane + 32 * r;
      if (n < a.N) {
        const float s = S[r] * dA + xdt * Bt[n];
        S[r] = s;
        acc += s * Ct[n];
        sq += s * s;
      }
    }
    acc = warp_sum(acc);
    if (active && lane == 0) a.y[t * a.H * a.P + h * a.P + pc] = acc + Dh * x;
    if (a.state_norms) {
      const std::int64_t parts = gridDim.x;
      scan_norm_step(norm_buf, warp_sum(sq), t, a.T, a.norm_partials + h * parts + blockIdx.x, a.H * parts, active);
    }
  }
}

}  // namespace

void mamba2_scan(const Mamba2ScanArgs& a, cudaStream_t s) {
  if (a.T == 0 || a.H == 0 || a.P == 0) return;
  if (a.G <= 0 || a.H % a.G != 0) throw std::runtime_error("mamba2_scan: heads must be a multiple of groups");
  const std::int64_t parts = scan_norm_parts(a.P);
  const dim3 grid(grid_of(parts, "mamba2_scan"), grid_of(a.H, "mamba2_scan heads"));
  if (a.H > 65535) throw std::runtime_error("mamba2_scan: more than 65535 heads");
  with_per_lane(a.N, "mamba2_scan", [&](auto r) { mamba2_kernel<decltype(r)::value><<<grid, kScanThreads, 0, s>>>(a); });
  HL_CUDA_CHECK(cudaGetLastError());
  if (a.state_norms) finish_state_norms(a.norm_partials, a.T, a.H, parts, a.state_norms, s);
}

}  // namespace hl::cuda
