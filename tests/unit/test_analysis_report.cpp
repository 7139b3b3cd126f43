// Reports: JSON schema fields, CSV quoting, HTML escaping and self-containment, loss units, filtered losses, notes.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <numbers>
#include <string>

#include "core/analysis/report/report.h"
#include "test_analysis_support.h"

using namespace hl::analysis;
using hl::analysis::test::make_model;
using hl::analysis::test::TokenSpec;

namespace {

// "A <script>alert(1)</script>, \"q\"\nB" tokenized at the listed cuts; the hybrid is better on every other unit.
const std::string kText = "A <script>alert(1)</script>, \"q\"\nB the the the the the the";

Report sample_report(const ReportOptions& options = {}) {
  std::vector<TokenSpec> ref, hyb;
  std::vector<std::size_t> cuts{0, 1, 10, 18, 27, 28, 29, 32, 33, 34};
  for (std::size_t p = 34; p < kText.size(); p += 4) cuts.push_back(p + 4 <= kText.size() ? p + 4 : kText.size());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
    const double base = k == 0 ? kNoValue : 1.0 + 0.1 * static_cast<double>(k);
    ref.push_back({cuts[k], cuts[k + 1], base});
    hyb.push_back({cuts[k], cuts[k + 1], k % 2 ? base - 0.5 : base + 0.25});
  }
  ModelTokens reference = make_model("olmo3", kText, ref);
  ModelTokens hybrid = make_model("olmo-hybrid", kText, hyb);
  record_vocabulary(hybrid, 100278, 100352);
  hybrid.tokens[3].top = {{7, 0.5, "<b>"}, {8, 0.25, ""}};
  return build_report(compare(kText, {reference, hybrid}, 0), options);
}

void save(const std::string& name, const std::string& content) {
  std::ofstream(std::string(HL_TEST_OUTPUT_DIR) + "/" + name, std::ios::binary) << content;
}

}  // namespace

TEST_CASE("analysis: JSON report carries the schema and every documented field") {
  const Report r = sample_report();
  const std::string text = to_json(r);
  save("analysis_report.json", text);
  const auto j = nlohmann::json::parse(text);
  CHECK(j["schema"] == "hybridlens.report");
  CHECK(j["version"] == 1);
  CHECK(j["loss_unit"] == "nats");
  CHECK(j["reference"] == "olmo3");
  for (const char* key : {"bootstrap", "text", "notes", "language_regions", "scored_units", "scored_bytes", "models",
                          "categories", "filtered_losses", "histograms", "units"})
    CHECK(j.contains(key));
  CHECK(j["models"][1]["vocabulary"]["restricted_to_tokenizer"] == true);
  CHECK(j["models"][0]["vocabulary"]["restricted_to_tokenizer"] == false);
  CHECK(j["categories"][0]["name"] == "all");
  CHECK(j["categories"][0]["gaps"][0]["model"] == "olmo-hybrid");
  CHECK(j["categories"][0]["gaps"][0]["ci95"].size() == 2);
  CHECK(j["filtered_losses"].size() == 3);
  CHECK(j["filtered_losses"][2]["name"] == "copy5_only");
  const auto& unit0 = j["units"][0];
  CHECK(unit0["scored"] == false);
  CHECK(unit0["models"][0]["nll"].is_null());  // NaN is written as null
  CHECK(j["units"][3]["models"][1]["tokens"][0]["top"][0]["text"] == "<b>");
  CHECK(j["units"][1]["models"][0]["tokens"][0]["copy_length"] == 0);
  CHECK(j["units"][1]["delta"]["olmo-hybrid"].get<double>() == Approx(0.5));
  bool restricted_note = false;
  for (const auto& note : j["notes"]) restricted_note |= note.get<std::string>().find("restricted to the real vocabulary") != std::string::npos;
  CHECK(restricted_note);
}

TEST_CASE("analysis: report statistics — the all row, filtered losses and per-model summaries") {
  const Report r = sample_report();
  const GroupStats& all = r.categories.front();
  CHECK(all.name == "all");
  CHECK(all.count == r.comparison.units.size() - 1);  // the first unit has no loss
  // Δ alternates +0.5 (odd units) and −0.25 (even units).
  std::size_t wins = 0;
  double sum = 0;
  for (std::size_t u : r.scored_units) {
    const double d = r.unit_delta(u, 1);
    CHECK(d == Approx(u % 2 ? 0.5 : -0.25));
    wins += d > 0;
    sum += d;
  }
  CHECK(all.gaps[0].mean_delta == Approx(sum / static_cast<double>(all.count)));
  CHECK(all.gaps[0].win_share == Approx(static_cast<double>(wins) / static_cast<double>(all.count)));
  // " the" repeats: units from the third " the" on complete repeated n-grams; none reach n = 5 here except later ones.
  const GroupStats& copy5 = r.filtered[2];
  for (std::size_t u : r.scored_units)
    if (r.comparison.copy_length[u] >= 5) CHECK(copy5.count > 0);
  CHECK(r.models[0].scored_tokens == all.count);
  CHECK(r.models[0].perplexity_per_token == Approx(std::exp(r.models[0].total_nll / static_cast<double>(all.count))));
  CHECK(r.models[0].bits_per_byte == Approx(r.models[0].total_nll / std::numbers::ln2 / static_cast<double>(r.scored_bytes)));

  ReportOptions bits;
  bits.loss_unit = LossUnit::bits;
  const Report rb = sample_report(bits);
  CHECK(rb.categories.front().gaps[0].mean_delta == Approx(all.gaps[0].mean_delta / std::numbers::ln2));
  CHECK(rb.models[0].bits_per_byte == Approx(r.models[0].bits_per_byte));
}

TEST_CASE("analysis: CSV quotes commas, quotes and newlines") {
  const Report r = sample_report();
  const std::string csv = to_csv(r);
  save("analysis_report.csv", csv);
  CHECK(csv.starts_with("unit,begin,end,text,scored,copy_length,labels,olmo3:nll_nats,"));
  CHECK(csv.find(",\",\",") != std::string::npos);            // the unit "," is quoted
  CHECK(csv.find(",\"\"\"q\"\"\",") != std::string::npos);  // the unit '"q"' has its quotes doubled
  CHECK(csv.find(",\"\n\",") != std::string::npos);             // a newline stays inside quotes
  std::size_t records = 0;
  bool quoted = false;
  for (std::size_t i = 0; i < csv.size(); ++i) {
    if (csv[i] == '"') quoted = !quoted;
    if (!quoted && csv[i] == '\n') ++records;
  }
  CHECK(records == r.comparison.units.size() + 1);
}

TEST_CASE("analysis: HTML escapes token text and needs nothing from elsewhere") {
  const Report r = sample_report();
  const std::string html = to_html(r);
  save("analysis_report.html", html);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("&lt;script&gt;") != std::string::npos);
  CHECK(html.find("&lt;b&gt;") != std::string::npos);  // a top-k token text inside a title attribute
  CHECK(html.find("src=") == std::string::npos);
  CHECK(html.find("http://") == html.find("http://www.w3.org/2000/svg"));
  CHECK(html.find("https://") == std::string::npos);
  CHECK(html.find("<svg") != std::string::npos);
  CHECK(html.find("rgb(33,102,172)") != std::string::npos);
  CHECK(html.find("restricted to the real vocabulary") != std::string::npos);
}

TEST_CASE("analysis: number formatting") {
  CHECK(format_number(0.5) == "0.5");
  CHECK(format_number(std::nan("")).empty());
  CHECK(format_number(1.0 / 3) == "0.333333333");
}
