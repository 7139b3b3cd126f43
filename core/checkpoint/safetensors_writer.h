#pragma once
// Serialises tensors into the safetensors format (header padded to 8 bytes, data packed in the given order).
// Used to build test checkpoints and fuzz seeds; the result always passes parse_safetensors.
#include <map>
#include <string>
#include <vector>

#include "core/checkpoint/tensor_view.h"

namespace hl {

struct TensorBlob {
  std::string name;
  std::string dtype;  // safetensors spelling, e.g. "BF16"
  Shape shape;
  std::string bytes;  // raw little-endian data; its size must match shape × dtype size
};

std::string safetensors_bytes(const std::vector<TensorBlob>& tensors,
                              const std::map<std::string, std::string>& metadata = {});

}  // namespace hl
