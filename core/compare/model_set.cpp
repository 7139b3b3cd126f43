#include "core/compare/model_set.h"

#include <algorithm>
#include <stdexcept>

#include "core/model/layer_pattern.h"
#include "core/tokenizer/tokenizer.h"

namespace hl::compare {

std::string ModelSet::role(std::size_t m) const {
  if (m >= compared_) return "reference " + std::to_string(m - compared_ + 1);
  return compared_ == 1 ? "hybrid" : "model " + std::to_string(m + 1);
}

ModelSet ModelSet::open(const ModelSetPaths& paths, engine::Backend& backend, const ProgressFn& progress,
                        const std::atomic<bool>* cancel) {
  if (paths.compared.empty()) throw std::runtime_error("no hybrid model folder chosen");
  if (paths.references.empty()) throw std::runtime_error("no reference model folder chosen");
  if (paths.references.size() > kMaxReferences)
    throw std::runtime_error("at most " + std::to_string(kMaxReferences) + " references can be compared at once");
  ModelSet set;
  set.compared_ = paths.compared.size();
  std::vector<std::filesystem::path> folders = paths.compared;
  folders.insert(folders.end(), paths.references.begin(), paths.references.end());
  const int total = static_cast<int>(folders.size());
  for (std::size_t m = 0; m < folders.size(); ++m) {
    if (cancel && cancel->load()) throw engine::ScoreCancelled();
    if (progress) progress(static_cast<int>(m), total, "loading " + set.role(m));
    if (folders[m].empty()) throw std::runtime_error("no " + set.role(m) + " model folder chosen");
    auto model = engine::LoadedModel::open(folders[m], backend);
    if (model->tokenizer() == nullptr && !paths.tokenizer.empty())
      model->set_tokenizer(tok::Tokenizer::from_file(paths.tokenizer));
    if (model->tokenizer() == nullptr)
      throw std::runtime_error(model->name() + ": the folder has no tokenizer.json; give a tokenizer for it");
    set.models_.push_back(std::move(model));
  }
  if (cancel && cancel->load()) throw engine::ScoreCancelled();
  for (const auto& m : set.models_) set.names_.push_back(m->name());
  const std::vector<std::string> folder_names = set.names_;
  for (std::size_t m = 0; m < folder_names.size(); ++m)
    if (std::count(folder_names.begin(), folder_names.end(), folder_names[m]) > 1)
      set.names_[m] += " (" + set.role(m) + ")";
  if (progress) progress(total, total, "models loaded");
  return set;
}

std::string ModelSet::summary() const {
  auto describe = [this](std::size_t m) {
    const ModelSpec& spec = models_[m]->spec();
    return names_[m] + " (" + spec.model_type + ", " + compress_pattern(mixer_pattern(spec)) + ")";
  };
  auto list = [&](std::size_t from, std::size_t to) {
    std::string out;
    for (std::size_t m = from; m < to; ++m) out += (m == from ? "" : ", ") + describe(m);
    return out;
  };
  const std::string compared = compared_ == 1 ? "hybrid " : "models ";
  const std::string references = reference_count() == 1 ? " vs reference " : " vs references ";
  return compared + list(0, compared_) + references + list(compared_, models_.size());
}

std::vector<const engine::LoadedModel*> ModelSet::resident() const {
  std::vector<const engine::LoadedModel*> out;
  for (const auto& m : models_) out.push_back(m.get());
  return out;
}

}  // namespace hl::compare
