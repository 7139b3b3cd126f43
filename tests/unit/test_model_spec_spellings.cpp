// config.json spellings and defaults: every alias real configs use maps to the same plan, and absent fields take
// the transformers config-class defaults.
#include <catch2/catch.hpp>

#include <cmath>

#include "core/model/config_parser.h"
#include "core/model/context_limit.h"
#include "core/model/layer_pattern.h"

namespace {

hl::ModelSpec parse(const std::string& json) { return hl::parse_model_spec(json); }

}  // namespace

TEST_CASE("absent fields take the transformers defaults", "[model_spec]") {
  const auto llama = parse(R"({"model_type":"llama"})");
  CHECK(llama.layers.size() == 32);
  CHECK(llama.hidden_size == 4096);
  CHECK(llama.vocab_size == 32000);
  CHECK(llama.layers[0].mixer.attention.num_kv_heads == 32);
  CHECK(llama.layers[0].mixer.attention.head_dim == 128);
  CHECK(llama.layers[0].ffn.mlp.intermediate == 11008);
  CHECK(llama.layers[0].mixer.attention.rope.theta == 10000.0);

  const auto mamba = parse(R"({"model_type":"mamba"})");
  CHECK(mamba.tied_embeddings);
  CHECK(mamba.layers[0].mixer.mamba1.dt_rank == 48);  // ceil(768 / 16)

  const auto zamba = parse(R"({"model_type":"zamba2"})");
  CHECK(hl::compress_pattern(hl::mixer_pattern(zamba)) ==
        "M×6 H M×5 H M×5 H M×5 H M×5 H M×5 H M×5 H M×4 H M×3 HMM");
  CHECK(zamba.layers[0].mixer.mamba2.dt_min == 0.001);

  const auto olmo3 = parse(R"({"model_type":"olmo3","num_hidden_layers":8})");
  CHECK(hl::mixer_pattern(olmo3) == "SSSASSSA");
  CHECK(olmo3.layers[3].mixer.attention.rope.theta == 500000.0);

  const auto qwen3_next = parse(R"({"model_type":"qwen3_next","num_hidden_layers":8})");
  CHECK(hl::mixer_pattern(qwen3_next) == "GGGAGGGA");
  CHECK(qwen3_next.layers[3].mixer.attention.rope.rotary_dim == 64);

  const auto olmo_hybrid = parse(R"({"model_type":"olmo_hybrid","num_hidden_layers":3})");
  CHECK(hl::mixer_pattern(olmo_hybrid) == "GGA");  // no i % 4 == 3 layer: the last becomes attention

  const auto falcon = parse(R"({"model_type":"falcon_h1"})");
  CHECK(falcon.layers[0].mixer.mamba2.d_inner == 1024);
  CHECK(falcon.layers[0].mixer.mamba2.gated_norm == hl::GatedNormKind::None);

  const auto granite_h = parse(R"({"model_type":"granitemoehybrid"})");
  CHECK(granite_h.layers[0].mixer.kind == hl::MixerKind::Mamba2);
  CHECK(granite_h.layers[0].ffn.moe.num_experts == 8);
}

TEST_CASE("rope_theta/rope_scaling and rope_parameters give the same RoPE", "[model_spec]") {
  const auto legacy = parse(R"({"model_type":"llama","rope_theta":500000.0,
    "rope_scaling":{"rope_type":"llama3","factor":8.0,"low_freq_factor":1.0,"high_freq_factor":4.0,
                    "original_max_position_embeddings":8192}})");
  const auto v5 = parse(R"({"model_type":"llama","rope_parameters":{"rope_type":"llama3","rope_theta":500000.0,
    "factor":8.0,"low_freq_factor":1.0,"high_freq_factor":4.0,"original_max_position_embeddings":8192}})");
  for (const auto* s : {&legacy, &v5}) {
    const auto& r = s->layers[0].mixer.attention.rope;
    CHECK(r.type == hl::RopeType::Llama3);
    CHECK(r.theta == 500000.0);
    CHECK(r.factor == 8.0);
    CHECK(r.original_max_position_embeddings == 8192);
  }
  const auto old_type = parse(R"({"model_type":"llama","rope_scaling":{"type":"linear","factor":2.0}})");
  CHECK(old_type.layers[0].mixer.attention.rope.type == hl::RopeType::Linear);
  const auto yarn = parse(R"({"model_type":"qwen2","rope_scaling":{"rope_type":"yarn","factor":4.0,
    "original_max_position_embeddings":32768,"beta_fast":16}})");
  CHECK(yarn.layers[0].mixer.attention.rope.type == hl::RopeType::Yarn);
  CHECK(yarn.layers[0].mixer.attention.rope.beta_fast == 16.0);
  const auto neox = parse(R"({"model_type":"gpt_neox","hidden_size":64,"num_attention_heads":4,
    "rotary_pct":0.5,"rotary_emb_base":20000})");
  CHECK(neox.layers[0].mixer.attention.rope.rotary_dim == 8);
  CHECK(neox.layers[0].mixer.attention.rope.theta == 20000.0);
}

