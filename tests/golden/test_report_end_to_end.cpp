// End to end: two fixture models of different families (llama as the reference, qwen2 as the compared model) share
// the 512-token vocabulary and a real tokenizer; the JSON report's per-token NLLs must be exactly the NLLs each
// model gives when scored alone, and every unit's Δ must be NLL_reference − NLL_model.
#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/analysis/comparison/from_score.h"
#include "core/analysis/report/report.h"
#include "core/engine/cpu_backend.h"
#include "core/engine/loaded_model.h"

TEST_CASE("report JSON carries each model's own per-token NLLs and Δ = ref − model", "[golden][analysis]") {
  const std::string data = HL_TEST_DATA_DIR;
  const std::string text =
      "The quick brown fox jumps over the lazy dog. The quick brown fox jumps over the lazy dog again.\n"
      "def mean(values):\n    return sum(values) / len(values)\n";
  hl::engine::CpuBackend backend;
  std::vector<std::unique_ptr<hl::engine::LoadedModel>> models;
  for (const char* family : {"llama", "qwen2"}) {
    models.push_back(hl::engine::LoadedModel::open(data + "/fixtures/models/" + family, backend));
    models.back()->set_tokenizer(hl::tok::Tokenizer::from_file(data + "/tokenizers/tiny-bpe-512"));
  }

  std::vector<hl::analysis::ModelTokens> scored;
  std::vector<std::vector<float>> alone;  // per model: NLL of token i (NaN for token 0)
  for (auto& m : models) {
    const auto enc = m->encode(text, true);
    const auto r = m->score(enc.ids, {});
    std::vector<float> nll(enc.ids.size(), NAN);
    for (std::size_t i = 1; i < nll.size(); ++i) nll[i] = r.stats.nll[i - 1];
    alone.push_back(nll);
    scored.push_back(hl::analysis::from_score(m->name(), enc, r.stats, m->tokenizer()));
  }
  const auto report = hl::analysis::build_report(hl::analysis::compare(text, std::move(scored), 0, {}));
  const auto json = nlohmann::json::parse(hl::analysis::to_json(report));
  REQUIRE(json.at("schema") == "hybridlens.report");
  REQUIRE(json.at("models").at(0).at("name") == "llama");
  REQUIRE(json.at("models").at(0).at("reference") == true);

  std::size_t checked = 0, deltas = 0;
  for (const auto& unit : json.at("units")) {
    for (std::size_t m = 0; m < 2; ++m) {
      for (const auto& tok : unit.at("models").at(m).at("tokens")) {
        const auto i = tok.at("index").get<std::size_t>();
        if (tok.at("nll").is_null()) {
          CHECK(std::isnan(alone[m][i]));
        } else {
          CHECK(tok.at("nll").get<double>() == static_cast<double>(alone[m][i]));
          ++checked;
        }
      }
    }
    if (unit.at("delta").contains("qwen2") && !unit.at("delta").at("qwen2").is_null()) {
      const double ref = unit.at("models").at(0).at("nll").get<double>();
      const double hyb = unit.at("models").at(1).at("nll").get<double>();
      CHECK(unit.at("delta").at("qwen2").get<double>() == Approx(ref - hyb).margin(1e-6));
      ++deltas;
    }
  }
  CHECK(checked >= 2 * 30);  // both models' tokens, all but the first
  CHECK(deltas >= 30);
}
