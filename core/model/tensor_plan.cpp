#include "core/model/tensor_plan.h"

#include <string_view>

namespace hl {

namespace {

using I = std::int64_t;

// Expands "a|b" alternatives in a module or norm name.
std::vector<std::string> alternatives(const std::string& spec) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const auto bar = spec.find('|', start);
    out.push_back(spec.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
    if (bar == std::string::npos) return out;
    start = bar + 1;
  }
}

// Collects requirements for one module under one or more name prefixes ("model.layers.3." + "self_attn.").
class Collector {
 public:
  Collector(std::vector<TensorRequirement>& out, std::vector<std::string> prefixes)
      : out_(out), prefixes_(std::move(prefixes)) {}

  Collector sub(const std::string& module) const {
    std::vector<std::string> p;
    for (const auto& prefix : prefixes_)
      for (const auto& alt : alternatives(module)) p.push_back(prefix + alt + ".");
    return Collector(out_, std::move(p));
  }

  TensorRequirement& add(const std::string& role, const std::string& param, Shape shape, bool allow_f32 = false) {
    TensorRequirement r;
    r.role = role;
    for (const auto& prefix : prefixes_)
      for (const auto& alt : alternatives(param)) r.names.push_back(prefix + alt);
    r.shape = std::move(shape);
    r.allow_f32 = allow_f32;
    out_.push_back(std::move(r));
    return out_.back();
  }

  // A Linear layer: "<name>.weight" [out, in] (+ "<name>.bias" [out]).
  void linear(const std::string& role, const std::string& name, I out, I in, bool bias = false) {
    add(role, name + ".weight", {out, in});
    if (bias) add(role + ".bias", name + ".bias", {out});
  }

  void norm(const std::string& role, const std::string& name, I dim, NormKind kind) {
    if (name.empty()) return;
    add(role, with_suffix(name, ".weight"), {dim});
    if (kind == NormKind::LayerNorm) add(role + ".bias", with_suffix(name, ".bias"), {dim});
  }

  static std::string with_suffix(const std::string& name, const std::string& suffix) {
    std::string out;
    for (const auto& alt : alternatives(name)) out += (out.empty() ? "" : "|") + alt + suffix;
    return out;
  }

  void conv(const std::string& role, const std::string& name, I channels, I kernel, bool bias) {
    add(role, name + ".weight", {channels, 1, kernel});
    if (bias) add(role + ".bias", name + ".bias", {channels});
  }

