#pragma once
// Thread parallelism for the CPU kernels (not GEMM: GEMM runs on OpenBLAS's own threads, always called from outside
// any parallel region so the two pools never nest -- nesting them oversubscribes the cores -- except inside a
// SingleThreadedBlas scope, where every GEMM runs on its calling thread).
// parallel_for(n, fn) calls fn(i) for i in [0, n) on a pool of sleeping (not spinning) worker threads plus the
// caller; calls from inside a task run serially. fn must not throw (an exception cannot cross the pool); validate
// arguments before.
#include <cstddef>
#include <cstdint>
#include <type_traits>

// HL_SIMD: vectorise the next loop (OpenMP SIMD; the build uses -O2 without -march, where GCC's cheap cost model
// leaves loops that need alias checks scalar). Only on loops whose iterations are independent.
#if defined(HL_OPENMP_SIMD)
#define HL_SIMD _Pragma("omp simd")
#else
#define HL_SIMD
#endif

namespace hl::cpu {

int max_threads();              // threads a parallel_for may use
void set_num_threads(int n);    // for both our loops and OpenBLAS; n <= 0 restores the defaults

// While alive, OpenBLAS uses one thread, so many small GEMMs can run at once inside parallel_for tasks.
class SingleThreadedBlas {
 public:
  SingleThreadedBlas();
  ~SingleThreadedBlas();
  SingleThreadedBlas(const SingleThreadedBlas&) = delete;
  SingleThreadedBlas& operator=(const SingleThreadedBlas&) = delete;

 private:
  int previous_;
};

namespace detail {
using RangeFn = void (*)(void* ctx, std::int64_t i);
void parallel_for_impl(std::int64_t n, void* ctx, RangeFn fn, bool dynamic);
}  // namespace detail

template <class F>
void parallel_for(std::int64_t n, F&& fn, bool dynamic = false) {
  if (n <= 0) return;
  if (n == 1) {
    fn(std::int64_t{0});
    return;
  }
  using Fn = std::remove_reference_t<F>;
  detail::parallel_for_impl(
      n, const_cast<void*>(static_cast<const void*>(&fn)),
      [](void* ctx, std::int64_t i) { (*static_cast<Fn*>(ctx))(i); }, dynamic);
}

}  // namespace hl::cpu
