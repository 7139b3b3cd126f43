#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/cpu/half.h"
#include "core/engine/cpu_backend.h"
#include "core/engine/rope.h"
#include "support/random.h"

using namespace hl::engine;

namespace {
Tensor filled(const std::vector<float>& v, Shape s) {
  Tensor t = Tensor::empty(DType::f32, s);
  std::copy(v.begin(), v.end(), t.ptr<float>());
  return t;
}
}  // namespace

TEST_CASE("CpuBackend: a Qwen3-style attention block through the interface matches a double reference",
          "[cpu][backend]") {
  auto be = make_cpu_backend();
  REQUIRE(be->device() == Device::cpu);
  const std::int64_t T = 11, Hd = 32, Hq = 4, Hkv = 2, D = 8;
  const auto xv = hl::test::random_floats(static_cast<std::size_t>(T * Hd), 201);
  const auto wv = hl::test::random_floats(static_cast<std::size_t>((Hq + 2 * Hkv) * D * Hd), 202, -0.3f, 0.3f);
  std::vector<std::uint16_t> wb(wv.size());
  for (std::size_t i = 0; i < wv.size(); ++i) wb[i] = hl::cpu::f32_to_bf16(wv[i]);
  const auto qn = hl::test::random_floats(static_cast<std::size_t>(D), 203, 0.5f, 1.5f);
  const Tensor x = filled(xv, {T, Hd});
  const Tensor w_qkv = Tensor::view(wb.data(), DType::bf16, {(Hq + 2 * Hkv) * D, Hd});  // non-owning weight view
  const Tensor qnorm = Tensor::view(qn.data(), DType::f32, {D});
  Tensor qkv = be->alloc(DType::f32, {T, (Hq + 2 * Hkv) * D});
  be->linear(x, w_qkv, nullptr, qkv);
  const Tensor q = qkv.strided({T, Hq, D}, {(Hq + 2 * Hkv) * D, D, 1}, 0);
  const Tensor k = qkv.strided({T, Hkv, D}, {(Hq + 2 * Hkv) * D, D, 1}, Hq * D);
  const Tensor v = qkv.strided({T, Hkv, D}, {(Hq + 2 * Hkv) * D, D, 1}, (Hq + Hkv) * D);
  NormParams np;
  np.eps = 1e-6f;
  be->rms_norm(q, qnorm, q, np);  // per-head q norm, in place on a strided view
  RopeConfig rc;
  rc.head_dim = static_cast<int>(D);
  const RopeFreqs f = rope_inv_freq(rc);
  RopeTables tab = rope_tables(f, std::int64_t{0}, static_cast<std::size_t>(T));
  const Tensor cos = be->upload(Tensor::view(tab.cos.data(), DType::f32, {T, D / 2}));
  const Tensor sin = be->upload(Tensor::view(tab.sin.data(), DType::f32, {T, D / 2}));
  be->rope(q, cos, sin);
  be->rope(k, cos, sin);
  Tensor att = be->alloc(DType::f32, {T, Hq * D});
  AttentionParams ap;
  ap.scale = 1.0f / std::sqrt(static_cast<float>(D));
  be->attention(q, k, v, att, ap);

  // double reference of the same composition
  const std::int64_t W = (Hq + 2 * Hkv) * D;
  std::vector<double> r(static_cast<std::size_t>(T * W));
  for (std::int64_t t = 0; t < T; ++t)
    for (std::int64_t o = 0; o < W; ++o) {
      double s = 0;
      for (std::int64_t i = 0; i < Hd; ++i) s += static_cast<double>(xv[t * Hd + i]) * hl::cpu::bf16_to_f32(wb[o * Hd + i]);
      r[t * W + o] = s;
    }
  auto rot = [&](double* h, std::int64_t t) {
    for (std::int64_t j = 0; j < D / 2; ++j) {
      const double ang = static_cast<double>(static_cast<float>(t) * f.inv_freq[j]);
      const double a = h[j], b = h[j + D / 2];
      h[j] = a * std::cos(ang) - b * std::sin(ang);
      h[j + D / 2] = b * std::cos(ang) + a * std::sin(ang);
    }
  };
  for (std::int64_t t = 0; t < T; ++t) {
    for (std::int64_t h = 0; h < Hq; ++h) {
      double* qh = &r[t * W + h * D];
      double ss = 0;
      for (std::int64_t d = 0; d < D; ++d) ss += qh[d] * qh[d];
      const double inv = 1 / std::sqrt(ss / D + 1e-6);
      for (std::int64_t d = 0; d < D; ++d) qh[d] *= inv * qn[d];
      rot(qh, t);
    }
    for (std::int64_t h = 0; h < Hkv; ++h) rot(&r[t * W + Hq * D + h * D], t);
  }
  for (std::int64_t t = 0; t < T; ++t)
    for (std::int64_t h = 0; h < Hq; ++h) {
      const std::int64_t kh = h / (Hq / Hkv);
      std::vector<double> p(static_cast<std::size_t>(t + 1));
      double mx = -1e300, z = 0;
      for (std::int64_t j = 0; j <= t; ++j) {
        double s = 0;
        for (std::int64_t d = 0; d < D; ++d) s += r[t * W + h * D + d] * r[j * W + Hq * D + kh * D + d];
        p[j] = s / std::sqrt(static_cast<double>(D));
        mx = std::max(mx, p[j]);
      }
      for (auto& e : p) z += (e = std::exp(e - mx));
      for (std::int64_t d = 0; d < D; ++d) {
        double o = 0;
        for (std::int64_t j = 0; j <= t; ++j) o += p[j] / z * r[j * W + (Hq + Hkv) * D + kh * D + d];
        REQUIRE(att.ptr<float>()[t * Hq * D + h * D + d] == Approx(o).margin(1e-5));
      }
    }

  // residual norm + LM head stats through the interface
  Tensor norms = be->alloc(DType::f32, {T});
  be->l2_norm_rows(x, norms);
  double ss = 0;
  for (std::int64_t i = 0; i < Hd; ++i) ss += static_cast<double>(xv[i]) * xv[i];
  CHECK(norms.ptr<float>()[0] == Approx(std::sqrt(ss)));
  const std::vector<std::int32_t> targets = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, -1};
  Tensor logits = be->alloc(DType::f32, {T, (Hq + 2 * Hkv) * D});
  const TokenStats st = be->lm_head_stats(x, w_qkv, nullptr, targets, 3, LogitParams{}, &logits);
  REQUIRE(st.nll.size() == static_cast<std::size_t>(T));
  REQUIRE(st.topk_ids.size() == static_cast<std::size_t>(T * 3));
  for (std::int64_t t = 0; t < T - 1; ++t) {
    const float* row = logits.ptr<float>() + t * W;
    double mx = -1e300, z = 0;
    for (std::int64_t v2 = 0; v2 < W; ++v2) mx = std::max(mx, static_cast<double>(row[v2]));
    for (std::int64_t v2 = 0; v2 < W; ++v2) z += std::exp(row[v2] - mx);
    CHECK(st.nll[t] == Approx(mx + std::log(z) - row[targets[t]]).margin(1e-5));
  }
  CHECK(std::isnan(st.nll[T - 1]));
}

