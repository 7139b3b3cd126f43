#pragma once
// Mamba1 selective scan (Mamba / Jamba mixers), the part done by HF mamba_selective_scan (slow path of MambaMixer):
//
// Layout (row-major, token-major; token strides, 0 = packed):
//   u     [T, D]   conv+SiLU output                                           u_stride
//   delta [T, D]   dt_proj(dt_r) WITHOUT its bias (delta_bias added here), raw (softplus applied here when
//                  delta_softplus; pass delta_softplus=false and delta_bias=nullptr for an already-final dt)  delta_stride
//   delta_bias [D] or nullptr (dt_proj.bias)
//   A     [D, N]   = -exp(A_log), fp32
//   B, C  [T, N]   from x_proj (B at column dt_rank, C at dt_rank+N: pass pointers + bc_stride = dt_rank+2N)
//   Dskip [D] or nullptr; z [T, D] gate or nullptr (z_stride)
//   y     [T, D] packed:  y = (sum_n h_t[d,n] C_t[n] + Dskip[d] u_t[d]) * silu(z_t[d])
//   state_norms [T, 1]: ONE "head" = the whole [D, N] state, ||h_t||_F after token t
//   final_state [D, N]; initial_state [D, N] or nullptr (zeros)
// h_t[d,n] = exp(dt_t[d] A[d,n]) h_{t-1}[d,n] + dt_t[d] B_t[n] u_t[d],  dt = softplus(delta + delta_bias).
#include <cstddef>

#include "core/cpu/scan_common.h"

namespace hl::cpu {

struct Mamba1Dims {
  std::size_t T = 0, D = 0, N = 0;
};

struct Mamba1Inputs {
  const float* u = nullptr;
  const float* delta = nullptr;
  const float* delta_bias = nullptr;
  bool delta_softplus = true;
  const float* A = nullptr;
  const float* B = nullptr;
  const float* C = nullptr;
  const float* Dskip = nullptr;
  const float* z = nullptr;
  const float* initial_state = nullptr;
  std::size_t u_stride = 0, delta_stride = 0, bc_stride = 0, z_stride = 0;
};

void mamba1_scan(const Mamba1Dims& d, const Mamba1Inputs& in, const ScanOutputs& out);

}  // namespace hl::cpu
