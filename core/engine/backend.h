#pragma once
// The engine's primitive interface. A model family is composed once from these calls; the CPU backend
// (cpu_backend.h, fp32, the numerical reference) and the CUDA backend implement the same interface.
//
// Conventions for every primitive:
//   - Activations are fp32 Tensors on the backend's device; weights are Tensors in their stored dtype (f32 / bf16 /
//     f16), usually non-owning views into the mmapped checkpoint (the CPU backend reads them in place).
//   - T = number of tokens (the prefill length). Row-major; the LAST dim of every tensor must be contiguous; other
//     strides may be arbitrary (views into fused projections work without copies).
//   - Output tensors are passed as const handles: the handle is not changed, the data it points to is written.
//     Outputs must be allocated by the caller with the stated shape. In-place is allowed only where stated.
//   - Shape / dtype / device mismatches throw TensorError with both tensors described.
//   - Host-side integer inputs (token ids, targets) are spans; the device backend copies them itself.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/engine/tensor.h"
#include "core/model/activation.h"

namespace hl::engine {

struct NormParams {
  float eps = 1e-6f;
  bool zero_centered = false;  // (1 + w) * x * rstd  (Gemma / Qwen3-Next); plain w * x * rstd otherwise
  // For rank-2 x [T, C]: 0 = normalise whole rows; g > 0 = normalise each contiguous group of g columns
  // (Mamba2 grouped norm). For rank-3 x [T, G, S] the group is the last dim (per-head q/k norm) and this is ignored.
  std::int64_t group_size = 0;
};

struct AttentionParams {
  float scale = 1.0f;                // usually head_dim^-0.5; granite: attention_multiplier; zamba2: (hd/2)^-0.5
  std::int64_t sliding_window = 0;   // 0 = full causal; W > 0: query i sees keys j with i - W < j <= i
  float softcap = 0.0f;              // > 0: scores = softcap * tanh(scores / softcap)
};

struct LogitParams {
  float multiplier = 1.0f;  // falcon_h1 lm_head_multiplier
  float divisor = 1.0f;     // granite logits_scaling
  float softcap = 0.0f;     // gemma2 final_logit_softcapping
};

// Per-position statistics (host memory). Position t describes the prediction of targets[t] from tokens <= t.
struct TokenStats {
  std::size_t T = 0, k = 0;
  std::vector<float> nll;           // nats; NaN where target < 0
  std::vector<float> prob;          // exp(-nll)
  std::vector<std::int32_t> rank;   // #logits strictly greater than the target's; 0 = top-1; -1 where no target
  std::vector<float> entropy;       // nats
  std::vector<float> lse;           // log-sum-exp of the logits
  std::vector<float> target_logit;
  std::vector<std::int32_t> topk_ids;  // [T, k], best first (ties: lower id first)
  std::vector<float> topk_probs;       // [T, k]
  // [T] 1 where the position has a target but its logits were not finite (NaN/Inf weights, an overflowing
  // activation). mark_invalid_positions (run by ModelRunner::score) sets such a position's nll, prob and entropy to
  // NaN, its rank to -1 and its top-k to none, so no consumer can show a number for it; 0 elsewhere, including the
  // last position, which has no target.
  std::vector<std::uint8_t> invalid;
  bool is_invalid(std::size_t t) const { return t < invalid.size() && invalid[t] != 0; }
  std::size_t invalid_count() const;
};

// Fills TokenStats::invalid from the statistics a backend computed and clears the invalid positions' numbers.
void mark_invalid_positions(TokenStats& stats);

class Backend {
 public:
  virtual ~Backend() = default;
  virtual Device device() const = 0;
  virtual std::string name() const = 0;

  // ---- memory ----
  virtual Tensor alloc(DType dtype, Shape shape) = 0;  // contiguous, zero-filled, on this device
  // Host tensor -> this device. Device backends copy; the CPU backend returns the same handle WITHOUT copying, so a
  // non-owning host view stays the caller's to keep alive (upload an owning Tensor::empty copy when in doubt).
  virtual Tensor upload(const Tensor& host) = 0;
  virtual void download(const Tensor& src, void* host_dst) = 0;  // contiguous src -> host bytes
  virtual void synchronize() {}

