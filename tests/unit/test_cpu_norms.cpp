#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/cpu/half.h"
#include "core/cpu/norms.h"
#include "support/random.h"

using namespace hl::cpu;

namespace {
double silu_d(double v) { return v / (1 + std::exp(-v)); }
}

TEST_CASE("rms_norm_groups: whole rows, plain and zero-centred, bf16 weight", "[cpu][norm]") {
  const std::size_t T = 5, C = 37;
  const auto x = hl::test::random_floats(T * C, 11, -3.f, 3.f);
  const auto wf = hl::test::random_floats(C, 12);
  std::vector<std::uint16_t> w(C);
  for (std::size_t i = 0; i < C; ++i) w[i] = f32_to_bf16(wf[i]);
  for (bool zc : {false, true}) {
    std::vector<float> y(T * C);
    rms_norm_groups(x.data(), y.data(), GroupedRows::contiguous(T, 1, C), w.data(), WType::bf16, true, 1e-6f, zc);
    for (std::size_t t = 0; t < T; ++t) {
      double ss = 0;
      for (std::size_t c = 0; c < C; ++c) ss += static_cast<double>(x[t * C + c]) * x[t * C + c];
      const double r = 1 / std::sqrt(ss / C + 1e-6);
      for (std::size_t c = 0; c < C; ++c) {
        const double wv = bf16_to_f32(w[c]) + (zc ? 1.0 : 0.0);
        REQUIRE(y[t * C + c] == Approx(x[t * C + c] * r * wv).margin(1e-6).epsilon(1e-6));
      }
    }
  }
}

TEST_CASE("rms_norm_groups: per-head q/k norm on a strided view, in place; grouped full-width weight", "[cpu][norm]") {
  // [T, H, D] heads inside rows of width 2*H*D (like Qwen3-Next's [q_h | gate_h]): head stride 2*D.
  const std::size_t T = 4, H = 3, D = 10, row = 2 * H * D;
  auto buf = hl::test::random_floats(T * row, 21, -2.f, 2.f);
  const auto orig = buf;
  const auto w = hl::test::random_floats(D, 22);
  const GroupedRows g{T, H, D, row, 2 * D, row, 2 * D};
  rms_norm_groups(buf.data(), buf.data(), g, w.data(), WType::f32, true, 1e-5f, false);
  for (std::size_t t = 0; t < T; ++t)
    for (std::size_t h = 0; h < H; ++h) {
      const float* xo = orig.data() + t * row + h * 2 * D;
      double ss = 0;
      for (std::size_t d = 0; d < D; ++d) ss += static_cast<double>(xo[d]) * xo[d];
      const double r = 1 / std::sqrt(ss / D + 1e-5);
      for (std::size_t d = 0; d < D; ++d) REQUIRE(buf[t * row + h * 2 * D + d] == Approx(xo[d] * r * w[d]).margin(1e-6));
      for (std::size_t d = D; d < 2 * D; ++d) REQUIRE(buf[t * row + h * 2 * D + d] == orig[t * row + h * 2 * D + d]);
    }
  // Mamba2-style: G groups of S with a full G*S weight.
  const std::size_t G = 4, S = 6;
  const auto x2 = hl::test::random_floats(T * G * S, 23);
  const auto w2 = hl::test::random_floats(G * S, 24);
  std::vector<float> y2(T * G * S);
  rms_norm_groups(x2.data(), y2.data(), GroupedRows::contiguous(T, G, S), w2.data(), WType::f32, false, 1e-5f, false);
  for (std::size_t t = 0; t < T; ++t)
    for (std::size_t k = 0; k < G; ++k) {
      double ss = 0;
      for (std::size_t c = 0; c < S; ++c) ss += std::pow(x2[t * G * S + k * S + c], 2);
      const double r = 1 / std::sqrt(ss / S + 1e-5);
      for (std::size_t c = 0; c < S; ++c)
        REQUIRE(y2[t * G * S + k * S + c] == Approx(x2[t * G * S + k * S + c] * r * w2[k * S + c]).margin(1e-6));
    }
}

TEST_CASE("layer_norm_groups matches torch's definition (biased variance), with and without bias", "[cpu][norm]") {
  const std::size_t T = 3, C = 29;
  const auto x = hl::test::random_floats(T * C, 31, -1.f, 5.f);
  const auto w = hl::test::random_floats(C, 32);
  const auto b = hl::test::random_floats(C, 33);
  for (bool with_bias : {false, true}) {
    std::vector<float> y(T * C);
    layer_norm_groups(x.data(), y.data(), GroupedRows::contiguous(T, 1, C), w.data(), WType::f32,
                      with_bias ? b.data() : nullptr, WType::f32, 1e-5f);
    for (std::size_t t = 0; t < T; ++t) {
      double m = 0, v = 0;
      for (std::size_t c = 0; c < C; ++c) m += x[t * C + c];
      m /= C;
      for (std::size_t c = 0; c < C; ++c) v += std::pow(x[t * C + c] - m, 2);
      v /= C;
      for (std::size_t c = 0; c < C; ++c) {
        const double ref = (x[t * C + c] - m) / std::sqrt(v + 1e-5) * w[c] + (with_bias ? b[c] : 0.0);
        REQUIRE(y[t * C + c] == Approx(ref).margin(2e-6));
      }
    }
  }
}

TEST_CASE("rms_norm_gated: gate before (Mamba2) and after (Qwen3-Next) the norm, grouped", "[cpu][norm]") {
  const std::size_t T = 3, G = 2, S = 9, C = G * S;
  const auto x = hl::test::random_floats(T * C, 41, -2.f, 2.f);
  const auto z = hl::test::random_floats(T * C, 42, -3.f, 3.f);
  const auto w = hl::test::random_floats(C, 43);
  for (bool nbg : {false, true}) {
    std::vector<float> y(T * C);
    rms_norm_gated(x.data(), z.data(), C, y.data(), GroupedRows::contiguous(T, G, S), w.data(), WType::f32, false,
                   1e-5f, nbg);
    for (std::size_t t = 0; t < T; ++t)
      for (std::size_t k = 0; k < G; ++k) {
        std::vector<double> v(S);
        for (std::size_t c = 0; c < S; ++c) {
          const std::size_t i = t * C + k * S + c;
          v[c] = nbg ? x[i] : x[i] * silu_d(z[i]);
        }
        double ss = 0;
        for (double e : v) ss += e * e;
        const double r = 1 / std::sqrt(ss / S + 1e-5);
        for (std::size_t c = 0; c < S; ++c) {
          const std::size_t i = t * C + k * S + c;
          const double ref = v[c] * r * w[k * S + c] * (nbg ? silu_d(z[i]) : 1.0);
          REQUIRE(y[i] == Approx(ref).margin(2e-6));
        }
      }
  }
}

TEST_CASE("l2_norm_rows: per-token residual norm with a row stride", "[cpu][norm]") {
  const std::vector<float> x = {3.f, 4.f, 99.f, 1.f, 1.f, 99.f};
  std::vector<float> out(2);
  l2_norm_rows(x.data(), 2, 2, 3, out.data());
  CHECK(out[0] == 5.f);
  CHECK(out[1] == Approx(std::sqrt(2.0)));
}
