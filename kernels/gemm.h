#pragma once
#include <cstddef>

namespace hl::cuda {

// C[m, n] = A[m, k] · B[n, k]^T, all row-major fp32 device pointers (B is a weight stored [out, in], as in PyTorch).
// Runs on cuBLAS with TF32 disabled so results can be compared with the CPU backend.
void gemm_abt(const float* a, const float* b, float* c, std::size_t m, std::size_t n, std::size_t k);

}  // namespace hl::cuda
