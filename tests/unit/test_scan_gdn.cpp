#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <ctime>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "core/cpu/gated_delta_net.h"
#include "support/random.h"
#include "unit/npy.h"

using hl::test::compare_rel;
using hl::test::load_npy;
using hl::test::scan_fixture;

namespace {

struct Fixture {
  hl::test::NpyArray q, k, v, a, b, A_log, dt_bias, beta, g, y, y_rec, final_state, state_norms;
  explicit Fixture(const std::string& c)
      : q(load_npy(scan_fixture(c, "q"))), k(load_npy(scan_fixture(c, "k"))), v(load_npy(scan_fixture(c, "v"))),
        a(load_npy(scan_fixture(c, "a"))), b(load_npy(scan_fixture(c, "b"))), A_log(load_npy(scan_fixture(c, "A_log"))),
        dt_bias(load_npy(scan_fixture(c, "dt_bias"))), beta(load_npy(scan_fixture(c, "beta"))),
        g(load_npy(scan_fixture(c, "g"))), y(load_npy(scan_fixture(c, "y"))),
        y_rec(load_npy(scan_fixture(c, "y_recurrent"))), final_state(load_npy(scan_fixture(c, "final_state"))),
        state_norms(load_npy(scan_fixture(c, "state_norms"))) {}
  hl::cpu::GdnDims dims() const { return {q.dim(0), q.dim(1), v.dim(1), q.dim(2), v.dim(2)}; }
  hl::cpu::GdnInputs inputs(float beta_scale) const {
    hl::cpu::GdnInputs in;
    in.q = q.data.data();
    in.k = k.data.data();
    in.v = v.data.data();
    in.a = a.data.data();
    in.b = b.data.data();
    in.A_log = A_log.data.data();
    in.dt_bias = dt_bias.data.data();
    in.beta_scale = beta_scale;
    return in;
  }
};

struct Result {
  std::vector<float> y, norms, state;
  explicit Result(const hl::cpu::GdnDims& d) : y(d.T * d.Hv * d.Dv), norms(d.T * d.Hv), state(d.Hv * d.Dk * d.Dv) {}
  hl::cpu::ScanOutputs out() { return {y.data(), norms.data(), state.data()}; }
};

void check_against(const Fixture& f, Result& r) {
  CHECK(compare_rel(r.y.data(), f.y.data.data(), r.y.size(), 1e-4) == "");
  CHECK(compare_rel(r.y.data(), f.y_rec.data.data(), r.y.size(), 1e-4) == "");
  CHECK(compare_rel(r.state.data(), f.final_state.data.data(), r.state.size(), 1e-4) == "");
  REQUIRE(f.state_norms.data.size() == r.norms.size());
  CHECK(compare_rel(r.norms.data(), f.state_norms.data.data(), r.norms.size(), 1e-4) == "");
}

// Chunked vs sequential: both are float32 with different summation orders, so entries that cancel to far below the
// tensor's scale carry rounding of the scale; the relative check uses max(|want|, 0.1 * max|want|) as the reference.
void check_same(Result& a, Result& b, double rtol) {
  CHECK(compare_rel(a.y.data(), b.y.data(), a.y.size(), rtol, 0.1) == "");
  CHECK(compare_rel(a.state.data(), b.state.data(), a.state.size(), rtol, 0.1) == "");
  CHECK(compare_rel(a.norms.data(), b.norms.data(), a.norms.size(), rtol, 0.1) == "");
}

struct Random {
  hl::cpu::GdnDims d;
  std::vector<float> q, k, v, a, b, A_log, dt_bias, s0;
  Random(hl::cpu::GdnDims dd, unsigned seed) : d(dd) {
    q = hl::test::random_floats(d.T * d.Hk * d.Dk, seed + 1);
    k = hl::test::random_floats(d.T * d.Hk * d.Dk, seed + 2);
    v = hl::test::random_floats(d.T * d.Hv * d.Dv, seed + 3);
    a = hl::test::random_floats(d.T * d.Hv, seed + 4, -3.f, 3.f);
    b = hl::test::random_floats(d.T * d.Hv, seed + 5, -3.f, 3.f);
    A_log = hl::test::random_floats(d.Hv, seed + 6, 0.f, 2.7f);
    dt_bias = hl::test::random_floats(d.Hv, seed + 7, -3.f, 0.f);
    s0 = hl::test::random_floats(d.Hv * d.Dk * d.Dv, seed + 8);
  }
  hl::cpu::GdnInputs inputs(float beta_scale = 1.f, bool with_s0 = false) const {
    hl::cpu::GdnInputs in;
    in.q = q.data();
    in.k = k.data();
    in.v = v.data();
    in.a = a.data();
    in.b = b.data();
    in.A_log = A_log.data();
    in.dt_bias = dt_bias.data();
    in.beta_scale = beta_scale;
    if (with_s0) in.initial_state = s0.data();
    return in;
  }
};

}  // namespace

