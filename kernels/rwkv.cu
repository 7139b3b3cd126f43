// RWKV-4: token shift and the WKV recurrence. CPU twins: core/cpu/token_shift.h, core/cpu/rwkv4_wkv.h (equations
// there, HF rwkv_linear_attention_cpu).
// Layout: token-major activations, [T, C] with row strides (k_ts, v_ts, ldx); y packed [T, C]; time_decay,
// time_first, mix as stored (C entries, any float dtype).
// WKV: channels are independent, so one thread owns one channel and walks the tokens in order (the state is three
// floats); a warp reads 32 consecutive channels of a token row, so every load is coalesced. With state norms, each
// thread also writes num / den into `ratio` [T, C] and l2_norm_rows reduces the rows afterwards.
#include "kernels/common.cuh"

namespace hl::cuda {

void token_shift_mix(const float* x, std::int64_t ldx, Param mix, float* y, std::int64_t T, std::int64_t C,
                     cudaStream_t s) {
  for_each(T * C, s, [=] __device__(std::int64_t i) {
    const std::int64_t t = i / C, c = i % C;
    const float m = load_param(mix, c);
    const float prev = t > 0 ? x[(t - 1) * ldx + c] : 0.f;
    y[i] = __fadd_rn(__fmul_rn(x[t * ldx + c], m), __fmul_rn(prev, __fsub_rn(1.f, m)));
  });
}

namespace {

__global__ void rwkv4_wkv_kernel(Rwkv4ScanArgs a) {
  const std::int64_t c = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (c >= a.C) return;
  const float w = -expf(load_param(a.time_decay, c)), u = load_param(a.time_first, c);
  float num = 0.f, den = 0.f, p = -1e38f;
  for (std::int64_t t = 0; t < a.T; ++t) {
    const float k = a.k[t * a.k_ts + c], v = a.v[t * a.v_ts + c];
    const float q = fmaxf(p, k + u);
    const float e1 = expf(p - q), e2 = expf(k + u - q);
    a.y[t * a.C + c] = __fdiv_rn(__fadd_rn(__fmul_rn(e1, num), __fmul_rn(e2, v)), __fadd_rn(__fmul_rn(e1, den), e2));
    const float q2 = fmaxf(p + w, k);
    const float f1 = expf(p + w - q2), f2 = expf(k - q2);
    num = __fadd_rn(__fmul_rn(f1, num), __fmul_rn(f2, v));
    den = __fadd_rn(__fmul_rn(f1, den), f2);
    p = q2;
    if (a.ratio) a.ratio[t * a.C + c] = num / den;
  }
}

}  // namespace

void rwkv4_wkv(const Rwkv4ScanArgs& a, cudaStream_t s) {
  if (a.T <= 0 || a.C <= 0) return;
  constexpr int kThreads = 128;
  rwkv4_wkv_kernel<<<grid_of((a.C + kThreads - 1) / kThreads, "rwkv4_wkv"), kThreads, 0, s>>>(a);
  HL_CUDA_CHECK(cudaGetLastError());
  if (a.state_norms) l2_norm_rows(a.ratio, a.C, a.T, a.C, a.state_norms, s);
}

}  // namespace hl::cuda
