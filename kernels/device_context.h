#pragma once
// The CUDA backend's device state: one stream (every kernel, copy and cuBLAS call of the backend runs on it, so
// stream order alone makes reuse of freed memory safe), one cuBLAS handle, and a stream-ordered allocator
// (cudaMallocAsync's pool, kept cached between calls) with byte counters for the bench's peak-memory figure.
// Plain C++17 + CUDA runtime types; kernels/cuda_backend.cu implements it.
#include <cuda_runtime.h>

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>

typedef struct cublasContext* cublasHandle_t;

namespace hl::cuda {

class DeviceContext {
 public:
  // Throws std::runtime_error with one line ("no CUDA device (...)") when there is no usable GPU.
  explicit DeviceContext(int device = 0);
  ~DeviceContext();
  DeviceContext(const DeviceContext&) = delete;
  DeviceContext& operator=(const DeviceContext&) = delete;

  int device() const { return device_; }
  cudaStream_t stream() const { return stream_; }
  cublasHandle_t blas() const { return blas_; }
  const std::string& device_name() const { return name_; }

  // Stream-ordered allocation; zero-filled when `zero`. Throws naming the request and the memory in use on failure.
  void* allocate(std::size_t bytes, bool zero);
  void release(void* p, std::size_t bytes) noexcept;

  void copy_to_device(void* dst, const void* src, std::size_t bytes);  // returns when the copy is done
  void copy_to_host(void* dst, const void* src, std::size_t bytes);    // returns when the copy is done
  void synchronize();

  // Free and total device memory now (cudaMemGetInfo).
  void memory_info(std::size_t& free_bytes, std::size_t& total_bytes) const;
  std::size_t bytes_in_use() const { return in_use_.load(); }
  std::size_t peak_bytes() const { return peak_.load(); }
  void reset_peak() { peak_.store(in_use_.load()); }

  // Milliseconds of device time between two events recorded on the stream around `work` (CUDA events; waits).
  template <class F>
  float time_ms(F&& work) {
    record_start();
    work();
    return record_stop_and_wait();
  }

 private:
  void record_start();
  float record_stop_and_wait();

  int device_ = 0;
  std::string name_;
  cudaStream_t stream_ = nullptr;
  cublasHandle_t blas_ = nullptr;
  cudaEvent_t start_ = nullptr, stop_ = nullptr;
  bool pool_ = false;  // cudaMallocAsync available
  std::atomic<std::size_t> in_use_{0}, peak_{0};
};

}  // namespace hl::cuda