  // ---- device queries (every backend answers; the CPU's answers are the trivial ones) ----
  // "NVIDIA H100 80GB HBM3 (sm_90, 79.1 GiB)"; the backend's name where there is nothing more to say.
  virtual std::string device_description() const { return name(); }
  // Throws a one-line std::runtime_error naming both numbers when `needed` bytes exceed the device's free memory
  // (`what` says what needs them). Host memory is the operating system's to manage: the CPU backend never throws.
  virtual void ensure_fits(std::uint64_t /*needed*/, const std::string& /*what*/) const {}
  // Bytes held by this backend's own allocations at most since reset_peak_memory(); 0 where it does not count them
  // (the CPU backend: the process's peak RSS is the measure there).
  virtual std::uint64_t peak_memory() const { return 0; }
  virtual void reset_peak_memory() {}
  // Milliseconds `work` takes until its results are ready: the wall clock around work() and synchronize(); a device
  // backend may time its own stream instead.
  virtual double time_ms(const std::function<void()>& work) {
    const auto start = std::chrono::steady_clock::now();
    work();
    synchronize();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  }

  // ---- primitives ----
  // y[T, out] = x[T, in] · w[out, in]ᵀ (+ bias[out]). w contiguous, any float dtype. y must not overlap x.
  virtual void linear(const Tensor& x, const Tensor& w, const Tensor* bias, const Tensor& y) = 0;

  // RMSNorm. x, y: [T, C] (groups of NormParams::group_size) or [T, G, S] (per head). weight: S entries (shared by
  // every group) or G*S entries (one per column). y may be x (in place).
  virtual void rms_norm(const Tensor& x, const Tensor& weight, const Tensor& y, const NormParams& p) = 0;
  // Gated RMSNorm (Mamba2 RMSNormGated / Qwen3-Next / OLMo-hybrid): z has x's logical shape [T, C] (or [T, G, S]
  // with contiguous groups). norm_before_gate=false: rmsnorm(x*silu(z))*w; true: rmsnorm(x)*w*silu(z).
  virtual void rms_norm_gated(const Tensor& x, const Tensor& z, const Tensor& weight, const Tensor& y,
                              const NormParams& p, bool norm_before_gate) = 0;
  // LayerNorm over the last dim (or per group, as rms_norm); weight and optional bias have S entries.
  virtual void layer_norm(const Tensor& x, const Tensor& weight, const Tensor* bias, const Tensor& y,
                          const NormParams& p) = 0;

  // RoPE in place on x [T, H, D] (q or k; strided views fine). cos, sin: [T, rotary_dim / 2] f32 on this device
  // (engine/rope.h builds them on the host; upload them once per sequence and reuse for every layer).
  // interleaved=false: HF rotate_half pairs (j, j + rotary_dim/2); true: GPT-J pairs (2j, 2j+1).
  virtual void rope(const Tensor& x, const Tensor& cos, const Tensor& sin, bool interleaved = false) = 0;

  // Causal prefill attention. q [T, Hq, D], k [T, Hkv, D], v [T, Hkv, Dv]; out [T, Hq, Dv] or [T, Hq*Dv].
  virtual void attention(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& out,
                         const AttentionParams& p) = 0;

  // y = act(x); y = act(gate) * up. Shapes [T, n]; y may alias an input.
  virtual void activation(Activation a, const Tensor& x, const Tensor& y) = 0;
  virtual void gated_activation(Activation a, const Tensor& gate, const Tensor& up, const Tensor& y) = 0;

  // out[T, H] = table[ids[t], :] * multiplier. table [V, H] any float dtype. Throws if an id is outside [0, V).
  virtual void embedding(const Tensor& table, std::span<const std::int32_t> ids, const Tensor& out,
                         float multiplier = 1.0f) = 0;
  // h += scale * r  ([T, n]).
  virtual void residual_add(const Tensor& h, const Tensor& r, float scale = 1.0f) = 0;
  // x *= s
  virtual void scale(const Tensor& x, float s) = 0;
  // out[t] = ||x[t, :]||_2 ; x [T, C], out f32 [T] (residual-stream norm per token).
  virtual void l2_norm_rows(const Tensor& x, const Tensor& out) = 0;

  // LM head + per-position statistics without materialising [T, V]: hidden [T, H] (after the final norm),
  // w_lm [V, H] any float dtype, optional bias [V]; targets[t] in [0, V) or -1; k <= 20.
  // full_logits (optional, f32 [T, V]) receives the transformed logits.
  virtual TokenStats lm_head_stats(const Tensor& hidden, const Tensor& w_lm, const Tensor* bias,
                                   std::span<const std::int32_t> targets, std::size_t k, const LogitParams& p,
                                   const Tensor* full_logits = nullptr) = 0;

