// One test per fixture family: the plan parsed from the fixture's config.json (layer kinds in order, key dims,
// options) and its binding against the fixture's model.safetensors (every tensor present with the right shape,
// nothing unused, parameter count equal to MANIFEST.json's num_parameters).
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/checkpoint/checkpoint.h"
#include "core/model/config_parser.h"
#include "core/model/layer_pattern.h"
#include "core/model/model_binding.h"
#include "core/model/weight_sharing.h"

namespace fs = std::filesystem;

namespace {

const fs::path kFixtures = fs::path(HL_TEST_DATA_DIR) / "fixtures";

nlohmann::json read_json(const fs::path& p) {
  std::ifstream in(p);
  return nlohmann::json::parse(in);
}

struct Fixture {
  explicit Fixture(const std::string& family)
      : dir(kFixtures / "models" / family),
        config(read_json(dir / "config.json")),
        plan(hl::open_model_plan(dir)),
        checkpoint(plan.checkpoint),
        warnings(plan.warnings),
        spec(plan.spec),
        bound(hl::BoundModel::bind(spec, checkpoint)) {
    warnings.insert(warnings.end(), bound.warnings.begin(), bound.warnings.end());
  }

  std::int64_t parameters() const {
    std::int64_t n = bound.globals.get("embedding").numel();
    if (!spec.tied_embeddings) n += bound.globals.get("lm_head").numel();
    for (const auto& [role, v] : bound.globals.all())
      if (role.rfind("final_norm", 0) == 0 || role.rfind("embedding_norm", 0) == 0) n += v.numel();
    for (const auto& l : bound.layers) n += l.parameter_count();
    for (const auto& b : bound.shared_blocks) n += b.parameter_count();
    return n;
  }

  std::int64_t manifest_parameters() const {
    return read_json(kFixtures / "MANIFEST.json")["families"][dir.filename().string()]["num_parameters"];
  }

  // Common checks: the model binds completely, and its size matches the manifest.
  void check_binding(std::int64_t buffers_not_in_manifest = 0) const {
    CHECK(bound.unused_tensors.empty());
    CHECK(warnings.empty());
    CHECK(parameters() == manifest_parameters() + buffers_not_in_manifest);
    CHECK(spec.hidden_size == config["hidden_size"]);
    CHECK(spec.vocab_size == config["vocab_size"]);
    CHECK(spec.tied_embeddings == config["tie_word_embeddings"]);
    CHECK(bound.globals.get("lm_head").data ==
          (spec.tied_embeddings ? bound.globals.get("embedding").data : checkpoint.find(spec.names.lm_head)->data));
  }

  const hl::AttentionSpec& attention(std::size_t layer) const { return spec.layers.at(layer).mixer.attention; }

  fs::path dir;
  nlohmann::json config;
  hl::ModelPlan plan;
  const hl::Checkpoint& checkpoint;
  std::vector<std::string> warnings;  // resolve_weight_sharing's, then the binding's
  hl::ModelSpec spec;
  hl::BoundModel bound;
};

void check_attention_dims(const hl::AttentionSpec& a, const nlohmann::json& c) {
  CHECK(a.num_heads == c["num_attention_heads"]);
  CHECK(a.num_kv_heads == c.value("num_key_value_heads", c["num_attention_heads"].get<int>()));
}

}  // namespace

TEST_CASE("family llama", "[families]") {
  for (const char* name : {"llama", "llama_fp16", "llama_fp32"}) {
    INFO(name);
    const Fixture f(name);
    f.check_binding();
    CHECK(hl::mixer_pattern(f.spec) == "AA");
    CHECK(hl::ffn_pattern(f.spec) == "FF");
    check_attention_dims(f.attention(0), f.config);
    CHECK(f.attention(0).head_dim == 16);
    CHECK(f.attention(0).rope.type == hl::RopeType::Default);
    CHECK(f.attention(0).rope.theta == 10000.0);
    CHECK(f.spec.layers[0].ffn.mlp.intermediate == 160);
    CHECK(f.spec.layers[0].norm_placement == hl::NormPlacement::PreNorm);
    CHECK(f.spec.norm.eps == 1e-5);
  }
  CHECK(Fixture("llama_fp16").bound.dtype == hl::DType::F16);
  CHECK(Fixture("llama_fp32").bound.dtype == hl::DType::F32);
}

TEST_CASE("family qwen2", "[families]") {
  const Fixture f("qwen2");
  f.check_binding();
  CHECK(hl::mixer_pattern(f.spec) == "AAA");
  CHECK(f.attention(0).qkv_bias);
  CHECK_FALSE(f.attention(0).o_bias);
  CHECK(f.attention(0).rope.theta == 1000000.0);
  CHECK(f.bound.layer(0).get("attn.q.bias").shape == hl::Shape{64});
}

