// The versioned JSON report; docs/report-schema.md is its specification.
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/analysis/report/report.h"
#include "core/analysis/categories/text_scan.h"

namespace hl::analysis {

namespace {

using nlohmann::json;

json number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json interval_json(const Interval& i) { return json::array({number(i.low), number(i.high)}); }

json group_json(const Report& r, const GroupStats& g) {
  json j{{"name", g.name}, {"count", g.count}};
  if (!g.description.empty()) j["description"] = g.description;
  json mean_nll = json::object();
  for (std::size_t m = 0; m < g.mean_nll.size(); ++m) mean_nll[r.comparison.models[m].name] = number(g.mean_nll[m]);
  j["mean_nll"] = mean_nll;
  json gaps = json::array();
  for (const GapStats& gap : g.gaps)
    gaps.push_back({{"model", r.comparison.models[gap.model].name},
                    {"mean_delta", number(gap.mean_delta)},
                    {"ci95", interval_json(gap.interval)},
                    {"win_share", number(gap.win_share)}});
  j["gaps"] = gaps;
  return j;
}

json model_json(const ModelSummary& s) {
  return {{"name", s.name},
          {"reference", s.reference},
          {"tokens", s.tokens},
          {"scored_tokens", s.scored_tokens},
          {"total_nll", number(s.total_nll)},
          {"mean_nll_per_token", number(s.mean_nll_per_token)},
          {"perplexity_per_token", number(s.perplexity_per_token)},
          {"bits_per_byte", number(s.bits_per_byte)},
          {"unaligned_nll", number(s.unaligned_nll)},
          {"invalid_tokens", s.invalid_tokens},
          {"vocabulary",
           {{"tokenizer_size", s.vocabulary.tokenizer_size},
            {"model_size", s.vocabulary.model_size},
            {"restricted_to_tokenizer", s.vocabulary.restricted_to_tokenizer()}}}};
}

json token_json(const Report& r, std::size_t model, std::size_t index) {
  const Token& t = r.comparison.models[model].tokens[index];
  json top = json::array();
  for (const TopPrediction& p : t.top) top.push_back({{"id", p.id}, {"prob", number(p.prob)}, {"text", valid_utf8(p.text)}});
  return {{"index", index},           {"id", t.id},
          {"text", valid_utf8(t.text)}, {"begin", t.span.begin},
          {"end", t.span.end},         {"nll", number(t.nll * r.scale())},
          {"prob", number(t.prob)},    {"rank", t.rank},
          {"entropy", number(t.entropy * r.scale())}, {"copy_length", r.comparison.token_copy_length[model][index]},
          {"top", top},                {"valid", !t.invalid}};
}

json unit_json(const Report& r, std::size_t u) {
  const Comparison& c = r.comparison;
  const Unit& unit = c.units[u];
  json models = json::array();
  for (std::size_t m = 0; m < c.models.size(); ++m) {
    json tokens = json::array();
    for (std::size_t i : unit.tokens[m]) tokens.push_back(token_json(r, m, i));
    models.push_back({{"nll", number(r.unit_nll(u, m))}, {"tokens", tokens}});
  }
  json deltas = json::object();
  for (std::size_t m = 0; m < c.models.size(); ++m)
    if (m != c.reference) deltas[c.models[m].name] = number(r.unit_delta(u, m));
  return {{"index", u},
          {"begin", unit.span.begin},
          {"end", unit.span.end},
          {"text", valid_utf8(c.unit_text(u))},
          {"scored", unit.scored()},
          {"copy_length", c.copy_length[u]},
          {"labels", c.labels[u]},
          {"models", models},
          {"delta", deltas}};
}

}  // namespace

std::string to_json(const Report& r) {
  const Comparison& c = r.comparison;
  json j;
  j["schema"] = Report::kSchema;
  j["version"] = Report::kVersion;
  j["loss_unit"] = loss_unit_name(r.options.loss_unit);
  j["reference"] = c.models[c.reference].name;
  j["bootstrap"] = {{"method", "percentile"},
                    {"resamples", r.options.bootstrap.resamples},
                    {"seed", r.options.bootstrap.seed},
                    {"confidence", r.options.bootstrap.confidence},
                    {"prng", "mt19937_64"}};
  j["text"] = valid_utf8(c.text);
  j["notes"] = r.notes;
  json regions = json::array();
  for (const LanguageRegion& region : c.regions)
    regions.push_back({{"begin", region.span.begin}, {"end", region.span.end}, {"language", language_name(region.language)}});
  j["language_regions"] = regions;
  j["scored_units"] = r.scored_units.size();
  j["scored_bytes"] = r.scored_bytes;
  for (const ModelSummary& s : r.models) j["models"].push_back(model_json(s));
  for (const GroupStats& g : r.categories) j["categories"].push_back(group_json(r, g));
  for (const GroupStats& g : r.filtered) j["filtered_losses"].push_back(group_json(r, g));
  j["histograms"] = json::array();
  for (const GapHistogram& h : r.histograms)
    j["histograms"].push_back({{"model", c.models[h.model].name},
                               {"edges", h.histogram.edges},
                               {"counts", h.histogram.counts},
                               {"below", h.histogram.below},
                               {"above", h.histogram.above}});
  j["units"] = json::array();
  for (std::size_t u = 0; u < c.units.size(); ++u) j["units"].push_back(unit_json(r, u));
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace hl::analysis
