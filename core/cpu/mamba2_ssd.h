#pragma once
// Mamba2 SSD scan (the state-space part of Mamba2 / Bamba / Granite-4.0-H / Nemotron-H / Zamba2 / Falcon-H1 mixers).
//
// Layout (row-major, token-major; every [T, ...] input has a token stride so it can be a view into a fused buffer):
//   x  [T, H, P]   conv+SiLU output, head-major inside a token          stride x_stride  (0 = H*P)
//   dt [T, H]      RAW dt from in_proj (dt_bias, softplus, clamp are applied here)  stride dt_stride (0 = H)
//   A  [H]         = -exp(A_log), fp32
//   B  [T, G, N]   stride bc_stride (0 = G*N)   head h reads group h / (H/G)  (HF repeat_interleave)
//   C  [T, G, N]   same stride as B
//   D  [H]         skip (nullptr = none);  dt_bias [H] (nullptr = none);  initial_state [H, P, N] (nullptr = zeros)
//   y  [T, H, P]   packed output: y = SSM(x) + D*x  (gate/norm are NOT applied here; see RMSNormGated)
//   state_norms [T, H]: ||S_t[h]||_F (state of head h, shape [P, N], after consuming token t); nullptr = skip
//   final_state [H, P, N]: state after the last token; nullptr = skip
// Math (HF mamba2_chunk_scan / mamba_ssm ssd_combined):
//   dt = clamp(softplus(dt + dt_bias), dt_min, dt_max)     (softplus only when dt_softplus; clamp AFTER softplus)
//   S_t[h] = exp(dt*A[h]) S_{t-1}[h] + dt * x_t[h] (outer) B_t[g]          S: [P, N]
//   y_t[h] = S_t[h] C_t[g] + D[h] x_t[h]
// All compute in float32 (norm reductions in double).
#include <cstddef>
#include <limits>

#include "core/cpu/scan_common.h"

namespace hl::cpu {

struct Mamba2Dims {
  std::size_t T = 0, H = 0, P = 0, N = 0, G = 1;
};

struct Mamba2Inputs {
  const float* x = nullptr;
  const float* dt = nullptr;
  const float* A = nullptr;
  const float* B = nullptr;
  const float* C = nullptr;
  const float* D = nullptr;
  const float* dt_bias = nullptr;
  const float* initial_state = nullptr;
  bool dt_softplus = true;
  float dt_min = 0.f;  // time_step_limit[0]
  float dt_max = std::numeric_limits<float>::infinity();  // time_step_limit[1]
  std::size_t x_stride = 0, dt_stride = 0, bc_stride = 0;
};

// Token-by-token reference: O(T*H*P*N), state [H, P, N]. Throws std::invalid_argument unless H % G == 0.
void mamba2_ssd_sequential(const Mamba2Dims& d, const Mamba2Inputs& in, const ScanOutputs& out);

// Chunked SSD (intra-chunk quadratic form + inter-chunk state passing, BLAS for the chunk matmuls).
// Agrees with the sequential form to float rounding for any T (the last chunk may be partial).
void mamba2_ssd_chunked(const Mamba2Dims& d, const Mamba2Inputs& in, const ScanOutputs& out,
                        std::size_t chunk_size = 256);

}  // namespace hl::cpu
