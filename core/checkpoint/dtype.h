#pragma once
// Element types of checkpoint tensors. Only the floating-point types HybridLens computes with are representable;
// every other safetensors dtype is recognised by name (so the error can say "unsupported" rather than "unknown")
// and refused at load time.
#include <cstddef>
#include <optional>
#include <string_view>

namespace hl {

enum class DType { BF16, F16, F32 };

std::size_t dtype_size(DType t);
std::string_view dtype_name(DType t);                          // the safetensors spelling: "BF16", "F16", "F32"
std::optional<DType> parse_supported_dtype(std::string_view name);  // nullopt when not BF16/F16/F32
bool is_known_safetensors_dtype(std::string_view name);        // any dtype the safetensors format defines

}  // namespace hl
