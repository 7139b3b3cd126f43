// The layer-stack summary behind the architecture diagram, on the fixture models: kinds and labels agree with the
// pattern letters, and the parameter counts (derived from the spec alone) add up to what the fixture's safetensors
// file really stores: in total, per layer, and per Zamba2 shared block.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "core/model/layer_stack.h"
#include "core/checkpoint/checkpoint.h"
#include "core/model/config_parser.h"
#include "core/model/layer_pattern.h"

namespace fs = std::filesystem;
using hl::layer_stack;
using hl::LayerStackSummary;

namespace {

const fs::path kModels = fs::path(HL_TEST_DATA_DIR) / "fixtures" / "models";

struct StackFixture {
  explicit StackFixture(const std::string& family)
      : spec(hl::load_model_spec(kModels / family)), checkpoint(hl::Checkpoint::open(kModels / family)),
        stack(layer_stack(spec)) {}

  // Numel of the stored tensors whose name starts with `prefix` and contains none of `excluded`.
  std::int64_t stored(std::string_view prefix = {}, std::string_view excluded = {}) const {
    std::int64_t n = 0;
    for (const auto* t : checkpoint.tensors()) {
      const std::string_view name = t->name;
      if (name.substr(0, prefix.size()) != prefix) continue;
      if (!excluded.empty() && name.find(excluded) != std::string_view::npos) continue;
      n += t->numel();
    }
    return n;
  }

  std::int64_t summed() const {
    std::int64_t n = stack.embedding_params + stack.final_norm_params + stack.lm_head_params;
    for (const auto& l : stack.layers) n += l.params();
    for (const auto& b : stack.shared_blocks) n += b.params;
    return n;
  }

  std::string layer_prefix(std::size_t i) const { return spec.names.layer_prefix + std::to_string(i) + "."; }

  hl::ModelSpec spec;
  hl::Checkpoint checkpoint;
  LayerStackSummary stack;
};

// What each pattern letter must be labelled as; labels that carry a size are matched by their start.
const std::map<char, std::string> kMixerLabelByLetter = {
    {'A', "Attention"},      {'S', "Sliding attention (window "},   {'m', "Mamba1"}, {'M', "Mamba2"},
    {'G', "Gated DeltaNet"}, {'P', "Parallel attention + Mamba2"}, {'C', "Short conv"},
    {'H', "Mamba2 + shared block"}, {'-', "—"},                     {'E', "—"},
    {'R', "RWKV time mix (WKV)"},    {'L', "RG-LRU (Griffin recurrent block)"},
    {'N', "Lightning attention (linear)"},    {'K', "Kimi Delta Attention"},      {'X', "mLSTM (xLSTM)"},
};

void check_common(const StackFixture& f) {
  const auto letters = hl::mixer_pattern(f.spec);
  REQUIRE(f.stack.layers.size() == f.spec.layers.size());
  CHECK(f.stack.pattern == hl::compress_pattern(letters));
  for (std::size_t i = 0; i < f.stack.layers.size(); ++i) {
    const auto& l = f.stack.layers[i];
    INFO("layer " << i << " " << l.mixer_label);
    CHECK(l.index == static_cast<int>(i));
    CHECK(l.letter == letters[i]);
    CHECK(l.mixer == f.spec.layers[i].mixer.kind);
    CHECK(l.ffn == f.spec.layers[i].ffn.kind);
    const auto& expected = kMixerLabelByLetter.at(l.letter);
    CHECK(l.mixer_label.substr(0, expected.size()) == expected);
    CHECK(l.ffn_label.empty() == (l.ffn == hl::FfnKind::None));
    CHECK((l.mixer_params > 0) == (l.mixer != hl::MixerKind::None));
    CHECK((l.ffn_params > 0) == (l.ffn != hl::FfnKind::None));
  }
  // The failable check: counts derived from the config alone equal the numel of every stored tensor.
  CHECK(f.summed() == f.stack.total_params);
  CHECK(f.stack.total_params == f.stored());
  // RWKV's norm on the embeddings (blocks.0.pre_ln, weight and bias) counts with them.
  CHECK(f.stack.embedding_params ==
        f.spec.vocab_size * f.spec.hidden_size + (f.spec.names.embedding_norm.empty() ? 0 : 2 * f.spec.hidden_size));
  CHECK(f.stack.lm_head_params == (f.spec.tied_embeddings ? 0 : f.spec.vocab_size * f.spec.hidden_size));
}

// Without Zamba2-style sharing, every tensor of layer i is stored under layer i's prefix.
void check_per_layer(const StackFixture& f) {
  for (std::size_t i = 0; i < f.stack.layers.size(); ++i) {
    INFO("layer " << i);
    CHECK(f.stack.layers[i].params() == f.stored(f.layer_prefix(i)));
  }
}

}  // namespace

