// Causal convolutions and the recurrent scans (Mamba1, Mamba2 SSD, Gated DeltaNet, RWKV-4 WKV and token shift,
// RG-LRU, lightning attention, Kimi Delta Attention, mLSTM) vs their CPU twins, state norms included
// (tests/cuda/twin.h).
// The GPU scans are sequential where the CPU backend runs chunked forms: equal up to float rounding (kF32Scan).
#include "twin.h"

using namespace hl::test;
using Backend = hl::engine::Backend;

TEST_CASE("cuda causal_conv1d and short_conv match the CPU backend", "[cuda]") {
  auto& tw = Twin::get();
  const unsigned seed = fresh_seed();
  INFO("seed " << seed);
  const std::int64_t T = 45, C = 200, K = 4;
  for (const DType dt : {DType::f32, DType::bf16}) {
    for (const bool silu : {false, true}) {
      INFO(dtype_label(dt) << " silu " << silu);
      const Pair proj = random_pair({T, C + 30}, seed);
      const Pair x = proj.map([&](const Tensor& t) { return t.slice(1, 30, 30 + C); });
      const Pair w = random_pair({C, 1, K}, seed + 1, -0.5f, 0.5f, dt), b = random_pair({C}, seed + 2, -1.f, 1.f, dt);
      const Pair y = poisoned({T, C});
      tw.cpu.causal_conv1d(x.cpu, w.cpu, silu ? &b.cpu : nullptr, y.cpu, silu);
      tw.gpu.causal_conv1d(x.gpu, w.gpu, silu ? &b.gpu : nullptr, y.gpu, silu);
      CHECK(pair_err(y) < kF32);
    }
  }
  const Pair bcx = random_pair({T, 3 * C}, seed + 3), w = random_pair({C, 1, 3}, seed + 4, -0.5f, 0.5f, DType::bf16);
  const Pair b = random_pair({C}, seed + 5);
  for (const bool bias : {false, true}) {
    const Pair y = poisoned({T, C});
    tw.cpu.short_conv(bcx.cpu, w.cpu, bias ? &b.cpu : nullptr, y.cpu);
    tw.gpu.short_conv(bcx.gpu, w.gpu, bias ? &b.gpu : nullptr, y.gpu);
    CHECK(pair_err(y) < kF32);
  }
}

TEST_CASE("cuda mamba1_scan matches the CPU backend, with state norms", "[cuda]") {
  auto& tw = Twin::get();
  const unsigned seed = fresh_seed();
  INFO("seed " << seed);
  for (const std::int64_t N : {std::int64_t{16}, std::int64_t{40}}) {
    for (const std::int64_t T : {std::int64_t{1}, std::int64_t{33}, std::int64_t{150}}) {
      INFO("N " << N << " T " << T);
      const std::int64_t D = 100, R = 8;
      const Pair uz = random_pair({T, 2 * D}, seed, -1.f, 1.f);
      const Pair delta = random_pair({T, D}, seed + 1, -3.f, 0.f);
      const Pair dbc = random_pair({T, R + 2 * N}, seed + 2);  // [dt_r | B | C] as x_proj writes it
      const Pair A_log = random_pair({D, N}, seed + 3, 0.f, 2.f, DType::bf16);
      const Pair bias = random_pair({D}, seed + 4, -4.f, -1.f), Dskip = random_pair({D}, seed + 5, 0.5f, 1.5f);
      const Pair y = poisoned({T, D}), norms = poisoned({T, 1});
      auto args = [&](bool gpu) {
        auto pick = [&](const Pair& p) { return gpu ? p.gpu : p.cpu; };
        Backend::Mamba1ScanArgs a;
        a.u = pick(uz).slice(1, 0, D);
        a.delta = pick(delta);
        a.A_log = pick(A_log);
        a.B = pick(dbc).slice(1, R, R + N);
        a.C = pick(dbc).slice(1, R + N, R + 2 * N);
        a.y = pick(y);
        return a;
      };
      const Tensor zc = uz.cpu.slice(1, D, 2 * D), zg = uz.gpu.slice(1, D, 2 * D);
      Backend::Mamba1ScanArgs ac = args(false), ag = args(true);
      ac.delta_bias = &bias.cpu, ag.delta_bias = &bias.gpu;
      ac.Dskip = &Dskip.cpu, ag.Dskip = &Dskip.gpu;
      ac.z = &zc, ag.z = &zg;
      ac.state_norms = &norms.cpu, ag.state_norms = &norms.gpu;
      tw.cpu.mamba1_scan(ac);
      tw.gpu.mamba1_scan(ag);
      CHECK(pair_err(y) < kF32Scan);
      CHECK(pair_err(norms) < kF32Scan);
    }
  }
}