TEST_CASE("family qwen3", "[families]") {
  const Fixture f("qwen3");
  f.check_binding();
  CHECK(hl::mixer_pattern(f.spec) == "AA");
  CHECK(f.attention(1).head_dim == 24);  // explicit head_dim, not hidden / heads
  CHECK(f.attention(1).qk_norm == hl::QkNormScope::PerHead);
  CHECK(f.bound.layer(1).get("attn.q").shape == hl::Shape{96, 64});
}

TEST_CASE("family olmo2", "[families]") {
  const Fixture f("olmo2");
  f.check_binding();
  CHECK(hl::mixer_pattern(f.spec) == "AA");
  CHECK(f.spec.layers[0].norm_placement == hl::NormPlacement::PostNorm);
  CHECK(f.spec.layers[0].pre_mixer_norm.empty());
  CHECK(f.attention(0).qk_norm == hl::QkNormScope::FullProjection);
  CHECK(f.bound.layer(0).get("attn.k_norm").shape == hl::Shape{32});
  CHECK(f.spec.norm.weight_in_fp32);
  CHECK(f.attention(0).rope.theta == 500000.0);
}

TEST_CASE("family olmo3", "[families]") {
  const Fixture f("olmo3");
  f.check_binding();
  CHECK(hl::mixer_pattern(f.spec) == "SSSA");
  CHECK(f.attention(0).sliding_window == 24);
  CHECK(f.attention(3).sliding_window == 0);
  CHECK(f.spec.layers[0].mixer.kind == hl::MixerKind::SlidingAttention);
  CHECK(f.attention(3).rope.theta == 500000.0);
  CHECK(f.spec.layers[3].norm_placement == hl::NormPlacement::PostNorm);
}

TEST_CASE("family gpt_neox", "[families]") {
  const Fixture f("gpt_neox");
  f.check_binding();
  CHECK(hl::mixer_pattern(f.spec) == "AA");
  CHECK(f.spec.norm.kind == hl::NormKind::LayerNorm);
  CHECK(f.spec.layers[0].parallel_residual);
  CHECK(f.attention(0).fused_qkv_interleaved);
  CHECK(f.attention(0).rope.rotary_dim == 8);  // head_dim 16 × partial_rotary_factor 0.5
  CHECK(f.bound.layer(0).get("attn.qkv").shape == hl::Shape{192, 64});
  CHECK(f.spec.layers[0].ffn.mlp.activation == hl::Activation::GELU);
  CHECK_FALSE(f.spec.layers[0].ffn.mlp.gated);
  CHECK(f.bound.globals.get("final_norm.bias").shape == hl::Shape{64});
}

TEST_CASE("family granite", "[families]") {
  const Fixture f("granite");
  f.check_binding();
  CHECK(f.spec.multipliers.embedding == 3.0);
  CHECK(f.spec.multipliers.residual == 0.6);
  CHECK(f.spec.multipliers.logits_divisor == 2.5);
  CHECK(f.attention(0).softmax_scale == 0.09);
}

TEST_CASE("family mamba and falcon_mamba", "[families]") {
  for (const char* name : {"mamba", "falcon_mamba"}) {
    INFO(name);
    const Fixture f(name);
    f.check_binding();
    CHECK(hl::mixer_pattern(f.spec) == "mm");
    CHECK(hl::ffn_pattern(f.spec) == "..");
    const auto& m = f.spec.layers[0].mixer.mamba1;
    CHECK(m.d_inner == 128);
    CHECK(m.d_state == 8);
    CHECK(m.dt_rank == 4);
    CHECK(m.conv_kernel == 4);
    CHECK(f.spec.residual_in_fp32);
    CHECK(f.bound.layer(1).get("mamba.A_log").shape == hl::Shape{128, 8});
    CHECK(m.dt_bc_norm == (std::string(name) == "mamba" ? hl::Mamba1Spec::DtBcNorm::None
                                                         : hl::Mamba1Spec::DtBcNorm::Unweighted));
  }
}

TEST_CASE("family mamba2", "[families]") {
  const Fixture f("mamba2");
  f.check_binding();
  CHECK(hl::mixer_pattern(f.spec) == "MM");
  const auto& m = f.spec.layers[0].mixer.mamba2;
  CHECK(m.n_heads == 8);
  CHECK(m.head_dim == 16);
  CHECK(m.n_groups == 2);
  CHECK(m.d_state == 16);
  CHECK(m.chunk_size == 32);
  CHECK(m.norm_group_size == 64);
  CHECK(m.dt_min == 0.0);
  CHECK(std::isinf(m.dt_max));
  CHECK(f.bound.layer(0).get("mamba.in_proj").shape == hl::Shape{2 * 128 + 2 * 2 * 16 + 8, 64});
}

