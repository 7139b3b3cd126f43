// MiniMax lightning attention on the CPU against HF MiniMaxLightningAttention (tests/data/scans/lightning, from
// tools/fixtures/make_scan_vectors.py): 70 tokens in blocks of 16, decay buffers rounded through bf16 as a bf16
// checkpoint stores them, q/k/v read as views into the per-head interleaved projection. The state norms are checked
// against their definition, S_t = e^{−s} S_{t−1} + k_tᵀ v_t, stepped here in double.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "core/cpu/lightning_attention.h"
#include "unit/npy.h"

using hl::test::compare_rel;
using hl::test::load_npy;
using hl::test::scan_fixture;

TEST_CASE("lightning_attention matches HF MiniMaxLightningAttention's block form with stored decays",
          "[cpu][scan]") {
  const auto qkv = load_npy(scan_fixture("lightning", "qkv"));
  const auto slope = load_npy(scan_fixture("lightning", "slope_rate"));
  const auto qd = load_npy(scan_fixture("lightning", "query_decay"));
  const auto kd = load_npy(scan_fixture("lightning", "key_decay"));
  const auto dd = load_npy(scan_fixture("lightning", "diagonal_decay"));
  const auto want = load_npy(scan_fixture("lightning", "o"));
  const std::size_t T = qkv.dim(0), H = slope.dim(0), D = qkv.dim(1) / (3 * H), B = qd.dim(1);
  REQUIRE(T % B != 0);  // a partial last block
  hl::cpu::LightningInputs in;
  in.q = qkv.data.data(), in.k = qkv.data.data() + D, in.v = qkv.data.data() + 2 * D;
  in.token_stride = 3 * H * D, in.head_stride = 3 * D;
  in.slope = slope.data.data(), in.query_decay = qd.data.data(), in.key_decay = kd.data.data();
  in.diagonal_decay = dd.data.data();
  std::vector<float> y(T * H * D), norms(T * H);
  hl::cpu::lightning_attention({T, H, D, B}, in, y.data(), norms.data());
  CHECK(compare_rel(y.data(), want.data.data(), y.size(), 1e-5) == "");

  for (std::size_t h = 0; h < H; ++h) {
    INFO("head " << h);
    const double ratio = std::exp(-static_cast<double>(slope.data[h]));
    std::vector<double> s(D * D, 0.0);
    double worst = 0;
    for (std::size_t t = 0; t < T; ++t) {
      const float* row = qkv.data.data() + t * 3 * H * D + h * 3 * D;
      double sq = 0;
      for (std::size_t m = 0; m < D; ++m)
        for (std::size_t c = 0; c < D; ++c) {
          double& x = s[m * D + c];
          x = ratio * x + static_cast<double>(row[D + m]) * row[2 * D + c];
          sq += x * x;
        }
      worst = std::max(worst, std::fabs(norms[t * H + h] - std::sqrt(sq)) / std::sqrt(sq));
    }
    CHECK(worst < 1e-5);
  }
}