TEST_CASE("layer stack: llama splits mixer and FFN parameters by role, norms included", "[layer_stack]") {
  const StackFixture f("llama");
  check_common(f);
  check_per_layer(f);
  CHECK(f.stack.pattern == "A×2");
  const auto& l = f.stack.layers[0];
  CHECK(l.mixer_label == "Attention");
  CHECK(l.ffn_label == "MLP");
  CHECK_FALSE(l.recurrent);
  // d = 64, 4 heads × 16, 2 kv heads, I = 160.
  // Mixer: input_layernorm + q, k, v, o; FFN: post_attention_layernorm + gate, up, down.
  CHECK(l.mixer_params == 64 + 64 * 64 + 2 * (32 * 64) + 64 * 64);
  CHECK(l.ffn_params == 64 + 3 * 160 * 64);
  CHECK(hl::mixer_counts(f.stack) == "Attn ×2");
  CHECK(hl::ffn_counts(f.stack) == "MLP ×2");
}

TEST_CASE("layer stack: olmo3 sliding layers name their window", "[layer_stack]") {
  const StackFixture f("olmo3");
  check_common(f);
  check_per_layer(f);
  CHECK(f.stack.pattern == "S×3 A");
  CHECK(f.stack.layers[0].mixer_label == "Sliding attention (window 24)");
  CHECK(f.stack.layers[0].sliding_window == 24);
  CHECK(f.stack.layers[3].mixer_label == "Attention");
  CHECK(f.stack.layers[3].sliding_window == 0);
  CHECK(hl::mixer_counts(f.stack) == "SWA ×3 · Attn ×1");
}

TEST_CASE("layer stack: olmo_hybrid counts its split q/k/v convs once", "[layer_stack]") {
  const StackFixture f("olmo_hybrid");
  check_common(f);
  check_per_layer(f);
  CHECK(f.stack.pattern == "G×3 A");
  for (int i : {0, 1, 2}) {
    CHECK(f.stack.layers[static_cast<std::size_t>(i)].mixer_label == "Gated DeltaNet");
    CHECK(f.stack.layers[static_cast<std::size_t>(i)].recurrent);
  }
  CHECK_FALSE(f.stack.layers[3].recurrent);
  // The GDN layers differ from the attention layer only in the mixer.
  CHECK(f.stack.layers[0].ffn_params == f.stack.layers[3].ffn_params);
  // The fixture splits the 2·32 + 96 conv channels 54/54/52, as transformers' own save does: only the total is fixed.
  CHECK(f.stack.layers[0].mixer_params ==
        f.stored(f.layer_prefix(0) + "linear_attn.") + f.stored(f.layer_prefix(0) + "attention_layer_norm."));
  CHECK(hl::mixer_counts(f.stack) == "GDN ×3 · Attn ×1");
}

TEST_CASE("layer stack: falcon_h1 parallel layers count both halves as the mixer", "[layer_stack]") {
  const StackFixture f("falcon_h1");
  check_common(f);
  check_per_layer(f);
  const auto& l = f.stack.layers[0];
  CHECK(l.mixer == hl::MixerKind::ParallelAttentionMamba2);
  CHECK(l.mixer_label == "Parallel attention + Mamba2");
  CHECK(l.recurrent);
  CHECK(l.mixer_params == f.stored(f.layer_prefix(0) + "self_attn.") + f.stored(f.layer_prefix(0) + "mamba.") +
                              f.stored(f.layer_prefix(0) + "input_layernorm."));
  CHECK(l.ffn_params ==
        f.stored(f.layer_prefix(0) + "feed_forward.") + f.stored(f.layer_prefix(0) + "pre_ff_layernorm."));
}