  // ---- recurrent mixers ----
  // Activations f32; every [T, ...] activation may be a row-strided view (e.g. a column range of a fused projection)
  // whose within-token layout is packed as stated. Parameter tensors (conv weights, A_log, D, dt_bias, ...) may be in
  // any float dtype. ScanArgs::state_norms (optional, f32 [T, heads] contiguous) receives ||S_t[h]||_F, the Frobenius
  // norm of head h's recurrent state AFTER consuming token t, computed inside the scan (no per-token states stored).

  // Causal depthwise conv1d: x [T, C], w [C, 1, K] (PyTorch Conv1d(groups=C) layout), bias [C] or null,
  // y [T, C] (must not alias x): y[t, c] = act(bias[c] + sum_k w[c, k] x[t - K + 1 + k, c]), zero left padding.
  virtual void causal_conv1d(const Tensor& x, const Tensor& w, const Tensor* bias, const Tensor& y, bool silu) = 0;
  // LFM2 gated short conv: bcx [T, 3C] = [B | C | x]; y [T, C] = C * conv(B * x) (no activation).
  virtual void short_conv(const Tensor& bcx, const Tensor& w, const Tensor* bias, const Tensor& y) = 0;

  // Mamba1 selective scan. u [T, D] (conv output), delta [T, D] (dt_proj output without bias; softplus(delta +
  // delta_bias) applied inside), A_log [D, N] (A = -exp(A_log)), B, C [T, N], Dskip [D] or null, z [T, D] gate or
  // null; y [T, D] = (h_t C_t + Dskip u_t) * silu(z_t). state_norms [T, 1] (the whole [D, N] state is one "head").
  struct Mamba1ScanArgs {
    Tensor u, delta, A_log, B, C, y;
    const Tensor* delta_bias = nullptr;
    const Tensor* Dskip = nullptr;
    const Tensor* z = nullptr;
    const Tensor* state_norms = nullptr;
  };
  virtual void mamba1_scan(const Mamba1ScanArgs& a) = 0;

  // Mamba2 SSD scan. x [T, H*P], dt [T, H] raw (dt = clamp(softplus(dt + dt_bias), dt_min, dt_max) inside),
  // A_log [H], B, C [T, G*N] (head h reads group h / (H/G)), D [H] or null, dt_bias [H] or null;
  // y [T, H*P] = SSM(x) + D x (no gate / norm). state_norms [T, H]. chunk_size: the chunked SSD's block length.
  struct Mamba2ScanArgs {
    Tensor x, dt, A_log, B, C, y;
    const Tensor* D = nullptr;
    const Tensor* dt_bias = nullptr;
    const Tensor* state_norms = nullptr;
    std::int64_t heads = 0, head_dim = 0, groups = 1, state = 0;
    float dt_min = 0.f, dt_max = 1e30f;
    std::int64_t chunk_size = 256;
  };
  virtual void mamba2_scan(const Mamba2ScanArgs& a) = 0;

  // Gated DeltaNet (chunked, use_qk_l2norm_in_kernel). q, k [T, Hk*Dk], v [T, Hv*Dv] (conv outputs), b, a [T, Hv]
  // raw gate logits: beta = beta_scale * sigmoid(b), g = -exp(A_log) * softplus(a + dt_bias); value head h reads key
  // head h / (Hv/Hk). y [T, Hv*Dv]. state_norms [T, Hv] (per value head, state [Dk, Dv]).
  struct GdnScanArgs {
    Tensor q, k, v, b, a, A_log, y;
    const Tensor* dt_bias = nullptr;
    const Tensor* state_norms = nullptr;
    std::int64_t key_heads = 0, value_heads = 0, key_dim = 0, value_dim = 0;
    float beta_scale = 1.f;
    std::int64_t chunk_size = 64;
  };
  virtual void gated_delta_net(const GdnScanArgs& a) = 0;

