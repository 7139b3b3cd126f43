#pragma once
// xLSTM's mLSTM cell (HF mlstm_recurrent_step_native; its chunkwise prefill is the same algebra with the same
// stabiliser), per head with memory C [Dk, Dv], normaliser n [Dk] and stabiliser m, all zero at the start:
//   lf = logsigmoid(f_t);  m' = max(lf + m, i_t);  a = exp(lf + m − m');  b = exp(i_t − m')
//   C ← a·C + b·k_t ⊗ v_t;  n ← a·n + b·k_t;  q̃ = q_t · Dk^-½
//   h_t = (q̃ᵀ C) / (max(|q̃ · n|, exp(−m')) + eps);  m ← m'
// i and f are the gate pre-activations after the caller's soft cap.
// Layout (token-major; token strides, 0 = packed): q, k [T, H·Dk] (qk_stride), v [T, H·Dv] (v_stride), i, f [T, H]
// (gate_stride); y [T, H·Dv] packed. state_norms [T, H] or nullptr: ||C_t||_F of the memory as transformers' cache
// holds it (scaled by e^{−m_t}), after token t.
#include <cstddef>

namespace hl::cpu {

struct MLstmInputs {
  const float* q = nullptr;
  const float* k = nullptr;
  const float* v = nullptr;
  const float* i = nullptr;
  const float* f = nullptr;
  std::size_t qk_stride = 0, v_stride = 0, gate_stride = 0;
  float eps = 1e-6f;
};

void mlstm(const MLstmInputs& in, float* y, float* state_norms, std::size_t T, std::size_t H, std::size_t Dk,
           std::size_t Dv);

}  // namespace hl::cpu