TEST_CASE("gated delta net matches HF torch_*_gated_delta_rule (qwen3_next, olmo_hybrid)", "[cpu][scan]") {
  for (auto [name, beta_scale] : {std::pair{"gdn_qwen3_next", 1.f}, std::pair{"gdn_olmo_hybrid", 2.f}}) {
    INFO(name);
    const Fixture f(name);
    const auto d = f.dims();
    // the gate math alone
    std::vector<float> beta(d.T * d.Hv), g(d.T * d.Hv);
    hl::cpu::gdn_gates(d, f.inputs(beta_scale), beta.data(), g.data());
    CHECK(compare_rel(beta.data(), f.beta.data.data(), beta.size(), 1e-5) == "");
    CHECK(compare_rel(g.data(), f.g.data.data(), g.size(), 1e-5) == "");
    Result seq(d);
    hl::cpu::gated_delta_net_sequential(d, f.inputs(beta_scale), seq.out());
    check_against(f, seq);
    for (std::size_t chunk : {64, 32, 7}) {
      INFO("chunk " << chunk);
      Result ch(d);
      hl::cpu::gated_delta_net_chunked(d, f.inputs(beta_scale), ch.out(), chunk);
      check_against(f, ch);
    }
    // precomputed beta / g instead of raw gates
    auto in = f.inputs(beta_scale);
    in.gates_raw = false;
    in.b = f.beta.data.data();
    in.a = f.g.data.data();
    Result pre(d);
    hl::cpu::gated_delta_net_chunked(d, in, pre.out());
    check_against(f, pre);
  }
}

TEST_CASE("gated delta net: chunked agrees with sequential on lengths not a multiple of 64", "[cpu][scan]") {
  for (std::size_t T : {1, 63, 65, 200}) {
    for (float beta_scale : {1.f, 2.f}) {
      INFO("T " << T << " beta_scale " << beta_scale);
      const Random r({T, 2, 6, 32, 16}, static_cast<unsigned>(T));
      Result seq(r.d), ch(r.d);
      hl::cpu::gated_delta_net_sequential(r.d, r.inputs(beta_scale), seq.out());
      hl::cpu::gated_delta_net_chunked(r.d, r.inputs(beta_scale), ch.out(), 64);
      check_same(ch, seq, 1e-5);
    }
  }
}

TEST_CASE("gated delta net: initial state, tiled head map, strided q/k/v", "[cpu][scan]") {
  const hl::cpu::GdnDims d{150, 2, 4, 16, 24};
  const Random r(d, 5);
  SECTION("initial state") {
    Result seq(d), ch(d);
    hl::cpu::gated_delta_net_sequential(d, r.inputs(1.f, true), seq.out());
    hl::cpu::gated_delta_net_chunked(d, r.inputs(1.f, true), ch.out(), 64);
    check_same(ch, seq, 1e-5);
  }
  SECTION("tiled head map differs from interleaved and chunked agrees with sequential") {
    auto in = r.inputs();
    in.head_map = hl::cpu::GdnHeadMap::Tile;
    Result seq(d), ch(d), inter(d);
    hl::cpu::gated_delta_net_sequential(d, in, seq.out());
    hl::cpu::gated_delta_net_chunked(d, in, ch.out(), 64);
    hl::cpu::gated_delta_net_sequential(d, r.inputs(), inter.out());
    check_same(ch, seq, 1e-5);
    CHECK(compare_rel(inter.y.data(), seq.y.data(), seq.y.size(), 1e-3) != "");
  }
  SECTION("q/k/v as views into one [T, 2*Hk*Dk + Hv*Dv] conv output") {
    const std::size_t Kd = d.Hk * d.Dk, W = 2 * Kd + d.Hv * d.Dv;
    std::vector<float> mixed(d.T * W);
    for (std::size_t t = 0; t < d.T; ++t) {
      for (std::size_t i = 0; i < Kd; ++i) {
        mixed[t * W + i] = r.q[t * Kd + i];
        mixed[t * W + Kd + i] = r.k[t * Kd + i];
      }
      for (std::size_t i = 0; i < d.Hv * d.Dv; ++i) mixed[t * W + 2 * Kd + i] = r.v[t * d.Hv * d.Dv + i];
    }
    auto in = r.inputs();
    in.q = mixed.data();
    in.k = mixed.data() + Kd;
    in.v = mixed.data() + 2 * Kd;
    in.qk_stride = in.v_stride = W;
    Result packed(d), strided(d);
    hl::cpu::gated_delta_net_chunked(d, r.inputs(), packed.out(), 64);
    hl::cpu::gated_delta_net_chunked(d, in, strided.out(), 64);
    check_same(strided, packed, 1e-6);
  }
}

TEST_CASE("gated delta net timing, T=2048 Hk=16 Hv=16 Dk=Dv=128", "[.bench]") {
  for (std::size_t T : {2048, 8192}) {
    const hl::cpu::GdnDims d{T, 16, 16, 128, 128};
    const Random r(d, 9);
    Result seq(d), ch(d), ch_nonorm(d);
    // wall-clock seconds; the CPU seconds of the whole process (OpenBLAS threads included) go to cpu
    double cpu = 0.0;
    auto time = [&cpu](auto&& fn) {
      const auto t0 = std::chrono::steady_clock::now();
      const std::clock_t c0 = std::clock();
      fn();
      cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    };
    const double ts = T <= 2048 ? time([&] { hl::cpu::gated_delta_net_sequential(d, r.inputs(), seq.out()); }) : 0.0;
    const double cs = T <= 2048 ? cpu : 0.0;
    const double tc = time([&] { hl::cpu::gated_delta_net_chunked(d, r.inputs(), ch.out(), 64); });
    const double cc = cpu;
    const double tn =
        time([&] { hl::cpu::gated_delta_net_chunked(d, r.inputs(), {ch_nonorm.y.data(), nullptr, nullptr}, 64); });
    const double cn = cpu;
    std::printf("gdn T=%zu: wall/cpu seconds: sequential %.3f/%.3f, chunked %.3f/%.3f, chunked without norms %.3f/%.3f\n", T,
                ts, cs, tc, cc, tn, cn);
    if (T <= 2048) check_same(ch, seq, 1e-4);
  }
}
