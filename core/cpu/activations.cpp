#include "core/cpu/activations.h"

#include <cmath>

#include "core/cpu/parallel.h"

namespace hl::cpu {

float act_apply(Activation a, float x) {
  switch (a) {
    case Activation::Identity:
      return x;
    case Activation::SiLU:
      return x / (1.0f + std::exp(-x));
    case Activation::GELU:
      return 0.5f * x * (1.0f + std::erf(x * 0.70710678118654752f));
    case Activation::GELUTanh: {
      constexpr float kAlpha = 0.79788456080286536f;  // sqrt(2/pi)
      return 0.5f * x * (1.0f + std::tanh(kAlpha * (x + 0.044715f * x * x * x)));
    }
    case Activation::ReLU:
      return x > 0.f ? x : 0.f;
    case Activation::ReLU2: {
      const float r = x > 0.f ? x : 0.f;
      return r * r;
    }
    case Activation::Sigmoid:
      return 1.0f / (1.0f + std::exp(-x));
    case Activation::Tanh:
      return std::tanh(x);
  }
  return x;
}

void activation(Activation a, const float* x, std::size_t x_ts, float* y, std::size_t y_ts, std::size_t T,
                std::size_t n) {
  parallel_for(static_cast<std::int64_t>(T), [&](std::int64_t t) {
    const float* xr = x + static_cast<std::size_t>(t) * x_ts;
    float* yr = y + static_cast<std::size_t>(t) * y_ts;
    for (std::size_t c = 0; c < n; ++c) yr[c] = act_apply(a, xr[c]);
  });
}

void gated_activation(Activation a, const float* gate, std::size_t gate_ts, const float* up, std::size_t up_ts,
                      float* y, std::size_t y_ts, std::size_t T, std::size_t n) {
  parallel_for(static_cast<std::int64_t>(T), [&](std::int64_t t) {
    const float* g = gate + static_cast<std::size_t>(t) * gate_ts;
    const float* u = up + static_cast<std::size_t>(t) * up_ts;
    float* yr = y + static_cast<std::size_t>(t) * y_ts;
    for (std::size_t c = 0; c < n; ++c) yr[c] = act_apply(a, g[c]) * u[c];
  });
}

}  // namespace hl::cpu