TEST_CASE("olmo3 legacy rope_scaling applies to full-attention layers only", "[model_spec]") {
  const auto s = parse(R"({"model_type":"olmo3","num_hidden_layers":4,"rope_theta":500000.0,
    "rope_scaling":{"rope_type":"yarn","factor":8.0,"original_max_position_embeddings":8192}})");
  CHECK(s.layers[0].mixer.attention.rope.type == hl::RopeType::Default);
  CHECK(s.layers[3].mixer.attention.rope.type == hl::RopeType::Yarn);
}

TEST_CASE("layer-pattern spellings", "[model_spec]") {
  const auto pattern = parse(R"({"model_type":"nemotron_h","hybrid_override_pattern":"M-M*-E"})");
  const auto list = parse(R"({"model_type":"nemotron_h",
    "layers_block_type":["mamba","mlp","mamba","attention","mlp","moe"]})");
  const auto v5 = parse(R"({"model_type":"nemotron_h",
    "layers_block_type":["linear_attention","mlp","linear_attention","full_attention","mlp","moe"]})");
  CHECK(hl::mixer_pattern(pattern) == "M-MA-E");
  CHECK(hl::mixer_pattern(list) == "M-MA-E");
  CHECK(hl::mixer_pattern(v5) == "M-MA-E");

  // n_groups (stored name) vs mamba_n_groups (init argument, wins in transformers 5)
  CHECK(parse(R"({"model_type":"nemotron_h","n_groups":4})").layers[0].mixer.mamba2.n_groups == 4);
  CHECK(parse(R"({"model_type":"nemotron_h","n_groups":4,"mamba_n_groups":2})").layers[0].mixer.mamba2.n_groups == 2);

  const auto granite = parse(R"({"model_type":"granitemoehybrid","num_hidden_layers":3,
    "layers_block_type":["mamba","attention","mamba"]})");
  CHECK(hl::mixer_pattern(granite) == "MAM");
  const auto bamba = parse(R"({"model_type":"bamba","num_hidden_layers":4,"attn_layer_indices":[1,3]})");
  CHECK(hl::mixer_pattern(bamba) == "MAMA");
  const auto lfm2 = parse(R"({"model_type":"lfm2","num_hidden_layers":4,"full_attn_idxs":[0,3]})");
  CHECK(hl::mixer_pattern(lfm2) == "ACCA");
  const auto qwen3_next = parse(R"({"model_type":"qwen3_next","num_hidden_layers":6,"full_attention_interval":3})");
  CHECK(hl::mixer_pattern(qwen3_next) == "GGAGGA");
  const auto jamba = parse(R"({"model_type":"jamba","num_hidden_layers":8})");
  CHECK(hl::mixer_pattern(jamba) == "mmmmAmmm");
  CHECK(hl::ffn_pattern(jamba) == "FEFEFEFE");
  const auto qwen2 = parse(R"({"model_type":"qwen2","num_hidden_layers":4,"use_sliding_window":true,
    "sliding_window":128,"max_window_layers":2})");
  CHECK(hl::mixer_pattern(qwen2) == "AASS");
}

TEST_CASE("Python's non-standard Infinity literal is accepted in configs", "[model_spec]") {
  const auto s = parse(R"({"model_type":"mamba2","time_step_limit":[0.0, Infinity],"hidden_size":2048,
    "num_heads":64})");
  CHECK(std::isinf(s.layers[0].mixer.mamba2.dt_max));
  const auto t = parse(R"({"model_type":"mamba2","time_step_limit":[0.001,{"__float__":"Infinity"}],
    "hidden_size":2048,"num_heads":64})");
  CHECK(t.layers[0].mixer.mamba2.dt_min == 0.001);
}

