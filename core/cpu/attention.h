#pragma once
// Causal self-attention for a prefill (all T queries against the T keys of the same sequence), GQA, optional
// sliding window and logit softcap. Per (head, block of queries): one OpenBLAS GEMM for the block's scores against
// every key it can see, an exact (two-pass) row softmax on our threads, one GEMM for the weighted values straight
// into `out`. The score tile is bounded (≤ 32 MiB: fewer query rows per block for long texts), never O(T²).
// Layout (fp32, last dim contiguous, strides in elements):
//   q   [T, Hq,  D ] token stride q_ts, head stride q_hs
//   k   [T, Hkv, D ] k_ts, k_hs
//   v   [T, Hkv, Dv] v_ts, v_hs
//   out [T, Hq,  Dv] o_ts, o_hs (contiguous out = [T, Hq*Dv], what o_proj consumes); must not overlap q/k/v
// GQA: query head h reads kv head h / (Hq / Hkv) (HF repeat_kv). Hq % Hkv == 0.
// Mask (HF masking_utils): query i sees key j iff j <= i and, with a window W > 0, i - j < W (W counts the token
// itself: sliding_window_overlay is kv_idx > q_idx - W).
// score = (q·k) * scale; with softcap > 0: score = softcap * tanh(score / softcap) (Gemma-2); softmax in fp32.
#include <cstddef>
#include <cstdint>

namespace hl::cpu {

struct AttentionShape {
  std::size_t T, Hq, Hkv, D, Dv;
  std::size_t q_ts, q_hs, k_ts, k_hs, v_ts, v_hs, o_ts, o_hs;
  // Contiguous [T, H, D] tensors for q, k, v, out.
  static AttentionShape contiguous(std::size_t T, std::size_t Hq, std::size_t Hkv, std::size_t D, std::size_t Dv) {
    return {T, Hq, Hkv, D, Dv, Hq * D, D, Hkv * D, D, Hkv * Dv, Dv, Hq * Dv, Dv};
  }
};

void attention_prefill(const float* q, const float* k, const float* v, float* out, const AttentionShape& s,
                       float scale, std::int64_t window = 0, float softcap = 0.0f);

}  // namespace hl::cpu
