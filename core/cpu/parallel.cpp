#include "core/cpu/parallel.h"

#include <cblas.h>

#include <thread>

#if defined(_OPENMP)
#include <omp.h>
#endif


namespace hl::cpu {

int max_threads() {
#if defined(_OPENMP)
  return omp_get_max_threads();
#else
  return 1;
#endif
}

void set_num_threads(int n) {
  if (n <= 0) {
    unsigned hc = std::thread::hardware_concurrency();
    n = hc ? static_cast<int>(hc) : 1;
  }
#if defined(_OPENMP)
  omp_set_num_threads(n);
#endif
  openblas_set_num_threads(n);
}

namespace detail {
void parallel_for_impl(std::int64_t n, void* ctx, RangeFn fn, bool dynamic) {
#if defined(_OPENMP)
  if (dynamic) {
#pragma omp parallel for schedule(dynamic, 1)
    for (std::int64_t i = 0; i < n; ++i) fn(ctx, i);
  } else {
#pragma omp parallel for schedule(static)
    for (std::int64_t i = 0; i < n; ++i) fn(ctx, i);
  }
#else
  (void)dynamic;
  for (std::int64_t i = 0; i < n; ++i) fn(ctx, i);
#endif
}
}  // namespace detail

}  // namespace hl::cpu
