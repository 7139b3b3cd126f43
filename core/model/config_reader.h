#pragma once
// Typed, validating access to config.json fields. Every getter takes the list of spellings real configs use for
// one field (first present wins, so list the name that should win first) and a default equal to the transformers
// config class default. Violations throw CheckpointError("config.json: field 'x' ...") naming the field.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace hl {

using Keys = std::initializer_list<std::string_view>;

// Upper bound for any single size field (hidden, heads, state, intermediate...): far above real models, low enough
// that products of three fields cannot overflow 64 bits.
inline constexpr std::int64_t kMaxDimension = std::int64_t{1} << 24;
inline constexpr std::int64_t kMaxVocab = std::int64_t{1} << 31;
inline constexpr std::int64_t kMaxLayers = 10000;
inline constexpr std::int64_t kMaxExperts = 65536;  // bounds the per-expert tensor list binding builds
// Fields that size scratch buffers without any weight behind them (checked against the checkpoint) get their own
// bound: the Mamba2 SSD works on chunk × chunk matrices (real models use 128-256).
inline constexpr std::int64_t kMaxScanChunk = 4096;
// The plan as a whole: experts summed over layers (each has its own tensors to bind) and the parameter count the
// sizes imply. Released MoE models have up to ~25k experts in all and about 2^40 parameters.
inline constexpr std::int64_t kMaxTotalExperts = std::int64_t{1} << 17;
inline constexpr std::int64_t kMaxParameters = std::int64_t{1} << 42;

class ConfigReader {
 public:
  ConfigReader(const nlohmann::json& root, std::string label) : root_(root), label_(std::move(label)) {}

  const nlohmann::json* find(Keys keys) const;  // first present, non-null spelling; nullptr if none
  bool has(Keys keys) const { return find(keys) != nullptr; }

  // A size: integer in [1, max]. No default → the field is required.
  std::int64_t dim(Keys keys, std::optional<std::int64_t> fallback = {}, std::int64_t max = kMaxDimension) const;
  // Integer in [min, max] (offsets, indices, windows).
  std::int64_t integer(Keys keys, std::int64_t fallback, std::int64_t min, std::int64_t max) const;
  double number(Keys keys, double fallback) const;  // finite unless the default is not
  bool boolean(Keys keys, bool fallback) const;
  std::string string(Keys keys, std::string fallback) const;
  std::vector<std::int64_t> int_list(Keys keys, std::int64_t min, std::int64_t max) const;  // empty when absent
  std::vector<double> number_list(Keys keys) const;
  std::vector<std::string> string_list(Keys keys) const;
  // "auto" (or absent) → nullopt; otherwise a dim.
  std::optional<std::int64_t> dim_or_auto(Keys keys) const;

  [[noreturn]] void fail(std::string_view field, const std::string& what) const;
  std::string field_name(Keys keys) const;  // the spelling present in the file, else the first
  const std::string& label() const { return label_; }
  const nlohmann::json& root() const { return root_; }

 private:
  std::int64_t to_integer(std::string_view field, const nlohmann::json& v) const;
  const nlohmann::json& root_;
  std::string label_;
};

// a·b for sizes, throwing CheckpointError naming `what` on 64-bit overflow.
std::int64_t checked_product(std::int64_t a, std::int64_t b, const std::string& what);

}  // namespace hl
