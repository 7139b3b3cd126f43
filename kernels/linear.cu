// linear: y[T, out] = x[T, in] · W[out, in]ᵀ + bias, on cuBLAS. CPU twin: core/cpu/gemm.h.
//
// Layout. Everything is row-major on our side; cuBLAS is column-major, so every row-major matrix M[r, c] with row
// stride ld is read by cuBLAS as the column-major matrix Mᶜ[c, r] with leading dimension ld. Then
//   y[T, out] = x · Wᵀ   <=>   yᶜ[out, T] = Wᶜᵀ[out, in] · xᶜ[in, T]
// i.e. cublasGemmEx(OP_T, OP_N, m = out, n = T, k = in, A = W (lda = in), B = x (ldb = row stride of x),
//                   C = y (ldc = row stride of y)).
//
// Precision. bf16 / f16 weights stay in their stored dtype on the GPU (uploaded once). cuBLAS has no mixed
// f32-activation × bf16-weight GEMM, so the activation is rounded to the weight's dtype (one conversion kernel into
// a packed scratch buffer), and the product runs on tensor cores with fp32 accumulation and fp32 output
// (CUBLAS_COMPUTE_32F). That is the precision transformers runs a bf16 model at; the CPU backend (fp32 activations)
// stays the reference, and tests/cuda compares within 1e-2 relative. f32 weights use SGEMM on the fp32 activation
// directly (the handle's math mode keeps TF32 off), so fp32 checkpoints are compared at 1e-5.
#include <cublas_v2.h>

#include <climits>

#include "kernels/common.cuh"

namespace hl::cuda {

namespace {
int as_int(std::int64_t v, const char* what) {
  if (v < 0 || v > INT_MAX) throw std::runtime_error(std::string("linear: ") + what + " exceeds the cuBLAS int range");
  return static_cast<int>(v);
}
}  // namespace

void linear(cublasHandle_t blas, cudaStream_t s, const float* x, std::int64_t ldx, std::int64_t T, std::int64_t in,
            Param w, std::int64_t out, Param bias, float* y, std::int64_t ldy, void* scratch) {
  if (T == 0 || out == 0) return;
  HL_CUDA_CHECK(cublasSetStream(blas, s));
  const int m = as_int(out, "out"), n = as_int(T, "T"), k = as_int(in, "in");
  const float alpha = 1.f, beta = 0.f;
  if (in == 0) {  // an empty sum: y = bias (or 0)
    HL_CUDA_CHECK(cudaMemset2DAsync(y, static_cast<std::size_t>(ldy) * sizeof(float), 0, out * sizeof(float),
                                    static_cast<std::size_t>(T), s));
  } else if (w.t == WType::f32) {
    HL_CUDA_CHECK(cublasSgemm(blas, CUBLAS_OP_T, CUBLAS_OP_N, m, n, k, &alpha, static_cast<const float*>(w.p), k, x,
                              as_int(ldx, "ldx"), &beta, y, as_int(ldy, "ldy")));
  } else {
    if (scratch == nullptr) throw std::runtime_error("linear: bf16/f16 weights need a scratch buffer");
    convert_rows(x, ldx, T, in, scratch, w.t, s);
    const cudaDataType_t dt = w.t == WType::bf16 ? CUDA_R_16BF : CUDA_R_16F;
    HL_CUDA_CHECK(cublasGemmEx(blas, CUBLAS_OP_T, CUBLAS_OP_N, m, n, k, &alpha, w.p, dt, k, scratch, dt, k, &beta, y,
                               CUDA_R_32F, as_int(ldy, "ldy"), CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
  }
  add_bias_rows(y, ldy, T, out, bias, s);
}

}  // namespace hl::cuda
