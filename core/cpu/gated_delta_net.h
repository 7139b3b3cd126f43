#pragma once
// Gated DeltaNet (Qwen3-Next "linear_attention", Olmo-Hybrid) core recurrence: the part of the HF mixer done by
// torch_chunk_gated_delta_rule / torch_recurrent_gated_delta_rule (use_qk_l2norm_in_kernel=True), plus the gate math.
//
// Layout (row-major, token-major; every [T, ...] input has a token stride, 0 = packed):
//   q, k [T, Hk, Dk]  conv+SiLU output (NOT yet l2-normalised: l2norm is applied here when l2norm_qk)   qk_stride
//   v    [T, Hv, Dv]                                                                                     v_stride
//   b    [T, Hv]      gates_raw: raw b_proj/in_proj_ba logits -> beta = sigmoid(b) * beta_scale
//                     else:      beta itself (used as is)                                                 ab_stride
//   a    [T, Hv]      gates_raw: raw a logits -> g = -exp(A_log) * softplus(a + dt_bias)
//                     else:      g itself (log-decay, <= 0)                                               ab_stride
//   A_log, dt_bias [Hv]  (used only when gates_raw; dt_bias may be nullptr)
//   initial_state [Hv, Dk, Dv] or nullptr (zeros)
//   y (ScanOutputs::y) [T, Hv, Dv] packed; state_norms [T, Hv]: ||S_t[h]||_F of value head h's [Dk, Dv] state after
//   token t; final_state [Hv, Dk, Dv].
// Head map: value head h reads key head h / (Hv/Hk) (HF repeat_interleave, both qwen3_next and olmo_hybrid);
// GdnHeadMap::Tile (h % Hk) is the Qwen3.5 broadcast noted for llama.cpp, kept for completeness.
// Math per value head (fp32):  q = l2norm(q) * q_scale, k = l2norm(k)   (l2norm(x) = x * rsqrt(sum x^2 + 1e-6))
//   S = S * exp(g_t);  delta = beta_t * (v_t - S^T k_t);  S = S + k_t (outer) delta;  o_t = S^T q_t
#include <cstddef>

#include "core/cpu/scan_common.h"

namespace hl::cpu {

enum class GdnHeadMap { Interleave, Tile };

struct GdnDims {
  std::size_t T = 0, Hk = 0, Hv = 0, Dk = 0, Dv = 0;
};

struct GdnInputs {
  const float* q = nullptr;
  const float* k = nullptr;
  const float* v = nullptr;
  const float* b = nullptr;
  const float* a = nullptr;
  const float* A_log = nullptr;
  const float* dt_bias = nullptr;
  const float* initial_state = nullptr;
  bool gates_raw = true;
  float beta_scale = 1.f;   // 2.0 for Olmo-Hybrid linear_allow_neg_eigval
  bool l2norm_qk = true;    // use_qk_l2norm_in_kernel
  float l2norm_eps = 1e-6f;
  float q_scale = 0.f;      // 0 = 1/sqrt(Dk)
  GdnHeadMap head_map = GdnHeadMap::Interleave;
  std::size_t qk_stride = 0, v_stride = 0, ab_stride = 0;
};

// Token-by-token reference (torch_recurrent_gated_delta_rule). Throws std::invalid_argument unless Hv % Hk == 0.
void gated_delta_net_sequential(const GdnDims& d, const GdnInputs& in, const ScanOutputs& out);

// Chunked WY/UT form (torch_chunk_gated_delta_rule), chunk 64 as HF; any T.
void gated_delta_net_chunked(const GdnDims& d, const GdnInputs& in, const ScanOutputs& out,
                             std::size_t chunk_size = 64);

// The gate math alone (what the kernels do with gates_raw): beta [T, Hv], g [T, Hv], packed.
void gdn_gates(const GdnDims& d, const GdnInputs& in, float* beta, float* g);

}  // namespace hl::cpu