 private:
  std::vector<TensorRequirement>& out_;
  std::vector<std::string> prefixes_;
};

void attention(Collector c, const AttentionSpec& a, const std::string& role = "attn") {
  const I q_out = a.num_heads * a.head_dim * (a.output_gate ? 2 : 1);
  const I kv_out = a.num_kv_heads * a.head_dim;
  const auto& n = a.names;
  if (!n.qkv.empty()) {
    c.linear(role + ".qkv", n.qkv, q_out + 2 * kv_out, a.input_dim, a.qkv_bias);
  } else {
    c.linear(role + ".q", n.q, q_out, a.input_dim, a.qkv_bias);
    c.linear(role + ".k", n.k, kv_out, a.input_dim, a.qkv_bias);
    c.linear(role + ".v", n.v, kv_out, a.input_dim, a.qkv_bias);
  }
  c.linear(role + ".o", n.o, a.output_dim, a.num_heads * a.head_dim, a.o_bias);
  if (a.qk_norm == QkNormScope::PerHead) {
    c.add(role + ".q_norm", n.q_norm + ".weight", {a.head_dim});
    c.add(role + ".k_norm", n.k_norm + ".weight", {a.head_dim});
  } else if (a.qk_norm == QkNormScope::FullProjection) {
    c.add(role + ".q_norm", n.q_norm + ".weight", {a.num_heads * a.head_dim});
    c.add(role + ".k_norm", n.k_norm + ".weight", {kv_out});
  }
}

void mamba1(Collector c, const Mamba1Spec& m, I hidden) {
  c.linear("mamba.in_proj", "in_proj", 2 * m.d_inner, hidden, m.proj_bias);
  c.conv("mamba.conv", "conv1d", m.d_inner, m.conv_kernel, m.conv_bias);
  if (m.heads > 1 || m.interleaved_in_proj) {  // Zamba: per-head parameters stacked on a leading head axis
    const I H = m.heads, P = m.d_inner / m.heads;
    c.add("mamba.x_proj", "x_proj_weight", {H, m.dt_rank + 2 * m.d_state, P});
    c.add("mamba.dt_proj", "dt_proj_weight", {H, P, m.dt_rank});
    c.add("mamba.dt_proj.bias", "dt_proj_bias", {H, P}, true);
    c.add("mamba.A_log", "A_log", {H, P, m.d_state}, true);
    c.add("mamba.D", "D", {H, P}, true);
  } else {
    c.linear("mamba.x_proj", "x_proj", m.dt_rank + 2 * m.d_state, m.d_inner);
    c.linear("mamba.dt_proj", "dt_proj", m.d_inner, m.dt_rank, true);
    c.add("mamba.A_log", "A_log", {m.d_inner, m.d_state}, true);
    c.add("mamba.D", "D", {m.d_inner}, true);
  }
  c.linear("mamba.out_proj", "out_proj", hidden, m.d_inner, m.proj_bias);
  if (m.dt_bc_norm == Mamba1Spec::DtBcNorm::Learned) {
    c.add("mamba.dt_norm", "dt_layernorm.weight", {m.dt_rank});
    c.add("mamba.b_norm", "b_layernorm.weight", {m.d_state});
    c.add("mamba.c_norm", "c_layernorm.weight", {m.d_state});
  }
}

void mamba2(Collector c, const Mamba2Spec& m, I hidden) {
  c.linear("mamba.in_proj", "in_proj", m.in_proj_dim(), hidden, m.in_proj_bias);
  c.conv("mamba.conv", "conv1d", m.conv_dim(), m.conv_kernel, m.conv_bias);
  c.add("mamba.dt_bias", "dt_bias", {m.n_heads}, true);
  c.add("mamba.A_log", "A_log", {m.n_heads}, true);
  c.add("mamba.D", "D", {m.n_heads}, true);
  if (m.gated_norm != GatedNormKind::None) c.add("mamba.norm", "norm.weight", {m.d_inner});
  c.linear("mamba.out_proj", "out_proj", hidden, m.d_inner, m.out_proj_bias);
}

void gated_deltanet(Collector c, const GatedDeltaNetSpec& g, I hidden) {
  const I kd = g.key_dim(), vd = g.value_dim(), nv = g.num_value_heads;
  if (g.projections == GatedDeltaNetSpec::Projections::Separate) {
    c.linear("gdn.q_proj", "q_proj", kd, hidden);
    c.linear("gdn.k_proj", "k_proj", kd, hidden);
    c.linear("gdn.v_proj", "v_proj", vd, hidden);
    c.linear("gdn.a_proj", "a_proj", nv, hidden);
    c.linear("gdn.b_proj", "b_proj", nv, hidden);
    c.linear("gdn.g_proj", "g_proj", vd, hidden);
    for (const char* part : {"q", "k", "v"}) {
      auto& r = c.add(std::string("gdn.") + part + "_conv", std::string(part) + "_conv1d.weight", {});
      r.concat_group = "gdn.conv";
      r.concat_channels = 2 * kd + vd;
      r.shape = {0, 1, g.conv_kernel};  // channel count checked as a group
    }
    c.add("gdn.norm", "o_norm.weight", {g.value_head_dim});
    c.linear("gdn.out_proj", "o_proj", hidden, vd);
  } else {
    if (g.projections == GatedDeltaNetSpec::Projections::SplitQkv) {
      c.linear("gdn.in_proj_qkv", "in_proj_qkv", 2 * kd + vd, hidden);
      c.linear("gdn.in_proj_z", "in_proj_z", vd, hidden);
      c.linear("gdn.in_proj_b", "in_proj_b", nv, hidden);
      c.linear("gdn.in_proj_a", "in_proj_a", nv, hidden);
    } else {
      c.linear("gdn.in_proj_qkvz", "in_proj_qkvz", 2 * kd + 2 * vd, hidden);
      c.linear("gdn.in_proj_ba", "in_proj_ba", 2 * nv, hidden);
    }
    c.conv("gdn.conv", "conv1d", 2 * kd + vd, g.conv_kernel, false);
    c.add("gdn.norm", "norm.weight", {g.value_head_dim});
    c.linear("gdn.out_proj", "out_proj", hidden, vd);
  }
  c.add("gdn.A_log", "A_log", {nv}, true);
  c.add("gdn.dt_bias", "dt_bias", {nv}, true);
}

// HF RwkvSelfAttention: time_mix_* are stored [1, 1, hidden]; time_decay / time_first [attention_hidden] (kept in fp32
// by transformers, any float dtype here).
void rwkv_time_mix(Collector c, const RwkvTimeMixSpec& r, I hidden) {
  const I a = r.attention_hidden;
  for (const char* part : {"key", "value", "receptance"}) {
    c.add(std::string("rwkv.time_mix_") + part, std::string("time_mix_") + part, {1, 1, hidden});
    c.linear(std::string("rwkv.") + part, part, a, hidden);
  }
  c.add("rwkv.time_decay", "time_decay", {a}, true);
  c.add("rwkv.time_first", "time_first", {a}, true);
  c.linear("rwkv.output", "output", hidden, a);
}

// HF RecurrentGemmaRecurrentBlock + RecurrentGemmaRglru. Every Linear has a bias; the gates are [heads, in, out].
void rg_lru(Collector c, const RgLruSpec& g, I hidden) {
  const I w = g.width, bw = g.width / g.heads;
  c.linear("rg_lru.linear_x", "linear_x", w, hidden, true);
  c.linear("rg_lru.linear_y", "linear_y", w, hidden, true);
  c.conv("rg_lru.conv", "conv_1d", w, g.conv_kernel, true);
  c.add("rg_lru.input_gate", "rg_lru.input_gate_weight", {g.heads, bw, bw});
  c.add("rg_lru.input_gate.bias", "rg_lru.input_gate_bias", {g.heads, bw});
  c.add("rg_lru.recurrent_gate", "rg_lru.recurrent_gate_weight", {g.heads, bw, bw});
  c.add("rg_lru.recurrent_gate.bias", "rg_lru.recurrent_gate_bias", {g.heads, bw});
  c.add("rg_lru.recurrent_param", "rg_lru.recurrent_param", {w}, true);
  c.linear("rg_lru.linear_out", "linear_out", hidden, w, true);
}

// HF MiniMaxLightningAttention. The four decay buffers are stored by transformers' save (persistent) and used when
// present; shapes as the module registers them.
void lightning_attention(Collector c, const LightningAttentionSpec& l, I hidden) {
  const I H = l.heads, D = l.heads * l.head_dim, B = l.block_size;
  c.linear("lightning.qkv", "qkv_proj", 3 * D, hidden);
  c.linear("lightning.output_gate", "output_gate", D, hidden);
  c.add("lightning.norm", "norm.weight", {D});
  c.linear("lightning.out_proj", "out_proj", hidden, D);
  const std::pair<const char*, Shape> buffers[] = {{"slope_rate", {H, 1, 1}},
                                                   {"query_decay", {H, B, 1}},
                                                   {"key_decay", {H, B, 1}},
                                                   {"diagonal_decay", {1, H, B, B}}};
  for (const auto& [name, shape] : buffers)
    c.add(std::string("lightning.") + name, name, shape, true).optional_buffer = true;
}

// HF KimiLinearDeltaAttention (+ KimiLinearForgetGate); A_log is stored [1, 1, heads, 1].
void kimi_delta(Collector c, const KimiDeltaSpec& k, I hidden) {
  const I d = k.dim(), H = k.heads, hd = k.head_dim;
  for (const char* part : {"q", "k", "v"}) {
    c.linear(std::string("kda.") + part + "_proj", std::string(part) + "_proj", d, hidden);
    c.conv(std::string("kda.") + part + "_conv", std::string(part) + "_conv1d", d, k.conv_kernel, false);
  }
  if (k.forget_gate == KimiDeltaSpec::ForgetGate::KimiLowRank) {
    c.linear("kda.f_a_proj", "f_a_proj", hd, hidden);
    c.linear("kda.f_b_proj", "f_b_proj", d, hd);
  } else {
    c.linear("kda.f_proj", "f_proj", d, hidden);
  }
  c.add("kda.dt_bias", "dt_bias", {d}, true);
  c.add("kda.A_log", "A_log", k.a_log_per_head_4d ? Shape{1, 1, H, 1} : Shape{H}, true);
  c.linear("kda.b_proj", "b_proj", H, hidden);
  if (k.low_rank_output_gate) {
    c.linear("kda.g_a_proj", "g_a_proj", hd, hidden);
    c.linear("kda.g_b_proj", "g_b_proj", d, hd);
  } else {
    c.linear("kda.g_proj", "g_proj", d, hidden);
  }
  c.add("kda.o_norm", "o_norm.weight", {hd});
  c.linear("kda.o_proj", k.o_proj, hidden, d);
}

// HF KimiLinearAttention (MLA).
void latent_attention(Collector c, const LatentAttentionSpec& m, I hidden) {
  const I H = m.heads;
  if (m.q_lora_rank > 0) {
    c.linear("mla.q_a_proj", "q_a_proj", m.q_lora_rank, hidden, m.bias);
    c.add("mla.q_a_norm", "q_a_layernorm.weight", {m.q_lora_rank});
    c.linear("mla.q_b_proj", "q_b_proj", H * m.qk_dim(), m.q_lora_rank);
  } else {
    c.linear("mla.q_proj", "q_proj", H * m.qk_dim(), hidden);
  }
  c.linear("mla.kv_a_proj", "kv_a_proj_with_mqa", m.kv_lora_rank + m.qk_rope_dim, hidden, m.bias);
  c.add("mla.kv_a_norm", "kv_a_layernorm.weight", {m.kv_lora_rank});
  c.linear("mla.kv_b_proj", "kv_b_proj", H * (m.qk_nope_dim + m.v_head_dim), m.kv_lora_rank);
  if (m.head_gate) c.linear("mla.head_gate", "g_proj", H, hidden);
  c.linear("mla.o_proj", m.o_proj, hidden, H * m.v_head_dim, m.bias);
}

// HF xLSTMLayer. The gates always have biases; the rest has them only with use_bias, which HybridLens refuses.
void mlstm(Collector c, const MLstmSpec& m, I hidden) {
  c.linear("mlstm.q", "q", m.qk_dim, hidden);
  c.linear("mlstm.k", "k", m.qk_dim, hidden);
  c.linear("mlstm.v", "v", m.v_dim, hidden);
  c.linear("mlstm.o_gate", "ogate_preact", m.v_dim, hidden);
  c.linear("mlstm.i_gate", "igate_preact", m.heads, hidden, true);
  c.linear("mlstm.f_gate", "fgate_preact", m.heads, hidden, true);
  c.add("mlstm.norm", "multihead_norm.weight", {m.v_dim});
  c.linear("mlstm.out_proj", "out_proj", hidden, m.v_dim);
}

// HF RwkvFeedForward.
void rwkv_channel_mix(Collector c, I intermediate, I hidden) {
  c.add("channel_mix.time_mix_key", "time_mix_key", {1, 1, hidden});
  c.add("channel_mix.time_mix_receptance", "time_mix_receptance", {1, 1, hidden});
  c.linear("channel_mix.key", "key", intermediate, hidden);
  c.linear("channel_mix.receptance", "receptance", hidden, hidden);
  c.linear("channel_mix.value", "value", hidden, intermediate);
}

void mlp(Collector c, const MlpSpec& m, I in, I out, const std::string& role) {
  const auto& n = m.names;
  if (!n.gate_up.empty()) {
    c.linear(role + ".gate_up", n.gate_up, 2 * m.intermediate, in, m.bias);
  } else {
    if (m.gated) c.linear(role + ".gate", n.gate, m.intermediate, in, m.bias);
    c.linear(role + ".up", n.up, m.intermediate, in, m.bias);
  }
  c.linear(role + ".down", n.down, out, m.intermediate, m.bias);
}

void moe(Collector layer, Collector c, const MoeSpec& m, I hidden) {
  const auto& n = m.names;
  c.add("moe.router", n.router + ".weight", {m.num_experts, hidden});
  if (!n.router_bias_correction.empty()) c.add("moe.router_bias", n.router_bias_correction, {m.num_experts}, true);
  const I width = (m.expert.gated ? 2 : 1) * m.expert_intermediate;
  const I expert_dim = m.latent_size > 0 ? m.latent_size : hidden;
  if (m.latent_size > 0) {
    c.linear("moe.latent_in", n.latent_in, m.latent_size, hidden, m.latent_bias);
    c.linear("moe.latent_out", n.latent_out, hidden, m.latent_size, m.latent_bias);
  }
  if (!n.stacked_input.empty()) {
    c.add("moe.experts_gate_up", n.stacked_input + ".weight", {m.num_experts, width, expert_dim});
    c.add("moe.experts_down", n.stacked_output + ".weight", {m.num_experts, expert_dim, m.expert_intermediate});
  } else {
    for (I e = 0; e < m.num_experts; ++e)
      mlp(c.sub(n.experts + "." + std::to_string(e)), m.expert, expert_dim, expert_dim,
          "moe.expert." + std::to_string(e));
  }
  if (m.shared_intermediate > 0) {
    auto owner = n.shared_at_layer ? layer : c;
    mlp(owner.sub(n.shared), m.shared, hidden, hidden, "moe.shared");
  }
  if (!n.shared_gate.empty()) c.add("moe.shared_gate", n.shared_gate + ".weight", {1, hidden});
}

std::string layer_prefix(const ModelSpec& spec, int index) { return spec.names.layer_prefix + std::to_string(index) + "."; }

}  // namespace

