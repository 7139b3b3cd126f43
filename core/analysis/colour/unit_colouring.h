#pragma once
// What the token view colours a unit by, and how: the colouring modes (Δ, one model's NLL, its GLTR rank bucket,
// its entropy, the unit's category), each unit's colour and ink under a mode, and the legend that explains it.
// No Qt: the GUI only converts the Rgb values (ui/TokenDeltaModel, ui/DeltaLegend).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/analysis/colour/colour_scales.h"
#include "core/analysis/report/report.h"

namespace hl::analysis {

enum class ColourMode { delta, nll, rank, entropy, category };

// The model a per-model mode looks at: the comparison's reference, or the model compared with it (the hybrid).
enum class ModelRole { reference, compared };

struct ColouringSettings {
  ColourMode mode = ColourMode::delta;
  ModelRole model = ModelRole::compared;  // for nll, rank and entropy
  // For nll, rank and entropy: a model by its index in the comparison; -1: the one `model` (role) names. Lets a view
  // show any of several references; an index out of range colours nothing.
  int model_index = -1;
  double delta_limit = 2.0;               // |Δ| (loss unit) at which the Δ colour saturates
  double sequential_max = 0;              // NLL / entropy (loss unit) at the dark end; ≤ 0: auto_sequential_max
};

// The session file's names for a mode (core/session, docs/sessions.md): delta, nll_reference, nll_hybrid,
// rank / entropy (the hybrid's, as older sessions mean), rank_reference, entropy_reference, category.
std::string colouring_key(ColourMode mode, ModelRole model);
// nullopt for an unknown key. For delta and category the role is the compared model (it does not matter).
std::optional<std::pair<ColourMode, ModelRole>> parse_colouring_key(std::string_view key);

// A unit's measures for one model, in nats. Rank: the largest rank (0-based) of the model's tokens in the unit,
// i.e. the least expected of them decides the bucket; -1 when none has a rank. Entropy: the mean entropy of the
// model's predictions of its tokens in the unit; NaN when none has one.
int unit_rank(const Comparison& comparison, std::size_t unit, std::size_t model);
double unit_entropy(const Comparison& comparison, std::size_t unit, std::size_t model);

// How a unit is drawn: a background (none: no value under this mode, e.g. the unscored first token) and the ink
// that reads best on it.
struct UnitColour {
  std::optional<Rgb> background;
  Rgb ink{0, 0, 0};
};

// The legend for a mode. Continuous scales (diverging Δ, sequential) are a gradient (evenly spaced colours, left to
// right) with ticks at positions in [0, 1]; the categorical ones (rank buckets, categories) are swatches.
struct ColourLegend {
  enum class Kind { diverging, sequential, categorical };
  struct Tick {
    double position;
    std::string label;
  };
  struct Swatch {
    std::string label;
    Rgb colour;
    std::string detail;  // e.g. the category labels a class covers
  };
  Kind kind = Kind::diverging;
  std::string title;  // what the colours show, e.g. "NLL of olmo_hybrid (nats)"
  std::vector<Rgb> gradient;
  std::vector<Tick> ticks;
  std::vector<Swatch> swatches;
  // Diverging only: what each end means, e.g. "◀ llama better" and "olmo_hybrid better ▶".
  std::string low_end, high_end;
  Rgb low_end_colour, high_end_colour;

  std::string text() const;  // every label in reading order, one line (for tooltips, accessibility and tests)
};

// A report's per-unit measures, gathered once, so that switching the mode or the range is a pass over arrays.
class UnitColourer {
 public:
  explicit UnitColourer(const Report& report);

  std::size_t unit_count() const { return delta_.size(); }
  std::vector<UnitColour> colour(const ColouringSettings& settings) const;
  ColourLegend legend(const ColouringSettings& settings) const;
  // The dark end of the sequential scale when the settings leave it to us: the 95th percentile of the mode's finite
  // values over all units (a few extreme tokens would otherwise wash the rest out), 1 when there are none. The model
  // by its index in the comparison (out of range: 1) or by its role.
  double auto_sequential_max(ColourMode mode, std::size_t model) const;
  double auto_sequential_max(ColourMode mode, ModelRole model) const;
  double sequential_max(const ColouringSettings& settings) const;  // the settings' max, or the auto one
  // The measure a mode colours a unit by (loss unit; rank: the 0-based rank as a double, -1 none; category: the
  // CategoryClass index). NaN where the unit has none.
  double value(const ColouringSettings& settings, std::size_t unit) const;

 private:
  // One model's measures, [unit].
  struct ModelMeasures {
    std::string name;
    std::vector<double> nll, entropy;  // loss unit
    std::vector<int> rank;
    double auto_max_nll = 1, auto_max_entropy = 1;

    double auto_max(ColourMode mode) const { return mode == ColourMode::entropy ? auto_max_entropy : auto_max_nll; }
  };

  std::size_t index_of(ModelRole model) const { return model == ModelRole::reference ? reference_ : compared_; }
  // The model a per-model mode looks at: its index (possibly out of range), and its measures or nullptr when the
  // index is out of range (or there is no report).
  std::size_t chosen_index(const ColouringSettings& settings) const;
  const ModelMeasures* chosen(const ColouringSettings& settings) const;
  std::string role_name(ModelRole model) const;
  std::string chosen_name(const ColouringSettings& settings) const;

  std::vector<double> delta_;            // [unit] loss unit, of the compared model
  std::vector<CategoryClass> category_;  // [unit]
  std::vector<ModelMeasures> models_;    // [model] in the comparison's order
  std::size_t reference_ = 0, compared_ = 0;
  std::string loss_unit_ = "nats";
};

}  // namespace hl::analysis
