// Golden tests of the engine against the reference fixtures (tests/data/fixtures, produced by transformers; see
// docs/testing.md). For every family the engine supports and both sequences (1 token, 131 tokens):
//   - per-token NLL within 1e-4 nats,
//   - logits relative L2 error <= 1e-4,
//   - per-layer hidden states compared first, so a failure names the first diverging layer,
//   - recurrent families: per-token, per-head state norms (state_norms_layer<i>.npy [T, heads], the state after
//     consuming token t) within 1e-4 relative, for every layer in the manifest's recurrent_layers.
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "core/checkpoint/checkpoint.h"
#include "core/engine/cpu_backend.h"
#include "core/engine/model_runner.h"
#include "core/model/config_parser.h"
#include "support/npy.h"

namespace {

const std::string kFixtures = std::string(HL_TEST_DATA_DIR) + "/fixtures";

constexpr double kNllTolerance = 1e-4;     // nats, absolute
constexpr double kLogitsRelL2 = 1e-4;      // ||got - want|| / ||want||
constexpr double kHiddenRelL2 = 1e-4;      // per layer, same measure
constexpr double kStateNormRel = 1e-4;     // per entry: |got - want| / |want|

double rel_l2(const float* got, const float* want, std::size_t n) {
  double num = 0, den = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double d = static_cast<double>(got[i]) - want[i];
    num += d * d;
    den += static_cast<double>(want[i]) * want[i];
  }
  return std::sqrt(num) / std::max(std::sqrt(den), 1e-30);
}

nlohmann::json manifest() {
  std::ifstream f(kFixtures + "/MANIFEST.json");
  return nlohmann::json::parse(f);
}

// Maps the fixture's hidden_states entries onto ours: ours are [embeddings, out(layer 0..L-1), final-normed].
// Transformer-style fixtures: [embeddings, out(0..L-2), final-normed]; Mamba-style: [out(0..L-1), final-normed].
std::size_t our_hidden_index(bool starts_with_embedding, std::size_t fixture_entry, std::size_t fixture_count,
                             std::size_t ours_count) {
  if (fixture_entry + 1 == fixture_count) return ours_count - 1;
  return starts_with_embedding ? fixture_entry : fixture_entry + 1;
}

void check_family(const std::string& family) {
  const nlohmann::json m = manifest().at("families").at(family);
  const std::string dir = kFixtures + "/" + m.at("dir").get<std::string>();
  const hl::ModelSpec spec = hl::load_model_spec(dir);
  const hl::Checkpoint ckpt = hl::Checkpoint::open(dir);
  hl::engine::CpuBackend backend;
  hl::engine::ModelRunner runner(spec, ckpt, backend);
  const bool starts_with_embedding =
      m.at("hidden_states").at("layout").get<std::string>().rfind("[embedding", 0) == 0;

  for (const std::string seq : {"len1", "long"}) {
    INFO(family << " / " << seq);
    const std::string ex = dir + "/expected/" + seq + "/";
    const auto ids = hl::test::load_npy(ex + "input_ids.npy");
    const auto logits = hl::test::load_npy(ex + "logits.npy");
    const auto nll = hl::test::load_npy(ex + "nll.npy");
    const auto hidden = hl::test::load_npy(ex + "hidden_states.npy");

    hl::engine::ScoreOptions opt;
    opt.keep_logits = true;
    opt.keep_hidden_states = true;
    const nlohmann::json recurrent = m.value("recurrent_layers", nlohmann::json::array());
    opt.state_norms = !recurrent.empty();
    const auto r = runner.score(ids.ints, opt);
    const std::size_t T = ids.ints.size(), H = static_cast<std::size_t>(spec.hidden_size);

    // First diverging layer, so a failure points at the culprit rather than at the logits.
    const std::size_t entries = hidden.dim(0);
    for (std::size_t e = 0; e < entries; ++e) {
      const std::size_t ours = our_hidden_index(starts_with_embedding, e, entries, r.hidden_states.size());
      const double err = rel_l2(r.hidden_states.at(ours).data(), hidden.data.data() + e * T * H, T * H);
      INFO("hidden_states entry " << e << " of " << entries << " (ours " << ours << "): rel L2 " << err);
      REQUIRE(err <= kHiddenRelL2);
    }
    REQUIRE(r.logits.size() == logits.data.size());
    CHECK(rel_l2(r.logits.data(), logits.data.data(), logits.data.size()) <= kLogitsRelL2);
    double worst = 0;
    for (std::size_t t = 0; t + 1 < T; ++t)
      worst = std::max(worst, std::fabs(static_cast<double>(r.stats.nll[t]) - nll.data[t]));
    INFO("worst per-token NLL difference " << worst << " nats");
    CHECK(worst <= kNllTolerance);
    CHECK(std::isnan(r.stats.nll[T - 1]));

    // State norms of every recurrent layer: [T, heads], row t = after consuming token t.
    REQUIRE(r.state_norms.size() == recurrent.size());
    for (const auto& layer_json : recurrent) {
      const int layer = layer_json.get<int>();
      const auto want = hl::test::load_npy(ex + "state_norms_layer" + std::to_string(layer) + ".npy");
      INFO("state norms of layer " << layer);
      REQUIRE(r.state_norms.count(layer) == 1);
      const auto& got = r.state_norms.at(layer);
      REQUIRE(got.size() == want.data.size());
      REQUIRE(static_cast<std::size_t>(r.state_norm_heads.at(layer)) * T == want.data.size());
      double worst_rel = 0;
      for (std::size_t i = 0; i < got.size(); ++i)
        worst_rel = std::max(worst_rel, std::fabs(static_cast<double>(got[i]) - want.data[i]) /
                                            std::max(std::fabs(static_cast<double>(want.data[i])), 1e-30));
      INFO("worst relative state-norm difference " << worst_rel);
      CHECK(worst_rel <= kStateNormRel);
    }
  }
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
TEST_CASE("golden: falcon_h1", "[golden][engine][recurrent]") { check_family("falcon_h1"); }
TEST_CASE("golden: zamba2", "[golden][engine][recurrent]") { check_family("zamba2"); }
