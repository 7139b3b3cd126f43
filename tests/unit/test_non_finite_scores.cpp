// Checkpoints whose weights contain NaN or Inf parse and bind (the values are data, not format), but their scores
// are not numbers. Each affected position must be flagged (TokenStats::invalid) with no rank or probability that
// looks real, the analysis report must leave it out of every statistic and say so, and `hybridlens-cli score` must
// count and warn. The planted checkpoints are copies of the tiny llama fixture (bf16, untied lm_head).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <regex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/analysis/comparison/from_score.h"
#include "core/analysis/report/report.h"
#include "core/checkpoint/safetensors_file.h"
#include "core/checkpoint/safetensors_writer.h"
#include "core/engine/cpu_backend.h"
#include "core/engine/loaded_model.h"
#include "core/engine/windowed_scoring.h"
#include "support/planted_checkpoint.h"
#include "support/run_cli.h"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;

namespace {

const fs::path kData = HL_TEST_DATA_DIR;
const fs::path kLlama = kData / "fixtures" / "models" / "llama";
using hl::test::planted_llama;


struct Loaded {
  hl::engine::CpuBackend backend;
  std::unique_ptr<hl::engine::LoadedModel> model;
  explicit Loaded(const fs::path& dir) : model(hl::engine::LoadedModel::open(dir, backend)) {
    model->set_tokenizer(hl::tok::Tokenizer::from_file(kData / "tokenizers" / "tiny-bpe-512"));
  }
};

const std::string kText = "The quick brown fox jumps over the lazy dog. The quick brown fox jumps again.";

// The id of the token at `index` in kText's encoding (with special tokens), so a planted row is one the text uses.
std::int32_t token_at(std::size_t index) {
  Loaded clean(kLlama);
  return clean.model->encode(kText, true).ids.at(index);
}

// printf/iostream/JSON spellings of NaN and infinity in a value position (a table cell, a CSV field, a JSON value,
// an HTML text node), not inside a word ("info") or prose ("NaN/Inf logits" in a note).
bool prints_non_finite(const std::string& text) {
  static const std::regex value(R"re((^|[\s,:>\[(="])[-+]?(nan|inf|infinity)($|[\s,<\])";]))re", std::regex::icase);
  return std::regex_search(text, value);
}

}  // namespace

// Every position with a target is either flagged, with no number that looks real, or fully finite.
void check_marking(const hl::engine::TokenStats& s) {
  REQUIRE(s.invalid.size() == s.T);
  for (std::size_t t = 0; t + 1 < s.T; ++t) {
    INFO("position " << t);
    if (s.is_invalid(t)) {
      CHECK(std::isnan(s.nll[t]));
      CHECK(std::isnan(s.prob[t]));
      CHECK(std::isnan(s.entropy[t]));
      CHECK(s.rank[t] == -1);  // not 0: a NaN target logit is "greater than" nothing, which reads as top-1
      CHECK(s.topk_ids[t * s.k] == -1);
    } else {
      CHECK(std::isfinite(s.nll[t]));
      CHECK(std::isfinite(s.entropy[t]));
      CHECK(s.rank[t] >= 0);
    }
  }
  CHECK_FALSE(s.is_invalid(s.T - 1));  // the last position has no target: unscored, not invalid
}

TEST_CASE("a NaN or Inf embedding value invalidates the positions that see it", "[non-finite]") {
  const std::size_t poisoned = 4;  // token index in kText's encoding
  for (const float value : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()}) {
    INFO("planted " << value);
    Loaded m(planted_llama("poisoned-embedding", "model.embed_tokens.weight", token_at(poisoned), value));
    const auto enc = m.model->encode(kText, true);
    const auto r = m.model->score(enc.ids, {});
    check_marking(r.stats);
    for (std::size_t t = poisoned; t + 1 < r.T; ++t) CHECK(r.stats.is_invalid(t));
    CHECK(r.stats.invalid_count() >= r.T - 1 - poisoned);

    // Windows carry the flags through the merge.
    hl::engine::WindowOptions w;
    w.window = 8;
    const auto windowed = m.model->score(enc.ids, {}, w);
    check_marking(windowed.stats);
    CHECK(windowed.stats.is_invalid(poisoned));
  }
}

TEST_CASE("a NaN in the LM head invalidates every prediction", "[non-finite]") {
  Loaded m(planted_llama("poisoned-lm-head", "lm_head.weight", 9, std::numeric_limits<float>::quiet_NaN()));
  const auto r = m.model->score(m.model->encode(kText, true).ids, {});
  check_marking(r.stats);
  CHECK(r.stats.invalid_count() == r.T - 1);
}

