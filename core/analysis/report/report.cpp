#include "core/analysis/report/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <numbers>


namespace hl::analysis {

std::string_view loss_unit_name(LossUnit unit) { return unit == LossUnit::bits ? "bits" : "nats"; }

std::optional<std::string> to_format(const Report& report, std::string_view format) {
  if (format == "json") return to_json(report);
  if (format == "csv") return to_csv(report);
  if (format == "html" || format == "htm") return to_html(report);
  return std::nullopt;
}

std::string format_number(double value) {
  if (!std::isfinite(value)) return {};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.9g", value);
  return buffer;
}

double Report::scale() const { return options.loss_unit == LossUnit::bits ? 1.0 / std::numbers::ln2 : 1.0; }

double Report::unit_nll(std::size_t unit, std::size_t model) const {
  return comparison.units[unit].nll[model] * scale();
}

double Report::unit_delta(std::size_t unit, std::size_t model) const { return comparison.delta(unit, model) * scale(); }

namespace {

// The study's filtered token losses (seed-study note §2.7), on units.
struct Filter {
  const char* name;
  const char* description;
  bool (*keep)(const Comparison&, std::size_t unit);
};

const Filter kFilters[] = {
    {"all_tokens", "every scored unit", [](const Comparison&, std::size_t) { return true; }},
    {"open_no_copy",
     "open-class word units whose text has not occurred earlier (completes no repeated n-gram of any length; the "
     "study's TOP-10 open-class families ∩ NO-COPY, with all open-class words instead of the top ten POS families)",
     [](const Comparison& c, std::size_t u) { return has_label(c.labels[u], "word:open") && c.copy_length[u] == 0; }},
    {"copy5_only", "units completing a repeated n-gram with n >= 5 (the study's COPY-5-ONLY)",
     [](const Comparison& c, std::size_t u) { return c.copy_length[u] >= 5; }},
};

bool same_tokenization(const std::vector<ModelTokens>& models) {
  for (const ModelTokens& m : models) {
    if (m.tokens.size() != models.front().tokens.size()) return false;
    for (std::size_t i = 0; i < m.tokens.size(); ++i)
      if (m.tokens[i].id != models.front().tokens[i].id || m.tokens[i].span != models.front().tokens[i].span)
        return false;
  }
  return true;
}

ModelSummary summarise_model(const Report& r, std::size_t m) {
  const ModelTokens& model = r.comparison.models[m];
  ModelSummary s;
  s.name = model.name;
  s.reference = m == r.comparison.reference;
  s.tokens = model.tokens.size();
  s.vocabulary = model.vocabulary;
  double nats = 0;
  for (std::size_t u : r.scored_units) {
    nats += r.comparison.units[u].nll[m];
    s.scored_tokens += r.comparison.units[u].tokens[m].size();
  }
  s.invalid_tokens = static_cast<std::size_t>(
      std::count_if(model.tokens.begin(), model.tokens.end(), [](const Token& t) { return t.invalid; }));
  for (std::size_t i : r.comparison.unaligned_tokens[m])
    if (model.tokens[i].has_nll()) s.unaligned_nll += model.tokens[i].nll * r.scale();
  s.total_nll = nats * r.scale();
  if (s.scored_tokens > 0) {
    s.mean_nll_per_token = s.total_nll / static_cast<double>(s.scored_tokens);
    s.perplexity_per_token = std::exp(nats / static_cast<double>(s.scored_tokens));
  }
  if (r.scored_bytes > 0) s.bits_per_byte = nats / std::numbers::ln2 / static_cast<double>(r.scored_bytes);
  return s;
}

std::vector<std::string> report_notes(const Report& r) {
  std::vector<std::string> notes;
  const Comparison& c = r.comparison;
  notes.push_back("Δ = NLL(" + c.models[c.reference].name + ") − NLL(model) in " +
                  std::string(loss_unit_name(r.options.loss_unit)) +
                  "; positive: the compared model gave the actual next text higher probability.");
  if (!same_tokenization(c.models))
    notes.push_back("The models tokenize the text differently: losses are compared on units, the coarsest byte spans "
                    "on which every model has a token boundary; a unit's loss is the sum of the model's token losses "
                    "inside it. Per-token perplexities are then not comparable; bits per byte are.");
  for (const ModelTokens& m : c.models)
    if (m.vocabulary.restricted_to_tokenizer())
      notes.push_back(m.name + ": the model's vocabulary (" + std::to_string(m.vocabulary.model_size) +
                      ") is padded beyond its tokenizer's (" + std::to_string(m.vocabulary.tokenizer_size) +
                      "); predictions are restricted to the real vocabulary.");
  for (const ModelSummary& s : r.models)
    if (s.invalid_tokens > 0)
      notes.push_back(s.name + ": " + std::to_string(s.invalid_tokens) +
                      " token(s) have non-finite scores (the logits were not finite, e.g. from NaN/Inf weights in the "
                      "checkpoint); they are left out of every loss, mean and interval.");
  const std::size_t unscored = c.units.size() - r.scored_units.size();
  if (unscored > 0)
    notes.push_back(std::to_string(unscored) + " of " + std::to_string(c.units.size()) +
                    " units have no loss for some model (the first token, or a token without a prediction) and are "
                    "left out of all statistics.");
  return notes;
}

}  // namespace

Report build_report(Comparison comparison, const ReportOptions& options) {
  Report r;
  r.options = options;
  r.comparison = std::move(comparison);
  const Comparison& c = r.comparison;
  for (std::size_t u = 0; u < c.units.size(); ++u)
    if (c.units[u].scored()) {
      r.scored_units.push_back(u);
      r.scored_bytes += c.units[u].span.end - c.units[u].span.begin;
    }
  for (std::size_t m = 0; m < c.models.size(); ++m) r.models.push_back(summarise_model(r, m));

  std::vector<std::vector<double>> nll(c.models.size(), std::vector<double>(c.units.size()));
  for (std::size_t m = 0; m < c.models.size(); ++m)
    for (std::size_t u = 0; u < c.units.size(); ++u) nll[m][u] = r.unit_nll(u, m);

  std::map<std::string, std::vector<std::size_t>> by_label;
  for (std::size_t u : r.scored_units)
    for (const std::string& label : c.labels[u]) by_label[label].push_back(u);
  r.categories.push_back(group_stats("all", nll, c.reference, r.scored_units, options.bootstrap));
  for (const auto& [label, units] : by_label)
    r.categories.push_back(group_stats(label, nll, c.reference, units, options.bootstrap));

  for (const Filter& filter : kFilters) {
    std::vector<std::size_t> units;
    for (std::size_t u : r.scored_units)
      if (filter.keep(c, u)) units.push_back(u);
    r.filtered.push_back(group_stats(filter.name, nll, c.reference, units, options.bootstrap));
    r.filtered.back().description = filter.description;
  }

  for (std::size_t m = 0; m < c.models.size(); ++m) {
    if (m == c.reference) continue;
    std::vector<double> deltas;
    for (std::size_t u : r.scored_units) deltas.push_back(r.unit_delta(u, m));
    r.histograms.push_back({m, histogram(deltas, options.histogram_edges)});
  }
  r.notes = report_notes(r);
  return r;
}

}  // namespace hl::analysis
