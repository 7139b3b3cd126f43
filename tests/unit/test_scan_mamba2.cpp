#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <ctime>
#include <cstdio>
#include <string>
#include <vector>

#include "core/cpu/mamba2_ssd.h"
#include "support/random.h"
#include "unit/npy.h"

using hl::test::compare_rel;
using hl::test::load_npy;
using hl::test::scan_fixture;

namespace {

struct Fixture {
  hl::test::NpyArray x, dt, A, B, C, D, dt_bias, dt_limit, y, final_state, state_norms;
  explicit Fixture(const std::string& c)
      : x(load_npy(scan_fixture(c, "x"))), dt(load_npy(scan_fixture(c, "dt"))), A(load_npy(scan_fixture(c, "A"))),
        B(load_npy(scan_fixture(c, "B"))), C(load_npy(scan_fixture(c, "C"))), D(load_npy(scan_fixture(c, "D"))),
        dt_bias(load_npy(scan_fixture(c, "dt_bias"))), dt_limit(load_npy(scan_fixture(c, "dt_limit"))),
        y(load_npy(scan_fixture(c, "y"))), final_state(load_npy(scan_fixture(c, "final_state"))),
        state_norms(load_npy(scan_fixture(c, "state_norms"))) {}
  hl::cpu::Mamba2Dims dims() const { return {x.dim(0), x.dim(1), x.dim(2), B.dim(2), B.dim(1)}; }
  hl::cpu::Mamba2Inputs inputs() const {
    hl::cpu::Mamba2Inputs in;
    in.x = x.data.data();
    in.dt = dt.data.data();
    in.A = A.data.data();
    in.B = B.data.data();
    in.C = C.data.data();
    in.D = D.data.data();
    in.dt_bias = dt_bias.data.data();
    in.dt_min = dt_limit.data[0];
    in.dt_max = dt_limit.data[1] > 1e38f ? INFINITY : dt_limit.data[1];
    return in;
  }
};

struct Result {
  std::vector<float> y, norms, state;
  Result(const hl::cpu::Mamba2Dims& d) : y(d.T * d.H * d.P), norms(d.T * d.H), state(d.H * d.P * d.N) {}
  hl::cpu::ScanOutputs out() { return {y.data(), norms.data(), state.data()}; }
};

void check_against(const Fixture& f, Result& r) {
  CHECK(compare_rel(r.y.data(), f.y.data.data(), r.y.size(), 1e-4) == "");
  CHECK(compare_rel(r.state.data(), f.final_state.data.data(), r.state.size(), 1e-4) == "");
  REQUIRE(f.state_norms.data.size() == r.norms.size());
  CHECK(compare_rel(r.norms.data(), f.state_norms.data.data(), r.norms.size(), 1e-4) == "");
}

struct Random {
  hl::cpu::Mamba2Dims d;
  std::vector<float> x, dt, A, B, C, D, dt_bias, s0;
  Random(hl::cpu::Mamba2Dims dd, unsigned seed) : d(dd) {
    x = hl::test::random_floats(d.T * d.H * d.P, seed + 1);
    dt = hl::test::random_floats(d.T * d.H, seed + 2, -3.f, 1.f);
    A = hl::test::random_floats(d.H, seed + 3, -4.f, -0.5f);
    B = hl::test::random_floats(d.T * d.G * d.N, seed + 4);
    C = hl::test::random_floats(d.T * d.G * d.N, seed + 5);
    D = hl::test::random_floats(d.H, seed + 6);
    dt_bias = hl::test::random_floats(d.H, seed + 7);
    s0 = hl::test::random_floats(d.H * d.P * d.N, seed + 8);
  }
  hl::cpu::Mamba2Inputs inputs(bool with_s0 = false) const {
    hl::cpu::Mamba2Inputs in;
    in.x = x.data();
    in.dt = dt.data();
    in.A = A.data();
    in.B = B.data();
    in.C = C.data();
    in.D = D.data();
    in.dt_bias = dt_bias.data();
    if (with_s0) in.initial_state = s0.data();
    return in;
  }
};

// Chunked vs sequential: both are float32 with different summation orders, so entries that cancel to far below the
// tensor's scale carry rounding of the scale; the relative check uses max(|want|, 0.1 * max|want|) as the reference.
void check_same(Result& a, Result& b, double rtol) {
  CHECK(compare_rel(a.y.data(), b.y.data(), a.y.size(), rtol, 0.1) == "");
  CHECK(compare_rel(a.state.data(), b.state.data(), a.state.size(), rtol, 0.1) == "");
  CHECK(compare_rel(a.norms.data(), b.norms.data(), a.norms.size(), rtol, 0.1) == "");
}

}  // namespace

