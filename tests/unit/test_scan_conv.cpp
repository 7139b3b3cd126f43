#include <catch2/catch.hpp>
#include <vector>

#include "core/cpu/conv1d.h"
#include "core/cpu/short_conv.h"
#include "support/random.h"
#include "unit/npy.h"

using hl::test::compare_rel;
using hl::test::load_npy;
using hl::test::scan_fixture;

TEST_CASE("causal_conv1d matches HF causal_conv1d_fn (bias + SiLU, and plain)", "[cpu][scan]") {
  const auto x = load_npy(scan_fixture("conv1d", "x"));
  const auto w = load_npy(scan_fixture("conv1d", "w"));
  const auto b = load_npy(scan_fixture("conv1d", "bias"));
  const auto want = load_npy(scan_fixture("conv1d", "y_silu_bias"));
  const auto want_plain = load_npy(scan_fixture("conv1d", "y_plain"));
  const std::size_t T = x.dim(0), C = x.dim(1), K = w.dim(2);
  std::vector<float> y(T * C);
  hl::cpu::causal_conv1d(x.data.data(), 0, w.data.data(), b.data.data(), nullptr, y.data(), 0, T, C, K, true);
  CHECK(compare_rel(y.data(), want.data.data(), y.size(), 1e-5) == "");
  hl::cpu::causal_conv1d(x.data.data(), 0, w.data.data(), nullptr, nullptr, y.data(), 0, T, C, K, false);
  CHECK(compare_rel(y.data(), want_plain.data.data(), y.size(), 1e-5) == "");
}

TEST_CASE("causal_conv1d honours strides and continues from a history", "[cpu][scan]") {
  const std::size_t T = 23, C = 9, K = 4, split = 10;
  const auto x = hl::test::random_floats(T * C, 11);
  const auto w = hl::test::random_floats(C * K, 12);
  const auto b = hl::test::random_floats(C, 13);
  std::vector<float> full(T * C);
  hl::cpu::causal_conv1d(x.data(), 0, w.data(), b.data(), nullptr, full.data(), 0, T, C, K, true);
  // the second part, fed from a strided copy (extra columns) with the K-1 previous inputs as history
  const std::size_t stride = C + 5;
  std::vector<float> xs((T - split) * stride, 99.f);
  for (std::size_t t = split; t < T; ++t)
    for (std::size_t c = 0; c < C; ++c) xs[(t - split) * stride + c] = x[t * C + c];
  std::vector<float> hist((K - 1) * C);
  for (std::size_t j = 0; j < K - 1; ++j)
    for (std::size_t c = 0; c < C; ++c) hist[j * C + c] = x[(split - (K - 1) + j) * C + c];
  std::vector<float> part((T - split) * stride, -7.f);
  hl::cpu::causal_conv1d(xs.data(), stride, w.data(), b.data(), hist.data(), part.data(), stride, T - split, C, K,
                         true);
  for (std::size_t t = split; t < T; ++t)
    for (std::size_t c = 0; c < C; ++c) CHECK(part[(t - split) * stride + c] == Approx(full[t * C + c]).epsilon(1e-6));
  CHECK(part[C] == -7.f);  // padding columns untouched
}

TEST_CASE("short_conv matches HF Lfm2ShortConv (B*x, conv, C*)", "[cpu][scan]") {
  const auto bcx = load_npy(scan_fixture("short_conv", "bcx"));
  const auto w = load_npy(scan_fixture("short_conv", "w"));
  const auto want = load_npy(scan_fixture("short_conv", "y"));
  const std::size_t T = bcx.dim(0), Cd = bcx.dim(1) / 3, K = w.dim(2);
  REQUIRE(want.dim(1) == Cd);
  std::vector<float> y(T * Cd);
  hl::cpu::short_conv(bcx.data.data(), 0, w.data.data(), nullptr, nullptr, y.data(), T, Cd, K);
  CHECK(compare_rel(y.data(), want.data.data(), y.size(), 1e-4) == "");
}
