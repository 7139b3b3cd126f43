// Kimi Delta Attention, sequential. CPU twin: core/cpu/kimi_delta.h (equations there, HF
// recurrent_kimi_delta_attention).
// Layout: q, k, v [T, H·D] sharing token stride qkv_ts, f [T, H·D] (f_ts), b [T, H] (b_ts); A_log [H], dt_bias [H·D]
// as stored; y [T, H·D] packed; state_norms [T, H]; state scratch [H, D, D] (keys × values).
// One thread block per head, one thread per value column c of the state (its D entries S[:, c] in the scratch, read
// with the block's threads on consecutive columns, so coalesced); the normalised q, k and the decays of a token are
// formed once in shared memory. The column's operations run in the CPU twin's order.
#include "kernels/common.cuh"

namespace hl::cuda {

namespace {

__global__ void kda_kernel(KimiDeltaArgs a) {
  extern __shared__ float shared[];  // q̂ [D], k̂ [D], decay [D]
  __shared__ float scratch[32];
  const std::int64_t h = blockIdx.x, D = a.D, c = threadIdx.x;
  float* qs = shared;
  float* ks = shared + D;
  float* decay = shared + 2 * D;
  float* S = a.state + h * D * D;
  const float rate = expf(load_param(a.A_log, h));
  const float scale = 1.f / sqrtf(static_cast<float>(D));
  for (std::int64_t i = c; i < D * D; i += blockDim.x) S[i] = 0.f;
  __syncthreads();
  for (std::int64_t t = 0; t < a.T; ++t) {
    const float* q = a.q + t * a.qkv_ts + h * D;
    const float* k = a.k + t * a.qkv_ts + h * D;
    const float* f = a.f + t * a.f_ts + h * D;
    float qq = 0.f, kk = 0.f;
    for (std::int64_t i = c; i < D; i += blockDim.x) qq += q[i] * q[i], kk += k[i] * k[i];
    const float qn = sqrtf(block_sum(qq, scratch) + 1e-6f);
    const float kn = sqrtf(block_sum(kk, scratch) + 1e-6f);
    for (std::int64_t i = c; i < D; i += blockDim.x) {
      qs[i] = q[i] / qn * scale;
      ks[i] = k[i] / kn;
      const float x = f[i] + load_param(a.dt_bias, h * D + i);
      const float g = a.gate == 0   ? -rate * (x > 20.f ? x : logf(1.f + expf(x)))
                      : a.gate == 1 ? -rate * softplus(x)
                                    : a.lower_bound * sigmoidf_(rate * x);
      decay[i] = expf(g);
    }
    __syncthreads();
    const float beta = sigmoidf_(a.b[t * a.b_ts + h]);
    double sq = 0;
    if (c < D) {
      float mem = 0.f;
      for (std::int64_t i = 0; i < D; ++i) {
        const float s = S[i * D + c] * decay[i];
        S[i * D + c] = s;
        mem += s * ks[i];
      }
      const float delta = (a.v[t * a.qkv_ts + h * D + c] - mem) * beta;
      float o = 0.f;
      for (std::int64_t i = 0; i < D; ++i) {
        const float s = S[i * D + c] + ks[i] * delta;
        S[i * D + c] = s;
        sq += static_cast<double>(s) * s;
        o += s * qs[i];
      }
      a.y[t * a.H * D + h * D + c] = o;
    }
    if (a.state_norms) {
      __shared__ double dscratch[32];
      sq = block_sum(sq, dscratch);
      if (c == 0) a.state_norms[t * a.H + h] = static_cast<float>(sqrt(sq));
    }
    __syncthreads();  // q̂, k̂ and the decays are rewritten for the next token
  }
}

}  // namespace

void kimi_delta_attention(const KimiDeltaArgs& a, cudaStream_t s) {
  if (a.T <= 0 || a.H <= 0) return;
  if (a.D > 1024) throw std::runtime_error("kimi_delta_attention: head_dim above 1024 is not supported");
  const int threads = static_cast<int>((a.D + 31) / 32 * 32);
  kda_kernel<<<grid_of(a.H, "kimi_delta_attention"), threads, 3 * a.D * sizeof(float), s>>>(a);
  HL_CUDA_CHECK(cudaGetLastError());
}

}  // namespace hl::cuda
