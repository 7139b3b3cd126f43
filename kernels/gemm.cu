#include "kernels/cuda_check.h"
#include "kernels/gemm.h"

namespace hl::cuda {
namespace {

// One handle per thread: cuBLAS handles are not thread-safe, and creating one per call costs milliseconds.
cublasHandle_t handle() {
  thread_local cublasHandle_t h = [] {
    cublasHandle_t created = nullptr;
    HL_CUDA_CHECK(cublasCreate(&created));
    HL_CUDA_CHECK(cublasSetMathMode(created, CUBLAS_PEDANTIC_MATH));
    return created;
  }();
  return h;
}

}  // namespace

void gemm_abt(const float* a, const float* b, float* c, std::size_t m, std::size_t n, std::size_t k) {
  // cuBLAS is column-major: row-major C[m,n] is column-major C^T[n,m] = B[n,k] · A^T, i.e. op(B)=B^T on the
  // column-major [k,n] view of B, op(A)=N on the column-major [k,m] view of A.
  const float alpha = 1.f, beta = 0.f;
  HL_CUDA_CHECK(cublasSgemm(handle(), CUBLAS_OP_T, CUBLAS_OP_N, static_cast<int>(n), static_cast<int>(m),
                            static_cast<int>(k), &alpha, b, static_cast<int>(k), a, static_cast<int>(k), &beta, c,
                            static_cast<int>(n)));
}

}  // namespace hl::cuda
