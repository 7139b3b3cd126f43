#include "core/checkpoint/checkpoint.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

#include "core/checkpoint/checkpoint_error.h"
#include "core/checkpoint/strict_json.h"

namespace hl {

namespace fs = std::filesystem;

namespace {

constexpr const char* kSingleFile = "model.safetensors";
constexpr const char* kIndexFile = "model.safetensors.index.json";
constexpr std::uintmax_t kMaxIndexBytes = 64ull * 1024 * 1024;

bool is_pickle_name(const fs::path& p) {
  const auto ext = p.extension().string();
  return ext == ".bin" || ext == ".pt" || ext == ".pth" || ext == ".ckpt" || ext == ".pkl";
}

std::string read_small_file(const fs::path& path, std::uintmax_t limit) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) throw CheckpointError(path.filename().string() + ": cannot read: " + ec.message());
  if (size > limit)
    throw CheckpointError(path.filename().string() + ": file is " + std::to_string(size) + " bytes, more than the " +
                          std::to_string(limit) + "-byte limit");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CheckpointError(path.filename().string() + ": cannot open");
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Shard names come from an untrusted index: only plain file names inside the folder are allowed.
bool is_plain_file_name(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos &&
         name.find('\\') == std::string::npos && name.find('\0') == std::string::npos;
}

// weight_map from model.safetensors.index.json, grouped by shard file.
std::map<std::string, std::vector<std::string>> read_index(const fs::path& index_path) {
  const std::string label = kIndexFile;
  const auto index = parse_json_strict(read_small_file(index_path, kMaxIndexBytes), label);
  if (!index.is_object()) throw CheckpointError(label + ": expected a JSON object, found " + json_type_name(index));
  const auto it = index.find("weight_map");
  if (it == index.end()) throw CheckpointError(label + ": missing field 'weight_map'");
  if (!it->is_object())
    throw CheckpointError(label + ": 'weight_map' must be an object, found " + json_type_name(*it));
  std::map<std::string, std::vector<std::string>> by_shard;
  for (const auto& [tensor, shard] : it->items()) {
    if (!shard.is_string())
      throw CheckpointError(label + ": weight_map entry '" + printable(tensor) + "' must be a shard file name, found " +
                            json_type_name(shard));
    const auto& name = shard.get_ref<const std::string&>();
    if (!is_plain_file_name(name))
      throw CheckpointError(label + ": weight_map entry '" + printable(tensor) + "' names shard '" + printable(name) +
                            "', expected a file name inside the model folder");
    by_shard[name].push_back(tensor);
  }
  if (by_shard.empty()) throw CheckpointError(label + ": 'weight_map' is empty");
  return by_shard;
}

[[noreturn]] void refuse_folder_without_safetensors(const fs::path& folder) {
  std::vector<std::string> pickles;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec))
    if (entry.is_regular_file() && is_pickle_name(entry.path())) pickles.push_back(entry.path().filename().string());
  std::sort(pickles.begin(), pickles.end());
  if (!pickles.empty())
    throw CheckpointError(folder.string() + ": only PyTorch pickle weights found (" + pickles.front() +
                          (pickles.size() > 1 ? ", ..." : "") +
                          "); HybridLens does not load pickle files because unpickling can run arbitrary code: "
                          "convert the model to safetensors first (e.g. save_pretrained(..., safe_serialization=True))");
  throw CheckpointError(folder.string() + ": no " + kSingleFile + " or " + kIndexFile + " found");
}

}  // namespace

Checkpoint Checkpoint::open(const fs::path& folder) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) throw CheckpointError(folder.string() + ": not a directory");
  Checkpoint ck;
  ck.folder_ = folder;

  std::map<std::string, std::vector<std::string>> expected;  // shard → tensors the index assigns to it
  if (fs::exists(folder / kIndexFile, ec)) {
    expected = read_index(folder / kIndexFile);
    for (const auto& [shard, _] : expected)
      if (!fs::is_regular_file(folder / shard, ec))
        throw CheckpointError(std::string(kIndexFile) + ": shard '" + printable(shard) + "' is missing from " +
                              folder.string());
    for (const auto& [shard, _] : expected)
      ck.shards_.push_back(std::make_unique<SafetensorsFile>(SafetensorsFile::open(folder / shard)));
  } else if (fs::exists(folder / kSingleFile, ec)) {
    ck.shards_.push_back(std::make_unique<SafetensorsFile>(SafetensorsFile::open(folder / kSingleFile)));
  } else {
    refuse_folder_without_safetensors(folder);
  }

  std::unordered_map<std::string_view, const SafetensorsFile*> owner;
  for (const auto& shard : ck.shards_) {
    for (const auto& t : shard->tensors()) {
      const auto [it, inserted] = owner.emplace(t.name, shard.get());
      if (!inserted)
        throw CheckpointError("tensor '" + printable(t.name) + "' is stored in two shards: " +
                              it->second->path().filename().string() + " and " +
                              shard->path().filename().string());
      ck.index_.emplace(t.name, &t);
      ck.tensors_.push_back(&t);
    }
  }
  for (const auto& [shard, names] : expected) {
    for (const auto& name : names) {
      const auto it = owner.find(name);
      if (it == owner.end() || it->second->path().filename() != shard)
        throw CheckpointError(std::string(kIndexFile) + ": tensor '" + printable(name) + "' is mapped to " + shard +
                              " but that shard does not contain it");
    }
  }
  if (!expected.empty()) {
    std::size_t listed = 0;
    for (const auto& [_, names] : expected) listed += names.size();
    if (listed != ck.tensors_.size()) {
      for (const auto* t : ck.tensors_) {
        bool found = false;
        for (const auto& [shard, names] : expected)
          found = found || std::find(names.begin(), names.end(), t->name) != names.end();
        if (!found)
          throw CheckpointError(std::string(kIndexFile) + ": tensor '" + printable(t->name) +
                                "' is stored in a shard but not listed in weight_map");
      }
    }
  }
  std::sort(ck.tensors_.begin(), ck.tensors_.end(), [](auto* a, auto* b) { return a->name < b->name; });
  return ck;
}

const TensorView* Checkpoint::find(std::string_view name) const {
  const auto it = index_.find(name);
  return it == index_.end() ? nullptr : it->second;
}

std::uint64_t Checkpoint::tensor_bytes() const {
  std::uint64_t total = 0;
  for (const auto* t : tensors_) total += t->nbytes;
  return total;
}

}  // namespace hl