TEST_CASE("family bamba", "[families]") {
  const Fixture f("bamba");
  f.check_binding();
  CHECK(hl::mixer_pattern(f.spec) == "MAMM");
  CHECK(hl::ffn_pattern(f.spec) == "FFFF");
  CHECK(f.attention(1).rope.partial_rotary_factor == 0.5);
  CHECK(f.attention(1).rope.rotary_dim == 8);
  CHECK(f.spec.layers[0].mixer.mamba2.n_groups == 2);
  CHECK(f.spec.layers[0].pre_ffn_norm == "pre_ff_layernorm");
}

TEST_CASE("family nemotron_h", "[families]") {
  const Fixture f("nemotron_h");
  f.check_binding(4);  // gate.e_score_correction_bias is a buffer, not counted by num_parameters
  CHECK(hl::mixer_pattern(f.spec) == "MA-EM-");
  CHECK(hl::ffn_pattern(f.spec) == "..FE.F");
  CHECK(f.attention(1).rope.type == hl::RopeType::None);
  CHECK(f.attention(1).head_dim == 16);
  const auto& m = f.spec.layers[0].mixer.mamba2;
  CHECK(m.d_inner == 128);
  CHECK(m.norm_group_size == 64);
  CHECK(m.dt_min == 0.001);  // NemotronH clamps dt to (time_step_min, inf)
  const auto& moe = f.spec.layers[3].ffn.moe;
  CHECK(moe.router == hl::RouterKind::SigmoidGroupedTopK);
  CHECK(moe.routed_scaling_factor == 1.7);
  CHECK(moe.shared_intermediate == 96);
  CHECK(f.spec.layers[2].ffn.mlp.activation == hl::Activation::ReLU2);
  CHECK(f.bound.layer(3).get("moe.expert.3.up").shape == hl::Shape{64, 64});
  CHECK(f.bound.layer(3).get("moe.router_bias").shape == hl::Shape{4});
}

TEST_CASE("family granitemoehybrid", "[families]") {
  const Fixture f("granitemoehybrid");
  f.check_binding();
  CHECK(hl::mixer_pattern(f.spec) == "MAMM");
  CHECK(hl::ffn_pattern(f.spec) == "EEEE");
  CHECK(f.attention(1).rope.type == hl::RopeType::None);
  CHECK(f.attention(1).softmax_scale == 0.11);
  CHECK(f.spec.multipliers.logits_divisor == 3.0);
  const auto& moe = f.spec.layers[0].ffn.moe;
  CHECK(moe.router == hl::RouterKind::TopKSoftmax);
  CHECK(moe.shared_intermediate == 96);
  CHECK(f.bound.layer(0).get("moe.experts_gate_up").shape == hl::Shape{4, 128, 64});
  CHECK(f.bound.layer(0).get("moe.shared.gate_up").shape == hl::Shape{192, 64});
}

TEST_CASE("family olmo_hybrid", "[families]") {
  const Fixture f("olmo_hybrid");
  f.check_binding();
  CHECK(hl::mixer_pattern(f.spec) == "GGGA");
  const auto& g = f.spec.layers[0].mixer.gdn;
  CHECK(g.num_key_heads == 2);
  CHECK(g.num_value_heads == 4);
  CHECK(g.key_head_dim == 16);
  CHECK(g.value_head_dim == 24);
  CHECK(g.projections == hl::GatedDeltaNetSpec::Projections::Separate);
  CHECK(g.allow_neg_eigval);
  CHECK(f.spec.layers[0].norm_placement == hl::NormPlacement::PreNorm);
  CHECK(f.spec.layers[3].norm_placement == hl::NormPlacement::PostNorm);
  CHECK(f.attention(3).qk_norm == hl::QkNormScope::FullProjection);
  // The three convs together cover 2·Kd + Vd channels whatever the split.
  const auto& l0 = f.bound.layer(0);
  CHECK(l0.get("gdn.q_conv").shape[0] + l0.get("gdn.k_conv").shape[0] + l0.get("gdn.v_conv").shape[0] == 160);
}

TEST_CASE("family qwen3_next", "[families]") {
  const Fixture f("qwen3_next");
  f.check_binding();
  CHECK(hl::mixer_pattern(f.spec) == "GAGA");
  CHECK(hl::ffn_pattern(f.spec) == "EEFE");  // mlp_only_layers [2]
  CHECK(f.spec.norm.kind == hl::NormKind::RMSNormOnePlus);
  CHECK(f.attention(1).output_gate);
  CHECK(f.attention(1).rope.rotary_dim == 4);
  CHECK(f.bound.layer(1).get("attn.q").shape == hl::Shape{128, 64});
  const auto& moe = f.spec.layers[0].ffn.moe;
  CHECK(moe.renormalize);
  CHECK(moe.shared_gated_by_sigmoid);
  CHECK(moe.expert_intermediate == 48);
  CHECK(f.bound.layer(0).get("gdn.in_proj_qkvz").shape == hl::Shape{2 * 32 + 2 * 64, 64});
}

