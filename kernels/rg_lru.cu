// Griffin's RG-LRU recurrence. CPU twin: core/cpu/rg_lru.h (equations there, HF RecurrentGemmaRglru).
// Layout: token-major [T, W] activations with row strides (x_ts; the two gate-logit inputs share gate_ts), y packed
// [T, W]; recurrent_param as stored (W entries).
// Channels are independent: one thread owns one channel (its state is one float) and walks the tokens in order; a
// warp reads 32 consecutive channels of a row, so loads are coalesced. The state norms are row norms of y, taken by
// the caller.
#include "kernels/common.cuh"

namespace hl::cuda {

namespace {

__global__ void rg_lru_kernel(RgLruScanArgs a) {
  const std::int64_t c = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (c >= a.W) return;
  const float sp = softplus(load_param(a.recurrent_param, c));
  float h = 0.f;
  for (std::int64_t t = 0; t < a.T; ++t) {
    const float i = sigmoidf_(a.input_gate[t * a.gate_ts + c]);
    const float log_a = __fmul_rn(__fmul_rn(-8.f, sigmoidf_(a.recurrent_gate[t * a.gate_ts + c])), sp);
    const float m = t == 0 ? 1.f : sqrtf(__fsub_rn(1.f, expf(__fmul_rn(2.f, log_a))));
    const float xn = __fmul_rn(__fmul_rn(a.x[t * a.x_ts + c], i), m);
    h = t == 0 ? xn : __fadd_rn(__fmul_rn(expf(log_a), h), xn);
    a.y[t * a.W + c] = h;
  }
}

}  // namespace

void rg_lru_scan(const RgLruScanArgs& a, cudaStream_t s) {
  if (a.T <= 0 || a.W <= 0) return;
  constexpr int kThreads = 128;
  rg_lru_kernel<<<grid_of((a.W + kThreads - 1) / kThreads, "rg_lru_scan"), kThreads, 0, s>>>(a);
  HL_CUDA_CHECK(cudaGetLastError());
}

}  // namespace hl::cuda
