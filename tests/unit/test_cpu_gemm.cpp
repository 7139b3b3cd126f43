#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/cpu/gemm.h"
#include "core/cpu/half.h"
#include "support/random.h"

using namespace hl::cpu;

namespace {
// Naive double reference of y = x Wᵀ + b on the widened weights.
std::vector<double> ref_linear(const std::vector<float>& x, std::size_t T, std::size_t in, std::size_t ldx,
                               const std::vector<float>& w, std::size_t out, const std::vector<float>* b) {
  std::vector<double> y(T * out);
  for (std::size_t t = 0; t < T; ++t)
    for (std::size_t o = 0; o < out; ++o) {
      double s = b ? (*b)[o] : 0.0;
      for (std::size_t i = 0; i < in; ++i) s += static_cast<double>(x[t * ldx + i]) * w[o * in + i];
      y[t * out + o] = s;
    }
  return y;
}

void run_case(WType wt, std::size_t T, std::size_t in, std::size_t out, bool with_bias, std::size_t pad_x,
              std::size_t pad_y, unsigned seed) {
  const std::size_t ldx = in + pad_x, ldy = out + pad_y;
  const auto x = hl::test::random_floats(T * ldx, seed);
  auto wf = hl::test::random_floats(out * in, seed + 1);
  auto bf = hl::test::random_floats(out, seed + 2);
  std::vector<std::uint16_t> w16(out * in), b16(out);
  const void* wp = wf.data();
  const void* bp = bf.data();
  if (wt != WType::f32) {
    for (std::size_t i = 0; i < wf.size(); ++i) {
      w16[i] = wt == WType::bf16 ? f32_to_bf16(wf[i]) : f32_to_f16(wf[i]);
      wf[i] = wt == WType::bf16 ? bf16_to_f32(w16[i]) : f16_to_f32(w16[i]);
    }
    for (std::size_t i = 0; i < bf.size(); ++i) {
      b16[i] = wt == WType::bf16 ? f32_to_bf16(bf[i]) : f32_to_f16(bf[i]);
      bf[i] = wt == WType::bf16 ? bf16_to_f32(b16[i]) : f16_to_f32(b16[i]);
    }
    wp = w16.data();
    bp = b16.data();
  }
  std::vector<float> y(T * ldy, -7.f);
  linear(x.data(), T, in, ldx, wp, wt, out, with_bias ? bp : nullptr, wt, y.data(), ldy);
  const auto r = ref_linear(x, T, in, ldx, wf, out, with_bias ? &bf : nullptr);
  for (std::size_t t = 0; t < T; ++t) {
    for (std::size_t o = 0; o < out; ++o) REQUIRE(y[t * ldy + o] == Approx(r[t * out + o]).margin(2e-5 * std::sqrt(in)));
    for (std::size_t o = out; o < ldy; ++o) REQUIRE(y[t * ldy + o] == -7.f);  // padding untouched
  }
}
}  // namespace

TEST_CASE("linear: fp32 weights, odd sizes, bias, strided x and y", "[cpu][gemm]") {
  run_case(WType::f32, 7, 33, 19, true, 3, 5, 1);
  run_case(WType::f32, 1, 1, 1, false, 0, 0, 2);
}

TEST_CASE("linear: bf16 / f16 weights widened per tile, out not a multiple of the tile", "[cpu][gemm]") {
  // in = 4096 -> tile of 256 output rows; out = 300 spans two tiles (the second partial).
  REQUIRE(linear_tile_rows(4096) == 256);
  run_case(WType::bf16, 5, 4096, 300, true, 0, 2, 3);
  run_case(WType::f16, 3, 4096, 300, true, 1, 0, 4);
  run_case(WType::bf16, 9, 37, 71, false, 0, 0, 5);
}

TEST_CASE("linear: empty inner dimension gives bias only", "[cpu][gemm]") {
  std::vector<float> y(6, 3.f), b = {1.f, 2.f, 3.f};
  linear(nullptr, 2, 0, 0, nullptr, WType::f32, 3, b.data(), WType::f32, y.data(), 3);
  CHECK(y == std::vector<float>{1.f, 2.f, 3.f, 1.f, 2.f, 3.f});
}
