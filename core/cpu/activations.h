#pragma once
// Elementwise activations and gated products (the MLP / GLU middle), fp32; the functions are core/model/activation.h's.
// Layout: rows of n elements; row strides in elements (x_ts, gate_ts, up_ts, y_ts); y may alias x / gate / up
// exactly (in place).
#include <cstddef>

#include "core/model/activation.h"

namespace hl::cpu {

float act_apply(Activation a, float x);

// y[t, c] = act(x[t, c])
void activation(Activation a, const float* x, std::size_t x_ts, float* y, std::size_t y_ts, std::size_t T,
                std::size_t n);

// y[t, c] = act(gate[t, c]) * up[t, c]   (SwiGLU / GeGLU; fused gate_up projections pass two strided views)
void gated_activation(Activation a, const float* gate, std::size_t gate_ts, const float* up, std::size_t up_ts,
                      float* y, std::size_t y_ts, std::size_t T, std::size_t n);

}  // namespace hl::cpu
