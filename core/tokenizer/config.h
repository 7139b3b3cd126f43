#pragma once
// Reading tokenizer.json values with errors that name the JSON path (e.g. "pre_tokenizer.pretokenizers[1].type").
#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/checkpoint/strict_json.h"
#include "core/tokenizer/error.h"

namespace hl::tok::config {

using nlohmann::json;

[[noreturn]] inline void fail(const std::string& path, const std::string& what) { throw TokenizerError(path + " " + what); }

[[noreturn]] inline void unsupported(const std::string& path, const std::string& type) {
  fail(path + ".type", "'" + printable(type) + "' is not supported");
}

inline const json& need(const json& obj, const char* key, const std::string& path) {
  if (!obj.is_object()) fail(path, "must be an object");
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) fail(path + "." + key, "is missing");
  return *it;
}

inline std::string type_of(const json& obj, const std::string& path) {
  const json& t = need(obj, "type", path);
  if (!t.is_string()) fail(path + ".type", "must be a string");
  return t.get<std::string>();
}

template <class T>
T get(const json& obj, const char* key, const std::string& path) {
  const json& v = need(obj, key, path);
  try {
    return v.get<T>();
  } catch (const json::exception&) {
    fail(path + "." + key, "has the wrong type");
  }
}

// Optional value: missing or null gives the fallback.
template <class T>
T get_or(const json& obj, const char* key, T fallback, const std::string& path) {
  if (!obj.is_object()) fail(path, "must be an object");
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return fallback;
  try {
    return it->get<T>();
  } catch (const json::exception&) {
    fail(path + "." + key, "has the wrong type");
  }
}

inline const json& need_array(const json& obj, const char* key, const std::string& path) {
  const json& v = need(obj, key, path);
  if (!v.is_array()) fail(path + "." + key, "must be an array");
  return v;
}

inline std::string item(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

// A token id: it indexes the embedding matrix, so a value outside [0, 2^31) is refused, never truncated or wrapped.
inline std::int32_t token_id(const json& v, const std::string& path) {
  if (v.is_number_unsigned() && v.get<std::uint64_t>() <= static_cast<std::uint64_t>(INT32_MAX))
    return static_cast<std::int32_t>(v.get<std::uint64_t>());
  if (v.is_number_integer() && v.get<std::int64_t>() >= 0 && v.get<std::int64_t>() <= INT32_MAX)
    return static_cast<std::int32_t>(v.get<std::int64_t>());
  fail(path, "is " + printable(v.dump(), 40) + ", expected a token id in 0..2147483647");
}

inline std::vector<std::int32_t> token_ids(const json& obj, const char* key, const std::string& path) {
  const json& list = need_array(obj, key, path);
  std::vector<std::int32_t> ids;
  for (std::size_t i = 0; i < list.size(); ++i) ids.push_back(token_id(list[i], item(path + "." + key, i)));
  return ids;
}

// The steps of a "Sequence" component (normalizer, pre-tokenizer, decoder, post-processor): each entry of
// obj[key] made by make(entry, path), entries that make nothing (null) left out.
template <class Component, class Make>
std::vector<std::unique_ptr<Component>> sequence_steps(const json& obj, const char* key, const std::string& path,
                                                       Make make) {
  const json& list = need_array(obj, key, path);
  std::vector<std::unique_ptr<Component>> steps;
  for (std::size_t i = 0; i < list.size(); ++i)
    if (auto step = make(list[i], item(path + "." + key, i))) steps.push_back(std::move(step));
  return steps;
}

}  // namespace hl::tok::config
