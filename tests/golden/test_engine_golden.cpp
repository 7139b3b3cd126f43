// Golden tests of the engine against the reference fixtures (tests/data/fixtures, produced by transformers; see
// docs/testing.md). For every family the engine supports and both sequences (1 token, 131 tokens):
//   - per-token NLL within 1e-4 nats,
//   - logits relative L2 error <= 1e-4,
//   - per-layer hidden states compared first, so a failure names the first diverging layer,
//   - recurrent families: per-token, per-head state norms (state_norms_layer<i>.npy [T, heads], the state after
//     consuming token t) within 1e-4 relative, for every layer in the manifest's recurrent_layers.
#include <string>

#include "core/engine/cpu_backend.h"
#include "support/golden_fixtures.h"

namespace {

// The comparison itself is shared with the CUDA golden test (tests/support/golden_fixtures.h); the CPU is the
// reference backend and is held to the tolerances above.
void check_family(const std::string& family) {
  hl::engine::CpuBackend backend;
  hl::test::check_golden_family(backend, family, hl::test::kCpuGoldenTolerances);
}

}  // namespace

TEST_CASE("golden: llama", "[golden][engine]") { check_family("llama"); }
TEST_CASE("golden: llama fp32 weights", "[golden][engine]") { check_family("llama_fp32"); }
TEST_CASE("golden: llama fp16 weights", "[golden][engine]") { check_family("llama_fp16"); }
TEST_CASE("golden: qwen2", "[golden][engine]") { check_family("qwen2"); }
TEST_CASE("golden: qwen3", "[golden][engine]") { check_family("qwen3"); }
TEST_CASE("golden: olmo2", "[golden][engine]") { check_family("olmo2"); }
TEST_CASE("golden: olmo3", "[golden][engine]") { check_family("olmo3"); }
TEST_CASE("golden: gpt_neox", "[golden][engine]") { check_family("gpt_neox"); }
TEST_CASE("golden: granite", "[golden][engine]") { check_family("granite"); }
TEST_CASE("golden: mamba2", "[golden][engine][recurrent]") { check_family("mamba2"); }
TEST_CASE("golden: bamba", "[golden][engine][recurrent]") { check_family("bamba"); }
TEST_CASE("golden: nemotron_h", "[golden][engine][recurrent]") { check_family("nemotron_h"); }
TEST_CASE("golden: granitemoehybrid", "[golden][engine][recurrent]") { check_family("granitemoehybrid"); }
TEST_CASE("golden: olmo_hybrid", "[golden][engine][recurrent]") { check_family("olmo_hybrid"); }
TEST_CASE("golden: qwen3_next", "[golden][engine][recurrent]") { check_family("qwen3_next"); }
TEST_CASE("golden: mamba", "[golden][engine][recurrent]") { check_family("mamba"); }
TEST_CASE("golden: falcon_mamba", "[golden][engine][recurrent]") { check_family("falcon_mamba"); }
TEST_CASE("golden: jamba", "[golden][engine][recurrent]") { check_family("jamba"); }
TEST_CASE("golden: lfm2", "[golden][engine][recurrent]") { check_family("lfm2"); }
TEST_CASE("golden: lfm2_moe", "[golden][engine][recurrent]") { check_family("lfm2_moe"); }
TEST_CASE("golden: falcon_h1", "[golden][engine][recurrent]") { check_family("falcon_h1"); }
TEST_CASE("golden: zamba (v1)", "[golden][engine][recurrent]") { check_family("zamba"); }
TEST_CASE("golden: zamba2", "[golden][engine][recurrent]") { check_family("zamba2"); }
TEST_CASE("golden: rwkv (RWKV-4)", "[golden][engine][recurrent]") { check_family("rwkv"); }
TEST_CASE("golden: recurrent_gemma (Griffin)", "[golden][engine][recurrent]") { check_family("recurrent_gemma"); }
TEST_CASE("golden: minimax (lightning attention)", "[golden][engine][recurrent]") { check_family("minimax"); }
TEST_CASE("golden: kimi_linear (KDA + MLA)", "[golden][engine][recurrent]") { check_family("kimi_linear"); }
TEST_CASE("golden: bailing_hybrid (KDA + MLA with RoPE)", "[golden][engine][recurrent]") {
  check_family("bailing_hybrid");
}
TEST_CASE("golden: xlstm (mLSTM)", "[golden][engine][recurrent]") { check_family("xlstm"); }
TEST_CASE("golden: minimax without stored decay buffers (computed as transformers does)",
          "[golden][engine][recurrent]") {
  check_family("minimax_computed_decays");
}
TEST_CASE("golden: qwen3_5 (image-text layout)", "[golden][engine][recurrent]") { check_family("qwen3_5"); }
TEST_CASE("golden: qwen3_5 text-only layout", "[golden][engine][recurrent]") { check_family("qwen3_5_text"); }
TEST_CASE("golden: qwen3_5_moe (image-text layout)", "[golden][engine][recurrent]") { check_family("qwen3_5_moe"); }
TEST_CASE("golden: qwen3_5_moe text-only layout", "[golden][engine][recurrent]") { check_family("qwen3_5_moe_text"); }
// Config variants: rules a config switches (docs/checkpoints.md), each against its own transformers reference.
TEST_CASE("golden: llama with LongRoPE (short factors for 1 token, long past the original context)",
          "[golden][engine]") {
  check_family("llama_longrope");
}
TEST_CASE("golden: llama with YaRN scored past max_position_embeddings", "[golden][engine]") {
  check_family("llama_yarn_beyond");
}
TEST_CASE("golden: llama with dynamic NTK RoPE scored past max_position_embeddings", "[golden][engine]") {
  check_family("llama_dynamic_beyond");
}
// Found by the config fuzzer (docs/testing.md).
TEST_CASE("golden: llama ignores partial_rotary_factor", "[golden][engine]") {
  check_family("llama_partial_rotary_ignored");
}
TEST_CASE("golden: granite with YaRN factor null", "[golden][engine]") { check_family("granite_yarn_null_factor"); }
TEST_CASE("golden: nemotron_h with n_shared_experts 0 and a sliding_window it ignores",
          "[golden][engine][recurrent]") {
  check_family("nemotron_h_no_shared_count");
}
TEST_CASE("golden: qwen3_next with a gelu GDN conv", "[golden][engine][recurrent]") { check_family("qwen3_next_gelu"); }
TEST_CASE("golden: zamba2 keeps its conv bias with use_conv_bias false", "[golden][engine][recurrent]") {
  check_family("zamba2_conv_bias_flag");
}
TEST_CASE("golden: olmo3 with per-layer-type YaRN and linear RoPE", "[golden][engine]") {
  check_family("olmo3_nested_yarn");
}
TEST_CASE("golden: mamba2 with a gelu conv", "[golden][engine][recurrent]") { check_family("mamba2_gelu"); }
TEST_CASE("golden: mamba with a tanh-gelu conv", "[golden][engine][recurrent]") { check_family("mamba_gelu_tanh"); }
TEST_CASE("golden: gpt_neox with an odd rotary dimension", "[golden][engine]") { check_family("gpt_neox_odd_rotary"); }
TEST_CASE("golden: olmo_hybrid with rope_theta null (NoPE)", "[golden][engine][recurrent]") {
  check_family("olmo_hybrid_nope");
}
TEST_CASE("golden: zamba2 with use_mem_rope false", "[golden][engine][recurrent]") { check_family("zamba2_nope"); }
TEST_CASE("golden: zamba2 untied (a shared-block copy per hybrid layer)", "[golden][engine][recurrent]") {
  check_family("zamba2_untied");
}
TEST_CASE("golden: nemotron_h tie_word_embeddings true with a stored lm_head", "[golden][engine][recurrent]") {
  check_family("nemotron_h_tied");
}
TEST_CASE("golden: nemotron_h latent MoE (moe_latent_size) with mlp_bias", "[golden][engine][recurrent]") {
  check_family("nemotron_h_latent");
}
TEST_CASE("golden: falcon_h1 projectors_bias (Mamba out_proj bias)", "[golden][engine][recurrent]") {
  check_family("falcon_h1_projectors_bias");
}
