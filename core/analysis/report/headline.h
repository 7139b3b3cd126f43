#pragma once
// The headline of a comparison, formatted once for every place that shows it (the window's summary above the token
// view and the slide's models line): the compared model's (the hybrid's) mean Δ against the report's reference with
// its 95 % interval and win share over the scored units, every model's bits per byte, the compared model's mean Δ
// against the further references of the same run, and a warning first for models with non-finite scores. Plain
// UTF-8 text; Δ values carry their sign (a true minus), "–" stands where there is no value.
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/analysis/report/report.h"

namespace hl::analysis {

// The compared model's Δ against one reference over the scored units: its report's "all" row.
struct ReferenceGap {
  std::string reference;
  GapStats gap;
};

// nullopt when the report has no scored unit or no compared model.
std::optional<ReferenceGap> reference_gap(const Report& report);

// The gap of every report but the one at `active`: the reports of one run, one per reference, as the GUI scores a
// hybrid against several references. Null reports and reports without a gap are skipped.
std::vector<ReferenceGap> other_reference_gaps(const std::vector<std::shared_ptr<const Report>>& reports,
                                               std::size_t active);

// E.g. "mean Δ +0.123 nats [−0.050, +0.300] · hybrid better on 55.0 % of 120 scored units · hybrid 1.234 bits/byte ·
// reference 1.301 bits/byte · vs other: mean Δ +0.100 nats [+0.010, +0.200]"; "no units scored by both models" in
// place of the Δ part when there are none.
std::string headline(const Report& report, std::span<const ReferenceGap> other_references = {});

// "+0.123", "−0.050", "0.000" (no sign once rounded to zero), "–" for NaN or infinity.
std::string signed_number(double value, int digits = 3);

}  // namespace hl::analysis