TEST_CASE("layer stack: jamba MoE layers name experts and top-k", "[layer_stack]") {
  const StackFixture f("jamba");
  check_common(f);
  check_per_layer(f);
  CHECK(f.stack.layers[0].mixer_label == "Mamba1");
  CHECK(f.stack.layers[0].recurrent);
  CHECK(f.stack.layers[0].ffn_label == "MLP");
  CHECK(f.stack.layers[1].ffn_label == "MoE 4 experts, top-2");
  CHECK(f.stack.layers[1].ffn == hl::FfnKind::Moe);
  CHECK(f.stack.layers[1].experts == 4);
  CHECK(f.stack.layers[1].experts_per_token == 2);
  CHECK(f.stack.layers[0].experts == 0);
  CHECK(f.stack.layers[1].ffn_params ==
        f.stored(f.layer_prefix(1) + "feed_forward.") + f.stored(f.layer_prefix(1) + "pre_ff_layernorm."));
  CHECK(hl::ffn_counts(f.stack) == "MLP ×2 · MoE ×2");
}

TEST_CASE("layer stack: qwen3_next and granitemoehybrid shared experts", "[layer_stack]") {
  for (const char* family : {"qwen3_next", "granitemoehybrid"}) {
    INFO(family);
    const StackFixture f(family);
    check_common(f);
    check_per_layer(f);
    const auto& l = f.stack.layers[0];
    REQUIRE(l.ffn == hl::FfnKind::Moe);
    CHECK(l.ffn_label.find("(+shared)") != std::string::npos);
  }
}

TEST_CASE("layer stack: nemotron_h layers without a mixer put their norm in the FFN", "[layer_stack]") {
  const StackFixture f("nemotron_h");
  check_common(f);
  check_per_layer(f);
  CHECK(f.stack.pattern == "MA-EM-");
  const auto& mlp_only = f.stack.layers[2];
  CHECK(mlp_only.mixer_label == "—");
  CHECK(mlp_only.mixer_params == 0);
  CHECK(mlp_only.ffn_params == f.stored(f.layer_prefix(2)));
  CHECK(f.stack.layers[3].ffn_label.rfind("MoE ", 0) == 0);
  CHECK(hl::mixer_counts(f.stack) == "FFN only ×3 · Mamba2 ×2 · Attn ×1");
}

TEST_CASE("layer stack: zamba2 shared blocks are counted once, adapters per layer", "[layer_stack]") {
  const StackFixture f("zamba2");
  check_common(f);
  CHECK(f.spec.tied_embeddings);
  CHECK(f.stack.lm_head_params == 0);
  REQUIRE(f.stack.shared_blocks.size() == 2);
  CHECK(f.stack.layers[1].shared_block == 0);
  CHECK(f.stack.layers[1].mixer_label == "Mamba2 + shared block 1");
  CHECK(f.stack.layers[3].mixer_label == "Mamba2 + shared block 2");
  CHECK(f.stack.layers[0].mixer_label == "Mamba2");
  // Block 0 is stored under layer 1 (with every adapter of its layers), block 1 under layer 3.
  CHECK(f.stack.shared_blocks[0].params == f.stored(f.layer_prefix(1) + "shared_transformer.", "_adapter_list."));
  CHECK(f.stack.shared_blocks[1].params == f.stored(f.layer_prefix(3) + "shared_transformer.", "_adapter_list."));
  // A hybrid layer's own tensors plus its adapters; a plain Mamba2 layer's own tensors only.
  CHECK(f.stack.layers[0].params() == f.stored(f.layer_prefix(0)));
  CHECK(f.stack.layers[1].params() > f.stored(f.layer_prefix(1), "shared_transformer."));
  CHECK(hl::mixer_counts(f.stack) == "Mamba2 ×3 · Mamba2+shared ×3");
}

TEST_CASE("layer stack: zamba (v1) hybrid layers are Mamba1 with the one shared block", "[layer_stack]") {
  const StackFixture f("zamba");
  CHECK(f.stack.layers[1].mixer_label == "Mamba1 + shared block");
  CHECK(f.stack.layers[0].mixer_label == "Mamba1");
  REQUIRE(f.stack.shared_blocks.size() == 1);
  CHECK(f.stack.shared_blocks[0].params == f.stored(f.layer_prefix(1) + "shared_transf."));
  CHECK(f.summed() == f.stored());
  CHECK(hl::mixer_counts(f.stack) == "Mamba1 ×4 · Mamba1+shared ×2");
}

