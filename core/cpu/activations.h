#pragma once
// Elementwise activations and gated products (the MLP / GLU middle), fp32.
// Layout: rows of n elements; row strides in elements (x_ts, gate_ts, up_ts, y_ts); y may alias x / gate / up
// exactly (in place).
//   silu(x)      = x * sigmoid(x)                          (HF "silu" / "swish")
//   gelu(x)      = 0.5 x (1 + erf(x / sqrt 2))             (HF "gelu", exact)
//   gelu_tanh(x) = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))   (HF "gelu_pytorch_tanh", "gelu_new")
//   relu2(x)     = relu(x)^2                               (Nemotron-H "relu2")
//   relu, sigmoid, tanh (soft caps), identity
#include <cstddef>
#include <optional>
#include <string>

namespace hl::cpu {

enum class Act { identity, silu, gelu, gelu_tanh, relu, relu2, sigmoid, tanh };

// HF `hidden_act` names: silu/swish, gelu, gelu_pytorch_tanh/gelu_new/gelu_fast(tanh approx), relu, relu2, sigmoid.
std::optional<Act> act_from_string(const std::string& name);

float act_apply(Act a, float x);

// y[t, c] = act(x[t, c])
void activation(Act a, const float* x, std::size_t x_ts, float* y, std::size_t y_ts, std::size_t T, std::size_t n);

// y[t, c] = act(gate[t, c]) * up[t, c]   (SwiGLU / GeGLU; fused gate_up projections pass two strided views)
void gated_activation(Act a, const float* gate, std::size_t gate_ts, const float* up, std::size_t up_ts, float* y,
                      std::size_t y_ts, std::size_t T, std::size_t n);

}  // namespace hl::cpu
