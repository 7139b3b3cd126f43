// Griffin's RG-LRU CPU kernel against HF RecurrentGemmaRglru (tests/data/scans/rg_lru, from
// tools/fixtures/make_scan_vectors.py): the gate logits are formed here from the module's block-diagonal weights
// (stored [heads, in, out], applied as x · W), the recurrence is the kernel's.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "core/cpu/rg_lru.h"
#include "unit/npy.h"

using hl::test::compare_rel;
using hl::test::load_npy;
using hl::test::scan_fixture;

namespace {

// logits[t, h·bw + o] = bias[h, o] + Σ_i x[t, h·bw + i] · w[h, i, o], written into columns [0, W) of rows of `ld`.
std::vector<float> gate_logits(const std::vector<float>& x, const std::vector<float>& w, const std::vector<float>& bias,
                               std::size_t T, std::size_t W, std::size_t H, std::size_t ld) {
  const std::size_t bw = W / H;
  std::vector<float> out(T * ld, NAN);
  for (std::size_t t = 0; t < T; ++t)
    for (std::size_t h = 0; h < H; ++h)
      for (std::size_t o = 0; o < bw; ++o) {
        double acc = bias[h * bw + o];
        for (std::size_t i = 0; i < bw; ++i) acc += static_cast<double>(x[t * W + h * bw + i]) * w[(h * bw + i) * bw + o];
        out[t * ld + h * bw + o] = static_cast<float>(acc);
      }
  return out;
}

}  // namespace

TEST_CASE("rg_lru_scan matches HF RecurrentGemmaRglru on a fresh sequence", "[cpu][scan]") {
  const auto x = load_npy(scan_fixture("rg_lru", "x"));
  const auto want = load_npy(scan_fixture("rg_lru", "y"));
  const auto wi = load_npy(scan_fixture("rg_lru", "input_gate_weight"));
  const auto bi = load_npy(scan_fixture("rg_lru", "input_gate_bias"));
  const auto wr = load_npy(scan_fixture("rg_lru", "recurrent_gate_weight"));
  const auto br = load_npy(scan_fixture("rg_lru", "recurrent_gate_bias"));
  const auto rp = load_npy(scan_fixture("rg_lru", "recurrent_param"));
  const std::size_t T = x.dim(0), W = x.dim(1), H = wi.dim(0);
  // The two gates as column ranges of one wider buffer (a token stride), as the engine lays them out.
  const std::size_t ld = 2 * W;
  auto gates = gate_logits(x.data, wi.data, bi.data, T, W, H, ld);
  const auto rec = gate_logits(x.data, wr.data, br.data, T, W, H, W);
  for (std::size_t t = 0; t < T; ++t)
    for (std::size_t c = 0; c < W; ++c) gates[t * ld + W + c] = rec[t * W + c];
  hl::cpu::RgLruInputs in;
  in.x = x.data.data();
  in.input_gate = gates.data();
  in.recurrent_gate = gates.data() + W;
  in.gate_stride = ld;
  in.recurrent_param = rp.data.data();
  std::vector<float> y(T * W);
  hl::cpu::rg_lru_scan(in, y.data(), T, W);
  // 1e-5 relative: the gate logits here are summed in double, the module's in fp32.
  CHECK(compare_rel(y.data(), want.data.data(), y.size(), 1e-5) == "");
}