std::vector<TensorRequirement> model_requirements(const ModelSpec& spec) {
  std::vector<TensorRequirement> out;
  Collector root(out, {""});
  root.add("embedding", spec.names.embedding, {spec.vocab_size, spec.hidden_size});
  root.norm("embedding_norm", spec.names.embedding_norm, spec.hidden_size, spec.norm.kind);
  root.norm("final_norm", spec.names.final_norm, spec.hidden_size, spec.final_norm.value_or(spec.norm).kind);
  if (!spec.tied_embeddings) root.add("lm_head", spec.names.lm_head, {spec.vocab_size, spec.hidden_size});
  return out;
}

std::vector<TensorRequirement> layer_requirements(const ModelSpec& spec, const LayerPlan& layer) {
  std::vector<TensorRequirement> out;
  const I d = spec.hidden_size;
  Collector c(out, {layer_prefix(spec, layer.index)});
  c.norm("norm.pre_mixer", layer.pre_mixer_norm, d, spec.norm.kind);
  c.norm("norm.post_mixer", layer.post_mixer_norm, d, spec.norm.kind);
  c.norm("norm.pre_ffn", layer.pre_ffn_norm, d, spec.norm.kind);
  c.norm("norm.post_ffn", layer.post_ffn_norm, d, spec.norm.kind);

  const auto& m = layer.mixer;
  switch (m.kind) {
    case MixerKind::None: break;
    case MixerKind::FullAttention:
    case MixerKind::SlidingAttention: attention(c.sub(m.module), m.attention); break;
    case MixerKind::Mamba1: mamba1(c.sub(m.module), m.mamba1, d); break;
    case MixerKind::Mamba2: mamba2(c.sub(m.module), m.mamba2, d); break;
    case MixerKind::GatedDeltaNet: gated_deltanet(c.sub(m.module), m.gdn, d); break;
    case MixerKind::ShortConv:
      c.sub(m.module).linear("conv.in_proj", "in_proj", 3 * d, d, m.short_conv.bias);
      c.sub(m.module).conv("conv.conv", "conv", d, m.short_conv.kernel, m.short_conv.bias);
      c.sub(m.module).linear("conv.out_proj", "out_proj", d, d, m.short_conv.bias);
      break;
    case MixerKind::ParallelAttentionMamba2:
      attention(c.sub(m.attention_module), m.attention);
      mamba2(c.sub(m.module), m.mamba2, d);
      break;
    case MixerKind::RwkvTimeMix: rwkv_time_mix(c.sub(m.module), m.rwkv, d); break;
    case MixerKind::RgLru: rg_lru(c.sub(m.module), m.rg_lru, d); break;
    case MixerKind::LightningAttention: lightning_attention(c.sub(m.module), m.lightning, d); break;
    case MixerKind::KimiDelta: kimi_delta(c.sub(m.module), m.kda, d); break;
    case MixerKind::LatentAttention: latent_attention(c.sub(m.module), m.mla, d); break;
    case MixerKind::MLstm: mlstm(c.sub(m.module), m.mlstm, d); break;
  }
  if (layer.ffn.kind == FfnKind::Mlp) mlp(c.sub(layer.ffn.module), layer.ffn.mlp, d, d, "mlp");
  if (layer.ffn.kind == FfnKind::Moe) moe(c, c.sub(layer.ffn.module), layer.ffn.moe, d);
  if (layer.ffn.kind == FfnKind::RwkvChannelMix) rwkv_channel_mix(c.sub(layer.ffn.module), layer.ffn.mlp.intermediate, d);

  if (layer.shared_block >= 0) {
    const auto& block = spec.shared_blocks[static_cast<std::size_t>(layer.shared_block)];
    c.linear("hybrid.linear", "linear", d, d);
    // Adapters belong to this hybrid layer but are stored with the block's weights, under any of its layers.
    std::vector<std::string> prefixes;
    for (int i : block.layers) prefixes.push_back(layer_prefix(spec, i) + block.module + ".");
    Collector shared(out, prefixes);
    const auto j = std::to_string(layer.adapter_index);
    const I r = block.adapter_rank, a_in = block.attention.input_dim;
    if (block.attention_adapters)
      for (const char* p : {"q", "k", "v"}) {
        const auto base = std::string("self_attn.linear_") + p + "_adapter_list." + j;
        const I a_out = block.attention.num_heads * block.attention.head_dim;
        shared.add(std::string("adapter.") + p + ".down", base + ".0.weight", {r, a_in});
        shared.add(std::string("adapter.") + p + ".up", base + ".1.weight", {a_out, r});
      }
    if (block.mlp_adapters) {
      const auto base = "feed_forward.gate_up_proj_adapter_list." + j;
      shared.add("adapter.gate_up.down", base + ".0.weight", {r, d});
      shared.add("adapter.gate_up.up", base + ".1.weight", {2 * block.mlp.intermediate, r});
    }
  }
  return out;
}

std::vector<TensorRequirement> shared_block_requirements(const ModelSpec& spec, const SharedBlockSpec& block) {
  std::vector<TensorRequirement> out;
  std::vector<std::string> prefixes;
  for (int i : block.layers) prefixes.push_back(layer_prefix(spec, i) + block.module + ".");
  Collector c(out, prefixes);
  const I d = spec.hidden_size;
  c.norm("input_norm", "input_layernorm", block.attention.input_dim, spec.norm.kind);
  attention(c.sub("self_attn"), block.attention);
  c.norm("pre_ffn_norm", "pre_ff_layernorm", d, spec.norm.kind);
  mlp(c.sub("feed_forward"), block.mlp, d, d, "mlp");
  return out;
}

}  // namespace hl
