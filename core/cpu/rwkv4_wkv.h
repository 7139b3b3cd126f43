#pragma once
// RWKV-4 WKV recurrence, exactly HF rwkv_linear_attention_cpu (fp32), per channel c with w = −exp(time_decay[c]),
// u = time_first[c], and the state kept as (num, den, p) = (a·e^−p, b·e^−p, p) so that no exponential overflows:
//   q   = max(p, u + k_t);       y_t = (e^{p−q} num + e^{u+k_t−q} v_t) / (e^{p−q} den + e^{u+k_t−q})
//   q'  = max(p + w, k_t);       num = e^{p+w−q'} num + e^{k_t−q'} v_t;  den = e^{p+w−q'} den + e^{k_t−q'};  p = q'
// starting from num = den = 0, p = −1e38 (a fresh sequence).
// Layout (token-major; token strides, 0 = packed): k [T, C] (k_stride), v [T, C] (v_stride), time_decay / time_first
// [C] fp32; y [T, C] packed. state_norms [T, 1] or nullptr: ONE "head" = the whole layer, ||num / den||_2 over the
// channels after token t (the state's value estimate a / b, free of the e^p scale; docs/recurrent.md).
#include <cstddef>

namespace hl::cpu {

struct Rwkv4Inputs {
  const float* k = nullptr;
  const float* v = nullptr;
  const float* time_decay = nullptr;
  const float* time_first = nullptr;
  std::size_t k_stride = 0, v_stride = 0;
};

void rwkv4_wkv(const Rwkv4Inputs& in, float* y, float* state_norms, std::size_t T, std::size_t C);

}  // namespace hl::cpu
