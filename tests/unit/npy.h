#pragma once
// Helpers for the scan kernel tests (test_scan_*.cpp). The .npy reader itself is tests/support/npy.h
// (hl::test::NpyArray / load_npy) -- one definition, so no two test files can disagree on it.
#include "support/npy.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace hl::test {

// Elementwise closeness for kernel-vs-reference checks: |got - want| <= rtol * max(|want|, floor_frac * max|want|).
// The floor keeps exact-zero / cancelling entries from demanding more than float32 can give; with floor_frac = 1e-2
// an entry 100x smaller than the array's largest still gets a relative check. Returns "" when close, else a report.
inline std::string compare_rel(const float* got, const float* want, std::size_t n, double rtol,
                               double floor_frac = 1e-2) {
  double maxabs = 0.0;
  for (std::size_t i = 0; i < n; ++i) maxabs = std::max(maxabs, std::fabs(static_cast<double>(want[i])));
  const double floor = floor_frac * maxabs;
  std::size_t bad = 0, worst = 0;
  double worst_ratio = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double w = want[i], g = got[i];
    const double tol = rtol * std::max(std::fabs(w), floor);
    const double err = std::fabs(g - w);
    const double ratio = tol > 0 ? err / tol : (err > 0 ? 1e30 : 0.0);
    if (!(err <= tol)) ++bad;  // NaN counts as bad
    if (!(ratio <= worst_ratio)) {
      worst_ratio = ratio;
      worst = i;
    }
  }
  if (bad == 0) return "";
  std::ostringstream os;
  os << bad << "/" << n << " entries off; worst at " << worst << ": got " << got[worst] << " want " << want[worst]
     << " (err/tol " << worst_ratio << ", max|want| " << maxabs << ")";
  return os.str();
}

inline std::string scan_fixture(const std::string& test_case, const std::string& name) {
  return std::string(HL_TEST_DATA_DIR) + "/scans/" + test_case + "/" + name + ".npy";
}

}  // namespace hl::test
