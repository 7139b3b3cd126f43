// xLSTM's mLSTM cell, sequential. CPU twin: core/cpu/mlstm.h (equations there, HF mlstm_recurrent_step_native).
// Layout: q, k [T, H·Dk] (qk_ts), v [T, H·Dv] (v_ts), i, f [T, H] (gate_ts); y [T, H·Dv] packed; state_norms
// [T, H]; scratch per head: C [Dk, Dv] then n [Dk].
// One thread block per head, one thread per value column c (its Dk entries C[:, c] in the scratch, consecutive
// threads on consecutive columns); q̃ and k of the token and the normaliser in shared memory; q̃·n and the state's
// squared norm by block reductions. The column's operations run in the CPU twin's order.
#include "kernels/common.cuh"

namespace hl::cuda {

namespace {

__global__ void mlstm_kernel(MLstmArgs a) {
  extern __shared__ float shared[];  // q̃ [Dk], k [Dk], n [Dk]
  __shared__ float scratch[32];
  __shared__ double dscratch[32];
  const std::int64_t h = blockIdx.x, Dk = a.Dk, Dv = a.Dv, c = threadIdx.x;
  float* qs = shared;
  float* ks = shared + Dk;
  float* n = shared + 2 * Dk;
  float* C = a.state + h * (Dk * Dv + Dk);
  const float scale = 1.f / sqrtf(static_cast<float>(Dk));
  for (std::int64_t j = c; j < Dk * Dv; j += blockDim.x) C[j] = 0.f;
  for (std::int64_t j = c; j < Dk; j += blockDim.x) n[j] = 0.f;
  float m = 0.f;
  __syncthreads();
  for (std::int64_t t = 0; t < a.T; ++t) {
    const float fx = a.f[t * a.gate_ts + h], ix = a.i[t * a.gate_ts + h];
    const float lf = fminf(fx, 0.f) - log1pf(expf(-fabsf(fx)));
    const float m_new = fmaxf(lf + m, ix);
    const float fa = expf(lf + m - m_new), ia = expf(ix - m_new);
    for (std::int64_t j = c; j < Dk; j += blockDim.x) {
      const float kj = a.k[t * a.qk_ts + h * Dk + j];
      qs[j] = a.q[t * a.qk_ts + h * Dk + j] * scale;
      ks[j] = kj;
      n[j] = fa * n[j] + ia * kj;
    }
    __syncthreads();
    float qn = 0.f;
    for (std::int64_t j = c; j < Dk; j += blockDim.x) qn += qs[j] * n[j];
    qn = block_sum(qn, scratch);
    const float denom = fmaxf(fabsf(qn), expf(-m_new)) + a.eps;
    double sq = 0;
    if (c < Dv) {
      const float v = a.v[t * a.v_ts + h * Dv + c];
      float num = 0.f;
      for (std::int64_t j = 0; j < Dk; ++j) {
        const float x = fa * C[j * Dv + c] + ia * (ks[j] * v);
        C[j * Dv + c] = x;
        sq += static_cast<double>(x) * x;
        num += qs[j] * x;
      }
      a.y[t * a.H * Dv + h * Dv + c] = num / denom;
    }
    if (a.state_norms) {
      sq = block_sum(sq, dscratch);
      if (c == 0) a.state_norms[t * a.H + h] = static_cast<float>(sqrt(sq));
    }
    m = m_new;
    __syncthreads();  // q̃, k and n are rewritten for the next token
  }
}

}  // namespace

void mlstm(const MLstmArgs& a, cudaStream_t s) {
  if (a.T <= 0 || a.H <= 0) return;
  const std::int64_t width = a.Dv > a.Dk ? a.Dv : a.Dk;
  if (width > 1024) throw std::runtime_error("mlstm: head dimensions above 1024 are not supported");
  const int threads = static_cast<int>((width + 31) / 32 * 32);
  mlstm_kernel<<<grid_of(a.H, "mlstm"), threads, 3 * a.Dk * sizeof(float), s>>>(a);
  HL_CUDA_CHECK(cudaGetLastError());
}

}  // namespace hl::cuda
