#include "core/cpu/scan_norms.h"

#include <algorithm>
#include <cmath>

namespace hl::cpu {

void chunk_state_norms(std::size_t L, const double* cs, const float* decay, std::size_t ldd, double s0_sq,
                       const float* cross, const float* xx, const float* bb, std::size_t ldg, float* out,
                       std::size_t out_stride) {
  double q = 0.0, c = 0.0, prev = 0.0;
  for (std::size_t t = 0; t < L; ++t) {
    const double cst = cs[t];
    const double e = std::exp(cst - prev);  // e^{a_t}, a_t <= 0
    prev = cst;
    const float* drow = decay + t * ldd;
    const float* xrow = xx + t * ldg;
    const float* brow = bb + t * ldg;
    double r = 0.0;
    for (std::size_t s = 0; s < t; ++s) r += static_cast<double>(drow[s]) * xrow[s] * brow[s];
    q = e * e * q + 2.0 * r + static_cast<double>(xrow[t]) * brow[t];
    c = e * c + cross[t];
    const double g = std::exp(cst);
    const double n2 = g * g * s0_sq + 2.0 * g * c + q;
    out[t * out_stride] = static_cast<float>(std::sqrt(std::max(n2, 0.0)));
  }
}

}  // namespace hl::cpu