TEST_CASE("cuda mamba2_scan matches the CPU backend's chunked SSD, with state norms", "[cuda]") {
  auto& tw = Twin::get();
  const unsigned seed = fresh_seed();
  INFO("seed " << seed);
  struct Case {
    std::int64_t T, H, P, G, N, chunk;
    float dt_max;
  };
  const Case cases[] = {{1, 4, 16, 2, 32, 256, 1e30f}, {70, 4, 16, 2, 32, 17, 1e30f}, {300, 6, 24, 3, 128, 64, 0.05f},
                        {257, 2, 64, 1, 64, 256, 1e30f}};
  unsigned s = seed;
  for (const Case& c : cases) {
    INFO("T " << c.T << " H " << c.H << " P " << c.P << " G " << c.G << " N " << c.N);
    const std::int64_t DI = c.H * c.P, GN = c.G * c.N;
    // xBC as the conv output [x | B | C] and dt as a column range of a wider projection
    const Pair xbc = random_pair({c.T, DI + 2 * GN}, s++);
    const Pair proj = random_pair({c.T, c.H + 5}, s++, -4.f, 1.f);
    const Pair A_log = random_pair({c.H}, s++, 0.f, 2.f, DType::bf16);
    const Pair D = random_pair({c.H}, s++, 0.5f, 1.5f), dt_bias = random_pair({c.H}, s++, -2.f, 0.f);
    const Pair y = poisoned({c.T, DI}), norms = poisoned({c.T, c.H});
    auto args = [&](bool gpu) {
      auto pick = [&](const Pair& p) { return gpu ? p.gpu : p.cpu; };
      Backend::Mamba2ScanArgs a;
      a.x = pick(xbc).slice(1, 0, DI);
      a.B = pick(xbc).slice(1, DI, DI + GN);
      a.C = pick(xbc).slice(1, DI + GN, DI + 2 * GN);
      a.dt = pick(proj).slice(1, 5, 5 + c.H);
      a.A_log = pick(A_log);
      a.y = pick(y);
      a.heads = c.H, a.head_dim = c.P, a.groups = c.G, a.state = c.N;
      a.dt_min = 1e-3f, a.dt_max = c.dt_max, a.chunk_size = c.chunk;
      return a;
    };
    Backend::Mamba2ScanArgs ac = args(false), ag = args(true);
    ac.D = &D.cpu, ag.D = &D.gpu;
    ac.dt_bias = &dt_bias.cpu, ag.dt_bias = &dt_bias.gpu;
    ac.state_norms = &norms.cpu, ag.state_norms = &norms.gpu;
    tw.cpu.mamba2_scan(ac);
    tw.gpu.mamba2_scan(ag);
    CHECK(pair_err(y) < kF32Scan);
    CHECK(pair_err(norms) < kF32Scan);
  }
}

