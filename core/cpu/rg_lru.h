#pragma once
// Griffin's RG-LRU recurrence (HF RecurrentGemmaRglru.forward + _rnn_scan, fp32, a sequence that starts at token 0),
// per channel c, from the gate logits (the block-diagonal projections, biases included):
//   i_t = σ(gi_t),  log a_t = −8 · σ(ga_t) · softplus(recurrent_param),  a_t = e^{log a_t}
//   h_t = a_t · h_{t−1} + x_t · i_t · m_t,   m_0 = 1 (the reset at position 0),  m_t = sqrt(1 − e^{2 log a_t})
//   y_t = h_t (the output IS the state, so its norms are the state norms)
// Layout (token-major; token strides, 0 = packed): x, gi, ga [T, W] (x_stride, gate_stride), recurrent_param [W] fp32,
// y [T, W] packed.
#include <cstddef>

namespace hl::cpu {

struct RgLruInputs {
  const float* x = nullptr;
  const float* input_gate = nullptr;
  const float* recurrent_gate = nullptr;
  const float* recurrent_param = nullptr;
  std::size_t x_stride = 0, gate_stride = 0;
};

void rg_lru_scan(const RgLruInputs& in, float* y, std::size_t T, std::size_t W);

}  // namespace hl::cpu
