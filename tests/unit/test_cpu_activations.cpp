#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/cpu/activations.h"
#include "core/cpu/embedding.h"
#include "core/cpu/half.h"
#include "support/random.h"

using namespace hl::cpu;
using hl::Activation;

namespace {
double ref_act(Activation a, double x) {
  switch (a) {
    case Activation::Identity:
      return x;
    case Activation::SiLU:
      return x / (1 + std::exp(-x));
    case Activation::GELU:
      return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0)));
    case Activation::GELUTanh:
      return 0.5 * x * (1 + std::tanh(std::sqrt(2 / 3.14159265358979323846) * (x + 0.044715 * x * x * x)));
    case Activation::ReLU:
      return x > 0 ? x : 0;
    case Activation::ReLU2:
      return x > 0 ? x * x : 0;
    case Activation::Sigmoid:
      return 1 / (1 + std::exp(-x));
    case Activation::Tanh:
      return std::tanh(x);
  }
  return 0;
}
}  // namespace

TEST_CASE("activations match their double-precision definitions, plain and gated", "[cpu][act]") {
  const std::size_t T = 3, n = 41, ld = 45;
  const auto x = hl::test::random_floats(T * ld, 51, -6.f, 6.f);
  const auto up = hl::test::random_floats(T * ld, 52, -2.f, 2.f);
  for (Activation a : {Activation::Identity, Activation::SiLU, Activation::GELU, Activation::GELUTanh, Activation::ReLU,
                       Activation::ReLU2, Activation::Sigmoid, Activation::Tanh}) {
    std::vector<float> y(T * n), g(T * n);
    activation(a, x.data(), ld, y.data(), n, T, n);
    gated_activation(a, x.data(), ld, up.data(), ld, g.data(), n, T, n);
    for (std::size_t t = 0; t < T; ++t)
      for (std::size_t c = 0; c < n; ++c) {
        const double r = ref_act(a, x[t * ld + c]);
        REQUIRE(y[t * n + c] == Approx(r).margin(1e-6).epsilon(1e-6));
        REQUIRE(g[t * n + c] == Approx(r * up[t * ld + c]).margin(1e-6).epsilon(1e-6));
      }
  }
  CHECK(hl::activation_from_hf_name("gelu_pytorch_tanh") == Activation::GELUTanh);
  CHECK(hl::activation_from_hf_name("swish") == Activation::SiLU);
  CHECK(hl::activation_from_hf_name("relu2") == Activation::ReLU2);
  CHECK_FALSE(hl::activation_from_hf_name("mish").has_value());
  // large |x| stays finite
  CHECK(act_apply(Activation::SiLU, -100.f) == Approx(0.0).margin(1e-30));
  CHECK(act_apply(Activation::SiLU, 100.f) == 100.f);
}

TEST_CASE("activation in place", "[cpu][act]") {
  std::vector<float> x = {-1.f, 0.f, 2.f};
  activation(Activation::ReLU2, x.data(), 3, x.data(), 3, 1, 3);
  CHECK(x == std::vector<float>{0.f, 0.f, 4.f});
}

TEST_CASE("embedding gather from bf16 / f16 / f32 tables with a multiplier; residual add", "[cpu][embedding]") {
  const std::size_t V = 7, H = 5;
  const auto tf = hl::test::random_floats(V * H, 61);
  std::vector<std::uint16_t> tb(V * H), th(V * H);
  for (std::size_t i = 0; i < V * H; ++i) {
    tb[i] = f32_to_bf16(tf[i]);
    th[i] = f32_to_f16(tf[i]);
  }
  const std::vector<std::int32_t> ids = {6, 0, 3, 3};
  std::vector<float> out(ids.size() * (H + 1), -1.f);
  embedding_gather(tb.data(), WType::bf16, V, H, ids.data(), ids.size(), 12.0f, out.data(), H + 1);
  for (std::size_t t = 0; t < ids.size(); ++t) {
    for (std::size_t c = 0; c < H; ++c) REQUIRE(out[t * (H + 1) + c] == bf16_to_f32(tb[ids[t] * H + c]) * 12.0f);
    REQUIRE(out[t * (H + 1) + H] == -1.f);
  }
  embedding_gather(th.data(), WType::f16, V, H, ids.data(), ids.size(), 1.0f, out.data(), H);
  for (std::size_t t = 0; t < ids.size(); ++t)
    for (std::size_t c = 0; c < H; ++c) REQUIRE(out[t * H + c] == f16_to_f32(th[ids[t] * H + c]));
  embedding_gather(tf.data(), WType::f32, V, H, ids.data(), ids.size(), 1.0f, out.data(), H);
  for (std::size_t t = 0; t < ids.size(); ++t)
    for (std::size_t c = 0; c < H; ++c) REQUIRE(out[t * H + c] == tf[ids[t] * H + c]);

  std::vector<float> h = {1.f, 2.f, 3.f, 4.f};
  const std::vector<float> r = {10.f, 20.f, 0.f, 30.f, 40.f, 0.f};
  residual_add(h.data(), 2, r.data(), 3, 2, 2, 0.5f);
  CHECK(h == std::vector<float>{6.f, 12.f, 18.f, 24.f});
  scale_rows(h.data(), 2, 2, 2, 2.f);
  CHECK(h == std::vector<float>{12.f, 24.f, 36.f, 48.f});
}
