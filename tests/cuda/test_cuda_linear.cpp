// linear (cuBLAS) and the elementwise primitives vs their CPU twins (tests/cuda/twin.h).
#include "twin.h"

using namespace hl::test;
using hl::Activation;

TEST_CASE("cuda linear matches the CPU backend: f32 / bf16 / f16 weights, bias, strided views", "[cuda]") {
  auto& tw = Twin::get();
  const unsigned seed = fresh_seed();
  INFO("seed " << seed);
  for (const DType dt : {DType::f32, DType::bf16, DType::f16}) {
    for (const bool with_bias : {false, true}) {
      INFO(dtype_label(dt) << (with_bias ? " with bias" : ""));
      const std::int64_t T = 37, in = 300, out = 131;
      // x is a column view of a wider buffer, y a column view of a wider output (row strides != widths).
      const Pair xbuf = random_pair({T, in + 20}, seed);
      const Pair x = xbuf.map([&](const Tensor& t) { return t.slice(1, 10, 10 + in); });
      const Pair w = random_pair({out, in}, seed + 1, -0.2f, 0.2f, dt);
      const Pair b = random_pair({out}, seed + 2, -1.f, 1.f, dt);
      const Pair ybuf = poisoned({T, out + 7});
      const Pair y = ybuf.map([&](const Tensor& t) { return t.slice(1, 3, 3 + out); });
      tw.cpu.linear(x.cpu, w.cpu, with_bias ? &b.cpu : nullptr, y.cpu);
      tw.gpu.linear(x.gpu, w.gpu, with_bias ? &b.gpu : nullptr, y.gpu);
      CHECK(pair_err(ybuf) < (dt == DType::f32 ? kF32 : kBf16));
    }
  }
}

TEST_CASE("cuda linear handles T = 1 and a single output", "[cuda]") {
  auto& tw = Twin::get();
  const unsigned seed = fresh_seed();
  INFO("seed " << seed);
  const Pair x = random_pair({1, 64}, seed);
  const Pair w = random_pair({1, 64}, seed + 1, -1.f, 1.f, DType::bf16);
  const Pair y = poisoned({1, 1});
  tw.cpu.linear(x.cpu, w.cpu, nullptr, y.cpu);
  tw.gpu.linear(x.gpu, w.gpu, nullptr, y.gpu);
  CHECK(pair_err(y) < kBf16);
}

TEST_CASE("cuda activations and gated activations match the CPU twins, in place too", "[cuda]") {
  auto& tw = Twin::get();
  const unsigned seed = fresh_seed();
  INFO("seed " << seed);
  const std::int64_t T = 19, n = 257;
  for (const Activation a : {Activation::Identity, Activation::SiLU, Activation::GELU, Activation::GELUTanh,
                             Activation::ReLU, Activation::ReLU2, Activation::Sigmoid, Activation::Tanh}) {
    INFO("activation " << static_cast<int>(a));
    const Pair x = random_pair({T, n}, seed, -6.f, 6.f);
    const Pair y = poisoned({T, n});
    tw.cpu.activation(a, x.cpu, y.cpu);
    tw.gpu.activation(a, x.gpu, y.gpu);
    CHECK(pair_err(y) < kF32);
    // gated, in place on a view of a fused [gate | up] buffer
    const Pair gu = random_pair({T, 2 * n}, seed + 1, -6.f, 6.f);
    const Pair gate = gu.map([&](const Tensor& t) { return t.slice(1, 0, n); });
    const Pair up = gu.map([&](const Tensor& t) { return t.slice(1, n, 2 * n); });
    tw.cpu.gated_activation(a, gate.cpu, up.cpu, gate.cpu);
    tw.gpu.gated_activation(a, gate.gpu, up.gpu, gate.gpu);
    CHECK(pair_err(gu) < kF32);
  }
}

TEST_CASE("cuda embedding, residual_add, scale and l2_norm_rows match the CPU twins", "[cuda]") {
  auto& tw = Twin::get();
  const unsigned seed = fresh_seed();
  INFO("seed " << seed);
  const std::int64_t V = 50, H = 96, T = 23;
  std::mt19937 rng(seed);
  std::vector<std::int32_t> ids(static_cast<std::size_t>(T));
  for (auto& id : ids) id = static_cast<std::int32_t>(rng() % V);
  for (const DType dt : {DType::f32, DType::bf16, DType::f16}) {
    INFO(dtype_label(dt));
    const Pair table = random_pair({V, H}, seed + 1, -1.f, 1.f, dt);
    const Pair out = poisoned({T, H});
    tw.cpu.embedding(table.cpu, ids, out.cpu, 1.5f);
    tw.gpu.embedding(table.gpu, ids, out.gpu, 1.5f);
    CHECK(pair_err(out) == 0.0);  // exact: a widening and one multiplication
  }
  const std::vector<std::int32_t> bad = {0, static_cast<std::int32_t>(V)};
  const Pair table = random_pair({V, H}, seed + 2);
  const Pair out2 = poisoned({2, H});
  CHECK_THROWS_AS(tw.gpu.embedding(table.gpu, bad, out2.gpu), hl::engine::TensorError);

  const Pair h = random_pair({T, H}, seed + 3), r = random_pair({T, H}, seed + 4);
  tw.cpu.residual_add(h.cpu, r.cpu, 0.75f);
  tw.gpu.residual_add(h.gpu, r.gpu, 0.75f);
  CHECK(pair_err(h) < kF32);
  const Pair hs = h.map([&](const Tensor& t) { return t.slice(1, 5, 60); });
  tw.cpu.scale(hs.cpu, -2.5f);
  tw.gpu.scale(hs.gpu, -2.5f);
  CHECK(pair_err(h) < kF32);
  const Pair norms = poisoned({T});
  tw.cpu.l2_norm_rows(hs.cpu, norms.cpu);
  tw.gpu.l2_norm_rows(hs.gpu, norms.gpu);
  CHECK(pair_err(norms) < kF32);
}

TEST_CASE("cuda gather_rows and scatter_add_rows match the CPU twins, repeated rows included", "[cuda]") {
  auto& tw = Twin::get();
  const unsigned seed = fresh_seed();
  INFO("seed " << seed);
  const std::int64_t T = 31, d = 70;
  const std::vector<std::int32_t> rows = {3, 0, 30, 3, 7, 7, 7, 12};  // repeats force several batches
  const std::vector<float> weights = {0.5f, -1.f, 2.f, 0.25f, 1.f, 1.f, -0.5f, 3.f};
  const auto n = static_cast<std::int64_t>(rows.size());
  const Pair x = random_pair({T, d}, seed);
  const Pair g = poisoned({n, d});
  tw.cpu.gather_rows(x.cpu, rows, g.cpu);
  tw.gpu.gather_rows(x.gpu, rows, g.gpu);
  CHECK(pair_err(g) == 0.0);
  const Pair dst = random_pair({T, d}, seed + 1);
  tw.cpu.scatter_add_rows(g.cpu, rows, weights, dst.cpu);
  tw.gpu.scatter_add_rows(g.gpu, rows, weights, dst.gpu);
  CHECK(pair_err(dst) < kF32);
}
