#pragma once
#include <cstddef>

namespace hl::cpu {

// y[r, :] = x[r, :] / sqrt(mean(x[r, :]^2) + eps) * weight[:]
// Layout: row-major [rows, cols]; x and y may alias. The CPU twin of kernels/rms_norm.cu.
void rms_norm(const float* x, const float* weight, float* y, std::size_t rows, std::size_t cols, float eps);

}  // namespace hl::cpu
