#pragma once
// Normalisations (the plain RMSNorm over whole rows is in rms_norm.h, the CUDA twin's reference).
// Layout: x and y are fp32 [T, G, S]: T tokens, G groups per token, S elements per group (contiguous). Strides in
// elements: x_ts / y_ts between tokens, x_gs / y_gs between groups. x and y may alias exactly (in place).
//   - a whole-row norm is G = 1, S = width;
//   - Qwen3 / LFM2 q/k norm per head is G = heads, S = head_dim, weight of S entries shared by all heads;
//   - Mamba2's grouped gated norm is G = n_groups, S = d_inner / n_groups, weight of G*S entries.
// Weights are in their stored dtype (bf16 / f16 / f32). Statistics are accumulated in double; the scale is applied in
// fp32 in HF's order (x * rstd) * w.
#include <cstddef>

#include "core/cpu/half.h"

namespace hl::cpu {

struct GroupedRows {
  std::size_t T, G, S;
  std::size_t x_ts, x_gs, y_ts, y_gs;
  static GroupedRows contiguous(std::size_t T, std::size_t G, std::size_t S) {
    return {T, G, S, G * S, S, G * S, S};
  }
};

// y = x * rsqrt(mean(x^2 over the group) + eps) * w', w' = w or (1 + w) when zero_centered (Gemma / Qwen3-Next).
// weight_per_group: the weight has S entries reused by every group; otherwise G*S entries (one per column).
void rms_norm_groups(const float* x, float* y, const GroupedRows& g, const void* weight, WType wtype,
                     bool weight_per_group, float eps, bool zero_centered);

// LayerNorm over each group: y = (x - mean) * rsqrt(var + eps) * w + b (biased variance, as torch).
// weight / bias have S entries (bias may be nullptr; weight nullptr means 1).
void layer_norm_groups(const float* x, float* y, const GroupedRows& g, const void* weight, WType wtype,
                       const void* bias, WType btype, float eps);

// Mamba2 / Qwen3-Next gated RMSNorm (mamba_ssm rms_norm_ref): z is [T, G*S] with row stride z_ts.
//   norm_before_gate = false: y = rmsnorm(x * silu(z)) * w   (Mamba2 family)
//   norm_before_gate = true:  y = rmsnorm(x) * w * silu(z)   (Qwen3-Next, OLMo-hybrid)
// weight has G*S entries unless weight_per_group.
void rms_norm_gated(const float* x, const float* z, std::size_t z_ts, float* y, const GroupedRows& g,
                    const void* weight, WType wtype, bool weight_per_group, float eps, bool norm_before_gate);

// out[t] = sqrt(sum_c x[t, c]^2) (double accumulation); x is [T, C] with row stride ldx.
void l2_norm_rows(const float* x, std::size_t T, std::size_t C, std::size_t ldx, float* out);

}  // namespace hl::cpu
