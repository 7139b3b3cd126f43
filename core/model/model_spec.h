#pragma once
// ModelSpec: one normalised description of a model's architecture, parsed from a Hugging Face config.json
// (see config_parser.h). The engine builds its forward pass from this and the bound tensors (model_binding.h);
// it never reads config.json itself.
//
// Reading guide:
//  * A model is: embeddings → layers[0..n) → final norm → lm_head (tied to the embeddings when `tied_embeddings`).
//  * Each LayerPlan has one token mixer (MixerSpec) and at most one feed-forward block (FfnSpec), each with its own
//    norms. Residual wiring is given by `norm_placement` (+ `parallel_residual`, + the muP multipliers).
//  * Tensor names are part of the spec (`names` members, module prefixes) so a family is data: binding derives every
//    expected tensor name and shape from this struct alone.
//  * Weights follow PyTorch: Linear weights are [out_features, in_features] row-major (y = x·Wᵀ), depthwise conv
//    weights [channels, 1, kernel], stacked experts [experts, out, in].
//  * Every size is validated positive and overflow-free before a ModelSpec is returned.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "core/model/activation.h"

namespace hl {

// ---------------------------------------------------------------------------------------------------------- norms
enum class NormKind {
  RMSNorm,          // y = x·rsqrt(mean(x²)+eps) · w
  RMSNormOnePlus,   // zero-centred weights (Gemma, Qwen3-Next): y = x·rsqrt(mean(x²)+eps) · (1 + w)
  LayerNorm,        // (x − mean)/sqrt(var+eps) · w + b
  LayerNormNoBias,  // (x − mean)/sqrt(var+eps) · w
};

struct NormSpec {
  NormKind kind = NormKind::RMSNorm;
  double eps = 1e-6;
  // true: weight multiplied in fp32 before the cast back to the activation dtype (OLMo 2/3/hybrid, Qwen3-Next);
  // false: HF Llama order (normalise in fp32, cast, then multiply by the weight).
  bool weight_in_fp32 = false;
};

// Where a layer's norms sit relative to its residual adds.
enum class NormPlacement {
  PreNorm,   // h = h + f(norm(h))
  PostNorm,  // OLMo 2/3 "reordered" norm: h = h + norm(f(h)), no input norm
  Sandwich,  // h = h + post_norm(f(pre_norm(h)))
  // MiniMax: the residual is the NORMED stream, h = norm(h); h = α·h + β·f(h), with LayerPlan's α/β per block.
  NormedResidual,
};

// --------------------------------------------------------------------------------------------------------- RoPE
enum class RopeType { None, Default, Linear, Dynamic, Yarn, LongRope, Llama3 };

// All fields of HF `rope_parameters` / legacy `rope_scaling`; unused ones keep their defaults.
struct RopeSpec {
  RopeType type = RopeType::None;  // None = NoPE: no positional encoding at all
  double theta = 10000.0;
  double partial_rotary_factor = 1.0;
  std::int64_t rotary_dim = 0;  // = int(head_dim · partial_rotary_factor); rotate_half (NeoX) layout on [0, rotary_dim)
  double factor = 1.0;          // linear / dynamic / yarn / llama3 / longrope
  std::int64_t original_max_position_embeddings = 0;
  double low_freq_factor = 1.0;   // llama3
  double high_freq_factor = 4.0;  // llama3
  double beta_fast = 32.0;        // yarn
  double beta_slow = 1.0;         // yarn
  std::optional<double> attention_factor;  // yarn / longrope; absent = derived from factor by HF rules
  std::optional<double> mscale;            // yarn (DeepSeek style)
  std::optional<double> mscale_all_dim;    // yarn
  bool truncate = true;                    // yarn
  std::vector<double> short_factor, long_factor;  // longrope
};

// ---------------------------------------------------------------------------------------------------- attention
enum class QkNormScope {
  None,
  PerHead,         // RMSNorm over head_dim, per head, before RoPE (Qwen3, LFM2, Qwen3-Next); weights [head_dim]
  FullProjection,  // RMSNorm over the whole q (H·hd) / k (KV·hd) projection before splitting heads (OLMo 2/3/hybrid)
};

struct AttentionNames {
  std::string q = "q_proj", k = "k_proj", v = "v_proj", o = "o_proj";
  std::string qkv;  // non-empty: fused projection (gpt_neox "query_key_value"), q/k/v unused
  std::string q_norm = "q_norm", k_norm = "k_norm";
};

struct AttentionSpec {
  std::int64_t num_heads = 0;
  std::int64_t num_kv_heads = 0;  // GQA: query head h reads kv head h / (num_heads / num_kv_heads)
  std::int64_t head_dim = 0;
  std::int64_t input_dim = 0;     // hidden_size, except Zamba2's shared block (2·hidden: [h, embeddings] concatenated)
  std::int64_t output_dim = 0;    // o_proj output = hidden_size
  std::int64_t sliding_window = 0;  // 0 = full causal; else query i sees keys j with i − W < j ≤ i
  RopeSpec rope;
  double softmax_scale = 0;  // multiplies q·k (head_dim^-0.5, granite attention_multiplier, zamba2 (hd/2)^-0.5)
  bool qkv_bias = false;
  bool o_bias = false;
  QkNormScope qk_norm = QkNormScope::None;
  NormSpec qk_norm_spec;
  // Qwen3-Next: q_proj emits [q_h | gate_h] per head (2·head_dim each); o = attn · sigmoid(gate) before o_proj.
  bool output_gate = false;
  // gpt_neox fused qkv: the output is viewed [..., heads, 3·head_dim] = per-head interleaved [q_h | k_h | v_h].
  bool fused_qkv_interleaved = false;
  AttentionNames names;
};

// -------------------------------------------------------------------------------------------------------- Mamba
struct Mamba1Spec {
  std::int64_t d_inner = 0;  // expand · hidden
  std::int64_t d_state = 0;  // N; A_log is [d_inner, N]
  std::int64_t dt_rank = 0;
  std::int64_t conv_kernel = 0;
  bool conv_bias = true;
  bool proj_bias = false;  // in_proj / out_proj bias
  // Jamba: learned RMSNorms on dt/B/C (dt_layernorm [dt_rank], b_layernorm/c_layernorm [N]);
  // falcon_mamba: the same norms without weights.
  enum class DtBcNorm { None, Learned, Unweighted } dt_bc_norm = DtBcNorm::None;
  double dt_bc_norm_eps = 1e-6;
  double time_step_floor = 1e-4;  // initialisation only
  Activation conv_activation = Activation::SiLU;  // after the conv (hidden_act); the z gate is always SiLU
  // Zamba (v1): `heads` independent Mamba1s over d_inner / heads channels each, with per-head x_proj_weight
  // [H, dt_rank + 2N, P], dt_proj_weight [H, P, dt_rank], dt_proj_bias [H, P], A_log [H, P, N], D [H, P]; and an
  // in_proj whose rows interleave the two halves per channel ([x_c, z_c]). heads = 1: the plain layout.
  std::int64_t heads = 1;
  bool interleaved_in_proj = false;
};

enum class GatedNormKind {
  None,            // y · silu(z), no norm (Falcon-H1 with mamba_rms_norm=false)
  GateThenNorm,    // rmsnorm(y · silu(z)) · w  (mamba_ssm norm_before_gate=False)
  NormThenGate,    // rmsnorm(y) · w · silu(z)  (Falcon-H1 mamba_norm_before_gate=True)
};

struct Mamba2Spec {
  std::int64_t d_inner = 0;  // = n_heads · head_dim
  std::int64_t d_state = 0;  // N
  std::int64_t n_groups = 1; // G: head h uses B/C group h / (n_heads / n_groups)
  std::int64_t n_heads = 0;  // H: A_log, D, dt_bias are [H]
  std::int64_t head_dim = 0; // P
  std::int64_t conv_kernel = 0;
  std::int64_t chunk_size = 256;
  bool conv_bias = true;
  bool in_proj_bias = false;
  bool out_proj_bias = false;  // the same flag as in_proj's except in Falcon-H1 (projectors_bias)
  double dt_min = 0.0;  // clamp of softplus(dt + dt_bias) (time_step_limit); (0, inf) = no clamp
  double dt_max = std::numeric_limits<double>::infinity();
  double time_step_floor = 1e-4;  // initialisation only
  GatedNormKind gated_norm = GatedNormKind::GateThenNorm;
  // Group size of the gated RMSNorm: d_inner / n_groups when per-group (mamba_ssm, nemotron_h, zamba2, falcon_h1),
  // d_inner when full-width (HF mamba2 / bamba / granitemoehybrid MambaRMSNormGated).
  std::int64_t norm_group_size = 0;
  double norm_eps = 1e-5;
  Activation conv_activation = Activation::SiLU;  // after the conv (hidden_act); the z gate is always SiLU
  // in_proj output split: [z (d_inner) | xBC (d_inner + 2·G·N) | dt (H)]; conv runs over xBC.
  std::int64_t in_proj_dim() const { return 2 * d_inner + 2 * n_groups * d_state + n_heads; }
  std::int64_t conv_dim() const { return d_inner + 2 * n_groups * d_state; }
};

// ------------------------------------------------------------------------------------------------ Gated DeltaNet
struct GatedDeltaNetSpec {
  std::int64_t num_key_heads = 0;
  std::int64_t num_value_heads = 0;  // value head v uses key head v / (num_value_heads / num_key_heads)
  std::int64_t key_head_dim = 0;
  std::int64_t value_head_dim = 0;
  std::int64_t conv_kernel = 4;
  enum class Projections {
    GroupedQkvz,  // Qwen3-Next: fused in_proj_qkvz [2Kd+2Vd] (grouped per key head) + in_proj_ba [2·nv], one conv
    SplitQkv,     // Qwen3.5: in_proj_qkv [2Kd+Vd] ([q | k | v]) + in_proj_z / in_proj_b / in_proj_a, one conv
    Separate,     // OLMo Hybrid: q/k/v/a/b/g projections and separate q/k/v depthwise convs
  } projections = Projections::GroupedQkvz;
  bool allow_neg_eigval = false;  // beta = 2·sigmoid(b) (OLMo Hybrid)
  Activation conv_activation = Activation::SiLU;  // after the q/k/v conv: config hidden_act (transformers)
  double norm_eps = 1e-6;         // output gated RMSNorm over value_head_dim, norm then silu(gate)
  std::int64_t key_dim() const { return num_key_heads * key_head_dim; }
  std::int64_t value_dim() const { return num_value_heads * value_head_dim; }
};

// ------------------------------------------------------------------------------------------------- short conv
struct ShortConvSpec {  // LFM2: B, C, x = chunk(in_proj(h), 3); y = conv(B·x); out_proj(C·y)
  std::int64_t kernel = 3;  // conv_L_cache
  bool bias = false;
};

// --------------------------------------------------------------------------------------------------------- RWKV
// RWKV-4 (HF RwkvSelfAttention): token shift, then key/value/receptance of the shifted mixes and the WKV recurrence
// over attention_hidden channels with per-channel decay -exp(time_decay) and current-token bonus time_first.
struct RwkvTimeMixSpec {
  std::int64_t attention_hidden = 0;
};

// ------------------------------------------------------------------------------------------------------ RG-LRU
// Griffin's recurrent block (HF RecurrentGemmaRecurrentBlock): y = act(linear_y(h)); x = conv1d(linear_x(h)) (depthwise,
// bias, no activation); x = RG-LRU(x); out = linear_out(x · y). The RG-LRU's input and recurrence gates are
// block-diagonal, one [width/heads]² block per head, stored [heads, in, out] (x · W, not x · Wᵀ).
struct RgLruSpec {
  std::int64_t width = 0;  // lru_width
  std::int64_t heads = 0;  // num_attention_heads: the gates' blocks
  std::int64_t conv_kernel = 4;
  Activation activation = Activation::GELUTanh;  // of the y branch (hidden_activation)
};

// ------------------------------------------------------------------------------------------- lightning attention
// MiniMax's linear attention (HF MiniMaxLightningAttention): [q_h | k_h | v_h] = act(qkv_proj(x)) per head,
// o_t = Σ_{j ≤ t} e^{−s_h (t − j)} (q_t · k_j) v_j computed in blocks of block_size tokens (the decays are buffers
// the checkpoint may store, and transformers then uses the stored values), then RMSNorm over all heads (eps 1e-6
// whatever rms_norm_eps says), · sigmoid(output_gate(x)), out_proj. s_h: slope_rate.
struct LightningAttentionSpec {
  std::int64_t heads = 0, head_dim = 0;
  std::int64_t block_size = 256;
  Activation activation = Activation::SiLU;  // on the qkv projection (hidden_act)
  double norm_eps = 1e-6;
  int layer_index = 0, layer_count = 1;  // slope_rate's depth factor when the checkpoint does not store it
};

// ------------------------------------------------------------------------------------------ Kimi delta attention
// Kimi Delta Attention (HF KimiLinearDeltaAttention): a gated delta rule whose decay is per key channel. q/k/v
// projections, each through its own depthwise conv (q_conv1d / k_conv1d / v_conv1d, no bias) and hidden_act; forget
// gate g = −exp(A_log[h]) · softplus(f_b(f_a(x)) + dt_bias) per channel, β = σ(b_proj(x)); o per head through an RMSNorm
// (eps rms_norm_eps, weight in fp32) times σ(g_b(g_a(x))); o_proj. q and k are l2-normalised in the kernel.
// Bailing-hybrid (Ling) writes the same mixer with one full-rank f_proj and g_proj, a [heads] A_log, transformers'
// plain softplus or its "safe" gate g = lower_bound · σ(exp(A_log) · x), and o_proj named "dense".
struct KimiDeltaSpec {
  std::int64_t heads = 0, head_dim = 0;  // linear_num_heads, linear_head_dim (keys and values alike)
  std::int64_t conv_kernel = 4;
  Activation conv_activation = Activation::SiLU;
  double norm_eps = 1e-5;
  enum class ForgetGate {
    KimiLowRank,  // f_b(f_a(x)); g = −exp(A_log) · (x > 20 ? x : log(1 + exp(x)))   (Kimi-Linear)
    Softplus,     // f_proj(x);   g = −exp(A_log) · softplus(x)
    SafeSigmoid,  // f_proj(x);   g = lower_bound · σ(exp(A_log) · x)                (kda_safe_gate)
  } forget_gate = ForgetGate::KimiLowRank;
  double gate_lower_bound = -5.0;
  bool low_rank_output_gate = true;  // g_b(g_a(x)); false: g_proj(x)
  bool a_log_per_head_4d = true;     // A_log stored [1, 1, heads, 1]; false: [heads]
  std::string o_proj = "o_proj";
  std::int64_t dim() const { return heads * head_dim; }
};

// -------------------------------------------------------------------------------- multi-head latent attention
// DeepSeek-V2 style MLA as Kimi-Linear has it (HF KimiLinearAttention): q = q_proj(x) or q_b(norm(q_a(x)));
// [c | k_rot] = kv_a_proj_with_mqa(x); [k_nope_h | v_h] = kv_b_proj(norm(c)) per head; k_h = [k_nope_h | k_rot]
// (k_rot shared by every head, NOT rotated: Kimi's MLA has no positions); softmax scale (nope + rope)^-½.
// Bailing-hybrid's MLA rotates the rope part (interleaved pairs, GPT-J style), gates each head's output by
// σ(g_proj(x)), scales by YaRN's mscale² where its rope type says, and names o_proj "dense".
struct LatentAttentionSpec {
  RopeSpec rope;            // type None: the rope part is not rotated (Kimi)
  bool head_gate = false;
  double softmax_scale = 0;  // 0: (nope + rope)^-½
  std::string o_proj = "o_proj";
  std::int64_t heads = 0;
  std::int64_t q_lora_rank = 0;  // 0: a plain q_proj
  std::int64_t kv_lora_rank = 0;
  std::int64_t qk_nope_dim = 0, qk_rope_dim = 0, v_head_dim = 0;
  bool bias = false;        // attention_bias: q_a_proj, kv_a_proj_with_mqa and o_proj
  double norm_eps = 1e-6;   // q_a_layernorm / kv_a_layernorm: the RMSNorm's own default
  std::int64_t qk_dim() const { return qk_nope_dim + qk_rope_dim; }
};

// -------------------------------------------------------------------------------------------------------- mLSTM
// xLSTM's mLSTM layer (HF xLSTMLayer): q, k, v, o_preact and the per-head input / forget gate pre-activations
// (biased, soft-capped) from x; the mLSTM cell (core/cpu/mlstm.h); a per-head LayerNorm without bias; σ(o) · ·;
// out_proj (weight_mode "single"; transformers cannot build "fused").
struct MLstmSpec {
  std::int64_t heads = 0, qk_dim = 0, v_dim = 0;  // qk_dim = int(hidden · qk_dim_factor), v_dim likewise
  double gate_soft_cap = 15.0;                    // i, f = cap · tanh(pre-activation / cap)
  double eps = 1e-6;                              // the cell's denominator
  double norm_eps = 1e-6;                         // the per-head LayerNorm
};

// ------------------------------------------------------------------------------------------------------- mixer
enum class MixerKind {
  None,                   // no token mixer (nemotron_h MLP-only / MoE-only layers)
  FullAttention,
  SlidingAttention,       // attention.sliding_window > 0
  Mamba1,
  Mamba2,
  GatedDeltaNet,
  ShortConv,
  ParallelAttentionMamba2,  // falcon_h1: attention and Mamba2 on the same normed input, outputs summed
  RwkvTimeMix,            // RWKV-4 WKV recurrence ("attention" in HF's naming, but attention-free)
  RgLru,                  // Griffin / RecurrentGemma recurrent block
  LightningAttention,     // MiniMax linear attention with per-head decay
  KimiDelta,              // Kimi Delta Attention (per-channel gated delta rule)
  LatentAttention,        // multi-head latent attention (MLA), full causal
  MLstm,                  // xLSTM's matrix-memory LSTM
};
// Zamba2 "hybrid" layers are MixerKind::Mamba2 with LayerPlan::shared_block ≥ 0 (the shared transformer block runs
// first, see SharedBlockSpec).

struct MixerSpec {
  MixerKind kind = MixerKind::None;
  std::string module;  // tensor-name prefix inside the layer, e.g. "self_attn", "mamba", "mixer"
  std::string attention_module;  // ParallelAttentionMamba2 only: the attention half's prefix ("self_attn")
  AttentionSpec attention;  // FullAttention, SlidingAttention, ParallelAttentionMamba2
  Mamba1Spec mamba1;
  Mamba2Spec mamba2;        // Mamba2, ParallelAttentionMamba2
  GatedDeltaNetSpec gdn;
  ShortConvSpec short_conv;
  RwkvTimeMixSpec rwkv;
  RgLruSpec rg_lru;
  LightningAttentionSpec lightning;
  KimiDeltaSpec kda;
  LatentAttentionSpec mla;
  MLstmSpec mlstm;
};

// ----------------------------------------------------------------------------------------------------- FFN / MoE

struct MlpNames {
  std::string gate = "gate_proj", up = "up_proj", down = "down_proj";
  std::string gate_up;  // non-empty: fused [gate; up] projection [2·I, d] (zamba2 gate_up_proj, granite input_linear)
};

struct MlpSpec {
  std::int64_t intermediate = 0;
  Activation activation = Activation::SiLU;
  bool gated = true;  // down(act(gate(x)) · up(x)); ungated: down(act(up(x)))
  bool bias = false;
  MlpNames names;
};

enum class RouterKind {
  SoftmaxTopK,         // p = softmax(logits) over all experts, take top-k (renormalise if `renormalize`)
  TopKSoftmax,         // take top-k logits, softmax over those k (granitemoehybrid)
  SigmoidGroupedTopK,  // s = sigmoid(logits); choose by s + correction bias within n_group/topk_group; weights = s
};

struct MoeNames {
  std::string router = "gate";                 // [E, d]
  std::string router_bias_correction;          // nemotron_h "gate.e_score_correction_bias" [E]
  std::string experts = "experts";             // per expert: "<experts>.<e>.<mlp names>"
  std::string stacked_input, stacked_output;   // non-empty: experts stored stacked [E, 2I, d] / [E, d, I]
  std::string shared = "shared_expert";        // shared expert module (relative to the layer when shared_at_layer)
  bool shared_at_layer = false;                // granitemoehybrid: "shared_mlp" sits beside, not inside, the MoE
  std::string shared_gate;                     // qwen3_next "shared_expert_gate" [1, d]
  std::string latent_in = "fc1_latent_proj", latent_out = "fc2_latent_proj";  // nemotron_h latent MoE
};

struct MoeSpec {
  RouterKind router = RouterKind::SoftmaxTopK;
  std::int64_t num_experts = 0;
  std::int64_t top_k = 0;
  bool renormalize = false;  // divide the k weights by their sum
  double renormalize_eps = 1e-20;  // SigmoidGroupedTopK: ... by (sum + eps); LFM2-MoE uses 1e-6
  double routed_scaling_factor = 1.0;
  std::int64_t n_group = 1, topk_group = 1;  // SigmoidGroupedTopK
  std::int64_t expert_intermediate = 0;
  MlpSpec expert;            // activation / gating / names of one expert (intermediate = expert_intermediate)
  std::int64_t shared_intermediate = 0;  // 0 = no shared expert
  MlpSpec shared;            // shared expert, added to the routed output
  bool shared_gated_by_sigmoid = false;  // qwen3_next: shared · sigmoid(shared_gate(x))
  // Nemotron-H latent MoE: the routed experts work in a smaller space, latent_in [latent, d] before them and
  // latent_out [d, latent] after; the router and the shared expert still read x. 0 = none.
  std::int64_t latent_size = 0;
  bool latent_bias = false;
  MoeNames names;
};

// RwkvChannelMix (HF RwkvFeedForward): sigmoid(receptance(r_mix)) · value(relu(key(k_mix))²), where the mixes
// interpolate each token with the previous one; mlp.intermediate is key's width.
enum class FfnKind { None, Mlp, Moe, RwkvChannelMix };

struct FfnSpec {
  FfnKind kind = FfnKind::None;
  std::string module;  // "mlp", "feed_forward", "block_sparse_moe", "mixer" (nemotron_h)...
  MlpSpec mlp;         // Mlp; RwkvChannelMix uses intermediate only
  MoeSpec moe;
};

// --------------------------------------------------------------------------------------------------- layer plan
struct LayerPlan {
  int index = 0;
  MixerSpec mixer;
  FfnSpec ffn;
  NormPlacement norm_placement = NormPlacement::PreNorm;
  bool parallel_residual = false;  // gpt_neox: h = h + mixer(norm1(h)) + ffn(norm2(h))
  // Norm tensor names relative to the layer prefix ("input_layernorm"); empty = that norm is absent.
  // PreNorm uses pre_mixer/pre_ffn, PostNorm uses post_mixer/post_ffn, Sandwich uses all four.
  std::string pre_mixer_norm, post_mixer_norm, pre_ffn_norm, post_ffn_norm;
  // Zamba2 hybrid layers: index into ModelSpec::shared_blocks, and which adapter (the hybrid layer's ordinal) to use.
  int shared_block = -1;
  int adapter_index = -1;
  // NormedResidual only: h = α·norm(h) + β·branch (MiniMax *_alpha_factor / *_beta_factor).
  double mixer_alpha = 1.0, mixer_beta = 1.0, ffn_alpha = 1.0, ffn_beta = 1.0;
};

// Zamba2's (and Zamba's) shared transformer block, applied before the Mamba mixer of each "hybrid" layer:
//   t = cat(h, embeddings) → input_norm (2d) → attention (2d → d) → pre_ffn_norm (d) → MLP (gate_up fused)
//   → per-layer `linear` [d, d]; then h = h + mamba(mamba_input_norm(h + t)).
// Its weights are stored once per block, under the first hybrid layer that uses it
// ("model.layers.<i>.shared_transformer."); LoRA adapters (rank adapter_rank) are per hybrid layer.
struct SharedBlockSpec {
  std::string module = "shared_transformer";  // under each user layer; Zamba (v1): "shared_transf"
  bool mlp_adapters = true;                   // Zamba2's gate_up LoRA adapters; Zamba (v1) has none
  int index = 0;
  std::vector<int> layers;  // hybrid layers using this block
  AttentionSpec attention;
  MlpSpec mlp;
  NormSpec norm;
  std::int64_t adapter_rank = 0;   // LoRA rank of the per-hybrid-layer adapters
  bool attention_adapters = false;  // q/k/v adapters (use_shared_attention_adapter); MLP adapters always exist
};

// ------------------------------------------------------------------------------------------------- multipliers
// Scalars that change the forward pass beyond the plain architecture (muP). Defaults are identities.
struct Multipliers {
  double embedding = 1.0;   // h0 = embed(ids) · embedding
  double residual = 1.0;    // granite*: h = r + f(h) · residual
  double logits_divisor = 1.0;  // granite* logits_scaling: logits = lm_head(h) / logits_divisor
  double lm_head = 1.0;     // falcon_h1: logits = lm_head(h) · lm_head
  // falcon_h1 only:
  double key = 1.0;              // k = k_proj(x) · key (before RoPE)
  double attention_in = 1.0;     // attention input x · attention_in
  double attention_out = 1.0;    // attention output · attention_out
  double ssm_in = 1.0;           // mamba input x · ssm_in
  double ssm_out = 1.0;          // mamba output · ssm_out
  // mup_vector over in_proj outputs: [z, x, B, C, dt] segments scaled by ssm_multipliers[0..4]
  std::vector<double> ssm_segments = {1.0, 1.0, 1.0, 1.0, 1.0};
  double mlp_gate = 1.0;  // MLP: up(x) · act(gate(x) · mlp_gate), then down(·) · mlp_down
  double mlp_down = 1.0;
  double logits_softcap = 0.0;  // > 0: logits = softcap · tanh(logits / softcap) (RecurrentGemma logits_soft_cap)
};

// ----------------------------------------------------------------------------------------------------- model
struct ModelNames {
  std::string layer_prefix;  // "model.layers." → layer i's tensors are "<layer_prefix><i>.<...>"
  std::string embedding;     // "model.embed_tokens.weight" [vocab, hidden]
  std::string final_norm;    // "model.norm" (+ ".weight", ".bias")
  std::string lm_head;       // "lm_head.weight" [vocab, hidden]; absent in the checkpoint when tied
  std::string embedding_norm = {};  // non-empty: a norm on the embeddings before layer 0 (RWKV blocks.0.pre_ln)
  // Tensors under these prefixes belong to parts that are not scored (Qwen3.5's vision tower and multi-token
  // prediction heads): not bound, not reported as unused.
  std::vector<std::string> ignored_prefixes = {};
};

struct ModelSpec {
  std::string model_type;  // config.json model_type, e.g. "olmo_hybrid"
  std::int64_t hidden_size = 0;
  std::int64_t vocab_size = 0;
  std::int64_t max_position_embeddings = 0;  // 0 = unbounded (pure SSMs)
  bool tied_embeddings = false;
  bool residual_in_fp32 = false;
  NormSpec norm;        // kind/eps of the layer norms, the embedding norm and (unless final_norm says) the final norm
  std::optional<NormSpec> final_norm;  // RWKV: ln_out keeps nn.LayerNorm's eps 1e-5 whatever layer_norm_epsilon says
  // RWKV inference rescaling (rescale_every): layer i's mixer and FFN outputs are scaled by 2^-(i / n) (HF divides
  // attention.output and feed_forward.value by that) and h is halved after every n-th layer. 0 = none. Both are
  // exact in floating point and LayerNorm's eps sees the smaller scale, so the numbers differ from no rescaling.
  std::int64_t halve_residual_every = 0;
  Multipliers multipliers;
  std::vector<LayerPlan> layers;
  std::vector<SharedBlockSpec> shared_blocks;  // zamba2 only
  ModelNames names;
};

const char* to_string(MixerKind k);
const char* to_string(FfnKind k);
const char* to_string(NormKind k);
const char* to_string(NormPlacement p);
const char* to_string(RopeType t);
const char* to_string(Activation a);
const char* to_string(RouterKind r);
const char* to_string(GatedNormKind g);
const char* to_string(QkNormScope s);

}  // namespace hl