  // RWKV token shift: y[t, c] = x[t, c]·mix[c] + x[t−1, c]·(1 − mix[c]), x[−1] = 0. x [T, C], y [T, C] packed (must
  // not alias x); mix: C entries in any float dtype (RWKV stores [1, 1, C]).
  virtual void token_shift_mix(const Tensor& x, const Tensor& mix, const Tensor& y) = 0;
  // RWKV-4 WKV (HF rwkv_linear_attention_cpu; equations in core/cpu/rwkv4_wkv.h): k, v [T, C], time_decay and
  // time_first C entries (w = −exp(time_decay) inside), y [T, C] packed. state_norms [T, 1]: ||num / den||_2 over
  // the channels after token t.
  struct Rwkv4ScanArgs {
    Tensor k, v, time_decay, time_first, y;
    const Tensor* state_norms = nullptr;
  };
  virtual void rwkv4_scan(const Rwkv4ScanArgs& a) = 0;
  // Griffin's RG-LRU (HF RecurrentGemmaRglru, equations in core/cpu/rg_lru.h): x [T, W] (the conv output),
  // input_gate / recurrent_gate [T, W] gate logits (biases included, sharing one token stride), recurrent_param W
  // entries; y [T, W] packed = h_t, the state itself (state norms are row norms of y's head blocks).
  struct RgLruScanArgs {
    Tensor x, input_gate, recurrent_gate, recurrent_param, y;
  };
  virtual void rg_lru_scan(const RgLruScanArgs& a) = 0;
  // MiniMax lightning attention (equations in core/cpu/lightning_attention.h): q, k, v [T, H, D] views sharing their
  // token and head strides (D contiguous); slope H entries, query_decay / key_decay H·B, diagonal_decay H·B·B, in any
  // float dtype (as a checkpoint stores them: [H, 1, 1], [H, B, 1], [1, H, B, B]); y [T, H·D] packed; state_norms
  // [T, H]: ||S_t[h]||_F of the per-token state.
  struct LightningArgs {
    Tensor q, k, v, slope, query_decay, key_decay, diagonal_decay, y;
    const Tensor* state_norms = nullptr;
    std::int64_t block_size = 256;
  };
  virtual void lightning_attention(const LightningArgs& a) = 0;
  // Kimi Delta Attention (equations in core/cpu/kimi_delta.h): q, k, v [T, H·D] sharing one token stride (conv
  // outputs), f [T, H·D] raw forget-gate logits (dt_bias added and the gate formed inside), b [T, H] raw β logits;
  // A_log H entries, dt_bias H·D (any float dtype); y [T, H·D] packed; state_norms [T, H].
  // gate: how g is formed from x = f + dt_bias and rate = exp(A_log) (core/cpu/kimi_delta.h).
  enum class KdaGate { kimi_softplus, softplus, safe_sigmoid };
  struct KimiDeltaArgs {
    Tensor q, k, v, f, b, A_log, dt_bias, y;
    const Tensor* state_norms = nullptr;
    std::int64_t heads = 0, head_dim = 0;
    KdaGate gate = KdaGate::kimi_softplus;
    float lower_bound = -5.f;  // safe_sigmoid
  };
  virtual void kimi_delta_attention(const KimiDeltaArgs& a) = 0;
  // xLSTM's mLSTM cell (equations in core/cpu/mlstm.h): q, k [T, H·Dk] sharing a token stride, v [T, H·Dv], i, f
  // [T, H] soft-capped gate pre-activations sharing a token stride; y [T, H·Dv] packed; state_norms [T, H].
  struct MLstmArgs {
    Tensor q, k, v, i, f, y;
    const Tensor* state_norms = nullptr;
    std::int64_t heads = 0;
    float eps = 1e-6f;
  };
  virtual void mlstm(const MLstmArgs& a) = 0;

  // ---- routing ----
  // Router selection over logits [T, E] (f32). Result on the host: experts/weights [T, k], weights already
  // renormalised and multiplied by routed_scaling as the scoring rule says.
  enum class RouterScoring {
    softmax_topk,     // p = softmax(logits); top-k of p; renormalise when `renormalize`
    topk_softmax,     // top-k logits; softmax over those k
    sigmoid_grouped,  // s = sigmoid(logits); choose by s + correction_bias within the best topk_group of n_group
                      // groups (group score = sum of its top-2); weights = s (renormalised when `renormalize`)
  };
  struct RouterParams {
    RouterScoring scoring = RouterScoring::softmax_topk;
    std::int64_t top_k = 1;
    bool renormalize = false;
    float renormalize_eps = 1e-20f;  // sigmoid_grouped: weights / (sum + eps)
    float routed_scaling = 1.f;
    std::int64_t n_group = 1, topk_group = 1;
  };
  struct Routing {
    std::size_t T = 0, k = 0;
    std::vector<std::int32_t> experts;  // [T, k]
    std::vector<float> weights;         // [T, k]
  };
  virtual Routing route(const Tensor& logits, const Tensor* correction_bias, const RouterParams& p) = 0;
  // Expert dispatch: out[i, :] = x[rows[i], :] (out [n, d]); dst[rows[i], :] += weights[i] * src[i, :] (src [n, d]).
  virtual void gather_rows(const Tensor& x, std::span<const std::int32_t> rows, const Tensor& out) = 0;
  virtual void scatter_add_rows(const Tensor& src, std::span<const std::int32_t> rows, std::span<const float> weights,
                                const Tensor& dst) = 0;
};

std::unique_ptr<Backend> make_cpu_backend();

}  // namespace hl::engine
