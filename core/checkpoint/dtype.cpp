#include "core/checkpoint/dtype.h"

#include <array>

namespace hl {

std::size_t dtype_size(DType t) {
  switch (t) {
    case DType::BF16:
    case DType::F16: return 2;
    case DType::F32: return 4;
  }
  return 0;
}

std::string_view dtype_name(DType t) {
  switch (t) {
    case DType::BF16: return "BF16";
    case DType::F16: return "F16";
    case DType::F32: return "F32";
  }
  return "?";
}

std::optional<DType> parse_supported_dtype(std::string_view name) {
  if (name == "BF16") return DType::BF16;
  if (name == "F16") return DType::F16;
  if (name == "F32") return DType::F32;
  return std::nullopt;
}

bool is_known_safetensors_dtype(std::string_view name) {
  // The dtype list of the safetensors format (safetensors/src/tensor.rs, Dtype).
  static constexpr std::array<std::string_view, 20> kKnown = {
      "BOOL", "U8",  "I8",  "I16", "U16",     "F16",     "BF16",    "I32",     "U32", "F32",
      "F64",  "I64", "U64", "F4",  "F6_E2M3", "F6_E3M2", "F8_E4M3", "F8_E5M2", "F8_E8M0", "C64"};
  for (auto k : kKnown)
    if (k == name) return true;
  return false;
}

}  // namespace hl
