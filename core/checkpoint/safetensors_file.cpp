#include "core/checkpoint/safetensors_file.h"

#include "core/checkpoint/safetensors_header.h"

namespace hl {

SafetensorsFile SafetensorsFile::open(const std::filesystem::path& path, std::string label) {
  if (label.empty()) label = path.filename().string();
  SafetensorsFile file(path, MappedFile::open(path));
  const auto bytes = file.mapping_.bytes();
  auto header = parse_safetensors(bytes, label);
  file.metadata_ = std::move(header.metadata);
  file.tensors_.reserve(header.tensors.size());
  for (auto& e : header.tensors) {
    TensorView v;
    v.name = std::move(e.name);
    v.dtype = e.dtype;
    v.shape = std::move(e.shape);
    v.data = bytes.data() + header.data_offset + e.begin;
    v.nbytes = static_cast<std::size_t>(e.end - e.begin);
    file.tensors_.push_back(std::move(v));
  }
  for (std::size_t i = 0; i < file.tensors_.size(); ++i) file.index_.emplace(file.tensors_[i].name, i);
  return file;
}

const TensorView* SafetensorsFile::find(std::string_view name) const {
  const auto it = index_.find(name);
  return it == index_.end() ? nullptr : &tensors_[it->second];
}

}  // namespace hl
