#pragma once
// MiniMax lightning attention (HF MiniMaxLightningAttention.forward, the prefill branch), per head h with slope s_h:
//   o_t = Σ_{j ≤ t} e^{−s_h (t − j)} (q_t · k_j) v_j
// computed as transformers does, in blocks of B tokens with its decay tables (which a checkpoint may store rounded,
// and transformers then uses as stored): for a block of cb tokens starting at t0, i, j < cb,
//   intra_i = Σ_{j ≤ i} (q_i · k_j) · diagonal_decay[h, i, j] · v_j
//   inter_i = (q_i · query_decay[h, i]) KV                     KV [D, D], zero before the first block
//   o_i     = inter_i + intra_i
//   KV      = KV · e^{−s_h cb} + Σ_j (k_j · key_decay[h, B − cb + j])ᵀ v_j
// No scaling, no normalisation (the caller's RMSNorm follows).
// Layout: q, k, v [T, H, D] strided: token stride `token_stride`, head stride `head_stride`, D contiguous (views into
// the per-head interleaved [q_h | k_h | v_h] projection); slope [H]; query_decay, key_decay [H, B];
// diagonal_decay [H, B, B]; y [T, H·D] packed. state_norms [T, H] or nullptr: ||S_t[h]||_F of the per-token state
// S_t = e^{−s_h} S_{t−1} + k_tᵀ v_t (the state transformers' decoding carries), after token t.
#include <cstddef>

namespace hl::cpu {

struct LightningDims {
  std::size_t T = 0, H = 0, D = 0, B = 0;
};

struct LightningInputs {
  const float* q = nullptr;
  const float* k = nullptr;
  const float* v = nullptr;
  std::size_t token_stride = 0, head_stride = 0;
  const float* slope = nullptr;
  const float* query_decay = nullptr;
  const float* key_decay = nullptr;
  const float* diagonal_decay = nullptr;
};

void lightning_attention(const LightningDims& d, const LightningInputs& in, float* y, float* state_norms);

}  // namespace hl::cpu
