// MiniMax lightning attention. CPU twin: core/cpu/lightning_attention.h (equations there, HF
// MiniMaxLightningAttention's block form with its decay tables).
// Layout: q, k, v [T, H, D] views with token stride ts and head stride hs (D contiguous); slope [H], query_decay /
// key_decay [H, B], diagonal_decay [H, B, B] as stored; y [T, H·D] packed; state_norms [T, H].
// One thread block per head walks the token blocks in order, in three phases separated by __syncthreads: the masked,
// decayed scores of the block (scratch P [B, B]), the outputs (intra from P, inter from KV), then KV's update. The
// per-token state norms come from a second kernel that steps the state S_t = e^{-s} S_{t-1} + k_tᵀ v_t (scratch
// [D, D] per head) and reduces ||S_t||² over the block per token. Sums run in the CPU twin's order.
#include "kernels/common.cuh"

namespace hl::cuda {

namespace {

constexpr int kThreads = 256;

__global__ void lightning_kernel(LightningArgs a) {
  const std::int64_t h = blockIdx.x, D = a.D, B = a.B;
  const float* q = a.q + h * a.hs;
  const float* k = a.k + h * a.hs;
  const float* v = a.v + h * a.hs;
  float* kv = a.kv_scratch + h * D * D;
  float* P = a.score_scratch + h * B * B;
  const float slope = load_param(a.slope, h);
  for (std::int64_t t0 = 0; t0 < a.T; t0 += B) {
    const std::int64_t cb = a.T - t0 < B ? a.T - t0 : B;
    for (std::int64_t e = threadIdx.x; e < cb * cb; e += blockDim.x) {
      const std::int64_t i = e / cb, j = e % cb;
      if (j > i) continue;
      const float* qi = q + (t0 + i) * a.ts;
      const float* kj = k + (t0 + j) * a.ts;
      float s = 0.f;
      for (std::int64_t m = 0; m < D; ++m) s += qi[m] * kj[m];
      P[i * B + j] = s * load_param(a.diagonal_decay, (h * B + i) * B + j);
    }
    __syncthreads();
    for (std::int64_t e = threadIdx.x; e < cb * D; e += blockDim.x) {
      const std::int64_t i = e / D, c = e % D;
      float intra = 0.f;
      for (std::int64_t j = 0; j <= i; ++j) intra += P[i * B + j] * v[(t0 + j) * a.ts + c];
      const float* qi = q + (t0 + i) * a.ts;
      const float qd = load_param(a.query_decay, h * B + i);
      float inter = 0.f;
      for (std::int64_t m = 0; m < D; ++m) inter += (qi[m] * qd) * kv[m * D + c];
      a.y[(t0 + i) * a.H * D + h * D + c] = inter + intra;
    }
    __syncthreads();
    const float block_decay = expf(-slope * static_cast<float>(cb));
    for (std::int64_t e = threadIdx.x; e < D * D; e += blockDim.x) {
      const std::int64_t m = e / D, c = e % D;
      float acc = kv[e] * block_decay;
      for (std::int64_t j = 0; j < cb; ++j)
        acc += (k[(t0 + j) * a.ts + m] * load_param(a.key_decay, h * B + B - cb + j)) * v[(t0 + j) * a.ts + c];
      kv[e] = acc;
    }
    __syncthreads();
  }
}

__global__ void lightning_state_norms_kernel(LightningArgs a) {
  __shared__ double scratch[32];
  const std::int64_t h = blockIdx.x, D = a.D;
  float* s = a.state_scratch + h * D * D;
  const float ratio = expf(-load_param(a.slope, h));
  for (std::int64_t t = 0; t < a.T; ++t) {
    const float* kt = a.k + h * a.hs + t * a.ts;
    const float* vt = a.v + h * a.hs + t * a.ts;
    double sq = 0;
    for (std::int64_t e = threadIdx.x; e < D * D; e += blockDim.x) {
      const float x = ratio * s[e] + kt[e / D] * vt[e % D];
      s[e] = x;
      sq += static_cast<double>(x) * x;
    }
    sq = block_sum(sq, scratch);
    if (threadIdx.x == 0) a.state_norms[t * a.H + h] = static_cast<float>(sqrt(sq));
  }
}

}  // namespace

void lightning_attention(const LightningArgs& a, cudaStream_t s) {
  if (a.T <= 0 || a.H <= 0) return;
  HL_CUDA_CHECK(cudaMemsetAsync(a.kv_scratch, 0, static_cast<std::size_t>(a.H * a.D * a.D) * sizeof(float), s));
  lightning_kernel<<<grid_of(a.H, "lightning_attention"), kThreads, 0, s>>>(a);
  HL_CUDA_CHECK(cudaGetLastError());
  if (a.state_norms) {
    HL_CUDA_CHECK(cudaMemsetAsync(a.state_scratch, 0, static_cast<std::size_t>(a.H * a.D * a.D) * sizeof(float), s));
    lightning_state_norms_kernel<<<grid_of(a.H, "lightning_attention"), kThreads, 0, s>>>(a);
    HL_CUDA_CHECK(cudaGetLastError());
  }
}

}  // namespace hl::cuda
