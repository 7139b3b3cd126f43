#pragma once
#include <cstddef>

namespace hl::cuda {

// Device pointers, row-major [rows, cols] fp32; CPU twin: hl::cpu::rms_norm (core/cpu/rms_norm.h).
void rms_norm(const float* x, const float* weight, float* y, std::size_t rows, std::size_t cols, float eps);

}  // namespace hl::cuda
