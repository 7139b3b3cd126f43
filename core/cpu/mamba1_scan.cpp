// Mamba1 selective scan, sequential over time, channel-outer. Layout: see mamba1_scan.h.
#include "core/cpu/mamba1_scan.h"

#include <cmath>
#include <cstring>
#include <vector>

namespace hl::cpu {

void mamba1_scan(const Mamba1Dims& d, const Mamba1Inputs& in, const ScanOutputs& out) {
  const std::size_t D = d.D, N = d.N, T = d.T;
  const std::size_t us = row_stride(in.u_stride, D), ds = row_stride(in.delta_stride, D);
  const std::size_t bcs = row_stride(in.bc_stride, N), zs = row_stride(in.z_stride, D);
  std::vector<double> n2(out.state_norms ? T : 0, 0.0);
  std::vector<float> h(N);
  // Channels are independent: keep one channel's N states hot while walking the sequence.
  for (std::size_t c = 0; c < D; ++c) {
    if (in.initial_state)
      std::memcpy(h.data(), in.initial_state + c * N, N * sizeof(float));
    else
      std::fill(h.begin(), h.end(), 0.f);
    const float* Ac = in.A + c * N;
    const float Dc = in.Dskip ? in.Dskip[c] : 0.f;
    const float bias = in.delta_bias ? in.delta_bias[c] : 0.f;
    for (std::size_t t = 0; t < T; ++t) {
      float dt = in.delta[t * ds + c] + bias;
      if (in.delta_softplus) dt = softplus(dt);
      const float ut = in.u[t * us + c];
      const float du = dt * ut;
      const float* Bt = in.B + t * bcs;
      const float* Ct = in.C + t * bcs;
      float acc = 0.f, sq = 0.f;
      for (std::size_t n = 0; n < N; ++n) {
        const float s = std::exp(dt * Ac[n]) * h[n] + du * Bt[n];
        h[n] = s;
        acc += s * Ct[n];
        sq += s * s;
      }
      float yv = acc + Dc * ut;
      if (in.z) yv *= silu(in.z[t * zs + c]);
      out.y[t * D + c] = yv;
      if (out.state_norms) n2[t] += sq;
    }
    if (out.final_state) std::memcpy(out.final_state + c * N, h.data(), N * sizeof(float));
  }
  if (out.state_norms)
    for (std::size_t t = 0; t < T; ++t) out.state_norms[t] = static_cast<float>(std::sqrt(n2[t]));
}

}  // namespace hl::cpu