TEST_CASE("mamba2 SSD matches HF mamba2_chunk_scan (sequential and chunked)", "[cpu][scan]") {
  for (const char* name : {"mamba2", "mamba2_dtlimit"}) {
    INFO(name);
    const Fixture f(name);
    const auto d = f.dims();
    Result seq(d);
    hl::cpu::mamba2_ssd_sequential(d, f.inputs(), seq.out());
    check_against(f, seq);
    for (std::size_t chunk : {256, 64, 17, 1}) {
      INFO("chunk " << chunk);
      Result ch(d);
      hl::cpu::mamba2_ssd_chunked(d, f.inputs(), ch.out(), chunk);
      check_against(f, ch);
    }
  }
}

TEST_CASE("mamba2 SSD: chunked agrees with sequential on lengths not a multiple of the chunk", "[cpu][scan]") {
  for (std::size_t T : {1, 5, 255, 257, 600}) {
    INFO("T " << T);
    const Random r({T, 6, 16, 32, 2}, static_cast<unsigned>(T));
    Result seq(r.d), ch(r.d);
    hl::cpu::mamba2_ssd_sequential(r.d, r.inputs(), seq.out());
    hl::cpu::mamba2_ssd_chunked(r.d, r.inputs(), ch.out(), 256);
    check_same(ch, seq, 1e-5);
  }
}

TEST_CASE("mamba2 SSD: initial state, strided views and strong decays", "[cpu][scan]") {
  const hl::cpu::Mamba2Dims d{300, 4, 8, 16, 1};
  Random r(d, 7);
  SECTION("initial state") {
    Result seq(d), ch(d);
    hl::cpu::mamba2_ssd_sequential(d, r.inputs(true), seq.out());
    hl::cpu::mamba2_ssd_chunked(d, r.inputs(true), ch.out(), 128);
    check_same(ch, seq, 1e-5);
  }
  SECTION("strong decays stay finite and agree") {
    for (auto& v : r.dt) v = v * 10.f + 15.f;  // dt ~ 5..25, dt*A down to -100 per token
    Result seq(d), ch(d);
    hl::cpu::mamba2_ssd_sequential(d, r.inputs(true), seq.out());
    hl::cpu::mamba2_ssd_chunked(d, r.inputs(true), ch.out(), 64);
    for (float v : ch.y) REQUIRE(std::isfinite(v));
    check_same(ch, seq, 1e-4);
  }
  SECTION("xBC as one fused [T, H*P + 2*G*N] buffer, dt as a column of zxbcdt") {
    const std::size_t W = d.H * d.P + 2 * d.G * d.N, Z = W + d.H + 3;
    std::vector<float> fused(d.T * Z);
    for (std::size_t t = 0; t < d.T; ++t) {
      for (std::size_t i = 0; i < d.H * d.P; ++i) fused[t * Z + i] = r.x[t * d.H * d.P + i];
      for (std::size_t i = 0; i < d.G * d.N; ++i) {
        fused[t * Z + d.H * d.P + i] = r.B[t * d.G * d.N + i];
        fused[t * Z + d.H * d.P + d.G * d.N + i] = r.C[t * d.G * d.N + i];
      }
      for (std::size_t h = 0; h < d.H; ++h) fused[t * Z + W + h] = r.dt[t * d.H + h];
    }
    auto in = r.inputs();
    in.x = fused.data();
    in.B = fused.data() + d.H * d.P;
    in.C = fused.data() + d.H * d.P + d.G * d.N;
    in.dt = fused.data() + W;
    in.x_stride = in.bc_stride = in.dt_stride = Z;
    Result packed(d), strided(d), strided_seq(d);
    hl::cpu::mamba2_ssd_chunked(d, r.inputs(), packed.out(), 64);
    hl::cpu::mamba2_ssd_chunked(d, in, strided.out(), 64);
    hl::cpu::mamba2_ssd_sequential(d, in, strided_seq.out());
    check_same(strided, packed, 1e-6);
    check_same(strided_seq, packed, 1e-5);
  }
}

TEST_CASE("mamba2 SSD timing, T=2048 H=24 P=64 N=128 G=1", "[.bench]") {
  for (std::size_t T : {2048, 8192}) {
    const hl::cpu::Mamba2Dims d{T, 24, 64, 128, 1};
    const Random r(d, 3);
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
    const double ts = T <= 2048 ? time([&] { hl::cpu::mamba2_ssd_sequential(d, r.inputs(), seq.out()); }) : 0.0;
    const double cs = T <= 2048 ? cpu : 0.0;
    const double tc = time([&] { hl::cpu::mamba2_ssd_chunked(d, r.inputs(), ch.out(), 256); });
    const double cc = cpu;
    const double tn = time([&] { hl::cpu::mamba2_ssd_chunked(d, r.inputs(), {ch_nonorm.y.data(), nullptr, nullptr}, 256); });
    const double cn = cpu;
    std::printf("mamba2 T=%zu: wall/cpu seconds: sequential %.3f/%.3f, chunked %.3f/%.3f, chunked without norms %.3f/%.3f\n", T,
                ts, cs, tc, cc, tn, cn);
    if (T <= 2048) check_same(ch, seq, 1e-4);
  }
}