TEST_CASE("layer stack: rwkv splits each block into time mix and channel mix", "[layer_stack]") {
  const StackFixture f("rwkv");
  check_common(f);
  const std::int64_t d = 64, a = 48, inner = 160;
  for (std::size_t i = 0; i < f.stack.layers.size(); ++i) {
    INFO("layer " << i);
    const auto& l = f.stack.layers[i];
    CHECK(l.recurrent);
    CHECK(l.ffn_label == "Channel mix");
    // Mixer: ln1 + time_mix_{key,value,receptance} + key/value/receptance + time_decay/first + output.
    CHECK(l.mixer_params == 2 * d + 3 * d + 3 * a * d + 2 * a + d * a);
    // FFN: ln2 + time_mix_{key,receptance} + key + receptance + value.
    CHECK(l.ffn_params == 2 * d + 2 * d + inner * d + d * d + d * inner);
    // Block 0 also stores pre_ln, which the stack counts with the embeddings.
    CHECK(l.params() == f.stored(f.layer_prefix(i)) - (i == 0 ? 2 * d : 0));
  }
  CHECK(hl::mixer_counts(f.stack) == "WKV ×4");
  CHECK(hl::ffn_counts(f.stack) == "Channel mix ×4");
}

TEST_CASE("layer stack: recurrent_gemma RG-LRU and local attention layers", "[layer_stack]") {
  const StackFixture f("recurrent_gemma");
  check_common(f);
  check_per_layer(f);
  const std::int64_t d = 48, w = 64, bw = 16, heads = 4, mlp = 80;
  const auto& l = f.stack.layers[0];
  CHECK(l.recurrent);
  // temporal_pre_norm + linear_x/linear_y (+bias) + conv (4 taps + bias) + two gates (+bias) + recurrent_param +
  // linear_out (+bias)
  CHECK(l.mixer_params == d + 2 * (w * d + w) + (w * 4 + w) + 2 * (heads * bw * bw + heads * bw) + w + (d * w + d));
  CHECK(l.ffn_params == d + 2 * (mlp * d + mlp) + (d * mlp + d));
  CHECK(f.stack.layers[2].mixer_label == "Sliding attention (window 24)");
  CHECK(hl::mixer_counts(f.stack) == "RG-LRU ×4 · SWA ×1");
}

TEST_CASE("layer stack: minimax counts parameters, not the stored decay buffers", "[layer_stack]") {
  const StackFixture f("minimax");
  std::int64_t stored_buffers = 0;
  for (const auto* t : f.checkpoint.tensors())
    if (t->name.find("_decay") != std::string::npos || t->name.find("slope_rate") != std::string::npos)
      stored_buffers += t->numel();
  REQUIRE(stored_buffers > 0);
  CHECK(f.stack.total_params == f.stored() - stored_buffers);
  CHECK(f.summed() == f.stack.total_params);
  CHECK(f.stack.layers[0].mixer_label == "Lightning attention (linear)");
  CHECK(f.stack.layers[0].recurrent);
  CHECK(hl::mixer_counts(f.stack) == "Lightning ×3 · Attn ×1");
}

TEST_CASE("layer stack: kimi_linear KDA and MLA layers", "[layer_stack]") {
  const StackFixture f("kimi_linear");
  check_common(f);
  check_per_layer(f);
  CHECK(f.stack.layers[1].mixer_label == "Attention (MLA)");
  CHECK_FALSE(f.stack.layers[1].recurrent);
  CHECK(f.stack.layers[0].recurrent);
  CHECK(hl::mixer_counts(f.stack) == "KDA ×3 · MLA ×1");
}

TEST_CASE("layer stack: bailing_hybrid KDA and gated MLA layers", "[layer_stack]") {
  const StackFixture f("bailing_hybrid");
  check_common(f);
  check_per_layer(f);
  CHECK(hl::mixer_counts(f.stack) == "KDA ×3 · MLA ×1");
}

TEST_CASE("layer stack: xlstm mLSTM blocks", "[layer_stack]") {
  const StackFixture f("xlstm");
  check_common(f);
  check_per_layer(f);
  CHECK(f.stack.layers[0].recurrent);
  CHECK(hl::mixer_counts(f.stack) == "mLSTM ×3");
}

TEST_CASE("layer stack: parameter counts read with three significant digits", "[layer_stack]") {
  using hl::format_param_count;
  CHECK(format_param_count(0) == "0");
  CHECK(format_param_count(950) == "950");
  CHECK(format_param_count(1234) == "1.23K");
  CHECK(format_param_count(47104) == "47.1K");
  CHECK(format_param_count(213952) == "214K");
  CHECK(format_param_count(999499) == "999K");
  CHECK(format_param_count(999950) == "1.00M");
  CHECK(format_param_count(7241732096) == "7.24B");
}
