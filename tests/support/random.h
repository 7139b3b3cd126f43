#pragma once
// Random test inputs. Seeds come from the test (fixed) or from std::random_device (fresh, printed by the caller).
#include <random>
#include <vector>

namespace hl::test {

inline std::vector<float> random_floats(std::size_t n, unsigned seed, float lo = -1.f, float hi = 1.f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(n);
  for (auto& x : v) x = d(rng);
  return v;
}

}  // namespace hl::test
