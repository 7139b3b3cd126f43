#include "core/cpu/activations.h"

#include <cmath>

#include "core/cpu/parallel.h"

namespace hl::cpu {

std::optional<Act> act_from_string(const std::string& n) {
  if (n == "silu" || n == "swish") return Act::silu;
  if (n == "gelu") return Act::gelu;
  if (n == "gelu_pytorch_tanh" || n == "gelu_new" || n == "gelu_fast") return Act::gelu_tanh;
  if (n == "relu") return Act::relu;
  if (n == "relu2") return Act::relu2;
  if (n == "sigmoid") return Act::sigmoid;
  if (n == "identity" || n == "linear") return Act::identity;
  return std::nullopt;
}

float act_apply(Act a, float x) {
  switch (a) {
    case Act::identity: return x;
    case Act::silu: return x / (1.0f + std::exp(-x));
    case Act::gelu: return 0.5f * x * (1.0f + std::erf(x * 0.70710678118654752f));
    case Act::gelu_tanh: {
      constexpr float kAlpha = 0.79788456080286536f;  // sqrt(2/pi)
      return 0.5f * x * (1.0f + std::tanh(kAlpha * (x + 0.044715f * x * x * x)));
    }
    case Act::relu: return x > 0.f ? x : 0.f;
    case Act::relu2: {
      const float r = x > 0.f ? x : 0.f;
      return r * r;
    }
    case Act::sigmoid: return 1.0f / (1.0f + std::exp(-x));
    case Act::tanh: return std::tanh(x);
  }
  return x;
}

void activation(Act a, const float* x, std::size_t x_ts, float* y, std::size_t y_ts, std::size_t T, std::size_t n) {
  parallel_for(static_cast<std::int64_t>(T), [&](std::int64_t t) {
    const float* xr = x + static_cast<std::size_t>(t) * x_ts;
    float* yr = y + static_cast<std::size_t>(t) * y_ts;
    for (std::size_t c = 0; c < n; ++c) yr[c] = act_apply(a, xr[c]);
  });
}

void gated_activation(Act a, const float* gate, std::size_t gate_ts, const float* up, std::size_t up_ts, float* y,
                      std::size_t y_ts, std::size_t T, std::size_t n) {
  parallel_for(static_cast<std::int64_t>(T), [&](std::int64_t t) {
    const float* g = gate + static_cast<std::size_t>(t) * gate_ts;
    const float* u = up + static_cast<std::size_t>(t) * up_ts;
    float* yr = y + static_cast<std::size_t>(t) * y_ts;
    for (std::size_t c = 0; c < n; ++c) yr[c] = act_apply(a, g[c]) * u[c];
  });
}

}  // namespace hl::cpu
