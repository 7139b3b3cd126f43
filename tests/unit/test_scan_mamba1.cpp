#include <catch2/catch.hpp>
#include <vector>

#include "core/cpu/mamba1_scan.h"
#include "support/random.h"
#include "unit/npy.h"

using hl::test::compare_rel;
using hl::test::load_npy;
using hl::test::scan_fixture;

namespace {
hl::test::NpyArray fx(const char* name) { return load_npy(scan_fixture("mamba1", name)); }
}  // namespace

TEST_CASE("mamba1_scan matches HF mamba_selective_scan (slow path)", "[cpu][scan]") {
  const auto u = fx("u"), delta = fx("delta"), delta_bias = fx("delta_bias"), A = fx("A"), B = fx("B"), C = fx("C"),
             D = fx("D"), z = fx("z"), want_y = fx("y"), want_state = fx("final_state"), want_norms = fx("state_norms");
  hl::cpu::Mamba1Dims d{u.dim(0), u.dim(1), A.dim(1)};
  hl::cpu::Mamba1Inputs in;
  in.u = u.data.data();
  in.delta = delta.data.data();
  in.delta_bias = delta_bias.data.data();
  in.A = A.data.data();
  in.B = B.data.data();
  in.C = C.data.data();
  in.Dskip = D.data.data();
  in.z = z.data.data();
  std::vector<float> y(d.T * d.D), norms(d.T), state(d.D * d.N);
  hl::cpu::mamba1_scan(d, in, {y.data(), norms.data(), state.data()});
  CHECK(compare_rel(y.data(), want_y.data.data(), y.size(), 1e-4) == "");
  CHECK(compare_rel(state.data(), want_state.data.data(), state.size(), 1e-4) == "");
  REQUIRE(want_norms.data.size() == d.T);
  CHECK(compare_rel(norms.data(), want_norms.data.data(), d.T, 1e-4) == "");
}

TEST_CASE("mamba1_scan: strided views of fused buffers and a split sequence give the same result", "[cpu][scan]") {
  const std::size_t T = 31, D = 12, N = 6, R = 3;  // R = dt_rank
  // xz = [u | z] per token (in_proj layout), xdbl = [dt_r | B | C] per token (x_proj layout)
  const auto xz = hl::test::random_floats(T * 2 * D, 21);
  const auto xdbl = hl::test::random_floats(T * (R + 2 * N), 22);
  const auto delta = hl::test::random_floats(T * D, 23);
  auto A = hl::test::random_floats(D * N, 24, -2.f, -0.1f);
  const auto Dk = hl::test::random_floats(D, 25);
  hl::cpu::Mamba1Dims d{T, D, N};
  hl::cpu::Mamba1Inputs in;
  in.u = xz.data();
  in.u_stride = 2 * D;
  in.z = xz.data() + D;
  in.z_stride = 2 * D;
  in.B = xdbl.data() + R;
  in.C = xdbl.data() + R + N;
  in.bc_stride = R + 2 * N;
  in.delta = delta.data();
  in.A = A.data();
  in.Dskip = Dk.data();
  std::vector<float> y(T * D), norms(T), state(D * N);
  hl::cpu::mamba1_scan(d, in, {y.data(), norms.data(), state.data()});
  // packed copies
  std::vector<float> u(T * D), z(T * D), B(T * N), C(T * N);
  for (std::size_t t = 0; t < T; ++t) {
    for (std::size_t c = 0; c < D; ++c) {
      u[t * D + c] = xz[t * 2 * D + c];
      z[t * D + c] = xz[t * 2 * D + D + c];
    }
    for (std::size_t n = 0; n < N; ++n) {
      B[t * N + n] = xdbl[t * (R + 2 * N) + R + n];
      C[t * N + n] = xdbl[t * (R + 2 * N) + R + N + n];
    }
  }
  // two halves with the state carried over
  const std::size_t T1 = 13;
  hl::cpu::Mamba1Inputs p = in;
  p.u = u.data();
  p.z = z.data();
  p.B = B.data();
  p.C = C.data();
  p.u_stride = p.z_stride = p.bc_stride = 0;
  std::vector<float> y2(T * D), n2(T), s1(D * N), s2(D * N);
  hl::cpu::mamba1_scan({T1, D, N}, p, {y2.data(), n2.data(), s1.data()});
  hl::cpu::Mamba1Inputs p2 = p;
  p2.u += T1 * D;
  p2.z += T1 * D;
  p2.B += T1 * N;
  p2.C += T1 * N;
  p2.delta += T1 * D;
  p2.initial_state = s1.data();
  hl::cpu::mamba1_scan({T - T1, D, N}, p2, {y2.data() + T1 * D, n2.data() + T1, s2.data()});
  CHECK(compare_rel(y2.data(), y.data(), y.size(), 1e-6) == "");
  CHECK(compare_rel(n2.data(), norms.data(), T, 1e-6) == "");
  CHECK(compare_rel(s2.data(), state.data(), state.size(), 1e-6) == "");
}
