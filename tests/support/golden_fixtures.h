#pragma once
// The fixture golden check (tests/data/fixtures, produced by transformers; docs/testing.md) as a function of the
// backend and the tolerances, so every backend runs the same comparison:
//   - per-layer hidden states first, so a failure names the first diverging layer (relative L2),
//   - logits (relative L2) and per-token NLL (nats, absolute); the last position has no target (NaN),
//   - recurrent families: per-token, per-head state norms (state_norms_layer<i>.npy [T, heads], the state after
//     consuming token t), per entry relative, for every layer in the manifest's recurrent_layers.
// The CPU golden test (tests/golden/test_engine_golden.cpp) checks the same things at kCpuGoldenTolerances; the CUDA
// golden test (tests/cuda/test_cuda_golden.cpp) runs this function on the CUDA backend.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "core/checkpoint/checkpoint.h"
#include "core/engine/backend.h"
#include "core/engine/model_runner.h"
#include "core/model/config_parser.h"
#include "core/model/weight_sharing.h"
#include "support/npy.h"

namespace hl::test {

struct GoldenTolerances {
  double nll = 1e-4;           // nats, absolute
  double logits_rel_l2 = 1e-4;  // ||got - want|| / ||want||
  double hidden_rel_l2 = 1e-4;  // per layer, same measure
  double state_norm_rel = 1e-4; // per entry: |got - want| / |want|
};

inline const GoldenTolerances kCpuGoldenTolerances{};

inline std::string golden_fixtures_dir() { return std::string(HL_TEST_DATA_DIR) + "/fixtures"; }

inline double golden_rel_l2(const float* got, const float* want, std::size_t n) {
  double num = 0, den = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double d = static_cast<double>(got[i]) - want[i];
    num += d * d;
    den += static_cast<double>(want[i]) * want[i];
  }
  return std::sqrt(num) / std::max(std::sqrt(den), 1e-30);
}

inline nlohmann::json golden_manifest() {
  std::ifstream f(golden_fixtures_dir() + "/MANIFEST.json");
  return nlohmann::json::parse(f);
}

// Maps the fixture's hidden_states entries onto ours: ours are [embeddings, out(layer 0..L-1), final-normed].
// Transformer-style fixtures: [embeddings, out(0..L-2), final-normed]; Mamba-style: [out(0..L-1), final-normed].
inline std::size_t golden_hidden_index(bool starts_with_embedding, std::size_t fixture_entry,
                                       std::size_t fixture_count, std::size_t ours_count) {
  if (fixture_entry + 1 == fixture_count) return ours_count - 1;
  return starts_with_embedding ? fixture_entry : fixture_entry + 1;
}

// Runs `family` (a MANIFEST.json family) on `backend` over both reference sequences and checks it against the
// fixture's transformers outputs within `tol`.
inline void check_golden_family(engine::Backend& backend, const std::string& family, const GoldenTolerances& tol) {
  const nlohmann::json m = golden_manifest().at("families").at(family);
  const std::string dir = golden_fixtures_dir() + "/" + m.at("dir").get<std::string>();
  const ModelPlan plan = open_model_plan(dir);
  engine::ModelRunner runner(plan.spec, plan.checkpoint, backend);
  const bool starts_with_embedding =
      m.at("hidden_states").at("layout").get<std::string>().rfind("[embedding", 0) == 0;

  for (const std::string seq : {"len1", "long"}) {
    INFO(family << " / " << seq << " on " << backend.name());
    const std::string ex = dir + "/expected/" + seq + "/";
    const auto ids = load_npy(ex + "input_ids.npy");
    const auto logits = load_npy(ex + "logits.npy");
    const auto nll = load_npy(ex + "nll.npy");
    const auto hidden = load_npy(ex + "hidden_states.npy");

    engine::ScoreOptions opt;
    opt.keep_logits = true;
    opt.keep_hidden_states = true;
    const nlohmann::json recurrent = m.value("recurrent_layers", nlohmann::json::array());
    opt.state_norms = !recurrent.empty();
    const auto r = runner.score(ids.ints, opt);
    const std::size_t T = ids.ints.size(), H = static_cast<std::size_t>(plan.spec.hidden_size);

    const std::size_t entries = hidden.dim(0);
    for (std::size_t e = 0; e < entries; ++e) {
      const std::size_t ours = golden_hidden_index(starts_with_embedding, e, entries, r.hidden_states.size());
      const double err = golden_rel_l2(r.hidden_states.at(ours).data(), hidden.data.data() + e * T * H, T * H);
      INFO("hidden_states entry " << e << " of " << entries << " (ours " << ours << "): rel L2 " << err);
      REQUIRE(err <= tol.hidden_rel_l2);
    }
    REQUIRE(r.logits.size() == logits.data.size());
    CHECK(golden_rel_l2(r.logits.data(), logits.data.data(), logits.data.size()) <= tol.logits_rel_l2);
    double worst = 0;
    for (std::size_t t = 0; t + 1 < T; ++t)
      worst = std::max(worst, std::fabs(static_cast<double>(r.stats.nll[t]) - nll.data[t]));
    INFO("worst per-token NLL difference " << worst << " nats");
    CHECK(worst <= tol.nll);
    CHECK(std::isnan(r.stats.nll[T - 1]));

    REQUIRE(r.state_norms.size() == recurrent.size());
    for (const auto& layer_json : recurrent) {
      const int layer = layer_json.get<int>();
      const auto want = load_npy(ex + "state_norms_layer" + std::to_string(layer) + ".npy");
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
      CHECK(worst_rel <= tol.state_norm_rel);
    }
  }
}

}  // namespace hl::test
