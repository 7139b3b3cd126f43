#include "core/model/spec_builders.h"

#include <cmath>

#include "core/checkpoint/strict_json.h"

namespace hl::spec {

using nlohmann::json;

void read_core(const ConfigReader& r, ModelSpec& spec, const CoreDefaults& d) {
  spec.hidden_size = r.dim({"hidden_size", "d_model"}, d.hidden);
  spec.vocab_size = r.dim({"vocab_size"}, d.vocab, kMaxVocab);
  spec.max_position_embeddings =
      r.integer({"max_position_embeddings"}, d.max_positions, 0, std::int64_t{1} << 40);
  spec.tied_embeddings = r.boolean({"tie_word_embeddings", "tie_embedding"}, d.tied);
  const auto layers = r.dim({"num_hidden_layers", "n_layer"}, d.layers, kMaxLayers);
  spec.layers.resize(static_cast<std::size_t>(layers));
  for (std::size_t i = 0; i < spec.layers.size(); ++i) spec.layers[i].index = static_cast<int>(i);
}

NormSpec read_norm(const ConfigReader& r, Keys eps_keys, double default_eps, NormKind kind, bool weight_in_fp32) {
  NormSpec n;
  n.kind = kind;
  n.eps = r.number(eps_keys, default_eps);
  if (n.eps < 0) r.fail(r.field_name(eps_keys), "is negative");
  n.weight_in_fp32 = weight_in_fp32;
  return n;
}

namespace {

RopeType parse_rope_type(const ConfigReader& r, const std::string& field, const std::string& s) {
  if (s == "default") return RopeType::Default;
  if (s == "linear") return RopeType::Linear;
  if (s == "dynamic") return RopeType::Dynamic;
  if (s == "yarn") return RopeType::Yarn;
  if (s == "longrope") return RopeType::LongRope;
  if (s == "llama3") return RopeType::Llama3;
  r.fail(field, "has unsupported rope_type '" + printable(s) + "' (supported: default, linear, dynamic, yarn, "
                "longrope, llama3)");
}

// The rope parameter object that applies, or nullptr: transformers lets legacy rope_scaling override rope_parameters.
const json* rope_object(const ConfigReader& r, std::string_view layer_type, std::string& field) {
  // Olmo3Config folds a legacy rope_scaling into the full-attention entry only; sliding layers keep plain RoPE.
  const json* p = layer_type == "sliding_attention" ? nullptr : r.find({"rope_scaling"});
  field = "rope_scaling";
  if (!p) {
    p = r.find({"rope_parameters"});
    field = "rope_parameters";
  }
  if (!p) return nullptr;
  if (!p->is_object()) r.fail(field, "must be an object, found " + json_type_name(*p));
  if (!layer_type.empty()) {
    const auto it = p->find(layer_type);
    if (it != p->end()) {
      field += "." + std::string(layer_type);
      if (it->is_null()) return nullptr;
      if (!it->is_object()) r.fail(field, "must be an object, found " + json_type_name(*it));
      return &*it;
    }
  }
  // Read without a layer type (olmo_hybrid), transformers uses the top-level entries even when the saved config
  // also carries per-layer-type objects, which PreTrainedConfig adds with their own defaults.
  if (layer_type.empty() && p->contains("rope_theta")) return p;
  // A nested object for other layer types only (e.g. olmo3 read for a layer type it does not list).
  for (const auto* nested : {"full_attention", "sliding_attention"})
    if (p->contains(nested)) {
      const auto& any = (*p)[nested];
      return any.is_object() ? &any : nullptr;
    }
  return p;
}

}  // namespace

RopeSpec read_rope(const ConfigReader& r, std::int64_t head_dim, const RopeDefaults& d, std::string_view layer_type) {
  RopeSpec rope;
  std::string field;
  const json* p = rope_object(r, layer_type, field);
  const ConfigReader top = r;
  const json empty = json::object();
  const ConfigReader params(p ? *p : empty, r.label());
  // Field names inside the rope object are reported as "<rope field>.<key>".
  const auto inner = [&](std::string_view key) { return field + "." + std::string(key); };

  rope.theta = params.has({"rope_theta"}) ? params.number({"rope_theta"}, d.theta)
                                           : top.number({"rope_theta", "rotary_emb_base", "theta"}, d.theta);
  if (!(rope.theta > 0)) r.fail(p ? inner("rope_theta") : "rope_theta", "must be positive");
  rope.partial_rotary_factor =
      !d.partial_rotary                    ? 1.0
      : params.has({"partial_rotary_factor"}) ? params.number({"partial_rotary_factor"}, 1.0)
                                              : top.number({"partial_rotary_factor", "rotary_pct"}, d.partial_rotary_factor);
  if (!(rope.partial_rotary_factor > 0 && rope.partial_rotary_factor <= 1))
    r.fail("partial_rotary_factor", "is " + std::to_string(rope.partial_rotary_factor) + ", expected (0, 1]");
  rope.rotary_dim = static_cast<std::int64_t>(static_cast<double>(head_dim) * rope.partial_rotary_factor);

  const bool asked = p != nullptr || top.has({"rope_theta", "rotary_emb_base", "theta"});
  if (!d.enabled && !asked) {
    rope.type = RopeType::None;
    return rope;
  }
  std::string type = "default";
  if (p) {
    const auto* t = params.find({"rope_type", "type"});
    if (t) {
      if (!t->is_string()) r.fail(inner("rope_type"), "must be a string, found " + json_type_name(*t));
      type = t->get<std::string>();
    }
  }
  rope.type = parse_rope_type(r, p ? inner("rope_type") : "rope_type", type);
  // Olmo 3 was trained with RoPE scaling on its full-attention layers only (OLMo-core #685). A flat rope object
  // shared by every layer type therefore scales the full-attention layers and leaves sliding layers at plain RoPE.
  if (layer_type == "sliding_attention" && p != nullptr && p == r.find({"rope_parameters"})) {
    rope.type = RopeType::Default;
    return rope;
  }
  // YaRN and LongRoPE take a null (LongRoPE: also absent) factor as max_position_embeddings /
  // original_max_position_embeddings; 0 stands for that here.
  const bool derived_factor = rope.type == RopeType::Yarn || rope.type == RopeType::LongRope;
  rope.factor = derived_factor && !params.has({"factor"}) ? 0.0 : params.number({"factor"}, 1.0);
  if (!(rope.factor > 0) && !derived_factor) r.fail(inner("factor"), "must be positive");
  // standardize_rope_params fills a missing value from max_position_embeddings; a top-level
  // original_max_position_embeddings counts only for config classes that declare it (Phi-3), none of ours.
  rope.original_max_position_embeddings =
      params.integer({"original_max_position_embeddings"},
                     top.integer({"max_position_embeddings"}, 0, 0, std::int64_t{1} << 40), 0, std::int64_t{1} << 40);
  rope.low_freq_factor = params.number({"low_freq_factor"}, 1.0);
  rope.high_freq_factor = params.number({"high_freq_factor"}, 4.0);
  if (rope.type == RopeType::Llama3 && !(rope.high_freq_factor > rope.low_freq_factor))
    r.fail(inner("high_freq_factor"), "must be greater than low_freq_factor");
  rope.beta_fast = params.number({"beta_fast"}, 32.0);
  rope.beta_slow = params.number({"beta_slow"}, 1.0);
  if (params.has({"attention_factor"})) rope.attention_factor = params.number({"attention_factor"}, 1.0);
  if (params.has({"mscale"})) rope.mscale = params.number({"mscale"}, 1.0);
  if (params.has({"mscale_all_dim"})) rope.mscale_all_dim = params.number({"mscale_all_dim"}, 0.0);
  // _compute_yarn_parameters reads `truncate` from the top level of rope_parameters even when the other YaRN fields
  // come from a per-layer-type entry (Olmo 3): a nested entry's own `truncate` is ignored.
  const bool nested = field.find('.') != std::string::npos;
  if (!nested) {
    rope.truncate = params.boolean({"truncate"}, true);
  } else if (const json* root_rope = r.find({"rope_parameters"}); root_rope && root_rope->is_object()) {
    rope.truncate = ConfigReader(*root_rope, r.label()).boolean({"truncate"}, true);
  }
  rope.short_factor = params.number_list({"short_factor"});
  rope.long_factor = params.number_list({"long_factor"});
  return rope;
}

AttentionSpec read_attention(const ConfigReader& r, std::int64_t hidden, const AttentionDefaults& d,
                             std::string_view layer_type) {
  AttentionSpec a;
  a.num_heads = r.dim({"num_attention_heads", "n_head"}, d.heads);
  a.num_kv_heads = r.dim({"num_key_value_heads"}, d.kv_heads.value_or(a.num_heads));
  if (a.num_kv_heads > a.num_heads || a.num_heads % a.num_kv_heads != 0)
    r.fail("num_key_value_heads", "is " + std::to_string(a.num_kv_heads) + ", which does not divide " +
                                      "num_attention_heads " + std::to_string(a.num_heads));
  if (d.ignore_head_dim) {
    a.head_dim = hidden / a.num_heads;
    if (a.head_dim == 0) r.fail("num_attention_heads", "is larger than hidden_size");
  } else if (r.has({"head_dim"}) || d.head_dim) {
    a.head_dim = r.dim({"head_dim"}, d.head_dim);
  } else {
    if (hidden % a.num_heads != 0)
      r.fail("num_attention_heads", "is " + std::to_string(a.num_heads) + ", which does not divide hidden_size " +
                                        std::to_string(hidden));
    a.head_dim = hidden / a.num_heads;
  }
  a.input_dim = hidden;
  a.output_dim = hidden;
  a.qkv_bias = r.boolean({"attention_bias"}, d.bias);
  a.o_bias = a.qkv_bias;
  a.softmax_scale = 1.0 / std::sqrt(static_cast<double>(a.head_dim));
  a.rope = read_rope(r, a.head_dim, d.rope, layer_type);
  return a;
}

Activation parse_activation(const ConfigReader& r, Keys keys, const std::string& fallback) {
  const auto s = r.string(keys, fallback);
  if (const auto a = activation_from_hf_name(s)) return *a;
  r.fail(r.field_name(keys), "has unsupported activation '" + printable(s) + "'");
}

MlpSpec read_mlp(const ConfigReader& r, Keys intermediate_keys, Keys act_keys, const MlpDefaults& d) {
  MlpSpec m;
  m.intermediate = r.dim(intermediate_keys, d.intermediate);
  m.activation = parse_activation(r, act_keys, d.activation);
  m.gated = d.gated;
  m.bias = r.boolean({"mlp_bias"}, d.bias);
  return m;
}

namespace {

void read_dt_limit(const ConfigReader& r, Mamba2Spec& m, double default_min) {
  m.dt_min = default_min;
  const auto* v = r.find({"mamba_dt_limit", "time_step_limit"});
  if (!v) return;
  const auto field = r.field_name({"mamba_dt_limit", "time_step_limit"});
  if (!v->is_array() || v->size() != 2) r.fail(field, "must be a pair [min, max]");
  // Python writes infinity as bare Infinity (made a string by config_parser) or, in transformers 5,
  // as {"__float__": "Infinity"}.
  const auto get = [&](const json& e, double inf) {
    if (e.is_number()) return e.get<double>();
    const json* text = &e;
    if (e.is_object() && e.size() == 1 && e.contains("__float__")) text = &e["__float__"];
    if (text->is_string()) {
      const auto& word = text->get_ref<const std::string&>();
      if (word == "Infinity" || word == "inf") return inf;
      if (word == "-Infinity" || word == "-inf") return -inf;
    }
    r.fail(field, "must contain numbers");
  };
  m.dt_min = get((*v)[0], 0.0);
  m.dt_max = get((*v)[1], std::numeric_limits<double>::infinity());
  if (std::isnan(m.dt_min) || std::isnan(m.dt_max) || m.dt_min > m.dt_max) r.fail(field, "must satisfy min ≤ max");
}

}  // namespace

Mamba2Spec read_mamba2(const ConfigReader& r, std::int64_t hidden, const Mamba2Defaults& d, Keys head_dim_keys,
                       Keys heads_keys) {
  Mamba2Spec m;
  m.n_heads = r.dim(heads_keys, d.heads);
  m.d_state = r.dim({"mamba_d_state", "ssm_state_size", "state_size"}, d.state);
  m.n_groups = r.dim({"mamba_n_groups", "n_groups", "mamba_ngroups"}, d.groups);
  m.conv_kernel = r.dim({"mamba_d_conv", "conv_kernel"}, d.conv);
  m.chunk_size = r.dim({"mamba_chunk_size", "chunk_size"}, d.chunk, kMaxScanChunk);
  const auto expand = r.dim({"mamba_expand", "expand"}, d.expand);
  m.d_inner = d.d_inner ? *d.d_inner : checked_product(expand, hidden, r.label() + ": mamba_expand × hidden_size");
  if (m.d_inner > kMaxDimension) r.fail("mamba_expand", "gives d_inner " + std::to_string(m.d_inner) + ", too large");
  const auto explicit_head_dim = r.dim_or_auto(head_dim_keys);
  if (explicit_head_dim || d.head_dim) {
    m.head_dim = explicit_head_dim ? *explicit_head_dim : *d.head_dim;
  } else {
    if (m.d_inner % m.n_heads != 0)
      r.fail(r.field_name(heads_keys), "is " + std::to_string(m.n_heads) + ", which does not divide d_inner " +
                                            std::to_string(m.d_inner));
    m.head_dim = m.d_inner / m.n_heads;
  }
  if (m.n_heads * m.head_dim != m.d_inner)
    r.fail(r.field_name(heads_keys), "× head dim (" + std::to_string(m.n_heads) + " × " + std::to_string(m.head_dim) +
                                         ") does not equal d_inner " + std::to_string(m.d_inner));
  if (m.n_heads % m.n_groups != 0)
    r.fail(r.field_name({"mamba_n_groups", "n_groups", "mamba_ngroups"}),
           "is " + std::to_string(m.n_groups) + ", which does not divide the " + std::to_string(m.n_heads) +
               " Mamba heads");
  m.conv_bias = r.boolean({"mamba_conv_bias", "use_conv_bias"}, d.conv_bias);
  m.in_proj_bias = m.out_proj_bias = d.proj_bias;
  read_dt_limit(r, m, d.dt_min);
  m.time_step_floor = r.number({"mamba_dt_init_floor", "time_step_floor"}, 1e-4);
  m.gated_norm = d.gated_norm;
  m.norm_group_size = m.d_inner / m.n_groups;
  m.norm_eps = d.norm_eps;
  m.conv_activation = parse_activation(r, {"mamba_hidden_act", "hidden_act"}, "silu");
  return m;
}

Mamba1Spec read_mamba1(const ConfigReader& r, std::int64_t hidden) {
  Mamba1Spec m;
  m.d_state = r.dim({"mamba_d_state", "state_size"}, 16);
  m.conv_kernel = r.dim({"mamba_d_conv", "conv_kernel"}, 4);
  const auto expand = r.dim({"mamba_expand", "expand"}, 2);
  m.d_inner = checked_product(expand, hidden, r.label() + ": expand × hidden_size");
  if (m.d_inner > kMaxDimension) r.fail("expand", "gives d_inner " + std::to_string(m.d_inner) + ", too large");
  const auto rank = r.dim_or_auto({"mamba_dt_rank", "time_step_rank"});
  m.dt_rank = rank ? *rank : (hidden + 15) / 16;  // "auto" = ceil(hidden / 16)
  m.conv_bias = r.boolean({"mamba_conv_bias", "use_conv_bias"}, true);
  m.proj_bias = r.boolean({"mamba_proj_bias", "use_bias"}, false);
  m.time_step_floor = r.number({"time_step_floor"}, 1e-4);
  m.conv_activation = parse_activation(r, {"hidden_act"}, "silu");
  return m;
}

std::vector<MixerKind> mixer_kinds(const ConfigReader& r, std::string_view field, const std::vector<std::string>& types,
                                   const std::vector<KindAlias>& aliases) {
  std::vector<MixerKind> out;
  for (const auto& t : types) {
    bool found = false;
    for (const auto& a : aliases)
      if (a.name == t) {
        out.push_back(a.kind);
        found = true;
        break;
      }
    if (!found) {
      std::string allowed;
      for (const auto& a : aliases) allowed += (allowed.empty() ? "" : ", ") + std::string(a.name);
      r.fail(field, "has unknown layer type '" + printable(t) + "' (expected one of: " + allowed + ")");
    }
  }
  return out;
}

void check_grouped_routing(const ConfigReader& r, const MoeSpec& moe, std::string_view group_field,
                           std::string_view top_k_field) {
  if (moe.num_experts % moe.n_group != 0 || moe.topk_group > moe.n_group)
    r.fail(group_field, "is " + std::to_string(moe.n_group) + ", which must divide the " +
                            std::to_string(moe.num_experts) + " experts and be ≥ topk_group " +
                            std::to_string(moe.topk_group));
  const std::int64_t reachable = moe.topk_group * (moe.num_experts / moe.n_group);
  if (moe.top_k > reachable)
    r.fail(top_k_field, "is " + std::to_string(moe.top_k) + ", more than the " + std::to_string(reachable) +
                            " experts of topk_group " + std::to_string(moe.topk_group) + " of " +
                            std::to_string(moe.n_group) + " groups (transformers would then pick experts outside "
                            "the chosen groups in no defined order)");
}

void check_layer_indices(const ConfigReader& r, Keys field, const std::vector<std::int64_t>& indices, std::int64_t n) {
  for (auto i : indices)
    if (i < 0 || i >= n)
      r.fail(r.field_name(field), "contains layer " + std::to_string(i) + ", expected 0.." + std::to_string(n - 1));
}

}  // namespace hl::spec
