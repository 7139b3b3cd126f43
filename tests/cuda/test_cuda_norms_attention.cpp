// Normalisations, RoPE and attention vs their CPU twins (tests/cuda/twin.h).
#include "core/engine/rope.h"
#include "twin.h"

using namespace hl::test;
using hl::engine::AttentionParams;
using hl::engine::NormParams;

TEST_CASE("cuda rms_norm matches the CPU backend: whole rows, groups, per head, zero-centred, in place", "[cuda]") {
  auto& tw = Twin::get();
  const unsigned seed = fresh_seed();
  INFO("seed " << seed);
  const std::int64_t T = 13, C = 1536;
  for (const DType dt : {DType::f32, DType::bf16}) {
    INFO(dtype_label(dt));
    NormParams p;
    p.eps = 1e-5f;
    {  // whole row, bf16 weight, zero-centred
      p.zero_centered = true;
      const Pair x = random_pair({T, C}, seed, -3.f, 3.f), w = random_pair({C}, seed + 1, -0.5f, 0.5f, dt);
      const Pair y = poisoned({T, C});
      tw.cpu.rms_norm(x.cpu, w.cpu, y.cpu, p);
      tw.gpu.rms_norm(x.gpu, w.gpu, y.gpu, p);
      CHECK(pair_err(y) < kF32);
      p.zero_centered = false;
    }
    {  // groups of 256 with one weight per column
      p.group_size = 256;
      const Pair x = random_pair({T, C}, seed + 2), w = random_pair({C}, seed + 3, 0.5f, 1.5f, dt);
      const Pair y = poisoned({T, C});
      tw.cpu.rms_norm(x.cpu, w.cpu, y.cpu, p);
      tw.gpu.rms_norm(x.gpu, w.gpu, y.gpu, p);
      CHECK(pair_err(y) < kF32);
      p.group_size = 0;
    }
    {  // per head, in place on the q part of a fused projection (strided rank-3 view)
      const std::int64_t H = 6, D = 64;
      const Pair qkv = random_pair({T, 3 * H * D}, seed + 4);
      const Pair q = qkv.map([&](const Tensor& t) { return t.strided({T, H, D}, {3 * H * D, D, 1, 0}, H * D); });
      const Pair w = random_pair({D}, seed + 5, 0.5f, 1.5f, dt);
      tw.cpu.rms_norm(q.cpu, w.cpu, q.cpu, p);
      tw.gpu.rms_norm(q.gpu, w.gpu, q.gpu, p);
      CHECK(pair_err(qkv) < kF32);
    }
  }
}

TEST_CASE("cuda rms_norm_gated matches the CPU backend in both orders", "[cuda]") {
  auto& tw = Twin::get();
  const unsigned seed = fresh_seed();
  INFO("seed " << seed);
  const std::int64_t T = 17, C = 512;
  for (const bool norm_before_gate : {false, true}) {
    for (const std::int64_t group : {std::int64_t{0}, std::int64_t{128}}) {
      INFO("norm_before_gate " << norm_before_gate << ", group " << group);
      NormParams p;
      p.eps = 1e-6f;
      p.group_size = group;
      const Pair xz = random_pair({T, 2 * C}, seed, -2.f, 2.f);
      const Pair x = xz.map([&](const Tensor& t) { return t.slice(1, 0, C); });
      const Pair z = xz.map([&](const Tensor& t) { return t.slice(1, C, 2 * C); });
      const Pair w = random_pair({C}, seed + 1, 0.5f, 1.5f, DType::bf16);
      const Pair y = poisoned({T, C});
      tw.cpu.rms_norm_gated(x.cpu, z.cpu, w.cpu, y.cpu, p, norm_before_gate);
      tw.gpu.rms_norm_gated(x.gpu, z.gpu, w.gpu, y.gpu, p, norm_before_gate);
      CHECK(pair_err(y) < kF32);
    }
  }
}

TEST_CASE("cuda layer_norm matches the CPU backend, with and without bias", "[cuda]") {
  auto& tw = Twin::get();
  const unsigned seed = fresh_seed();
  INFO("seed " << seed);
  const std::int64_t T = 9, C = 700;
  NormParams p;
  p.eps = 1e-5f;
  const Pair x = random_pair({T, C}, seed, 1.f, 3.f);  // a large mean: the two-pass variance matters
  const Pair w = random_pair({C}, seed + 1, 0.5f, 1.5f, DType::bf16), b = random_pair({C}, seed + 2);
  for (const bool bias : {false, true}) {
    const Pair y = poisoned({T, C});
    tw.cpu.layer_norm(x.cpu, w.cpu, bias ? &b.cpu : nullptr, y.cpu, p);
    tw.gpu.layer_norm(x.gpu, w.gpu, bias ? &b.gpu : nullptr, y.gpu, p);
    CHECK(pair_err(y) < kF32);
  }
}

