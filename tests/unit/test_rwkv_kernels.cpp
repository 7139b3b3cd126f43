// The RWKV-4 CPU kernels: the WKV recurrence against HF rwkv_linear_attention_cpu on keys large enough to overflow
// a naive e^k (tests/data/scans/rwkv4, tools/fixtures/make_scan_vectors.py), and the token shift's definition.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "core/cpu/rwkv4_wkv.h"
#include "core/cpu/token_shift.h"
#include "unit/npy.h"

using hl::test::compare_rel;
using hl::test::load_npy;
using hl::test::scan_fixture;

TEST_CASE("rwkv4_wkv matches HF rwkv_linear_attention_cpu, state norms included, with |k| up to 90",
          "[cpu][scan]") {
  const auto k = load_npy(scan_fixture("rwkv4", "k"));
  const auto v = load_npy(scan_fixture("rwkv4", "v"));
  const auto decay = load_npy(scan_fixture("rwkv4", "time_decay"));
  const auto first = load_npy(scan_fixture("rwkv4", "time_first"));
  const auto want = load_npy(scan_fixture("rwkv4", "y"));
  const auto want_norms = load_npy(scan_fixture("rwkv4", "state_norms"));
  const std::size_t T = k.dim(0), C = k.dim(1);
  // k and v read through token strides: each row sits in a wider buffer whose extra columns are poison.
  const std::size_t stride = C + 3;
  std::vector<float> ks(T * stride, NAN), vs(T * stride, NAN);
  for (std::size_t t = 0; t < T; ++t)
    for (std::size_t c = 0; c < C; ++c) ks[t * stride + c] = k.data[t * C + c], vs[t * stride + c] = v.data[t * C + c];
  hl::cpu::Rwkv4Inputs in;
  in.k = ks.data(), in.v = vs.data(), in.k_stride = stride, in.v_stride = stride;
  in.time_decay = decay.data.data(), in.time_first = first.data.data();
  std::vector<float> y(T * C), norms(T);
  hl::cpu::rwkv4_wkv(in, y.data(), norms.data(), T, C);
  for (const float x : y) REQUIRE(std::isfinite(x));
  CHECK(compare_rel(y.data(), want.data.data(), y.size(), 1e-5) == "");
  CHECK(compare_rel(norms.data(), want_norms.data.data(), T, 1e-5) == "");
  // Without state norms the outputs are the same.
  std::vector<float> y2(T * C);
  hl::cpu::rwkv4_wkv(in, y2.data(), nullptr, T, C);
  CHECK(y2 == y);
}

TEST_CASE("token_shift_mix interpolates each token with the previous one, zero before the first", "[cpu]") {
  const std::size_t T = 3, C = 2, stride = 4;
  const std::vector<float> x = {1, 2, 99, 99, 3, 5, 99, 99, -1, 4, 99, 99};
  const std::vector<float> mix = {0.25f, 1.f};
  std::vector<float> y(T * C);
  hl::cpu::token_shift_mix(x.data(), stride, mix.data(), y.data(), T, C);
  CHECK(y == std::vector<float>{0.25f, 2.f, 0.25f * 3 + 0.75f * 1, 5.f, 0.25f * -1 + 0.75f * 3, 4.f});
}