TEST_CASE("pattern compression", "[model_spec]") {
  CHECK(hl::compress_pattern("GGGAGGGAGGGA") == "GGGA×3");
  CHECK(hl::compress_pattern("MMMMMAMMM") == "M×5 A M×3");
  CHECK(hl::compress_pattern("MA-EM-") == "MA-EM-");
  CHECK(hl::compress_pattern("A") == "A");
}

// OlmoHybridConfig.save_pretrained writes per-layer-type rope objects with PreTrainedConfig's own default theta
// beside the top-level entries the model reads (transformers 5.23: OlmoHybridRotaryEmbedding reads
// config.rope_parameters["rope_theta"]). The demo pair's hybrid has this shape.
TEST_CASE("olmo_hybrid reads the top-level rope entries, not the per-layer-type ones", "[model_spec]") {
  const auto spec = parse(R"({"model_type":"olmo_hybrid","num_hidden_layers":4,"rope_parameters":{
    "rope_type":"default","rope_theta":10000.0,
    "full_attention":{"rope_type":"default","rope_theta":500000.0},
    "sliding_attention":{"rope_type":"default","rope_theta":500000.0}}})");
  CHECK(spec.layers[3].mixer.attention.rope.theta == 10000.0);
  // Olmo 3 reads the entry of each layer's type.
  const auto olmo3 = parse(R"({"model_type":"olmo3","num_hidden_layers":4,"rope_parameters":{
    "rope_type":"default","rope_theta":10000.0,
    "full_attention":{"rope_type":"default","rope_theta":500000.0},
    "sliding_attention":{"rope_type":"default","rope_theta":250000.0}}})");
  CHECK(olmo3.layers[0].mixer.attention.rope.theta == 250000.0);
  CHECK(olmo3.layers[3].mixer.attention.rope.theta == 500000.0);
}

TEST_CASE("olmo_hybrid runs its attention without RoPE when the resolved rope_theta is null", "[model_spec]") {
  const auto type_of = [](const std::string& rope_fields) {
    return parse(R"({"model_type":"olmo_hybrid","num_hidden_layers":4)" + rope_fields + "}")
        .layers[3]
        .mixer.attention.rope.type;
  };
  // OlmoHybridModel builds no rotary embedding when rope_parameters["rope_theta"] is None.
  CHECK(type_of(R"(,"rope_parameters":{"rope_type":"default","rope_theta":null})") == hl::RopeType::None);
  CHECK(type_of(R"(,"rope_theta":null)") == hl::RopeType::None);  // filled into rope_parameters from the top level
  CHECK(type_of(R"(,"rope_parameters":null,"rope_theta":null)") == hl::RopeType::None);
  // Parameters nested by layer type leave the top level without a rope_theta.
  CHECK(type_of(R"(,"rope_parameters":{"full_attention":{"rope_type":"default","rope_theta":5e5}})") ==
        hl::RopeType::None);
  // Absent everywhere: the config's default theta 1e4.
  CHECK(type_of("") == hl::RopeType::Default);
  CHECK(parse(R"({"model_type":"olmo_hybrid","num_hidden_layers":4})").layers[3].mixer.attention.rope.theta ==
        10000.0);
  CHECK(type_of(R"(,"rope_parameters":{"rope_type":"default"},"rope_theta":5e5)") == hl::RopeType::Default);
}

TEST_CASE("zamba2 rotates q/k only with use_mem_rope, whatever rope entries the config carries", "[model_spec]") {
  const auto rope_of = [](const std::string& fields) {
    return parse(R"({"model_type":"zamba2","num_hidden_layers":2,"layers_block_type":["mamba","hybrid"])" + fields +
                 "}")
        .shared_blocks.at(0)
        .attention.rope;
  };
  CHECK(rope_of(R"(,"use_mem_rope":false,"rope_parameters":{"rope_type":"default","rope_theta":1e4})").type ==
        hl::RopeType::None);
  CHECK(rope_of(R"(,"rope_theta":1e4)").type == hl::RopeType::None);  // use_mem_rope defaults to false
  const auto on = rope_of(R"(,"use_mem_rope":true,"rope_parameters":{"rope_type":"default","rope_theta":2e4})");
  CHECK(on.type == hl::RopeType::Default);
  CHECK(on.theta == 20000.0);
}