TEST_CASE("family falcon_h1", "[families]") {
  const Fixture f("falcon_h1");
  f.check_binding();
  CHECK(hl::mixer_pattern(f.spec) == "PP");
  const auto& m = f.spec.multipliers;
  CHECK(m.embedding == 2.5);
  CHECK(m.lm_head == 0.4);
  CHECK(m.key == 0.7);
  CHECK(m.attention_in == 1.2);
  CHECK(m.attention_out == 0.9);
  CHECK(m.ssm_in == 1.1);
  CHECK(m.ssm_out == 0.85);
  CHECK(m.ssm_segments == std::vector<double>{0.5, 1.4, 0.6, 1.5, 0.75});
  CHECK(m.mlp_gate == 0.8);
  CHECK(m.mlp_down == 1.3);
  const auto& mamba = f.spec.layers[0].mixer.mamba2;
  CHECK(mamba.d_inner == 128);
  CHECK(mamba.gated_norm == hl::GatedNormKind::GateThenNorm);
  CHECK(f.attention(0).rope.theta == 100000.0);
}

TEST_CASE("family jamba", "[families]") {
  const Fixture f("jamba");
  f.check_binding();
  CHECK(hl::mixer_pattern(f.spec) == "mmAm");
  CHECK(hl::ffn_pattern(f.spec) == "FEFE");
  CHECK(f.spec.layers[0].mixer.mamba1.dt_bc_norm == hl::Mamba1Spec::DtBcNorm::Learned);
  CHECK(f.attention(2).rope.type == hl::RopeType::None);
  CHECK(f.spec.layers[1].ffn.moe.router == hl::RouterKind::SoftmaxTopK);
  CHECK_FALSE(f.spec.layers[1].ffn.moe.renormalize);
}

TEST_CASE("family zamba2", "[families]") {
  const Fixture f("zamba2");
  f.check_binding();
  CHECK(hl::mixer_pattern(f.spec) == "MHMHMH");
  REQUIRE(f.spec.shared_blocks.size() == 2);
  CHECK(f.spec.shared_blocks[0].layers == std::vector<int>{1, 5});
  CHECK(f.spec.shared_blocks[1].layers == std::vector<int>{3});
  CHECK(f.spec.layers[5].shared_block == 0);
  CHECK(f.spec.layers[5].adapter_index == 2);
  const auto& a = f.spec.shared_blocks[0].attention;
  CHECK(a.input_dim == 128);
  CHECK(a.head_dim == 32);
  CHECK(a.softmax_scale == Approx(1.0 / std::sqrt(16.0)));
  CHECK(a.rope.type == hl::RopeType::Default);
  CHECK(f.spec.layers[0].mixer.mamba2.n_groups == 2);
  // Layer 5 reuses block 0's weights, stored once under layer 1.
  CHECK(f.bound.shared_block(0).get("attn.q").name == "model.layers.1.shared_transformer.self_attn.q_proj.weight");
  CHECK(f.bound.layer(5).get("adapter.q.down").name ==
        "model.layers.1.shared_transformer.self_attn.linear_q_adapter_list.2.0.weight");
}

// Config variants (docs/checkpoints.md): what the config switches, and what the checkpoint decides.
TEST_CASE("variant olmo_hybrid_nope: attention without RoPE", "[families]") {
  const Fixture f("olmo_hybrid_nope");
  f.check_binding();
  CHECK(f.attention(3).rope.type == hl::RopeType::None);
}

TEST_CASE("variant zamba2_nope: use_mem_rope false", "[families]") {
  const Fixture f("zamba2_nope");
  f.check_binding();
  CHECK(f.spec.shared_blocks.at(0).attention.rope.type == hl::RopeType::None);
}

TEST_CASE("variant zamba2_untied: every hybrid layer reads its own shared-block copy", "[families]") {
  const Fixture f("zamba2_untied");
  CHECK(f.warnings.empty());
  CHECK(f.bound.unused_tensors.empty());  // the other layers' adapters in a copy are inert, in transformers too
  CHECK_FALSE(f.spec.tied_embeddings);
  CHECK(f.bound.globals.get("lm_head").name == "lm_head.weight");
  REQUIRE(f.spec.shared_blocks.size() == 3);
  CHECK(f.spec.shared_blocks[0].layers == std::vector<int>{1});
  CHECK(f.spec.shared_blocks[2].layers == std::vector<int>{5});
  CHECK(f.spec.layers[5].shared_block == 2);
  CHECK(f.spec.layers[5].adapter_index == 2);
  CHECK(f.bound.shared_block(2).get("attn.q").name == "model.layers.5.shared_transformer.self_attn.q_proj.weight");
  CHECK(f.bound.layer(5).get("adapter.q.down").name ==
        "model.layers.5.shared_transformer.self_attn.linear_q_adapter_list.2.0.weight");
}

