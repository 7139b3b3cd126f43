#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/cpu/attention.h"
#include "support/random.h"

using namespace hl::cpu;

namespace {
// Naive double reference: full score matrix per head, HF mask (j <= i, i - j < W when W > 0).
std::vector<double> ref_attention(const float* q, const float* k, const float* v, const AttentionShape& s, double scale,
                                  std::int64_t window, double softcap) {
  std::vector<double> out(s.T * s.Hq * s.Dv, 0.0);
  const std::size_t group = s.Hq / s.Hkv;
  for (std::size_t h = 0; h < s.Hq; ++h) {
    const std::size_t kh = h / group;
    for (std::size_t i = 0; i < s.T; ++i) {
      std::vector<double> sc(s.T, -INFINITY);
      double mx = -INFINITY;
      for (std::size_t j = 0; j <= i; ++j) {
        if (window > 0 && static_cast<std::int64_t>(i - j) >= window) continue;
        double d = 0;
        for (std::size_t e = 0; e < s.D; ++e)
          d += static_cast<double>(q[i * s.q_ts + h * s.q_hs + e]) * k[j * s.k_ts + kh * s.k_hs + e];
        d *= scale;
        if (softcap > 0) d = softcap * std::tanh(d / softcap);
        sc[j] = d;
        mx = std::max(mx, d);
      }
      double z = 0;
      for (std::size_t j = 0; j <= i; ++j) z += std::isinf(sc[j]) ? 0.0 : std::exp(sc[j] - mx);
      for (std::size_t j = 0; j <= i; ++j) {
        if (std::isinf(sc[j])) continue;
        const double p = std::exp(sc[j] - mx) / z;
        for (std::size_t e = 0; e < s.Dv; ++e) out[(i * s.Hq + h) * s.Dv + e] += p * v[j * s.v_ts + kh * s.v_hs + e];
      }
    }
  }
  return out;
}

void check(const std::vector<float>& got, const std::vector<double>& ref, const AttentionShape& s) {
  for (std::size_t i = 0; i < s.T; ++i)
    for (std::size_t h = 0; h < s.Hq; ++h)
      for (std::size_t e = 0; e < s.Dv; ++e) {
        INFO("i=" << i << " h=" << h << " e=" << e);
        REQUIRE(got[i * s.o_ts + h * s.o_hs + e] == Approx(ref[(i * s.Hq + h) * s.Dv + e]).margin(2e-6));
      }
}
}  // namespace

TEST_CASE("attention: causal GQA, T not a multiple of the tiles, contiguous", "[cpu][attention]") {
  for (std::size_t T : {1u, 5u, 37u, 150u, 601u}) {  // 601: several query blocks
    const AttentionShape s = AttentionShape::contiguous(T, 6, 2, 16, 16);
    const auto q = hl::test::random_floats(T * 6 * 16, 81, -2.f, 2.f);
    const auto k = hl::test::random_floats(T * 2 * 16, 82, -2.f, 2.f);
    const auto v = hl::test::random_floats(T * 2 * 16, 83);
    std::vector<float> out(T * 6 * 16);
    const float scale = 1.0f / std::sqrt(16.0f);
    attention_prefill(q.data(), k.data(), v.data(), out.data(), s, scale);
    check(out, ref_attention(q.data(), k.data(), v.data(), s, scale, 0, 0), s);
  }
}

TEST_CASE("attention: sliding window (HF off-by-one), softcap, Dv != D, strided fused qkv", "[cpu][attention]") {
  // 613 tokens: query blocks whose first visible key is past 0 (the window slides across block boundaries).
  const std::size_t T = GENERATE(83u, 613u);
  const std::size_t Hq = 4, Hkv = 1, D = 12, Dv = 7;
  // fused rows [q (Hq*D) | k (Hkv*D) | v (Hkv*Dv) | pad 3]
  const std::size_t row = Hq * D + Hkv * D + Hkv * Dv + 3;
  const auto qkv = hl::test::random_floats(T * row, 91, -3.f, 3.f);
  AttentionShape s{T, Hq, Hkv, D, Dv, row, D, row, D, row, Dv, Hq * Dv + 2, Dv};
  const float* q = qkv.data();
  const float* k = qkv.data() + Hq * D;
  const float* v = qkv.data() + Hq * D + Hkv * D;
  for (std::int64_t window : {std::int64_t{1}, std::int64_t{2}, std::int64_t{17}, std::int64_t{64}, std::int64_t{200},
                              std::int64_t{300}}) {
    for (float softcap : {0.0f, 5.0f}) {
      INFO("window " << window << " softcap " << softcap);
      std::vector<float> out(T * s.o_ts, 0.f);
      attention_prefill(q, k, v, out.data(), s, 0.3f, window, softcap);
      check(out, ref_attention(q, k, v, s, 0.3, window, softcap), s);
    }
  }
  // window 1: each query sees only itself -> output equals its own v
  std::vector<float> out(T * s.o_ts, 0.f);
  attention_prefill(q, k, v, out.data(), s, 0.3f, 1, 0.f);
  for (std::size_t i = 0; i < T; ++i)
    for (std::size_t e = 0; e < Dv; ++e) REQUIRE(out[i * s.o_ts + 3 * Dv + e] == Approx(v[i * row + e]).margin(1e-6));
}
