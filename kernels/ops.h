#pragma once
// Host-side launchers of the CUDA kernels: raw device pointers, sizes in elements, every launch on the given stream.
// kernels/cuda_backend.cpp validates engine Tensors and calls these; each launcher names its CPU twin in core/cpu/,
// and tests/cuda/ compares the two through the Backend interface.
//
// Conventions (the same as the CPU kernels): activations are fp32, row-major, token-major; "ld" arguments are the
// elements between consecutive tokens (rows), so column views into a fused projection work without copies; parameters
// (weights, biases, A_log, ...) are read in their stored dtype through Param. Arithmetic is fp32; reductions that only
// feed reports (state norms, LM-head softmax sums) accumulate in double.
//
// This header is plain C++17 (no core/ headers) so the .cu files can include it.
#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>

#include "core/model/activation.h"

typedef struct cublasContext* cublasHandle_t;

namespace hl::cuda {

enum class WType : int { f32 = 0, bf16 = 1, f16 = 2 };
inline std::size_t wtype_size(WType t) { return t == WType::f32 ? 4 : 2; }

// A parameter tensor (contiguous) in its stored dtype; p == nullptr means "absent" where a launcher allows it.
struct Param {
  const void* p = nullptr;
  WType t = WType::f32;
};

// ---- linear (linear.cu; twin core/cpu/gemm.h) ----
// y[T, out] (row stride ldy) = x[T, in] (row stride ldx) · W[out, in]ᵀ + bias. bf16 / f16 weights: x is rounded to
// the weight's dtype into `scratch` (T·in 2-byte values, packed) and multiplied on cuBLAS with fp32 accumulation and
// fp32 output; f32 weights: plain SGEMM on x in place (no TF32). Bias added after the GEMM in fp32.
void linear(cublasHandle_t blas, cudaStream_t s, const float* x, std::int64_t ldx, std::int64_t T, std::int64_t in,
            Param w, std::int64_t out, Param bias, float* y, std::int64_t ldy, void* scratch);
// Bytes of scratch `linear` needs.
inline std::size_t linear_scratch_bytes(WType w, std::int64_t T, std::int64_t in) {
  return w == WType::f32 ? 0 : static_cast<std::size_t>(T) * static_cast<std::size_t>(in) * 2;
}

// ---- normalisations (norms.cu; twin core/cpu/norms.h) ----
enum class NormMode : int {
  rms,            // y = x * rstd * w'                 (w' = 1 + w when zero_centered)
  rms_gate_first, // y = rmsnorm(x * silu(z)) * w      (Mamba2 RMSNormGated, norm_before_gate = false)
  rms_gate_last,  // y = rmsnorm(x) * w * silu(z)      (Qwen3-Next / OLMo-hybrid, norm_before_gate = true)
  layer,          // y = (x - mean) * rstd * w + b     (biased variance)
};
struct NormArgs {
  NormMode mode = NormMode::rms;
  std::int64_t T = 0, G = 1, S = 0;            // T tokens × G groups of S contiguous elements
  const float* x = nullptr;
  std::int64_t x_ts = 0, x_gs = 0;             // token / group strides
  float* y = nullptr;                          // may equal x
  std::int64_t y_ts = 0, y_gs = 0;
  const float* z = nullptr;                    // gate, groups contiguous: z + t*z_ts + g*S
  std::int64_t z_ts = 0;
  Param weight;                                // S entries (weight_per_group) or G*S
  bool weight_per_group = true;
  Param bias;                                  // layer: S entries or absent
  float eps = 1e-6f;
  bool zero_centered = false;
};
void norm_rows(const NormArgs& a, cudaStream_t s);
// out[t] = ||x[t, :]||_2 (double accumulation); twin hl::cpu::l2_norm_rows.
void l2_norm_rows(const float* x, std::int64_t ldx, std::int64_t T, std::int64_t C, float* out, cudaStream_t s);

// ---- RoPE (rope.cu; twin core/cpu/rope.h) ----
// x [T, H, D] in place (token stride x_ts, head stride x_hs); cos, sin [T, rot/2] packed.
void rope(float* x, std::int64_t T, std::int64_t H, std::int64_t x_ts, std::int64_t x_hs, const float* cos,
          const float* sin, std::int64_t rot, bool interleaved, cudaStream_t s);

// ---- attention (attention.cu; twin core/cpu/attention.h) ----
struct AttentionArgs {
  const float* q = nullptr;
  const float* k = nullptr;
  const float* v = nullptr;
  float* out = nullptr;
  std::int64_t T = 0, Hq = 0, Hkv = 0, D = 0, Dv = 0;
  std::int64_t q_ts = 0, q_hs = 0, k_ts = 0, k_hs = 0, v_ts = 0, v_hs = 0, o_ts = 0, o_hs = 0;
  float scale = 1.f;
  std::int64_t window = 0;  // 0 = full causal; W > 0: i - W < j <= i
  float softcap = 0.f;
};
constexpr std::int64_t kAttentionMaxDv = 256;
void attention(const AttentionArgs& a, cudaStream_t s);

// ---- elementwise (elementwise.cu; twins core/cpu/activations.h, embedding.h) ----
void activation(Activation act, const float* x, std::int64_t ldx, float* y, std::int64_t ldy, std::int64_t T,
                std::int64_t n, cudaStream_t s);
void gated_activation(Activation act, const float* gate, std::int64_t ldg, const float* up, std::int64_t ldu,
                      float* y, std::int64_t ldy, std::int64_t T, std::int64_t n, cudaStream_t s);
// out[t, :] = table[ids[t], :] * multiplier; ids on the device, already range-checked.
void embedding(Param table, std::int64_t H, const std::int32_t* ids, std::int64_t T, float multiplier, float* out,
               std::int64_t ldo, cudaStream_t s);
void residual_add(float* h, std::int64_t ldh, const float* r, std::int64_t ldr, std::int64_t T, std::int64_t n,
                  float scale, cudaStream_t s);
void scale_rows(float* x, std::int64_t ldx, std::int64_t T, std::int64_t n, float scale, cudaStream_t s);
// y[t, c] += bias[c]
void add_bias_rows(float* y, std::int64_t ldy, std::int64_t T, std::int64_t n, Param bias, cudaStream_t s);
// out[i, :] = x[rows[i], :]; rows on the device.
void gather_rows(const float* x, std::int64_t ldx, std::int64_t d, const std::int32_t* rows, std::int64_t n,
                 float* out, std::int64_t ldo, cudaStream_t s);
// dst[rows[i], :] += weights[i] * src[i, :]; rows must be distinct within one call (the backend splits a call with
// repeated rows into batches, preserving the CPU's order of additions).
void scatter_add_rows(const float* src, std::int64_t lds, std::int64_t d, const std::int32_t* rows,
                      const float* weights, std::int64_t n, float* dst, std::int64_t ldd, cudaStream_t s);
// Packed fp32 -> bf16 / f16 (round to nearest even; f16 saturates at ±65504 instead of overflowing to inf).
void convert_rows(const float* x, std::int64_t ldx, std::int64_t T, std::int64_t n, void* out, WType to,
                  cudaStream_t s);

// ---- causal convolutions (conv.cu; twins core/cpu/conv1d.h, short_conv.h) ----
// y[t, c] = act(bias[c] + Σ_k w[c, k] x[t - K + 1 + k, c]), zero left padding; w [C, 1, K] as stored.
void causal_conv1d(const float* x, std::int64_t ldx, Param w, Param bias, float* y, std::int64_t ldy, std::int64_t T,
                   std::int64_t C, std::int64_t K, bool silu, cudaStream_t s);
// LFM2: bcx [T, 3C] = [B | C | x]; y [T, C] packed = C ∘ conv(B ∘ x) (+ bias inside the conv).
void short_conv(const float* bcx, std::int64_t ldb, Param w, Param bias, float* y, std::int64_t T, std::int64_t C,
                std::int64_t K, cudaStream_t s);

// ---- recurrent scans (mamba1_scan.cu, mamba2_scan.cu, gdn_scan.cu; twins core/cpu/mamba1_scan.h, mamba2_ssd.h,
// gated_delta_net.h) ----
// Each scan runs one warp per independent row of the state (sequential over time; see the .cu files), eight warps
// per block. State norms: every block writes its partial Σ S² per token into `norm_partials` (T · heads · parts
// floats, parts = ceil(rows per head / kScanWarps)), then a second kernel sums them (double) into state_norms.
constexpr std::int64_t kScanWarps = 8;
inline std::int64_t scan_norm_parts(std::int64_t rows_per_head) { return (rows_per_head + kScanWarps - 1) / kScanWarps; }

struct Mamba1ScanArgs {
  std::int64_t T = 0, D = 0, N = 0;
  const float* u = nullptr;
  std::int64_t u_ts = 0;
  const float* delta = nullptr;
  std::int64_t delta_ts = 0;
  Param delta_bias, A_log, Dskip;   // [D], [D, N], [D]; bias / Dskip may be absent
  const float* B = nullptr;
  const float* C = nullptr;
  std::int64_t bc_ts = 0;
  const float* z = nullptr;         // may be null
  std::int64_t z_ts = 0;
  float* y = nullptr;               // [T, D] packed
  float* state_norms = nullptr;     // [T, 1] or null
  float* norm_partials = nullptr;   // T · scan_norm_parts(D) floats when state_norms
};
void mamba1_scan(const Mamba1ScanArgs& a, cudaStream_t s);

struct Mamba2ScanArgs {
  std::int64_t T = 0, H = 0, P = 0, G = 1, N = 0;
  const float* x = nullptr;
  std::int64_t x_ts = 0;
  const float* dt = nullptr;
  std::int64_t dt_ts = 0;
  Param A_log, D, dt_bias;          // [H]; D / dt_bias may be absent
  const float* B = nullptr;
  const float* C = nullptr;
  std::int64_t bc_ts = 0;
  float dt_min = 0.f, dt_max = 3.0e38f;
  float* y = nullptr;               // [T, H*P] packed
  float* state_norms = nullptr;     // [T, H] or null
  float* norm_partials = nullptr;   // T · H · scan_norm_parts(P) floats when state_norms
};
void mamba2_scan(const Mamba2ScanArgs& a, cudaStream_t s);

struct GdnScanArgs {
  std::int64_t T = 0, Hk = 0, Hv = 0, Dk = 0, Dv = 0;
  const float* q = nullptr;
  const float* k = nullptr;
  std::int64_t qk_ts = 0;
  const float* v = nullptr;
  std::int64_t v_ts = 0;
  const float* b = nullptr;
  const float* a = nullptr;
  std::int64_t ab_ts = 0;
  Param A_log, dt_bias;             // [Hv]; dt_bias may be absent
  float beta_scale = 1.f;
  float l2norm_eps = 1e-6f;
  float* y = nullptr;               // [T, Hv*Dv] packed
  float* state_norms = nullptr;     // [T, Hv] or null
  float* norm_partials = nullptr;   // T · Hv · scan_norm_parts(Dv) floats when state_norms
};
void gdn_scan(const GdnScanArgs& a, cudaStream_t s);

// ---- RWKV-4 (rwkv.cu; twins core/cpu/token_shift.h, rwkv4_wkv.h) ----
// y[t, c] = x[t, c] mix[c] + x[t-1, c] (1 - mix[c]), x[-1] = 0; y [T, C] packed.
void token_shift_mix(const float* x, std::int64_t ldx, Param mix, float* y, std::int64_t T, std::int64_t C,
                     cudaStream_t s);
struct Rwkv4ScanArgs {
  std::int64_t T = 0, C = 0;
  const float* k = nullptr;
  std::int64_t k_ts = 0;
  const float* v = nullptr;
  std::int64_t v_ts = 0;
  Param time_decay, time_first;  // [C]
  float* y = nullptr;            // [T, C] packed
  float* state_norms = nullptr;  // [T] or null
  float* ratio = nullptr;        // [T, C] scratch for num / den when state_norms
};
void rwkv4_wkv(const Rwkv4ScanArgs& a, cudaStream_t s);

// ---- Griffin RG-LRU (rg_lru.cu; twin core/cpu/rg_lru.h) ----
struct RgLruScanArgs {
  std::int64_t T = 0, W = 0;
  const float* x = nullptr;
  std::int64_t x_ts = 0;
  const float* input_gate = nullptr;
  const float* recurrent_gate = nullptr;
  std::int64_t gate_ts = 0;
  Param recurrent_param;  // [W]
  float* y = nullptr;     // [T, W] packed
};
void rg_lru_scan(const RgLruScanArgs& a, cudaStream_t s);

// ---- MiniMax lightning attention (lightning.cu; twin core/cpu/lightning_attention.h) ----
struct LightningArgs {
  std::int64_t T = 0, H = 0, D = 0, B = 0;
  const float* q = nullptr;
  const float* k = nullptr;
  const float* v = nullptr;
  std::int64_t ts = 0, hs = 0;  // token and head strides shared by q, k, v
  Param slope, query_decay, key_decay, diagonal_decay;  // [H], [H, B], [H, B], [H, B, B]
  float* y = nullptr;               // [T, H·D] packed
  float* state_norms = nullptr;     // [T, H] or null
  float* kv_scratch = nullptr;      // H·D·D floats
  float* score_scratch = nullptr;   // H·B·B floats
  float* state_scratch = nullptr;   // H·D·D floats when state_norms
};
void lightning_attention(const LightningArgs& a, cudaStream_t s);

// ---- Kimi Delta Attention (kda.cu; twin core/cpu/kimi_delta.h) ----
struct KimiDeltaArgs {
  std::int64_t T = 0, H = 0, D = 0;
  const float* q = nullptr;
  const float* k = nullptr;
  const float* v = nullptr;
  std::int64_t qkv_ts = 0;
  const float* f = nullptr;
  std::int64_t f_ts = 0;
  const float* b = nullptr;
  std::int64_t b_ts = 0;
  Param A_log, dt_bias;          // [H], [H·D]
  int gate = 0;                  // 0: Kimi's softplus, 1: torch softplus, 2: lower_bound · σ(exp(A_log) · x)
  float lower_bound = -5.f;
  float* y = nullptr;            // [T, H·D] packed
  float* state_norms = nullptr;  // [T, H] or null
  float* state = nullptr;        // scratch H·D·D
};
void kimi_delta_attention(const KimiDeltaArgs& a, cudaStream_t s);

// ---- xLSTM mLSTM (mlstm.cu; twin core/cpu/mlstm.h) ----
struct MLstmArgs {
  std::int64_t T = 0, H = 0, Dk = 0, Dv = 0;
  const float* q = nullptr;
  const float* k = nullptr;
  std::int64_t qk_ts = 0;
  const float* v = nullptr;
  std::int64_t v_ts = 0;
  const float* i = nullptr;
  const float* f = nullptr;
  std::int64_t gate_ts = 0;
  float eps = 1e-6f;
  float* y = nullptr;            // [T, H·Dv] packed
  float* state_norms = nullptr;  // [T, H] or null
  float* state = nullptr;        // scratch H·Dk·Dv (C) + H·Dk (n)
};
void mlstm(const MLstmArgs& a, cudaStream_t s);
// Largest state row the scans hold in registers: N (Mamba1/2) or Dk (GDN) <= 32 * kScanMaxPerLane.
constexpr std::int64_t kScanMaxPerLane = 8;

// ---- LM head statistics (token_stats.cu; twin core/cpu/token_stats.h) ----
struct LogitTransform {
  float multiplier = 1.f, divisor = 1.f, softcap = 0.f;
};
// raw_target[t] = hidden[t] · W[targets[t]] + bias[targets[t]] in double (targets[t] < 0: left untouched).
void target_logits(const float* hidden, std::int64_t ldh, std::int64_t T, std::int64_t H, Param w, Param bias,
                   const std::int32_t* targets, float* raw_target, cudaStream_t s);
struct StatsRows {
  float* logits = nullptr;            // [rows, V] raw GEMM output (no bias); rewritten in place as transformed z
  std::int64_t ld = 0, rows = 0, V = 0;
  Param bias;                         // [V] or absent
  const std::int32_t* targets = nullptr;     // [rows]
  const float* raw_target = nullptr;         // [rows]
  LogitTransform tf;
  int k = 0;                          // <= kMaxTopK
  // outputs, [rows] / [rows, k]
  float* nll = nullptr;
  float* prob = nullptr;
  std::int32_t* rank = nullptr;
  float* entropy = nullptr;
  float* lse = nullptr;
  float* target_logit = nullptr;
  std::int32_t* topk_ids = nullptr;
  float* topk_probs = nullptr;
};
constexpr int kMaxTopK = 20;
void token_stats_rows(const StatsRows& a, cudaStream_t s);

// ---- MoE routing (moe_routing.cu; twin core/cpu/moe_routing.h) ----
enum class RouterRule : int { softmax_topk, topk_softmax, sigmoid_grouped };
struct RouteArgs {
  RouterRule rule = RouterRule::softmax_topk;
  const float* logits = nullptr;
  std::int64_t ld = 0, T = 0, E = 0, k = 1;
  bool renormalize = false;
  float renormalize_eps = 1e-20f;  // sigmoid_grouped only
  float routed_scaling = 1.f;
  std::int64_t n_group = 1, topk_group = 1;  // n_group <= 64
  Param correction_bias;
  std::int32_t* experts = nullptr;  // [T, k]
  float* weights = nullptr;         // [T, k]
};
void route(const RouteArgs& a, cudaStream_t s);

}  // namespace hl::cuda
