#pragma once
// A report over a Comparison: per-model summaries, the category table, the study's filtered losses, Δ histograms and
// notes, plus writers for JSON (docs/report-schema.md), CSV (one row per unit) and a self-contained HTML page.
//
// All losses in a report are in its loss unit: nats, or bits (nats / ln 2) as a display option. Statistics use the
// scored units only: units where every model has a loss (see alignment.h).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/analysis/comparison/comparison.h"
#include "core/analysis/report/statistics.h"

namespace hl::analysis {

enum class LossUnit { nats, bits };
std::string_view loss_unit_name(LossUnit unit);

struct ReportOptions {
  LossUnit loss_unit = LossUnit::nats;
  BootstrapOptions bootstrap;
  std::vector<double> histogram_edges = default_gap_edges();  // in the loss unit
  double colour_limit = 2.0;  // HTML: |Δ| (loss unit) at which a unit's colour saturates
};

struct ModelSummary {
  std::string name;
  bool reference = false;
  std::size_t tokens = 0;         // all of the model's tokens
  std::size_t scored_tokens = 0;  // its tokens inside scored units
  double total_nll = 0;           // over scored units
  double mean_nll_per_token = kNoValue;    // total_nll / scored_tokens (own tokens)
  double perplexity_per_token = kNoValue;  // exp of that mean in nats; comparable only between equal tokenizers
  double bits_per_byte = kNoValue;         // total NLL in bits / scored bytes; comparable across tokenizers
  double unaligned_nll = 0;                // NLL of tokens with empty spans (e.g. a scored EOS), not in any unit
  std::size_t invalid_tokens = 0;          // tokens with non-finite statistics (Token::invalid): in no loss
  Vocabulary vocabulary;
};

struct GapHistogram {
  std::size_t model = 0;  // the compared model
  Histogram histogram;
};

struct Report {
  static constexpr std::string_view kSchema = "hybridlens.report";
  static constexpr int kVersion = 1;

  ReportOptions options;
  Comparison comparison;
  std::vector<std::size_t> scored_units;
  std::size_t scored_bytes = 0;
  std::vector<ModelSummary> models;
  std::vector<GroupStats> categories;  // "all" first, then every label that occurs, sorted by name
  std::vector<GroupStats> filtered;    // the study's filtered losses: all_tokens, open_no_copy, copy5_only
  std::vector<GapHistogram> histograms;
  std::vector<std::string> notes;

  double scale() const;  // nats → loss unit
  double unit_nll(std::size_t unit, std::size_t model) const;    // loss unit; NaN where none
  double unit_delta(std::size_t unit, std::size_t model) const;  // loss unit; NaN unless both scored
};

Report build_report(Comparison comparison, const ReportOptions& options = {});

std::string to_json(const Report& report);
std::string to_csv(const Report& report);
std::string to_html(const Report& report);
// The report in `format` (json, csv, html or htm: a file suffix or a --format value); nullopt for any other.
std::optional<std::string> to_format(const Report& report, std::string_view format);

// Shortest round-trip-safe decimal ("%.9g"); empty for NaN and infinities.
std::string format_number(double value);

}  // namespace hl::analysis