TEST_CASE("variant nemotron_h_tied: a stored lm_head that differs is used, with one warning", "[families]") {
  const Fixture f("nemotron_h_tied");
  CHECK(f.config["tie_word_embeddings"] == true);
  CHECK_FALSE(f.spec.tied_embeddings);
  CHECK(f.bound.globals.get("lm_head").name == "lm_head.weight");
  CHECK(f.bound.unused_tensors.empty());
  REQUIRE(f.warnings.size() == 1);
  CHECK(f.warnings[0] == "tie_word_embeddings is true but the checkpoint stores a different 'lm_head.weight'; "
                         "it is used, as transformers does");
}

TEST_CASE("variant nemotron_h_latent: experts between the latent projections, biases where mlp_bias puts them",
          "[families]") {
  const Fixture f("nemotron_h_latent");
  f.check_binding(4);  // gate.e_score_correction_bias is a buffer, not counted by num_parameters
  const auto& moe = f.spec.layers[3].ffn.moe;
  CHECK(moe.latent_size == 32);
  CHECK(moe.latent_bias);
  CHECK_FALSE(moe.expert.bias);
  CHECK(moe.shared.bias);
  CHECK(f.bound.layer(3).get("moe.latent_in").shape == hl::Shape{32, 64});
  CHECK(f.bound.layer(3).get("moe.latent_out.bias").shape == hl::Shape{64});
  CHECK(f.bound.layer(3).get("moe.expert.0.up").shape == hl::Shape{64, 32});
}

TEST_CASE("variant falcon_h1_projectors_bias: the Mamba out_proj bias is bound", "[families]") {
  const Fixture f("falcon_h1_projectors_bias");
  f.check_binding();
  CHECK(f.bound.layer(0).get("mamba.out_proj.bias").shape == hl::Shape{64});
  CHECK(f.bound.layer(0).find("mamba.in_proj.bias") == nullptr);
}

TEST_CASE("family qwen3_5: image-text and text-only layouts", "[families]") {
  for (const char* name : {"qwen3_5", "qwen3_5_text", "qwen3_5_moe", "qwen3_5_moe_text"}) {
    INFO(name);
    const Fixture f(name);
    const bool image_text = f.config.contains("text_config");
    // The vision tower's tensors are neither bound nor reported: num_parameters counts the language model only
    // when transformers scores it through AutoModelForCausalLM.
    CHECK(f.bound.unused_tensors.empty());
    CHECK(f.warnings.empty());
    CHECK(f.spec.names.layer_prefix == (image_text ? "model.language_model.layers." : "model.layers."));
    const auto& text = image_text ? f.config["text_config"] : f.config;
    CHECK(f.spec.hidden_size == text["hidden_size"]);
    CHECK(f.spec.tied_embeddings == text["tie_word_embeddings"]);
    int gdn = 0;
    for (const auto& l : f.spec.layers)
      if (l.mixer.kind == hl::MixerKind::GatedDeltaNet) {
        ++gdn;
        CHECK(l.mixer.gdn.projections == hl::GatedDeltaNetSpec::Projections::SplitQkv);
        CHECK(f.bound.layer(static_cast<std::size_t>(l.index)).get("gdn.in_proj_qkv").shape ==
              hl::Shape{2 * 32 + 96, 64});
      }
    CHECK(gdn >= 2);
    const bool moe = std::string(name).find("moe") != std::string::npos;
    for (const auto& l : f.spec.layers) {
      CHECK(l.ffn.kind == (moe ? hl::FfnKind::Moe : hl::FfnKind::Mlp));
      if (moe) CHECK(l.ffn.moe.renormalize);
    }
  }
}

TEST_CASE("family zamba (v1)", "[families]") {
  const Fixture f("zamba");
  f.check_binding();
  CHECK(hl::mixer_pattern(f.spec) == "mHmmHm");
  const auto& m = f.spec.layers[0].mixer.mamba1;
  CHECK(m.heads == 2);
  CHECK(m.interleaved_in_proj);
  CHECK(m.dt_rank == 4);  // ceil(64 / 16)
  REQUIRE(f.spec.shared_blocks.size() == 1);
  const auto& b = f.spec.shared_blocks[0];
  CHECK(b.layers == std::vector<int>{1, 4});
  CHECK(b.module == "shared_transf");
  CHECK_FALSE(b.mlp_adapters);
  CHECK(b.attention.rope.type == hl::RopeType::None);
  CHECK(b.attention.num_kv_heads == 2);
  CHECK(b.attention.softmax_scale == Approx(1.0 / std::sqrt(16.0)));
  CHECK(f.bound.layer(0).get("mamba.x_proj").shape == hl::Shape{2, 4 + 16, 64});
  CHECK(f.bound.shared_block(0).get("attn.q").name == "model.layers.1.shared_transf.self_attn.q_proj.weight");
}

