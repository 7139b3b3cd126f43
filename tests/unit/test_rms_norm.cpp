#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "core/cpu/rms_norm.h"

TEST_CASE("rms_norm matches a hand-computed row", "[cpu]") {
  // Row (3, 4): mean square 12.5, so 1/sqrt(12.5 + 0) = 0.28284271.
  const std::vector<float> x = {3.f, 4.f, 1.f, -1.f};
  const std::vector<float> w = {1.f, 2.f};
  std::vector<float> y(4);
  hl::cpu::rms_norm(x.data(), w.data(), y.data(), 2, 2, 0.f);
  CHECK(y[0] == Approx(3.f / std::sqrt(12.5f)).epsilon(1e-6));
  CHECK(y[1] == Approx(8.f / std::sqrt(12.5f)).epsilon(1e-6));
  CHECK(y[2] == Approx(1.f).epsilon(1e-6));
  CHECK(y[3] == Approx(-2.f).epsilon(1e-6));
}

TEST_CASE("rms_norm works in place and honours eps", "[cpu]") {
  std::vector<float> x = {0.f, 0.f, 0.f};
  const std::vector<float> w = {1.f, 1.f, 1.f};
  hl::cpu::rms_norm(x.data(), w.data(), x.data(), 1, 3, 1e-6f);
  for (float v : x) CHECK(v == 0.f);  // eps keeps an all-zero row finite
}
