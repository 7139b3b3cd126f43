#pragma once
// A read-only view of one checkpoint tensor: a pointer into the memory-mapped file, never a copy.
//
// Layout: row-major (C order) with the shape as stored by PyTorch. Linear weights are [out_features, in_features],
// so y = x · Wᵀ; depthwise conv weights are [channels, 1, kernel]; stacked experts are [experts, out, in].
// The data pointer is only guaranteed to be byte-aligned (safetensors does not require alignment): read elements
// with memcpy or copy/convert the tensor before vectorised use.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/checkpoint/dtype.h"

namespace hl {

using Shape = std::vector<std::int64_t>;

struct TensorView {
  std::string name;
  DType dtype = DType::BF16;
  Shape shape;
  const std::byte* data = nullptr;  // points into the mapping; valid while the owning file/checkpoint lives
  std::size_t nbytes = 0;

  std::int64_t numel() const;
};

std::string format_shape(const Shape& s);  // "[64,128]"

}  // namespace hl