TEST_CASE("family rwkv (RWKV-4)", "[families]") {
  const Fixture f("rwkv");
  f.check_binding();
  CHECK(hl::mixer_pattern(f.spec) == "RRRR");
  CHECK(f.spec.max_position_embeddings == 0);  // context_length bounds only transformers' CUDA kernel
  CHECK(f.spec.halve_residual_every == 2);
  CHECK(f.spec.norm.kind == hl::NormKind::LayerNorm);
  CHECK(f.spec.norm.eps == Approx(1e-4));
  REQUIRE(f.spec.final_norm.has_value());
  CHECK(f.spec.final_norm->eps == Approx(1e-5));  // ln_out is nn.LayerNorm(hidden): eps 1e-5 always
  CHECK(f.spec.layers[0].mixer.rwkv.attention_hidden == 48);
  CHECK(f.spec.layers[3].ffn.kind == hl::FfnKind::RwkvChannelMix);
  CHECK(f.spec.layers[3].ffn.mlp.intermediate == 160);
  CHECK(f.bound.globals.get("embedding_norm").name == "rwkv.blocks.0.pre_ln.weight");
  CHECK(f.bound.layer(1).get("rwkv.time_mix_key").shape == hl::Shape{1, 1, 64});
  CHECK(f.bound.layer(1).get("rwkv.key").shape == hl::Shape{48, 64});
  CHECK(f.bound.layer(1).get("channel_mix.value").shape == hl::Shape{64, 160});
}

TEST_CASE("family recurrent_gemma (Griffin)", "[families]") {
  const Fixture f("recurrent_gemma");
  f.check_binding();
  CHECK(hl::mixer_pattern(f.spec) == "LLSLL");  // block_types [recurrent, recurrent, attention] cycled over 5
  CHECK(f.spec.max_position_embeddings == 0);
  CHECK(f.spec.norm.kind == hl::NormKind::RMSNormOnePlus);
  CHECK(f.spec.multipliers.embedding == 6.9375);  // sqrt(48) = 6.928… rounded to bfloat16, as the bf16 normalizer
  CHECK(f.spec.multipliers.logits_softcap == 4.0);
  const auto& a = f.attention(2);
  CHECK(a.sliding_window == 24);
  CHECK(a.head_dim == 12);
  CHECK(a.rope.rotary_dim == 6);  // partial_rotary_factor 0.5
  CHECK(a.qkv_bias);
  CHECK(a.o_bias);
  const auto& g = f.spec.layers[0].mixer.rg_lru;
  CHECK(g.width == 64);
  CHECK(g.heads == 4);
  CHECK(f.spec.layers[0].ffn.mlp.intermediate == 80);  // intermediate_size / 2
  CHECK(f.bound.layer(0).get("rg_lru.input_gate").shape == hl::Shape{4, 16, 16});
  CHECK(f.bound.layer(0).get("rg_lru.conv").name == "model.layers.0.temporal_block.conv_1d.weight");
}

TEST_CASE("family recurrent_gemma derives head_dim and refuses RoPE types its rotary embedding rejects",
          "[families]") {
  nlohmann::json c = read_json(kFixtures / "models" / "recurrent_gemma" / "config.json");
  c["head_dim"] = 99;  // RecurrentGemmaConfig overwrites it with hidden_size // num_attention_heads
  CHECK(hl::parse_model_spec(c.dump()).layers[2].mixer.attention.head_dim == 12);
  c["rope_parameters"]["rope_type"] = "linear";
  c["rope_parameters"]["factor"] = 2.0;
  CHECK_THROWS_WITH(hl::parse_model_spec(c.dump()), Catch::Contains("supports only default RoPE"));
}

TEST_CASE("family minimax (lightning attention)", "[families]") {
  const Fixture f("minimax");
  f.check_binding();
  CHECK(hl::mixer_pattern(f.spec) == "NANN");
  const auto& lin = f.spec.layers[0].mixer.lightning;
  CHECK(lin.heads == 4);
  CHECK(lin.head_dim == 16);
  CHECK(lin.block_size == 32);
  CHECK(lin.norm_eps == 1e-6);  // MiniMaxRMSNorm(head_dim · heads): its own default, not rms_norm_eps
  for (const auto& l : f.spec.layers) {
    INFO("layer " << l.index);
    CHECK(l.norm_placement == hl::NormPlacement::NormedResidual);
    CHECK(l.mixer_alpha == (l.index == 1 ? 1.3 : 0.9));
    CHECK(l.mixer_beta == (l.index == 1 ? 0.7 : 1.2));
    CHECK(l.ffn_alpha == 1.1);
    CHECK(l.ffn_beta == 0.8);
    CHECK(l.ffn.moe.renormalize);
  }
  // The decay buffers transformers saved are bound (and used), but they are not parameters.
  const auto& layer0 = f.bound.layer(0);
  CHECK(layer0.get("lightning.diagonal_decay").shape == hl::Shape{1, 4, 32, 32});
  std::int64_t buffers = 0;
  for (const char* role : {"lightning.slope_rate", "lightning.query_decay", "lightning.key_decay",
                           "lightning.diagonal_decay"})
    buffers += layer0.get(role).numel();
  std::int64_t all = 0;
  for (const auto& [_, v] : layer0.all()) all += v.numel();
  CHECK(layer0.parameter_count() == all - buffers);
}

