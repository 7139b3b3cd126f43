#pragma once
// Kimi Delta Attention (HF recurrent_kimi_delta_attention, which its chunked prefill equals up to rounding), per head h
// with state S [D, D] (keys × values) starting at zero, from the raw gate inputs:
//   q̂ = q / sqrt(Σ q² + 1e-6) · D^-½,  k̂ = k / sqrt(Σ k² + 1e-6)             (HF l2norm: sqrt and divide)
//   g per key channel from x = f + dt_bias and r = exp(A_log[h]), by KimiDeltaGate:
//     KimiSoftplus  −r · (x > 20 ? x : log(1 + exp(x)))     (Kimi-Linear's own softplus)
//     Softplus      −r · softplus(x)                          (torch: threshold 20, log1p)
//     SafeSigmoid   lower_bound · σ(r · x)                     (Bailing kda_safe_gate)
//   β = σ(b)
//   S ← S ⊙ exp(g)[:, None];  δ = (v − Sᵀ k̂) · β;  S ← S + k̂ ⊗ δ;  o = Sᵀ q̂
// Layout (token-major; token strides, 0 = packed): q, k, v, f [T, H·D] (qkv_stride for q, k, v; f_stride), b [T, H]
// (b_stride); A_log [H], dt_bias [H·D] fp32; y [T, H·D] packed; state_norms [T, H] or nullptr: ||S_t||_F after token t.
#include <cstddef>

namespace hl::cpu {

enum class KimiDeltaGate { KimiSoftplus, Softplus, SafeSigmoid };

struct KimiDeltaInputs {
  const float* q = nullptr;
  const float* k = nullptr;
  const float* v = nullptr;
  const float* f = nullptr;
  const float* b = nullptr;
  const float* A_log = nullptr;
  const float* dt_bias = nullptr;
  std::size_t qkv_stride = 0, f_stride = 0, b_stride = 0;
  KimiDeltaGate gate = KimiDeltaGate::KimiSoftplus;
  float lower_bound = -5.f;
};

void kimi_delta_attention(const KimiDeltaInputs& in, float* y, float* state_norms, std::size_t T, std::size_t H,
                          std::size_t D);

}  // namespace hl::cpu
