// The family table: for each supported model_type, how its config.json maps onto a ModelSpec. Every mapping is a
// composition of the shared readers in spec_builders.h with the transformers config-class defaults as data;
// only layer-pattern rules and genuinely unique structure (Zamba2 shared blocks, Falcon-H1 muP) are spelled out.
#include "core/model/families.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/checkpoint/strict_json.h"
#include "core/model/spec_builders.h"

namespace hl {

using namespace spec;
using nlohmann::json;

namespace {

ModelNames hf_names(const std::string& root, const std::string& final_norm, const std::string& embedding = "embed_tokens",
                    const std::string& lm_head = "lm_head.weight") {
  return {root + "layers.", root + embedding + ".weight", root + final_norm, lm_head};
}

void set_pre_norms(LayerPlan& l, const std::string& mixer_norm, const std::string& ffn_norm) {
  l.norm_placement = NormPlacement::PreNorm;
  l.pre_mixer_norm = mixer_norm;
  l.pre_ffn_norm = ffn_norm;
}

void set_post_norms(LayerPlan& l, const std::string& mixer_norm, const std::string& ffn_norm) {
  l.norm_placement = NormPlacement::PostNorm;
  l.post_mixer_norm = mixer_norm;
  l.post_ffn_norm = ffn_norm;
}

void set_attention(LayerPlan& l, AttentionSpec a, const std::string& module = "self_attn") {
  l.mixer.kind = a.sliding_window > 0 ? MixerKind::SlidingAttention : MixerKind::FullAttention;
  l.mixer.module = module;
  l.mixer.attention = std::move(a);
}

// The layer's mixer from its spec: the spec's type names the kind (a Mamba2Spec makes a Mamba2 layer) and the
// MixerSpec field it goes in.
template <class Spec>
struct MixerOf;
template <>
struct MixerOf<Mamba1Spec> {
  static constexpr auto kind = MixerKind::Mamba1;
  static constexpr auto field = &MixerSpec::mamba1;
};
template <>
struct MixerOf<Mamba2Spec> {
  static constexpr auto kind = MixerKind::Mamba2;
  static constexpr auto field = &MixerSpec::mamba2;
};
template <>
struct MixerOf<GatedDeltaNetSpec> {
  static constexpr auto kind = MixerKind::GatedDeltaNet;
  static constexpr auto field = &MixerSpec::gdn;
};
template <>
struct MixerOf<ShortConvSpec> {
  static constexpr auto kind = MixerKind::ShortConv;
  static constexpr auto field = &MixerSpec::short_conv;
};
template <>
struct MixerOf<RwkvTimeMixSpec> {
  static constexpr auto kind = MixerKind::RwkvTimeMix;
  static constexpr auto field = &MixerSpec::rwkv;
};
template <>
struct MixerOf<RgLruSpec> {
  static constexpr auto kind = MixerKind::RgLru;
  static constexpr auto field = &MixerSpec::rg_lru;
};
template <>
struct MixerOf<LightningAttentionSpec> {
  static constexpr auto kind = MixerKind::LightningAttention;
  static constexpr auto field = &MixerSpec::lightning;
};
template <>
struct MixerOf<MLstmSpec> {
  static constexpr auto kind = MixerKind::MLstm;
  static constexpr auto field = &MixerSpec::mlstm;
};

template <class Spec>
void set_mixer(LayerPlan& l, Spec spec, const std::string& module) {
  l.mixer.kind = MixerOf<Spec>::kind;
  l.mixer.module = module;
  l.mixer.*MixerOf<Spec>::field = std::move(spec);
}

void set_mlp(LayerPlan& l, MlpSpec m, const std::string& module) {
  l.ffn.kind = FfnKind::Mlp;
  l.ffn.module = module;
  l.ffn.mlp = std::move(m);
}

void set_moe(LayerPlan& l, MoeSpec m, const std::string& module) {
  l.ffn.kind = FfnKind::Moe;
  l.ffn.module = module;
  l.ffn.moe = std::move(m);
}

const std::vector<KindAlias> kMambaAttention = {{"mamba", MixerKind::Mamba2},
                                                {"linear_attention", MixerKind::Mamba2},
                                                {"attention", MixerKind::FullAttention},
                                                {"full_attention", MixerKind::FullAttention}};

// Layer kinds from the first present list field, or `fallback` when none is present.
std::vector<MixerKind> listed_kinds(const ConfigReader& r, Keys fields, const std::vector<KindAlias>& aliases,
                                    std::int64_t n, const std::vector<MixerKind>& fallback) {
  if (!r.has(fields)) return fallback;
  const auto field = r.field_name(fields);
  auto kinds = mixer_kinds(r, field, r.string_list(fields), aliases);
  if (static_cast<std::int64_t>(kinds.size()) != n)
    r.fail(field, "has " + std::to_string(kinds.size()) + " entries, expected num_hidden_layers = " + std::to_string(n));
  return kinds;
}

std::int64_t layer_count(const ModelSpec& s) { return static_cast<std::int64_t>(s.layers.size()); }

// ------------------------------------------------------------------------------------ dense transformer families
struct TransformerTraits {
  CoreDefaults core;
  double eps = 1e-6;
  AttentionDefaults attention;
  MlpDefaults mlp;
  bool qkv_bias_always = false;  // qwen2: q/k/v biases regardless of attention_bias, o_proj without
  QkNormScope qk_norm = QkNormScope::None;
  bool post_norm = false;     // olmo2/olmo3
  bool granite_mup = false;   // granite: embedding/residual/attention multipliers, logits_scaling
  enum class Sliding { None, Qwen2, Olmo3 } sliding = Sliding::None;
};

void build_transformer(const ConfigReader& r, ModelSpec& s, const TransformerTraits& t) {
  read_core(r, s, t.core);
  s.norm = read_norm(r, {"rms_norm_eps"}, t.eps, NormKind::RMSNorm, t.post_norm);
  s.names = hf_names("model.", "norm");
  const auto n = layer_count(s);
  const auto mlp = read_mlp(r, {"intermediate_size"}, {"hidden_act"}, t.mlp);

  // Sliding-window layers: qwen2/qwen3 only when use_sliding_window; olmo3 always.
  std::int64_t window = 0;
  std::vector<MixerKind> kinds(static_cast<std::size_t>(n), MixerKind::FullAttention);
  const std::vector<KindAlias> aliases = {{"full_attention", MixerKind::FullAttention},
                                          {"sliding_attention", MixerKind::SlidingAttention}};
  if (t.sliding == TransformerTraits::Sliding::Qwen2) {
    if (r.boolean({"use_sliding_window"}, false)) window = r.integer({"sliding_window"}, 4096, 0, INT32_MAX);
    const auto max_window_layers = r.integer({"max_window_layers"}, 28, 0, kMaxLayers);
    std::vector<MixerKind> fallback;
    for (std::int64_t i = 0; i < n; ++i)
      fallback.push_back(window > 0 && i >= max_window_layers ? MixerKind::SlidingAttention : MixerKind::FullAttention);
    kinds = listed_kinds(r, {"layer_types"}, aliases, n, fallback);
  } else if (t.sliding == TransformerTraits::Sliding::Olmo3) {
    window = r.integer({"sliding_window"}, 4096, 0, INT32_MAX);
    std::vector<MixerKind> fallback;
    for (std::int64_t i = 0; i < n; ++i)
      fallback.push_back((i + 1) % 4 != 0 ? MixerKind::SlidingAttention : MixerKind::FullAttention);
    kinds = listed_kinds(r, {"layer_types"}, aliases, n, fallback);
  }

  for (auto& l : s.layers) {
    const bool sliding = kinds[static_cast<std::size_t>(l.index)] == MixerKind::SlidingAttention && window > 0;
    const auto layer_type = t.sliding == TransformerTraits::Sliding::Olmo3
                                ? (sliding ? "sliding_attention" : "full_attention")
                                : "";
    auto a = read_attention(r, s.hidden_size, t.attention, layer_type);
    a.sliding_window = sliding ? window : 0;
    if (t.qkv_bias_always) {
      a.qkv_bias = true;
      a.o_bias = false;
    }
    a.qk_norm = t.qk_norm;
    a.qk_norm_spec = s.norm;
    if (t.granite_mup) a.softmax_scale = r.number({"attention_multiplier"}, 1.0);
    set_attention(l, std::move(a));
    set_mlp(l, mlp, "mlp");
    if (t.post_norm)
      set_post_norms(l, "post_attention_layernorm", "post_feedforward_layernorm");
    else
      set_pre_norms(l, "input_layernorm", "post_attention_layernorm");
  }
  if (t.granite_mup) {
    s.multipliers.embedding = r.number({"embedding_multiplier"}, 1.0);
    s.multipliers.residual = r.number({"residual_multiplier"}, 1.0);
    s.multipliers.logits_divisor = r.number({"logits_scaling"}, 1.0);
    if (s.multipliers.logits_divisor == 0) r.fail("logits_scaling", "must not be 0");
  }
}

TransformerTraits llama_traits() { return {}; }

void build_llama(const ConfigReader& r, ModelSpec& s) { build_transformer(r, s, llama_traits()); }

void build_qwen2(const ConfigReader& r, ModelSpec& s) {
  TransformerTraits t;
  t.core = {151936, 4096, 32, 32768, false};
  t.attention.kv_heads = 32;
  t.mlp.intermediate = 22016;
  t.qkv_bias_always = true;
  t.sliding = TransformerTraits::Sliding::Qwen2;
  build_transformer(r, s, t);
}

void build_qwen3(const ConfigReader& r, ModelSpec& s) {
  TransformerTraits t;
  t.core = {151936, 4096, 32, 32768, false};
  t.attention.kv_heads = 32;
  t.attention.head_dim = 128;
  t.mlp.intermediate = 22016;
  t.qk_norm = QkNormScope::PerHead;
  t.sliding = TransformerTraits::Sliding::Qwen2;
  build_transformer(r, s, t);
}

void build_olmo2(const ConfigReader& r, ModelSpec& s) {
  TransformerTraits t;
  t.core = {50304, 4096, 32, 2048, false};
  t.eps = 1e-5;
  t.qk_norm = QkNormScope::FullProjection;
  t.post_norm = true;
  build_transformer(r, s, t);
}

void build_olmo3(const ConfigReader& r, ModelSpec& s) {
  TransformerTraits t;
  t.core = {50304, 4096, 32, 2048, false};
  t.eps = 1e-5;
  t.attention.rope.theta = 500000.0;
  t.qk_norm = QkNormScope::FullProjection;
  t.post_norm = true;
  t.sliding = TransformerTraits::Sliding::Olmo3;
  build_transformer(r, s, t);
}

void build_granite(const ConfigReader& r, ModelSpec& s) {
  TransformerTraits t;
  t.granite_mup = true;
  build_transformer(r, s, t);
}

void build_gpt_neox(const ConfigReader& r, ModelSpec& s) {
  read_core(r, s, {50432, 6144, 44, 2048, false});
  s.norm = read_norm(r, {"layer_norm_eps"}, 1e-5, NormKind::LayerNorm);
  s.names = {"gpt_neox.layers.", "gpt_neox.embed_in.weight", "gpt_neox.final_layer_norm", "embed_out.weight"};
  AttentionDefaults ad;
  ad.heads = 64;
  ad.bias = true;
  ad.rope.partial_rotary_factor = 0.25;
  ad.rope.partial_rotary = true;
  auto a = read_attention(r, s.hidden_size, ad);
  a.fused_qkv_interleaved = true;
  a.names.qkv = "query_key_value";
  a.names.o = "dense";
  auto m = read_mlp(r, {"intermediate_size"}, {"hidden_act"}, {24576, "gelu", false, true});
  m.bias = true;  // GPTNeoXMLP always has biases
  m.names = {"", "dense_h_to_4h", "dense_4h_to_h", ""};
  const bool parallel = r.boolean({"use_parallel_residual"}, true);
  for (auto& l : s.layers) {
    set_attention(l, a, "attention");
    set_mlp(l, m, "mlp");
    set_pre_norms(l, "input_layernorm", "post_attention_layernorm");
    l.parallel_residual = parallel;
  }
}

// ------------------------------------------------------------------------------------------------ pure SSMs
void build_mamba_common(const ConfigReader& r, ModelSpec& s, bool falcon) {
  read_core(r, s, {50280, 768, 32, 0, true});
  s.norm = read_norm(r, {"layer_norm_epsilon"}, 1e-5, NormKind::RMSNorm);
  s.residual_in_fp32 = r.boolean({"residual_in_fp32"}, true);
  s.names = {"backbone.layers.", "backbone.embeddings.weight", "backbone.norm_f", "lm_head.weight"};
  auto m = read_mamba1(r, s.hidden_size);
  if (falcon) {
    m.dt_bc_norm = Mamba1Spec::DtBcNorm::Unweighted;
    m.dt_bc_norm_eps = r.number({"mixer_rms_eps"}, 1e-6);
  }
  for (auto& l : s.layers) {
    set_mixer(l, m, "mixer");
    l.pre_mixer_norm = "norm";
  }
}

// RWKV-4 (RwkvConfig / RwkvModel): LayerNorms with bias; blocks.0.pre_ln on the embeddings; ln_out is a plain
// nn.LayerNorm (eps 1e-5). context_length only bounds the CUDA kernel transformers may load; its CPU recurrence, the
// reference, scores any length, so positions are unbounded here.
void build_rwkv(const ConfigReader& r, ModelSpec& s) {
  read_core(r, s, {50277, 4096, 32, 0, false});
  s.max_position_embeddings = 0;
  s.norm = read_norm(r, {"layer_norm_epsilon"}, 1e-5, NormKind::LayerNorm);
  s.final_norm = NormSpec{NormKind::LayerNorm, 1e-5, false};
  s.names = {"rwkv.blocks.", "rwkv.embeddings.weight", "rwkv.ln_out", "head.weight", "rwkv.blocks.0.pre_ln"};
  s.halve_residual_every = r.integer({"rescale_every"}, 6, std::numeric_limits<std::int64_t>::min(),
                                     std::numeric_limits<std::int64_t>::max());
  if (s.halve_residual_every < 0) s.halve_residual_every = 0;  // "0 or a negative number: no rescale"
  RwkvTimeMixSpec t;
  t.attention_hidden = r.dim({"attention_hidden_size"}, s.hidden_size);
  const auto intermediate = r.dim({"intermediate_size"}, 4 * s.hidden_size);
  for (auto& l : s.layers) {
    set_mixer(l, t, "attention");
    l.ffn.kind = FfnKind::RwkvChannelMix;
    l.ffn.module = "feed_forward";
    l.ffn.mlp.intermediate = intermediate;
    set_pre_norms(l, "ln1", "ln2");
  }
}

// x rounded to bfloat16 (round to nearest even, from the double as torch.tensor(x, dtype=torch.bfloat16) does).
double round_to_bf16(double x) {
  int e = 0;
  const double m = std::frexp(x, &e);  // x = m · 2^e, 0.5 <= |m| < 1; bfloat16 keeps 8 significant bits
  return std::ldexp(std::nearbyint(std::ldexp(m, 8)), e - 8);
}

// RecurrentGemma (Griffin): block_types cycled over the layers, recurrent = RG-LRU block, attention = local (sliding
// window) attention with partial RoPE (default 0.5; RecurrentGemmaRotaryEmbedding accepts no other rope type) and an
// always-biased o_proj; gated MLP of width intermediate_size / 2 with biases; (1 + w) RMSNorms; the embeddings scaled
// by sqrt(hidden) rounded to bfloat16 (RecurrentGemmaModel.normalizer is a bf16 buffer); logits soft-capped. No
// position limit: RoPE and the local attention define every position.
void build_recurrent_gemma(const ConfigReader& r, ModelSpec& s) {
  read_core(r, s, {256000, 2560, 26, 0, true});
  s.max_position_embeddings = 0;
  s.norm = read_norm(r, {"rms_norm_eps"}, 1e-6, NormKind::RMSNormOnePlus, true);
  s.names = hf_names("model.", "final_norm");
  s.multipliers.embedding = round_to_bf16(std::sqrt(static_cast<double>(s.hidden_size)));
  s.multipliers.logits_softcap = r.number({"logits_soft_cap"}, 30.0);
  if (!(s.multipliers.logits_softcap > 0)) r.fail("logits_soft_cap", "must be positive");

  AttentionDefaults ad;
  ad.heads = 10;
  ad.rope.partial_rotary = true;
  ad.rope.partial_rotary_factor = 0.5;
  ad.ignore_head_dim = true;  // RecurrentGemmaConfig.__post_init__ sets head_dim = hidden_size // heads
  auto a = read_attention(r, s.hidden_size, ad);
  if (a.rope.type != RopeType::Default)
    r.fail("rope_parameters.rope_type", std::string("is '") + to_string(a.rope.type) +
                                            "'; RecurrentGemma supports only default RoPE");
  a.o_bias = true;
  a.sliding_window = r.dim({"attention_window_size", "sliding_window"}, 2048);

  RgLruSpec g;
  g.width = r.dim({"lru_width"}, s.hidden_size);
  g.heads = a.num_heads;
  if (g.width % g.heads != 0)
    r.fail("lru_width", "is " + std::to_string(g.width) + ", which num_attention_heads " + std::to_string(g.heads) +
                            " does not divide");
  g.conv_kernel = r.dim({"conv1d_width"}, 4);
  g.activation = parse_activation(r, {"hidden_activation"}, "gelu_pytorch_tanh");

  auto m = read_mlp(r, {"intermediate_size"}, {"hidden_activation"},
                    {3 * s.hidden_size, "gelu_pytorch_tanh", true, true});
  m.intermediate /= 2;  // RecurrentGemmaMlp
  if (m.intermediate <= 0) r.fail("intermediate_size", "must be at least 2");
  m.bias = true;

  std::vector<std::string> types = {"recurrent", "recurrent", "attention"};
  if (r.has({"block_types"})) types = r.string_list({"block_types"});
  if (types.empty()) r.fail("block_types", "is empty");
  const auto kinds = mixer_kinds(r, "block_types", types,
                                 {{"recurrent", MixerKind::RgLru}, {"attention", MixerKind::SlidingAttention}});
  for (auto& l : s.layers) {
    if (kinds[static_cast<std::size_t>(l.index) % kinds.size()] == MixerKind::RgLru) {
      set_mixer(l, g, "temporal_block");
    } else {
      set_attention(l, a, "temporal_block");
    }
    set_mlp(l, m, "mlp_block");
    set_pre_norms(l, "temporal_pre_norm", "channel_pre_norm");
  }
}

// MiniMax (MiniMaxConfig / MiniMaxDecoderLayer): layer_types (default: full attention at even indices, lightning
// attention at odd) with a residual taken from the NORMED stream and α/β factors per block kind; every layer a
// softmax top-k MoE, always renormalised, stored as Mixtral's w1/w3/w2 experts (transformers 5's save converts
// back to that layout).
void build_minimax(const ConfigReader& r, ModelSpec& s) {
  read_core(r, s, {32000, 4096, 32, 4096 * 32, false});
  s.norm = read_norm(r, {"rms_norm_eps"}, 1e-5, NormKind::RMSNorm);
  s.names = hf_names("model.", "norm");
  AttentionDefaults ad;
  ad.heads = 32;
  ad.kv_heads = 8;
  ad.rope.theta = 1e6;
  const auto a = read_attention(r, s.hidden_size, ad);
  const std::int64_t window = r.has({"sliding_window"}) ? r.dim({"sliding_window"}) : 0;

  LightningAttentionSpec lin;
  lin.heads = a.num_heads;
  lin.head_dim = a.head_dim;
  lin.block_size = r.dim({"block_size"}, 256);
  lin.activation = parse_activation(r, {"hidden_act"}, "silu");
  lin.layer_count = static_cast<int>(s.layers.size());

  MoeSpec moe;
  moe.router = RouterKind::SoftmaxTopK;
  moe.renormalize = true;
  moe.num_experts = r.dim({"num_local_experts", "num_experts"}, 8, kMaxExperts);
  moe.top_k = r.dim({"num_experts_per_tok"}, 2);
  if (moe.top_k > moe.num_experts) r.fail("num_experts_per_tok", "is larger than num_local_experts");
  moe.expert_intermediate = r.dim({"intermediate_size"}, 14336);
  moe.expert.intermediate = moe.expert_intermediate;
  moe.expert.activation = lin.activation;
  moe.expert.names = {"w1", "w3", "w2", ""};
  moe.names = {"gate", "", "experts", "", "", "", false, ""};

  std::vector<MixerKind> kinds;
  for (std::int64_t i = 0; i < layer_count(s); ++i)
    kinds.push_back((i + 1) % 2 ? MixerKind::FullAttention : MixerKind::LightningAttention);
  kinds = listed_kinds(r, {"layer_types"},
                       {{"full_attention", MixerKind::FullAttention},
                        {"linear_attention", MixerKind::LightningAttention}},
                       layer_count(s), kinds);
  const double full_alpha = r.number({"full_attn_alpha_factor"}, 1.0);
  const double full_beta = r.number({"full_attn_beta_factor"}, 1.0);
  const double lin_alpha = r.number({"linear_attn_alpha_factor"}, 1.0);
  const double lin_beta = r.number({"linear_attn_beta_factor"}, 1.0);
  for (auto& l : s.layers) {
    if (kinds[static_cast<std::size_t>(l.index)] == MixerKind::LightningAttention) {
      set_mixer(l, lin, "self_attn");
      l.mixer.lightning.layer_index = l.index;
      l.mixer_alpha = lin_alpha, l.mixer_beta = lin_beta;
    } else {
      auto full = a;
      full.sliding_window = window;
      set_attention(l, full);
      l.mixer_alpha = full_alpha, l.mixer_beta = full_beta;
    }
    set_moe(l, moe, "block_sparse_moe");
    set_pre_norms(l, "input_layernorm", "post_attention_layernorm");
    l.norm_placement = NormPlacement::NormedResidual;
    l.ffn_alpha = r.number({"mlp_alpha_factor"}, 1.0);
    l.ffn_beta = r.number({"mlp_beta_factor"}, 1.0);
  }
}

// Which layers carry the MoE (DeepSeek-V3 style configs: Kimi-Linear, Bailing-hybrid): mlp_layer_types, else the
// first first_k_dense_replace layers dense.
std::vector<bool> sparse_mlp_layers(const ConfigReader& r, std::int64_t n, std::int64_t default_dense) {
  std::vector<bool> sparse;
  if (r.has({"mlp_layer_types"})) {
    const auto types = r.string_list({"mlp_layer_types"});
    if (static_cast<std::int64_t>(types.size()) != n)
      r.fail("mlp_layer_types", "has " + std::to_string(types.size()) + " entries, expected num_hidden_layers");
    for (const auto& t : types) {
      if (t != "dense" && t != "sparse") r.fail("mlp_layer_types", "has '" + t + "', expected dense or sparse");
      sparse.push_back(t == "sparse");
    }
  } else {
    const auto dense = r.integer({"first_k_dense_replace"}, default_dense, 0, kMaxLayers);
    for (std::int64_t i = 0; i < n; ++i) sparse.push_back(i >= dense);
  }
  return sparse;
}

// The DeepSeek-V3 MoE as Kimi-Linear and Bailing-hybrid configure it (both spellings of each field: the config
// classes' attribute_map): sigmoid scores with a correction bias, group-limited top-k, renormalised (+1e-20),
// routed_scaling_factor, and num_shared_experts × moe_intermediate_size of shared expert.
struct GroupedMoeDefaults {
  std::int64_t experts, top_k, n_group, topk_group;
  double scaling;
  std::int64_t expert_intermediate;
};
MoeSpec grouped_sigmoid_moe(const ConfigReader& r, const GroupedMoeDefaults& d, const std::string& correction_bias,
                            const MlpNames& expert_names) {
  const auto act = parse_activation(r, {"hidden_act"}, "silu");
  MoeSpec moe;
  moe.router = RouterKind::SigmoidGroupedTopK;
  moe.num_experts = r.dim({"num_experts", "num_local_experts"}, d.experts, kMaxExperts);
  moe.top_k = r.dim({"num_experts_per_token", "num_experts_per_tok"}, d.top_k);
  if (moe.top_k > moe.num_experts) r.fail(r.field_name({"num_experts_per_token", "num_experts_per_tok"}),
                                          "is larger than num_experts");
  moe.renormalize = r.boolean({"moe_renormalize", "norm_topk_prob"}, true);
  moe.routed_scaling_factor = r.number({"routed_scaling_factor"}, d.scaling);
  moe.n_group = r.dim({"num_expert_group", "n_group"}, d.n_group);
  moe.topk_group = r.dim({"topk_group"}, d.topk_group);
  check_grouped_routing(r, moe, r.field_name({"num_expert_group", "n_group"}),
                        r.field_name({"num_experts_per_token", "num_experts_per_tok"}));
  moe.expert_intermediate = r.dim({"moe_intermediate_size"}, d.expert_intermediate);
  moe.expert.intermediate = moe.expert_intermediate;
  moe.expert.activation = act;
  moe.expert.names = expert_names;
  const auto shared = r.integer({"num_shared_experts", "n_shared_experts"}, 1, 0, kMaxExperts);
  moe.shared_intermediate = shared * moe.expert_intermediate;
  moe.shared.intermediate = moe.shared_intermediate;
  moe.shared.activation = act;
  moe.names = {"gate", correction_bias, "experts", "", "", "shared_experts", false, ""};
  return moe;
}

// The MLA fields Kimi-Linear and Bailing-hybrid share (q_lora_rank absent or null: a plain q_proj). Both expand every
// head from the latent, so their attention cannot group heads.
LatentAttentionSpec read_latent_attention(const ConfigReader& r) {
  LatentAttentionSpec mla;
  mla.heads = r.dim({"num_attention_heads"}, 32);
  if (r.dim({"num_key_value_heads"}, mla.heads) != mla.heads)
    r.fail("num_key_value_heads", "must equal num_attention_heads: multi-head latent attention expands every head "
                                  "from the latent and cannot group them");
  mla.q_lora_rank = r.has({"q_lora_rank"}) ? r.dim({"q_lora_rank"}) : 0;
  mla.kv_lora_rank = r.dim({"kv_lora_rank"}, 512);
  mla.qk_nope_dim = r.dim({"qk_nope_head_dim"}, 128);
  mla.qk_rope_dim = r.dim({"qk_rope_head_dim"}, 64);
  mla.v_head_dim = r.dim({"v_head_dim"}, 128);
  mla.bias = r.boolean({"attention_bias"}, false);
  return mla;
}

// A Kimi-Linear / Bailing-hybrid plan: each layer KDA or MLA, then a dense gated MLP or the MoE, pre-norm.
struct KdaMlaLayers {
  std::vector<MixerKind> kinds;
  std::vector<bool> sparse;
  KimiDeltaSpec kda;
  LatentAttentionSpec mla;
  std::int64_t default_intermediate;
  MoeSpec moe;
  std::string mixer_module, ffn_module;
};
void assign_kda_mla_layers(const ConfigReader& r, ModelSpec& s, const KdaMlaLayers& p) {
  MlpSpec mlp;
  mlp.intermediate = r.dim({"intermediate_size"}, p.default_intermediate);
  mlp.activation = parse_activation(r, {"hidden_act"}, "silu");
  for (auto& l : s.layers) {
    const auto i = static_cast<std::size_t>(l.index);
    l.mixer.module = p.mixer_module;
    l.mixer.kind = p.kinds[i];
    if (p.kinds[i] == MixerKind::KimiDelta) l.mixer.kda = p.kda;
    else l.mixer.mla = p.mla;
    if (p.sparse[i]) set_moe(l, p.moe, p.ffn_module);
    else set_mlp(l, mlp, p.ffn_module);
    set_pre_norms(l, "input_layernorm", "post_attention_layernorm");
  }
}

// Kimi-Linear (KimiLinearConfig / KimiLinearDecoderLayer): Kimi Delta Attention and MLA layers (layer_types, else
// linear_attn_config's 1-indexed full_attn_layers / kda_layers, else full attention at i % 4 == 0 for i > 0), dense
// MLPs then sigmoid-grouped MoE with shared experts (mlp_layer_types, else first_k_dense_replace), all under
// "block_sparse_moe" as transformers 5 saves them. Neither mixer has positions, so no context limit.
void build_kimi_linear(const ConfigReader& r, ModelSpec& s) {
  read_core(r, s, {163840, 2304, 27, 0, false});
  s.max_position_embeddings = 0;
  s.norm = read_norm(r, {"rms_norm_eps"}, 1e-5, NormKind::RMSNorm);
  s.names = hf_names("model.", "norm");
  const json empty = json::object();
  const json* lin_json = r.find({"linear_attn_config"});
  const ConfigReader lin(lin_json && lin_json->is_object() ? *lin_json : empty, r.label() + " linear_attn_config");

  KimiDeltaSpec kda;
  kda.heads = lin.has({"num_heads"}) ? lin.dim({"num_heads"}) : r.dim({"linear_num_heads"}, 32);
  kda.head_dim = lin.has({"head_dim"}) ? lin.dim({"head_dim"}) : r.dim({"linear_head_dim"}, 128);
  kda.conv_kernel = lin.has({"short_conv_kernel_size"}) ? lin.dim({"short_conv_kernel_size"})
                                                         : r.dim({"linear_conv_kernel_dim"}, 4);
  kda.conv_activation = parse_activation(r, {"hidden_act"}, "silu");
  kda.norm_eps = s.norm.eps;

  const LatentAttentionSpec mla = read_latent_attention(r);

  const auto n = layer_count(s);
  std::vector<MixerKind> kinds;
  for (std::int64_t i = 0; i < n; ++i)
    kinds.push_back(i && i % 4 == 0 ? MixerKind::LatentAttention : MixerKind::KimiDelta);
  if (!r.has({"layer_types"}) && lin.has({"full_attn_layers"}) && lin.has({"kda_layers"})) {
    for (const auto& [field, kind] : {std::pair{"full_attn_layers", MixerKind::LatentAttention},
                                      std::pair{"kda_layers", MixerKind::KimiDelta}})
      for (const auto one_based : lin.int_list({field}, 1, n)) kinds[static_cast<std::size_t>(one_based - 1)] = kind;
  }
  kinds = listed_kinds(r, {"layer_types"},
                       {{"linear_attention", MixerKind::KimiDelta}, {"full_attention", MixerKind::LatentAttention}}, n,
                       kinds);
  const MoeSpec moe = grouped_sigmoid_moe(r, {256, 8, 1, 1, 2.446, 1024}, "gate.e_score_correction_bias",
                                          {"w1", "w3", "w2", ""});
  assign_kda_mla_layers(r, s,
                        {kinds, sparse_mlp_layers(r, n, 1), kda, mla, 9216, moe, "self_attn", "block_sparse_moe"});
}

// Bailing-hybrid (Ling 2.5/3 linear hybrids, BailingHybridConfig): Kimi Delta Attention with a full-rank forget
// gate (kda_safe_gate: lower_bound · σ) and output gate, and MLA with interleaved RoPE on its rope part, a sigmoid
// gate per head and YaRN's mscale² on the softmax scale; full attention at (i + 1) % layer_group_size == 0; dense
// MLPs then the grouped sigmoid MoE; every mixer under "attention" with its o_proj named "dense". The multi-token
// prediction layers stored after the last layer are not scored.
void build_bailing_hybrid(const ConfigReader& r, ModelSpec& s) {
  read_core(r, s, {157184, 2560, 42, 262144, false});
  s.max_position_embeddings =
      r.integer({"max_position_embeddings", "model_max_length"}, 262144, 0, std::int64_t{1} << 40);
  s.norm = read_norm(r, {"rms_norm_eps"}, 1e-6, NormKind::RMSNorm);
  s.names = hf_names("model.", "norm", "word_embeddings");
  const auto n = layer_count(s);
  const auto mtp = r.integer({"num_mtp_layers", "num_nextn_predict_layers"}, 1, 0, kMaxLayers);
  for (std::int64_t j = 0; j < mtp; ++j)
    s.names.ignored_prefixes.push_back("model.layers." + std::to_string(n + j) + ".");

  KimiDeltaSpec kda;
  kda.heads = r.dim({"linear_num_heads", "num_attention_heads"}, 32);
  kda.head_dim = r.dim({"linear_head_dim", "head_dim"}, 128);  // head_dim before __post_init__ reuses it for RoPE
  kda.conv_kernel = r.dim({"linear_conv_kernel_dim", "short_conv_kernel_size"}, 4);
  kda.conv_activation = parse_activation(r, {"hidden_act"}, "silu");
  kda.norm_eps = s.norm.eps;
  kda.forget_gate = r.boolean({"kda_safe_gate"}, true) ? KimiDeltaSpec::ForgetGate::SafeSigmoid
                                                       : KimiDeltaSpec::ForgetGate::Softplus;
  kda.gate_lower_bound = r.number({"kda_lower_bound"}, -5.0);
  kda.low_rank_output_gate = false;
  kda.a_log_per_head_4d = false;
  kda.o_proj = "dense";

  LatentAttentionSpec mla = read_latent_attention(r);
  RopeDefaults rd;
  rd.theta = 6e6;
  mla.rope = read_rope(r, mla.qk_rope_dim, rd);
  double scale = 1.0 / std::sqrt(static_cast<double>(mla.qk_dim()));
  if (mla.rope.type != RopeType::Default && mla.rope.mscale_all_dim.value_or(0.0) != 0.0 && mla.rope.factor > 1) {
    const double m = 0.1 * *mla.rope.mscale_all_dim * std::log(mla.rope.factor) + 1.0;  // yarn_apply_mscale
    scale *= m * m;
  }
  mla.softmax_scale = scale;
  mla.head_gate = true;
  mla.o_proj = "dense";

  const auto group = r.dim({"layer_group_size"}, 6);
  std::vector<MixerKind> kinds;
  for (std::int64_t i = 0; i < n; ++i)
    kinds.push_back((i + 1) % group == 0 ? MixerKind::LatentAttention : MixerKind::KimiDelta);
  kinds = listed_kinds(r, {"layer_types"},
                       {{"linear_attention", MixerKind::KimiDelta}, {"full_attention", MixerKind::LatentAttention}}, n,
                       kinds);
  const MoeSpec moe = grouped_sigmoid_moe(r, {512, 8, 8, 4, 2.5, 768}, "gate.expert_bias", MlpNames{});
  assign_kda_mla_layers(r, s, {kinds, sparse_mlp_layers(r, n, 2), kda, mla, 6144, moe, "attention", "mlp"});
}

// xLSTM (xLSTMConfig / xLSTMBlock, as NX-AI's xLSTM-7b): every block an mLSTM layer and a SiLU-gated FFN of width
// round_up(hidden · ffn_proj_factor, ffn_round_up_to_multiple_of), pre-norm RMSNorms, out_norm, logits soft-capped.
// The cell is computed in fp32: transformers' default autocast_kernel_dtype bfloat16 rounds inside its kernel
// (docs/checkpoints.md). No positions, so no context limit.
void build_xlstm(const ConfigReader& r, ModelSpec& s) {
  read_core(r, s, {50304, 4096, 32, 0, false});
  if (r.has({"embedding_dim"}) && r.dim({"embedding_dim"}) != s.hidden_size)
    r.fail("embedding_dim", "differs from hidden_size; xLSTMModel needs them equal");
  if (r.has({"num_blocks"})) {  // xLSTMModel builds num_blocks blocks; num_hidden_layers only fills a missing one
    s.layers.resize(static_cast<std::size_t>(r.dim({"num_blocks"}, 32, kMaxLayers)));
    for (std::size_t i = 0; i < s.layers.size(); ++i) s.layers[i].index = static_cast<int>(i);
  }
  s.max_position_embeddings = 0;
  if (r.boolean({"use_bias"}, false))
    r.fail("use_bias", "is true; xLSTM with biased projections and norms is not supported yet");
  s.norm = read_norm(r, {"norm_eps"}, 1e-6, NormKind::RMSNorm);
  s.names = {"backbone.blocks.", "backbone.embeddings.weight", "backbone.out_norm", "lm_head.weight"};
  s.multipliers.logits_softcap = r.number({"output_logit_soft_cap"}, 30.0);
  if (!(s.multipliers.logits_softcap > 0)) r.fail("output_logit_soft_cap", "must be positive");
  // transformers 5.23 cannot build a "fused" model (xLSTMPreTrainedModel._init_weights slices ifgate_preact.bias as
  // if it were one gate), so there is no reference to check that layout against.
  const std::string mode = r.string({"weight_mode"}, "single");
  if (mode != "single") r.fail("weight_mode", "is '" + mode + "'; only \"single\" is supported");

  MLstmSpec m;
  m.heads = r.dim({"num_heads"}, 8);
  m.qk_dim = static_cast<std::int64_t>(static_cast<double>(s.hidden_size) * r.number({"qk_dim_factor"}, 0.5));
  m.v_dim = static_cast<std::int64_t>(static_cast<double>(s.hidden_size) * r.number({"v_dim_factor"}, 1.0));
  if (m.qk_dim <= 0 || m.v_dim <= 0 || m.qk_dim % m.heads != 0 || m.v_dim % m.heads != 0)
    r.fail("num_heads", "is " + std::to_string(m.heads) + ", which must divide the q/k width " +
                            std::to_string(m.qk_dim) + " and the value width " + std::to_string(m.v_dim));
  m.gate_soft_cap = r.number({"gate_soft_cap"}, 15.0);
  if (!(m.gate_soft_cap > 0)) r.fail("gate_soft_cap", "must be positive");
  m.eps = r.number({"eps"}, 1e-6);
  m.norm_eps = s.norm.eps;

  MlpSpec ffn;
  const double width = static_cast<double>(s.hidden_size) * r.number({"ffn_proj_factor"}, 2.667);
  const auto multiple = r.dim({"ffn_round_up_to_multiple_of"}, 64);
  if (!(width > 0 && width <= static_cast<double>(kMaxDimension)))
    r.fail("ffn_proj_factor", "gives an FFN width outside 1.." + std::to_string(kMaxDimension));
  // round_up_to_next_multiple_of as written: int((x + m − 1) // m · m), a floor division of the float width
  ffn.intermediate =
      static_cast<std::int64_t>(std::floor((width + static_cast<double>(multiple - 1)) / static_cast<double>(multiple))) *
      multiple;
  ffn.activation = Activation::SiLU;
  ffn.names = {"proj_up_gate", "proj_up", "proj_down", ""};
  for (auto& l : s.layers) {
    set_mixer(l, m, "mlstm_layer");
    set_mlp(l, ffn, "ffn");
    set_pre_norms(l, "norm_mlstm", "norm_ffn");
  }
}

void build_mamba(const ConfigReader& r, ModelSpec& s) { build_mamba_common(r, s, false); }
void build_falcon_mamba(const ConfigReader& r, ModelSpec& s) { build_mamba_common(r, s, true); }

void build_mamba2(const ConfigReader& r, ModelSpec& s) {
  read_core(r, s, {32768, 4096, 64, 0, false});
  s.norm = read_norm(r, {"layer_norm_epsilon"}, 1e-5, NormKind::RMSNorm);
  s.residual_in_fp32 = r.boolean({"residual_in_fp32"}, true);
  s.names = {"backbone.layers.", "backbone.embeddings.weight", "backbone.norm_f", "lm_head.weight"};
  Mamba2Defaults d;
  d.heads = 128;
  d.state = 128;
  d.groups = 8;
  d.norm_eps = s.norm.eps;
  d.proj_bias = r.boolean({"use_bias"}, false);
  const auto m = read_mamba2(r, s.hidden_size, d, {"head_dim"}, {"num_heads"});
  for (auto& l : s.layers) {
    set_mixer(l, m, "mixer");
    l.pre_mixer_norm = "norm";
  }
}

// ---------------------------------------------------------------------------------------- hybrid families
// Bamba / GraniteMoeHybrid share the Mamba2 spelling (mamba_n_heads, mamba_d_head, ...).
Mamba2Spec read_bamba_style_mamba2(const ConfigReader& r, const ModelSpec& s) {
  Mamba2Defaults d;
  d.heads = 128;
  d.state = 256;
  d.groups = 1;
  d.norm_eps = s.norm.eps;
  d.proj_bias = r.boolean({"mamba_proj_bias"}, false);
  return read_mamba2(r, s.hidden_size, d, {"mamba_d_head"}, {"mamba_n_heads"});
}

void build_bamba(const ConfigReader& r, ModelSpec& s) {
  read_core(r, s, {128000, 4096, 32, 262144, false});
  s.norm = read_norm(r, {"rms_norm_eps"}, 1e-5, NormKind::RMSNorm);
  s.names = hf_names("model.", "final_layernorm");
  AttentionDefaults ad;
  ad.kv_heads = 8;
  ad.rope.partial_rotary_factor = 0.5;  // hard-coded by BambaConfig
  ad.rope.partial_rotary = true;
  const auto attention = read_attention(r, s.hidden_size, ad);
  const auto mamba = read_bamba_style_mamba2(r, s);
  const auto mlp = read_mlp(r, {"intermediate_size"}, {"hidden_act"}, {14336});
  const auto n = layer_count(s);
  const auto attn_layers = r.int_list({"attn_layer_indices"}, 0, kMaxLayers);
  check_layer_indices(r, {"attn_layer_indices"}, attn_layers, n);
  std::vector<MixerKind> fallback;
  for (std::int64_t i = 0; i < n; ++i)
    fallback.push_back(std::count(attn_layers.begin(), attn_layers.end(), i) ? MixerKind::FullAttention
                                                                              : MixerKind::Mamba2);
  const auto kinds = r.has({"attn_layer_indices"}) ? fallback
                                                    : listed_kinds(r, {"layers_block_type", "layer_types"},
                                                                   kMambaAttention, n, fallback);
  for (auto& l : s.layers) {
    if (kinds[static_cast<std::size_t>(l.index)] == MixerKind::FullAttention) {
      set_attention(l, attention);
    } else {
      set_mixer(l, mamba, "mamba");
    }
    set_mlp(l, mlp, "feed_forward");
    set_pre_norms(l, "input_layernorm", "pre_ff_layernorm");
  }
}

void build_granitemoehybrid(const ConfigReader& r, ModelSpec& s) {
  read_core(r, s, {32000, 4096, 32, 2048, false});
  s.norm = read_norm(r, {"rms_norm_eps"}, 1e-6, NormKind::RMSNorm);
  s.names = hf_names("model.", "norm");
  AttentionDefaults ad;
  ad.rope.enabled = false;
  const bool rope = r.string({"position_embedding_type"}, "") == "rope";
  auto attention = read_attention(r, s.hidden_size, ad);
  if (!rope) attention.rope.type = RopeType::None;
  else if (attention.rope.type == RopeType::None) attention.rope.type = RopeType::Default;
  attention.softmax_scale = r.number({"attention_multiplier"}, 1.0);
  const auto mamba = read_bamba_style_mamba2(r, s);

  MlpSpec shared;
  shared.intermediate = r.dim({"shared_intermediate_size"}, 1024);
  shared.activation = parse_activation(r, {"hidden_act"}, "silu");
  shared.names = {"", "", "output_linear", "input_linear"};
  const auto experts = r.integer({"num_local_experts"}, 8, 0, kMaxExperts);
  MoeSpec moe;
  if (experts > 0) {
    moe.router = RouterKind::TopKSoftmax;
    moe.num_experts = experts;
    moe.top_k = r.dim({"num_experts_per_tok"}, 2);
    if (moe.top_k > experts) r.fail("num_experts_per_tok", "is larger than num_local_experts");
    moe.expert_intermediate = r.dim({"intermediate_size"}, 11008);
    moe.expert = shared;
    moe.expert.intermediate = moe.expert_intermediate;
    moe.shared_intermediate = shared.intermediate;
    moe.shared = shared;
    moe.names = {"router.layer", "", "", "input_linear", "output_linear", "shared_mlp", true, ""};
  }
  const auto kinds = listed_kinds(r, {"layer_types", "layers_block_type"}, kMambaAttention, layer_count(s),
                                  std::vector<MixerKind>(s.layers.size(), MixerKind::Mamba2));
  for (auto& l : s.layers) {
    if (kinds[static_cast<std::size_t>(l.index)] == MixerKind::FullAttention) {
      set_attention(l, attention);
    } else {
      set_mixer(l, mamba, "mamba");
    }
    if (experts > 0)
      set_moe(l, moe, "block_sparse_moe");
    else
      set_mlp(l, shared, "shared_mlp");
    set_pre_norms(l, "input_layernorm", "post_attention_layernorm");
  }
  s.multipliers.embedding = r.number({"embedding_multiplier"}, 1.0);
  s.multipliers.residual = r.number({"residual_multiplier"}, 1.0);
  s.multipliers.logits_divisor = r.number({"logits_scaling"}, 1.0);
  if (s.multipliers.logits_divisor == 0) r.fail("logits_scaling", "must not be 0");
}

void build_nemotron_h(const ConfigReader& r, ModelSpec& s) {
  // The layer list defines the depth; num_hidden_layers is deprecated and ignored (as in transformers).
  std::vector<MixerKind> kinds;
  std::vector<FfnKind> ffns;
  const std::vector<std::pair<std::string_view, std::pair<MixerKind, FfnKind>>> table = {
      {"M", {MixerKind::Mamba2, FfnKind::None}},        {"mamba", {MixerKind::Mamba2, FfnKind::None}},
      {"linear_attention", {MixerKind::Mamba2, FfnKind::None}},
      {"*", {MixerKind::FullAttention, FfnKind::None}}, {"attention", {MixerKind::FullAttention, FfnKind::None}},
      {"full_attention", {MixerKind::FullAttention, FfnKind::None}},
      {"-", {MixerKind::None, FfnKind::Mlp}},           {"mlp", {MixerKind::None, FfnKind::Mlp}},
      {"E", {MixerKind::None, FfnKind::Moe}},           {"moe", {MixerKind::None, FfnKind::Moe}}};
  std::vector<std::string> types;
  std::string field = "layers_block_type";
  if (r.has({"layers_block_type", "layer_types"})) {
    field = r.field_name({"layers_block_type", "layer_types"});
    types = r.string_list({"layers_block_type", "layer_types"});
  } else if (r.has({"hybrid_override_pattern"})) {
    field = "hybrid_override_pattern";
    const auto pattern = r.string({"hybrid_override_pattern"}, "");
    if (pattern.size() > static_cast<std::size_t>(kMaxLayers)) r.fail(field, "has more than 10000 layers");
    for (char c : pattern) types.emplace_back(1, c);
  } else {
    types = {"mamba", "moe", "attention", "mlp"};
  }
  if (types.empty()) r.fail(field, "is empty");
  for (const auto& t : types) {
    const auto it = std::find_if(table.begin(), table.end(), [&](auto& e) { return e.first == t; });
    if (it == table.end())
      r.fail(field, "has unknown layer type '" + printable(t) + "' (expected M, *, -, E or mamba, attention, mlp, moe)");
    kinds.push_back(it->second.first);
    ffns.push_back(it->second.second);
  }

  s.hidden_size = r.dim({"hidden_size"}, 4096);
  s.vocab_size = r.dim({"vocab_size"}, 131072, kMaxVocab);
  s.max_position_embeddings = r.integer({"max_position_embeddings"}, 4096, 0, std::int64_t{1} << 40);
  s.tied_embeddings = r.boolean({"tie_word_embeddings"}, false);
  s.layers.resize(types.size());
  for (std::size_t i = 0; i < s.layers.size(); ++i) s.layers[i].index = static_cast<int>(i);
  s.norm = read_norm(r, {"layer_norm_epsilon", "rms_norm_eps"}, 1e-5, NormKind::RMSNorm);
  s.residual_in_fp32 = r.boolean({"residual_in_fp32"}, false);
  s.names = {"backbone.layers.", "backbone.embeddings.weight", "backbone.norm_f", "lm_head.weight"};

  AttentionDefaults ad;
  ad.kv_heads = 8;
  ad.head_dim = r.dim({"head_dim", "attention_head_dim"}, 128);
  ad.rope.enabled = false;
  auto attention = read_attention(r, s.hidden_size, ad);
  attention.rope.type = RopeType::None;  // NemotronH attention applies no positional encoding
  // NemotronHConfig carries a sliding_window field, but NemotronHAttention and its mask never read it: full causal.

  Mamba2Defaults md;
  md.heads = 128;
  md.state = 128;
  md.groups = 8;
  md.chunk = 128;
  md.head_dim = 64;
  md.norm_eps = s.norm.eps;
  md.proj_bias = r.boolean({"use_bias"}, false);
  const auto heads = r.dim({"mamba_num_heads"}, 128);
  const auto head_dim = r.dim({"mamba_head_dim"}, 64);
  md.d_inner = checked_product(heads, head_dim, "config.json: mamba_num_heads × mamba_head_dim");
  if (*md.d_inner > kMaxDimension) r.fail("mamba_num_heads", "× mamba_head_dim is too large");
  auto mamba = read_mamba2(r, s.hidden_size, md, {"mamba_head_dim"}, {"mamba_num_heads"});
  // NemotronHMamba2Mixer clamps dt to (time_step_min, inf) whatever time_step_limit says.
  mamba.dt_min = r.number({"mamba_dt_min", "time_step_min"}, 0.001);
  mamba.dt_max = std::numeric_limits<double>::infinity();

  auto mlp = read_mlp(r, {"intermediate_size"}, {"mlp_hidden_act"}, {21504, "relu2", false, false});
  mlp.names = {"", "up_proj", "down_proj", ""};
  MoeSpec moe;
  moe.router = RouterKind::SigmoidGroupedTopK;
  moe.num_experts = r.dim({"n_routed_experts", "num_local_experts"}, 8, kMaxExperts);
  moe.top_k = r.dim({"num_experts_per_tok"}, 2);
  if (moe.top_k > moe.num_experts) r.fail("num_experts_per_tok", "is larger than n_routed_experts");
  moe.renormalize = r.boolean({"norm_topk_prob"}, true);
  moe.routed_scaling_factor = r.number({"routed_scaling_factor"}, 1.0);
  moe.n_group = r.dim({"n_group"}, 1);
  moe.topk_group = r.dim({"topk_group"}, 1);
  check_grouped_routing(r, moe, "n_group", "num_experts_per_tok");
  moe.expert_intermediate = r.dim({"moe_intermediate_size"}, 7688);
  moe.expert = mlp;
  moe.expert.intermediate = moe.expert_intermediate;
  moe.expert.bias = false;  // NemotronHExperts are bias-free whatever mlp_bias says
  // NemotronHMoE always builds its shared expert, whatever n_shared_experts says.
  moe.shared_intermediate = r.dim({"moe_shared_expert_intermediate_size"}, 7688);
  moe.shared = mlp;
  moe.shared.intermediate = moe.shared_intermediate;
  moe.names = {"gate", "gate.e_score_correction_bias", "experts", "", "", "shared_experts", false, ""};
  if (r.has({"moe_latent_size"})) {
    moe.latent_size = r.dim({"moe_latent_size"});
    moe.latent_bias = mlp.bias;
  }

  for (auto& l : s.layers) {
    const auto i = static_cast<std::size_t>(l.index);
    if (kinds[i] == MixerKind::FullAttention) {
      set_attention(l, attention, "mixer");
    } else if (kinds[i] == MixerKind::Mamba2) {
      set_mixer(l, mamba, "mixer");
    }
    if (ffns[i] == FfnKind::Mlp) set_mlp(l, mlp, "mixer");
    if (ffns[i] == FfnKind::Moe) set_moe(l, moe, "mixer");
    // One block per layer: its single norm precedes whichever sublayer it has.
    (kinds[i] != MixerKind::None ? l.pre_mixer_norm : l.pre_ffn_norm) = "norm";
  }
}

// OlmoHybridModel builds its rotary embedding only when the resolved rope_parameters carry a top-level rope_theta
// that is not null; released checkpoints write null and run their attention layers without positions (NoPE).
// Resolution as in transformers: rope_scaling, else rope_parameters; a missing rope_theta there is filled from the
// top-level field (null counts), else the default 1e4; parameters nested by layer type leave the top level empty.
bool olmo_hybrid_uses_rope(const ConfigReader& r) {
  const auto& root = r.root();
  const json* p = nullptr;
  for (const char* field : {"rope_scaling", "rope_parameters"}) {
    const auto it = root.find(field);
    if (it != root.end() && it->is_object() && !it->empty()) {
      p = &*it;
      break;
    }
  }
  if (p && p->contains("rope_theta")) return !(*p)["rope_theta"].is_null();
  if (p)
    for (const char* nested : {"full_attention", "linear_attention"})
      if (p->contains(nested)) return false;
  const auto top = root.find("rope_theta");
  return top == root.end() || !top->is_null();
}

void build_olmo_hybrid(const ConfigReader& r, ModelSpec& s) {
  read_core(r, s, {100352, 3840, 32, 65536, false});
  s.norm = read_norm(r, {"rms_norm_eps"}, 1e-6, NormKind::RMSNorm, true);
  s.names = hf_names("model.", "norm");
  const auto n = layer_count(s);
  std::vector<MixerKind> fallback(static_cast<std::size_t>(n), MixerKind::GatedDeltaNet);
  for (std::int64_t i = 0; i < n; ++i)
    if (i % 4 == 3) fallback[static_cast<std::size_t>(i)] = MixerKind::FullAttention;
  if (std::find(fallback.begin(), fallback.end(), MixerKind::FullAttention) == fallback.end())
    fallback.back() = MixerKind::FullAttention;
  const auto kinds = listed_kinds(r, {"layer_types"},
                                  {{"linear_attention", MixerKind::GatedDeltaNet},
                                   {"full_attention", MixerKind::FullAttention}},
                                  n, fallback);
  auto attention = read_attention(r, s.hidden_size, {});
  if (!olmo_hybrid_uses_rope(r)) attention.rope = RopeSpec{};  // type None
  attention.qk_norm = QkNormScope::FullProjection;
  attention.qk_norm_spec = s.norm;

  GatedDeltaNetSpec g;
  const auto heads = attention.num_heads;
  g.num_key_heads = r.dim({"linear_num_key_heads"}, heads);
  g.num_value_heads = r.dim({"linear_num_value_heads"}, heads);
  if (g.num_value_heads % g.num_key_heads != 0)
    r.fail("linear_num_value_heads", "must be a multiple of linear_num_key_heads");
  const auto default_key_dim = static_cast<std::int64_t>(0.75 * static_cast<double>(s.hidden_size) /
                                                         static_cast<double>(g.num_key_heads));
  g.key_head_dim = r.dim({"linear_key_head_dim"}, std::max<std::int64_t>(default_key_dim, 1));
  g.value_head_dim = r.dim({"linear_value_head_dim"}, 2 * g.key_head_dim);
  g.conv_kernel = r.dim({"linear_conv_kernel_dim"}, 4);
  g.conv_activation = parse_activation(r, {"hidden_act"}, "silu");
  g.projections = GatedDeltaNetSpec::Projections::Separate;
  g.allow_neg_eigval = r.boolean({"linear_allow_neg_eigval"}, true);
  g.norm_eps = 1e-5;  // FLA default, hard-coded in OlmoHybridGatedDeltaNet
  const auto mlp = read_mlp(r, {"intermediate_size"}, {"hidden_act"}, {11008});

  for (auto& l : s.layers) {
    if (kinds[static_cast<std::size_t>(l.index)] == MixerKind::FullAttention) {
      set_attention(l, attention);
      // Checkpoints written by transformers' reverse renaming call the post-attention norm "feedforward_layer_norm".
      set_post_norms(l, "post_attention_layernorm|feedforward_layer_norm", "post_feedforward_layernorm");
    } else {
      set_mixer(l, g, "linear_attn");
      set_pre_norms(l, "attention_layer_norm|input_layernorm", "feedforward_layer_norm|post_attention_layernorm");
    }
    set_mlp(l, mlp, "mlp");
  }
}

// Qwen3-Next and Qwen3.5 (dense and MoE): Gated DeltaNet / gated attention with (1 + w) RMSNorms. Qwen3.5 stores its
// GDN projections apart, and its MoE variant routes every layer (softmax top-k, always renormalised).
struct Qwen3NextTraits {
  CoreDefaults core;
  std::int64_t kv_heads = 2;
  GatedDeltaNetSpec::Projections projections = GatedDeltaNetSpec::Projections::GroupedQkvz;
  enum class Ffn { PerConfig, Dense, Moe } ffn = Ffn::PerConfig;  // PerConfig: decoder_sparse_step, mlp_only_layers
  std::int64_t intermediate = 5632, experts = 512, top_k = 10;
};

void build_qwen3_next_family(const ConfigReader& r, ModelSpec& s, const Qwen3NextTraits& t) {
  read_core(r, s, t.core);
  s.norm = read_norm(r, {"rms_norm_eps"}, 1e-6, NormKind::RMSNormOnePlus, true);
  if (s.names.layer_prefix.empty()) s.names = hf_names("model.", "norm");
  const auto n = layer_count(s);
  const auto interval = r.dim({"full_attention_interval"}, 4);
  std::vector<MixerKind> fallback;
  for (std::int64_t i = 0; i < n; ++i)
    fallback.push_back((i + 1) % interval ? MixerKind::GatedDeltaNet : MixerKind::FullAttention);
  const auto kinds = listed_kinds(r, {"layer_types"},
                                  {{"linear_attention", MixerKind::GatedDeltaNet},
                                   {"full_attention", MixerKind::FullAttention}},
                                  n, fallback);
  AttentionDefaults ad;
  ad.heads = 16;
  ad.kv_heads = t.kv_heads;
  ad.head_dim = 256;
  ad.rope.partial_rotary_factor = 0.25;
  ad.rope.partial_rotary = true;
  auto attention = read_attention(r, s.hidden_size, ad);
  attention.qk_norm = QkNormScope::PerHead;
  attention.qk_norm_spec = s.norm;
  attention.output_gate = true;

  GatedDeltaNetSpec g;
  g.projections = t.projections;
  g.num_key_heads = r.dim({"linear_num_key_heads"}, 16);
  g.num_value_heads = r.dim({"linear_num_value_heads"}, 32);
  if (g.num_value_heads % g.num_key_heads != 0)
    r.fail("linear_num_value_heads", "must be a multiple of linear_num_key_heads");
  g.key_head_dim = r.dim({"linear_key_head_dim"}, 128);
  g.value_head_dim = r.dim({"linear_value_head_dim"}, 128);
  g.conv_kernel = r.dim({"linear_conv_kernel_dim"}, 4);
  g.conv_activation = parse_activation(r, {"hidden_act"}, "silu");
  g.norm_eps = s.norm.eps;

  // Qwen3.5-MoE has no dense MLP (its config drops intermediate_size); the shared expert takes the MLP's form.
  const auto dense = t.ffn == Qwen3NextTraits::Ffn::Moe
                         ? read_mlp(r, {"shared_expert_intermediate_size"}, {"hidden_act"}, {512})
                         : read_mlp(r, {"intermediate_size"}, {"hidden_act"}, {t.intermediate});
  MoeSpec moe;
  moe.router = RouterKind::SoftmaxTopK;
  moe.num_experts = t.ffn == Qwen3NextTraits::Ffn::Dense ? 0 : r.integer({"num_experts"}, t.experts, 0, kMaxExperts);
  moe.top_k = r.dim({"num_experts_per_tok"}, t.top_k);
  moe.renormalize = t.ffn == Qwen3NextTraits::Ffn::Moe || r.boolean({"norm_topk_prob"}, true);
  moe.expert_intermediate = r.dim({"moe_intermediate_size"}, 512);
  moe.expert = dense;
  moe.expert.intermediate = moe.expert_intermediate;
  moe.shared_intermediate = r.dim({"shared_expert_intermediate_size"}, 512);
  moe.shared = dense;
  moe.shared.intermediate = moe.shared_intermediate;
  moe.shared_gated_by_sigmoid = true;
  moe.names = {"gate", "", "experts", "", "", "shared_expert", false, "shared_expert_gate"};
  if (moe.num_experts > 0 && moe.top_k > moe.num_experts) r.fail("num_experts_per_tok", "is larger than num_experts");
  const bool per_config = t.ffn == Qwen3NextTraits::Ffn::PerConfig;
  const auto sparse_step = per_config ? r.dim({"decoder_sparse_step"}, 1) : 1;
  const auto mlp_only = per_config ? r.int_list({"mlp_only_layers"}, 0, kMaxLayers) : std::vector<std::int64_t>{};
  if (t.ffn == Qwen3NextTraits::Ffn::Moe && moe.num_experts == 0) r.fail("num_experts", "must be positive");

  for (auto& l : s.layers) {
    if (kinds[static_cast<std::size_t>(l.index)] == MixerKind::FullAttention) {
      set_attention(l, attention);
    } else {
      set_mixer(l, g, "linear_attn");
    }
    const bool sparse = std::find(mlp_only.begin(), mlp_only.end(), l.index) == mlp_only.end() &&
                        moe.num_experts > 0 && (l.index + 1) % sparse_step == 0;
    if (sparse)
      set_moe(l, moe, "mlp");
    else
      set_mlp(l, dense, "mlp");
    set_pre_norms(l, "input_layernorm", "post_attention_layernorm");
  }
}

void build_qwen3_next(const ConfigReader& r, ModelSpec& s) {
  build_qwen3_next_family(r, s, {{151936, 2048, 48, 32768, false}});
}

const Qwen3NextTraits kQwen35Dense = {{248320, 4096, 32, 32768, false}, 4, GatedDeltaNetSpec::Projections::SplitQkv,
                                      Qwen3NextTraits::Ffn::Dense, 12288};
const Qwen3NextTraits kQwen35Moe = {{248320, 2048, 40, 32768, false}, 2, GatedDeltaNetSpec::Projections::SplitQkv,
                                    Qwen3NextTraits::Ffn::Moe, 0, 256, 8};

// Released Qwen3.5 checkpoints are image-text models: config.json nests the language model's fields in text_config
// and the tensors under model.language_model.* (the vision tower and multi-token-prediction heads are not scored).
// The text-only classes (qwen3_5_text, qwen3_5_moe_text) keep them at the top level.
void build_qwen3_5_composite(const ConfigReader& r, ModelSpec& s, const Qwen3NextTraits& t) {
  const auto* text = r.find({"text_config"});
  if (!text) r.fail("text_config", "is missing (a Qwen3.5 image-text config nests the language model there)");
  if (!text->is_object()) r.fail("text_config", "must be an object, found " + json_type_name(*text));
  const ConfigReader tr(*text, r.label() + " text_config");
  s.names = hf_names("model.language_model.", "norm");
  s.names.ignored_prefixes = {"model.visual.", "mtp."};
  build_qwen3_next_family(tr, s, t);
  if (!tr.has({"tie_word_embeddings"})) s.tied_embeddings = r.boolean({"tie_word_embeddings"}, false);
}

void build_qwen3_5(const ConfigReader& r, ModelSpec& s) { build_qwen3_5_composite(r, s, kQwen35Dense); }
void build_qwen3_5_moe(const ConfigReader& r, ModelSpec& s) { build_qwen3_5_composite(r, s, kQwen35Moe); }
void build_qwen3_5_text(const ConfigReader& r, ModelSpec& s) {
  s.names = hf_names("model.", "norm");
  s.names.ignored_prefixes = {"mtp."};
  build_qwen3_next_family(r, s, kQwen35Dense);
}
void build_qwen3_5_moe_text(const ConfigReader& r, ModelSpec& s) {
  s.names = hf_names("model.", "norm");
  s.names.ignored_prefixes = {"mtp."};
  build_qwen3_next_family(r, s, kQwen35Moe);
}

void build_falcon_h1(const ConfigReader& r, ModelSpec& s) {
  read_core(r, s, {128000, 4096, 32, 8192, false});
  s.norm = read_norm(r, {"rms_norm_eps"}, 1e-5, NormKind::RMSNorm);
  s.names = hf_names("model.", "final_layernorm");
  AttentionDefaults ad;
  ad.kv_heads = 8;
  const auto attention = read_attention(r, s.hidden_size, ad);
  Mamba2Defaults md;
  md.heads = 128;
  md.state = 256;
  md.groups = 1;
  md.norm_eps = s.norm.eps;
  md.proj_bias = r.boolean({"mamba_proj_bias"}, false);
  if (r.has({"mamba_d_ssm"}))
    md.d_inner = r.dim({"mamba_d_ssm"});
  else if (!r.root().contains("mamba_d_ssm"))
    md.d_inner = 1024;  // FalconH1Config default; an explicit null means mamba_expand × hidden
  const bool norm = r.boolean({"mamba_rms_norm"}, false);
  const bool before = r.boolean({"mamba_norm_before_gate"}, true);
  md.gated_norm = !norm ? GatedNormKind::None : before ? GatedNormKind::NormThenGate : GatedNormKind::GateThenNorm;
  auto mamba = read_mamba2(r, s.hidden_size, md, {"mamba_d_head"}, {"mamba_n_heads"});
  mamba.out_proj_bias = r.boolean({"projectors_bias"}, false);  // FalconH1Mixer: out_proj's bias is its own flag
  const auto mlp = read_mlp(r, {"intermediate_size"}, {"hidden_act"}, {14336});
  for (auto& l : s.layers) {
    l.mixer.kind = MixerKind::ParallelAttentionMamba2;
    l.mixer.module = "mamba";
    l.mixer.attention_module = "self_attn";
    l.mixer.attention = attention;
    l.mixer.mamba2 = mamba;
    set_mlp(l, mlp, "feed_forward");
    set_pre_norms(l, "input_layernorm", "pre_ff_layernorm");
  }
  auto& m = s.multipliers;
  m.embedding = r.number({"embedding_multiplier"}, 1.0);
  m.lm_head = r.number({"lm_head_multiplier"}, 1.0);
  m.key = r.number({"key_multiplier"}, 1.0);
  m.attention_in = r.number({"attention_in_multiplier"}, 1.0);
  m.attention_out = r.number({"attention_out_multiplier"}, 1.0);
  m.ssm_in = r.number({"ssm_in_multiplier"}, 1.0);
  m.ssm_out = r.number({"ssm_out_multiplier"}, 1.0);
  if (r.has({"ssm_multipliers"})) {
    m.ssm_segments = r.number_list({"ssm_multipliers"});
    if (m.ssm_segments.size() != 5) r.fail("ssm_multipliers", "must have 5 entries [z, x, B, C, dt]");
  }
  if (r.has({"mlp_multipliers"})) {
    const auto mm = r.number_list({"mlp_multipliers"});
    if (mm.size() != 2) r.fail("mlp_multipliers", "must have 2 entries [gate, down]");
    m.mlp_gate = mm[0];
    m.mlp_down = mm[1];
  }
}

void build_jamba(const ConfigReader& r, ModelSpec& s) {
  read_core(r, s, {65536, 4096, 32, 262144, false});
  s.norm = read_norm(r, {"rms_norm_eps"}, 1e-6, NormKind::RMSNorm);
  s.names = hf_names("model.", "final_layernorm");
  const auto attn_period = r.dim({"attn_layer_period"}, 8);
  const auto attn_offset = r.integer({"attn_layer_offset"}, 4, 0, kMaxLayers);
  const auto expert_period = r.dim({"expert_layer_period"}, 2);
  const auto expert_offset = r.integer({"expert_layer_offset"}, 1, 0, kMaxLayers);
  if (attn_offset >= attn_period) r.fail("attn_layer_offset", "must be smaller than attn_layer_period");
  if (expert_offset >= expert_period) r.fail("expert_layer_offset", "must be smaller than expert_layer_period");
  AttentionDefaults ad;
  ad.kv_heads = 8;
  ad.rope.enabled = false;
  auto attention = read_attention(r, s.hidden_size, ad);
  attention.rope.type = RopeType::None;  // Jamba attention has no positional encoding
  attention.qkv_bias = attention.o_bias = false;
  auto mamba = read_mamba1(r, s.hidden_size);
  mamba.dt_bc_norm = Mamba1Spec::DtBcNorm::Learned;
  mamba.dt_bc_norm_eps = s.norm.eps;
  const auto mlp = read_mlp(r, {"intermediate_size"}, {"hidden_act"}, {14336});
  MoeSpec moe;
  moe.router = RouterKind::SoftmaxTopK;
  moe.num_experts = r.dim({"num_experts", "num_local_experts"}, 16, kMaxExperts);
  moe.top_k = r.dim({"num_experts_per_tok"}, 2);
  if (moe.top_k > moe.num_experts) r.fail("num_experts_per_tok", "is larger than num_experts");
  moe.expert_intermediate = mlp.intermediate;
  moe.expert = mlp;
  moe.names = {"router", "", "experts", "", "", "", false, ""};
  for (auto& l : s.layers) {
    if (l.index % attn_period == attn_offset) {
      set_attention(l, attention);
    } else {
      set_mixer(l, mamba, "mamba");
    }
    if (l.index % expert_period == expert_offset && moe.num_experts > 1)
      set_moe(l, moe, "feed_forward");
    else
      set_mlp(l, mlp, "feed_forward");
    set_pre_norms(l, "input_layernorm", "pre_ff_layernorm");
  }
}

void build_zamba2(const ConfigReader& r, ModelSpec& s) {
  read_core(r, s, {32000, 2560, 54, 4096, true});
  // Zamba2Config: use_long_context only extends max_position_embeddings (transformers 5.23 no longer rescales θ).
  if (r.boolean({"use_long_context"}, false)) s.max_position_embeddings = 16384;
  s.norm = read_norm(r, {"rms_norm_eps"}, 1e-5, NormKind::RMSNorm);
  s.names = hf_names("model.", "final_layernorm");
  const auto n = layer_count(s);
  std::vector<MixerKind> fallback;  // Zamba2Config's default 54-layer pattern
  for (std::int64_t i = 0; i < n; ++i) fallback.push_back(MixerKind::Mamba2);
  const std::vector<KindAlias> aliases = {{"mamba", MixerKind::Mamba2},
                                          {"linear_attention", MixerKind::Mamba2},
                                          {"hybrid", MixerKind::ParallelAttentionMamba2}};
  std::vector<MixerKind> kinds;
  if (r.has({"layers_block_type", "layer_types"})) {
    kinds = listed_kinds(r, {"layers_block_type", "layer_types"}, aliases, n, fallback);
  } else {
    std::vector<std::string> d = {"mamba"};
    for (int k = 0; k < 7; ++k) d.insert(d.end(), {"mamba", "mamba", "mamba", "mamba", "mamba", "hybrid"});
    d.insert(d.end(), {"mamba", "mamba", "mamba", "mamba", "hybrid", "mamba", "mamba", "mamba", "hybrid", "mamba",
                       "mamba"});
    if (static_cast<std::int64_t>(d.size()) != n)
      r.fail("layers_block_type", "is missing and the default pattern has 54 layers, not num_hidden_layers = " +
                                      std::to_string(n));
    kinds = mixer_kinds(r, "layers_block_type", d, aliases);
  }

  Mamba2Defaults md;
  md.heads = 8;
  md.state = 64;
  md.groups = 1;
  md.norm_eps = 1e-5;  // hard-coded in Zamba2MambaMixer
  md.proj_bias = r.boolean({"add_bias_linear"}, false);
  auto mamba = read_mamba2(r, s.hidden_size, md, {"mamba_headdim"}, {"n_mamba_heads"});
  mamba.dt_min = r.number({"time_step_min"}, 0.001);  // Zamba2MambaMixer: dt clamp (time_step_min, inf)
  mamba.dt_max = std::numeric_limits<double>::infinity();
  mamba.conv_activation = Activation::SiLU;  // hard-coded in Zamba2MambaMixer (hidden_act is the shared MLP's)
  mamba.conv_bias = true;     // Zamba2MambaMixer's conv1d always has a bias, whatever use_conv_bias says

  const auto blocks = r.dim({"num_mem_blocks"}, 1, kMaxLayers);
  SharedBlockSpec proto;
  proto.norm = s.norm;
  AttentionDefaults ad;
  // Zamba2 rotates q/k only with use_mem_rope, whatever rope_parameters the config also carries.
  const bool mem_rope = r.boolean({"use_mem_rope"}, false);
  ad.rope.enabled = mem_rope;
  const auto heads = r.dim({"num_attention_heads"}, 32);
  if ((2 * s.hidden_size) % heads != 0) r.fail("num_attention_heads", "must divide 2 × hidden_size");
  ad.head_dim = 2 * s.hidden_size / heads;
  proto.attention = read_attention(r, 2 * s.hidden_size, ad);
  proto.attention.head_dim = *ad.head_dim;  // always derived by Zamba2Config, whatever head_dim says
  proto.attention.rope = mem_rope ? read_rope(r, proto.attention.head_dim, ad.rope) : RopeSpec{};
  proto.attention.output_dim = s.hidden_size;
  proto.attention.qkv_bias = proto.attention.o_bias = false;
  proto.attention.softmax_scale = 1.0 / std::sqrt(static_cast<double>(proto.attention.head_dim) / 2.0);
  proto.mlp = read_mlp(r, {"intermediate_size"}, {"hidden_act"}, {4 * s.hidden_size, "gelu"});
  proto.mlp.bias = r.boolean({"add_bias_linear"}, false);
  proto.mlp.names = {"", "", "down_proj", "gate_up_proj"};
  proto.adapter_rank = r.dim({"adapter_rank"}, 128);
  proto.attention_adapters = r.boolean({"use_shared_attention_adapter"}, false);
  for (std::int64_t b = 0; b < blocks; ++b) {
    s.shared_blocks.push_back(proto);
    s.shared_blocks.back().index = static_cast<int>(b);
  }
  int hybrid_ordinal = 0;
  for (auto& l : s.layers) {
    l.mixer.mamba2 = mamba;
    l.mixer.kind = MixerKind::Mamba2;
    if (kinds[static_cast<std::size_t>(l.index)] == MixerKind::ParallelAttentionMamba2) {
      l.mixer.module = "mamba_decoder.mamba";
      l.pre_mixer_norm = "mamba_decoder.input_layernorm";
      l.adapter_index = hybrid_ordinal;
      l.shared_block = static_cast<int>(hybrid_ordinal % blocks);
      s.shared_blocks[static_cast<std::size_t>(l.shared_block)].layers.push_back(l.index);
      ++hybrid_ordinal;
    } else {
      l.mixer.module = "mamba";
      l.pre_mixer_norm = "input_layernorm";
    }
  }
}

// LFM2 and LFM2-MoE: gated short convolutions / attention with per-head q/k norms. LFM2-MoE keeps num_dense_layers
// dense MLPs (intermediate_size as given) and then routes: sigmoid scores, top-k by score + expert_bias, weights the
// scores renormalised by (sum + 1e-6), routed_scaling_factor.
// Zamba (v1): multi-head Mamba1 layers; "hybrid" layers first run one shared transformer block (stored under the
// first hybrid layer, "shared_transf": attention over [h | embeddings] without RoPE, scale (head_dim / 2)^-0.5, a
// gated MLP, no adapters), then h = h + mamba(norm(h + linear(block))).
void build_zamba(const ConfigReader& r, ModelSpec& s) {
  read_core(r, s, {32000, 3712, 76, 4096, true});
  s.norm = read_norm(r, {"rms_norm_eps"}, 1e-5, NormKind::RMSNorm);
  s.names = hf_names("model.", "final_layernorm");
  const auto n = layer_count(s);
  const std::vector<KindAlias> aliases = {{"mamba", MixerKind::Mamba1},
                                          {"linear_attention", MixerKind::Mamba1},
                                          {"hybrid", MixerKind::ParallelAttentionMamba2}};
  std::vector<MixerKind> kinds;
  if (r.has({"layers_block_type", "layer_types"})) {
    kinds = listed_kinds(r, {"layers_block_type", "layer_types"}, aliases, n, {});
  } else {  // ZambaConfig: two mamba layers, a hybrid, then hybrid where i % attn_layer_period == attn_layer_offset
    const auto period = r.dim({"attn_layer_period"}, 6);
    const auto offset = r.integer({"attn_layer_offset"}, 4, 0, kMaxLayers);
    for (std::int64_t i = 0; i < n; ++i)
      kinds.push_back(i == 2 || (i >= 3 && (i - 3) % period == offset) ? MixerKind::ParallelAttentionMamba2
                                                                        : MixerKind::Mamba1);
  }

  Mamba1Spec mamba = read_mamba1(r, s.hidden_size);
  mamba.conv_activation = parse_activation(r, {"hidden_mamba_act"}, "silu");  // hidden_act is the shared MLP's
  mamba.heads = r.dim({"n_mamba_heads"}, 2);
  if (mamba.d_inner % mamba.heads != 0) r.fail("n_mamba_heads", "must divide mamba_expand × hidden_size");
  mamba.interleaved_in_proj = true;

  SharedBlockSpec block;
  block.module = "shared_transf";
  block.mlp_adapters = false;
  block.norm = s.norm;
  AttentionDefaults ad;
  ad.heads = 16;
  ad.kv_heads = 16;
  ad.rope.enabled = false;
  const auto heads = r.dim({"num_attention_heads"}, 16);
  const auto attention_width = r.dim({"attention_hidden_size"}, 2 * s.hidden_size);
  ad.head_dim = r.dim({"attention_head_dim"}, 2 * s.hidden_size / heads);
  block.attention = read_attention(r, attention_width, ad);
  block.attention.rope = RopeSpec{};  // ZambaAttention applies no positional encoding
  block.attention.output_dim = s.hidden_size;
  block.attention.qkv_bias = block.attention.o_bias = false;
  block.attention.softmax_scale = 1.0 / std::sqrt(static_cast<double>(block.attention.head_dim) / 2.0);
  block.mlp = read_mlp(r, {"intermediate_size"}, {"hidden_act"}, {14848, "gelu"});
  block.mlp.bias = false;
  if (attention_width != 2 * s.hidden_size)
    r.fail("attention_hidden_size", "must be 2 × hidden_size (the block reads [h | embeddings])");

  for (auto& l : s.layers) {
    l.mixer.kind = MixerKind::Mamba1;
    l.mixer.mamba1 = mamba;
    if (kinds[static_cast<std::size_t>(l.index)] == MixerKind::ParallelAttentionMamba2) {
      l.mixer.module = "mamba_decoder.mamba";
      l.pre_mixer_norm = "mamba_decoder.input_layernorm";
      l.shared_block = 0;
      l.adapter_index = static_cast<int>(block.layers.size());
      block.layers.push_back(l.index);
    } else {
      l.mixer.module = "mamba";
      l.pre_mixer_norm = "input_layernorm";
    }
  }
  s.shared_blocks.push_back(std::move(block));
}

void build_lfm2_family(const ConfigReader& r, ModelSpec& s, bool moe_layers) {
  read_core(r, s, {65536, moe_layers ? 2048 : 2560, 32, 128000, true});
  s.norm = read_norm(r, {"norm_eps"}, 1e-5, NormKind::RMSNorm);
  s.names = hf_names("model.", "embedding_norm");
  const auto n = layer_count(s);
  std::vector<MixerKind> fallback(static_cast<std::size_t>(n), MixerKind::FullAttention);
  if (r.has({"full_attn_idxs"})) {
    const auto idx = r.int_list({"full_attn_idxs"}, 0, kMaxLayers);
    check_layer_indices(r, {"full_attn_idxs"}, idx, n);
    for (std::int64_t i = 0; i < n; ++i)
      fallback[static_cast<std::size_t>(i)] =
          std::count(idx.begin(), idx.end(), i) ? MixerKind::FullAttention : MixerKind::ShortConv;
  }
  const auto kinds = listed_kinds(r, {"layer_types"},
                                  {{"conv", MixerKind::ShortConv}, {"full_attention", MixerKind::FullAttention}}, n,
                                  fallback);
  AttentionDefaults ad;
  ad.kv_heads = 8;
  ad.rope.theta = 1000000.0;
  auto attention = read_attention(r, s.hidden_size, ad);
  attention.qkv_bias = attention.o_bias = false;
  attention.qk_norm = QkNormScope::PerHead;
  attention.qk_norm_spec = s.norm;
  attention.names.o = "out_proj";
  attention.names.q_norm = "q_layernorm";
  attention.names.k_norm = "k_layernorm";
  ShortConvSpec conv;
  conv.kernel = r.dim({"conv_L_cache"}, 3);
  conv.bias = r.boolean({"conv_bias"}, false);

  // Lfm2MLP derives its width from intermediate_size (alias block_ff_dim); Lfm2MoeMLP takes it as it is.
  auto mlp = moe_layers ? read_mlp(r, {"intermediate_size"}, {"hidden_act"}, {7168})
                        : read_mlp(r, {"block_ff_dim", "intermediate_size"}, {"hidden_act"}, {12288});
  if (!moe_layers && r.boolean({"block_auto_adjust_ff_dim"}, true)) {
    auto width = static_cast<std::int64_t>(2.0 * static_cast<double>(mlp.intermediate) / 3.0);
    if (r.has({"block_ffn_dim_multiplier"}) || !r.root().contains("block_ffn_dim_multiplier")) {
      const auto multiplier = r.number({"block_ffn_dim_multiplier"}, 1.0);
      const auto multiple = r.dim({"block_multiple_of"}, 256);
      // Checked in double first: casting an out-of-range double to an integer is undefined behaviour.
      const double scaled = multiplier * static_cast<double>(width);
      if (!(scaled > 0 && scaled <= static_cast<double>(kMaxDimension)))
        r.fail("block_ffn_dim_multiplier", "gives an MLP width of " + printable(nlohmann::json(scaled).dump()) +
                                               ", expected 1.." + std::to_string(kMaxDimension));
      width = static_cast<std::int64_t>(scaled);
      width = multiple * ((width + multiple - 1) / multiple);
    }
    if (width <= 0 || width > kMaxDimension) r.fail("intermediate_size", "gives an invalid adjusted MLP width");
    mlp.intermediate = width;
  }
  mlp.bias = false;
  mlp.names = {"w1", "w3", "w2", ""};
  MoeSpec moe;
  std::int64_t dense_layers = layer_count(s);
  if (moe_layers) {
    dense_layers = r.integer({"num_dense_layers"}, 2, 0, kMaxLayers);
    moe.router = RouterKind::SigmoidGroupedTopK;  // one group: plain top-k of score + expert_bias
    moe.num_experts = r.dim({"num_experts"}, 32, kMaxExperts);
    moe.top_k = r.dim({"num_experts_per_tok"}, 4);
    if (moe.top_k > moe.num_experts) r.fail("num_experts_per_tok", "is larger than num_experts");
    moe.renormalize = r.boolean({"norm_topk_prob"}, true);
    moe.renormalize_eps = 1e-6;
    moe.routed_scaling_factor = r.number({"routed_scaling_factor"}, 1.0);
    moe.expert_intermediate = r.dim({"moe_intermediate_size"}, 1792);
    moe.expert = mlp;
    moe.expert.intermediate = moe.expert_intermediate;
    moe.expert.activation = Activation::SiLU;  // Lfm2MoeExperts: F.silu whatever hidden_act says
    moe.names = {"gate", r.boolean({"use_expert_bias"}, true) ? "expert_bias" : "", "experts", "", "", "", false, ""};
  }
  for (auto& l : s.layers) {
    if (kinds[static_cast<std::size_t>(l.index)] == MixerKind::FullAttention) {
      set_attention(l, attention);
    } else {
      set_mixer(l, conv, "conv");
    }
    if (l.index < dense_layers)
      set_mlp(l, mlp, "feed_forward");
    else
      set_moe(l, moe, "feed_forward");
    set_pre_norms(l, "operator_norm", "ffn_norm");
  }
}

void build_lfm2(const ConfigReader& r, ModelSpec& s) { build_lfm2_family(r, s, false); }
void build_lfm2_moe(const ConfigReader& r, ModelSpec& s) { build_lfm2_family(r, s, true); }

}  // namespace

const std::vector<Family>& families() {
  static const std::vector<Family> all = {
      {"bailing_hybrid", build_bailing_hybrid},
      {"bamba", build_bamba},
      {"falcon_h1", build_falcon_h1},
      {"falcon_mamba", build_falcon_mamba},
      {"gpt_neox", build_gpt_neox},
      {"granite", build_granite},
      {"granitemoehybrid", build_granitemoehybrid},
      {"jamba", build_jamba},
      {"kimi_linear", build_kimi_linear},
      {"lfm2", build_lfm2},
      {"lfm2_moe", build_lfm2_moe},
      {"llama", build_llama},
      {"mamba", build_mamba},
      {"mamba2", build_mamba2},
      {"minimax", build_minimax},
      {"nemotron_h", build_nemotron_h},
      {"olmo2", build_olmo2},
      {"olmo3", build_olmo3},
      {"olmo_hybrid", build_olmo_hybrid},
      {"qwen2", build_qwen2},
      {"qwen3", build_qwen3},
      {"qwen3_5", build_qwen3_5},
      {"qwen3_5_moe", build_qwen3_5_moe},
      {"qwen3_5_moe_text", build_qwen3_5_moe_text},
      {"qwen3_5_text", build_qwen3_5_text},
      {"qwen3_next", build_qwen3_next},
      {"recurrent_gemma", build_recurrent_gemma},
      {"rwkv", build_rwkv},
      {"xlstm", build_xlstm},
      {"zamba", build_zamba},
      {"zamba2", build_zamba2},
  };
  return all;
}

}  // namespace hl