TEST_CASE("family kimi_linear (KDA + MLA)", "[families]") {
  const Fixture f("kimi_linear");
  f.check_binding(3 * 4);  // three MoE layers' e_score_correction_bias [4]: buffers, not in num_parameters
  CHECK(hl::mixer_pattern(f.spec) == "KAKK");
  CHECK(f.spec.max_position_embeddings == 0);  // neither mixer has positions
  const auto& kda = f.spec.layers[0].mixer.kda;
  CHECK(kda.heads == 2);
  CHECK(kda.head_dim == 16);
  const auto& mla = f.spec.layers[1].mixer.mla;
  CHECK(mla.q_lora_rank == 24);
  CHECK(mla.kv_lora_rank == 16);
  CHECK(mla.qk_dim() == 24);
  CHECK(mla.v_head_dim == 12);
  CHECK(mla.norm_eps == 1e-6);  // KimiLinearRMSNorm's default, not rms_norm_eps
  CHECK(f.spec.layers[0].ffn.kind == hl::FfnKind::Mlp);  // first_k_dense_replace 1 (mlp_layer_types as saved)
  const auto& moe = f.spec.layers[1].ffn.moe;
  CHECK(moe.router == hl::RouterKind::SigmoidGroupedTopK);
  CHECK(moe.n_group == 2);
  CHECK(moe.routed_scaling_factor == 1.7);
  CHECK(moe.shared_intermediate == 32);
  CHECK(f.bound.layer(0).get("kda.q_conv").name == "model.layers.0.self_attn.q_conv1d.weight");
  CHECK(f.bound.layer(2).get("moe.router_bias").name == "model.layers.2.block_sparse_moe.gate.e_score_correction_bias");
}

TEST_CASE("family kimi_linear reads the released checkpoints' linear_attn_config and first_k_dense_replace",
          "[families]") {
  nlohmann::json c = read_json(kFixtures / "models" / "kimi_linear" / "config.json");
  for (const char* derived : {"layer_types", "mlp_layer_types", "linear_head_dim", "linear_num_heads",
                              "linear_conv_kernel_dim"})
    c.erase(derived);
  c["linear_attn_config"] = {{"num_heads", 3}, {"head_dim", 8}, {"short_conv_kernel_size", 2},
                             {"full_attn_layers", {2, 4}}, {"kda_layers", {1, 3}}};
  c["first_k_dense_replace"] = 2;
  const hl::ModelSpec s = hl::parse_model_spec(c.dump());
  CHECK(hl::mixer_pattern(s) == "KAKA");  // 1-indexed lists
  CHECK(s.layers[0].mixer.kda.heads == 3);
  CHECK(s.layers[0].mixer.kda.head_dim == 8);
  CHECK(s.layers[0].mixer.kda.conv_kernel == 2);
  CHECK(s.layers[1].ffn.kind == hl::FfnKind::Mlp);
  CHECK(s.layers[2].ffn.kind == hl::FfnKind::Moe);
  // Without either, transformers' default: full attention at i % 4 == 0 for i > 0.
  c.erase("linear_attn_config");
  c["num_hidden_layers"] = 9;
  CHECK(hl::mixer_pattern(hl::parse_model_spec(c.dump())) == "KKKKAKKKA");
}

TEST_CASE("family bailing_hybrid (KDA + MLA with RoPE)", "[families]") {
  const Fixture f("bailing_hybrid");
  f.check_binding(3 * 4);  // three MoE layers' gate.expert_bias [4]: buffers, not in num_parameters
  CHECK(hl::mixer_pattern(f.spec) == "KKAK");  // layer_group_size 3
  CHECK(f.spec.names.embedding == "model.word_embeddings.weight");
  const auto& kda = f.spec.layers[0].mixer.kda;
  CHECK(kda.heads == 2);
  CHECK(kda.head_dim == 16);  // linear_head_dim: head_dim before the config reuses it for RoPE
  CHECK(kda.forget_gate == hl::KimiDeltaSpec::ForgetGate::SafeSigmoid);
  CHECK(kda.gate_lower_bound == -5.0);
  CHECK_FALSE(kda.low_rank_output_gate);
  const auto& mla = f.spec.layers[2].mixer.mla;
  CHECK(mla.rope.type == hl::RopeType::Yarn);
  CHECK(mla.rope.rotary_dim == 8);
  CHECK(mla.head_gate);
  const double m = 0.1 * std::log(4.0) + 1.0;  // yarn_get_mscale(factor 4, mscale_all_dim 1)
  CHECK(mla.softmax_scale == Approx(m * m / std::sqrt(24.0)));
  CHECK(f.bound.layer(2).get("mla.o_proj").name == "model.layers.2.attention.dense.weight");
  CHECK(f.bound.layer(1).get("moe.router_bias").name == "model.layers.1.mlp.gate.expert_bias");
}

