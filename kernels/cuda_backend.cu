// DeviceContext (kernels/device_context.h): the stream, the cuBLAS handle, memory and copies of the CUDA backend.
#include <cublas_v2.h>

#include <cstdint>
#include <cstdio>

#include "kernels/cuda_check.h"
#include "kernels/device.h"
#include "kernels/device_context.h"

namespace hl::cuda {

namespace {
std::string mib(std::size_t bytes) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return buf;
}
}  // namespace

DeviceContext::DeviceContext(int device) : device_(device) {
  if (device_count() <= device) throw std::runtime_error(describe_device() + "; use --device cpu");
  HL_CUDA_CHECK(cudaSetDevice(device));
  name_ = describe_device();
  HL_CUDA_CHECK(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking));
  HL_CUDA_CHECK(cublasCreate(&blas_));
  HL_CUDA_CHECK(cublasSetStream(blas_, stream_));
  // Default math: tensor cores for the bf16/f16 GEMMs (fp32 accumulation), no TF32 for SGEMM, so fp32 checkpoints
  // keep fp32 products.
  HL_CUDA_CHECK(cublasSetMathMode(blas_, CUBLAS_DEFAULT_MATH));
  HL_CUDA_CHECK(cudaEventCreate(&start_));
  HL_CUDA_CHECK(cudaEventCreate(&stop_));
  int pools = 0;
  HL_CUDA_CHECK(cudaDeviceGetAttribute(&pools, cudaDevAttrMemoryPoolsSupported, device));
  pool_ = pools != 0;
  if (pool_) {
    // Keep freed blocks cached in the pool: the runner allocates and frees every layer's activations.
    cudaMemPool_t mp = nullptr;
    HL_CUDA_CHECK(cudaDeviceGetDefaultMemPool(&mp, device));
    std::uint64_t keep = ~std::uint64_t{0};
    HL_CUDA_CHECK(cudaMemPoolSetAttribute(mp, cudaMemPoolAttrReleaseThreshold, &keep));
  }
}

DeviceContext::~DeviceContext() {
  // Errors are ignored here: at exit the driver may already be shutting down.
  if (stream_) cudaStreamSynchronize(stream_);
  if (start_) cudaEventDestroy(start_);
  if (stop_) cudaEventDestroy(stop_);
  if (blas_) cublasDestroy(blas_);
  if (stream_) cudaStreamDestroy(stream_);
}

void* DeviceContext::allocate(std::size_t bytes, bool zero) {
  if (bytes == 0) bytes = 1;  // a valid, unique pointer for empty tensors
  void* p = nullptr;
  const cudaError_t e = pool_ ? cudaMallocAsync(&p, bytes, stream_) : cudaMalloc(&p, bytes);
  if (e != cudaSuccess) {
    cudaGetLastError();
    std::size_t free_b = 0, total_b = 0;
    cudaMemGetInfo(&free_b, &total_b);
    throw std::runtime_error("out of GPU memory: could not allocate " + mib(bytes) + " (" + mib(in_use_.load()) +
                             " in use by the engine, " + mib(free_b) + " free of " + mib(total_b) +
                             "); score fewer tokens or use --device cpu");
  }
  if (zero) HL_CUDA_CHECK(cudaMemsetAsync(p, 0, bytes, stream_));
  const std::size_t now = in_use_.fetch_add(bytes) + bytes;
  std::size_t peak = peak_.load();
  while (now > peak && !peak_.compare_exchange_weak(peak, now)) {
  }
  return p;
}

void DeviceContext::release(void* p, std::size_t bytes) noexcept {
  if (bytes == 0) bytes = 1;
  if (pool_)
    cudaFreeAsync(p, stream_);  // stream-ordered: kernels queued before still see the memory
  else
    cudaFree(p);
  in_use_.fetch_sub(bytes);
}

void DeviceContext::copy_to_device(void* dst, const void* src, std::size_t bytes) {
  if (bytes == 0) return;
  HL_CUDA_CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyHostToDevice, stream_));
  HL_CUDA_CHECK(cudaStreamSynchronize(stream_));  // the host buffer may be freed as soon as we return
}

void DeviceContext::copy_to_host(void* dst, const void* src, std::size_t bytes) {
  if (bytes == 0) return;
  HL_CUDA_CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToHost, stream_));
  HL_CUDA_CHECK(cudaStreamSynchronize(stream_));
}

void DeviceContext::synchronize() { HL_CUDA_CHECK(cudaStreamSynchronize(stream_)); }

void DeviceContext::memory_info(std::size_t& free_bytes, std::size_t& total_bytes) const {
  HL_CUDA_CHECK(cudaMemGetInfo(&free_bytes, &total_bytes));
}

void DeviceContext::record_start() { HL_CUDA_CHECK(cudaEventRecord(start_, stream_)); }

float DeviceContext::record_stop_and_wait() {
  HL_CUDA_CHECK(cudaEventRecord(stop_, stream_));
  HL_CUDA_CHECK(cudaEventSynchronize(stop_));
  float ms = 0.f;
  HL_CUDA_CHECK(cudaEventElapsedTime(&ms, start_, stop_));
  return ms;
}

}  // namespace hl::cuda
