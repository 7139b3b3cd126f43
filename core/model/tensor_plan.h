#pragma once
// Every tensor a ModelSpec needs: canonical role (family-independent, what the engine asks for), the checkpoint
// name(s) it may be stored under, and the exact expected shape. Derived from the spec alone (names are data in
// the spec), so one function serves all families.
//
// Roles (per layer unless noted; ".bias" appended for biases):
//   norm.pre_mixer  norm.post_mixer  norm.pre_ffn  norm.post_ffn
//   attn.q attn.k attn.v attn.o | attn.qkv (fused, gpt_neox) | attn.q_norm attn.k_norm
//   mamba.in_proj mamba.conv mamba.out_proj mamba.A_log mamba.D          (Mamba1 and Mamba2)
//   mamba.x_proj mamba.dt_proj mamba.dt_proj.bias mamba.dt_norm mamba.b_norm mamba.c_norm   (Mamba1)
//   mamba.dt_bias mamba.norm                                              (Mamba2)
//   gdn.in_proj_qkvz gdn.in_proj_ba gdn.conv                              (Qwen3-Next layout)
//   gdn.q_proj gdn.k_proj gdn.v_proj gdn.a_proj gdn.b_proj gdn.g_proj gdn.q_conv gdn.k_conv gdn.v_conv (OLMo Hybrid)
//   gdn.A_log gdn.dt_bias gdn.norm gdn.out_proj
//   conv.in_proj conv.conv conv.out_proj                                  (short conv)
//   rwkv.{time_mix_key,time_mix_value,time_mix_receptance,key,value,receptance,time_decay,time_first,output}
//   channel_mix.{time_mix_key,time_mix_receptance,key,receptance,value}   (RWKV-4)
//   rg_lru.{linear_x,linear_y,conv,input_gate,recurrent_gate,recurrent_param,linear_out}  (Griffin)
//   lightning.{qkv,output_gate,norm,out_proj} + buffers lightning.{slope_rate,query_decay,key_decay,diagonal_decay}
//   mlp.gate mlp.up mlp.down | mlp.gate_up (fused [gate; up])
//   moe.router moe.router_bias moe.expert.<e>.{gate,up,down} | moe.experts_gate_up [E,2I,d] moe.experts_down [E,d,I]
//   moe.shared.{gate,up,down,gate_up} moe.shared_gate
//   zamba2 hybrid layers: hybrid.linear, adapter.{q,k,v}.{down,up}, adapter.gate_up.{down,up}
//   shared blocks (SharedBlockSpec): input_norm attn.q attn.k attn.v attn.o pre_ffn_norm mlp.gate_up mlp.down
//   model: embedding final_norm final_norm.bias lm_head
#include <string>
#include <vector>

#include "core/checkpoint/tensor_view.h"
#include "core/model/model_spec.h"

namespace hl {

struct TensorRequirement {
  std::string role;
  std::vector<std::string> names;  // candidates, first found wins
  Shape shape;                     // empty when only the group total is checked (see concat_group)
  bool allow_f32 = false;          // small state parameters (A_log, D, dt_bias, router bias) may be stored in F32
  // A buffer, not a parameter, that transformers recomputes when the checkpoint lacks it and otherwise loads (MiniMax
  // decays): bound when present, not counted as a parameter.
  bool optional_buffer = false;
  // OLMo Hybrid q/k/v convs: transformers concatenates them on load, and its own save splits the concatenation
  // evenly, so only the channel total (concat_channels) and the kernel width are fixed.
  std::string concat_group;
  std::int64_t concat_channels = 0;
};

std::vector<TensorRequirement> model_requirements(const ModelSpec& spec);  // embedding, final norm, lm_head
std::vector<TensorRequirement> layer_requirements(const ModelSpec& spec, const LayerPlan& layer);
// Zamba2: the shared block's weights relative to "shared_transformer." (resolved against the block's layers).
std::vector<TensorRequirement> shared_block_requirements(const ModelSpec& spec, const SharedBlockSpec& block);

}  // namespace hl