TEST_CASE("cuda gated_delta_net matches the CPU backend's chunked form, with state norms", "[cuda]") {
  auto& tw = Twin::get();
  const unsigned seed = fresh_seed();
  INFO("seed " << seed);
  struct Case {
    std::int64_t T, Hk, Hv, Dk, Dv;
    float beta_scale;
  };
  const Case cases[] = {{1, 2, 4, 32, 48, 1.f}, {65, 2, 4, 64, 48, 2.f}, {200, 1, 3, 128, 96, 1.f},
                        {130, 2, 2, 100, 20, 2.f}};
  unsigned s = seed;
  for (const Case& c : cases) {
    INFO("T " << c.T << " Hk " << c.Hk << " Hv " << c.Hv << " Dk " << c.Dk << " Dv " << c.Dv);
    const std::int64_t kd = c.Hk * c.Dk, vd = c.Hv * c.Dv;
    const Pair qkv = random_pair({c.T, 2 * kd + vd}, s++);
    const Pair ba = random_pair({c.T, 2 * c.Hv}, s++, -3.f, 3.f);
    const Pair A_log = random_pair({c.Hv}, s++, -1.f, 1.f, DType::bf16), dt_bias = random_pair({c.Hv}, s++);
    const Pair y = poisoned({c.T, vd}), norms = poisoned({c.T, c.Hv});
    auto args = [&](bool gpu) {
      auto pick = [&](const Pair& p) { return gpu ? p.gpu : p.cpu; };
      Backend::GdnScanArgs a;
      a.q = pick(qkv).slice(1, 0, kd);
      a.k = pick(qkv).slice(1, kd, 2 * kd);
      a.v = pick(qkv).slice(1, 2 * kd, 2 * kd + vd);
      a.b = pick(ba).slice(1, 0, c.Hv);
      a.a = pick(ba).slice(1, c.Hv, 2 * c.Hv);
      a.A_log = pick(A_log);
      a.y = pick(y);
      a.key_heads = c.Hk, a.value_heads = c.Hv, a.key_dim = c.Dk, a.value_dim = c.Dv;
      a.beta_scale = c.beta_scale;
      return a;
    };
    Backend::GdnScanArgs ac = args(false), ag = args(true);
    ac.dt_bias = &dt_bias.cpu, ag.dt_bias = &dt_bias.gpu;
    ac.state_norms = &norms.cpu, ag.state_norms = &norms.gpu;
    tw.cpu.gated_delta_net(ac);
    tw.gpu.gated_delta_net(ag);
    CHECK(pair_err(y) < kF32Scan);
    CHECK(pair_err(norms) < kF32Scan);
  }
}

TEST_CASE("cuda token_shift_mix and rwkv4_scan match the CPU backend, with state norms", "[cuda]") {
  auto& tw = Twin::get();
  const unsigned seed = fresh_seed();
  INFO("seed " << seed);
  for (const std::int64_t T : {std::int64_t{1}, std::int64_t{77}, std::int64_t{300}}) {
    INFO("T " << T);
    const std::int64_t C = 200;
    // k and v as column ranges of one wider projection; keys large enough to need the max-shifted state
    const Pair kv = random_pair({T, 2 * C + 7}, seed, -40.f, 40.f);
    const Pair decay = random_pair({C}, seed + 1, -5.f, 3.f, DType::bf16);
    const Pair first = random_pair({C}, seed + 2, -2.f, 2.f);
    const Pair y = poisoned({T, C}), norms = poisoned({T, 1});
    auto args = [&](bool gpu) {
      auto pick = [&](const Pair& p) { return gpu ? p.gpu : p.cpu; };
      Backend::Rwkv4ScanArgs a;
      a.k = pick(kv).slice(1, 7, 7 + C);
      a.v = pick(kv).slice(1, 7 + C, 7 + 2 * C);
      a.time_decay = pick(decay);
      a.time_first = pick(first);
      a.y = pick(y);
      a.state_norms = gpu ? &norms.gpu : &norms.cpu;
      return a;
    };
    tw.cpu.rwkv4_scan(args(false));
    tw.gpu.rwkv4_scan(args(true));
    CHECK(pair_err(y) < kF32Scan);
    CHECK(pair_err(norms) < kF32Scan);

    const Pair x = random_pair({T, C + 3}, seed + 3).map([&](const Tensor& t) { return t.slice(1, 3, 3 + C); });
    const Pair mix = random_pair({1, 1, C}, seed + 4, 0.f, 1.f, DType::bf16), shifted = poisoned({T, C});
    tw.cpu.token_shift_mix(x.cpu, mix.cpu, shifted.cpu);
    tw.gpu.token_shift_mix(x.gpu, mix.gpu, shifted.gpu);
    CHECK(pair_err(shifted) < kF32);
  }
}

