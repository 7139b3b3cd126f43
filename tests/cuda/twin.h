#pragma once
// CUDA-vs-CPU twin tests: the same Backend call on the CPU backend (the numerical reference) and on the CUDA backend,
// on random inputs from a fresh seed (printed; HL_SEED=<n> replays one), with every GPU output poisoned (NaN) first
// so an element a kernel forgets to write cannot pass. Comparisons are max-normalised:
//   err = max_i |got_i - want_i| / max_i |want_i|   (NaN on exactly one side = infinite error; NaN on both = equal,
//   which is how untouched elements outside a strided output view compare)
// Tolerances: kF32 for fp32 arithmetic on both sides (different summation orders), kBf16 where the GPU rounds the
// GEMM input to bf16 (kernels/linear.cu).
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "core/cpu/half.h"
#include "core/engine/cpu_backend.h"
#include "kernels/cuda_backend.h"
#include "support/random.h"

namespace hl::test {

using engine::DType;
using engine::Shape;
using engine::Tensor;

constexpr double kF32 = 1e-5;
constexpr double kF32Scan = 1e-4;  // sequential GPU scans vs the CPU's chunked forms; online vs full softmax
constexpr double kBf16 = 1e-2;

inline unsigned fresh_seed() {
  if (const char* s = std::getenv("HL_SEED")) return static_cast<unsigned>(std::strtoul(s, nullptr, 10));
  return std::random_device{}();
}

// One CPU and one CUDA backend per process (creating a CUDA context costs a few hundred ms).
struct Twin {
  engine::CpuBackend cpu;
  engine::CudaBackend gpu;
  static Twin& get() {
    static Twin t;
    return t;
  }
};

// The same data on both backends.
struct Pair {
  Tensor cpu, gpu;
  template <class F>
  Pair map(F f) const {  // the same view on both, e.g. p.map([](const Tensor& t) { return t.slice(1, 0, 8); })
    return {f(cpu), f(gpu)};
  }
};

inline Tensor host_tensor(const std::vector<float>& v, Shape s, DType dt = DType::f32) {
  Tensor t = Tensor::empty(dt, s);
  REQUIRE(static_cast<std::int64_t>(v.size()) == s.numel());
  if (dt == DType::f32) {
    std::copy(v.begin(), v.end(), t.ptr<float>());
  } else {
    auto* p = t.ptr<std::uint16_t>();
    for (std::size_t i = 0; i < v.size(); ++i) p[i] = dt == DType::bf16 ? cpu::f32_to_bf16(v[i]) : cpu::f32_to_f16(v[i]);
  }
  return t;
}

inline Pair pair_of(const std::vector<float>& v, Shape s, DType dt = DType::f32) {
  Tensor h = host_tensor(v, s, dt);
  return {h, Twin::get().gpu.upload(h)};
}

inline Pair random_pair(Shape s, unsigned seed, float lo = -1.f, float hi = 1.f, DType dt = DType::f32) {
  return pair_of(random_floats(static_cast<std::size_t>(s.numel()), seed, lo, hi), s, dt);
}

// An output buffer: NaN on both sides (the CPU side must overwrite it too, so untouched elements compare equal).
inline Pair poisoned(Shape s) {
  return pair_of(std::vector<float>(static_cast<std::size_t>(s.numel()), std::numeric_limits<float>::quiet_NaN()), s);
}

inline std::vector<float> cpu_values(const Tensor& t) {
  REQUIRE(t.is_contiguous());
  return std::vector<float>(t.ptr<float>(), t.ptr<float>() + t.numel());
}
inline std::vector<float> gpu_values(const Tensor& t) {
  std::vector<float> v(static_cast<std::size_t>(t.numel()));
  Twin::get().gpu.download(t, v.data());
  return v;
}

inline double max_rel_err(const std::vector<float>& got, const std::vector<float>& want) {
  REQUIRE(got.size() == want.size());
  double num = 0, den = 0;
  for (std::size_t i = 0; i < want.size(); ++i) {
    const bool gn = std::isnan(got[i]), wn = std::isnan(want[i]);
    if (gn && wn) continue;
    if (gn != wn) return std::numeric_limits<double>::infinity();
    num = std::max(num, std::fabs(static_cast<double>(got[i]) - want[i]));
    den = std::max(den, std::fabs(static_cast<double>(want[i])));
  }
  return std::isfinite(num) ? num / std::max(den, 1e-30) : std::numeric_limits<double>::infinity();
}

// Compares a pair's buffers (pass the contiguous base buffer of a strided output).
inline double pair_err(const Pair& p) { return max_rel_err(gpu_values(p.gpu), cpu_values(p.cpu)); }

inline const char* dtype_label(DType d) { return engine::dtype_name(d); }

}  // namespace hl::test
