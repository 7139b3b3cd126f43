#pragma once
// Small scalar helpers shared by the CPU recurrent-mixer kernels (conv1d, short_conv, mamba1_scan, mamba2_ssd,
// gated_delta_net). All float32, matching PyTorch's definitions.
#include <cmath>
#include <cstddef>

namespace hl::cpu {

// torch.nn.functional.softplus with beta=1, threshold=20 (also mamba_ssm CUDA/Triton and llama.cpp).
inline float softplus(float x) { return x > 20.f ? x : std::log1p(std::exp(x)); }
inline float sigmoid(float x) { return 1.f / (1.f + std::exp(-x)); }
inline float silu(float x) { return x / (1.f + std::exp(-x)); }

// Row stride helper: the kernels take "elements between consecutive tokens" for every [T, ...] input so that callers
// can pass views into a fused projection (e.g. x / B / C inside Mamba2's conv output) without copying.
// 0 means "packed" (stride = the row width).
inline std::size_t row_stride(std::size_t stride, std::size_t packed) { return stride ? stride : packed; }

// Outputs shared by the recurrent scans. y is required; the others may be nullptr (skipped).
struct ScanOutputs {
  float* y = nullptr;            // packed output, layout stated per kernel
  float* state_norms = nullptr;  // [T, heads]: Frobenius norm of each head's state after consuming token t
  float* final_state = nullptr;  // state after the last token, layout stated per kernel
};

}  // namespace hl::cpu
