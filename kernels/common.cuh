#pragma once
// Device helpers shared by every .cu file: the one launcher for elementwise work (for_each), warp / block reductions,
// parameter loads in the stored dtype, and the scalar functions (activations, softplus) in the CPU twins' exact
// formulas (core/cpu/activations.cpp, core/cpu/scan_common.h).
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <cstdint>

#include "kernels/cuda_check.h"
#include "kernels/ops.h"

namespace hl::cuda {

// ---- parameters in their stored dtype ----
__device__ __forceinline__ float load_param(Param w, std::int64_t i) {
  switch (w.t) {
    case WType::bf16: {  // bf16 -> f32 is exact: the bf16 bits are the top half of the f32
      const unsigned short b = static_cast<const unsigned short*>(w.p)[i];
      return __uint_as_float(static_cast<unsigned int>(b) << 16);
    }
    case WType::f16: return __half2float(static_cast<const __half*>(w.p)[i]);
    default: return static_cast<const float*>(w.p)[i];
  }
}
// Absent parameters read as `fallback` (e.g. no bias = 0).
__device__ __forceinline__ float load_param_or(Param w, std::int64_t i, float fallback) {
  return w.p ? load_param(w, i) : fallback;
}

// ---- scalar functions (the CPU twins' formulas) ----
__device__ __forceinline__ float softplus(float x) { return x > 20.f ? x : log1pf(expf(x)); }
__device__ __forceinline__ float sigmoidf_(float x) { return 1.f / (1.f + expf(-x)); }
__device__ __forceinline__ float siluf_(float x) { return x / (1.f + expf(-x)); }

__device__ __forceinline__ float apply_act(Activation a, float x) {
  switch (a) {
    case Activation::Identity: return x;
    case Activation::SiLU: return siluf_(x);
    case Activation::GELU: return 0.5f * x * (1.f + erff(x * 0.70710678118654752f));
    case Activation::GELUTanh: return 0.5f * x * (1.f + tanhf(0.79788456080286536f * (x + 0.044715f * x * x * x)));
    case Activation::ReLU: return x > 0.f ? x : 0.f;
    case Activation::ReLU2: {
      const float r = x > 0.f ? x : 0.f;
      return r * r;
    }
    case Activation::Sigmoid: return sigmoidf_(x);
    case Activation::Tanh: return tanhf(x);
  }
  return x;
}

// ---- reductions ----
template <class T>
__device__ __forceinline__ T warp_sum(T v) {
  for (int off = 16; off > 0; off >>= 1) v += __shfl_xor_sync(0xffffffffu, v, off);
  return v;
}
__device__ __forceinline__ float warp_max(float v) {
  for (int off = 16; off > 0; off >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, off));
  return v;
}

// Sum over the block (blockDim.x a multiple of 32, <= 1024); every thread gets the result. `scratch` holds 32 T.
// Contains __syncthreads: call from every thread of the block.
template <class T>
__device__ T block_sum(T v, T* scratch) {
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
  v = warp_sum(v);
  __syncthreads();  // scratch may still be read by a previous call
  if (lane == 0) scratch[warp] = v;
  __syncthreads();
  T r = lane < warps ? scratch[lane] : T(0);
  r = warp_sum(r);
  return r;
}
__device__ __forceinline__ float block_max(float v, float* scratch) {
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
  v = warp_max(v);
  __syncthreads();
  if (lane == 0) scratch[warp] = v;
  __syncthreads();
  float r = lane < warps ? scratch[lane] : -INFINITY;
  return warp_max(r);
}

// ---- the elementwise launcher ----
// f(i) for i in [0, n), grid-stride, 64-bit indices. One launcher for every elementwise kernel in the backend.
template <class F>
__global__ void for_each_kernel(std::int64_t n, F f) {
  const std::int64_t stride = static_cast<std::int64_t>(gridDim.x) * blockDim.x;
  for (std::int64_t i = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride) f(i);
}

template <class F>
void for_each(std::int64_t n, cudaStream_t s, F f) {
  if (n <= 0) return;
  constexpr int kThreads = 256;
  const std::int64_t blocks = (n + kThreads - 1) / kThreads;
  const unsigned grid = static_cast<unsigned>(blocks < 65536 * 16 ? blocks : 65536 * 16);
  for_each_kernel<<<grid, kThreads, 0, s>>>(n, f);
  HL_CUDA_CHECK(cudaGetLastError());
}

inline unsigned grid_of(std::int64_t n, const char* what) {
  if (n <= 0 || n > 0x7fffffffLL) throw std::runtime_error(std::string(what) + ": grid size out of range");
  return static_cast<unsigned>(n);
}

}  // namespace hl::cuda