// An Inf in one LM-head row makes that token's logit +Inf (invalid) or -Inf (a valid zero probability) depending
// on the sign of the hidden state: some positions stay valid, which the report and CLI tests need.
fs::path partly_poisoned(const std::string& name) {
  return planted_llama(name, "lm_head.weight", 9, std::numeric_limits<float>::infinity());
}

TEST_CASE("the report leaves invalid tokens out of every statistic and flags them", "[non-finite]") {
  Loaded clean(kLlama);
  Loaded poisoned(partly_poisoned("poisoned-report"));
  std::vector<hl::analysis::ModelTokens> models;
  hl::engine::TokenStats poisoned_stats;
  for (auto* m : {&clean, &poisoned}) {
    const auto enc = m->model->encode(kText, true);
    const auto r = m->model->score(enc.ids, {});
    check_marking(r.stats);
    poisoned_stats = r.stats;
    models.push_back(hl::analysis::from_score(m->model->name(), enc, r.stats, m->model->tokenizer()));
  }
  const std::size_t invalid = poisoned_stats.invalid_count();
  REQUIRE(invalid > 0);
  REQUIRE(invalid < poisoned_stats.T - 1);
  for (std::size_t i = 1; i < models[1].tokens.size(); ++i)
    CHECK(models[1].tokens[i].invalid == poisoned_stats.is_invalid(i - 1));  // token i is predicted at i - 1

  const auto report = hl::analysis::build_report(hl::analysis::compare(kText, std::move(models), 0));
  CHECK(report.models[0].invalid_tokens == 0);
  CHECK(report.models[1].invalid_tokens == invalid);
  REQUIRE_FALSE(report.scored_units.empty());
  for (const std::size_t u : report.scored_units)
    for (const std::size_t i : report.comparison.units[u].tokens[1]) CHECK_FALSE(report.comparison.models[1].tokens[i].invalid);
  for (const auto& g : report.categories)
    for (const auto& gap : g.gaps) CHECK(std::isfinite(gap.mean_delta));

  const auto json = nlohmann::json::parse(hl::analysis::to_json(report));
  CHECK(json.at("models").at(1).at("invalid_tokens") == invalid);
  bool noted = false;
  for (const auto& note : json.at("notes")) noted = noted || note.get<std::string>().find("non-finite") != std::string::npos;
  CHECK(noted);
  std::size_t flagged = 0;
  for (const auto& unit : json.at("units"))
    for (const auto& tok : unit.at("models").at(1).at("tokens"))
      if (!tok.at("valid").get<bool>()) {
        CHECK(tok.at("nll").is_null());
        CHECK(tok.at("rank") == -1);
        CHECK_FALSE(unit.at("scored").get<bool>());
        ++flagged;
      }
  CHECK(flagged == invalid);
  for (const auto& out : {hl::analysis::to_json(report), hl::analysis::to_csv(report), hl::analysis::to_html(report)})
    CHECK_FALSE(prints_non_finite(out));
}

TEST_CASE("hybridlens-cli score counts invalid tokens, marks them and warns", "[non-finite][cli]") {
  const auto dir = partly_poisoned("poisoned-cli");
  const std::string common = "score --model " + dir.string() + " --tokenizer " +
                             (kData / "tokenizers" / "tiny-bpe-512").string() + " --text '" + kText + "'";
  const auto json_run = hl::test::run_cli(common + " --json");
  REQUIRE(json_run.exit_code == 0);
  const auto doc = nlohmann::json::parse(json_run.out);
  const auto invalid = doc.at("summary").at("invalid_tokens").get<std::size_t>();
  const auto predicted = doc.at("tokens").size() - 1;
  REQUIRE(invalid > 0);
  REQUIRE(invalid < predicted);
  std::size_t marked = 0;
  for (const auto& t : doc.at("tokens"))
    if (!t.at("valid").get<bool>()) {
      CHECK(t.at("nll").is_null());
      CHECK(t.at("rank").is_null());
      CHECK(t.at("topk").empty());
      ++marked;
    }
  CHECK(marked == invalid);
  CHECK(doc.at("summary").at("scored_tokens") == predicted - invalid);
  CHECK(doc.at("summary").at("mean_nll").is_number());
  const std::string warning = std::to_string(invalid) + " of " + std::to_string(predicted) +
                              " predicted tokens have non-finite scores";
  CHECK_THAT(doc.at("warnings").dump(), Contains(warning));
  CHECK_THAT(json_run.err, Contains("warning: " + warning));

  const auto table_run = hl::test::run_cli(common);
  CHECK(table_run.exit_code == 0);
  const std::string& table = table_run.out;
  CHECK_THAT(table, Contains("   invalid       -         -  "));
  CHECK_THAT(table, Contains(std::to_string(invalid) + " invalid, mean NLL"));
  CHECK_FALSE(prints_non_finite(table));
}