TEST_CASE("cuda rope matches the CPU backend: rotate-half and interleaved, partial rotary, strided", "[cuda]") {
  auto& tw = Twin::get();
  const unsigned seed = fresh_seed();
  INFO("seed " << seed);
  const std::int64_t T = 21, H = 3, D = 64;
  for (const std::int64_t rot : {D, D / 2}) {
    for (const bool interleaved : {false, true}) {
      INFO("rot " << rot << " interleaved " << interleaved);
      const Pair buf = random_pair({T, 2 * H * D}, seed);
      const Pair x = buf.map([&](const Tensor& t) { return t.strided({T, H, D}, {2 * H * D, 2 * D, 1, 0}, D); });
      const Pair cos = random_pair({T, rot / 2}, seed + 1), sin = random_pair({T, rot / 2}, seed + 2);
      tw.cpu.rope(x.cpu, cos.cpu, sin.cpu, interleaved);
      tw.gpu.rope(x.gpu, cos.gpu, sin.gpu, interleaved);
      CHECK(pair_err(buf) < kF32);
    }
  }
}

namespace {

struct AttentionCase {
  std::int64_t T, Hq, Hkv, D, Dv, window;
  float softcap;
  bool flat_out;
};

void check_attention(const AttentionCase& c, unsigned seed) {
  auto& tw = Twin::get();
  INFO("T " << c.T << " Hq " << c.Hq << " Hkv " << c.Hkv << " D " << c.D << " Dv " << c.Dv << " window "
            << c.window << " softcap " << c.softcap);
  // q, k, v as views of one fused projection [q | k | v] (token stride = the fused width).
  const std::int64_t W = c.Hq * c.D + c.Hkv * c.D + c.Hkv * c.Dv;
  const Pair qkv = random_pair({c.T, W}, seed, -2.f, 2.f);
  const Pair q = qkv.map([&](const Tensor& t) { return t.strided({c.T, c.Hq, c.D}, {W, c.D, 1, 0}, 0); });
  const Pair k = qkv.map([&](const Tensor& t) { return t.strided({c.T, c.Hkv, c.D}, {W, c.D, 1, 0}, c.Hq * c.D); });
  const Pair v = qkv.map(
      [&](const Tensor& t) { return t.strided({c.T, c.Hkv, c.Dv}, {W, c.Dv, 1, 0}, (c.Hq + c.Hkv) * c.D); });
  const Pair out = c.flat_out ? poisoned({c.T, c.Hq * c.Dv}) : poisoned({c.T, c.Hq, c.Dv});
  AttentionParams p;
  p.scale = 1.f / std::sqrt(static_cast<float>(c.D));
  p.sliding_window = c.window;
  p.softcap = c.softcap;
  tw.cpu.attention(q.cpu, k.cpu, v.cpu, out.cpu, p);
  tw.gpu.attention(q.gpu, k.gpu, v.gpu, out.gpu, p);
  CHECK(pair_err(out) < kF32Scan);
}

}  // namespace

TEST_CASE("cuda attention matches the CPU backend: causal, sliding window, GQA, Dv != D, softcap", "[cuda]") {
  const unsigned seed = fresh_seed();
  INFO("seed " << seed);
  const AttentionCase cases[] = {
      {1, 2, 1, 64, 64, 0, 0.f, true},      {5, 4, 2, 64, 64, 0, 0.f, false},   {64, 4, 4, 32, 32, 0, 0.f, true},
      {130, 8, 2, 128, 128, 0, 0.f, true},  {300, 4, 1, 96, 160, 0, 0.f, false}, {257, 4, 2, 64, 64, 17, 0.f, true},
      {200, 2, 2, 64, 64, 100, 30.f, true}, {70, 2, 1, 256, 256, 0, 0.f, true},  {129, 3, 1, 80, 40, 64, 0.f, false},
  };
  unsigned s = seed;
  for (const auto& c : cases) check_attention(c, s++);
}