TEST_CASE("cuda rg_lru_scan matches the CPU backend", "[cuda]") {
  auto& tw = Twin::get();
  const unsigned seed = fresh_seed();
  INFO("seed " << seed);
  for (const std::int64_t T : {std::int64_t{1}, std::int64_t{90}, std::int64_t{300}}) {
    INFO("T " << T);
    const std::int64_t W = 160;
    const Pair x = random_pair({T, W}, seed);
    const Pair gates = random_pair({T, 2 * W + 5}, seed + 1, -4.f, 4.f);  // [input | recurrence] logits, strided
    const Pair param = random_pair({W}, seed + 2, -6.f, 1.f, DType::bf16);
    const Pair y = poisoned({T, W});
    auto args = [&](bool gpu) {
      auto pick = [&](const Pair& p) { return gpu ? p.gpu : p.cpu; };
      Backend::RgLruScanArgs a;
      a.x = pick(x);
      a.input_gate = pick(gates).slice(1, 0, W);
      a.recurrent_gate = pick(gates).slice(1, W, 2 * W);
      a.recurrent_param = pick(param);
      a.y = pick(y);
      return a;
    };
    tw.cpu.rg_lru_scan(args(false));
    tw.gpu.rg_lru_scan(args(true));
    CHECK(pair_err(y) < kF32Scan);
  }
}

TEST_CASE("cuda lightning_attention matches the CPU backend, with state norms", "[cuda]") {
  auto& tw = Twin::get();
  const unsigned seed = fresh_seed();
  INFO("seed " << seed);
  struct Case {
    std::int64_t T, H, D, B;
  };
  for (const Case& c : {Case{1, 2, 16, 32}, Case{70, 3, 8, 16}, Case{300, 4, 64, 128}}) {
    INFO("T " << c.T << " H " << c.H << " D " << c.D << " B " << c.B);
    const Pair qkv = random_pair({c.T, 3 * c.H * c.D}, seed, -1.f, 1.f);  // per head [q | k | v]
    const Pair slope = random_pair({c.H, 1, 1}, seed + 1, 0.01f, 0.5f, DType::bf16);
    const Pair qd = random_pair({c.H, c.B, 1}, seed + 2, 0.f, 1.f, DType::bf16);
    const Pair kd = random_pair({c.H, c.B, 1}, seed + 3, 0.f, 1.f, DType::bf16);
    const Pair dd = random_pair({1, c.H, c.B, c.B}, seed + 4, 0.f, 1.f, DType::bf16);
    const Pair y = poisoned({c.T, c.H * c.D}), norms = poisoned({c.T, c.H});
    auto args = [&](bool gpu) {
      auto pick = [&](const Pair& p) { return gpu ? p.gpu : p.cpu; };
      Backend::LightningArgs a;
      const Tensor all = pick(qkv);
      const std::int64_t row = all.stride(0), D = c.D;
      a.q = all.strided({c.T, c.H, D}, {row, 3 * D, 1, 0}, 0);
      a.k = all.strided({c.T, c.H, D}, {row, 3 * D, 1, 0}, D);
      a.v = all.strided({c.T, c.H, D}, {row, 3 * D, 1, 0}, 2 * D);
      a.slope = pick(slope), a.query_decay = pick(qd), a.key_decay = pick(kd), a.diagonal_decay = pick(dd);
      a.block_size = c.B;
      a.y = pick(y);
      a.state_norms = gpu ? &norms.gpu : &norms.cpu;
      return a;
    };
    tw.cpu.lightning_attention(args(false));
    tw.gpu.lightning_attention(args(true));
    CHECK(pair_err(y) < kF32Scan);
    CHECK(pair_err(norms) < kF32Scan);
  }
}

