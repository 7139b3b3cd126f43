// The built-in demo pair (resources/demo) is a shipped checkpoint like any other: HybridLens must give the numbers
// transformers gives on it. tests/data/demo/sample_reference.json holds transformers' token ids and per-token NLLs of
// the demo sample text under the shipped bf16 weights (written by tools/demo/train_demo_pair.py, fp32 compute).
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/engine/cpu_backend.h"
#include "core/engine/loaded_model.h"
#include "core/model/layer_pattern.h"

namespace {

const std::filesystem::path kDemo = std::filesystem::path(HL_SOURCE_DIR) / "resources" / "demo";

std::string read_file(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("demo pair: per-token NLL equals transformers within 1e-4 nats and both signs of Δ occur",
          "[golden][demo]") {
  const auto reference = nlohmann::json::parse(read_file(std::string(HL_TEST_DATA_DIR) + "/demo/sample_reference.json"));
  const std::string text = read_file(kDemo / "sample.txt");
  REQUIRE(!text.empty());
  hl::engine::CpuBackend backend;
  std::vector<std::vector<float>> nll;
  // The reference file names the models by role; the folders by what they are.
  for (const auto& [role, folder] : {std::pair{"hybrid", "olmo-hybrid-mini"}, std::pair{"transformer", "olmo3-mini"}}) {
    INFO(folder);
    const auto model = hl::engine::LoadedModel::open((kDemo / folder).string(), backend);
    CHECK(std::filesystem::file_size(kDemo / folder / "model.safetensors") <= 10'000'000);  // the size limit
    const auto& want = reference.at("models").at(role);
    const auto enc = model->encode(text, true);
    REQUIRE(enc.ids == want.at("ids").get<std::vector<std::int32_t>>());
    const auto r = model->score(enc.ids, {});
    const auto expected = want.at("nll").get<std::vector<double>>();
    // stats.nll[t] is the prediction of token t + 1; the last position has no target.
    REQUIRE(r.stats.nll.size() == expected.size() + 1);
    double worst = 0;
    for (std::size_t i = 0; i < expected.size(); ++i) worst = std::max(worst, std::fabs(r.stats.nll[i] - expected[i]));
    CAPTURE(worst);
    CHECK(worst < 1e-4);
    nll.push_back(r.stats.nll);
  }
  // Both models share the tokenizer, so Δ is per token: the sample must show tokens each model predicts better.
  int hybrid_better = 0, transformer_better = 0;
  for (std::size_t i = 0; i + 1 < nll[0].size(); ++i) {
    const double delta = nll[1][i] - nll[0][i];
    hybrid_better += delta > 0.1;
    transformer_better += delta < -0.1;
  }
  CAPTURE(hybrid_better, transformer_better);
  CHECK(hybrid_better >= 10);
  CHECK(transformer_better >= 10);
}

TEST_CASE("demo pair: the hybrid is 3:1 Gated DeltaNet : attention, the transformer 3:1 sliding : full", "[golden][demo]") {
  hl::engine::CpuBackend backend;
  CHECK(hl::mixer_pattern(hl::engine::LoadedModel::open((kDemo / "olmo-hybrid-mini").string(), backend)->spec()) == "GGGAGGGA");
  CHECK(hl::mixer_pattern(hl::engine::LoadedModel::open((kDemo / "olmo3-mini").string(), backend)->spec()) ==
        "SSSASSSA");
}
