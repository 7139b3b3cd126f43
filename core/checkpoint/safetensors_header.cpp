#include "core/checkpoint/safetensors_header.h"

#include <algorithm>
#include <optional>

#include "core/checkpoint/checkpoint_error.h"
#include "core/checkpoint/strict_json.h"

namespace hl {

namespace {

constexpr std::size_t kMaxRank = 16;

using nlohmann::json;

std::optional<std::uint64_t> checked_mul(std::uint64_t a, std::uint64_t b) {
  std::uint64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}

struct EntryParser {
  const std::string& label;
  std::uint64_t data_size;

  [[noreturn]] void fail(const std::string& name, const std::string& what) const {
    throw CheckpointError(label + ": tensor '" + printable(name) + "': " + what);
  }

  SafetensorsEntry parse(const std::string& name, const json& info) const {
    if (name.empty()) throw CheckpointError(label + ": a tensor has an empty name");
    if (!info.is_object()) fail(name, "expected an object, found " + json_type_name(info));
    for (const auto& [key, _] : info.items())
      if (key != "dtype" && key != "shape" && key != "data_offsets")
        fail(name, "unexpected field '" + printable(key) + "' (expected dtype, shape, data_offsets)");
    SafetensorsEntry e;
    e.name = name;
    e.dtype = parse_dtype(name, info);
    e.shape = parse_shape(name, info);
    parse_offsets(name, info, e);
    check_size(e);
    return e;
  }

  DType parse_dtype(const std::string& name, const json& info) const {
    const auto it = info.find("dtype");
    if (it == info.end()) fail(name, "missing field 'dtype'");
    if (!it->is_string()) fail(name, "'dtype' must be a string, found " + json_type_name(*it));
    const auto& s = it->get_ref<const std::string&>();
    if (auto t = parse_supported_dtype(s)) return *t;
    if (is_known_safetensors_dtype(s))
      fail(name, "dtype " + s + " is not supported (supported: BF16, F16, F32)");
    fail(name, "unknown dtype '" + printable(s) + "'");
  }

  Shape parse_shape(const std::string& name, const json& info) const {
    const auto it = info.find("shape");
    if (it == info.end()) fail(name, "missing field 'shape'");
    if (!it->is_array()) fail(name, "'shape' must be an array, found " + json_type_name(*it));
    if (it->size() > kMaxRank)
      fail(name, "shape has " + std::to_string(it->size()) + " dimensions, at most " + std::to_string(kMaxRank) +
                     " allowed");
    Shape shape;
    for (std::size_t i = 0; i < it->size(); ++i) {
      const auto& d = (*it)[i];
      if (d.is_number_integer() && !d.is_number_unsigned())
        fail(name, "shape dimension " + std::to_string(i) + " is " + std::to_string(d.get<std::int64_t>()) +
                       ", expected a non-negative integer");
      if (!d.is_number_unsigned())
        fail(name, "shape dimension " + std::to_string(i) + " must be an integer, found " + json_type_name(d));
      const auto v = d.get<std::uint64_t>();
      if (v > static_cast<std::uint64_t>(INT64_MAX))
        fail(name, "shape dimension " + std::to_string(i) + " is " + std::to_string(v) + ", too large");
      shape.push_back(static_cast<std::int64_t>(v));
    }
    return shape;
  }

  void parse_offsets(const std::string& name, const json& info, SafetensorsEntry& e) const {
    const auto it = info.find("data_offsets");
    if (it == info.end()) fail(name, "missing field 'data_offsets'");
    if (!it->is_array() || it->size() != 2 || !(*it)[0].is_number_unsigned() || !(*it)[1].is_number_unsigned())
      fail(name, "'data_offsets' must be two non-negative integers [begin, end], found " + printable(it->dump(), 80));
    e.begin = (*it)[0].get<std::uint64_t>();
    e.end = (*it)[1].get<std::uint64_t>();
    if (e.begin > e.end)
      fail(name, "data_offsets [" + std::to_string(e.begin) + "," + std::to_string(e.end) + "] have begin > end");
    if (e.end > data_size)
      fail(name, "data_offsets end " + std::to_string(e.end) + " is past the end of the data section (" +
                     std::to_string(data_size) + " bytes)");
  }