TEST_CASE("cuda kimi_delta_attention matches the CPU backend, with state norms", "[cuda]") {
  auto& tw = Twin::get();
  const unsigned seed = fresh_seed();
  INFO("seed " << seed);
  struct Case {
    std::int64_t T, H, D;
  };
  for (const Case& c : {Case{1, 2, 16}, Case{77, 3, 32}, Case{260, 2, 128}}) {
    INFO("T " << c.T << " H " << c.H << " D " << c.D);
    const std::int64_t d = c.H * c.D;
    const Pair qkv = random_pair({c.T, 3 * d + 4}, seed);  // q, k, v as column ranges of one buffer
    const Pair f = random_pair({c.T, d}, seed + 1, -6.f, 2.f), b = random_pair({c.T, c.H + 3}, seed + 2, -3.f, 3.f);
    const Pair A_log = random_pair({1, 1, c.H, 1}, seed + 3, 0.f, 2.5f);
    const Pair dt_bias = random_pair({d}, seed + 4, -4.f, 0.f, DType::bf16);
    const Pair y = poisoned({c.T, d}), norms = poisoned({c.T, c.H});
    auto args = [&](bool gpu) {
      auto pick = [&](const Pair& p) { return gpu ? p.gpu : p.cpu; };
      Backend::KimiDeltaArgs a;
      a.q = pick(qkv).slice(1, 4, 4 + d);
      a.k = pick(qkv).slice(1, 4 + d, 4 + 2 * d);
      a.v = pick(qkv).slice(1, 4 + 2 * d, 4 + 3 * d);
      a.f = pick(f);
      a.b = pick(b).slice(1, 3, 3 + c.H);
      a.A_log = pick(A_log), a.dt_bias = pick(dt_bias);
      a.heads = c.H, a.head_dim = c.D;
      a.y = pick(y);
      a.state_norms = gpu ? &norms.gpu : &norms.cpu;
      return a;
    };
    tw.cpu.kimi_delta_attention(args(false));
    tw.gpu.kimi_delta_attention(args(true));
    CHECK(pair_err(y) < kF32Scan);
    CHECK(pair_err(norms) < kF32Scan);
  }
}

TEST_CASE("cuda mlstm matches the CPU backend, with state norms", "[cuda]") {
  auto& tw = Twin::get();
  const unsigned seed = fresh_seed();
  INFO("seed " << seed);
  struct Case {
    std::int64_t T, H, Dk, Dv;
  };
  for (const Case& c : {Case{1, 2, 16, 32}, Case{90, 4, 8, 16}, Case{260, 2, 64, 128}}) {
    INFO("T " << c.T << " H " << c.H << " Dk " << c.Dk << " Dv " << c.Dv);
    const Pair qk = random_pair({c.T, 2 * c.H * c.Dk + 3}, seed);  // q, k as column ranges of one buffer
    const Pair v = random_pair({c.T, c.H * c.Dv}, seed + 1);
    const Pair gates = random_pair({c.T, 2 * c.H}, seed + 2, -8.f, 8.f);  // [i | f]
    const Pair y = poisoned({c.T, c.H * c.Dv}), norms = poisoned({c.T, c.H});
    auto args = [&](bool gpu) {
      auto pick = [&](const Pair& p) { return gpu ? p.gpu : p.cpu; };
      Backend::MLstmArgs a;
      a.q = pick(qk).slice(1, 3, 3 + c.H * c.Dk);
      a.k = pick(qk).slice(1, 3 + c.H * c.Dk, 3 + 2 * c.H * c.Dk);
      a.v = pick(v);
      a.i = pick(gates).slice(1, 0, c.H);
      a.f = pick(gates).slice(1, c.H, 2 * c.H);
      a.heads = c.H;
      a.y = pick(y);
      a.state_norms = gpu ? &norms.gpu : &norms.cpu;
      return a;
    };
    tw.cpu.mlstm(args(false));
    tw.gpu.mlstm(args(true));
    CHECK(pair_err(y) < kF32Scan);
    CHECK(pair_err(norms) < kF32Scan);
  }
}
