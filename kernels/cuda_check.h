#pragma once
// Error handling shared by every CUDA source: a failing runtime or cuBLAS call becomes a std::runtime_error naming the
// call, so the caller can show one line and fall back to the CPU backend instead of aborting.
#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <stdexcept>
#include <string>

namespace hl::cuda {

inline void check(cudaError_t e, const char* what) {
  if (e != cudaSuccess) throw std::runtime_error(std::string("CUDA error in ") + what + ": " + cudaGetErrorString(e));
}

inline void check(cublasStatus_t s, const char* what) {
  if (s != CUBLAS_STATUS_SUCCESS)
    throw std::runtime_error(std::string("cuBLAS error in ") + what + ": " + cublasGetStatusString(s));
}

}  // namespace hl::cuda

#define HL_CUDA_CHECK(call) ::hl::cuda::check((call), #call)
