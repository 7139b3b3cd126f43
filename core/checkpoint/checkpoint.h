#pragma once
// A Hugging Face model folder's weights: `model.safetensors`, or shards listed in `model.safetensors.index.json`
// (weight_map: tensor name → shard file). All shards are memory-mapped; tensor views point into the mappings.
//
// Refused: folders with only PyTorch pickle files (pytorch_model.bin, *.pt, *.pth, *.ckpt; never opened, since
// unpickling can run code), shard names that are not plain file names, missing shards, a tensor stored in two
// shards, a tensor the index lists but its shard lacks, and a tensor a shard holds but the index does not list.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/checkpoint/safetensors_file.h"
#include "core/checkpoint/tensor_view.h"

namespace hl {

class Checkpoint {
 public:
  static Checkpoint open(const std::filesystem::path& folder);

  const TensorView* find(std::string_view name) const;  // nullptr when absent
  const std::vector<const TensorView*>& tensors() const { return tensors_; }  // sorted by name
  const std::vector<std::unique_ptr<SafetensorsFile>>& shards() const { return shards_; }
  const std::filesystem::path& folder() const { return folder_; }
  std::uint64_t tensor_bytes() const;  // sum of all tensors' byte sizes

 private:
  std::filesystem::path folder_;
  std::vector<std::unique_ptr<SafetensorsFile>> shards_;
  std::vector<const TensorView*> tensors_;
  std::unordered_map<std::string_view, const TensorView*> index_;
};

}  // namespace hl