  void check_size(const SafetensorsEntry& e) const {
    std::optional<std::uint64_t> count = 1;
    for (auto d : e.shape)
      if (count) count = checked_mul(*count, static_cast<std::uint64_t>(d));
    std::optional<std::uint64_t> bytes = count ? checked_mul(*count, dtype_size(e.dtype)) : std::nullopt;
    const std::string what = "shape " + format_shape(e.shape) + " × " + std::string(dtype_name(e.dtype));
    if (!bytes) fail(e.name, what + " overflows a 64-bit byte count");
    if (*bytes != e.end - e.begin)
      fail(e.name, what + " needs " + std::to_string(*bytes) + " bytes, header says " +
                       std::to_string(e.end - e.begin));
  }
};

std::map<std::string, std::string> parse_metadata(const json& meta, const std::string& label) {
  if (!meta.is_object())
    throw CheckpointError(label + ": '__metadata__' must be an object, found " + json_type_name(meta));
  std::map<std::string, std::string> out;
  for (const auto& [key, value] : meta.items()) {
    if (!value.is_string())
      throw CheckpointError(label + ": '__metadata__' entry '" + printable(key) + "' must be a string, found " +
                            json_type_name(value));
    out.emplace(key, value.get<std::string>());
  }
  return out;
}

// The tensors must tile [0, data_size) exactly: anything else means a truncated, padded or tampered file.
void check_tiling(std::vector<const SafetensorsEntry*> order, std::uint64_t data_size, const std::string& label) {
  std::sort(order.begin(), order.end(), [](auto* a, auto* b) {
    return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
  });
  std::uint64_t cursor = 0;
  const SafetensorsEntry* previous = nullptr;
  for (const auto* e : order) {
    if (e->begin < cursor)
      throw CheckpointError(label + ": tensors '" + printable(previous->name) + "' [" +
                            std::to_string(previous->begin) + "," + std::to_string(previous->end) + ") and '" +
                            printable(e->name) + "' [" + std::to_string(e->begin) + "," + std::to_string(e->end) +
                            ") overlap");
    if (e->begin > cursor)
      throw CheckpointError(label + ": gap of " + std::to_string(e->begin - cursor) + " bytes before tensor '" +
                            printable(e->name) + "' at data offset " + std::to_string(cursor) +
                            " (the data section must be fully covered)");
    cursor = e->end;
    previous = e;
  }
  if (cursor != data_size)
    throw CheckpointError(label + ": " + std::to_string(data_size - cursor) +
                          " unaccounted bytes after the last tensor (data section is " + std::to_string(data_size) +
                          " bytes, tensors cover " + std::to_string(cursor) + ")");
}

}  // namespace

SafetensorsHeader parse_safetensors(std::span<const std::byte> file, const std::string& label) {
  if (file.size() < 8)
    throw CheckpointError(label + ": file is " + std::to_string(file.size()) +
                          " bytes, too short for the 8-byte header length");
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<std::uint8_t>(file[static_cast<std::size_t>(i)]);
  if (n > kMaxSafetensorsHeaderBytes)
    throw CheckpointError(label + ": header length " + std::to_string(n) + " exceeds the 100 MB limit");
  if (n > file.size() - 8)
    throw CheckpointError(label + ": header length " + std::to_string(n) + " runs past the end of the file (" +
                          std::to_string(file.size()) + " bytes)");

  const auto* text = reinterpret_cast<const char*>(file.data() + 8);
  const json header = parse_json_strict(std::string_view(text, static_cast<std::size_t>(n)), label);
  if (!header.is_object())
    throw CheckpointError(label + ": header must be a JSON object, found " + json_type_name(header));

  SafetensorsHeader out;
  out.data_offset = 8 + n;
  const std::uint64_t data_size = file.size() - out.data_offset;
  const EntryParser parser{label, data_size};
  for (const auto& [name, info] : header.items()) {
    if (name == "__metadata__")
      out.metadata = parse_metadata(info, label);
    else
      out.tensors.push_back(parser.parse(name, info));
  }
  std::vector<const SafetensorsEntry*> order;
  order.reserve(out.tensors.size());
  for (const auto& e : out.tensors) order.push_back(&e);
  check_tiling(std::move(order), data_size, label);
  return out;
}

}  // namespace hl
