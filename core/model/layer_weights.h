#pragma once
// The weights of a bound model as typed structs, one per module, filled once from BoundModel's role maps
// (bind_weights). The forward pass reads `layer.attn.q.weight`, `layer.mamba.in_proj`, `shared.mlp.down` instead of
// spelling checkpoint names; roles are spelled only in tensor_plan.cpp and layer_weights.cpp.
//
// A Weight is nullptr when the plan has no such tensor (a bias the module lacks, another layout's projection, an
// optional buffer the checkpoint does not store); every tensor the plan requires is present (bind checked it).
// The views point into the BoundModel, which must outlive the BoundWeights.
#include <vector>

#include "core/checkpoint/tensor_view.h"
#include "core/model/model_binding.h"
#include "core/model/model_spec.h"

namespace hl {

using Weight = const TensorView*;

struct LinearWeights {  // also a conv or a norm: weight (+ bias)
  Weight weight = nullptr;
  Weight bias = nullptr;
};

struct AttentionWeights {
  LinearWeights q, k, v, qkv, o;  // qkv: fused (gpt_neox), else q, k, v
  Weight q_norm = nullptr, k_norm = nullptr;
};

struct MlpWeights {
  LinearWeights gate, up, gate_up, down;  // gate_up: fused [gate; up], else gate (gated only) + up
};

// Mamba1 and Mamba2 (the roles they share are one field).
struct MambaWeights {
  LinearWeights in_proj, conv, out_proj;
  Weight A_log = nullptr, D = nullptr;
  LinearWeights x_proj, dt_proj;                                 // Mamba1
  Weight dt_norm = nullptr, b_norm = nullptr, c_norm = nullptr;  // Mamba1, learned dt/B/C norms (Jamba)
  Weight dt_bias = nullptr, norm = nullptr;                      // Mamba2
};

struct GatedDeltaNetWeights {
  Weight in_proj_qkvz = nullptr, in_proj_ba = nullptr;  // Qwen3-Next, grouped per key head
  Weight in_proj_qkv = nullptr, in_proj_z = nullptr, in_proj_b = nullptr, in_proj_a = nullptr;  // Qwen3.5
  Weight q_proj = nullptr, k_proj = nullptr, v_proj = nullptr, a_proj = nullptr, b_proj = nullptr,
         g_proj = nullptr;                                      // OLMo Hybrid
  Weight q_conv = nullptr, k_conv = nullptr, v_conv = nullptr;  // OLMo Hybrid, the conv split in three
  Weight conv = nullptr;                                        // the others
  Weight A_log = nullptr, dt_bias = nullptr, norm = nullptr, out_proj = nullptr;
};

struct ShortConvWeights {
  LinearWeights in_proj, conv, out_proj;
};

// One RWKV projection of the token-shift mix: proj(token_shift_mix(x, mix)).
struct TokenShiftProjection {
  Weight mix = nullptr;
  Weight proj = nullptr;
};

struct RwkvTimeMixWeights {
  TokenShiftProjection key, value, receptance;
  Weight time_decay = nullptr, time_first = nullptr, output = nullptr;
};

struct RwkvChannelMixWeights {
  TokenShiftProjection key, receptance;
  Weight value = nullptr;
};

struct RgLruWeights {
  LinearWeights linear_x, linear_y, conv, linear_out;
  LinearWeights input_gate, recurrent_gate;  // weights [heads, in, out]
  Weight recurrent_param = nullptr;
};

struct LightningWeights {
  Weight qkv = nullptr, output_gate = nullptr, norm = nullptr, out_proj = nullptr;
  // Buffers, nullptr when the checkpoint does not store them (then computed as transformers does).
  Weight slope_rate = nullptr, query_decay = nullptr, key_decay = nullptr, diagonal_decay = nullptr;
};

struct KimiDeltaWeights {
  Weight q_proj = nullptr, k_proj = nullptr, v_proj = nullptr, q_conv = nullptr, k_conv = nullptr, v_conv = nullptr;
  Weight f_a_proj = nullptr, f_b_proj = nullptr, f_proj = nullptr;  // low-rank forget gate, or one projection
  Weight g_a_proj = nullptr, g_b_proj = nullptr, g_proj = nullptr;  // low-rank output gate, or one projection
  Weight b_proj = nullptr, A_log = nullptr, dt_bias = nullptr, o_norm = nullptr, o_proj = nullptr;
};

struct LatentAttentionWeights {
  LinearWeights q_a_proj, q_b_proj, q_proj, kv_a_proj, kv_b_proj, head_gate, o_proj;
  Weight q_a_norm = nullptr, kv_a_norm = nullptr;
};

struct MLstmWeights {
  Weight q = nullptr, k = nullptr, v = nullptr, o_gate = nullptr, norm = nullptr, out_proj = nullptr;
  LinearWeights i_gate, f_gate;
};

struct MoeWeights {
  Weight router = nullptr, router_bias = nullptr;
  LinearWeights latent_in, latent_out;
  Weight experts_gate_up = nullptr, experts_down = nullptr;  // stacked [E, (2)I, d] / [E, d, I]
  std::vector<MlpWeights> experts;                           // one per expert when not stacked
  MlpWeights shared;
  Weight shared_gate = nullptr;
};

struct LoraWeights {  // y += up(down(x))
  Weight down = nullptr, up = nullptr;
};

// Zamba2: a hybrid layer's own weights around the shared block (its output linear and its LoRA adapters).
struct HybridWeights {
  Weight linear = nullptr;
  LoraWeights q, k, v, gate_up;
};

struct SharedBlockWeights {  // Zamba2's shared transformer block
  LinearWeights input_norm, pre_ffn_norm;
  AttentionWeights attn;
  MlpWeights mlp;
};

struct LayerWeights {
  LinearWeights pre_mixer_norm, post_mixer_norm, pre_ffn_norm, post_ffn_norm;
  AttentionWeights attn;
  MambaWeights mamba;
  GatedDeltaNetWeights gdn;
  ShortConvWeights conv;
  RwkvTimeMixWeights rwkv;
  RgLruWeights rg_lru;
  LightningWeights lightning;
  KimiDeltaWeights kda;
  LatentAttentionWeights mla;
  MLstmWeights mlstm;
  MlpWeights mlp;
  MoeWeights moe;
  RwkvChannelMixWeights channel_mix;
  HybridWeights hybrid;
};

struct BoundWeights {
  Weight embedding = nullptr, lm_head = nullptr;  // lm_head: the embedding's view when tied
  LinearWeights embedding_norm, final_norm;
  std::vector<LayerWeights> layers;
  std::vector<SharedBlockWeights> shared_blocks;
};

BoundWeights bind_weights(const ModelSpec& spec, const BoundModel& bound);

}  // namespace hl
