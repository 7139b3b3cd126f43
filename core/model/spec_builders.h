#pragma once
// Shared pieces every family mapping is assembled from: each reads one primitive's options from config.json with
// the family's defaults (transformers config class defaults) and validates them. families.cpp composes these.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/config_reader.h"
#include "core/model/model_spec.h"

namespace hl::spec {

// vocab/hidden/layers/max positions/tie, with the family's defaults.
struct CoreDefaults {
  std::int64_t vocab = 32000, hidden = 4096, layers = 32, max_positions = 2048;
  bool tied = false;
};
void read_core(const ConfigReader& r, ModelSpec& spec, const CoreDefaults& d);

NormSpec read_norm(const ConfigReader& r, Keys eps_keys, double default_eps, NormKind kind, bool weight_in_fp32 = false);

struct RopeDefaults {
  double theta = 10000.0;
  double partial_rotary_factor = 1.0;
  bool enabled = true;  // false: NoPE unless the config asks for RoPE
  // Whether the family's rotary embedding reads partial_rotary_factor at all. Most (Llama and its kin) rotate the
  // whole head whatever the config says; GPT-NeoX, Bamba and the Qwen3-Next family rotate the first fraction.
  bool partial_rotary = false;
};
// Reads rope_parameters (flat, or nested by layer type when `layer_type` is one of its keys), legacy rope_scaling
// (+ rope_theta, partial_rotary_factor, rotary_pct, rotary_emb_base) into one RopeSpec.
RopeSpec read_rope(const ConfigReader& r, std::int64_t head_dim, const RopeDefaults& d, std::string_view layer_type = {});

struct AttentionDefaults {
  std::int64_t heads = 32;
  std::optional<std::int64_t> kv_heads;  // nullopt: = heads
  std::optional<std::int64_t> head_dim;  // nullopt: hidden / heads (hidden must divide)
  bool bias = false;                     // default of attention_bias
  RopeDefaults rope;
  bool ignore_head_dim = false;          // the config class derives head_dim = hidden // heads whatever it says
};
AttentionSpec read_attention(const ConfigReader& r, std::int64_t hidden, const AttentionDefaults& d,
                             std::string_view layer_type = {});

struct MlpDefaults {
  std::int64_t intermediate = 11008;
  std::string activation = "silu";
  bool gated = true;
  bool bias = false;
};
MlpSpec read_mlp(const ConfigReader& r, Keys intermediate_keys, Keys act_keys, const MlpDefaults& d);
Activation parse_activation(const ConfigReader& r, Keys keys, const std::string& fallback);

struct Mamba2Defaults {
  std::int64_t heads = 128, state = 128, groups = 1, conv = 4, expand = 2, chunk = 256;
  std::optional<std::int64_t> head_dim;  // nullopt: "auto" = d_inner / heads
  std::optional<std::int64_t> d_inner;   // nullopt: expand · hidden
  bool conv_bias = true, proj_bias = false;  // in_proj and out_proj bias (a family may split them afterwards)
  double dt_min = 0.0;  // lower clamp when the config has no time_step_limit
  double norm_eps = 1e-5;
  GatedNormKind gated_norm = GatedNormKind::GateThenNorm;
};
// `head_dim_keys` differ by family (mamba2's "head_dim" is the attention head size elsewhere).
Mamba2Spec read_mamba2(const ConfigReader& r, std::int64_t hidden, const Mamba2Defaults& d, Keys head_dim_keys,
                       Keys heads_keys);

// mamba/falcon_mamba (state_size, expand, ...) and jamba (mamba_d_state, mamba_expand, ...) spellings.
Mamba1Spec read_mamba1(const ConfigReader& r, std::int64_t hidden);

// Resolves layer-kind strings through an alias table; unknown strings fail naming the field and value.
struct KindAlias {
  std::string_view name;
  MixerKind kind;
};
std::vector<MixerKind> mixer_kinds(const ConfigReader& r, std::string_view field, const std::vector<std::string>& types,
                                   const std::vector<KindAlias>& aliases);

// Group-limited sigmoid routing (DeepSeek-V3 style: Nemotron-H, Kimi-Linear): n_group divides the experts, topk_group
// <= n_group, and top-k fits in the chosen groups. With more, transformers' torch.topk takes experts outside them
// from among -inf ties in no defined order, which no other implementation can reproduce: such configs are refused.
void check_grouped_routing(const ConfigReader& r, const MoeSpec& moe, std::string_view group_field,
                           std::string_view top_k_field);

// Checks `value` is in [0, n) for a list of layer indices named by `field`.
void check_layer_indices(const ConfigReader& r, Keys field, const std::vector<std::int64_t>& indices, std::int64_t n);

}  // namespace hl::spec