TEST_CASE("falcon_h1's Mamba out_proj bias follows projectors_bias, its in_proj bias mamba_proj_bias", "[model_spec]") {
  const auto mamba_of = [](const std::string& fields) {
    return parse(R"({"model_type":"falcon_h1","num_hidden_layers":1)" + fields + "}").layers[0].mixer.mamba2;
  };
  const auto out_only = mamba_of(R"(,"projectors_bias":true)");
  CHECK_FALSE(out_only.in_proj_bias);
  CHECK(out_only.out_proj_bias);
  const auto in_only = mamba_of(R"(,"mamba_proj_bias":true)");
  CHECK(in_only.in_proj_bias);
  CHECK_FALSE(in_only.out_proj_bias);
  // Every other Mamba2 family has one flag for both.
  const auto mamba2 = parse(R"({"model_type":"mamba2","num_hidden_layers":1,"use_bias":true})").layers[0].mixer.mamba2;
  CHECK(mamba2.in_proj_bias);
  CHECK(mamba2.out_proj_bias);
}

TEST_CASE("the context a text may use: max_position_embeddings, or further where the RoPE type defines it",
          "[model_spec]") {
  const auto limit = [](const std::string& rope) {
    return hl::context_limit(parse(R"({"model_type":"llama","num_hidden_layers":1,"max_position_embeddings":4096)" +
                                   rope + "}"));
  };
  CHECK(limit("").tokens == 4096);
  CHECK(limit("").beyond_reason.empty());
  const auto yarn = limit(R"(,"rope_parameters":{"rope_type":"yarn","factor":4.0,"original_max_position_embeddings":4096})");
  CHECK(yarn.tokens == 16384);
  CHECK(yarn.beyond_reason == "YaRN RoPE defines positions up to 16384 (factor × original_max_position_embeddings), "
                              "past max_position_embeddings 4096");
  const auto dynamic = limit(R"(,"rope_parameters":{"rope_type":"dynamic","factor":2.0})");
  CHECK(dynamic.tokens == 0);
  CHECK(dynamic.beyond_reason.rfind("dynamic NTK RoPE rescales", 0) == 0);
  // LongRoPE without factor: max_position_embeddings is already the long context.
  CHECK(limit(R"(,"rope_parameters":{"rope_type":"longrope","original_max_position_embeddings":1024,
              "short_factor":[1],"long_factor":[1]})").tokens == 4096);
  CHECK(limit(R"(,"rope_parameters":{"rope_type":"linear","factor":4.0})").tokens == 4096);
  // A model without RoPE layers keeps its limit; a pure SSM has none.
  CHECK(hl::context_limit(parse(R"({"model_type":"mamba2","num_hidden_layers":1})")).tokens == 0);
  const auto llama = parse(R"({"model_type":"llama","num_hidden_layers":1,"max_position_embeddings":64,
                              "rope_parameters":{"rope_type":"yarn","factor":4.0,"original_max_position_embeddings":64}})");
  CHECK(hl::context_note(llama, 64).empty());
  CHECK(hl::context_note(llama, 131) == "positions up to 130 used: YaRN RoPE defines positions up to 256 (factor × "
                                        "original_max_position_embeddings), past max_position_embeddings 64");
  CHECK(hl::context_note(llama, 257).empty());  // refused before this is asked
}

TEST_CASE("zamba2 use_long_context extends the context to 16384 and leaves RoPE as it is", "[model_spec]") {
  const auto spec = parse(R"({"model_type":"zamba2","num_hidden_layers":2,"layers_block_type":["mamba","hybrid"],
                             "use_mem_rope":true,"use_long_context":true,"max_position_embeddings":4096,
                             "rope_parameters":{"rope_type":"default","rope_theta":10000.0}})");
  CHECK(spec.max_position_embeddings == 16384);
  CHECK(spec.shared_blocks.at(0).attention.rope.theta == 10000.0);
}
