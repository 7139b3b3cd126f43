#include "core/model/layer_weights.h"

#include <string>

namespace hl {

namespace {

// Reads one module's roles ("<module>.<name>", see tensor_plan.h; no module: "<name>") from a BoundParams.
class Roles {
 public:
  explicit Roles(const BoundParams& params, const std::string& module = "")
      : params_(params), prefix_(module.empty() ? "" : module + ".") {}

  Weight operator()(const std::string& name) const { return params_.find(prefix_ + name); }
  LinearWeights linear(const std::string& name) const { return {(*this)(name), (*this)(name + ".bias")}; }

 private:
  const BoundParams& params_;
  std::string prefix_;
};

AttentionWeights attention(const Roles& r) {
  return {r.linear("q"), r.linear("k"), r.linear("v"), r.linear("qkv"), r.linear("o"), r("q_norm"), r("k_norm")};
}

MlpWeights mlp(const Roles& r) { return {r.linear("gate"), r.linear("up"), r.linear("gate_up"), r.linear("down")}; }

MambaWeights mamba(const Roles& r) {
  MambaWeights w;
  w.in_proj = r.linear("in_proj");
  w.conv = r.linear("conv");
  w.out_proj = r.linear("out_proj");
  w.A_log = r("A_log");
  w.D = r("D");
  w.x_proj = r.linear("x_proj");
  w.dt_proj = r.linear("dt_proj");
  w.dt_norm = r("dt_norm");
  w.b_norm = r("b_norm");
  w.c_norm = r("c_norm");
  w.dt_bias = r("dt_bias");
  w.norm = r("norm");
  return w;
}

GatedDeltaNetWeights gated_deltanet(const Roles& r) {
  GatedDeltaNetWeights w;
  w.in_proj_qkvz = r("in_proj_qkvz");
  w.in_proj_ba = r("in_proj_ba");
  w.in_proj_qkv = r("in_proj_qkv");
  w.in_proj_z = r("in_proj_z");
  w.in_proj_b = r("in_proj_b");
  w.in_proj_a = r("in_proj_a");
  w.q_proj = r("q_proj");
  w.k_proj = r("k_proj");
  w.v_proj = r("v_proj");
  w.a_proj = r("a_proj");
  w.b_proj = r("b_proj");
  w.g_proj = r("g_proj");
  w.q_conv = r("q_conv");
  w.k_conv = r("k_conv");
  w.v_conv = r("v_conv");
  w.conv = r("conv");
  w.A_log = r("A_log");
  w.dt_bias = r("dt_bias");
  w.norm = r("norm");
  w.out_proj = r("out_proj");
  return w;
}

RwkvTimeMixWeights rwkv_time_mix(const Roles& r) {
  const auto shifted = [&](const std::string& part) { return TokenShiftProjection{r("time_mix_" + part), r(part)}; };
  return {shifted("key"), shifted("value"), shifted("receptance"), r("time_decay"), r("time_first"), r("output")};
}

RwkvChannelMixWeights rwkv_channel_mix(const Roles& r) {
  const auto shifted = [&](const std::string& part) { return TokenShiftProjection{r("time_mix_" + part), r(part)}; };
  return {shifted("key"), shifted("receptance"), r("value")};
}

RgLruWeights rg_lru(const Roles& r) {
  return {r.linear("linear_x"),   r.linear("linear_y"),       r.linear("conv"),    r.linear("linear_out"),
          r.linear("input_gate"), r.linear("recurrent_gate"), r("recurrent_param")};
}

LightningWeights lightning(const Roles& r) {
  return {r("qkv"),        r("output_gate"), r("norm"),      r("out_proj"),
          r("slope_rate"), r("query_decay"), r("key_decay"), r("diagonal_decay")};
}

KimiDeltaWeights kimi_delta(const Roles& r) {
  KimiDeltaWeights w;
  w.q_proj = r("q_proj");
  w.k_proj = r("k_proj");
  w.v_proj = r("v_proj");
  w.q_conv = r("q_conv");
  w.k_conv = r("k_conv");
  w.v_conv = r("v_conv");
  w.f_a_proj = r("f_a_proj");
  w.f_b_proj = r("f_b_proj");
  w.f_proj = r("f_proj");
  w.g_a_proj = r("g_a_proj");
  w.g_b_proj = r("g_b_proj");
  w.g_proj = r("g_proj");
  w.b_proj = r("b_proj");
  w.A_log = r("A_log");
  w.dt_bias = r("dt_bias");
  w.o_norm = r("o_norm");
  w.o_proj = r("o_proj");
  return w;
}

LatentAttentionWeights latent_attention(const Roles& r) {
  return {r.linear("q_a_proj"),  r.linear("q_b_proj"), r.linear("q_proj"), r.linear("kv_a_proj"), r.linear("kv_b_proj"),
          r.linear("head_gate"), r.linear("o_proj"),   r("q_a_norm"),      r("kv_a_norm")};
}

MLstmWeights mlstm(const Roles& r) {
  return {r("q"), r("k"), r("v"), r("o_gate"), r("norm"), r("out_proj"), r.linear("i_gate"), r.linear("f_gate")};
}

MoeWeights moe(const BoundParams& layer, const MoeSpec& spec) {
  const Roles r(layer, "moe");
  MoeWeights w;
  w.router = r("router");
  w.router_bias = r("router_bias");
  w.latent_in = r.linear("latent_in");
  w.latent_out = r.linear("latent_out");
  w.experts_gate_up = r("experts_gate_up");
  w.experts_down = r("experts_down");
  if (w.experts_gate_up == nullptr)
    for (std::int64_t e = 0; e < spec.num_experts; ++e)
      w.experts.push_back(mlp(Roles(layer, "moe.expert." + std::to_string(e))));
  w.shared = mlp(Roles(layer, "moe.shared"));
  w.shared_gate = r("shared_gate");
  return w;
}

HybridWeights hybrid(const BoundParams& layer) {
  const Roles adapter(layer, "adapter");
  const auto lora = [&](const std::string& part) {
    return LoraWeights{adapter(part + ".down"), adapter(part + ".up")};
  };
  return {Roles(layer, "hybrid")("linear"), lora("q"), lora("k"), lora("v"), lora("gate_up")};
}

LayerWeights layer_weights(const BoundParams& p, const LayerPlan& plan) {
  const Roles norm(p, "norm");
  LayerWeights w;
  w.pre_mixer_norm = norm.linear("pre_mixer");
  w.post_mixer_norm = norm.linear("post_mixer");
  w.pre_ffn_norm = norm.linear("pre_ffn");
  w.post_ffn_norm = norm.linear("post_ffn");
  w.attn = attention(Roles(p, "attn"));
  w.mamba = mamba(Roles(p, "mamba"));
  w.gdn = gated_deltanet(Roles(p, "gdn"));
  const Roles conv(p, "conv");
  w.conv = {conv.linear("in_proj"), conv.linear("conv"), conv.linear("out_proj")};
  w.rwkv = rwkv_time_mix(Roles(p, "rwkv"));
  w.rg_lru = rg_lru(Roles(p, "rg_lru"));
  w.lightning = lightning(Roles(p, "lightning"));
  w.kda = kimi_delta(Roles(p, "kda"));
  w.mla = latent_attention(Roles(p, "mla"));
  w.mlstm = mlstm(Roles(p, "mlstm"));
  w.mlp = mlp(Roles(p, "mlp"));
  if (plan.ffn.kind == FfnKind::Moe) w.moe = moe(p, plan.ffn.moe);
  w.channel_mix = rwkv_channel_mix(Roles(p, "channel_mix"));
  w.hybrid = hybrid(p);
  return w;
}

SharedBlockWeights shared_block_weights(const BoundParams& p) {
  const Roles block(p);
  return {block.linear("input_norm"), block.linear("pre_ffn_norm"), attention(Roles(p, "attn")), mlp(Roles(p, "mlp"))};
}

}  // namespace

BoundWeights bind_weights(const ModelSpec& spec, const BoundModel& bound) {
  BoundWeights w;
  const Roles model(bound.globals);
  w.embedding = model("embedding");
  w.lm_head = model("lm_head");
  w.embedding_norm = model.linear("embedding_norm");
  w.final_norm = model.linear("final_norm");
  for (std::size_t i = 0; i < spec.layers.size(); ++i)
    w.layers.push_back(layer_weights(bound.layer(i), spec.layers[i]));
  for (const auto& block : bound.shared_blocks) w.shared_blocks.push_back(shared_block_weights(block));
  return w;
}

}  // namespace hl
