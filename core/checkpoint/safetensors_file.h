#pragma once
// One memory-mapped .safetensors file with a validated header (see safetensors_header.h for what is checked).
// Opening reads only the header; tensor views point into the mapping, so no weight bytes are copied or touched.
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/checkpoint/mapped_file.h"
#include "core/checkpoint/tensor_view.h"

namespace hl {

class SafetensorsFile {
 public:
  // `label` prefixes error messages; defaults to the file name.
  static SafetensorsFile open(const std::filesystem::path& path, std::string label = {});

  const std::vector<TensorView>& tensors() const { return tensors_; }  // sorted by name
  const TensorView* find(std::string_view name) const;                  // nullptr when absent
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  const std::filesystem::path& path() const { return path_; }
  std::size_t file_size() const { return mapping_.bytes().size(); }

 private:
  SafetensorsFile(std::filesystem::path path, MappedFile mapping) : path_(std::move(path)), mapping_(std::move(mapping)) {}
  std::filesystem::path path_;
  MappedFile mapping_;
  std::vector<TensorView> tensors_;
  std::unordered_map<std::string_view, std::size_t> index_;  // keys view into tensors_[i].name
  std::map<std::string, std::string> metadata_;
};

}  // namespace hl