TEST_CASE("CpuBackend: shape, dtype and range errors are reported, not undefined behaviour", "[cpu][backend]") {
  CpuBackend be(0);
  Tensor x = be.alloc(DType::f32, {3, 8});
  Tensor w = be.alloc(DType::f32, {5, 7});
  Tensor y = be.alloc(DType::f32, {3, 5});
  CHECK_THROWS_AS(be.linear(x, w, nullptr, y), TensorError);  // in mismatch
  Tensor ids32 = be.alloc(DType::i32, {3, 8});
  CHECK_THROWS_AS(be.linear(ids32, be.alloc(DType::f32, {5, 8}), nullptr, y), TensorError);
  Tensor table = be.alloc(DType::bf16, {10, 8});
  const std::vector<std::int32_t> bad = {1, 10, 2};
  CHECK_THROWS_AS(be.embedding(table, bad, x), TensorError);
  const std::vector<std::int32_t> ok = {1, 9, 2};
  CHECK_NOTHROW(be.embedding(table, ok, x, 2.0f));
  Tensor wn = be.alloc(DType::f32, {5});
  NormParams np;
  CHECK_THROWS_AS(be.rms_norm(x, wn, x, np), TensorError);  // weight size neither 8 nor 8
  np.group_size = 3;
  CHECK_THROWS_AS(be.rms_norm(x, be.alloc(DType::f32, {3}), x, np), TensorError);  // 3 does not divide 8
  np.group_size = 4;
  CHECK_NOTHROW(be.rms_norm(x, be.alloc(DType::f32, {4}), x, np));
  Tensor q = be.alloc(DType::f32, {3, 3, 4}), k = be.alloc(DType::f32, {3, 2, 4});
  CHECK_THROWS_AS(be.attention(q, k, k, be.alloc(DType::f32, {3, 12}), AttentionParams{}), TensorError);  // 2 !| 3
  const std::vector<std::int32_t> tgt = {0, 5, 1};
  CHECK_THROWS_AS(be.lm_head_stats(x, be.alloc(DType::f32, {5, 8}), nullptr, tgt, 2, LogitParams{}), TensorError);
  CHECK_THROWS_AS(be.lm_head_stats(x, be.alloc(DType::f32, {6, 8}), nullptr, tgt, 21, LogitParams{}), TensorError);
  CHECK_THROWS_AS(be.rope(q, be.alloc(DType::f32, {3, 3}), be.alloc(DType::f32, {3, 3}), false), TensorError);
}

TEST_CASE("CpuBackend: inputs that must be column views of one projection are checked for one token stride",
          "[cpu][backend]") {
  CpuBackend be(0);
  const std::int64_t T = 4, H = 2, D = 3;
  const Tensor wide = be.alloc(DType::f32, {T, 3 * H * D}), other = be.alloc(DType::f32, {T, H * D});
  Backend::MLstmArgs a;
  a.q = wide.slice(1, 0, H * D), a.k = other, a.v = wide.slice(1, 2 * H * D, 3 * H * D);
  const Tensor gates = be.alloc(DType::f32, {T, 2 * H});
  a.i = gates.slice(1, 0, H), a.f = gates.slice(1, H, 2 * H);
  a.heads = H;
  a.y = be.alloc(DType::f32, {T, H * D});
  CHECK_THROWS_WITH(be.mlstm(a), Catch::Contains("q and k must share a token stride"));
  a.k = wide.slice(1, H * D, 2 * H * D);
  CHECK_NOTHROW(be.mlstm(a));
  Backend::KimiDeltaArgs kd;
  kd.q = wide.slice(1, 0, H * D), kd.k = wide.slice(1, H * D, 2 * H * D), kd.v = other;
  kd.f = other, kd.b = be.alloc(DType::f32, {T, H});
  kd.A_log = be.alloc(DType::f32, {H}), kd.dt_bias = be.alloc(DType::f32, {H * D});
  kd.heads = H, kd.head_dim = D;
  kd.y = be.alloc(DType::f32, {T, H * D});
  CHECK_THROWS_WITH(be.kimi_delta_attention(kd), Catch::Contains("q, k and v must share a token stride"));
}