TEST_CASE("family xlstm (mLSTM)", "[families]") {
  const Fixture f("xlstm");
  f.check_binding();
  CHECK(hl::mixer_pattern(f.spec) == "XXX");
  CHECK(f.spec.max_position_embeddings == 0);
  const auto& m = f.spec.layers[0].mixer.mlstm;
  CHECK(m.heads == 4);
  CHECK(m.qk_dim == 64);
  CHECK(m.v_dim == 128);
  CHECK(m.gate_soft_cap == 15.0);
  CHECK(f.spec.multipliers.logits_softcap == 5.0);
  CHECK(f.spec.layers[0].ffn.mlp.intermediate == 384);  // round_up(128 · 2.667, 64)
  CHECK(f.bound.layer(0).get("mlstm.f_gate.bias").name == "backbone.blocks.0.mlstm_layer.fgate_preact.bias");
}

TEST_CASE("family xlstm refuses what transformers cannot build or HybridLens does not read", "[families]") {
  nlohmann::json c = read_json(kFixtures / "models" / "xlstm" / "config.json");
  c["weight_mode"] = "fused";
  CHECK_THROWS_WITH(hl::parse_model_spec(c.dump()), Catch::Contains("only \"single\" is supported"));
  c["weight_mode"] = "single";
  c["use_bias"] = true;
  CHECK_THROWS_WITH(hl::parse_model_spec(c.dump()), Catch::Contains("use_bias"));
  c["use_bias"] = false;
  c["num_blocks"] = 5;  // xLSTMModel builds num_blocks blocks
  CHECK(hl::parse_model_spec(c.dump()).layers.size() == 5);
}

TEST_CASE("grouped sigmoid routing refuses a top-k larger than the chosen groups hold", "[families]") {
  nlohmann::json c = read_json(kFixtures / "models" / "kimi_linear" / "config.json");
  c["num_experts_per_token"] = 3;  // 4 experts in 2 groups, topk_group 1: 2 reachable
  CHECK_THROWS_WITH(hl::parse_model_spec(c.dump()), Catch::Contains("more than the 2 experts of topk_group 1"));
  c["num_experts_per_token"] = 2;
  CHECK_NOTHROW(hl::parse_model_spec(c.dump()));
}

TEST_CASE("family lfm2", "[families]") {
  const Fixture f("lfm2");
  f.check_binding();
  CHECK(hl::mixer_pattern(f.spec) == "CACC");
  CHECK(f.spec.layers[0].mixer.short_conv.kernel == 3);
  CHECK(f.spec.layers[0].mixer.short_conv.bias);
  CHECK(f.spec.layers[0].ffn.mlp.intermediate == 128);  // int(2·192/3) rounded up to a multiple of 32
  CHECK(f.attention(1).qk_norm == hl::QkNormScope::PerHead);
  CHECK(f.attention(1).rope.theta == 1000000.0);
  CHECK(f.spec.names.final_norm == "model.embedding_norm");
}

TEST_CASE("family lfm2_moe", "[families]") {
  const Fixture f("lfm2_moe");
  f.check_binding(4 * 3);  // feed_forward.expert_bias of the three MoE layers are buffers, not in num_parameters
  CHECK(hl::mixer_pattern(f.spec) == "CACA");
  CHECK(hl::ffn_pattern(f.spec) == "FEEE");
  CHECK(f.spec.layers[0].ffn.mlp.intermediate == 96);  // as given: no LFM2 width adjustment
  const auto& moe = f.spec.layers[1].ffn.moe;
  CHECK(moe.router == hl::RouterKind::SigmoidGroupedTopK);
  CHECK(moe.renormalize_eps == 1e-6);
  CHECK(moe.routed_scaling_factor == 1.6);
  CHECK(f.bound.layer(1).get("moe.router_bias").name == "model.layers.1.feed_forward.expert_bias");
  CHECK(f.bound.layer(1).get("moe.expert.3.gate").shape == hl::Shape{32, 64});
}

TEST_CASE("every supported family has a fixture that binds", "[families]") {
  for (const auto& type : hl::supported_model_types()) {
    INFO(type);
    CHECK(fs::exists(kFixtures / "models" / type / "config.json"));
  }
}
