#include "core/model/config_reader.h"

#include <cmath>

#include "core/checkpoint/checkpoint_error.h"
#include "core/checkpoint/strict_json.h"

namespace hl {

const nlohmann::json* ConfigReader::find(Keys keys) const {
  for (auto k : keys) {
    const auto it = root_.find(k);
    if (it != root_.end() && !it->is_null()) return &*it;
  }
  return nullptr;
}

std::string ConfigReader::field_name(Keys keys) const {
  for (auto k : keys)
    if (root_.contains(k)) return std::string(k);
  return std::string(*keys.begin());
}

void ConfigReader::fail(std::string_view field, const std::string& what) const {
  throw CheckpointError(label_ + ": field '" + std::string(field) + "' " + what);
}

std::int64_t ConfigReader::to_integer(std::string_view field, const nlohmann::json& v) const {
  if (v.is_number_unsigned()) {
    const auto u = v.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(INT64_MAX)) fail(field, "is " + std::to_string(u) + ", too large");
    return static_cast<std::int64_t>(u);
  }
  if (v.is_number_integer()) return v.get<std::int64_t>();
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e18) return static_cast<std::int64_t>(d);
    fail(field, "is " + printable(v.dump()) + ", expected an integer");
  }
  fail(field, "must be an integer, found " + json_type_name(v));
}

std::int64_t ConfigReader::dim(Keys keys, std::optional<std::int64_t> fallback, std::int64_t max) const {
  const auto* v = find(keys);
  const auto field = field_name(keys);
  if (!v) {
    if (!fallback) fail(field, "is missing");
    return *fallback;
  }
  const auto n = to_integer(field, *v);
  if (n <= 0) fail(field, "is " + std::to_string(n) + ", expected a positive integer");
  if (n > max) fail(field, "is " + std::to_string(n) + ", more than the limit " + std::to_string(max));
  return n;
}

std::int64_t ConfigReader::integer(Keys keys, std::int64_t fallback, std::int64_t min, std::int64_t max) const {
  const auto* v = find(keys);
  if (!v) return fallback;
  const auto field = field_name(keys);
  const auto n = to_integer(field, *v);
  if (n < min || n > max)
    fail(field, "is " + std::to_string(n) + ", expected " + std::to_string(min) + ".." + std::to_string(max));
  return n;
}

std::optional<std::int64_t> ConfigReader::dim_or_auto(Keys keys) const {
  const auto* v = find(keys);
  if (!v || (v->is_string() && v->get_ref<const std::string&>() == "auto")) return std::nullopt;
  return dim(keys);
}

double ConfigReader::number(Keys keys, double fallback) const {
  const auto* v = find(keys);
  if (!v) return fallback;
  const auto field = field_name(keys);
  if (!v->is_number()) fail(field, "must be a number, found " + json_type_name(*v));
  const double d = v->get<double>();
  if (!std::isfinite(d)) fail(field, "must be finite");
  return d;
}

bool ConfigReader::boolean(Keys keys, bool fallback) const {
  const auto* v = find(keys);
  if (!v) return fallback;
  if (!v->is_boolean()) fail(field_name(keys), "must be true or false, found " + json_type_name(*v));
  return v->get<bool>();
}

std::string ConfigReader::string(Keys keys, std::string fallback) const {
  const auto* v = find(keys);
  if (!v) return fallback;
  if (!v->is_string()) fail(field_name(keys), "must be a string, found " + json_type_name(*v));
  return v->get<std::string>();
}

std::vector<std::int64_t> ConfigReader::int_list(Keys keys, std::int64_t min, std::int64_t max) const {
  const auto* v = find(keys);
  if (!v) return {};
  const auto field = field_name(keys);
  if (!v->is_array()) fail(field, "must be a list of integers, found " + json_type_name(*v));
  if (v->size() > static_cast<std::size_t>(kMaxLayers)) fail(field, "has more than 10000 entries");
  std::vector<std::int64_t> out;
  for (const auto& e : *v) {
    const auto n = to_integer(field, e);
    if (n < min || n > max)
      fail(field, "contains " + std::to_string(n) + ", expected " + std::to_string(min) + ".." + std::to_string(max));
    out.push_back(n);
  }
  return out;
}

std::vector<double> ConfigReader::number_list(Keys keys) const {
  const auto* v = find(keys);
  if (!v) return {};
  const auto field = field_name(keys);
  if (!v->is_array() || v->size() > 1u << 20) fail(field, "must be a list of numbers, found " + json_type_name(*v));
  std::vector<double> out;
  for (const auto& e : *v) {
    if (!e.is_number() || !std::isfinite(e.get<double>())) fail(field, "must contain only finite numbers");
    out.push_back(e.get<double>());
  }
  return out;
}

std::vector<std::string> ConfigReader::string_list(Keys keys) const {
  const auto* v = find(keys);
  if (!v) return {};
  const auto field = field_name(keys);
  if (!v->is_array()) fail(field, "must be a list of strings, found " + json_type_name(*v));
  if (v->size() > static_cast<std::size_t>(kMaxLayers)) fail(field, "has more than 10000 entries");
  std::vector<std::string> out;
  for (const auto& e : *v) {
    if (!e.is_string()) fail(field, "must contain only strings, found " + json_type_name(e));
    out.push_back(e.get<std::string>());
  }
  return out;
}

std::int64_t checked_product(std::int64_t a, std::int64_t b, const std::string& what) {
  std::int64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) throw CheckpointError(what + " overflows 64 bits");
  return r;
}

}  // namespace hl
