// RMSNorm over the last dimension.
// Layout: x, y row-major [rows, cols] fp32 (may alias); weight [cols] fp32. One block per row; the sum of squares is
// reduced in fp32 per thread, then across the block with warp shuffles.
#include "kernels/cuda_check.h"
#include "kernels/rms_norm.h"

namespace hl::cuda {
namespace {

constexpr int kThreads = 256;

__global__ void rms_norm_kernel(const float* __restrict__ x, const float* __restrict__ w, float* y, int cols,
                                float eps) {
  const float* xr = x + static_cast<size_t>(blockIdx.x) * cols;
  float* yr = y + static_cast<size_t>(blockIdx.x) * cols;
  float ss = 0.f;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) ss += xr[c] * xr[c];
  for (int off = 16; off > 0; off >>= 1) ss += __shfl_xor_sync(0xffffffffu, ss, off);
  __shared__ float warp_sums[kThreads / 32];
  if ((threadIdx.x & 31) == 0) warp_sums[threadIdx.x >> 5] = ss;
  __syncthreads();
  if (threadIdx.x < 32) {
    float v = threadIdx.x < kThreads / 32 ? warp_sums[threadIdx.x] : 0.f;
    for (int off = 16; off > 0; off >>= 1) v += __shfl_xor_sync(0xffffffffu, v, off);
    if (threadIdx.x == 0) warp_sums[0] = v;
  }
  __syncthreads();
  const float inv = rsqrtf(warp_sums[0] / static_cast<float>(cols) + eps);
  for (int c = threadIdx.x; c < cols; c += blockDim.x) yr[c] = xr[c] * inv * w[c];
}

}  // namespace

void rms_norm(const float* x, const float* weight, float* y, std::size_t rows, std::size_t cols, float eps) {
  if (rows == 0) return;
  rms_norm_kernel<<<static_cast<unsigned>(rows), kThreads>>>(x, weight, y, static_cast<int>(cols), eps);
  HL_CUDA_CHECK(cudaGetLastError());
}

}  // namespace hl::cuda
