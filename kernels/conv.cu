// Causal depthwise convolutions over time. CPU twins: core/cpu/conv1d.h, core/cpu/short_conv.h.
// Layout: channels-last activations [T, C] (row stride ld*), weight as stored by PyTorch Conv1d(groups=C): [C, 1, K],
// the last tap multiplies the current token; zero left padding (no history). One thread per (token, channel): the K
// taps are read straight from global memory (K <= 4 in every supported family, so there is nothing to tile).
#include "kernels/common.cuh"

namespace hl::cuda {

void causal_conv1d(const float* x, std::int64_t ldx, Param w, Param bias, float* y, std::int64_t ldy, std::int64_t T,
                   std::int64_t C, std::int64_t K, bool silu, cudaStream_t s) {
  for_each(T * C, s, [=] __device__(std::int64_t i) {
    const std::int64_t t = i / C, c = i % C;
    float acc = load_param_or(bias, c, 0.f);
    for (std::int64_t k = 0; k < K; ++k) {
      const std::int64_t src = t - (K - 1) + k;
      if (src >= 0) acc += load_param(w, c * K + k) * x[src * ldx + c];
    }
    y[t * ldy + c] = silu ? siluf_(acc) : acc;
  });
}

// y[t, c] = C[t, c] · (bias[c] + Σ_k w[c, k] · B[t', c] x[t', c]),  t' = t - K + 1 + k;  bcx row = [B | C | x].
void short_conv(const float* bcx, std::int64_t ldb, Param w, Param bias, float* y, std::int64_t T, std::int64_t C,
                std::int64_t K, cudaStream_t s) {
  for_each(T * C, s, [=] __device__(std::int64_t i) {
    const std::int64_t t = i / C, c = i % C;
    float acc = load_param_or(bias, c, 0.f);
    for (std::int64_t k = 0; k < K; ++k) {
      const std::int64_t src = t - (K - 1) + k;
      if (src >= 0) {
        const float* r = bcx + src * ldb;
        acc += load_param(w, c * K + k) * (r[c] * r[2 * C + c]);
      }
    }
    y[t * C + c] = acc * bcx[t * ldb + C + c];
  });
}

}  // namespace hl::cuda
