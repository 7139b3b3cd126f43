// Olmo 3 RoPE scaling goes to the full-attention layers only (how the model was trained, OLMo-core #685).
// Hand-checked case: the olmo3 fixture (layers S S S A, no scaling) with YaRN (factor 4) added to its config must
// leave the three sliding layers bit-identical and change only the full-attention layer. Both spellings are checked:
// the legacy top-level `rope_scaling` of Hub checkpoints and a flat transformers-5 `rope_parameters`.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/checkpoint/checkpoint.h"
#include "core/engine/cpu_backend.h"
#include "core/engine/model_runner.h"
#include "core/engine/rope.h"
#include "core/model/config_parser.h"

namespace fs = std::filesystem;

namespace {

const fs::path kFixture = fs::path(HL_TEST_DATA_DIR) / "fixtures/models/olmo3";

nlohmann::json fixture_config() {
  std::ifstream in(kFixture / "config.json");
  return nlohmann::json::parse(in);
}

// The fixture folder with a YaRN config, in one of the two spellings.
fs::path yarn_variant(bool legacy) {
  auto cfg = fixture_config();
  const nlohmann::json yarn = {{"rope_type", "yarn"}, {"factor", 4.0}, {"original_max_position_embeddings", 128}};
  cfg.erase("rope_parameters");
  cfg["rope_theta"] = 500000.0;
  if (legacy) {
    cfg["rope_scaling"] = yarn;
  } else {
    cfg["rope_parameters"] = yarn;
    cfg["rope_parameters"]["rope_theta"] = 500000.0;
  }
  const fs::path dir = fs::path(HL_TEST_OUTPUT_DIR) / (legacy ? "olmo3_yarn_legacy" : "olmo3_yarn_flat");
  fs::create_directories(dir);
  fs::copy_file(kFixture / "model.safetensors", dir / "model.safetensors", fs::copy_options::overwrite_existing);
  std::ofstream(dir / "config.json") << cfg.dump(1);
  return dir;
}

std::vector<std::vector<float>> hidden_states(const fs::path& dir, const std::vector<std::int32_t>& ids) {
  const auto spec = hl::load_model_spec(dir);
  const auto ckpt = hl::Checkpoint::open(dir);
  hl::engine::CpuBackend backend;
  hl::engine::ModelRunner runner(spec, ckpt, backend);
  hl::engine::ScoreOptions opt;
  opt.keep_hidden_states = true;
  return runner.score(ids, opt).hidden_states;
}

}  // namespace

TEST_CASE("olmo3: YaRN scales full-attention layers only", "[golden][engine]") {
  std::vector<std::int32_t> ids(200);
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<std::int32_t>((i * 97 + 5) % 512);
  const auto plain = hidden_states(kFixture, ids);

  for (const bool legacy : {true, false}) {
    INFO((legacy ? "legacy rope_scaling" : "flat rope_parameters"));
    const fs::path dir = yarn_variant(legacy);
    const auto spec = hl::load_model_spec(dir);
    REQUIRE(spec.layers.size() == 4);
    for (int l = 0; l < 3; ++l) {
      CHECK(spec.layers[l].mixer.kind == hl::MixerKind::SlidingAttention);
      CHECK(spec.layers[l].mixer.attention.rope.type == hl::RopeType::Default);
      CHECK(spec.layers[l].mixer.attention.rope.theta == 500000.0);
    }
    CHECK(spec.layers[3].mixer.kind == hl::MixerKind::FullAttention);
    CHECK(spec.layers[3].mixer.attention.rope.type == hl::RopeType::Yarn);
    CHECK(spec.layers[3].mixer.attention.rope.factor == 4.0);

    const auto scaled = hidden_states(dir, ids);
    REQUIRE(scaled.size() == plain.size());
    // Entries 0..3: embeddings and the outputs of the three sliding layers — untouched by the scaling.
    for (std::size_t e = 0; e < 4; ++e) CHECK(scaled[e] == plain[e]);
    // Entry 4: after the full-attention layer, whose RoPE is now YaRN.
    double diff = 0;
    for (std::size_t i = 0; i < plain[4].size(); ++i) diff = std::max(diff, std::fabs(double(scaled[4][i]) - plain[4][i]));
    CHECK(diff > 1e-3);
  }

  // YaRN's attention factor by hand: 0.1 · ln(factor) + 1 for factor 4.
  hl::engine::RopeConfig yarn;
  yarn.type = hl::engine::RopeType::yarn;
  yarn.theta = 500000.0;
  yarn.head_dim = 16;
  yarn.factor = 4.0;
  yarn.original_max_position_embeddings = 128;
  yarn.max_position_embeddings = 512;
  CHECK(hl::engine::rope_inv_freq(yarn).attention_scaling == Approx(0.1 * std::log(4.0) + 1.0).epsilon(1e-6));
}
